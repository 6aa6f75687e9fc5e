#include "simtruth.h"

#include "sim/simfleet.h"

#include <QJsonArray>

namespace Fleet::Sim {

namespace {

QJsonValue iso(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

QJsonObject fixJson(const SimFix &f)
{
    return QJsonObject{
        {QStringLiteral("time"), iso(f.gpsTime)},
        {QStringLiteral("lat"), f.lat},
        {QStringLiteral("lng"), f.lng},
        {QStringLiteral("speedKmh"), f.speedKmh},
        {QStringLiteral("course"), f.course},
        {QStringLiteral("acc"), f.acc},
        {QStringLiteral("satellites"), f.satellites},
        {QStringLiteral("altitudeM"), f.altitudeM},
        {QStringLiteral("odometerKm"), f.odometerKm},
    };
}

} // namespace

QJsonObject SimTruth::deviceFacts(const SimFleet &fleet, int index)
{
    const SimDevice &d = fleet.device(index);
    return QJsonObject{
        {QStringLiteral("index"), d.index},
        {QStringLiteral("imei"), d.imei},
        {QStringLiteral("name"), d.name},
        {QStringLiteral("model"), d.model},
        {QStringLiteral("plate"), d.plate},
        {QStringLiteral("groupId"), d.groupId},
        {QStringLiteral("groupName"), d.groupName},
        {QStringLiteral("activationTime"), iso(d.activationTime)},
        {QStringLiteral("expiration"), iso(d.expiration)},
        {QStringLiteral("expired"), d.expired},
        {QStringLiteral("offline"), d.offline},
        {QStringLiteral("offlineSince"), iso(d.offlineSince)},
        {QStringLiteral("neverFixed"), d.neverFixed},
        {QStringLiteral("dashcam"), d.dashcam},
        {QStringLiteral("cameraChannels"), d.cameraChannels},
    };
}

QJsonObject SimTruth::deviceHistory(const SimFleet &fleet, int index, const QDateTime &from, const QDateTime &to,
                                    const QStringList &parts)
{
    const auto wants = [&parts](const char *part) { return parts.isEmpty() || parts.contains(QLatin1String(part)); };
    QJsonObject o = deviceFacts(fleet, index);
    o.insert(QStringLiteral("from"), iso(from));
    o.insert(QStringLiteral("to"), iso(to));
    o.insert(QStringLiteral("online"), fleet.isOnline(index, to));
    o.insert(QStringLiteral("lastHeartbeat"), iso(fleet.lastHeartbeat(index, to)));
    const auto last = fleet.lastFix(index, to);
    o.insert(QStringLiteral("lastFix"), last ? QJsonValue(fixJson(*last)) : QJsonValue(QJsonValue::Null));

    if (wants("fixes")) {
        QJsonArray fixes;
        const QList<SimFix> list = fleet.fixes(index, from, to);
        for (const SimFix &f : list)
            fixes.append(fixJson(f));
        o.insert(QStringLiteral("fixes"), fixes);
    }
    if (wants("trips")) {
        QJsonArray trips;
        const QList<SimTrip> list = fleet.trips(index, from, to);
        for (const SimTrip &t : list) {
            trips.append(QJsonObject{
                {QStringLiteral("start"), iso(t.start)},
                {QStringLiteral("end"), iso(t.end)},
                {QStringLiteral("distanceKm"), t.distanceKm},
                {QStringLiteral("maxSpeedKmh"), t.maxSpeedKmh},
                {QStringLiteral("avgSpeedKmh"), t.avgSpeedKmh},
                {QStringLiteral("runSeconds"), t.runSeconds},
                {QStringLiteral("idleSeconds"), t.idleSeconds},
                {QStringLiteral("startLat"), t.startLat},
                {QStringLiteral("startLng"), t.startLng},
                {QStringLiteral("endLat"), t.endLat},
                {QStringLiteral("endLng"), t.endLng},
            });
        }
        o.insert(QStringLiteral("trips"), trips);
    }
    if (wants("stops")) {
        QJsonArray stops;
        const QList<SimStop> list = fleet.stops(index, from, to);
        for (const SimStop &s : list) {
            stops.append(QJsonObject{
                {QStringLiteral("start"), iso(s.start)},
                {QStringLiteral("end"), iso(s.end)},
                {QStringLiteral("accOn"), s.accOn},
                {QStringLiteral("lat"), s.lat},
                {QStringLiteral("lng"), s.lng},
                {QStringLiteral("address"), s.address},
            });
        }
        o.insert(QStringLiteral("stops"), stops);
    }
    if (wants("alarms")) {
        QJsonArray alarms;
        const QList<SimAlarm> list = fleet.alarms(index, from, to);
        for (const SimAlarm &a : list) {
            alarms.append(QJsonObject{
                {QStringLiteral("time"), iso(a.time)},
                {QStringLiteral("typeId"), a.typeId},
                {QStringLiteral("typeName"), a.typeName},
                {QStringLiteral("lat"), a.lat},
                {QStringLiteral("lng"), a.lng},
                {QStringLiteral("speedKmh"), a.speedKmh},
                {QStringLiteral("fenceId"), a.fenceId},
                {QStringLiteral("serialNo"), a.serialNo ? QJsonValue(*a.serialNo) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("mediaFile"), a.mediaFile},
            });
        }
        o.insert(QStringLiteral("alarms"), alarms);
    }
    return o;
}

} // namespace Fleet::Sim
