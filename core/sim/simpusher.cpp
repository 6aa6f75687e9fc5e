#include "simpusher.h"

#include "sim/simpushfeed.h"
#include "sim/simserver.h"
#include "util/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace Fleet::Sim {

namespace {

constexpr int kFirstBackoffMs = 1000;
constexpr int kMaxBackoffMs = 60000;
// Drops are logged at the first and then every this many.
constexpr qint64 kDropLogEvery = 1000;

} // namespace

SimPusher::SimPusher(const SimServer &server, const QUrl &pushUrl, const QByteArray &token, const SimPushConfig &config,
                     QObject *parent)
    : SimPusher(
        server.fleet(), [&server] { return server.fleetNow(); }, pushUrl, token, config, parent)
{ }

SimPusher::SimPusher(const SimFleet &fleet, FleetClock fleetNow, const QUrl &pushUrl, const QByteArray &token,
                     const SimPushConfig &config, QObject *parent)
    : QObject(parent)
    , m_fleetNow(std::move(fleetNow))
    , m_pushUrl(pushUrl)
    , m_token(token)
    , m_config(config)
    , m_feed(std::make_unique<SimPushFeed>(fleet, config.everyEndpoint))
    , m_nam(std::make_unique<QNetworkAccessManager>())
{
    m_config.tickMs = std::max(1, m_config.tickMs);
    m_config.maxItemsPerRequest = std::max(1, m_config.maxItemsPerRequest);
    m_config.maxInFlight = std::max(1, m_config.maxInFlight);
    m_config.timeoutMs = std::max(0, m_config.timeoutMs);
    m_config.maxQueuedRequests = std::max(1, m_config.maxQueuedRequests);
    m_config.maxWindowSecs = std::max(1, m_config.maxWindowSecs);
    m_tick.setSingleShot(true);
    connect(&m_tick, &QTimer::timeout, this, &SimPusher::tick);
    m_resume.setSingleShot(true);
    connect(&m_resume, &QTimer::timeout, this, &SimPusher::pump);
}

SimPusher::~SimPusher()
{
    // Abandon what is in flight without its finished() reaching a
    // half-destroyed pusher.
    const QList<QNetworkReply *> replies = m_inFlight.keys();
    m_inFlight.clear();
    for (QNetworkReply *reply : replies) {
        reply->disconnect(this);
        reply->abort();
        delete reply;
    }
}

void SimPusher::start()
{
    if (m_running)
        return;
    m_running = true;
    m_cursor = m_fleetNow();
    qCInfo(lcSim).noquote() << QStringLiteral("pushing fleet data to %1 from fleet time %2")
                                   .arg(m_pushUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery),
                                        m_cursor.toString(Qt::ISODate));
    m_tick.start(m_config.tickMs);
}

void SimPusher::stop()
{
    m_running = false;
    m_tick.stop();
}

bool SimPusher::isIdle() const
{
    return m_queue.empty() && m_inFlight.isEmpty();
}

SimPushStats SimPusher::stats() const
{
    SimPushStats s = m_stats;
    s.inFlight = int(m_inFlight.size());
    s.queued = int(m_queue.size());
    s.pushedUntil = m_cursor;
    return s;
}

QUrl SimPusher::endpointUrl(Push::Endpoint endpoint) const
{
    QUrl url = m_pushUrl;
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + QString(Push::endpointName(endpoint)));
    return url;
}

void SimPusher::tick()
{
    if (!m_running)
        return;
    const QDateTime now = m_fleetNow();
    if (now > m_cursor) {
        // A bounded window per tick: a fast fleet (or a stalled event loop)
        // is caught up over several ticks instead of in one long one.
        const QDateTime end = std::min(now, m_cursor.addSecs(m_config.maxWindowSecs));
        const QList<SimPushBatch> batches = m_feed->collect(m_cursor, end);
        m_cursor = end;
        for (const SimPushBatch &batch : batches) {
            for (qsizetype first = 0; first < batch.items.size(); first += m_config.maxItemsPerRequest) {
                const qsizetype count = std::min<qsizetype>(m_config.maxItemsPerRequest, batch.items.size() - first);
                QJsonArray list;
                for (qsizetype k = first; k < first + count; ++k)
                    list.append(batch.items.at(k));
                QByteArray body = "token=" + QUrl::toPercentEncoding(QString::fromUtf8(m_token));
                // Offline command answers (msgType 2, reference §10.16).
                if (batch.endpoint == Push::Endpoint::InstructResponse)
                    body += "&msgType=2";
                body += "&data_list="
                    + QUrl::toPercentEncoding(QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact)));
                enqueue(batch.endpoint, body, int(count));
            }
        }
        pump();
    }
    m_tick.start(m_cursor < now ? 0 : m_config.tickMs);
}

void SimPusher::enqueue(Push::Endpoint endpoint, const QByteArray &body, int items)
{
    Request request;
    request.seq = m_nextSeq++;
    request.endpoint = endpoint;
    request.body = body;
    request.items = items;
    m_queue.push_back(std::move(request));
    while (qsizetype(m_queue.size()) > m_config.maxQueuedRequests) {
        m_queue.pop_front();
        if (++m_stats.dropped % kDropLogEvery == 1) {
            qCWarning(lcSim).noquote() << QStringLiteral(
                                              "push queue full (%1 requests): dropped the oldest (%2 so far)")
                                              .arg(m_config.maxQueuedRequests)
                                              .arg(m_stats.dropped);
        }
    }
}

void SimPusher::requeue(Request request)
{
    // Back at its place, so that a device's data still goes out in order.
    const auto at = std::upper_bound(m_queue.begin(), m_queue.end(), request.seq,
                                     [](qint64 seq, const Request &r) { return seq < r.seq; });
    m_queue.insert(at, std::move(request));
}

void SimPusher::pump()
{
    while (!m_resume.isActive() && !m_queue.empty() && m_inFlight.size() < m_config.maxInFlight) {
        Request request = std::move(m_queue.front());
        m_queue.pop_front();
        send(std::move(request));
    }
}

void SimPusher::send(Request request)
{
    QNetworkRequest r(endpointUrl(request.endpoint));
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    r.setTransferTimeout(m_config.timeoutMs);
    QNetworkReply *reply = m_nam->post(r, request.body);
    request.sentInBurst = m_burst;
    m_inFlight.insert(reply, request);
    ++m_stats.requestsSent;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finished(reply); });
}

void SimPusher::finished(QNetworkReply *reply)
{
    const auto it = m_inFlight.find(reply);
    if (it == m_inFlight.end())
        return;
    Request request = std::move(*it);
    m_inFlight.erase(it);
    reply->deleteLater();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString name = Push::endpointName(request.endpoint);
    if (status >= 200 && status < 300) {
        ++m_stats.accepted;
        m_stats.itemsAccepted[name] += request.items;
        m_backoffStep = 0;
        Q_EMIT delivered(name, request.items);
    } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
        // The receiver will not take it however often it comes: give up.
        ++m_stats.refused;
        const QString key = QStringLiteral("%1 %2").arg(name).arg(status);
        if (!m_refusalsLogged.contains(key)) {
            m_refusalsLogged.insert(key);
            qCWarning(lcSim).noquote() << QStringLiteral("push to /%1 refused with %2, not retried: %3")
                                              .arg(name)
                                              .arg(status)
                                              .arg(QString::fromUtf8(reply->readAll().left(300)));
        }
    } else {
        fail(std::move(request), status != 0 ? QStringLiteral("HTTP %1").arg(status) : reply->errorString());
    }
    pump();
}

void SimPusher::fail(Request request, const QString &why)
{
    ++m_stats.retries;
    // Requests sent before the current pause began fail for the same
    // reason: they wait with the rest instead of lengthening the pause.
    const bool fresh = request.sentInBurst == m_burst;
    const QString name = Push::endpointName(request.endpoint);
    requeue(std::move(request));
    if (!fresh)
        return;
    ++m_burst;
    ++m_backoffStep;
    const int delayMs = std::min(kMaxBackoffMs, kFirstBackoffMs << std::min(m_backoffStep - 1, 6));
    qCWarning(lcSim).noquote()
        << QStringLiteral("push to /%1 failed (%2): retrying in %3 s").arg(name, why).arg(delayMs / 1000);
    m_resume.start(delayMs);
}

} // namespace Fleet::Sim
