#include "domainjson.h"

namespace Fleet::DomainJson {

namespace {

// Collects fields, leaving out what is unknown.
class Obj
{
public:
    Obj &s(const char *k, const QString &v)
    {
        if (!v.isEmpty())
            m_o.insert(QLatin1String(k), v);
        return *this;
    }
    Obj &t(const char *k, const QDateTime &v)
    {
        if (v.isValid())
            m_o.insert(QLatin1String(k), time(v));
        return *this;
    }
    template<typename N>
    Obj &n(const char *k, const std::optional<N> &v)
    {
        if (v)
            m_o.insert(QLatin1String(k), double(*v));
        return *this;
    }
    Obj &d(const char *k, double v)
    {
        m_o.insert(QLatin1String(k), v);
        return *this;
    }
    Obj &b(const char *k, const std::optional<bool> &v)
    {
        if (v)
            m_o.insert(QLatin1String(k), *v);
        return *this;
    }
    Obj &j(const char *k, const QJsonValue &v)
    {
        m_o.insert(QLatin1String(k), v);
        return *this;
    }
    QJsonObject done() const { return m_o; }

private:
    QJsonObject m_o;
};

} // namespace

QString time(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QJsonObject toJson(const Device &v)
{
    return Obj().s("imei", v.imei).s("name", v.name).s("model", v.model).s("sim", v.sim).s("iccid", v.iccid)
        .s("imsi", v.imsi).s("vin", v.vin).s("vehicleName", v.vehicleName).s("plate", v.plate)
        .s("vehicleIcon", v.vehicleIcon).s("driverName", v.driverName).s("driverPhone", v.driverPhone)
        .s("groupId", v.groupId).s("groupName", v.groupName).s("account", v.account)
        .s("customerName", v.customerName).s("remark", v.remark).t("activationTime", v.activationTime)
        .t("expiration", v.expiration).b("enabled", v.enabled).n("odometerKm", v.odometerKm).done();
}

QJsonObject toJson(const DeviceGroup &v)
{
    return Obj().s("id", v.id).s("name", v.name).done();
}

QJsonObject toJson(const ExpirationUpdate &v)
{
    return Obj().s("imei", v.imei).s("result", v.result).s("message", v.message).done();
}

QJsonObject toJson(const Position &v)
{
    return Obj().s("imei", v.imei).t("gpsTime", v.gpsTime).d("lat", v.lat).d("lng", v.lng)
        .n("speedKmh", v.speedKmh).n("courseDeg", v.courseDeg).b("acc", v.acc).n("satellites", v.satellites)
        .n("altitudeM", v.altitudeM).n("confidence", v.confidence).b("reuploaded", v.reuploaded)
        .s("type", positionTypeName(v.type)).done();
}

QJsonObject toJson(const DeviceLocation &v)
{
    Obj o;
    o.s("imei", v.imei).s("name", v.name).s("model", v.model).s("account", v.account).b("online", v.online)
        .t("heartbeatTime", v.heartbeatTime).n("gsmSignal", v.gsmSignal).n("odometerKm", v.odometerKm)
        .n("externalVoltage", v.externalVoltage).n("batteryVoltage", v.batteryVoltage)
        .n("batteryPercent", v.batteryPercent).n("temperatureC", v.temperatureC).n("fuelLitres", v.fuelLitres).b("expired", v.expired).b("activated", v.activated)
        .s("address", v.address);
    if (v.fix)
        o.j("fix", toJson(*v.fix));
    return o.done();
}

QJsonObject toJson(const LbsLocation &v)
{
    return Obj().d("lat", v.lat).d("lng", v.lng).n("accuracyM", v.accuracyM).done();
}

QJsonObject toJson(const Trip &v)
{
    return Obj().s("imei", v.imei).t("start", v.start).t("end", v.end).n("distanceKm", v.distanceKm)
        .n("avgSpeedKmh", v.avgSpeedKmh).n("maxSpeedKmh", v.maxSpeedKmh).n("runSeconds", v.runSeconds)
        .n("idleSeconds", v.idleSeconds).n("startLat", v.startLat).n("startLng", v.startLng)
        .n("endLat", v.endLat).n("endLng", v.endLng).done();
}

QJsonObject toJson(const MileageTotal &v)
{
    return Obj().s("imei", v.imei).d("totalKm", v.totalKm).done();
}

QJsonObject toJson(const StopPeriod &v)
{
    return Obj().s("imei", v.imei).s("deviceName", v.deviceName).t("start", v.start).t("end", v.end)
        .n("durationSeconds", v.durationSeconds).n("stopSeconds", v.stopSeconds).b("accOn", v.accOn)
        .n("lat", v.lat).n("lng", v.lng).s("address", v.address).done();
}

QJsonObject toJson(const Alarm &v)
{
    return Obj().s("imei", v.imei).s("deviceName", v.deviceName).s("model", v.model).s("typeId", v.typeId)
        .s("typeName", v.typeName).t("time", v.time).t("positionTime", v.positionTime).n("lat", v.lat)
        .n("lng", v.lng).n("speedKmh", v.speedKmh).s("fenceId", v.fenceId).done();
}

QJsonObject toJson(const MediaFile &v)
{
    return Obj().s("imei", v.imei).n("camera", v.camera).s("mediaType", v.mediaType).s("mimeType", v.mimeType)
        .s("thumbUrl", v.thumbUrl).s("fileUrl", v.fileUrl).t("created", v.created).n("fileSize", v.fileSize).done();
}

QJsonObject toJson(const MediaEvent &v)
{
    return Obj().s("imei", v.imei).s("eventTypeId", v.eventTypeId).s("eventType", v.eventType).n("lat", v.lat)
        .n("lng", v.lng).t("alarmTime", v.alarmTime).t("created", v.created).j("files", toJsonArray(v.files)).done();
}

QJsonObject toJson(const VideoSegment &v)
{
    return Obj().d("channel", v.channel).t("begin", v.begin).t("end", v.end).n("fileSize", v.fileSize)
        .s("fileName", v.fileName).n("codeType", v.codeType).n("alarmFlag", v.alarmFlag)
        .n("resourceType", v.resourceType).n("storageType", v.storageType).done();
}

QJsonObject toJson(const LivePage &v)
{
    return Obj().s("url", v.url).n("lat", v.lat).n("lng", v.lng).t("gpsTime", v.gpsTime).s("vin", v.vin)
        .s("plate", v.plate).done();
}

QJsonObject toJson(const MediaCommandAck &v)
{
    return Obj().s("code", v.code).s("message", v.message).s("cmdSeqNo", v.cmdSeqNo).done();
}

QJsonObject toJson(const CommandTemplate &v)
{
    return Obj().s("id", v.id).s("name", v.name).s("content", v.content).s("explain", v.explain)
        .b("offlineCapable", v.offlineCapable).done();
}

QJsonObject toJson(const CommandResult &v)
{
    return Obj().s("codeId", v.codeId).s("code", v.code).s("content", v.content)
        .s("state", commandStateName(v.state)).t("sendTime", v.sendTime).s("sender", v.sender)
        .s("receiveDevice", v.receiveDevice).b("offline", v.offline).done();
}

QJsonObject toJson(const InstructResult &v)
{
    return Obj().d("code", v.code).s("message", v.message).s("imei", v.imei).s("serverFlagId", v.serverFlagId)
        .s("content", v.content).done();
}

} // namespace Fleet::DomainJson
