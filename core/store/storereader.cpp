#include "storereader.h"

#include "util/utc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

namespace Fleet {

namespace {

QDateTime timeOf(const QVariant &v)
{
    return v.isNull() ? QDateTime() : Utc::fromSecs(v.toLongLong());
}

std::optional<double> realOf(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<double>(v.toDouble());
}

std::optional<int> intOf(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<int>(v.toInt());
}

std::optional<bool> flagOf(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<bool>(v.toInt() != 0);
}

PositionType typeOf(const QVariant &v)
{
    const QString t = v.toString();
    if (t == QLatin1String("GPS"))
        return PositionType::Gps;
    if (t == QLatin1String("LBS"))
        return PositionType::Lbs;
    if (t == QLatin1String("WIFI"))
        return PositionType::Wifi;
    if (t == QLatin1String("BEACON"))
        return PositionType::Beacon;
    return PositionType::Unknown;
}

PositionSource sourceOf(const QVariant &v)
{
    const QString s = v.toString();
    if (s == QLatin1String("track_list"))
        return PositionSource::TrackList;
    if (s == QLatin1String("push"))
        return PositionSource::Push;
    return PositionSource::Poll;
}

// The 12 columns that positionAt() reads, for table alias `a`.
QString positionColumns(const QString &a)
{
    return QStringLiteral("%1.imei, %1.gps_time, %1.lat, %1.lng, %1.speed_kmh, %1.direction_deg, %1.acc, "
                          "%1.satellites, %1.altitude_m, %1.confidence, %1.pos_type, %1.reuploaded")
        .arg(a);
}

Position positionAt(const QSqlQuery &q, int c)
{
    Position p;
    p.imei = q.value(c).toString();
    p.gpsTime = timeOf(q.value(c + 1));
    p.lat = q.value(c + 2).toDouble();
    p.lng = q.value(c + 3).toDouble();
    p.speedKmh = realOf(q.value(c + 4));
    p.courseDeg = realOf(q.value(c + 5));
    p.acc = flagOf(q.value(c + 6));
    p.satellites = intOf(q.value(c + 7));
    p.altitudeM = realOf(q.value(c + 8));
    p.confidence = intOf(q.value(c + 9));
    p.type = typeOf(q.value(c + 10));
    p.reuploaded = flagOf(q.value(c + 11));
    return p;
}

// Newest fix of the device in column `imeiColumn`, joined by rowid.
QString latestFixJoin(const QString &imeiColumn)
{
    return QStringLiteral("position_history p ON p.id = (SELECT h.id FROM position_history h WHERE h.imei = %1 "
                          "ORDER BY h.gps_time DESC LIMIT 1)")
        .arg(imeiColumn);
}

QVariant secsOr(const QDateTime &t, qint64 fallback)
{
    return t.isValid() ? t.toSecsSinceEpoch() : fallback;
}

constexpr qint64 kMinTime = std::numeric_limits<qint64>::min();
constexpr qint64 kMaxTime = std::numeric_limits<qint64>::max();

} // namespace

bool StoreReader::open(const QString &path, int busyTimeoutMs)
{
    StoreConnection::Options options;
    options.mode = StoreConnection::Mode::ReadOnly;
    options.busyTimeoutMs = busyTimeoutMs;
    const bool ok = m_connection.open(path, options);
    m_error = m_connection.errorString();
    return ok;
}

template<typename T, typename Fn>
QList<T> StoreReader::select(const QString &sql, const QVariantList &binds, Fn &&read)
{
    QList<T> out;
    if (!m_connection.isOpen()) {
        m_error = QStringLiteral("store reader is not open");
        return out;
    }
    QSqlQuery q(m_connection.database());
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        m_error = q.lastError().text();
        return out;
    }
    for (qsizetype i = 0; i < binds.size(); ++i)
        q.bindValue(int(i), binds.at(i));
    if (!q.exec()) {
        m_error = q.lastError().text();
        return out;
    }
    while (q.next())
        out.append(read(q));
    m_error.clear();
    return out;
}

// `sql` has one %1 where the filter on `imeiColumn` goes, and its other
// placeholders after it; every device when `imeis` is empty.
template<typename T, typename Fn>
QList<T> StoreReader::selectForDevices(const QString &sql, const QString &imeiColumn, const QStringList &imeis,
                                       const QVariantList &binds, Fn &&read)
{
    if (imeis.isEmpty())
        return select<T>(sql.arg(QLatin1String("1")), binds, std::forward<Fn>(read));
    // One JSON array parameter instead of one placeholder per device: no
    // limit on the number of devices and a single statement.
    const QString json = QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(imeis)).toJson(QJsonDocument::Compact));
    return select<T>(sql.arg(imeiColumn + QLatin1String(" IN (SELECT value FROM json_each(?))")),
                     QVariantList{json} + binds, std::forward<Fn>(read));
}

QList<Device> StoreReader::devices()
{
    return select<Device>(QStringLiteral(
                              "SELECT imei, device_name, mc_type, sim, iccid, imsi, vin, vehicle_name, vehicle_number, "
                              "vehicle_icon, driver_name, driver_phone, group_id, group_name, account, customer_name, "
                              "remark, activation_time, expiration_time, enabled, current_mileage_km FROM devices "
                              "ORDER BY imei"),
                          {}, [](const QSqlQuery &q) {
                              Device d;
                              d.imei = q.value(0).toString();
                              d.name = q.value(1).toString();
                              d.model = q.value(2).toString();
                              d.sim = q.value(3).toString();
                              d.iccid = q.value(4).toString();
                              d.imsi = q.value(5).toString();
                              d.vin = q.value(6).toString();
                              d.vehicleName = q.value(7).toString();
                              d.plate = q.value(8).toString();
                              d.vehicleIcon = q.value(9).toString();
                              d.driverName = q.value(10).toString();
                              d.driverPhone = q.value(11).toString();
                              d.groupId = q.value(12).toString();
                              d.groupName = q.value(13).toString();
                              d.account = q.value(14).toString();
                              d.customerName = q.value(15).toString();
                              d.remark = q.value(16).toString();
                              d.activationTime = timeOf(q.value(17));
                              d.expiration = timeOf(q.value(18));
                              d.enabled = flagOf(q.value(19));
                              d.odometerKm = realOf(q.value(20));
                              return d;
                          });
}

QList<DeviceGroup> StoreReader::groups()
{
    return select<DeviceGroup>(QStringLiteral("SELECT group_id, group_name FROM device_groups ORDER BY group_id"), {},
                               [](const QSqlQuery &q) {
                                   return DeviceGroup{q.value(0).toString(), q.value(1).toString()};
                               });
}

QList<DeviceLocation> StoreReader::deviceStates(const QStringList &imeis)
{
    const QString sql = QStringLiteral(
                            "SELECT d.imei, d.device_name, d.mc_type, d.account, s.online, s.heartbeat_time, "
                            "s.gsm_signal, s.current_mileage_km, s.external_voltage_v, s.battery_voltage_v, "
                            "s.battery_pct, s.temperature_c, s.fuel_l, s.expired, s.activated, s.address, "
                            "s.acc, s.acc_time, s.speed_kmh, s.direction_deg, s.satellites, s.pos_type, s.motion_time, "
                            "s.odometer_km, s.odometer_time, s.mileage_total_km, s.mileage_from, s.mileage_to, ")
        + positionColumns(QStringLiteral("p"))
        + QStringLiteral(" FROM devices d LEFT JOIN device_state s ON s.imei = d.imei LEFT JOIN ")
        + latestFixJoin(QStringLiteral("d.imei")) + QStringLiteral(" WHERE %1 ORDER BY d.imei");
    return selectForDevices<DeviceLocation>(sql, QStringLiteral("d.imei"), imeis, {}, [](const QSqlQuery &q) {
        DeviceLocation l;
        l.imei = q.value(0).toString();
        l.name = q.value(1).toString();
        l.model = q.value(2).toString();
        l.account = q.value(3).toString();
        l.online = flagOf(q.value(4));
        l.heartbeatTime = timeOf(q.value(5));
        l.gsmSignal = intOf(q.value(6));
        l.odometerKm = realOf(q.value(7));
        l.externalVoltage = realOf(q.value(8));
        l.batteryVoltage = realOf(q.value(9));
        l.batteryPercent = realOf(q.value(10));
        l.temperatureC = realOf(q.value(11));
        l.fuelLitres = realOf(q.value(12));
        l.expired = flagOf(q.value(13));
        l.activated = flagOf(q.value(14));
        l.address = q.value(15).toString();
        DeviceReadings &now = l.readings;
        now.accTime = timeOf(q.value(17));
        now.acc = now.accTime.isValid() ? flagOf(q.value(16)) : std::nullopt;
        now.speedKmh = realOf(q.value(18));
        now.courseDeg = realOf(q.value(19));
        now.satellites = intOf(q.value(20));
        now.type = typeOf(q.value(21));
        now.motionTime = timeOf(q.value(22));
        now.odometerTime = timeOf(q.value(24));
        now.odometerKm = now.odometerTime.isValid() ? realOf(q.value(23)) : std::nullopt;
        l.mileageTotalKm = realOf(q.value(25));
        l.mileageFrom = timeOf(q.value(26));
        l.mileageTo = timeOf(q.value(27));
        if (!q.value(28).isNull())
            l.fix = positionAt(q, 28);
        return l;
    });
}

QList<Position> StoreReader::latestPositions(const QStringList &imeis)
{
    const QString sql = QStringLiteral("SELECT ") + positionColumns(QStringLiteral("p"))
        + QStringLiteral(" FROM devices d JOIN ") + latestFixJoin(QStringLiteral("d.imei"))
        + QStringLiteral(" WHERE %1 ORDER BY d.imei");
    return selectForDevices<Position>(sql, QStringLiteral("d.imei"), imeis, {},
                                      [](const QSqlQuery &q) { return positionAt(q, 0); });
}

QList<StoredPosition> StoreReader::positions(const QString &imei, const QDateTime &from, const QDateTime &to, int limit)
{
    const QString sql = QStringLiteral("SELECT ") + positionColumns(QStringLiteral("p"))
        + QStringLiteral(", p.source, p.received_at FROM position_history p WHERE p.imei = ? AND p.gps_time "
                         "BETWEEN ? AND ? ORDER BY p.gps_time LIMIT ?");
    return select<StoredPosition>(
        sql, {imei, secsOr(from, kMinTime), secsOr(to, kMaxTime), limit}, [](const QSqlQuery &q) {
            return StoredPosition{positionAt(q, 0), sourceOf(q.value(12)), timeOf(q.value(13))};
        });
}

QList<Trip> StoreReader::trips(const QStringList &imeis, const QDateTime &from, const QDateTime &to)
{
    const QString sql = QStringLiteral(
        "SELECT imei, start_time, end_time, distance_km, avg_speed_kmh, max_speed_kmh, run_time_s, "
        "idle_time_s, start_lat, start_lng, end_lat, end_lng FROM trips WHERE %1 AND start_time <= ? "
        "AND coalesce(end_time, start_time) >= ? ORDER BY start_time, imei");
    return selectForDevices<Trip>(sql, QStringLiteral("imei"), imeis, {secsOr(to, kMaxTime), secsOr(from, kMinTime)},
                                  [](const QSqlQuery &q) {
                                      Trip t;
                                      t.imei = q.value(0).toString();
                                      t.start = timeOf(q.value(1));
                                      t.end = timeOf(q.value(2));
                                      t.distanceKm = realOf(q.value(3));
                                      t.avgSpeedKmh = realOf(q.value(4));
                                      t.maxSpeedKmh = realOf(q.value(5));
                                      t.runSeconds = intOf(q.value(6));
                                      t.idleSeconds = intOf(q.value(7));
                                      t.startLat = realOf(q.value(8));
                                      t.startLng = realOf(q.value(9));
                                      t.endLat = realOf(q.value(10));
                                      t.endLng = realOf(q.value(11));
                                      return t;
                                  });
}

QList<Alarm> StoreReader::alarms(const QStringList &imeis, const QDateTime &from, const QDateTime &to, int limit)
{
    const QString sql = QStringLiteral(
        "SELECT imei, alarm_type, alarm_name, alarm_time, position_time, lat, lng, speed_kmh, "
        "fence_id, device_name, model, account, serial_no, driver_name, driver_id, media_file, "
        "alert_value FROM alarms WHERE %1 AND alarm_time BETWEEN ? AND ? "
        "ORDER BY alarm_time, imei, alarm_type LIMIT ?");
    return selectForDevices<Alarm>(sql, QStringLiteral("imei"), imeis,
                                   {secsOr(from, kMinTime), secsOr(to, kMaxTime), limit}, [](const QSqlQuery &q) {
                                       Alarm a;
                                       a.imei = q.value(0).toString();
                                       a.typeId = q.value(1).toString();
                                       a.typeName = q.value(2).toString();
                                       a.time = timeOf(q.value(3));
                                       a.positionTime = timeOf(q.value(4));
                                       a.lat = realOf(q.value(5));
                                       a.lng = realOf(q.value(6));
                                       a.speedKmh = realOf(q.value(7));
                                       a.fenceId = q.value(8).toString();
                                       a.deviceName = q.value(9).toString();
                                       a.model = q.value(10).toString();
                                       a.account = q.value(11).toString();
                                       a.serialNo = q.value(12).isNull()
                                           ? std::nullopt
                                           : std::optional<qint64>(q.value(12).toLongLong());
                                       a.driverName = q.value(13).toString();
                                       a.driverId = q.value(14).toString();
                                       a.mediaFile = q.value(15).toString();
                                       a.value = q.value(16).toString();
                                       return a;
                                   });
}

QList<StopPeriod> StoreReader::stops(const QStringList &imeis, const QDateTime &from, const QDateTime &to)
{
    const QString sql = QStringLiteral(
        "SELECT imei, device_name, start_time, end_time, duration_s, stop_s, acc_on, lat, lng, "
        "address FROM parking_idling WHERE %1 AND start_time <= ? AND coalesce(end_time, start_time) "
        ">= ? ORDER BY start_time, imei");
    return selectForDevices<StopPeriod>(sql, QStringLiteral("imei"), imeis,
                                        {secsOr(to, kMaxTime), secsOr(from, kMinTime)}, [](const QSqlQuery &q) {
                                            StopPeriod s;
                                            s.imei = q.value(0).toString();
                                            s.deviceName = q.value(1).toString();
                                            s.start = timeOf(q.value(2));
                                            s.end = timeOf(q.value(3));
                                            s.durationSeconds = intOf(q.value(4));
                                            s.stopSeconds = intOf(q.value(5));
                                            s.accOn = flagOf(q.value(6));
                                            s.lat = realOf(q.value(7));
                                            s.lng = realOf(q.value(8));
                                            s.address = q.value(9).toString();
                                            return s;
                                        });
}

QDateTime StoreReader::watermark(const QString &job, const QString &imei)
{
    const QList<QDateTime> found =
        select<QDateTime>(QStringLiteral("SELECT watermark_time FROM sync_state WHERE job = ? AND imei = ?"),
                          {job, imei.isNull() ? QStringLiteral("") : imei},
                          [](const QSqlQuery &q) { return timeOf(q.value(0)); });
    return found.isEmpty() ? QDateTime() : found.constFirst();
}

TokenState StoreReader::tokenState(const QString &key)
{
    const QList<TokenState> found = select<TokenState>(
        QStringLiteral("SELECT account, access_token, refresh_token, obtained_at, expires_at, last_token_get_time "
                       "FROM tokens WHERE account_key = ?"),
        {key}, [](const QSqlQuery &q) {
            TokenState state;
            state.lastTokenGet = timeOf(q.value(5));
            AccessToken token;
            token.account = q.value(0).toString();
            token.accessToken = q.value(1).toString();
            token.refreshToken = q.value(2).toString();
            token.obtainedAt = timeOf(q.value(3));
            token.expiresAt = timeOf(q.value(4));
            if (!token.accessToken.isEmpty() && token.expiresAt.isValid())
                state.token = token;
            return state;
        });
    return found.isEmpty() ? TokenState() : found.constFirst();
}

QList<QuarantineRow> StoreReader::quarantine(int limit)
{
    return select<QuarantineRow>(
        QStringLiteral("SELECT id, endpoint, received_at, last_received_at, times_received, item_index, reason, "
                       "content FROM push_quarantine ORDER BY last_received_at DESC, id DESC LIMIT ?"),
        {limit}, [](const QSqlQuery &q) {
            QuarantineRow r;
            r.id = q.value(0).toLongLong();
            r.endpoint = q.value(1).toString();
            r.received = timeOf(q.value(2));
            r.lastReceived = timeOf(q.value(3));
            r.timesReceived = q.value(4).toInt();
            r.itemIndex = q.value(5).toInt();
            r.reason = q.value(6).toString();
            r.content = q.value(7).toByteArray();
            return r;
        });
}

qint64 StoreReader::quarantineCount()
{
    const QList<qint64> found = select<qint64>(QStringLiteral("SELECT count(*) FROM push_quarantine"), {},
                                               [](const QSqlQuery &q) { return q.value(0).toLongLong(); });
    return found.isEmpty() ? 0 : found.constFirst();
}

QHash<QString, qint64> StoreReader::rowCounts()
{
    QHash<QString, qint64> counts;
    const QList<QString> tables =
        select<QString>(QStringLiteral(
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                            "ORDER BY name"),
                        {}, [](const QSqlQuery &q) { return q.value(0).toString(); });
    for (const QString &t : tables) {
        // Table names come from sqlite_master, not from outside.
        const QList<qint64> n = select<qint64>(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(t), {},
                                               [](const QSqlQuery &q) { return q.value(0).toLongLong(); });
        if (!n.isEmpty())
            counts.insert(t, n.constFirst());
    }
    return counts;
}

int StoreReader::schemaVersion()
{
    if (!m_connection.isOpen())
        return -1;
    return StoreSchema::version(m_connection.database(), &m_error);
}

} // namespace Fleet
