#pragma once

#include "domain/accesstoken.h"
#include "apienvelope.h"
#include "apierror.h"
#include "apisigner.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <random>

class QNetworkAccessManager;
class QNetworkReply;

namespace Fleet {

class Clock;

enum class Region { HongKong, Europe, UnitedStates, Tracksolid };

// Base URLs from the reference (§1 "Regional Base URLs").
QUrl regionBaseUrl(Region region);
// "hk", "eu", "us", "ts" (case-insensitive).
std::optional<Region> regionFromName(const QString &name);

struct ApiAccount
{
    QUrl baseUrl; // …/route/rest
    QString appKey;
    QString appSecret;
    QString userId; // the account; also the default target
    QString passwordMd5; // lower-case hex MD5 of the password, never the password
    QUrl instructionUrl; // {InsAddress} for /api/device/sendInstruct; optional

    QString storageKey() const;
};

struct ApiClientOptions
{
    int tokenLifetimeSecs = 7200; // asked for; the cloud may grant less (the official sample: 60)
    // Refresh this long before expiry, but never more than a fifth of the
    // lifetime the cloud granted: a 60 s token is refreshed after 48 s.
    int refreshMarginSecs = 600;
    // The cloud answers 1006 to a faster token.get, and a strict one starts
    // its minute when it answers, refused answers included. So the next
    // token.get waits the interval from the last answer, plus a margin and
    // a random share of the jitter (workstations of one account spread out).
    int tokenGetIntervalSecs = 60;
    int tokenGetMarginMs = 2000;
    int tokenGetJitterMs = 3000;
    // A sign-in the cloud refused for the account's own settings (user or
    // password 1002, app key or signature 1001) is not repeated on its own
    // for this long, then twice as long, up to an hour: the same wrong
    // password every minute would only keep the account's minute busy for
    // a dispatcher fixing it. signIn() tries at once (within the interval).
    int refusedRetrySecs = 600;
    int maxConcurrent = 6; // requests in flight
    int maxConcurrentPerDevice = 3; // of which per-device calls (track.list, …)
    int maxAttempts = 4; // for 1006, -1 and network errors
    int backoffBaseMs = 2000;
    int backoffMaxMs = 120000;
    int defaultTimeoutMs = 30000;
    QHash<QString, int> methodTimeoutMs = {
        {QStringLiteral("jimi.device.track.list"), 300000},
        {QStringLiteral("jimi.device.track.mileage"), 120000},
        {QStringLiteral("jimi.device.alarm.list"), 120000},
        {QStringLiteral("jimi.open.platform.report.parking"), 120000},
    };
    QString userAgent = QStringLiteral("FleetDesk/0.1");
    quint32 jitterSeed = 0; // 0 = random
};

struct CallOptions
{
    int timeoutMs = 0; // 0 = the method's default
    bool idempotent = true; // safe to resend after a network error
    bool perDevice = false; // counts against maxConcurrentPerDevice
    bool instructionGateway = false; // Appendix A endpoint instead of /route/rest
};

// Speaks the signed Open API: signs and sends requests, owns the token
// lifecycle (get, refresh, persist, 60 s token.get limit, 1004 recovery),
// backs off on 1006/-1, limits concurrency and maps every failure to ApiError.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const Result<ApiEnvelope> &)>;

    ApiClient(const ApiAccount &account, TokenStore *tokenStore, Clock *clock, const ApiClientOptions &options = {},
              QObject *parent = nullptr);
    ~ApiClient() override;

    const ApiAccount &account() const { return m_account; }
    const ApiClientOptions &options() const { return m_options; }

    // Sends method with its private params. handler is called once, on this
    // client's thread, from its event loop (never from within call()), with
    // the answer or the error; not at all if context was given and has been
    // destroyed by then (context is a lifetime guard, not a thread to post
    // to: it must live on this client's thread).
    void call(const QString &method, const ApiParams &params, QObject *context, Handler handler,
              const CallOptions &options = {});

    // Cancels everything queued or in flight (handlers get Kind::Cancelled).
    void cancelAll();

    // Signs in now: a token.get with the account's credentials (force, or
    // when there is no usable token), paced like any other. Ends with
    // tokenChanged() or tokenFailed(); tokenGetDeferred() first when the
    // cloud's interval is not over yet. A "test connection" button.
    void signIn(bool force = true);
    // The refresh margin for a token of this lifetime (see refreshMarginSecs).
    int refreshMarginFor(const AccessToken &token) const;

    std::optional<AccessToken> token() const { return m_state.token; }

    struct Stats
    {
        int requestsSent = 0;
        int tokenGets = 0;
        int tokenRefreshes = 0;
        int retries = 0;
        int failures = 0;
    };
    const Stats &stats() const { return m_stats; }
    int inFlight() const { return m_inFlight; }
    int queued() const { return int(m_queue.size()); }

Q_SIGNALS:
    void tokenChanged();
    void tokenFailed(const Fleet::ApiError &error);
    // A token.get is held back by the cloud's interval until `at` (the
    // client's clock, UTC).
    void tokenGetDeferred(const QDateTime &at);
    void requestFinished(const QString &method, bool ok, qint64 elapsedMs);

private:
    struct Pending;
    using PendingPtr = std::shared_ptr<Pending>;

    void enqueue(const PendingPtr &p, bool front = false);
    void pump();
    bool canDispatch(const Pending &p) const;
    void send(const PendingPtr &p);
    void handleReply(const PendingPtr &p, QNetworkReply *reply, bool timedOut, qint64 startedMs);
    void finish(const PendingPtr &p, const Result<ApiEnvelope> &result);
    void retryLater(const PendingPtr &p, int delayMs);
    int backoffDelayMs(int attempt, int floorMs = 0);

    bool tokenUsable() const;
    void ensureToken();
    // force: signIn(), which does not wait out a refusal's back-off.
    void requestNewToken(bool force = false);
    void sendTokenGet();
    void sendTokenRefresh();
    void postTokenRequest(const QString &method, const ApiParams &params,
                          const std::function<void(QNetworkReply *, const Result<ApiEnvelope> &)> &done);
    void tokenRequestDone(bool refresh, const Result<ApiEnvelope> &result);
    void failTokenWaiters(const ApiError &error);
    void persist();

    QNetworkReply *post(const QUrl &url, const ApiParams &params, int timeoutMs, bool resendable);
    ApiParams signedParams(const QString &method, const ApiParams &privateParams, bool withToken) const;

    ApiAccount m_account;
    TokenStore *m_tokenStore;
    Clock *m_clock;
    ApiClientOptions m_options;
    QNetworkAccessManager *m_nam;

    TokenState m_state;
    bool m_tokenRejected = false; // the cloud said 1004 for the current token
    bool m_tokenBusy = false;
    bool m_refreshFailed = false;
    int m_tokenGetAttempt = 0;
    QTimer *m_tokenGetTimer = nullptr; // a deferred token.get
    int m_refusals = 0; // account refusals in a row
    QDateTime m_refusedUntil; // no token.get of its own before then

    std::deque<PendingPtr> m_queue;
    QList<PendingPtr> m_active;
    int m_inFlight = 0;
    int m_inFlightPerDevice = 0;
    Stats m_stats;
    std::mt19937 m_rng;
};

} // namespace Fleet
