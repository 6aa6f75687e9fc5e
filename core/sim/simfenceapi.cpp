#include "simfenceapi.h"

#include "sim/simfleet.h"
#include "sim/simstate.h"
#include "sim/simsupport.h"

#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace Fleet::Sim {

using namespace SimSupport;

namespace {

// The notes' wording, trailing space included.
SimReply businessException()
{
    SimReply r = SimReply::error(1100, QStringLiteral("Business exception "));
    r.data = QJsonValue(QJsonValue::Null);
    return r;
}

bool parseLatLng(const QString &text, double *lat, double *lng)
{
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() != 2)
        return false;
    bool okLat = false;
    bool okLng = false;
    *lat = parts.at(0).trimmed().toDouble(&okLat);
    *lng = parts.at(1).trimmed().toDouble(&okLng);
    return okLat && okLng && std::isfinite(*lat) && std::isfinite(*lng) && qAbs(*lat) <= 90 && qAbs(*lng) <= 180;
}

} // namespace

SimFenceApi::SimFenceApi(const SimContext &ctx)
    : m_ctx(ctx)
{ }

void SimFenceApi::registerMethods(SimHandlerTable &table)
{
    table.insert(QStringLiteral("jimi.open.device.fence.create"),
                 [this](const SimCall &c) { return deviceFenceCreate(c); });
    table.insert(QStringLiteral("jimi.open.device.fence.delete"),
                 [this](const SimCall &c) { return deviceFenceDelete(c); });
    table.insert(QStringLiteral("jimi.open.platform.fence.create"),
                 [this](const SimCall &c) { return platformFenceCreate(c); });
    table.insert(QStringLiteral("jimi.open.platform.fence.delete"),
                 [this](const SimCall &c) { return platformFenceDelete(c); });
    table.insert(QStringLiteral("jimi.open.platform.fence.bind"),
                 [this](const SimCall &c) { return platformFenceBind(c); });
}

int SimFenceApi::platformFenceIndex(const QString &id) const
{
    const QList<SimPlatformFence> &fences = m_ctx.state->platformFences;
    for (int i = 0; i < fences.size(); ++i) {
        if (fences.at(i).id == id)
            return i;
    }
    return -1;
}

SimReply SimFenceApi::deviceFenceCreate(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    if (auto err = require(call,
                           {QStringLiteral("fence_name"), QStringLiteral("alarm_type"), QStringLiteral("report_mode"),
                            QStringLiteral("alarm_switch"), QStringLiteral("lng"), QStringLiteral("lat"),
                            QStringLiteral("radius"), QStringLiteral("zoom_level"), QStringLiteral("map_type")}))
        return *err;
    static const QStringList alarmTypes = {QStringLiteral("in"), QStringLiteral("out"), QStringLiteral("in,out")};
    if (!alarmTypes.contains(call.param("alarm_type")))
        return SimReply::badParam(QStringLiteral("Parameter validation: alarm_type must be in, out or in,out"));
    const QString mode = call.param("report_mode");
    if (mode != QLatin1String("0") && mode != QLatin1String("1"))
        return SimReply::badParam(QStringLiteral("Parameter validation: report_mode must be 0 or 1"));
    const QString sw = call.param("alarm_switch").toUpper();
    if (sw != QLatin1String("ON") && sw != QLatin1String("OFF"))
        return SimReply::badParam(QStringLiteral("Parameter validation: alarm_switch must be ON or OFF"));
    int radius = 0;
    int zoom = 0;
    if (auto err = parseInt(call, QStringLiteral("radius"), 0, 1, 9999, &radius))
        return *err;
    if (auto err = parseInt(call, QStringLiteral("zoom_level"), 0, 3, 19, &zoom))
        return *err;
    double lat = 0;
    double lng = 0;
    if (!parseLatLng(call.param("lat") + QLatin1Char(',') + call.param("lng"), &lat, &lng))
        return SimReply::badParam(QStringLiteral("Parameter validation: lat/lng are invalid"));
    // The doc requires GOOGLE; nothing else is accepted.
    if (call.param("map_type").compare(QLatin1String("GOOGLE"), Qt::CaseInsensitive) != 0)
        return SimReply::badParam(QStringLiteral("Parameter validation: map_type must be GOOGLE"));

    // The fence goes to the device by command, so the device must be online.
    if (!m_ctx.fleet->isOnline(index, call.fleetNow))
        return SimReply::error(41003, QStringLiteral("Device is not online, geo-fence creation failed "));

    const QString imei = m_ctx.fleet->device(index).imei;
    SimDeviceFence f;
    f.serial = QString::number(++m_ctx.state->deviceFenceSerial[imei]);
    f.name = call.param("fence_name");
    f.alarmType = call.param("alarm_type");
    f.alarmSwitch = sw;
    f.lat = lat;
    f.lng = lng;
    f.radius = radius;
    m_ctx.state->addDeviceFence(imei, f);
    return SimReply::ok(f.serial, QStringLiteral("Successfully create geo-fence."));
}

SimReply SimFenceApi::deviceFenceDelete(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    if (auto err = require(call, {QStringLiteral("instruct_no")}))
        return *err;
    const QString imei = m_ctx.fleet->device(index).imei;
    QList<SimDeviceFence> &fences = m_ctx.state->deviceFences[imei];
    for (int i = 0; i < fences.size(); ++i) {
        if (fences.at(i).serial == call.param("instruct_no")) {
            if (!m_ctx.fleet->isOnline(index, call.fleetNow))
                return SimReply::error(41004, QStringLiteral("Device is not online, geo-fence deletion failed "));
            fences.removeAt(i);
            return SimReply::ok(QJsonValue::Null, QStringLiteral("Successfully delete geo-fence."));
        }
    }
    return SimReply::badParam(QStringLiteral("Parameter validation: instruct_no does not exist"));
}

SimReply SimFenceApi::platformFenceCreate(const SimCall &call)
{
    if (auto err = require(call,
                           {QStringLiteral("account"), QStringLiteral("fence_name"), QStringLiteral("fence_type"),
                            QStringLiteral("geom")}))
        return *err;
    const QString account = call.param("account");
    if (!m_ctx.state->accounts.contains(account))
        return SimReply::error(1001, QStringLiteral("Account queried doesn\u2019t exist"));
    const QString type = call.param("fence_type");
    if (type != QLatin1String("circle") && type != QLatin1String("polygon"))
        return SimReply::badParam(QStringLiteral("Parameter validation: fence_type must be circle or polygon"));
    const QStringList points = call.param("geom").split(QLatin1Char('#'), Qt::SkipEmptyParts);
    for (const QString &p : points) {
        double lat = 0;
        double lng = 0;
        if (!parseLatLng(p, &lat, &lng))
            return SimReply::badParam(QStringLiteral("Parameter validation: geom must be lat,lng[#lat,lng...]"));
    }
    int radius = 0;
    if (type == QLatin1String("circle")) {
        if (points.size() != 1)
            return SimReply::badParam(QStringLiteral("Parameter validation: a circle's geom is one lat,lng"));
        if (auto err = require(call, {QStringLiteral("radius")}))
            return *err;
        if (auto err = parseInt(call, QStringLiteral("radius"), 0, 200, 5000, &radius))
            return *err;
    } else if (points.size() < 3) {
        return SimReply::badParam(QStringLiteral("Parameter validation: a polygon needs at least 3 points"));
    }

    // With fence_id the same method edits (the doc's "edit" section names
    // create; the notes call that unresolved).
    const QString editId = call.param("fence_id");
    const int existing = editId.isEmpty() ? -1 : platformFenceIndex(editId);
    if (!editId.isEmpty() && existing < 0)
        return businessException();
    const QString name = call.param("fence_name");
    for (const SimPlatformFence &f : std::as_const(m_ctx.state->platformFences)) {
        if (f.account == account && f.name == name && f.id != editId) {
            SimReply r = SimReply::error(1114, QStringLiteral("That name already exists "));
            r.data = QJsonValue(QJsonValue::Null);
            return r;
        }
    }
    SimPlatformFence f = existing >= 0 ? m_ctx.state->platformFences.at(existing) : SimPlatformFence();
    if (existing < 0)
        f.id = m_ctx.state->newId();
    f.account = account;
    f.name = name;
    f.type = type;
    f.color = call.param("fence_color").isEmpty() ? QStringLiteral("#3B7AFF") : call.param("fence_color");
    f.geom = call.param("geom");
    f.radius = radius;
    f.description = call.param("description");
    if (existing >= 0)
        m_ctx.state->platformFences[existing] = f;
    else
        m_ctx.state->addPlatformFence(f);
    return SimReply::okData(f.id);
}

SimReply SimFenceApi::platformFenceDelete(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("account"), QStringLiteral("fence_id")}))
        return *err;
    const int i = platformFenceIndex(call.param("fence_id"));
    if (i < 0 || m_ctx.state->platformFences.at(i).account != call.param("account"))
        return businessException();
    m_ctx.state->platformFences.removeAt(i);
    return SimReply::okData(QJsonValue::Null);
}

SimReply SimFenceApi::platformFenceBind(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("fence_id")}))
        return *err;
    const int i = platformFenceIndex(call.param("fence_id"));
    if (i < 0)
        return businessException();
    SimPlatformFence &f = m_ctx.state->platformFences[i];
    if (!call.param("imeis").isEmpty()) {
        QList<int> indexes;
        if (auto err = parseImeis(call, m_ctx, QStringLiteral("imeis"), 100, &indexes))
            return *err;
        QSet<QString> bound(f.imeis.cbegin(), f.imeis.cend());
        for (int index : std::as_const(indexes)) {
            const QString imei = m_ctx.fleet->device(index).imei;
            if (!bound.contains(imei)) {
                bound.insert(imei);
                f.imeis.append(imei);
            }
        }
    }
    if (call.params.contains(QStringLiteral("alert_type")))
        f.alertType = call.param("alert_type");
    if (call.params.contains(QStringLiteral("stay_time_in")))
        f.stayTimeIn = call.param("stay_time_in");
    if (call.params.contains(QStringLiteral("stay_time_out")))
        f.stayTimeOut = call.param("stay_time_out");
    // "data" is the number of devices bound to the fence, as a string.
    return SimReply::okData(QString::number(f.imeis.size()));
}

} // namespace Fleet::Sim
