#include "pushparser.h"

#include "util/apitime.h"
#include "util/jsonreader.h"
#include "domain/alarm.h"
#include "util/utc.h"

#include <algorithm>
#include <utility>

namespace Fleet::Push {

namespace {

using L = QLatin1String;

// One item being read. The reader has no context of its own: a rejection
// carries the index separately, and warnings are prefixed when collected.
struct Item
{
    JsonNode node;
    JsonReader &r;
    QStringList &problems; // r's, shared with readers of nested objects
    bool nestedFailed = false; // a reader of a nested object failed the item
    ParsedPush &out;
    const PushEnvelope &envelope;
    Endpoint endpoint;
    QDateTime received;
};

bool isImeiChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z');
}

// deviceImei (most endpoints) or imei (alarms, resource lists, callbacks).
// Anything but 1..32 letters and digits is refused: the value becomes a key
// in every table.
QString readImei(JsonReader &r, bool required, const JsonReader *alsoFrom = nullptr, L key = L("deviceImei"),
                 L alt = L("imei"))
{
    // A string, or a number of digits: true, -0 or 1e400 is no IMEI.
    QString imei = r.identifier(key, alt);
    if (imei.isEmpty() && alsoFrom)
        imei = alsoFrom->identifier(key, alt);
    if (imei.isEmpty()) {
        if (required)
            r.fail(QStringLiteral("no IMEI"));
        return imei;
    }
    if (imei.size() > 32 || !std::all_of(imei.cbegin(), imei.cend(), isImeiChar)) {
        r.fail(QStringLiteral("invalid IMEI"));
        return QString();
    }
    return imei;
}

bool validLatLng(double lat, double lng)
{
    return lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
}

// A coordinate pair, or why there is none ("" when simply not sent).
struct Coordinates
{
    std::optional<std::pair<double, double>> latLng;
    QString problem;
};

Coordinates readCoordinates(const JsonReader &r, L latKey, L lngKey)
{
    const JsonNode latNode = r.object().value(latKey);
    const JsonNode lngNode = r.object().value(lngKey);
    bool latOk = true;
    bool lngOk = true;
    const std::optional<double> lat = JsonReader::toNumber(latNode, &latOk);
    const std::optional<double> lng = JsonReader::toNumber(lngNode, &lngOk);
    if (!latOk || !lngOk)
        return {std::nullopt, QStringLiteral("unreadable coordinates")};
    if (!lat && !lng)
        return {std::nullopt, {}};
    if (!lat || !lng)
        return {std::nullopt, QStringLiteral("only one coordinate")};
    if (!validLatLng(*lat, *lng))
        return {std::nullopt, QStringLiteral("coordinates out of range (%1, %2)").arg(*lat).arg(*lng)};
    // Devices without a fix report 0,0.
    if (*lat == 0.0 && *lng == 0.0)
        return {std::nullopt, QStringLiteral("coordinates 0,0")};
    return {std::make_pair(*lat, *lng), {}};
}

// Coordinates that are a bonus to the item: a bad pair is dropped with a
// warning, 0,0 and absence silently.
void optionalCoordinates(JsonReader &r, L latKey, L lngKey, std::optional<double> *lat, std::optional<double> *lng)
{
    const Coordinates c = readCoordinates(r, latKey, lngKey);
    if (c.latLng) {
        *lat = c.latLng->first;
        *lng = c.latLng->second;
    } else if (!c.problem.isEmpty() && c.problem != QLatin1String("coordinates 0,0")) {
        r.warn(QStringLiteral("%1 dropped").arg(c.problem));
    }
}

// A required time that may come under either of two names.
QDateTime requiredTime(JsonReader &r, L key, L alt)
{
    if (!r.has(key) && !r.has(alt)) {
        r.fail(QStringLiteral("required field '%1' or '%2' is missing").arg(key, alt));
        return {};
    }
    return r.requiredTime(key, alt);
}

std::optional<double> nonNegative(const JsonReader &r, L key, L alt = {})
{
    const std::optional<double> d = r.number(key, alt);
    return d && *d >= 0 ? d : std::nullopt; // -1 = unknown
}

std::optional<double> course(const JsonReader &r, L key)
{
    const std::optional<double> d = r.number(key);
    if (!d || *d < 0 || *d > 360)
        return std::nullopt;
    return *d == 360 ? 0.0 : *d;
}

// The first of several spellings that is present.
std::optional<double> firstNumber(const JsonReader &r, std::initializer_list<const char *> keys)
{
    for (const char *k : keys) {
        if (r.has(L(k)))
            return r.number(L(k));
    }
    return std::nullopt;
}

// A JSON value that may come as such or as a string holding JSON: compact
// text of it, or nullopt when a string does not parse (*dom keeps a parsed
// string's document alive for the caller).
std::optional<QByteArray> embeddedJson(const JsonNode &v, std::optional<JsonDom> *dom, JsonNode *parsed)
{
    if (v.isObject() || v.isArray()) {
        *parsed = v;
        return v.toCompactJson();
    }
    if (!v.isString())
        return std::nullopt;
    *dom = JsonDom::parse(v.toString().toUtf8());
    if (!*dom)
        return std::nullopt;
    *parsed = (*dom)->root();
    return parsed->toCompactJson();
}

QString compactText(const JsonNode &v)
{
    return QString::fromUtf8(v.toCompactJson());
}

// --- one reader per endpoint -------------------------------------------

void readEvent(Item &it)
{
    DeviceEvent e;
    e.imei = readImei(it.r, true);
    e.type = it.r.requiredText(L("type")).toUpper();
    e.time = it.r.requiredTime(L("gateTime"));
    e.timezone = it.r.text(L("timezone"));
    if (!it.r.failed())
        it.out.batch.deviceEvents.append(e);
}

void readHeartbeat(Item &it)
{
    const JsonReader &r = it.r;
    Heartbeat h;
    h.imei = readImei(it.r, true);
    h.time = it.r.requiredTime(L("gateTime"));
    h.powerLevelPct = r.integer(L("powerLevel"));
    h.gsmSignal = r.integer(L("gsmSign"));
    h.acc = r.flag(L("acc"));
    h.charging = r.flag(L("powerStatus"));
    h.fortify = r.integer(L("fortify"));
    h.oilCut = r.flag(L("oilEle"));
    h.gpsPositioned = r.flag(L("gpsPos"));
    h.remoteLock = r.integer(L("remoteLock"));
    if (!it.r.failed())
        it.out.batch.heartbeats.append(h);
}

PositionType postType(const JsonReader &r)
{
    const QString t = r.text(L("postType")).toUpper();
    if (t == QLatin1String("1") || t == QLatin1String("GPS"))
        return PositionType::Gps;
    if (t == QLatin1String("2") || t == QLatin1String("LBS"))
        return PositionType::Lbs;
    if (t == QLatin1String("3") || t == QLatin1String("WIFI"))
        return PositionType::Wifi;
    return PositionType::Unknown;
}

void readGps(Item &it)
{
    JsonReader &r = it.r;
    Position p;
    p.imei = readImei(r, true);
    p.gpsTime = r.requiredTime(L("gpsTime"));
    if (r.failed())
        return;

    std::optional<quint32> status;
    if (const std::optional<qint64> s = r.integer64(L("status"))) {
        if (*s >= 0 && *s <= 0xFFFFFFFFll)
            status = quint32(*s);
        else
            r.warn(QStringLiteral("field 'status' is out of range (%1)").arg(*s));
    }
    // The device state is worth keeping even when the fix is not.
    if (status)
        it.out.batch.statusFlags.append(DeviceStatusFlags{p.imei, p.gpsTime, *status});
    // So are ignition, speed and heading: a device without a fix still
    // reports them, and a vehicle whose ignition comes on is idle, not parked.
    DeviceReport report{p.imei, {}};
    DeviceReadings &now = report.readings;
    now.acc = r.flag(L("acc"));
    if (!now.acc && status)
        now.acc = GpsStatus::decode(*status).accOn;
    if (now.acc)
        now.accTime = p.gpsTime;
    now.speedKmh = nonNegative(r, L("gpsSpeed"));
    now.courseDeg = course(r, L("direction"));
    now.satellites = r.integer(L("satelliteNum"));
    now.type = postType(r);
    now.motionTime = p.gpsTime;
    if (const std::optional<double> metres = nonNegative(r, L("distance"))) {
        now.odometerKm = *metres / 1000.0; // the device's odometer, in metres
        now.odometerTime = p.gpsTime;
    }

    const Coordinates c = readCoordinates(r, L("lat"), L("lng"));
    if (!c.latLng) {
        // A device without a fix reports 0,0 or nothing: an everyday state,
        // not bad content. It adds no position; the request is still fine.
        // Coordinates that are there but unreadable or out of range are.
        const bool noFix = c.problem.isEmpty() || c.problem == QLatin1String("coordinates 0,0");
        const QString why = QStringLiteral("no usable fix (%1)")
                                .arg(c.problem.isEmpty() ? QStringLiteral("no coordinates") : c.problem);
        if (noFix) {
            r.warn(why);
            it.out.batch.readings.append(report);
        } else {
            r.fail(why);
        }
        return;
    }
    p.lat = c.latLng->first;
    p.lng = c.latLng->second;
    p.speedKmh = now.speedKmh;
    p.courseDeg = now.courseDeg;
    p.satellites = now.satellites;
    p.altitudeM = r.number(L("altitude"));
    p.acc = now.acc;
    // NOLINTNEXTLINE(misc-redundant-expression): an optional compared with two values
    if (const std::optional<int> mode = r.integer(L("gpsMode")); mode == 0 || mode == 1)
        p.reuploaded = *mode == 1;
    p.type = now.type;
    it.out.batch.readings.append(report);
    it.out.batch.positions.append(PositionRecord{p, PositionSource::Push});
}

// The alarm fields shared by the flat shapes (TSP push, official form) and
// the IoT Hub's msg object.
void readAlarmDetails(const JsonReader &m, JsonReader &r, Alarm *a)
{
    a->deviceName = m.text(L("deviceName"));
    a->positionTime = m.time(L("gpsTime"));
    a->speedKmh = nonNegative(m, L("gpsSpeed"), L("speed"));
    a->fenceId = m.text(L("geoid"), L("fenceId"));
    a->serialNo = m.integer64(L("alarmSerialNo"));
    a->driverName = m.text(L("driverName"));
    a->driverId = m.text(L("driverId"));
    a->mediaFile = m.text(L("file"));
    a->value = m.text(L("alertValue"));
    const Coordinates c = readCoordinates(m, L("lat"), L("lng"));
    if (c.latLng) {
        a->lat = c.latLng->first;
        a->lng = c.latLng->second;
    } else if (!c.problem.isEmpty() && c.problem != QLatin1String("coordinates 0,0")) {
        r.warn(QStringLiteral("%1 dropped").arg(c.problem));
    }
}

// Flat: {deviceImei|imei, alarmType, alarmName, alarmTime|gateTime, lat, lng}
// (reference §10.4, official form field notes §3.1). The codes are the
// appendix's (§3.5), so a missing name comes from its table.
void readFlatAlarm(Item &it)
{
    JsonReader &r = it.r;
    Alarm a;
    a.imei = readImei(r, true);
    a.typeId = r.text(L("alarmType"), L("alertTypeId"));
    if (a.typeId.isEmpty())
        r.fail(QStringLiteral("required field 'alarmType' is missing"));
    a.typeName = r.text(L("alarmName"), L("alarmTypeName"));
    if (a.typeName.isEmpty())
        a.typeName = alarmTypeText(a.typeId);
    a.time = requiredTime(r, L("alarmTime"), L("gateTime"));
    readAlarmDetails(r, r, &a);
    if (!r.failed())
        it.out.batch.alarms.append(AlarmRecord{a, ReportSource::Push});
}

PushMessage message(const Item &it, const QString &imei, const QString &kind, const QDateTime &time)
{
    return PushMessage{QString(endpointName(it.endpoint)), imei, kind, time.isValid() ? time : it.received,
                       compactText(it.node)};
}

// IoT Hub: {gateTime, imei, msg:{alertType, alarmTime, lat, lng, ...},
// msgClass, type} (field notes §3.2). Its codes are the JIMI (msgClass 0)
// or JT/T 808 (msgClass 1) protocol's, not the appendix's, and collide with
// it above 255: a name is only what the item itself says.
void readNestedAlarm(Item &it, const JsonNode &msg)
{
    JsonReader &r = it.r;
    const QString type = r.text(L("type")).toUpper();
    if (type == QLatin1String("ICCID") || type == QLatin1String("VIN")) {
        const QString imei = readImei(r, true);
        if (!r.failed())
            it.out.batch.pushMessages.append(message(it, imei, type, r.time(L("gateTime"))));
        return;
    }
    JsonReader m(msg, &it.problems, QStringLiteral("msg"));
    Alarm a;
    a.imei = readImei(m, true, &r);
    const QString alertType = m.text(L("alertType"));
    const QString name = m.text(L("alarmName"), L("alertName"));
    if (alertType == QLatin1String("removeAlarmType")) {
        // The end of an alarm: a row of its own, named after the alarm it ends.
        a.typeId = m.requiredText(L("removeAlarmType"));
        a.typeName = (name.isEmpty() ? QStringLiteral("Alarm %1").arg(a.typeId) : name) + QStringLiteral(" ended");
    } else {
        a.typeId = m.requiredText(L("alertType"));
        a.typeName = name;
    }
    // The device's time of the alarm; the gateway's only when it sent none.
    a.time = m.has(L("alarmTime")) ? m.requiredTime(L("alarmTime")) : r.requiredTime(L("gateTime"));
    readAlarmDetails(m, m, &a);
    it.nestedFailed = m.failed();
    if (!m.failed() && !r.failed())
        it.out.batch.alarms.append(AlarmRecord{a, ReportSource::Push});
}

void readAlarm(Item &it)
{
    if (it.envelope.officialForm) {
        // The official form names its content with msgType (field notes §3.1).
        if (it.envelope.msgType == QLatin1String("jimi.push.device.alarm")) {
            readFlatAlarm(it);
        } else {
            const QString imei = readImei(it.r, false);
            if (!it.r.failed())
                it.out.batch.pushMessages.append(message(it, imei, it.envelope.msgType, it.r.time(L("gateTime"))));
        }
        return;
    }
    const JsonNode msg = it.node.value(L("msg"));
    if (msg.isObject())
        readNestedAlarm(it, msg);
    else
        readFlatAlarm(it);
}

void readOil(Item &it)
{
    JsonReader &r = it.r;
    FuelReading f;
    f.imei = readImei(r, true);
    f.sensorPath = r.integer(L("path")).value_or(0);
    f.time = r.requiredTime(L("gateTime"));
    if (const std::optional<double> v = r.number(L("value")))
        f.value = *v / 100.0; // sent in hundredths (reference §10.7)
    const QString unit = r.text(L("unit"));
    static const char *const units[] = {"cm", "%", "V", "L"};
    const int code = unit.toInt();
    f.unit = code >= 1 && code <= 4 ? QLatin1String(units[code - 1]) : unit;
    f.gpsTime = r.time(L("gpsTime"));
    optionalCoordinates(r, L("lat"), L("lng"), &f.lat, &f.lng);
    if (!r.failed())
        it.out.batch.fuelReadings.append(f);
}

void readTemperature(Item &it)
{
    JsonReader &r = it.r;
    TemperatureReading t;
    t.imei = readImei(r, true);
    t.time = requiredTime(r, L("gateTime"), L("postTime"));
    t.temperatureC = r.number(L("tem"));
    t.humidityPct = r.number(L("hum"));
    t.postTime = r.time(L("postTime"));
    if (!r.failed())
        it.out.batch.temperatureReadings.append(t);
}

void readLbs(Item &it)
{
    JsonReader &r = it.r;
    LbsReading l;
    l.imei = readImei(r, true);
    l.time = r.requiredTime(L("gateTime"));
    l.postType = r.text(L("postType")).toUpper();
    const JsonNode cells = it.node.value(L("lbsJson"));
    std::optional<JsonDom> dom;
    JsonNode parsed;
    if (JsonReader::isAbsent(cells)) {
        r.fail(QStringLiteral("required field 'lbsJson' is missing"));
    } else if (const std::optional<QByteArray> json = embeddedJson(cells, &dom, &parsed)) {
        l.lbsJson = QString::fromUtf8(*json);
    } else if (cells.isString()) {
        // Kept as sent: the cells may still be readable by a person.
        l.lbsJson = cells.toString();
        r.warn(QStringLiteral("field 'lbsJson' is not JSON; kept as text"));
    } else {
        r.fail(QStringLiteral("field 'lbsJson' is neither JSON nor text"));
    }
    if (!r.failed())
        it.out.batch.lbsReadings.append(l);
}

// obdJson scalars by key (reference §10.20 names the columns, not the keys):
// the snake_case column names first, then common camelCase spellings. The
// numbered dataID<n> PIDs are left in obdJson: their meaning is not public.
void readObd(Item &it)
{
    JsonReader &r = it.r;
    ObdReading o;
    o.imei = readImei(r, true);
    const JsonNode obd = it.node.value(L("obdJson"));
    std::optional<JsonDom> dom;
    JsonNode parsed;
    const std::optional<QByteArray> json = embeddedJson(obd, &dom, &parsed);
    if (!json || !parsed.isObject()) {
        r.fail(JsonReader::isAbsent(obd) ? QStringLiteral("required field 'obdJson' is missing")
                                         : QStringLiteral("field 'obdJson' is not a JSON object"));
        return;
    }
    o.obdJson = QString::fromUtf8(*json);
    JsonReader v(parsed, &it.problems, QStringLiteral("obdJson"));
    o.eventTime = v.time(L("event_time"), L("eventTime"));
    if (!o.eventTime.isValid())
        o.eventTime = r.time(L("gateTime"));
    if (!o.eventTime.isValid())
        r.fail(QStringLiteral("no time (obdJson.event_time or gateTime)"));
    o.pushTime = v.time(L("push_time"), L("pushTime"));
    o.carType = v.integer(L("car_type"), L("carType"));
    o.acc = v.flag(L("AccState"), L("accState"));
    o.statusFlags = v.integer64(L("statusFlags"));
    optionalCoordinates(v, L("lat"), L("lng"), &o.lat, &o.lng);
    o.engineRpm = firstNumber(v, {"engine_rpm", "engineRpm", "rpm", "engineSpeed"});
    o.coolantTempC = firstNumber(v, {"coolant_temp_c", "coolantTemp", "coolant"});
    o.fuelLevelPct = firstNumber(v, {"fuel_level_pct", "fuelLevel"});
    o.batteryVoltage = firstNumber(v, {"battery_voltage", "batteryVoltage", "voltage"});
    o.intakePressureKpa = firstNumber(v, {"intake_pressure", "intakePressure"});
    o.throttlePct = firstNumber(v, {"throttle_pct", "throttle"});
    o.vehicleSpeedKmh = firstNumber(v, {"vehicle_speed", "vehicleSpeed", "speed"});
    o.engineLoadPct = firstNumber(v, {"engine_load_pct", "engineLoad"});
    if (!r.failed())
        it.out.batch.obdReadings.append(o);
}

void readFault(Item &it)
{
    JsonReader &r = it.r;
    FaultReport f;
    f.imei = readImei(r, true);
    f.reportTime = requiredTime(r, L("gateTime"), L("eventTime"));
    f.eventTime = r.time(L("eventTime"));
    const JsonNode list = it.node.value(L("faultCodeList"));
    if (list.isArray()) {
        for (JsonNode c = list.firstChild(); !c.isUndefined(); c = c.nextSibling()) {
            bool ok = true;
            const QString code = JsonReader::toText(c, &ok).trimmed();
            if (!ok)
                r.warn(QStringLiteral("a fault code that is not text dropped"));
            else if (!code.isEmpty())
                f.codes.append(code);
        }
    } else {
        const QString text = r.text(L("faultCodeList"));
        for (const QString &code : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!code.trimmed().isEmpty())
                f.codes.append(code.trimmed());
        }
    }
    f.faultNum = r.integer(L("faultNum"));
    f.statusFlags = r.integer64(L("statusFlags"));
    optionalCoordinates(r, L("lat"), L("lng"), &f.lat, &f.lng);
    if (!r.failed())
        it.out.batch.faultReports.append(f);
}

// Trip times are documented as "BCD format": yyMMddHHmmss, or spelled out
// with the century, or the API's usual formats. Taken as UTC like every push
// time.
QDateTime tripTime(JsonReader &r, L key, bool required)
{
    const JsonNode v = r.object().value(key);
    bool ok = true;
    const QString text = JsonReader::toText(v, &ok).trimmed();
    QDateTime t;
    const bool digits = !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c >= QLatin1Char('0') && c <= QLatin1Char('9');
    });
    if (ok && digits && text.size() == 12) {
        t = ApiTime::parseCompact(text, &ok);
    } else if (ok && digits && text.size() == 14) {
        const QDate date(text.left(4).toInt(), text.mid(4, 2).toInt(), text.mid(6, 2).toInt());
        const QTime clock(text.mid(8, 2).toInt(), text.mid(10, 2).toInt(), text.mid(12, 2).toInt());
        ok = date.isValid() && clock.isValid();
        if (ok)
            t = Utc::dateTime(date, clock);
    } else {
        t = ApiTime::parse(v, &ok);
    }
    if (!ok)
        r.fail(QStringLiteral("field '%1' is not a time").arg(key));
    else if (required && !t.isValid())
        r.fail(QStringLiteral("required field '%1' is missing").arg(key));
    return t;
}

void readTrip(Item &it)
{
    JsonReader &r = it.r;
    PushedTrip t;
    t.imei = readImei(r, true);
    t.start = tripTime(r, L("beginTime"), true);
    t.end = tripTime(r, L("endTime"), false);
    t.reportTime = r.time(L("gateTime"));
    t.distanceKm = nonNegative(r, L("miles"));
    t.fuelL = nonNegative(r, L("oils"));
    t.idleSeconds = r.integer(L("idleTimes"));
    t.tripSeq = r.integer(L("tripSeq"));
    optionalCoordinates(r, L("beginLat"), L("beginLng"), &t.startLat, &t.startLng);
    optionalCoordinates(r, L("endLat"), L("endLng"), &t.endLat, &t.endLng);
    t.properties = r.integer(L("properties"));
    if (t.start.isValid() && t.end.isValid() && t.end < t.start)
        r.fail(QStringLiteral("trip ends before it starts"));
    if (!r.failed())
        it.out.batch.pushedTrips.append(t);
}

void readUploadCallback(Item &it)
{
    JsonReader &r = it.r;
    MediaUpload m;
    m.imei = readImei(r, true);
    m.fileKey = r.requiredText(L("filename"), L("fileName"));
    m.localFileName = r.text(L("localFileName"));
    m.businessType = r.text(L("businessType"));
    m.camera = r.integer(L("camera"));
    const QString shoot = r.text(L("shootType"));
    m.mediaType = shoot == QLatin1String("1") ? QStringLiteral("photo")
        : shoot == QLatin1String("2")         ? QStringLiteral("video")
                                              : shoot;
    m.mimeType = r.text(L("mimeType"));
    m.durationSeconds = r.integer(L("shootTime"));
    m.alarmTime = r.time(L("alarmTime"));
    optionalCoordinates(r, L("lat"), L("lng"), &m.lat, &m.lng);
    m.instructionId = r.text(L("instructionId"), L("instructionID"));
    m.received = it.received;
    if (!r.failed())
        it.out.batch.mediaUploads.append(m);
}

// {code, msg, data:{_code, _imei, ...}} or the data object alone.
void readInstructResponse(Item &it)
{
    JsonReader &r = it.r;
    const JsonNode data = it.node.value(L("data"));
    const bool wrapped = data.isObject();
    JsonReader d(wrapped ? data : it.node, &it.problems, wrapped ? QStringLiteral("data") : QString());
    CommandResponse c;
    c.imei = readImei(d, true, nullptr, L("_imei"));
    it.nestedFailed = d.failed();
    if (d.failed())
        return;
    c.serverFlagId = d.text(L("_serverFlagId"));
    c.code = d.integer(L("_code"));
    c.message = d.text(L("_msg"));
    c.content = d.text(L("_content"));
    c.received = it.received;
    if (!it.envelope.msgType.isEmpty()) {
        bool ok = false;
        const int type = it.envelope.msgType.toInt(&ok);
        if (ok)
            c.msgType = type;
        else
            r.warn(QStringLiteral("msgType '%1' is not a number").arg(it.envelope.msgType.left(24)));
    }
    it.out.batch.commandResponses.append(c);
}

// Everything kept as a PushMessage: which field names the kind, and whether
// the endpoint's items always name a device (reference §10.5-10.18).
struct MessageShape
{
    const char *kindKey;
    bool imeiRequired;
};

MessageShape messageShape(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::Rfid: return {"moduleType", true};
    case Endpoint::Module: return {"type", true};
    case Endpoint::FileUpload: return {"result", true};
    case Endpoint::ResourceList: return {nullptr, true};
    case Endpoint::FtpUpload: return {"result", true};
    case Endpoint::IotHubEvent: return {"eventType", true};
    case Endpoint::PassThrough: return {"type", true};
    case Endpoint::TerminalTransInfo: return {"extensionId", true};
    case Endpoint::FileContent: return {nullptr, true};
    // Not documented field by field: an item may name no device.
    case Endpoint::ExtendedKks: return {"subMessagesId", false};
    case Endpoint::GeneralBusiness: return {"businessType", false};
    default: return {nullptr, false};
    }
}

void readMessage(Item &it)
{
    JsonReader &r = it.r;
    const MessageShape shape = messageShape(it.endpoint);
    const QString imei = readImei(r, shape.imeiRequired);
    const QString kind = shape.kindKey ? r.text(L(shape.kindKey)) : QString();
    QDateTime time = r.time(L("gateTime"));
    if (!time.isValid())
        time = r.time(L("postTime"));
    if (!r.failed())
        it.out.batch.pushMessages.append(message(it, imei, kind, time));
}

void readItem(Item &it)
{
    switch (it.endpoint) {
    case Endpoint::Event: readEvent(it); break;
    case Endpoint::Heartbeat: readHeartbeat(it); break;
    case Endpoint::Gps: readGps(it); break;
    case Endpoint::Alarm: readAlarm(it); break;
    case Endpoint::Oil: readOil(it); break;
    case Endpoint::Temperature: readTemperature(it); break;
    case Endpoint::Lbs: readLbs(it); break;
    case Endpoint::Obd: readObd(it); break;
    case Endpoint::FaultInfo: readFault(it); break;
    case Endpoint::TripReport: readTrip(it); break;
    case Endpoint::UploadCallback: readUploadCallback(it); break;
    case Endpoint::InstructResponse: readInstructResponse(it); break;
    case Endpoint::Rfid:
    case Endpoint::Module:
    case Endpoint::FileUpload:
    case Endpoint::ResourceList:
    case Endpoint::FtpUpload:
    case Endpoint::IotHubEvent:
    case Endpoint::PassThrough:
    case Endpoint::TerminalTransInfo:
    case Endpoint::FileContent:
    case Endpoint::ExtendedKks:
    case Endpoint::GeneralBusiness: readMessage(it); break;
    }
}

} // namespace

ParsedPush parsePush(Endpoint endpoint, const PushEnvelope &envelope, const PushItems &items,
                     const QDateTime &receivedUtc)
{
    ParsedPush out;
    const QList<JsonNode> list = items.items();
    out.itemCount = int(list.size());
    for (int i = 0; i < list.size(); ++i) {
        const JsonNode &node = list.at(i);
        if (!node.isObject()) {
            out.rejected.append(PushItemError{i, QStringLiteral("not an object"), node.toCompactJson()});
            continue;
        }
        QStringList problems;
        JsonReader r(node, &problems);
        Item it{node, r, problems, false, out, envelope, endpoint, receivedUtc};
        readItem(it);
        if (r.failed() || it.nestedFailed) {
            out.rejected.append(PushItemError{i, problems.join(QStringLiteral("; ")), node.toCompactJson()});
        } else {
            for (const QString &p : std::as_const(problems))
                out.warnings.append(QStringLiteral("item %1: %2").arg(i).arg(p));
        }
    }
    return out;
}

} // namespace Fleet::Push
