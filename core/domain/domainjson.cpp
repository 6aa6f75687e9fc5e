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
    return Obj()
        .s("imei", v.imei)
        .s("name", v.name)
        .s("model", v.model)
        .s("sim", v.sim)
        .s("iccid", v.iccid)
        .s("imsi", v.imsi)
        .s("vin", v.vin)
        .s("vehicleName", v.vehicleName)
        .s("plate", v.plate)
        .s("vehicleIcon", v.vehicleIcon)
        .s("driverName", v.driverName)
        .s("driverPhone", v.driverPhone)
        .s("groupId", v.groupId)
        .s("groupName", v.groupName)
        .s("account", v.account)
        .s("customerName", v.customerName)
        .s("remark", v.remark)
        .t("activationTime", v.activationTime)
        .t("expiration", v.expiration)
        .b("enabled", v.enabled)
        .n("odometerKm", v.odometerKm)
        .done();
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
    return Obj()
        .s("imei", v.imei)
        .t("gpsTime", v.gpsTime)
        .d("lat", v.lat)
        .d("lng", v.lng)
        .n("speedKmh", v.speedKmh)
        .n("courseDeg", v.courseDeg)
        .b("acc", v.acc)
        .n("satellites", v.satellites)
        .n("altitudeM", v.altitudeM)
        .n("confidence", v.confidence)
        .b("reuploaded", v.reuploaded)
        .s("type", positionTypeName(v.type))
        .done();
}

QJsonObject toJson(const DeviceReadings &v)
{
    return Obj()
        .b("acc", v.acc)
        .t("accTime", v.accTime)
        .n("speedKmh", v.speedKmh)
        .n("courseDeg", v.courseDeg)
        .n("satellites", v.satellites)
        .s("type", positionTypeName(v.type))
        .t("motionTime", v.motionTime)
        .n("odometerKm", v.odometerKm)
        .t("odometerTime", v.odometerTime)
        .done();
}

QJsonObject toJson(const DeviceReport &v)
{
    QJsonObject o = toJson(v.readings);
    o.insert(QStringLiteral("imei"), v.imei);
    return o;
}

QJsonObject toJson(const DeviceLocation &v)
{
    Obj o;
    o.s("imei", v.imei)
        .s("name", v.name)
        .s("model", v.model)
        .s("account", v.account)
        .b("online", v.online)
        .t("heartbeatTime", v.heartbeatTime)
        .n("gsmSignal", v.gsmSignal)
        .n("odometerKm", v.odometerKm)
        .n("externalVoltage", v.externalVoltage)
        .n("batteryVoltage", v.batteryVoltage)
        .n("batteryPercent", v.batteryPercent)
        .n("temperatureC", v.temperatureC)
        .n("fuelLitres", v.fuelLitres)
        .b("expired", v.expired)
        .b("activated", v.activated)
        .s("address", v.address);
    if (v.fix)
        o.j("fix", toJson(*v.fix));
    if (!v.readings.isEmpty())
        o.j("readings", toJson(v.readings));
    o.n("mileageTotalKm", v.mileageTotalKm).t("mileageFrom", v.mileageFrom).t("mileageTo", v.mileageTo);
    return o.done();
}

QJsonObject toJson(const LbsLocation &v)
{
    return Obj().d("lat", v.lat).d("lng", v.lng).n("accuracyM", v.accuracyM).done();
}

QJsonObject toJson(const Trip &v)
{
    return Obj()
        .s("imei", v.imei)
        .t("start", v.start)
        .t("end", v.end)
        .n("distanceKm", v.distanceKm)
        .n("avgSpeedKmh", v.avgSpeedKmh)
        .n("maxSpeedKmh", v.maxSpeedKmh)
        .n("runSeconds", v.runSeconds)
        .n("idleSeconds", v.idleSeconds)
        .n("startLat", v.startLat)
        .n("startLng", v.startLng)
        .n("endLat", v.endLat)
        .n("endLng", v.endLng)
        .done();
}

QJsonObject toJson(const MileageTotal &v)
{
    return Obj().s("imei", v.imei).d("totalKm", v.totalKm).t("begin", v.begin).t("end", v.end).done();
}

QJsonObject toJson(const StopPeriod &v)
{
    return Obj()
        .s("imei", v.imei)
        .s("deviceName", v.deviceName)
        .t("start", v.start)
        .t("end", v.end)
        .n("durationSeconds", v.durationSeconds)
        .n("stopSeconds", v.stopSeconds)
        .b("accOn", v.accOn)
        .n("lat", v.lat)
        .n("lng", v.lng)
        .s("address", v.address)
        .done();
}

QJsonObject toJson(const Alarm &v)
{
    return Obj()
        .s("imei", v.imei)
        .s("deviceName", v.deviceName)
        .s("model", v.model)
        .s("typeId", v.typeId)
        .s("typeName", v.typeName)
        .t("time", v.time)
        .t("positionTime", v.positionTime)
        .n("lat", v.lat)
        .n("lng", v.lng)
        .n("speedKmh", v.speedKmh)
        .s("fenceId", v.fenceId)
        .s("account", v.account)
        .n("serialNo", v.serialNo)
        .s("driverName", v.driverName)
        .s("driverId", v.driverId)
        .s("mediaFile", v.mediaFile)
        .s("value", v.value)
        .done();
}

QJsonObject toJson(const MediaFile &v)
{
    return Obj()
        .s("imei", v.imei)
        .n("camera", v.camera)
        .s("mediaType", v.mediaType)
        .s("mimeType", v.mimeType)
        .s("thumbUrl", v.thumbUrl)
        .s("fileUrl", v.fileUrl)
        .t("created", v.created)
        .n("fileSize", v.fileSize)
        .done();
}

QJsonObject toJson(const MediaEvent &v)
{
    return Obj()
        .s("imei", v.imei)
        .s("eventTypeId", v.eventTypeId)
        .s("eventType", v.eventType)
        .n("lat", v.lat)
        .n("lng", v.lng)
        .t("alarmTime", v.alarmTime)
        .t("created", v.created)
        .j("files", toJsonArray(v.files))
        .done();
}

QJsonObject toJson(const VideoSegment &v)
{
    return Obj()
        .d("channel", v.channel)
        .t("begin", v.begin)
        .t("end", v.end)
        .n("fileSize", v.fileSize)
        .s("fileName", v.fileName)
        .n("codeType", v.codeType)
        .n("alarmFlag", v.alarmFlag)
        .n("resourceType", v.resourceType)
        .n("storageType", v.storageType)
        .done();
}

QJsonObject toJson(const LivePage &v)
{
    return Obj()
        .s("url", v.url)
        .n("lat", v.lat)
        .n("lng", v.lng)
        .t("gpsTime", v.gpsTime)
        .s("vin", v.vin)
        .s("plate", v.plate)
        .done();
}

QJsonObject toJson(const MediaCommandAck &v)
{
    return Obj().s("code", v.code).s("message", v.message).s("cmdSeqNo", v.cmdSeqNo).done();
}

QJsonObject toJson(const CommandTemplate &v)
{
    return Obj()
        .s("id", v.id)
        .s("name", v.name)
        .s("content", v.content)
        .s("explain", v.explain)
        .b("offlineCapable", v.offlineCapable)
        .done();
}

QJsonObject toJson(const CommandResult &v)
{
    return Obj()
        .s("codeId", v.codeId)
        .s("code", v.code)
        .s("content", v.content)
        .s("state", commandStateName(v.state))
        .t("sendTime", v.sendTime)
        .s("sender", v.sender)
        .s("receiveDevice", v.receiveDevice)
        .b("offline", v.offline)
        .done();
}

QJsonObject toJson(const InstructResult &v)
{
    return Obj()
        .d("code", v.code)
        .s("message", v.message)
        .s("imei", v.imei)
        .s("serverFlagId", v.serverFlagId)
        .s("content", v.content)
        .done();
}

QJsonObject toJson(const DeviceEvent &v)
{
    return Obj().s("imei", v.imei).s("type", v.type).t("time", v.time).s("timezone", v.timezone).done();
}

QJsonObject toJson(const Heartbeat &v)
{
    return Obj()
        .s("imei", v.imei)
        .t("time", v.time)
        .n("powerLevelPct", v.powerLevelPct)
        .n("gsmSignal", v.gsmSignal)
        .b("acc", v.acc)
        .b("charging", v.charging)
        .n("fortify", v.fortify)
        .b("oilCut", v.oilCut)
        .b("gpsPositioned", v.gpsPositioned)
        .n("remoteLock", v.remoteLock)
        .done();
}

QJsonObject toJson(const GpsStatus &v)
{
    // Only the set bits and non-zero fields: a status is mostly zeros.
    QJsonObject o;
    auto flag = [&o](const char *k, bool b) {
        if (b)
            o.insert(QLatin1String(k), true);
    };
    flag("accOn", v.accOn);
    flag("positioned", v.positioned);
    flag("south", v.south);
    flag("west", v.west);
    flag("outOfService", v.outOfService);
    flag("encrypted", v.encrypted);
    if (v.load)
        o.insert(QLatin1String("load"), v.load);
    flag("oilCircuitCut", v.oilCircuitCut);
    flag("powerCircuitCut", v.powerCircuitCut);
    flag("doorLocked", v.doorLocked);
    if (v.doorsOpen)
        o.insert(QLatin1String("doorsOpen"), v.doorsOpen);
    if (!v.gnssText().isEmpty())
        o.insert(QLatin1String("gnss"), v.gnssText());
    return o;
}

QJsonObject toJson(const DeviceStatusFlags &v)
{
    return Obj()
        .s("imei", v.imei)
        .t("time", v.time)
        .d("flags", double(v.flags))
        .j("decoded", toJson(GpsStatus::decode(v.flags)))
        .done();
}

QJsonObject toJson(const FuelReading &v)
{
    return Obj()
        .s("imei", v.imei)
        .d("sensorPath", v.sensorPath)
        .t("time", v.time)
        .n("value", v.value)
        .s("unit", v.unit)
        .t("gpsTime", v.gpsTime)
        .n("lat", v.lat)
        .n("lng", v.lng)
        .done();
}

QJsonObject toJson(const TemperatureReading &v)
{
    return Obj()
        .s("imei", v.imei)
        .t("time", v.time)
        .n("temperatureC", v.temperatureC)
        .n("humidityPct", v.humidityPct)
        .t("postTime", v.postTime)
        .done();
}

QJsonObject toJson(const LbsReading &v)
{
    return Obj().s("imei", v.imei).t("time", v.time).s("postType", v.postType).s("lbsJson", v.lbsJson).done();
}

QJsonObject toJson(const ObdReading &v)
{
    return Obj()
        .s("imei", v.imei)
        .t("eventTime", v.eventTime)
        .t("pushTime", v.pushTime)
        .n("carType", v.carType)
        .b("acc", v.acc)
        .n("statusFlags", v.statusFlags)
        .n("lat", v.lat)
        .n("lng", v.lng)
        .n("engineRpm", v.engineRpm)
        .n("coolantTempC", v.coolantTempC)
        .n("fuelLevelPct", v.fuelLevelPct)
        .n("batteryVoltage", v.batteryVoltage)
        .n("intakePressureKpa", v.intakePressureKpa)
        .n("throttlePct", v.throttlePct)
        .n("vehicleSpeedKmh", v.vehicleSpeedKmh)
        .n("engineLoadPct", v.engineLoadPct)
        .s("obdJson", v.obdJson)
        .done();
}

QJsonObject toJson(const FaultReport &v)
{
    return Obj()
        .s("imei", v.imei)
        .t("reportTime", v.reportTime)
        .j("codes", QJsonArray::fromStringList(v.codes))
        .t("eventTime", v.eventTime)
        .n("faultNum", v.faultNum)
        .n("statusFlags", v.statusFlags)
        .n("lat", v.lat)
        .n("lng", v.lng)
        .done();
}

QJsonObject toJson(const PushedTrip &v)
{
    return Obj()
        .s("imei", v.imei)
        .t("start", v.start)
        .t("end", v.end)
        .t("reportTime", v.reportTime)
        .n("distanceKm", v.distanceKm)
        .n("fuelL", v.fuelL)
        .n("idleSeconds", v.idleSeconds)
        .n("tripSeq", v.tripSeq)
        .n("startLat", v.startLat)
        .n("startLng", v.startLng)
        .n("endLat", v.endLat)
        .n("endLng", v.endLng)
        .n("properties", v.properties)
        .done();
}

QJsonObject toJson(const MediaUpload &v)
{
    return Obj()
        .s("imei", v.imei)
        .s("fileKey", v.fileKey)
        .s("localFileName", v.localFileName)
        .s("businessType", v.businessType)
        .n("camera", v.camera)
        .s("mediaType", v.mediaType)
        .s("mimeType", v.mimeType)
        .n("durationSeconds", v.durationSeconds)
        .t("alarmTime", v.alarmTime)
        .n("lat", v.lat)
        .n("lng", v.lng)
        .s("instructionId", v.instructionId)
        .t("received", v.received)
        .done();
}

QJsonObject toJson(const CommandResponse &v)
{
    return Obj()
        .s("imei", v.imei)
        .s("serverFlagId", v.serverFlagId)
        .n("code", v.code)
        .s("message", v.message)
        .s("content", v.content)
        .n("msgType", v.msgType)
        .t("received", v.received)
        .done();
}

QJsonObject toJson(const PushMessage &v)
{
    return Obj()
        .s("endpoint", v.endpoint)
        .s("imei", v.imei)
        .s("kind", v.kind)
        .t("time", v.time)
        .s("payload", v.payload)
        .done();
}

} // namespace Fleet::DomainJson
