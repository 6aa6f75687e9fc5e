#include "pushreceiver.h"

#include "pushendpoint.h"
#include "pushinbox.h"
#include "pushenvelope.h"
#include "pushparser.h"

#include "net/httpserver.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/bytes.h"
#include "util/clock.h"
#include "util/logging.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace Fleet::Push {

namespace {

const QByteArray kJsonType = QByteArrayLiteral("application/json;charset=UTF-8");
const QByteArray kSuccess = QByteArrayLiteral(R"({"code":0,"msg":"success"})");
constexpr int kRecoveryChunk = 500;
// Rejections of one status logged one by one before the log only counts them.
constexpr qint64 kLoggedRejections = 20;
constexpr qint64 kRejectionLogEvery = 1000;

Http::Response jsonAnswer(int status, const QString &message)
{
    Http::Response r;
    r.status = status;
    r.contentType = kJsonType;
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("code"), status}, {QStringLiteral("msg"), message}})
                 .toJson(QJsonDocument::Compact);
    return r;
}

Http::Response success()
{
    Http::Response r;
    r.contentType = kJsonType;
    r.body = kSuccess;
    return r;
}

bool isFormContentType(const QByteArray &header)
{
    const qsizetype semicolon = header.indexOf(';');
    const QByteArray type = (semicolon < 0 ? header : header.left(semicolon)).trimmed().toLower();
    return type == "application/x-www-form-urlencoded";
}

// The official alarm push (field notes §3.1) is told apart by its msgType
// ("jimi.push.device.alarm", "jimi.open.instruction.raw.receive"); the
// pushInstructResponse msgType is a number. The inbox keeps msgType, so a
// request read back after a restart is decoded the same way.
bool isOfficialMsgType(const QString &msgType)
{
    return msgType.startsWith(QLatin1String("jimi."));
}

QString rejectedSummary(const ParsedPush &parsed)
{
    QStringList reasons;
    for (const PushItemError &e : parsed.rejected) {
        if (reasons.size() == 3) {
            reasons.append(QStringLiteral("..."));
            break;
        }
        reasons.append(QStringLiteral("item %1: %2").arg(e.index).arg(e.reason));
    }
    return QStringLiteral("%1 of %2 items could not be read and were kept for review (%3)")
        .arg(parsed.rejected.size())
        .arg(parsed.itemCount)
        .arg(reasons.join(QLatin1String("; ")));
}

} // namespace

Http::Limits ReceiverConfig::defaultLimits()
{
    Http::Limits limits;
    // 50 items of a few hundred bytes each, form-encoded (×3 at worst), with
    // room to spare; a bigger body is refused before it is read.
    limits.maxBodyBytes = 1024 * 1024;
    limits.requestTimeoutMs = 10000;
    limits.idleTimeoutMs = 60000;
    limits.maxConnections = 512;
    // One client address may hold an eighth of the table (the cloud pushes
    // over a few connections); 0 behind a reverse proxy.
    limits.maxConnectionsPerAddress = 64;
    // 32 bodies of the largest size at once.
    limits.maxBodyBytesInFlight = 32 * limits.maxBodyBytes;
    return limits;
}

std::optional<QSslConfiguration> ReceiverConfig::tlsFromFiles(const QString &certificatePath, const QString &keyPath,
                                                              QString *error)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certificatePath, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("no PEM certificate in %1").arg(certificatePath);
        return std::nullopt;
    }
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the TLS key %1: %2").arg(keyPath, keyFile.errorString());
        return std::nullopt;
    }
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = QStringLiteral("%1 holds no unencrypted RSA or EC private key in PEM form").arg(keyPath);
        return std::nullopt;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // the cloud presents no client certificate
    return tls;
}

Receiver::Receiver(StoreWriter *writer, const ReceiverConfig &config, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_config(config)
    , m_clock(clock ? clock : Clock::system())
{
    m_server = std::make_unique<Http::Server>([this](const Http::Request &request,
                                                     const Http::Responder &responder) { handle(request, responder); },
                                              m_config.http);
    // Requests that would be refused anyway are, before their body is read.
    m_server->setHeadCheck([this](const Http::Request &head) -> std::optional<Http::Response> {
        const std::optional<Refusal> refused = screen(head);
        if (!refused)
            return std::nullopt;
        ++m_stats.requests;
        Http::Response answer = refusal(*refused, head.peer);
        Q_EMIT answered(refused->status, refused->endpoint);
        return answer;
    });
    if (m_config.tls)
        m_server->setTlsConfiguration(*m_config.tls);
    m_inbox = std::make_unique<Inbox>();
    m_sweep.setInterval(250);
    connect(&m_sweep, &QTimer::timeout, this, &Receiver::sweepWaiting);
}

Receiver::~Receiver()
{
    // Connections first: no answer may reach a half-destroyed receiver.
    m_server.reset();
}

bool Receiver::start(QString *error)
{
    if (m_config.token.isEmpty()) {
        *error = QStringLiteral("the webhook token is empty; every push would be refused");
        return false;
    }
    if (!m_writer->isOpen()) {
        *error = QStringLiteral("the store is not open");
        return false;
    }
    if (!m_inbox->isOpen() && !m_inbox->open(Inbox::pathFor(m_writer->path()), error))
        return false;
    if (!recoverInbox(error))
        return false;
    if (!m_server->listen(m_config.address, m_config.port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_config.address.toString())
                     .arg(m_config.port)
                     .arg(m_server->errorString());
        return false;
    }
    const QHostAddress bound = m_server->serverAddress();
    // NOLINTNEXTLINE(misc-redundant-expression): three different "any" addresses
    const bool everywhere = bound == QHostAddress::Any || bound == QHostAddress::AnyIPv4
        || bound == QHostAddress::AnyIPv6;
    qCInfo(lcPush).noquote() << QStringLiteral("webhook receiver listening on %1%2")
                                    .arg(url().toString(),
                                         everywhere ? QStringLiteral(" (every interface)") : QString());
    return true;
}

void Receiver::stop()
{
    m_server->close();
}

bool Receiver::isListening() const
{
    return m_server->isListening();
}

quint16 Receiver::port() const
{
    return m_server->serverPort();
}

QHostAddress Receiver::address() const
{
    return m_server->serverAddress();
}

QUrl Receiver::url() const
{
    QUrl u = m_server->url();
    if (!u.isEmpty())
        u.setPath(QStringLiteral("/"));
    return u;
}

bool Receiver::isTls() const
{
    return m_server->isTls();
}

bool Receiver::recoverInbox(QString *error)
{
    for (;;) {
        QString readError;
        const QList<InboxRecord> pending = m_inbox->pending(kRecoveryChunk, &readError);
        if (!readError.isEmpty()) {
            *error = QStringLiteral("cannot read the push inbox: %1").arg(readError);
            return false;
        }
        if (pending.isEmpty())
            return true;
        for (const InboxRecord &record : pending) {
            IngestBatch batch;
            const std::optional<Endpoint> endpoint = endpointForPath(record.endpoint);
            PushEnvelope envelope;
            envelope.msgType = record.msgType;
            envelope.payload = qUncompress(record.payload);
            envelope.officialForm = isOfficialMsgType(record.msgType);
            const EnvelopeResult<PushItems> items = !endpoint
                ? EnvelopeResult<PushItems>(EnvelopeError{422, QStringLiteral("unknown endpoint")})
                : envelope.payload.isEmpty() && !record.payload.isEmpty()
                ? EnvelopeResult<PushItems>(
                    EnvelopeError{422, QStringLiteral("the stored request cannot be decompressed")})
                : splitItems(*endpoint, envelope, qMax(m_config.maxItems, record.itemCount));
            if (!items) {
                // Accepted once, unreadable now (a parser change, a damaged
                // row): kept, not lost.
                batch.quarantine.append(
                    PushQuarantineRecord{record.endpoint, record.received, -1, items.error().message,
                                         envelope.payload.isEmpty() ? record.payload : envelope.payload});
            } else {
                // Its unreadable items were quarantined before it was answered.
                batch = std::move(parsePush(*endpoint, envelope, items.value(), record.received).batch);
            }
            m_writer->write(std::move(batch));
            ++m_stats.recovered;
        }
        if (!m_writer->flush()) {
            *error = QStringLiteral("cannot store the push inbox's items: %1").arg(m_writer->stats().lastError);
            return false;
        }
        for (const InboxRecord &record : pending)
            m_inbox->remove(record.id);
        m_inbox->flush();
        qCInfo(lcPush) << "finished" << pending.size() << "push request(s) received before the last shutdown";
    }
}

bool Receiver::writerCanTake(QString *why) const
{
    const StoreStats s = m_writer->stats();
    if (!m_writer->isOpen()) {
        *why = QStringLiteral("the database is closed; try again later");
        return false;
    }
    if (s.paused) {
        *why = QStringLiteral("the database cannot be written at the moment; try again later");
        return false;
    }
    if (s.pendingRows > m_config.maxPendingRows) {
        *why = QStringLiteral("the receiver is busy; try again later");
        return false;
    }
    return true;
}

std::optional<Receiver::Refusal> Receiver::screen(const Http::Request &request) const
{
    const std::optional<Endpoint> endpoint = endpointForPath(request.path);
    const bool post = request.method == "POST";
    const bool form = isFormContentType(request.header("content-type"));
    // The Open API's alarm push goes to the one URL given to Jimi: the base
    // URL, or any endpoint's; its body says what it is. So a form POST to any
    // path is read.
    if (!endpoint && !(post && form))
        return Refusal{404,
                       {},
                       QStringLiteral("no push endpoint at %1").arg(request.path.left(200)),
                       &ReceiverStats::notFound};
    const QString name = endpoint ? endpointName(*endpoint) : QString();
    if (!post)
        return Refusal{405, name, QStringLiteral("push endpoints take POST only"), &ReceiverStats::wrongMethod};
    if (!form)
        return Refusal{415, name, QStringLiteral("Content-Type must be application/x-www-form-urlencoded"),
                       &ReceiverStats::wrongContentType};
    // A token in the URL (the official alarm push carries it there) is
    // checked now; one in the form, once the body is read.
    const QUrlQuery query = request.urlQuery();
    if (query.hasQueryItem(QStringLiteral("token"))) {
        const QByteArray token = query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
        if (!Bytes::equalsConstantTime(token, m_config.token))
            return Refusal{401, name, QStringLiteral("the token is wrong"), &ReceiverStats::unauthorized};
    }
    return std::nullopt;
}

Http::Response Receiver::refusal(const Refusal &refused, const QString &peer)
{
    if (refused.counter)
        ++(m_stats.*refused.counter);
    const qint64 n = ++m_loggedByStatus[refused.status];
    if (n <= kLoggedRejections || n % kRejectionLogEvery == 0) {
        qCWarning(lcPush).noquote() << QStringLiteral("push refused with %1 from %2%3: %4%5")
                                           .arg(refused.status)
                                           .arg(loggable(peer),
                                                refused.endpoint.isEmpty() ? QString()
                                                                           : QStringLiteral(" on /") + refused.endpoint,
                                                loggable(refused.message),
                                                n > kLoggedRejections ? QStringLiteral(" (%1 so far)").arg(n)
                                                                      : QString());
    }
    Http::Response r = jsonAnswer(refused.status, refused.message);
    if (refused.status == 405)
        r.headers.append({QByteArrayLiteral("Allow"), QByteArrayLiteral("POST")});
    return r;
}

void Receiver::reject(const Http::Responder &responder, int status, const QString &endpoint, const QString &message,
                      const QString &peer)
{
    responder.answer(refusal(Refusal{status, endpoint, message, nullptr}, peer));
    Q_EMIT answered(status, endpoint);
}

void Receiver::handle(const Http::Request &request, const Http::Responder &responder)
{
    ++m_stats.requests;
    // The head check (screen()) let it through before its body was read: a
    // form POST. The Open API's alarm push is known by its shape, at any path.
    std::optional<Endpoint> endpoint = endpointForPath(request.path);
    const EnvelopeResult<PushEnvelope> form = decodeForm(request.body);
    if (form && form.value().isOpenApiPush())
        endpoint = Endpoint::Alarm;
    if (!endpoint) {
        ++m_stats.notFound;
        return reject(responder, 404, {}, QStringLiteral("no push endpoint at %1").arg(request.path.left(200)),
                      request.peer);
    }
    const QString name = endpointName(*endpoint);
    if (!form) {
        ++m_stats.malformed;
        return reject(responder, form.error().httpStatus, name, form.error().message, request.peer);
    }
    const PushEnvelope &envelope = form.value();
    // The token travels in the form (reference §10); the official alarm push
    // has none, so its URL may carry it as ?token= instead.
    const QByteArray token = envelope.token.isEmpty()
        ? request.urlQuery().queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8()
        : envelope.token;
    if (!Bytes::equalsConstantTime(token, m_config.token)) {
        ++m_stats.unauthorized;
        return reject(responder, 401, name,
                      token.isEmpty() ? QStringLiteral("the token is missing") : QStringLiteral("the token is wrong"),
                      request.peer);
    }
    QString why;
    if (!writerCanTake(&why)) {
        ++m_stats.unavailable;
        return reject(responder, 503, name, why, request.peer);
    }

    const QDateTime received = m_clock->nowUtc();
    const EnvelopeResult<PushItems> items = splitItems(*endpoint, envelope, m_config.maxItems);
    if (!items) {
        // Authenticated, so the content is the cloud's and is kept for review.
        ++m_stats.malformed;
        ++m_stats.quarantinedItems;
        IngestBatch batch;
        batch.quarantine.append(PushQuarantineRecord{name, received, -1, items.error().message, envelope.payload});
        const int status = items.error().httpStatus;
        const QString message = items.error().message + QStringLiteral(" (the request was kept for review)");
        const QString peer = request.peer;
        QPointer<Receiver> self(this);
        const bool queued = m_writer->write(
            std::move(batch),
            [self, responder, status, name, message, peer](bool) {
                if (self)
                    self->reject(responder, status, name, message, peer);
            },
            true);
        if (!queued)
            reject(responder, 503, name, QStringLiteral("the database is closed; try again later"), request.peer);
        return;
    }

    ParsedPush parsed = parsePush(*endpoint, envelope, items.value(), received);
    // Compressed: a JSON list of 50 items shrinks to about a fifth, and the
    // inbox row is written and removed again for every request.
    InboxRecord record{m_inbox->nextId(), name,        received, envelope.msgType, qCompress(envelope.payload, 1),
                       parsed.itemCount,  request.peer};
    IngestBatch quarantine;
    for (const PushItemError &e : std::as_const(parsed.rejected))
        quarantine.quarantine.append(PushQuarantineRecord{name, received, e.index, e.reason, e.json});
    accept(responder, *endpoint, std::move(record), std::move(quarantine), std::move(parsed), request.peer);
}

void Receiver::accept(const Http::Responder &responder, Endpoint endpoint, InboxRecord record, IngestBatch quarantine,
                      ParsedPush parsed, const QString &peer)
{
    const QString name = endpointName(endpoint);
    const qint64 inboxId = record.id;
    auto rows = std::make_shared<ParsedPush>(std::move(parsed));
    // The answer waits for everything that must be durable first: the raw
    // request in the inbox and, if some items could not be read, those in
    // push_quarantine (a rare second commit, in the database).
    struct Pending
    {
        int parts = 1;
        bool failed = false;
        bool answered = false;
    };
    auto state = std::make_shared<Pending>();
    state->parts += quarantine.quarantine.isEmpty() ? 0 : 1;
    auto answeredFlag = std::make_shared<bool>(false);
    QPointer<Receiver> self(this);

    const auto partDone = [self, responder, endpoint, name, rows, state, answeredFlag, peer, inboxId](bool committed) {
        if (!self)
            return;
        Receiver *r = self.data();
        state->failed = state->failed || !committed;
        if (--state->parts > 0)
            return;
        if (state->failed) {
            if (!*answeredFlag) {
                *answeredFlag = true;
                ++r->m_stats.unavailable;
                r->reject(responder, 503, name, QStringLiteral("the request could not be stored; try again later"),
                          peer);
            }
            return;
        }
        // Durable from here on: its items follow, and a restart would
        // finish them from the inbox.
        ++r->m_stats.inboxPending;
        const qint64 items = rows->itemCount - rows->rejected.size();
        r->noteItems(endpoint, items);
        r->m_stats.quarantinedItems += rows->rejected.size();
        if (!*answeredFlag) {
            *answeredFlag = true;
            if (rows->rejected.isEmpty()) {
                ++r->m_stats.accepted;
                r->m_stats.itemsAccepted += items;
                responder.answer(success());
                Q_EMIT r->answered(200, name);
            } else {
                ++r->m_stats.malformed;
                r->reject(responder, 422, name, rejectedSummary(*rows), peer);
            }
        }
        // Not urgent: the parsed rows join the next transaction that is
        // due, with those of other requests (bigger, fewer commits). Once
        // they are committed, the inbox lets go of the request.
        r->m_writer->write(std::move(rows->batch), [self, inboxId](bool done) {
            if (!self || !done)
                return;
            --self->m_stats.inboxPending;
            self->m_inbox->remove(inboxId);
        });
    };

    bool queued = m_inbox->append(std::move(record), partDone);
    if (queued && !quarantine.quarantine.isEmpty())
        queued = m_writer->write(std::move(quarantine), partDone, true);
    if (!queued) {
        if (!*answeredFlag) {
            *answeredFlag = true;
            ++m_stats.unavailable;
            reject(responder, 503, name, QStringLiteral("the request could not be stored; try again later"), peer);
        }
        return;
    }
    m_waiting.push_back(
        Waiting{m_clock->monotonicMs() + m_config.commitTimeoutMs, answeredFlag, responder, name, peer});
    if (!m_sweep.isActive())
        m_sweep.start();
}

void Receiver::sweepWaiting()
{
    // The cloud must not wait forever on a stuck database: what commits
    // later is still stored, and the cloud's retry finds it there. Deadlines
    // grow in queue order, so the front is always the first due.
    const qint64 now = m_clock->monotonicMs();
    while (!m_waiting.empty() && (*m_waiting.front().answered || m_waiting.front().deadlineMs <= now)) {
        const Waiting w = std::move(m_waiting.front());
        m_waiting.pop_front();
        if (*w.answered)
            continue;
        *w.answered = true;
        ++m_stats.unavailable;
        reject(w.responder, 503, w.endpoint, QStringLiteral("the database did not take the request in time; try again"),
               w.peer);
    }
    if (m_waiting.empty())
        m_sweep.stop();
}

void Receiver::noteItems(Endpoint endpoint, qint64 items)
{
    m_stats.itemsByEndpoint[endpointName(endpoint)] += items;
}

} // namespace Fleet::Push
