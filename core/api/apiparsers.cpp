#include "apiparsers.h"

#include "util/jsonreader.h"

#include <QRegularExpression>

#include <cmath>

namespace Fleet::ApiParse {

namespace {

ApiError malformed(const QString &method, const QString &why)
{
    return ApiError{ApiError::Kind::MalformedResponse, 0, 0, method, why};
}

bool isNullish(const JsonNode &v)
{
    return JsonReader::isAbsent(v);
}

// The payload array: result or data, or a paged object inside either
// ({rows:[…]}, {result:[…]}). null/absent means "no rows".
// Returns an invalid node for "no rows" and nullopt for a wrong shape.
std::optional<JsonNode> findArray(const ApiEnvelope &env, QString *where, JsonNode *pageInfo = nullptr)
{
    for (const JsonNode &v : {env.result, env.data}) {
        if (v.isArray())
            return v;
        if (v.isObject()) {
            for (const char *key : {"rows", "result", "list"}) {
                const JsonNode inner = v.value(QLatin1String(key));
                if (inner.isArray() || inner.isNull()) {
                    if (pageInfo)
                        *pageInfo = v;
                    return inner;
                }
            }
        }
    }
    if (isNullish(env.result) && isNullish(env.data))
        return JsonNode();
    *where = QStringLiteral("expected a list, got %1")
                 .arg(env.result.isObject() || env.data.isObject() ? QStringLiteral("an object")
                                                                   : QStringLiteral("a scalar"));
    return std::nullopt;
}

std::optional<JsonNode> findObject(const ApiEnvelope &env)
{
    if (env.result.isObject())
        return env.result;
    if (env.data.isObject())
        return env.data;
    // Some single-object answers come wrapped in a one-element list.
    for (const JsonNode &v : {env.result, env.data}) {
        if (v.isArray() && v.size() == 1 && v.firstChild().isObject())
            return v.firstChild();
    }
    return std::nullopt;
}

template<typename T, typename ItemFn>
Result<ApiList<T>> parseList(const ApiEnvelope &env, const QString &method, ItemFn itemFn)
{
    QString why;
    JsonNode page;
    const std::optional<JsonNode> array = findArray(env, &why, &page);
    if (!array)
        return malformed(method, why);
    ApiList<T> out;
    out.items.reserve(array->size());
    qsizetype i = 0;
    for (JsonNode v = array->firstChild(); !v.isUndefined(); v = v.nextSibling(), ++i) {
        if (!v.isObject()) {
            out.skipped.append(QStringLiteral("item %1: not an object").arg(i));
            continue;
        }
        QStringList problems;
        JsonReader r(v, &problems, i);
        std::optional<T> item = itemFn(r);
        if (item && !r.failed()) {
            out.items.append(std::move(*item));
            out.warnings += problems;
        } else {
            out.skipped.append(problems.isEmpty() ? QStringLiteral("item %1: unusable").arg(i)
                                                  : problems.join(QStringLiteral("; ")));
        }
    }
    if (page.isObject()) {
        QStringList ignored;
        JsonReader pr(page, &ignored);
        out.totalRows = pr.integer(QLatin1String("dataTotalRows"), QLatin1String("totalRecord"));
        if (!out.totalRows)
            out.totalRows = pr.integer(QLatin1String("total"));
    }
    return out;
}

bool validLatLng(double lat, double lng)
{
    return std::isfinite(lat) && std::isfinite(lng) && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
}

// Coordinates a device reports when it has none: both zero, or absent.
std::optional<std::pair<double, double>> readCoordinates(JsonReader &r, bool required)
{
    const bool present = r.has(QLatin1String("lat")) || r.has(QLatin1String("lng"));
    bool latOk = true;
    bool lngOk = true;
    const std::optional<double> lat = JsonReader::toNumber(r.object().value(QLatin1String("lat")), &latOk);
    const std::optional<double> lng = JsonReader::toNumber(r.object().value(QLatin1String("lng")), &lngOk);
    if (!latOk || !lngOk || (present && (!lat || !lng))) {
        // A coordinate that is there but unreadable is never dropped silently.
        r.fail(QStringLiteral("unreadable coordinates"));
        return std::nullopt;
    }
    if (!lat || !lng) {
        if (required)
            r.fail(QStringLiteral("no coordinates"));
        return std::nullopt;
    }
    if (!validLatLng(*lat, *lng)) {
        r.fail(QStringLiteral("coordinates out of range (%1, %2)").arg(*lat).arg(*lng));
        return std::nullopt;
    }
    if (*lat == 0.0 && *lng == 0.0) {
        if (required)
            r.fail(QStringLiteral("no fix (coordinates 0,0)"));
        return std::nullopt; // "no fix" (expired devices report 0,0)
    }
    return std::make_pair(*lat, *lng);
}

std::optional<double> course(const JsonReader &r, QLatin1String key, QLatin1String alt = {})
{
    const std::optional<double> d = r.number(key, alt);
    if (!d || *d < 0 || *d > 360)
        return std::nullopt; // -1 = unknown
    return *d == 360 ? 0.0 : *d;
}

std::optional<double> speed(const JsonReader &r, QLatin1String key, QLatin1String alt = {})
{
    const std::optional<double> d = r.number(key, alt);
    if (!d || *d < 0)
        return std::nullopt; // -1 = unknown
    return d;
}

PositionType positionType(const JsonReader &r, QLatin1String key)
{
    const QString t = r.text(key).toUpper();
    if (t == QLatin1String("GPS") || t == QLatin1String("1"))
        return PositionType::Gps;
    if (t == QLatin1String("LBS") || t == QLatin1String("2"))
        return PositionType::Lbs;
    if (t == QLatin1String("WIFI") || t == QLatin1String("3"))
        return PositionType::Wifi;
    if (t == QLatin1String("BEACON") || t == QLatin1String("5"))
        return PositionType::Beacon;
    return PositionType::Unknown;
}

// The vendor's samples carry "xxxxxxx" for identifiers they hide.
QString identifier(const JsonReader &r, QLatin1String key, QLatin1String alt = {})
{
    const QString s = r.text(key, alt);
    static const QRegularExpression placeholder(QStringLiteral("^[xX*]+$"));
    return placeholder.match(s).hasMatch() ? QString() : s;
}

Device readDevice(JsonReader &r)
{
    Device d;
    d.imei = r.requiredIdentifier(QLatin1String("imei"));
    d.name = r.text(QLatin1String("deviceName"));
    d.model = r.text(QLatin1String("mcType"));
    d.sim = r.text(QLatin1String("sim"));
    d.iccid = identifier(r, QLatin1String("iccid"));
    d.imsi = identifier(r, QLatin1String("imsi"));
    d.vin = identifier(r, QLatin1String("vin"), QLatin1String("VIN"));
    if (d.vin.isEmpty()) {
        // Some accounts keep the VIN in the frame-number field.
        static const QRegularExpression vinRe(QStringLiteral("^[A-HJ-NPR-Z0-9]{17}$"));
        const QString frame = identifier(r, QLatin1String("carFrame"));
        if (vinRe.match(frame).hasMatch())
            d.vin = frame;
    }
    d.vehicleName = r.text(QLatin1String("vehicleName"));
    d.plate = r.text(QLatin1String("vehicleNumber"), QLatin1String("licensePlatNo"));
    d.vehicleIcon = r.text(QLatin1String("vehicleIcon"));
    d.driverName = r.text(QLatin1String("driverName"));
    d.driverPhone = r.text(QLatin1String("driverPhone"));
    d.groupId = r.text(QLatin1String("deviceGroupId"));
    d.groupName = r.text(QLatin1String("deviceGroup"));
    d.account = r.text(QLatin1String("account"));
    d.customerName = r.text(QLatin1String("customerName"));
    d.remark = r.text(QLatin1String("reMark"), QLatin1String("remarks"));
    d.activationTime = r.time(QLatin1String("activationTime"));
    d.expiration = r.time(QLatin1String("expiration"));
    d.enabled = r.flag(QLatin1String("enabledFlag"));
    d.odometerKm = r.number(QLatin1String("currentMileage"));
    return d;
}

QUrl urlFromText(const QString &text)
{
    if (text.isEmpty())
        return {};
    // location.URL.share answers without a scheme ("data.16180track.com/api/share?…").
    QUrl url(text.contains(QStringLiteral("://")) ? text : QStringLiteral("https://") + text, QUrl::StrictMode);
    return url;
}

} // namespace

Result<TokenInfo> token(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("jimi.oauth.token.get");
    const std::optional<JsonNode> o = findObject(env);
    if (!o)
        return malformed(method, QStringLiteral("token answer has no result object"));
    QStringList problems;
    JsonReader r(*o, &problems);
    TokenInfo t;
    t.accessToken = r.requiredText(QLatin1String("accessToken"));
    t.refreshToken = r.text(QLatin1String("refreshToken"));
    t.account = r.text(QLatin1String("account"));
    t.appKey = r.text(QLatin1String("appKey"));
    t.serverTime = r.time(QLatin1String("time"));
    const std::optional<int> expires = r.integer(QLatin1String("expiresIn"));
    if (!expires || *expires <= 0)
        r.fail(QStringLiteral("'expiresIn' is missing or not positive"));
    else
        t.expiresInSecs = *expires;
    if (r.failed())
        return malformed(method, problems.join(QStringLiteral("; ")));
    return t;
}

Result<ApiList<Device>> deviceList(const ApiEnvelope &env)
{
    return parseList<Device>(env, QStringLiteral("jimi.user.device.list"),
                             [](JsonReader &r) { return std::optional<Device>(readDevice(r)); });
}

Result<Device> deviceDetail(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("jimi.track.device.detail");
    const std::optional<JsonNode> o = findObject(env);
    if (!o)
        return malformed(method, QStringLiteral("no device object in the answer"));
    QStringList problems;
    JsonReader r(*o, &problems);
    Device d = readDevice(r);
    if (r.failed())
        return malformed(method, problems.join(QStringLiteral("; ")));
    return d;
}

Result<ApiList<ExpirationUpdate>> expirationUpdate(const ApiEnvelope &env)
{
    return parseList<ExpirationUpdate>(env, QStringLiteral("jimi.user.device.expiration.update"), [](JsonReader &r) {
        ExpirationUpdate u;
        u.imei = r.requiredIdentifier(QLatin1String("imei"));
        u.result = r.text(QLatin1String("update_result"));
        u.message = r.text(QLatin1String("update_msg"));
        return std::optional<ExpirationUpdate>(u);
    });
}

Result<QStringList> deviceMove(const ApiEnvelope &env)
{
    QString why;
    const std::optional<JsonNode> a = findArray(env, &why);
    if (!a)
        return malformed(QStringLiteral("jimi.open.device.move"), why);
    QStringList imeis;
    for (JsonNode v = a->firstChild(); !v.isUndefined(); v = v.nextSibling()) {
        bool ok = true;
        QString s = v.isObject() ? JsonReader::toIdentifier(v.value(QLatin1String("imei")), &ok)
                                 : JsonReader::toIdentifier(v, &ok);
        if (ok && !s.isEmpty())
            imeis.append(s);
    }
    return imeis;
}

Result<DeviceGroup> groupCreate(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("jimi.device.group.create");
    const std::optional<JsonNode> o = findObject(env);
    if (!o)
        return malformed(method, QStringLiteral("no group object in the answer"));
    QStringList problems;
    JsonReader r(*o, &problems);
    DeviceGroup g;
    g.id = r.requiredText(QLatin1String("group_id"), QLatin1String("groupId"));
    g.name = r.text(QLatin1String("group_name"), QLatin1String("groupName"));
    if (r.failed())
        return malformed(method, problems.join(QStringLiteral("; ")));
    return g;
}

Result<ApiList<DeviceGroup>> groupList(const ApiEnvelope &env)
{
    return parseList<DeviceGroup>(env, QStringLiteral("jimi.device.group.list"), [](JsonReader &r) {
        DeviceGroup g;
        g.id = r.requiredText(QLatin1String("group_id"), QLatin1String("groupId"));
        g.name = r.text(QLatin1String("group_name"), QLatin1String("groupName"));
        return std::optional<DeviceGroup>(g);
    });
}

Result<ApiList<DeviceLocation>> locations(const ApiEnvelope &env)
{
    return parseList<DeviceLocation>(env, QStringLiteral("jimi.user.device.location.list"), [](JsonReader &r) {
        DeviceLocation l;
        l.imei = r.requiredIdentifier(QLatin1String("imei"));
        l.name = r.text(QLatin1String("deviceName"));
        l.model = r.text(QLatin1String("mcType"));
        l.account = r.text(QLatin1String("account"));
        l.online = r.flag(QLatin1String("status"));
        l.heartbeatTime = r.time(QLatin1String("hbTime"));
        l.gsmSignal = r.integer(QLatin1String("gpsSignal"));
        l.odometerKm = r.number(QLatin1String("currentMileage"));
        l.externalVoltage = r.number(QLatin1String("powerValue"));
        l.batteryPercent = r.number(QLatin1String("electQuantity"), QLatin1String("elecQuantity"));
        // Tags (posType BEACON) report their battery level in batteryPowerVal, in percent.
        if (r.text(QLatin1String("posType")).compare(QLatin1String("BEACON"), Qt::CaseInsensitive) == 0) {
            if (!l.batteryPercent)
                l.batteryPercent = r.number(QLatin1String("batteryPowerVal"));
        } else {
            l.batteryVoltage = r.number(QLatin1String("batteryPowerVal"));
        }
        l.temperatureC = r.number(QLatin1String("temperature"));
        l.fuelLitres = r.number(QLatin1String("trackerOil")); // "0.00L"
        if (const std::optional<bool> notExpired = r.flag(QLatin1String("expireFlag")))
            l.expired = !*notExpired;
        l.activated = r.flag(QLatin1String("activationFlag"));
        l.address = r.text(QLatin1String("locDesc"));

        const auto coords = readCoordinates(r, false);
        const QDateTime gpsTime = r.time(QLatin1String("gpsTime"));
        // What the device says now, with a usable fix or not. The ignition
        // belongs to the device's newest report the cloud has (a heartbeat
        // may be newer than the fix); speed and heading to the GPS report.
        DeviceReadings &now = l.readings;
        now.acc = r.flag(QLatin1String("accStatus"));
        if (now.acc)
            now.accTime = std::max(gpsTime, l.heartbeatTime, [](const QDateTime &a, const QDateTime &b) {
                return !a.isValid() || (b.isValid() && a < b);
            });
        if (gpsTime.isValid()) {
            now.motionTime = gpsTime;
            now.speedKmh = speed(r, QLatin1String("speed"));
            now.courseDeg = course(r, QLatin1String("direction"));
            now.satellites = r.integer(QLatin1String("gpsNum"));
            now.type = positionType(r, QLatin1String("posType"));
        }
        if (coords && gpsTime.isValid()) {
            Position p;
            p.imei = l.imei;
            p.gpsTime = gpsTime;
            p.lat = coords->first;
            p.lng = coords->second;
            p.speedKmh = now.speedKmh;
            p.courseDeg = now.courseDeg;
            p.acc = now.acc;
            p.satellites = now.satellites;
            p.confidence = r.integer(QLatin1String("confidence"));
            p.type = now.type;
            l.fix = p;
        }
        return std::optional<DeviceLocation>(l);
    });
}

Result<QUrl> shareUrl(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("jimi.device.location.URL.share");
    QString text;
    bool ok = true;
    if (const std::optional<JsonNode> o = findObject(env))
        text = JsonReader::toText(o->contains(QLatin1String("URL")) ? o->value(QLatin1String("URL"))
                                                                    : o->value(QLatin1String("url")),
                                  &ok);
    else if (env.result.isString())
        text = env.result.toString();
    const QUrl url = urlFromText(text.trimmed());
    if (!ok || !url.isValid() || url.host().isEmpty())
        return malformed(method, QStringLiteral("no valid share URL in the answer"));
    return url;
}

Result<MileageReport> mileage(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("jimi.device.track.mileage");
    MileageReport report;
    // Trips live in result; per-device totals in data (official sample).
    ApiEnvelope tripsOnly = env;
    if (env.result.isArray() || isNullish(env.result))
        tripsOnly.data = JsonNode();
    Result<ApiList<Trip>> trips = parseList<Trip>(tripsOnly, method, [](JsonReader &r) {
        Trip t;
        t.imei = r.requiredIdentifier(QLatin1String("imei"));
        t.start = r.requiredTime(QLatin1String("startTime"));
        t.end = r.requiredTime(QLatin1String("endTime"));
        // BUG-02: the API reports kilometres; stored as they come, never ×1000.
        t.distanceKm = r.number(QLatin1String("distance"));
        if (t.distanceKm && *t.distanceKm < 0)
            t.distanceKm.reset();
        t.avgSpeedKmh = speed(r, QLatin1String("avgSpeed"));
        t.maxSpeedKmh = speed(r, QLatin1String("maxSpeed")); // BUG-03
        t.runSeconds = r.integer(QLatin1String("runTimeSecond"), QLatin1String("elapsed"));
        t.idleSeconds = r.integer(QLatin1String("idleSecond"));
        t.startLat = r.number(QLatin1String("startLat"));
        t.startLng = r.number(QLatin1String("startLng"));
        t.endLat = r.number(QLatin1String("endLat"));
        t.endLng = r.number(QLatin1String("endLng"));
        if (t.start.isValid() && t.end.isValid() && t.end < t.start)
            r.fail(QStringLiteral("trip ends before it starts"));
        // A distance no vehicle can cover in the trip's time is not kilometres
        // (the reference's metres/km disagreement): leave it out, say why.
        const qint64 secs = t.start.isValid() && t.end.isValid() ? t.start.secsTo(t.end) : 0;
        if (t.distanceKm && secs > 0 && *t.distanceKm / (double(secs) / 3600.0) > 300.0) {
            r.warn(QStringLiteral("distance %1 km in %2 s is implausible; left out").arg(*t.distanceKm).arg(secs));
            t.distanceKm.reset();
        }
        return std::optional<Trip>(t);
    });
    if (!trips.ok())
        return trips.error();
    report.trips = trips.value();
    if (env.result.isArray() && env.data.isArray()) {
        for (JsonNode v = env.data.firstChild(); !v.isUndefined(); v = v.nextSibling()) {
            QStringList problems;
            JsonReader r(v, &problems);
            MileageTotal total;
            total.imei = r.identifier(QLatin1String("imei"));
            const std::optional<double> km = r.number(QLatin1String("totalMileage"));
            if (!total.imei.isEmpty() && km) {
                total.totalKm = *km;
                report.totals.append(total);
            }
        }
    }
    return report;
}

Result<ApiList<Position>> track(const ApiEnvelope &env, const QString &imei)
{
    ApiEnvelope pointsOnly = env;
    if (env.result.isArray() || isNullish(env.result))
        pointsOnly.data = JsonNode(); // data carries {"mileage":…}
    return parseList<Position>(pointsOnly, QStringLiteral("jimi.device.track.list"), [&imei](JsonReader &r) {
        Position p;
        p.imei = imei;
        p.gpsTime = r.requiredTime(QLatin1String("gpsTime"));
        const auto coords = readCoordinates(r, true);
        if (!coords)
            return std::optional<Position>();
        p.lat = coords->first;
        p.lng = coords->second;
        p.speedKmh = speed(r, QLatin1String("gpsSpeed"), QLatin1String("speed"));
        p.courseDeg = course(r, QLatin1String("direction"));
        p.acc = r.flag(QLatin1String("accStatus"), QLatin1String("ignition"));
        p.satellites = r.integer(QLatin1String("satellite"), QLatin1String("gpsNum"));
        p.altitudeM = r.number(QLatin1String("altitude"));
        p.confidence = r.integer(QLatin1String("confidence"));
        if (const std::optional<int> mode = r.integer(QLatin1String("gpsMode")))
            p.reuploaded = *mode == 1;
        p.type = positionType(r, QLatin1String("posType"));
        return std::optional<Position>(p);
    });
}

Result<LbsLocation> lbsAddress(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("jimi.lbs.address.get");
    const std::optional<JsonNode> o = findObject(env);
    if (!o)
        return malformed(method, QStringLiteral("no location object in the answer"));
    QStringList problems;
    JsonReader r(*o, &problems);
    const auto coords = readCoordinates(r, true);
    if (!coords)
        return malformed(method,
                         problems.isEmpty() ? QStringLiteral("no usable coordinates")
                                            : problems.join(QStringLiteral("; ")));
    LbsLocation l;
    l.lat = coords->first;
    l.lng = coords->second;
    l.accuracyM = r.number(QLatin1String("accuracy"));
    if (l.accuracyM && *l.accuracyM <= 0)
        l.accuracyM.reset(); // 0 = unknown, not perfect
    return l;
}

Result<ApiList<StopPeriod>> parking(const ApiEnvelope &env)
{
    return parseList<StopPeriod>(env, QStringLiteral("jimi.open.platform.report.parking"), [](JsonReader &r) {
        StopPeriod s;
        s.imei = r.requiredIdentifier(QLatin1String("imei"));
        s.deviceName = r.text(QLatin1String("deviceName"));
        s.start = r.requiredTime(QLatin1String("startTime"));
        s.end = r.time(QLatin1String("endTime"));
        s.durationSeconds = r.integer(QLatin1String("durSecond")); // POLL-02
        s.stopSeconds = r.integer(QLatin1String("stopSecond"));
        s.accOn = r.flag(QLatin1String("acc"));
        if (const auto coords = readCoordinates(r, false)) {
            s.lat = coords->first;
            s.lng = coords->second;
        }
        s.address = r.text(QLatin1String("addr"));
        return std::optional<StopPeriod>(s);
    });
}

Result<ApiList<Position>> tagLocation(const ApiEnvelope &env, const QString &imei)
{
    return parseList<Position>(env, QStringLiteral("jimi.device.location.getTagMsg"), [&imei](JsonReader &r) {
        Position p;
        p.imei = imei;
        p.gpsTime = r.requiredTime(QLatin1String("gpsTime"));
        const auto coords = readCoordinates(r, true);
        if (!coords)
            return std::optional<Position>();
        p.lat = coords->first;
        p.lng = coords->second;
        p.speedKmh = speed(r, QLatin1String("gpsSpeed"));
        p.courseDeg = course(r, QLatin1String("directions"), QLatin1String("direction"));
        p.satellites = r.integer(QLatin1String("gpsNum"));
        p.type = positionType(r, QLatin1String("positionType"));
        return std::optional<Position>(p);
    });
}

Result<ApiList<Alarm>> alarms(const ApiEnvelope &env)
{
    return parseList<Alarm>(env, QStringLiteral("jimi.device.alarm.list"), [](JsonReader &r) {
        // BUG-01: polling names are alertTypeId / alarmTypeName / alertTime.
        Alarm a;
        a.imei = r.requiredIdentifier(QLatin1String("imei"));
        a.deviceName = r.text(QLatin1String("deviceName"));
        a.model = r.text(QLatin1String("model"));
        a.typeId = r.requiredText(QLatin1String("alertTypeId"));
        a.typeName = r.text(QLatin1String("alarmTypeName"), QLatin1String("alertTypeName"));
        a.time = r.requiredTime(QLatin1String("alertTime"));
        a.positionTime = r.time(QLatin1String("positioningTime"));
        if (const auto coords = readCoordinates(r, false)) {
            a.lat = coords->first;
            a.lng = coords->second;
        }
        a.speedKmh = speed(r, QLatin1String("speed"));
        a.fenceId = r.text(QLatin1String("geoid"));
        a.account = r.text(QLatin1String("account"));
        return std::optional<Alarm>(a);
    });
}

Result<LivePage> livePage(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("jimi.device.live.page.url");
    const std::optional<JsonNode> o = findObject(env);
    if (!o)
        return malformed(method, QStringLiteral("no live page object in the answer"));
    QStringList problems;
    JsonReader r(*o, &problems);
    LivePage p;
    p.url = r.requiredText(QLatin1String("UrlCamera"), QLatin1String("urlCamera"));
    if (const auto coords = readCoordinates(r, false)) {
        p.lat = coords->first;
        p.lng = coords->second;
    }
    p.gpsTime = r.time(QLatin1String("gpsTime"));
    p.vin = r.text(QLatin1String("VIN"), QLatin1String("vin"));
    p.plate = r.text(QLatin1String("plateNo"));
    if (r.failed() || !QUrl(p.url, QUrl::StrictMode).isValid())
        return malformed(method,
                         problems.isEmpty() ? QStringLiteral("invalid page URL") : problems.join(QStringLiteral("; ")));
    return p;
}

Result<MediaCommandAck> mediaCommand(const ApiEnvelope &env)
{
    MediaCommandAck ack;
    if (const std::optional<JsonNode> o = findObject(env)) {
        QStringList problems;
        JsonReader r(*o, &problems);
        ack.code = r.text(QLatin1String("code"));
        ack.message = r.text(QLatin1String("msg"), QLatin1String("message"));
        ack.cmdSeqNo = r.text(QLatin1String("cmdSeqNo"));
    } else if (!isNullish(env.result) || !isNullish(env.data)) {
        return malformed(QStringLiteral("jimi.device.meida.cmd.send"),
                         QStringLiteral("unexpected acknowledgement shape"));
    }
    if (ack.message.isEmpty())
        ack.message = env.message;
    return ack;
}

Result<ApiList<MediaFile>> mediaFiles(const ApiEnvelope &env, const QString &imei)
{
    return parseList<MediaFile>(env, QStringLiteral("jimi.device.jimi.media.URL"), [&imei](JsonReader &r) {
        MediaFile f;
        f.imei = r.identifier(QLatin1String("imei"));
        if (f.imei.isEmpty())
            f.imei = imei;
        f.camera = r.integer(QLatin1String("camera"));
        f.mediaType = r.text(QLatin1String("media_type"), QLatin1String("mediaType"));
        f.mimeType = r.text(QLatin1String("mime_type"), QLatin1String("mimeType"));
        f.thumbUrl = r.text(QLatin1String("thumb_URL"), QLatin1String("thumbUrl"));
        f.fileUrl = r.requiredText(QLatin1String("file_URL"), QLatin1String("fileUrl"));
        f.created = r.time(QLatin1String("create_time"));
        f.fileSize = r.integer64(QLatin1String("file_size"), QLatin1String("fileSize"));
        return std::optional<MediaFile>(f);
    });
}

Result<ApiList<MediaEvent>> mediaEvents(const ApiEnvelope &env)
{
    return parseList<MediaEvent>(env, QStringLiteral("jimi.device.media.event.URL"), [](JsonReader &r) {
        MediaEvent e;
        e.imei = r.requiredIdentifier(QLatin1String("imei"));
        e.eventTypeId = r.text(QLatin1String("event_type_id"));
        e.eventType = r.text(QLatin1String("event_type"));
        if (const auto coords = readCoordinates(r, false)) {
            e.lat = coords->first;
            e.lng = coords->second;
        }
        e.alarmTime = r.time(QLatin1String("alarm_time"));
        e.created = r.time(QLatin1String("create_time"));
        const JsonNode files = r.object().value(QLatin1String("fileList"));
        for (JsonNode fv = files.firstChild(); files.isArray() && !fv.isUndefined(); fv = fv.nextSibling()) {
            QStringList problems;
            JsonReader fr(fv, &problems);
            MediaFile f;
            f.imei = e.imei;
            f.camera = fr.integer(QLatin1String("camera"));
            f.mediaType = fr.text(QLatin1String("media_type"));
            f.mimeType = fr.text(QLatin1String("mime_type"));
            f.thumbUrl = fr.text(QLatin1String("thumb_URL"));
            f.fileUrl = fr.text(QLatin1String("file_URL"));
            f.fileSize = fr.integer64(QLatin1String("file_size"));
            f.created = e.created;
            if (!f.fileUrl.isEmpty())
                e.files.append(f);
        }
        return std::optional<MediaEvent>(e);
    });
}

Result<QUrl> streamUrl(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("jimi.device.media.live.stream");
    QString text;
    if (env.result.isString())
        text = env.result.toString();
    else if (env.data.isString())
        text = env.data.toString();
    else if (const std::optional<JsonNode> o = findObject(env))
        text = o->value(QLatin1String("url")).toString();
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    static const QStringList schemes = {QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("ws"),
                                        QStringLiteral("wss"),  QStringLiteral("rtmp"),  QStringLiteral("rtsp")};
    if (text.trimmed().isEmpty() || !url.isValid() || !schemes.contains(url.scheme().toLower()) || url.host().isEmpty())
        return malformed(method, QStringLiteral("no playable stream URL in the answer"));
    return url;
}

Result<ApiList<VideoSegment>> videoSegments(const ApiEnvelope &env)
{
    return parseList<VideoSegment>(env, QStringLiteral("jimi.device.media.history.list.get"), [](JsonReader &r) {
        VideoSegment s;
        const std::optional<int> ch = r.integer(QLatin1String("channel"), QLatin1String("channal"));
        if (!ch)
            r.fail(QStringLiteral("no channel"));
        s.channel = ch.value_or(0);
        s.begin = r.requiredTime(QLatin1String("beginTime"));
        s.end = r.time(QLatin1String("endTime"));
        s.fileSize = r.integer64(QLatin1String("fileSize"));
        s.fileName = r.text(QLatin1String("fileName"));
        s.codeType = r.integer(QLatin1String("codeType"));
        s.alarmFlag = r.integer(QLatin1String("alarmFlag"));
        s.resourceType = r.integer(QLatin1String("resourceType"));
        s.storageType = r.integer(QLatin1String("storageType"));
        return std::optional<VideoSegment>(s);
    });
}

Result<ApiList<CommandTemplate>> commandTemplates(const ApiEnvelope &env)
{
    return parseList<CommandTemplate>(env, QStringLiteral("jimi.open.instruction.list"), [](JsonReader &r) {
        CommandTemplate t;
        t.id = r.requiredText(QLatin1String("id"));
        t.name = r.text(QLatin1String("orderName"));
        t.content = r.text(QLatin1String("orderContent"));
        t.explain = r.text(QLatin1String("orderExplain"));
        t.offlineCapable = r.flag(QLatin1String("isOffLine"));
        return std::optional<CommandTemplate>(t);
    });
}

Result<ApiList<CommandResult>> commandResults(const ApiEnvelope &env)
{
    return parseList<CommandResult>(env, QStringLiteral("jimi.open.instruction.result"), [](JsonReader &r) {
        CommandResult c;
        c.codeId = r.text(QLatin1String("codeId"));
        c.code = r.requiredText(QLatin1String("code"));
        c.content = r.text(QLatin1String("content"));
        const QString exec = r.text(QLatin1String("isExecute")).toLower();
        if (exec == QLatin1String("0") || exec == QLatin1String("false"))
            c.state = CommandResult::State::Failed;
        else if (exec == QLatin1String("1") || exec == QLatin1String("true"))
            c.state = CommandResult::State::Succeeded;
        else if (exec == QLatin1String("3"))
            c.state = CommandResult::State::Waiting;
        else if (exec == QLatin1String("4"))
            c.state = CommandResult::State::Cancelled;
        c.sendTime = r.time(QLatin1String("sendTime"));
        c.sender = r.text(QLatin1String("sender"));
        c.receiveDevice = r.text(QLatin1String("receiveDevice"));
        c.offline = r.flag(QLatin1String("isOffLine"));
        return std::optional<CommandResult>(c);
    });
}

Result<QString> fenceId(const ApiEnvelope &env)
{
    for (const JsonNode &v : {env.result, env.data}) {
        bool ok = true;
        const QString s = JsonReader::toText(v, &ok).trimmed();
        if (ok && !s.isEmpty())
            return s;
    }
    return malformed(QStringLiteral("fence.create"), QStringLiteral("no fence id in the answer"));
}

Result<int> fenceBindCount(const ApiEnvelope &env)
{
    for (const JsonNode &v : {env.data, env.result}) {
        bool ok = true;
        const std::optional<double> d = JsonReader::toNumber(v, &ok);
        if (ok && d && *d >= 0 && std::floor(*d) == *d && *d < 1e9)
            return int(*d);
    }
    return malformed(QStringLiteral("jimi.open.platform.fence.bind"), QStringLiteral("no device count in the answer"));
}

Result<InstructResult> instruct(const ApiEnvelope &env)
{
    const QString method = QStringLiteral("sendInstruct");
    std::optional<JsonNode> o = findObject(env);
    if (!o)
        return malformed(method, QStringLiteral("no data object in the answer"));
    QStringList problems;
    JsonReader r(*o, &problems);
    InstructResult res;
    const std::optional<int> code = r.integer(QLatin1String("_code"));
    if (!code)
        return malformed(method, QStringLiteral("the answer has no '_code'"));
    res.code = *code;
    res.message = r.text(QLatin1String("_msg"));
    res.imei = r.text(QLatin1String("_imei"));
    res.serverFlagId = r.text(QLatin1String("_serverFlagId"));
    res.content = r.text(QLatin1String("_content"));
    return res;
}

Result<Done> acknowledgement(const ApiEnvelope &)
{
    return Done{};
}

} // namespace Fleet::ApiParse
