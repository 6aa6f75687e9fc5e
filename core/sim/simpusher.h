#pragma once

#include "push/pushendpoint.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace Fleet::Sim {

class SimFleet;
class SimPushFeed;
class SimServer;

struct SimPushConfig
{
    int tickMs = 1000; // how often the fleet is read
    int maxItemsPerRequest = 50; // data_list items per request (reference §10)
    int maxInFlight = 8; // requests outstanding at once
    int timeoutMs = 10000; // no answer by then: failed, retried
    bool everyEndpoint = true; // also the endpoints without fleet data behind them
    int maxQueuedRequests = 10000; // beyond this the oldest are dropped
    int maxWindowSecs = 120; // fleet time read per tick; more when behind, in later ticks
};

struct SimPushStats
{
    qint64 requestsSent = 0; // every attempt, retries included
    qint64 accepted = 0; // answered 2xx
    qint64 retries = 0; // attempts after a failure (non-2xx but 408/429/5xx, network, timeout)
    qint64 refused = 0; // answered 4xx other than 408/429: given up
    qint64 dropped = 0; // pushed out of a full queue, never sent or given up
    int inFlight = 0;
    int queued = 0; // waiting to be sent (or re-sent)
    QMap<QString, qint64> itemsAccepted; // by endpoint name
    QDateTime pushedUntil; // fleet time up to which the fleet has been read
};

// The cloud's side of the data push (reference §10): reads what the
// simulated fleet did in each tick's window of fleet time (SimPushFeed) and
// POSTs it, form-encoded (token + data_list), to <pushUrl>/<endpoint>.
//
// Delivery is what a webhook sender has to be: at most maxInFlight requests
// at once, the rest queued in order (bounded: the oldest go first); a
// failure (connection refused, timeout, 408, 429, 5xx) puts the request back
// at its place and pauses sending for 1 s, 2 s, 4 s ... at most 60 s, until
// an answer gets through; the receiver is idempotent, so a retry after a lost
// answer is harmless. Any other 4xx is final: counted as refused and logged
// once per endpoint and status. Pushing starts at the fleet time of start().
class SimPusher : public QObject
{
    Q_OBJECT
public:
    using FleetClock = std::function<QDateTime()>;

    SimPusher(const SimServer &server, const QUrl &pushUrl, const QByteArray &token, const SimPushConfig &config = {},
              QObject *parent = nullptr);
    // fleetNow: the fleet's "now" (it may run faster than real time).
    SimPusher(const SimFleet &fleet, FleetClock fleetNow, const QUrl &pushUrl, const QByteArray &token,
              const SimPushConfig &config = {}, QObject *parent = nullptr);
    ~SimPusher() override;

    // start() reads the fleet from its current time on; stop() stops reading
    // it. What is queued is still delivered after stop(); destroying the
    // pusher abandons it.
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // Nothing queued and nothing in flight.
    bool isIdle() const;

    SimPushStats stats() const;
    QUrl endpointUrl(Push::Endpoint endpoint) const;
    const SimPushConfig &config() const { return m_config; }

Q_SIGNALS:
    // A request of `items` items to `endpoint` (its name) was accepted.
    void delivered(const QString &endpoint, int items);

private:
    struct Request
    {
        qint64 seq = 0;
        Push::Endpoint endpoint;
        QByteArray body;
        int items = 0;
        qint64 sentInBurst = 0; // m_burst when it was sent
    };

    void tick();
    void enqueue(Push::Endpoint endpoint, const QByteArray &body, int items);
    void requeue(Request request);
    void pump();
    void send(Request request);
    void finished(QNetworkReply *reply);
    void fail(Request request, const QString &why);

    FleetClock m_fleetNow;
    QUrl m_pushUrl;
    QByteArray m_token;
    SimPushConfig m_config;
    std::unique_ptr<SimPushFeed> m_feed;
    std::unique_ptr<QNetworkAccessManager> m_nam;

    QDateTime m_cursor; // fleet time read up to (inclusive)
    bool m_running = false;
    QTimer m_tick; // single shot: the next tick comes sooner when behind
    QTimer m_resume; // ends a back-off pause
    std::deque<Request> m_queue; // by seq
    QHash<QNetworkReply *, Request> m_inFlight;
    qint64 m_nextSeq = 1;
    int m_backoffStep = 0; // 0: sending; n: the n-th pause in a row
    qint64 m_burst = 0; // counts pauses: failures of requests sent before a pause do not extend it
    SimPushStats m_stats;
    QSet<QString> m_refusalsLogged; // "endpoint status"
};

} // namespace Fleet::Sim
