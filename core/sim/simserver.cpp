#include "simserver.h"

#include "api/apisigner.h"
#include "util/apitime.h"
#include "sim/faultinjector.h"
#include "sim/simauth.h"
#include "sim/simfleet.h"
#include "net/httpserver.h"
#include "sim/simopenapi.h"
#include "sim/simstate.h"
#include "sim/simstreamserver.h"
#include "sim/simtruth.h"
#include "util/clock.h"
#include "util/logging.h"
#include "util/utc.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>
#include <QTimeZone>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

namespace Fleet::Sim {

namespace {

const QByteArray kJsonType = QByteArrayLiteral("application/json;charset=UTF-8");

QDateTime floorToSecond(qint64 msecs)
{
    qint64 secs = msecs / 1000;
    if (msecs % 1000 < 0)
        --secs;
    return Utc::fromSecs(secs);
}

// The longest /sim/truth query.
constexpr qint64 kTruthMaxSecs = 31 * 86400;

// Times on /sim/truth: the API format or ISO 8601.
QDateTime parseAnyTime(const QString &text)
{
    return ApiTime::parse(text);
}

} // namespace

SimServer::SimServer(const SimServerConfig &config, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clock(clock ? clock : Clock::system())
{
    if (!std::isfinite(m_config.speedup) || !(m_config.speedup > 0.0))
        m_config.speedup = 1.0;
    const QDateTime realStart = m_config.realStart.isValid() ? m_config.realStart.toUTC() : m_clock->nowUtc();
    const QDateTime fleetStart = floorToSecond(
        (m_config.fleetStart.isValid() ? m_config.fleetStart : realStart).toMSecsSinceEpoch());
    m_config.realStart = realStart;
    m_config.fleetStart = fleetStart;
    m_fleetClock = std::make_unique<ScaledClock>(m_clock, realStart, fleetStart, m_config.speedup);

    // History must reach back well beyond the API's one-month alarm and
    // three-month track windows' practical use: 60 days by default.
    QDateTime epoch = m_config.fleetEpoch.isValid() ? m_config.fleetEpoch.toUTC()
                                                    : Utc::dateTime(fleetStart.date(), QTime(0, 0)).addDays(-60);
    if (epoch.daysTo(fleetStart) < 40)
        qCWarning(lcSim) << "fleet epoch is less than 40 days before the fleet start:" << epoch;
    if (epoch.daysTo(fleetStart) > SimFleet::kHorizonDays)
        qCWarning(lcSim) << "the fleet start is past the fleet's horizon of" << SimFleet::kHorizonDays
                         << "days after its epoch: nothing will move";
    m_config.fleetEpoch = epoch;

    SimFleetConfig fleetConfig = m_config.fleet;
    fleetConfig.vehicles = m_config.vehicles;
    fleetConfig.seed = m_config.seed;
    fleetConfig.account = m_config.userId;
    fleetConfig.epoch = epoch;
    m_config.fleet = fleetConfig;

    m_fleet = std::make_unique<SimFleet>(fleetConfig);
    m_state = std::make_unique<SimState>(*m_fleet, m_config.seed);
    m_auth = std::make_unique<SimAuth>(m_config.appKey, m_config.appSecret, m_config.userId, m_config.password,
                                       m_config.tokenGetIntervalSecs, m_clock);
    m_auth->setRevokeOnIssue(m_config.revokeTokensOnIssue);
    m_auth->setStrictTokenLimit(m_config.strictTokenLimit);
    m_auth->setGrantedLifetime(m_config.tokenLifetimeSecs);
    m_faults = std::make_unique<FaultInjector>(m_config.faults);

    SimContext ctx;
    ctx.config = &m_config;
    ctx.fleet = m_fleet.get();
    ctx.state = m_state.get();
    ctx.clock = m_clock;
    ctx.hostPort = [this] { return hostPort(); };
    ctx.streamHostPort = [this] { return m_streams->hostPort(); };
    m_api = std::make_unique<SimOpenApi>(ctx, m_auth.get(), m_faults.get(), [this] { return fleetNow(); });
    m_streams = std::make_unique<SimStreamServer>(
        [this](const QString &secret, SimStreamGrant *grant) { return m_state->streamGranted(secret, grant); });
    m_streams->setGopCache(m_config.videoGopCache);
    m_http = std::make_unique<Http::Server>([this](const Http::Request &request,
                                                   const Http::Responder &responder) { respond(request, responder); },
                                            m_config.http);
}

SimServer::~SimServer() = default;

quint16 SimServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_http->isListening())
        m_http->close();
    if (!m_http->listen(address, port)) {
        qCWarning(lcSim) << "cannot listen on" << address << port;
        return 0;
    }
    // The media server: a port of its own beside the API's.
    if (m_streams->listen(address, 0) == 0) {
        qCWarning(lcSim) << "cannot listen for video on" << address;
        m_http->close();
        return 0;
    }
    if (!address.isLoopback()) {
        qCWarning(lcSim) << "listening on" << address
                         << "beyond loopback: /sim/* needs no authentication and can change faults";
    }
    return m_http->serverPort();
}

quint16 SimServer::serverPort() const
{
    return m_http->isListening() ? m_http->serverPort() : 0;
}

QString SimServer::hostPort() const
{
    if (!m_http->isListening())
        return QStringLiteral("127.0.0.1:0");
    return m_http->url().authority();
}

QUrl SimServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://") + hostPort() + QStringLiteral("/route/rest"));
}

QUrl SimServer::instructionUrl() const
{
    return QUrl(QStringLiteral("http://") + hostPort());
}

ApiAccount SimServer::account() const
{
    ApiAccount a;
    a.baseUrl = baseUrl();
    a.instructionUrl = instructionUrl();
    a.appKey = m_config.appKey;
    a.appSecret = m_config.appSecret;
    a.userId = m_config.userId;
    a.passwordMd5 = passwordMd5();
    return a;
}

QString SimServer::passwordMd5() const
{
    return m_auth->passwordMd5();
}

QDateTime SimServer::toFleetTime(const QDateTime &realUtc) const
{
    return floorToSecond(m_fleetClock->map(realUtc).toMSecsSinceEpoch());
}

QDateTime SimServer::fleetNow() const
{
    return toFleetTime(m_clock->nowUtc());
}

SimFaultConfig SimServer::faults() const
{
    return m_faults->config();
}

void SimServer::setFaults(const SimFaultConfig &faults)
{
    m_faults->setConfig(faults);
}

void SimServer::setLatency(int ms, int jitterMs)
{
    SimFaultConfig f = m_faults->config();
    f.latencyMs = qMax(0, ms);
    f.latencyJitterMs = qMax(0, jitterMs);
    m_faults->setConfig(f);
}

void SimServer::setDropRate(double rate)
{
    SimFaultConfig f = m_faults->config();
    f.dropRate = std::isfinite(rate) ? qBound(0.0, rate, 1.0) : 0.0;
    m_faults->setConfig(f);
}

void SimServer::setErrorRate(double rate, int code)
{
    SimFaultConfig f = m_faults->config();
    f.errorRate = std::isfinite(rate) ? qBound(0.0, rate, 1.0) : 0.0;
    f.errorCode = code;
    m_faults->setConfig(f);
}

void SimServer::failNext(int count, int code, const QString &method)
{
    m_faults->failNext(count, code, method);
}

void SimServer::dropStreams()
{
    m_streams->dropAll();
}

void SimServer::revokeTokens()
{
    m_auth->revokeAll();
}

int SimServer::requestCount(const QString &method) const
{
    return method.isEmpty() ? m_requests : m_requestsByMethod.value(method);
}

int SimServer::codeCount(int code) const
{
    return m_codes.value(code);
}

int SimServer::tokensIssued() const
{
    return m_auth->tokensIssued();
}

int SimServer::droppedConnections() const
{
    return m_faults->drops();
}

int SimServer::openConnections() const
{
    return m_http->connectionCount();
}

QString SimServer::countedMethod(const QString &method) const
{
    // Never keyed by what a client made up: the map stays as small as the API.
    if (method.isEmpty())
        return QStringLiteral("(none)");
    return m_api->knowsMethod(method) ? method : QStringLiteral("(unknown)");
}

void SimServer::count(const QString &method, int code)
{
    ++m_requests;
    ++m_requestsByMethod[method];
    ++m_codes[code];
    qCDebug(lcSim) << "answered" << method << "code" << code;
    Q_EMIT requestHandled(method, code);
}

SimServer::Response SimServer::json(const QJsonObject &body, int status)
{
    Response r;
    r.status = status;
    r.contentType = kJsonType;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

SimServer::Answer SimServer::drop(const QString &path)
{
    qCDebug(lcSim) << "dropping connection for" << path;
    Q_EMIT connectionDropped(path);
    return Answer{{}, 0, true};
}

void SimServer::respond(const Http::Request &request, const Http::Responder &responder)
{
    const Answer answer = handle(request);
    if (answer.drop) {
        responder.drop();
    } else if (answer.delayMs > 0) {
        const Response response = answer.response;
        QTimer::singleShot(answer.delayMs, responder.context(), [responder, response] { responder.answer(response); });
    } else {
        responder.answer(answer.response);
    }
}

SimServer::Answer SimServer::handle(const Http::Request &request)
{
    const QString &path = request.path;
    const bool isGet = request.method == "GET" || request.method == "HEAD";
    const bool isPost = request.method == "POST";
    const auto notAllowed = [&path](const QByteArray &allow) {
        Response r = json(QJsonObject{{QStringLiteral("code"), 405},
                                      {QStringLiteral("message"),
                                       QStringLiteral("Method not allowed on %1").arg(path)}},
                          405);
        r.headers.append({QByteArrayLiteral("Allow"), allow});
        return Answer::reply(r);
    };

    if (path == QLatin1String("/route/rest"))
        return handleJimi(request, false);
    if (path == QLatin1String("/api/device/sendInstruct") && m_config.instructionGateway)
        return handleJimi(request, true);
    if (path == QLatin1String("/sim/state"))
        return isGet ? Answer::reply(simState()) : notAllowed("GET, HEAD");
    if (path == QLatin1String("/sim/truth"))
        return isGet ? Answer::reply(simTruth(request)) : notAllowed("GET, HEAD");
    if (path == QLatin1String("/sim/faults"))
        return isGet || isPost ? Answer::reply(simFaults(request)) : notAllowed("GET, HEAD, POST");

    if (path == QLatin1String("/normal/get"))
        return isGet ? Answer::reply(mediaFile(request)) : notAllowed("GET, HEAD");

    if (isGet && path.startsWith(QLatin1String("/video/"))) {
        const QByteArray imei = path.mid(7).toHtmlEscaped().toUtf8();
        Response r;
        r.contentType = QByteArrayLiteral("text/html;charset=UTF-8");
        r.body = "<!DOCTYPE html><html><head><title>fleetdesk-sim camera " + imei
            + "</title></head><body><p>Simulated camera page for device " + imei + ".</p></body></html>";
        return Answer::reply(r);
    }
    return Answer::reply(json(QJsonObject{{QStringLiteral("code"), 404},
                                          {QStringLiteral("message"), QStringLiteral("Not found: %1").arg(path)}},
                              404));
}

SimServer::Answer SimServer::handleJimi(const Http::Request &request, bool gateway)
{
    const bool dropThis = m_faults->shouldDrop();
    if (dropThis && !m_faults->config().dropAfterProcessing)
        return drop(request.path);
    const bool isPost = request.method == "POST";
    Response response;
    if (gateway) {
        const SimOpenApi::GatewayOutcome out = m_api->handleGateway(isPost, request.body);
        count(QStringLiteral("sendInstruct"), out.code);
        response = json(out.body);
    } else {
        const SimOpenApi::Outcome out = m_api->handle(isPost, request.body, request.query);
        count(countedMethod(out.method), out.reply.code);
        response = json(out.reply.toJson());
    }
    if (dropThis) {
        // The request took effect; only the answer is lost.
        return drop(request.path);
    }
    return Answer::reply(response, m_faults->delayMs());
}

// The cloud's file store: the photo, thumbnail or clip behind a file key the
// simulator handed out (an event file of an alarm a dashcam raised, or a
// capture), the same few bytes for every key (scripts/make-sim-media.sh).
// Any other key is 404, as a made-up link would be.
SimServer::Response SimServer::mediaFile(const Http::Request &request) const
{
    const QUrlQuery query = request.urlQuery();
    const QString key = query.queryItemValue(QStringLiteral("fileKey"), QUrl::FullyDecoded);
    const bool thumb = query.queryItemValue(QStringLiteral("thumb")) == QLatin1String("1");
    bool issued = false;
    static const QRegularExpression eventKey(
        QStringLiteral("^(\\d{15})_EVENT_(\\d{4}_\\d\\d_\\d\\d_\\d\\d_\\d\\d_\\d\\d)_(\\w+)_1\\.(jpg|mp4)$"));
    if (const QRegularExpressionMatch m = eventKey.match(key); m.hasMatch()) {
        const int index = m_fleet->indexOf(m.captured(1));
        QDateTime at = QDateTime::fromString(m.captured(2), QStringLiteral("yyyy_MM_dd_HH_mm_ss"));
        at.setTimeZone(QTimeZone::utc());
        if (index >= 0 && m_fleet->device(index).dashcam && at.isValid() && at <= fleetNow()) {
            const QList<SimAlarm> alarms = m_fleet->alarms(index, at, at);
            // The photo and the clip share the alarm's name, not its extension.
            const QString stem = key.section(QLatin1Char('.'), 0, -2);
            issued = std::any_of(alarms.cbegin(), alarms.cend(), [&stem](const SimAlarm &a) {
                return a.mediaFile.section(QLatin1Char('.'), 0, -2) == stem;
            });
        }
    } else {
        issued = std::any_of(m_state->media.cbegin(), m_state->media.cend(),
                             [&key](const SimMediaFile &f) { return f.fileKey == key; });
    }
    if (!issued) {
        return json(QJsonObject{{QStringLiteral("code"), 404},
                                {QStringLiteral("message"), QStringLiteral("No such file: %1").arg(key)}},
                    404);
    }
    const bool video = key.endsWith(QLatin1String(".mp4"));
    const QString resource = thumb ? QStringLiteral(":/simmedia/thumb.jpg")
        : video                    ? QStringLiteral(":/simmedia/clip.mp4")
                                   : QStringLiteral(":/simmedia/photo.jpg");
    QFile file(resource);
    Response r;
    if (!file.open(QIODevice::ReadOnly)) {
        return json(QJsonObject{{QStringLiteral("code"), 500},
                                {QStringLiteral("message"), QStringLiteral("The simulator's media are missing")}},
                    500);
    }
    r.contentType = thumb || !video ? QByteArrayLiteral("image/jpeg") : QByteArrayLiteral("video/mp4");
    r.body = file.readAll();
    return r;
}

SimServer::Response SimServer::simState() const
{
    return json(stateJson());
}

QJsonObject SimServer::stateJson() const
{
    const SimFaultConfig f = m_faults->config();
    QJsonArray devices;
    for (int i = 0; i < m_fleet->size(); ++i) {
        QJsonObject d = SimTruth::deviceFacts(*m_fleet, i);
        d.insert(QStringLiteral("account"), m_state->devices.at(i).account);
        devices.append(d);
    }
    QJsonObject byMethod;
    for (auto it = m_requestsByMethod.cbegin(); it != m_requestsByMethod.cend(); ++it)
        byMethod.insert(it.key(), it.value());
    QJsonObject byCode;
    for (auto it = m_codes.cbegin(); it != m_codes.cend(); ++it)
        byCode.insert(QString::number(it.key()), it.value());
    return QJsonObject{
        {QStringLiteral("serverTime"), m_clock->nowUtc().toUTC().toString(Qt::ISODate)},
        {QStringLiteral("fleetTime"), fleetNow().toUTC().toString(Qt::ISODate)},
        {QStringLiteral("fleetStart"), fleetStart().toString(Qt::ISODate)},
        {QStringLiteral("fleetEpoch"), m_config.fleetEpoch.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("fleetHorizon"), m_fleet->horizon().toUTC().toString(Qt::ISODate)},
        {QStringLiteral("speedup"), m_config.speedup},
        {QStringLiteral("account"), m_config.userId},
        {QStringLiteral("deviceCount"), m_fleet->size()},
        {QStringLiteral("requests"), m_requests},
        {QStringLiteral("requestsByMethod"), byMethod},
        {QStringLiteral("codes"), byCode},
        {QStringLiteral("tokensIssued"), m_auth->tokensIssued()},
        {QStringLiteral("tokenRefreshes"), m_auth->refreshes()},
        {QStringLiteral("activeTokens"), m_auth->activeTokens()},
        {QStringLiteral("droppedConnections"), m_faults->drops()},
        {QStringLiteral("openConnections"), m_http->connectionCount()},
        {QStringLiteral("injectedErrors"), m_faults->injectedErrors()},
        {QStringLiteral("commandsSent"), m_state->commandsSent},
        {QStringLiteral("openStreams"), m_state->openStreams.size()},
        {QStringLiteral("streamsPlaying"), m_streams->activeStreams()},
        {QStringLiteral("streamsServed"), m_streams->streamsServed()},
        {QStringLiteral("faults"),
         QJsonObject{
             {QStringLiteral("latencyMs"), f.latencyMs},
             {QStringLiteral("latencyJitterMs"), f.latencyJitterMs},
             {QStringLiteral("dropRate"), f.dropRate},
             {QStringLiteral("dropAfterProcessing"), f.dropAfterProcessing},
             {QStringLiteral("errorRate"), f.errorRate},
             {QStringLiteral("errorCode"), f.errorCode},
             {QStringLiteral("errorMessage"), f.errorMessage},
             {QStringLiteral("seed"), QString::number(f.seed)},
             {QStringLiteral("failNextPending"), m_faults->pendingFailures()},
         }},
        {QStringLiteral("devices"), devices},
    };
}

SimServer::Response SimServer::simTruth(const Http::Request &request) const
{
    const QUrlQuery query = request.urlQuery();
    const auto bad = [](const QString &message) { return json(QJsonObject{{QStringLiteral("error"), message}}, 400); };
    // The fleet has no history outside [epoch, now]: a range is clipped to
    // it, so no request makes SimFleet compute a far future or a far past.
    const QDateTime now = fleetNow();
    const QDateTime epoch = m_config.fleetEpoch;
    QDateTime to = now;
    if (query.hasQueryItem(QStringLiteral("to"))) {
        to = parseAnyTime(query.queryItemValue(QStringLiteral("to"), QUrl::FullyDecoded));
        if (!to.isValid())
            return bad(QStringLiteral("to: unreadable time"));
        to = qMin(to, now);
    }
    QDateTime from = to.addDays(-1);
    if (query.hasQueryItem(QStringLiteral("from"))) {
        from = parseAnyTime(query.queryItemValue(QStringLiteral("from"), QUrl::FullyDecoded));
        if (!from.isValid())
            return bad(QStringLiteral("from: unreadable time"));
    }
    from = qMax(from, epoch);
    if (from > to) {
        return bad(QStringLiteral("from is after to, once both are clipped to the fleet's history (%1 .. %2)")
                       .arg(epoch.toString(Qt::ISODate), now.toString(Qt::ISODate)));
    }
    if (from.secsTo(to) > kTruthMaxSecs)
        return bad(QStringLiteral("at most 31 days per query"));

    const QString imei = query.queryItemValue(QStringLiteral("imei"), QUrl::FullyDecoded);
    if (imei.isEmpty()) {
        QJsonArray devices;
        for (int i = 0; i < m_fleet->size(); ++i)
            devices.append(SimTruth::deviceFacts(*m_fleet, i));
        return json(QJsonObject{{QStringLiteral("fleetTime"), now.toUTC().toString(Qt::ISODate)},
                                {QStringLiteral("devices"), devices}});
    }
    const int index = m_fleet->indexOf(imei);
    if (index < 0)
        return json(QJsonObject{{QStringLiteral("error"), QStringLiteral("unknown imei")}}, 404);
    QStringList parts;
    const QString partsText = query.queryItemValue(QStringLiteral("parts"), QUrl::FullyDecoded);
    if (!partsText.isEmpty())
        parts = partsText.split(QLatin1Char(','), Qt::SkipEmptyParts);
    QJsonObject o = SimTruth::deviceHistory(*m_fleet, index, from, to, parts);
    o.insert(QStringLiteral("fleetTime"), now.toUTC().toString(Qt::ISODate));
    return json(o);
}

SimServer::Response SimServer::simFaults(const Http::Request &request)
{
    const auto current = [this] { return json(stateJson().value(QStringLiteral("faults")).toObject()); };
    if (request.method != "POST")
        return current();
    const auto bad = [](const QString &message) { return json(QJsonObject{{QStringLiteral("error"), message}}, 400); };
    QString error;
    const std::optional<ApiParams> params = FormCodec::decode(request.body, &error);
    if (!params)
        return bad(error);

    SimFaultConfig f = m_faults->config();
    // NaN passes no range check and inf none that matters: both are refused
    // before any conversion to an integer.
    const auto number = [&params](const char *key, double min, double max, double *out) {
        const QString text = params->value(QLatin1String(key)).trimmed();
        if (text.isEmpty())
            return true;
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < min || v > max)
            return false;
        *out = v;
        return true;
    };
    double latency = f.latencyMs;
    double jitter = f.latencyJitterMs;
    double dropRate = f.dropRate;
    double errorRate = f.errorRate;
    double errorCode = f.errorCode;
    double seed = double(f.seed);
    double failCount = 0;
    double failCode = -1;
    if (!number("latency_ms", 0, 600000, &latency) || !number("jitter_ms", 0, 600000, &jitter)
        || !number("drop_rate", 0, 1, &dropRate) || !number("error_rate", 0, 1, &errorRate)
        || !number("error_code", -1e9, 1e9, &errorCode) || !number("seed", 0, 9e15, &seed)
        || !number("fail_next", 0, 1e6, &failCount) || !number("fail_next_code", -1e9, 1e9, &failCode)) {
        return bad(QStringLiteral("a value is out of range or not a number"));
    }
    bool dropAfter = f.dropAfterProcessing;
    if (params->contains(QStringLiteral("drop_after_processing"))) {
        const QString v = params->value(QStringLiteral("drop_after_processing")).trimmed().toLower();
        if (v == QLatin1String("1") || v == QLatin1String("true"))
            dropAfter = true;
        else if (v == QLatin1String("0") || v == QLatin1String("false"))
            dropAfter = false;
        else
            return bad(QStringLiteral("drop_after_processing must be 0, 1, true or false"));
    }
    f.latencyMs = int(latency);
    f.latencyJitterMs = int(jitter);
    f.dropRate = dropRate;
    f.dropAfterProcessing = dropAfter;
    f.errorRate = errorRate;
    f.errorCode = int(errorCode);
    f.seed = quint64(seed);
    if (params->contains(QStringLiteral("error_message")))
        f.errorMessage = params->value(QStringLiteral("error_message")).left(1024);
    m_faults->setConfig(f);
    if (params->contains(QStringLiteral("fail_next"))) {
        m_faults->failNext(int(failCount), int(failCode), params->value(QStringLiteral("fail_next_method")).left(256));
    }
    if (params->value(QStringLiteral("drop_streams")) == QLatin1String("1"))
        dropStreams();
    if (params->value(QStringLiteral("revoke_tokens")) == QLatin1String("1"))
        m_auth->revokeAll();
    return current();
}

bool SimServer::raiseAlarm(const QString &imei, const QString &typeId)
{
    return m_fleet->raiseAlarm(m_fleet->indexOf(imei), typeId, fleetNow().addSecs(1));
}

} // namespace Fleet::Sim
