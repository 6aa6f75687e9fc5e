#include "apiclient.h"

#include "util/apitime.h"
#include "apiparsers.h"
#include "util/clock.h"
#include "util/logging.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QIODevice>
#include <QTimer>

#include <limits>

namespace Fleet {

QUrl regionBaseUrl(Region region)
{
    switch (region) {
    case Region::HongKong: return QUrl(QStringLiteral("https://hk-open.tracksolidpro.com/route/rest"));
    case Region::Europe: return QUrl(QStringLiteral("https://eu-open.tracksolidpro.com/route/rest"));
    case Region::UnitedStates: return QUrl(QStringLiteral("https://us-open.tracksolidpro.com/route/rest"));
    case Region::Tracksolid: return QUrl(QStringLiteral("http://open.10000track.com/route/rest"));
    }
    return {};
}

std::optional<Region> regionFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("hk") || n == QLatin1String("sg"))
        return Region::HongKong;
    if (n == QLatin1String("eu"))
        return Region::Europe;
    if (n == QLatin1String("us"))
        return Region::UnitedStates;
    if (n == QLatin1String("ts"))
        return Region::Tracksolid;
    return std::nullopt;
}

QString ApiAccount::storageKey() const
{
    const QByteArray id = baseUrl.toString().toUtf8() + '\n' + appKey.toUtf8() + '\n' + userId.toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(id, QCryptographicHash::Sha256).toHex().left(24));
}

namespace {

// A request body Qt cannot rewind. Qt resends a request on its own when a
// kept-alive connection closes before the answer; for a command that might
// repeat it (a second fuel cut). With this body Qt reports
// ContentReSendError instead, and the caller decides.
class OneShotBody final : public QIODevice
{
public:
    OneShotBody(const QByteArray &data, QObject *parent)
        : QIODevice(parent)
        , m_data(data)
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 bytesAvailable() const override { return m_data.size() - m_pos + QIODevice::bytesAvailable(); }
    qint64 size() const override { return m_data.size(); }

protected:
    qint64 readData(char *out, qint64 max) override
    {
        const qint64 n = qMin(max, qint64(m_data.size()) - m_pos);
        if (n <= 0)
            return m_pos >= m_data.size() ? -1 : 0;
        memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

} // namespace

struct ApiClient::Pending
{
    QString method;
    ApiParams params;
    QPointer<QObject> context;
    bool hasContext = false;
    Handler handler;
    CallOptions options;
    int attempt = 0;
    bool tokenRetried = false;
    bool finished = false;
    QNetworkReply *reply = nullptr;
    QTimer *retryTimer = nullptr;
};

namespace {

const QString kTokenGet = QStringLiteral("jimi.oauth.token.get");
const QString kTokenRefresh = QStringLiteral("jimi.oauth.token.refresh");

ApiError makeError(ApiError::Kind kind, const QString &method, const QString &message, int apiCode = 0, int http = 0)
{
    return ApiError{kind, apiCode, http, method, message};
}

} // namespace

ApiClient::ApiClient(const ApiAccount &account, TokenStore *tokenStore, Clock *clock, const ApiClientOptions &options,
                     QObject *parent)
    : QObject(parent)
    , m_account(account)
    , m_tokenStore(tokenStore)
    , m_clock(clock ? clock : Clock::system())
    , m_options(options)
    , m_nam(new QNetworkAccessManager(this))
    , m_rng(options.jitterSeed ? options.jitterSeed : std::random_device{}())
{
    m_nam->setAutoDeleteReplies(false);
    if (m_tokenStore)
        m_state = m_tokenStore->load(m_account.storageKey());
}

ApiClient::~ApiClient()
{
    cancelAll();
}

void ApiClient::call(const QString &method, const ApiParams &params, QObject *context, Handler handler,
                     const CallOptions &options)
{
    Q_ASSERT_X(!context || context->thread() == thread(), "ApiClient::call",
               "the context must live on the client's thread: the handler is called there");
    auto p = std::make_shared<Pending>();
    p->method = method;
    p->params = params;
    p->context = context;
    p->hasContext = context != nullptr;
    p->handler = std::move(handler);
    p->options = options;
    if (options.instructionGateway && !m_account.instructionUrl.isValid()) {
        QTimer::singleShot(0, this, [this, p] {
            finish(p,
                   makeError(ApiError::Kind::InvalidArgument, p->method,
                             QStringLiteral("no instruction gateway address is configured")));
        });
        return;
    }
    enqueue(p);
}

void ApiClient::cancelAll()
{
    if (m_tokenGetTimer && m_tokenGetTimer->isActive()) {
        m_tokenGetTimer->stop();
        m_tokenBusy = false;
    }
    std::deque<PendingPtr> queued;
    queued.swap(m_queue);
    const QList<PendingPtr> active = m_active;
    m_active.clear();
    for (const PendingPtr &p : active) {
        if (p->reply) {
            QNetworkReply *r = p->reply;
            p->reply = nullptr;
            r->disconnect(this);
            r->abort();
            r->deleteLater();
        }
        if (p->retryTimer) {
            p->retryTimer->stop();
            p->retryTimer->deleteLater();
            p->retryTimer = nullptr;
        }
    }
    m_inFlight = 0;
    m_inFlightPerDevice = 0;
    const ApiError cancelled{ApiError::Kind::Cancelled, 0, 0, {}, QStringLiteral("cancelled")};
    for (const PendingPtr &p : queued)
        finish(p, ApiError{cancelled.kind, 0, 0, p->method, cancelled.message});
    for (const PendingPtr &p : active)
        finish(p, ApiError{cancelled.kind, 0, 0, p->method, cancelled.message});
}

void ApiClient::enqueue(const PendingPtr &p, bool front)
{
    if (front)
        m_queue.push_front(p);
    else
        m_queue.push_back(p);
    // Dispatch from the event loop so handlers never run inside call().
    QMetaObject::invokeMethod(this, &ApiClient::pump, Qt::QueuedConnection);
}

int ApiClient::refreshMarginFor(const AccessToken &token) const
{
    const qint64 lifetime = token.obtainedAt.isValid() && token.expiresAt.isValid()
        ? token.obtainedAt.secsTo(token.expiresAt)
        : qint64(m_options.tokenLifetimeSecs);
    return int(qBound(qint64(0), lifetime / 5, qint64(m_options.refreshMarginSecs)));
}

bool ApiClient::tokenUsable() const
{
    return !m_tokenRejected && m_state.token
        && m_state.token->usableAt(m_clock->nowUtc(), refreshMarginFor(*m_state.token));
}

void ApiClient::signIn(bool force)
{
    if (!force && tokenUsable()) {
        QTimer::singleShot(0, this, &ApiClient::tokenChanged);
        return;
    }
    if (m_tokenBusy) {
        // A token request is under way (or waiting): its outcome is the answer.
        return;
    }
    requestNewToken(true);
}

bool ApiClient::canDispatch(const Pending &p) const
{
    if (m_inFlight >= m_options.maxConcurrent)
        return false;
    if (p.options.perDevice && m_inFlightPerDevice >= m_options.maxConcurrentPerDevice)
        return false;
    return true;
}

void ApiClient::pump()
{
    if (m_queue.empty())
        return;
    if (!tokenUsable()) {
        ensureToken();
        return;
    }
    for (auto it = m_queue.begin(); it != m_queue.end() && m_inFlight < m_options.maxConcurrent;) {
        const PendingPtr p = *it;
        if (p->hasContext && !p->context) {
            it = m_queue.erase(it);
            continue;
        }
        if (!canDispatch(*p)) {
            ++it;
            continue;
        }
        it = m_queue.erase(it);
        send(p);
    }
}

ApiParams ApiClient::signedParams(const QString &method, const ApiParams &privateParams, bool withToken) const
{
    ApiParams all = privateParams;
    all.insert(QStringLiteral("method"), method);
    all.insert(QStringLiteral("app_key"), m_account.appKey);
    all.insert(QStringLiteral("timestamp"), ApiTime::format(m_clock->nowUtc()));
    all.insert(QStringLiteral("sign_method"), QStringLiteral("md5"));
    all.insert(QStringLiteral("v"), QStringLiteral("1.0"));
    all.insert(QStringLiteral("format"), QStringLiteral("json"));
    if (withToken && m_state.token)
        all.insert(QStringLiteral("access_token"), m_state.token->accessToken);
    all.insert(QStringLiteral("sign"), ApiSigner::sign(all, m_account.appSecret));
    return all;
}

QNetworkReply *ApiClient::post(const QUrl &url, const ApiParams &params, int timeoutMs, bool resendable)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded;charset=UTF-8"));
    request.setHeader(QNetworkRequest::UserAgentHeader, m_options.userAgent);
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    // Qt aborts a reply that moves no byte for this long (the cloud answers
    // in one piece, so that is the time to the answer).
    request.setTransferTimeout(timeoutMs);
    ++m_stats.requestsSent;
    const QByteArray body = FormCodec::encode(params);
    if (resendable)
        return m_nam->post(request, body);
    request.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    auto *device = new OneShotBody(body, nullptr);
    QNetworkReply *reply = m_nam->post(request, device);
    device->setParent(reply);
    return reply;
}

void ApiClient::send(const PendingPtr &p)
{
    ++m_inFlight;
    if (p->options.perDevice)
        ++m_inFlightPerDevice;
    m_active.append(p);

    const int timeoutMs = p->options.timeoutMs > 0
        ? p->options.timeoutMs
        : m_options.methodTimeoutMs.value(p->method, m_options.defaultTimeoutMs);

    QNetworkReply *reply = nullptr;
    if (p->options.instructionGateway) {
        ApiParams params = p->params;
        params.insert(QStringLiteral("token"), m_state.token ? m_state.token->accessToken : QString());
        QUrl url = m_account.instructionUrl;
        url.setPath(url.path() + QStringLiteral("/api/device/sendInstruct"));
        reply = post(url, params, timeoutMs, p->options.idempotent);
    } else {
        reply = post(m_account.baseUrl, signedParams(p->method, p->params, true), timeoutMs, p->options.idempotent);
    }
    p->reply = reply;
    qCDebug(lcApi) << "->" << p->method << "attempt" << p->attempt + 1;

    const qint64 started = m_clock->monotonicMs();
    connect(reply, &QNetworkReply::finished, this, [this, p, reply, started] {
        // Nothing else aborts a reply that is still ours (cancelAll() lets go
        // of it first): an abort is the transfer timeout.
        const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError
            || reply->error() == QNetworkReply::TimeoutError;
        handleReply(p, reply, timedOut, started);
    });
}

int ApiClient::backoffDelayMs(int attempt, int floorMs)
{
    // Exponential with full jitter in [0.5, 1.5) so that clients spread out.
    const double base = double(m_options.backoffBaseMs) * double(1 << qMin(attempt, 16));
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    const double delay = qMin(base * jitter(m_rng), double(m_options.backoffMaxMs));
    return qMax(int(delay), floorMs);
}

void ApiClient::retryLater(const PendingPtr &p, int delayMs)
{
    ++m_stats.retries;
    ++p->attempt;
    qCInfo(lcApi) << "retrying" << p->method << "in" << delayMs << "ms";
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    p->retryTimer = timer;
    m_active.append(p);
    connect(timer, &QTimer::timeout, this, [this, p, timer] {
        timer->deleteLater();
        p->retryTimer = nullptr;
        m_active.removeOne(p);
        enqueue(p, true);
    });
    timer->start(delayMs);
}

void ApiClient::handleReply(const PendingPtr &p, QNetworkReply *reply, bool timedOut, qint64 startedMs)
{
    reply->deleteLater();
    if (p->reply != reply)
        return; // cancelled
    p->reply = nullptr;
    m_active.removeOne(p);
    --m_inFlight;
    if (p->options.perDevice)
        --m_inFlightPerDevice;
    const qint64 elapsed = m_clock->monotonicMs() - startedMs;
    const bool attemptsLeft = p->attempt + 1 < m_options.maxAttempts;

    auto done = [&](const Result<ApiEnvelope> &r) {
        Q_EMIT requestFinished(p->method, r.ok(), elapsed);
        finish(p, r);
        pump();
    };

    if (timedOut) {
        done(
            makeError(ApiError::Kind::Timeout, p->method, QStringLiteral("no answer within %1 s").arg(elapsed / 1000)));
        return;
    }
    const int http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError && http == 0) {
        if (p->options.idempotent && attemptsLeft) {
            retryLater(p, backoffDelayMs(p->attempt));
            pump();
            return;
        }
        QString why = reply->errorString();
        if (!p->options.idempotent)
            why += QStringLiteral(" (the request may or may not have reached the cloud; it was not resent)");
        done(makeError(ApiError::Kind::Network, p->method, why));
        return;
    }
    if (http < 200 || http >= 300) {
        if (http >= 500 && p->options.idempotent && attemptsLeft) {
            retryLater(p, backoffDelayMs(p->attempt));
            pump();
            return;
        }
        done(makeError(ApiError::Kind::Http, p->method, reply->errorString(), 0, http));
        return;
    }

    Result<ApiEnvelope> env = ApiEnvelope::parse(reply->readAll(), p->method);
    if (!env.ok()) {
        done(env);
        return;
    }
    const int code = env.value().code;
    if (code == ApiCode::Success) {
        done(env);
        return;
    }
    if (code == ApiCode::TokenException && !p->options.instructionGateway) {
        if (!p->tokenRetried) {
            p->tokenRetried = true;
            qCInfo(lcApi) << p->method << "answered 1004; renewing the token and retrying once";
            m_tokenRejected = true;
            enqueue(p, true);
            pump();
            return;
        }
        done(makeError(ApiError::Kind::TokenInvalid, p->method, env.value().message, code));
        return;
    }
    // 1006 means the request was refused unprocessed, so it is always safe to
    // resend; -1 ("system busy") may hide a command that did go through.
    if (code == ApiCode::TooFrequent || (code == ApiCode::SystemBusy && p->options.idempotent)) {
        if (attemptsLeft) {
            retryLater(p, backoffDelayMs(p->attempt));
            pump();
            return;
        }
        done(makeError(code == ApiCode::TooFrequent ? ApiError::Kind::RateLimited : ApiError::Kind::Api, p->method,
                       env.value().message, code));
        return;
    }
    ApiError error = makeError(ApiError::Kind::Api, p->method, env.value().message, code);
    error.detail = env.value().detailCode();
    done(error);
}

void ApiClient::finish(const PendingPtr &p, const Result<ApiEnvelope> &result)
{
    if (p->finished)
        return;
    p->finished = true;
    if (!result.ok()) {
        ++m_stats.failures;
        qCInfo(lcApi).noquote() << result.error().toString();
    }
    if (p->hasContext && !p->context)
        return;
    if (p->handler)
        p->handler(result);
}

// ---- token lifecycle -------------------------------------------------------

void ApiClient::ensureToken()
{
    if (m_tokenBusy)
        return;
    const QDateTime now = m_clock->nowUtc();
    const bool haveRefreshable = m_state.token && !m_state.token->refreshToken.isEmpty() && !m_refreshFailed
        && m_state.token->expiresAt > now;
    if (haveRefreshable) {
        sendTokenRefresh();
        return;
    }
    requestNewToken();
}

void ApiClient::requestNewToken(bool force)
{
    m_tokenBusy = true;
    const QDateTime now = m_clock->nowUtc();
    // Another client of the account may have signed in since (the account
    // dialog's test, another process on the same store): its answer counts.
    if (m_tokenStore) {
        const QDateTime stored = m_tokenStore->load(m_account.storageKey()).lastTokenGet;
        if (stored.isValid() && (!m_state.lastTokenGet.isValid() || stored > m_state.lastTokenGet))
            m_state.lastTokenGet = stored;
    }
    qint64 waitMs = 0;
    if (m_state.lastTokenGet.isValid()) {
        // From the cloud's last answer, with a margin and jitter on top: a
        // request that arrives a hair early restarts a strict cloud's minute.
        const qint64 since = m_state.lastTokenGet.msecsTo(now);
        std::uniform_int_distribution<int> jitter(0, qMax(0, m_options.tokenGetJitterMs));
        const qint64 minimum = qint64(m_options.tokenGetIntervalSecs) * 1000 + m_options.tokenGetMarginMs
            + jitter(m_rng);
        if (since >= 0 && since < minimum)
            waitMs = minimum - since;
        else if (since < 0) // clock went backwards: be conservative
            waitMs = minimum;
    }
    if (m_tokenGetAttempt > 0)
        waitMs = qMax<qint64>(waitMs, backoffDelayMs(m_tokenGetAttempt - 1));
    if (!force && m_refusedUntil.isValid())
        waitMs = qMax<qint64>(waitMs, now.msecsTo(m_refusedUntil));
    if (waitMs > 0) {
        qCInfo(lcApi) << "waiting" << waitMs << "ms before the next token.get (one per minute)";
        if (!m_tokenGetTimer) {
            m_tokenGetTimer = new QTimer(this);
            m_tokenGetTimer->setSingleShot(true);
            connect(m_tokenGetTimer, &QTimer::timeout, this, &ApiClient::sendTokenGet);
        }
        m_tokenGetTimer->start(int(qMin<qint64>(waitMs, std::numeric_limits<int>::max())));
        Q_EMIT tokenGetDeferred(now.addMSecs(waitMs));
    } else {
        sendTokenGet();
    }
}

void ApiClient::sendTokenGet()
{
    m_tokenBusy = true;
    ApiParams params;
    params.insert(QStringLiteral("user_id"), m_account.userId);
    params.insert(QStringLiteral("user_pwd_md5"), m_account.passwordMd5.toLower());
    params.insert(QStringLiteral("expires_in"), QString::number(m_options.tokenLifetimeSecs));
    ++m_stats.tokenGets;
    qCInfo(lcApi) << "requesting a new access token";
    postTokenRequest(kTokenGet, params, [this](QNetworkReply *reply, const Result<ApiEnvelope> &r) {
        // The cloud's minute runs from its answer, not from our send, and
        // refused answers count. A request that never reached a server
        // does not.
        if (reply->error() != QNetworkReply::ConnectionRefusedError
            && reply->error() != QNetworkReply::HostNotFoundError) {
            m_state.lastTokenGet = m_clock->nowUtc();
            persist();
        }
        tokenRequestDone(false, r);
    });
}

void ApiClient::sendTokenRefresh()
{
    m_tokenBusy = true;
    ApiParams params;
    params.insert(QStringLiteral("access_token"), m_state.token->accessToken);
    params.insert(QStringLiteral("refresh_token"), m_state.token->refreshToken);
    params.insert(QStringLiteral("expires_in"), QString::number(m_options.tokenLifetimeSecs));
    ++m_stats.tokenRefreshes;
    qCInfo(lcApi) << "refreshing the access token";
    postTokenRequest(kTokenRefresh, params,
                     [this](QNetworkReply *, const Result<ApiEnvelope> &r) { tokenRequestDone(true, r); });
}

void ApiClient::postTokenRequest(const QString &method, const ApiParams &params,
                                 const std::function<void(QNetworkReply *, const Result<ApiEnvelope> &)> &done)
{
    QNetworkReply *reply = post(m_account.baseUrl, signedParams(method, params, false), m_options.defaultTimeoutMs,
                                true);
    connect(reply, &QNetworkReply::finished, this, [reply, method, done] {
        reply->deleteLater();
        Result<ApiEnvelope> r = ApiError{ApiError::Kind::Network, 0, 0, method, reply->errorString()};
        const int http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError || http != 0)
            r = (http >= 200 && http < 300)
                ? ApiEnvelope::parse(reply->readAll(), method)
                : Result<ApiEnvelope>(ApiError{ApiError::Kind::Http, 0, http, method, reply->errorString()});
        done(reply, r);
    });
}

void ApiClient::tokenRequestDone(bool refresh, const Result<ApiEnvelope> &result)
{
    const QString method = refresh ? kTokenRefresh : kTokenGet;
    std::optional<ApiError> error;
    if (!result.ok()) {
        error = result.error();
    } else if (result.value().code != ApiCode::Success) {
        const int code = result.value().code;
        error = ApiError{code == ApiCode::TooFrequent ? ApiError::Kind::RateLimited : ApiError::Kind::Api, code, 0,
                         method, result.value().message};
    } else {
        const Result<TokenInfo> info = ApiParse::token(result.value());
        if (!info.ok()) {
            error = info.error();
            error->method = method;
        } else {
            AccessToken token;
            token.accessToken = info.value().accessToken;
            token.refreshToken = info.value().refreshToken;
            token.account = info.value().account;
            const int expiresIn = info.value().expiresInSecs;
            token.obtainedAt = m_clock->nowUtc();
            token.expiresAt = token.obtainedAt.addSecs(expiresIn);
            m_state.token = token;
            m_tokenRejected = false;
            m_refreshFailed = false;
            m_tokenBusy = false;
            m_tokenGetAttempt = 0;
            m_refusals = 0;
            m_refusedUntil = QDateTime();
            persist();
            qCInfo(lcApi) << (refresh ? "token refreshed" : "token obtained") << Fleet::redact(token.accessToken)
                          << "valid for" << expiresIn << "s";
            Q_EMIT tokenChanged();
            pump();
            return;
        }
    }

    m_tokenBusy = false;
    if (refresh) {
        // Refresh failed: fall back to a new token (subject to the 60 s rule).
        qCInfo(lcApi).noquote() << "token refresh failed:" << error->toString();
        m_refreshFailed = true;
        requestNewToken();
        return;
    }
    // 1006: the minute is not over; waiting calls are kept and the request
    // repeated after the interval. Anything else fails them now, so that a
    // sweep reports the outage instead of hanging; the next call tries again.
    if (error->apiCode == ApiCode::TooFrequent && m_tokenGetAttempt + 1 < m_options.maxAttempts) {
        ++m_tokenGetAttempt;
        requestNewToken();
        return;
    }
    m_tokenGetAttempt = 0;
    qCWarning(lcApi).noquote() << "cannot obtain an access token:" << error->toString();
    if (error->kind == ApiError::Kind::Api && (error->apiCode == 1001 || error->apiCode == 1002)) {
        const qint64 backoff = qMin<qint64>(qint64(m_options.refusedRetrySecs) << qMin(m_refusals, 8), 3600);
        ++m_refusals;
        m_refusedUntil = m_clock->nowUtc().addSecs(backoff);
        qCInfo(lcApi) << "the cloud refused the account; the next sign-in of its own in" << backoff << "s";
    }
    Q_EMIT tokenFailed(*error);
    failTokenWaiters(*error);
}

void ApiClient::failTokenWaiters(const ApiError &error)
{
    std::deque<PendingPtr> queued;
    queued.swap(m_queue);
    for (const PendingPtr &p : queued) {
        ApiError e = error;
        e.message = QStringLiteral("no access token: ") + error.message;
        e.method = p->method;
        finish(p, e);
    }
}

void ApiClient::persist()
{
    if (m_tokenStore)
        m_tokenStore->save(m_account.storageKey(), m_state);
}

} // namespace Fleet
