#include "simtrackingapi.h"

#include "sim/simfleet.h"
#include "sim/simserverconfig.h"
#include "sim/simstate.h"
#include "sim/simsupport.h"

#include <QCryptographicHash>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace Fleet::Sim {

using namespace SimSupport;

namespace {

QString noSuchAccount()
{
    return QStringLiteral("Account queried doesn\u2019t exist");
}

double round1(double v)
{
    return std::round(v * 10.0) / 10.0;
}

double round3(double v)
{
    return std::round(v * 1000.0) / 1000.0;
}

// Reports that cannot have finished yet are not served: the window ends now.
QDateTime clampToNow(const QDateTime &t, const QDateTime &now)
{
    return t > now ? now : t;
}

} // namespace

SimTrackingApi::SimTrackingApi(const SimContext &ctx)
    : m_ctx(ctx)
{ }

void SimTrackingApi::registerMethods(SimHandlerTable &table)
{
    table.insert(QStringLiteral("jimi.user.device.location.list"),
                 [this](const SimCall &c) { return locationList(c); });
    table.insert(QStringLiteral("jimi.device.location.get"), [this](const SimCall &c) { return locationGet(c); });
    table.insert(QStringLiteral("jimi.device.location.URL.share"), [this](const SimCall &c) { return shareUrl(c); });
    table.insert(QStringLiteral("jimi.device.track.mileage"), [this](const SimCall &c) { return trackMileage(c); });
    table.insert(QStringLiteral("jimi.device.track.list"), [this](const SimCall &c) { return trackList(c); });
    table.insert(QStringLiteral("jimi.lbs.address.get"), [this](const SimCall &c) { return lbsAddress(c); });
    table.insert(QStringLiteral("jimi.open.platform.report.parking"),
                 [this](const SimCall &c) { return parkingReport(c); });
    table.insert(QStringLiteral("jimi.device.location.getTagMsg"), [this](const SimCall &c) { return tagMessage(c); });
    table.insert(QStringLiteral("jimi.device.alarm.list"), [this](const SimCall &c) { return alarmList(c); });
}

std::optional<QJsonObject> SimTrackingApi::locationJson(int index, const SimCall &call) const
{
    const auto fix = m_ctx.fleet->lastFix(index, call.fleetNow);
    if (!fix)
        return std::nullopt;
    const SimDevice &d = m_ctx.fleet->device(index);
    const SimDeviceRecord &r = m_ctx.state->devices.at(index);
    const bool expired = r.expiredAt(call.fleetNow);
    const bool online = m_ctx.fleet->isOnline(index, call.fleetNow);

    double lat = fix->lat;
    double lng = fix->lng;
    toMapType(call.param("map_type"), &lat, &lng);
    if (expired) {
        // An expired device's position is withheld as 0,0 (field notes §2.4).
        lat = 0;
        lng = 0;
    }
    QDateTime heartbeat = m_ctx.fleet->lastHeartbeat(index, call.fleetNow);
    if (!heartbeat.isValid() || heartbeat < fix->gpsTime)
        heartbeat = fix->gpsTime;
    const QString one = QStringLiteral("1");
    const QString zero = QStringLiteral("0");

    return QJsonObject{
        {QStringLiteral("imei"), d.imei},
        {QStringLiteral("deviceName"), r.name},
        {QStringLiteral("mcType"), d.model},
        {QStringLiteral("icon"), r.vehicleIcon},
        {QStringLiteral("status"), online ? one : zero},
        {QStringLiteral("posType"), QStringLiteral("GPS")},
        {QStringLiteral("lat"), round6(lat)},
        {QStringLiteral("lng"), round6(lng)},
        {QStringLiteral("hbTime"), formatTime(heartbeat)},
        {QStringLiteral("accStatus"), fix->acc ? one : zero},
        {QStringLiteral("gpsSignal"), online ? QString::number(2 + index % 3) : zero},
        {QStringLiteral("powerValue"), numberText(fix->acc ? 13.8 + (index % 5) * 0.1 : 12.4 + (index % 5) * 0.1, 2)},
        {QStringLiteral("batteryPowerVal"), numberText(4.0 + (index % 10) * 0.01, 2)},
        {QStringLiteral("speed"), QString::number(qRound(fix->speedKmh))},
        {QStringLiteral("gpsNum"), QString::number(fix->satellites)},
        {QStringLiteral("gpsTime"), formatTime(fix->gpsTime)},
        {QStringLiteral("direction"), QString::number(fix->course)},
        {QStringLiteral("activationFlag"), one},
        {QStringLiteral("expireFlag"), expired ? zero : one},
        {QStringLiteral("electQuantity"), QString()},
        {QStringLiteral("locDesc"), QJsonValue::Null},
        {QStringLiteral("distance"), QStringLiteral("-1")},
        {QStringLiteral("temperature"), QJsonValue::Null},
        {QStringLiteral("trackerOil"), QStringLiteral("0.00L")},
        {QStringLiteral("trackerOils"), QJsonValue::Null},
        {QStringLiteral("currentMileage"), numberText(odometerKm(m_ctx, index, fix), 10)},
        {QStringLiteral("account"), r.account},
        {QStringLiteral("customerName"), r.account},
        {QStringLiteral("state"), QJsonValue::Null},
        {QStringLiteral("stateTime"), QJsonValue::Null},
        {QStringLiteral("iccid"), d.iccid},
        {QStringLiteral("mac"), QString()},
        {QStringLiteral("chargeStatus"), QJsonValue::Null},
        {QStringLiteral("shutdown"), QJsonValue::Null},
        {QStringLiteral("confidence"), QJsonValue::Null},
    };
}

SimReply SimTrackingApi::locationList(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("target")}))
        return *err;
    const QString target = call.param("target");
    if (!m_ctx.state->accounts.contains(target))
        return SimReply::error(1001, noSuchAccount());
    QJsonArray rows;
    for (int i = 0; i < m_ctx.fleet->size(); ++i) {
        if (m_ctx.state->devices.at(i).account != target)
            continue;
        // Devices that never had a fix are silently left out (reference §5.1).
        if (const auto row = locationJson(i, call))
            rows.append(*row);
    }
    SimReply reply = SimReply::ok(rows);
    reply.data = QJsonValue(QJsonValue::Null);
    return reply;
}

SimReply SimTrackingApi::locationGet(const SimCall &call)
{
    QList<int> indexes;
    // 50, as the reference says for every batch method (its Appendix B
    // names this one); the field notes say 100.
    if (auto err = parseImeis(call, m_ctx, QStringLiteral("imeis"), 50, &indexes))
        return *err;
    QJsonArray rows;
    for (int i : std::as_const(indexes)) {
        if (const auto row = locationJson(i, call))
            rows.append(*row);
    }
    return SimReply::ok(rows);
}

SimReply SimTrackingApi::shareUrl(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    const QByteArray info = (m_ctx.fleet->device(index).imei + QLatin1Char(',')
                             + QString::number(call.fleetNow.toSecsSinceEpoch()))
                                .toUtf8()
                                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    // Without a scheme, exactly like the real answer (field notes §2.10).
    const QString url = m_ctx.hostPort() + QStringLiteral("/share?ver=2&method=trackDevice_abr&deviceinfo=")
        + QString::fromLatin1(info);
    return SimReply::ok(QJsonObject{{QStringLiteral("URL"), url}});
}

SimReply SimTrackingApi::trackMileage(const SimCall &call)
{
    QList<int> indexes;
    if (auto err = parseImeis(call, m_ctx, QStringLiteral("imeis"), 50, &indexes))
        return *err;
    QDateTime begin, end;
    if (auto err = parseRange(call, QStringLiteral("begin_time"), QStringLiteral("end_time"), &begin, &end))
        return *err;
    if (auto err = limitRange(begin, end, kReportMaxDays))
        return *err;
    qint64 startRow = 0;
    qint64 pageSize = 0;
    if (auto err = parseInt64(call, QStringLiteral("start_row"), 0, 0, kMaxStartRow, &startRow))
        return *err;
    if (auto err = parseInt64(call, QStringLiteral("page_size"), 100, 1, kMaxPageSize, &pageSize))
        return *err;
    // Integrators report at most 100 rows per call whatever page_size says.
    pageSize = qMin<qint64>(pageSize, 100);

    const QDateTime to = clampToNow(end, call.fleetNow);
    QJsonArray rows;
    QJsonArray totals;
    qint64 row = 0;
    for (int i : std::as_const(indexes)) {
        const SimDevice &d = m_ctx.fleet->device(i);
        double total = 0;
        const QList<SimTrip> trips = begin < to ? m_ctx.fleet->trips(i, begin, to) : QList<SimTrip>();
        for (const SimTrip &t : trips) {
            // Trips starting in the window that have ended by now.
            if (t.start < begin || t.start > to || t.end > call.fleetNow)
                continue;
            total += t.distanceKm;
            if (row >= startRow && row < startRow + pageSize) {
                rows.append(QJsonObject{
                    {QStringLiteral("imei"), d.imei},
                    {QStringLiteral("startTime"), formatTime(t.start)},
                    {QStringLiteral("endTime"), formatTime(t.end)},
                    // Kilometres (reference §5.4 BUG-02), not the table's metres.
                    {QStringLiteral("distance"), round3(t.distanceKm)},
                    {QStringLiteral("avgSpeed"), round1(t.avgSpeedKmh)},
                    {QStringLiteral("maxSpeed"), round1(t.maxSpeedKmh)},
                    {QStringLiteral("runTimeSecond"), t.runSeconds},
                    {QStringLiteral("idleSecond"), t.idleSeconds},
                    {QStringLiteral("startLat"), round6(t.startLat)},
                    {QStringLiteral("startLng"), round6(t.startLng)},
                    {QStringLiteral("endLat"), round6(t.endLat)},
                    {QStringLiteral("endLng"), round6(t.endLng)},
                });
            }
            ++row;
        }
        totals.append(QJsonObject{{QStringLiteral("imei"), d.imei}, {QStringLiteral("totalMileage"), round3(total)}});
    }
    SimReply reply = SimReply::ok(rows);
    reply.data = totals;
    return reply;
}

SimReply SimTrackingApi::trackList(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("imei")}))
        return *err;
    const QString imei = call.param("imei").trimmed();
    if (imei.contains(QLatin1Char(',')))
        return SimReply::badParam(QStringLiteral("Parameter validation: imei takes a single IMEI"));
    const int index = m_ctx.fleet->indexOf(imei);
    // The notes' wording, IMEI in braces; the code is not documented (1002 = illegal device).
    if (index < 0)
        return SimReply::error(1002, QStringLiteral("IMEI does not exist{%1}").arg(imei));
    if (m_ctx.state->devices.at(index).expiredAt(call.fleetNow))
        return SimReply::error(1002, QStringLiteral("The device has expired{%1}").arg(imei));
    QDateTime begin, end;
    if (auto err = parseRange(call, QStringLiteral("begin_time"), QStringLiteral("end_time"), &begin, &end))
        return *err;
    if (begin.secsTo(end) > 7 * 24 * 3600)
        return SimReply::badParam(QStringLiteral("Parameter validation: the time range must not exceed 7 days"));
    if (end > call.fleetNow)
        return SimReply::badParam(QStringLiteral("Parameter validation: end_time must be before the current time"));
    if (begin < call.fleetNow.addMonths(-3))
        return SimReply::badParam(QStringLiteral("Parameter validation: only the last 3 months can be queried"));

    const QString mapType = call.param("map_type");
    const QList<SimFix> fixes = m_ctx.fleet->fixes(index, begin, end);
    QJsonArray points;
    for (const SimFix &f : fixes) {
        double lat = f.lat;
        double lng = f.lng;
        toMapType(mapType, &lat, &lng);
        const QString acc = f.acc ? QStringLiteral("ON") : QStringLiteral("OFF");
        points.append(QJsonObject{
            {QStringLiteral("lat"), round6(lat)},
            {QStringLiteral("lng"), round6(lng)},
            {QStringLiteral("gpsTime"), formatTime(f.gpsTime)},
            {QStringLiteral("direction"), f.course},
            {QStringLiteral("gpsSpeed"), round1(f.speedKmh)},
            {QStringLiteral("posType"), 1},
            {QStringLiteral("satellite"), f.satellites},
            {QStringLiteral("altitude"), f.altitudeM},
            {QStringLiteral("ignition"), acc},
            {QStringLiteral("accStatus"), acc},
            {QStringLiteral("gpsMode"), 0},
            {QStringLiteral("confidence"), QJsonValue::Null},
        });
    }
    const double mileage = fixes.size() > 1 ? fixes.last().odometerKm - fixes.first().odometerKm : 0.0;
    SimReply reply = SimReply::ok(points);
    reply.data = QJsonObject{{QStringLiteral("mileage"), round3(qMax(0.0, mileage))}};
    return reply;
}

SimReply SimTrackingApi::lbsAddress(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    const QString lbs = call.param("lbs");
    const QString wifi = call.param("wifi");
    if (lbs.isEmpty() && wifi.isEmpty())
        return SimReply::badParam(QStringLiteral("Parameter validation: lbs or wifi is required"));
    const auto fix = m_ctx.fleet->lastFix(index, call.fleetNow);
    double lat = fix ? fix->lat : m_ctx.fleet->config().centreLat;
    double lng = fix ? fix->lng : m_ctx.fleet->config().centreLng;
    // A cell or Wi-Fi fix lands a few hundred metres off, the same way for the same input.
    const QByteArray h = QCryptographicHash::hash((lbs + QLatin1Char('|') + wifi).toUtf8(), QCryptographicHash::Md5);
    const double dLat = (uchar(h.at(0)) - 127.5) / 127.5 * 0.003;
    const double dLng = (uchar(h.at(1)) - 127.5) / 127.5 * 0.004;
    const int accuracy = wifi.isEmpty() ? 550 + uchar(h.at(2)) : 40 + uchar(h.at(2)) % 60;
    return SimReply::ok(QJsonObject{
        {QStringLiteral("lat"), round6(lat + dLat)},
        {QStringLiteral("lng"), round6(lng + dLng)},
        {QStringLiteral("accuracy"), accuracy},
    });
}

SimReply SimTrackingApi::parkingReport(const SimCall &call)
{
    if (auto err = require(call,
                           {QStringLiteral("account"), QStringLiteral("imeis"), QStringLiteral("start_time"),
                            QStringLiteral("end_time"), QStringLiteral("start_row"), QStringLiteral("page_size")}))
        return *err;
    if (!m_ctx.state->accounts.contains(call.param("account")))
        return SimReply::error(1001, noSuchAccount());
    QList<int> indexes;
    if (auto err = parseImeis(call, m_ctx, QStringLiteral("imeis"), 50, &indexes))
        return *err;
    QDateTime begin, end;
    if (auto err = parseRange(call, QStringLiteral("start_time"), QStringLiteral("end_time"), &begin, &end))
        return *err;
    if (auto err = limitRange(begin, end, kReportMaxDays))
        return *err;
    qint64 startRow = 0;
    qint64 pageSize = 0;
    // start_row is taken as a 0-based offset; the notes leave 0 vs 1 open.
    if (auto err = parseInt64(call, QStringLiteral("start_row"), 0, 0, kMaxStartRow, &startRow))
        return *err;
    if (auto err = parseInt64(call, QStringLiteral("page_size"), 50, 1, 100, &pageSize))
        return *err;

    const auto emptyReport = [] {
        return SimReply::okData(QJsonObject{{QStringLiteral("totalTime"), QStringLiteral("0")},
                                            {QStringLiteral("dataTotalRows"), QStringLiteral("0")},
                                            {QStringLiteral("rows"), QJsonArray()}});
    };
    const QString accType = call.param("acc_type").toLower();
    // Missing or empty acc_type: success with no rows (reference POLL-02).
    if (accType.isEmpty())
        return emptyReport();
    bool wantParking = false;
    bool wantIdling = false;
    if (accType == QLatin1String("0")) {
        wantParking = wantIdling = true;
    } else if (accType == QLatin1String("1") || accType == QLatin1String("off")) {
        wantParking = true;
    } else if (accType == QLatin1String("on")) {
        wantIdling = true;
    } else {
        return SimReply::badParam(QStringLiteral("Parameter validation: acc_type must be 0, 1, on or off"));
    }

    const QDateTime to = clampToNow(end, call.fleetNow);
    QJsonArray rows;
    qint64 totalSecs = 0;
    qint64 row = 0;
    for (int i : std::as_const(indexes)) {
        if (begin >= to)
            break;
        const SimDevice &d = m_ctx.fleet->device(i);
        const SimDeviceRecord &r = m_ctx.state->devices.at(i);
        const QList<SimStop> stops = m_ctx.fleet->stops(i, begin, to);
        for (const SimStop &s : stops) {
            // Stops overlapping the window that are over; a vehicle still
            // parked is not in the report yet (reference POLL-02 note).
            if (s.end > call.fleetNow || s.end < begin || s.start > to)
                continue;
            if ((s.accOn && !wantIdling) || (!s.accOn && !wantParking))
                continue;
            const qint64 secs = s.start.secsTo(s.end);
            totalSecs += secs;
            if (row >= startRow && row < startRow + pageSize) {
                rows.append(QJsonObject{
                    {QStringLiteral("imei"), d.imei},
                    {QStringLiteral("startTime"), formatIso(s.start)},
                    {QStringLiteral("endTime"), formatIso(s.end)},
                    {QStringLiteral("durSecond"), QString::number(secs)},
                    {QStringLiteral("stopSecond"), QString::number(secs)},
                    {QStringLiteral("lng"), round6(s.lng)},
                    {QStringLiteral("lat"), round6(s.lat)},
                    {QStringLiteral("addr"), s.address},
                    {QStringLiteral("deviceName"), r.name},
                    {QStringLiteral("mcType"), d.model},
                    {QStringLiteral("acc"), s.accOn ? QStringLiteral("on") : QStringLiteral("off")},
                });
            }
            ++row;
        }
    }
    return SimReply::okData(QJsonObject{{QStringLiteral("totalTime"), QString::number(totalSecs)},
                                        {QStringLiteral("dataTotalRows"), QString::number(row)},
                                        {QStringLiteral("rows"), rows}});
}

SimReply SimTrackingApi::tagMessage(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    QJsonArray rows;
    if (const auto fix = m_ctx.fleet->lastFix(index, call.fleetNow)) {
        // No Tag devices in the fleet: a vehicle answers its GPS fix (positionType 1).
        rows.append(QJsonObject{
            {QStringLiteral("lng"), round6(fix->lng)},
            {QStringLiteral("lat"), round6(fix->lat)},
            {QStringLiteral("gpsTime"), fix->gpsTime.toSecsSinceEpoch()},
            {QStringLiteral("directions"), QString::number(fix->course)},
            {QStringLiteral("gpsSpeed"), round1(fix->speedKmh)},
            {QStringLiteral("positionType"), QStringLiteral("1")},
            {QStringLiteral("gpsNum"), fix->satellites},
        });
    }
    return SimReply::ok(rows);
}

SimReply SimTrackingApi::alarmList(const SimCall &call)
{
    const QString key = call.params.contains(QStringLiteral("imeis")) ? QStringLiteral("imeis")
                                                                      : QStringLiteral("imei");
    QList<int> indexes;
    if (auto err = parseImeis(call, m_ctx, key, 50, &indexes))
        return *err;

    QDateTime begin, end;
    const bool hasBegin = !call.param("begin_time").isEmpty();
    const bool hasEnd = !call.param("end_time").isEmpty();
    if (hasBegin || hasEnd) {
        if (auto err = parseRange(call, QStringLiteral("begin_time"), QStringLiteral("end_time"), &begin, &end))
            return *err;
        if (end > begin.addMonths(1))
            return SimReply::badParam(QStringLiteral("Parameter validation: the time range must not exceed one month"));
    } else {
        // Without a range: the last month (with the default page, its last 50 alarms).
        end = call.fleetNow;
        begin = end.addMonths(-1);
    }
    qint64 pageNo = 1;
    qint64 pageSize = 50;
    if (auto err = parseInt64(call, QStringLiteral("page_no"), 1, 1, kMaxPageNo, &pageNo))
        return *err;
    if (auto err = parseInt64(call, QStringLiteral("page_size"), 50, 1, 100, &pageSize))
        return *err;
    if (m_ctx.config->ignorePageNo)
        pageNo = 1;
    const QString typeFilter = call.param("alertTypeId");

    struct Row
    {
        int index;
        SimAlarm alarm;
    };
    QList<Row> all;
    const QDateTime to = clampToNow(end, call.fleetNow.addSecs(-qint64(m_ctx.config->alarmDelaySecs)));
    if (begin < to) {
        for (int i : std::as_const(indexes)) {
            const QList<SimAlarm> alarms = m_ctx.fleet->alarms(i, begin, to);
            for (const SimAlarm &a : alarms) {
                if (a.time < begin || a.time > to)
                    continue;
                if (!typeFilter.isEmpty() && a.typeId != typeFilter)
                    continue;
                all.append({i, a});
            }
        }
    }
    // Newest first; the service never serves more than 1000 rows of a query.
    std::stable_sort(all.begin(), all.end(), [](const Row &a, const Row &b) { return a.alarm.time > b.alarm.time; });
    if (all.size() > 1000)
        all.resize(1000);

    QJsonArray rows;
    const qint64 first = (pageNo - 1) * pageSize;
    for (qint64 k = first; k < all.size() && k < first + pageSize; ++k) {
        const Row &row = all.at(k);
        const SimDevice &d = m_ctx.fleet->device(row.index);
        const SimDeviceRecord &r = m_ctx.state->devices.at(row.index);
        rows.append(QJsonObject{
            {QStringLiteral("deviceName"), r.name},
            {QStringLiteral("imei"), d.imei},
            {QStringLiteral("model"), d.model},
            {QStringLiteral("account"), r.account},
            {QStringLiteral("alertTypeId"), row.alarm.typeId},
            {QStringLiteral("alarmTypeName"), row.alarm.typeName},
            {QStringLiteral("alertTime"), formatTime(row.alarm.time)},
            {QStringLiteral("positioningTime"), formatTime(row.alarm.time)},
            {QStringLiteral("lat"), round6(row.alarm.lat)},
            {QStringLiteral("lng"), round6(row.alarm.lng)},
            {QStringLiteral("speed"), QString::number(qRound(row.alarm.speedKmh))},
            {QStringLiteral("geoid"), row.alarm.fenceId},
        });
    }
    return SimReply::ok(rows);
}

} // namespace Fleet::Sim
