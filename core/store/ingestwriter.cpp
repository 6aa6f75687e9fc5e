#include "ingestwriter.h"

#include "storelog.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <deque>
#include <cmath>
#include <vector>

namespace Fleet {

namespace {

QVariant text(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

QVariant secs(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toSecsSinceEpoch()) : QVariant();
}

QVariant real(const std::optional<double> &v)
{
    return v && std::isfinite(*v) ? QVariant(*v) : QVariant();
}

QVariant integer(const std::optional<int> &v)
{
    return v ? QVariant(*v) : QVariant();
}

QVariant flag(const std::optional<bool> &v)
{
    return v ? QVariant(*v ? 1 : 0) : QVariant();
}

// A usable fix: finite, in range, and not the 0,0 that devices without a fix
// report. Never stored otherwise.
bool usableCoordinates(double lat, double lng)
{
    return std::isfinite(lat) && std::isfinite(lng) && lat >= -90.0 && lat <= 90.0 && lng >= -180.0 && lng <= 180.0
        && !(lat == 0.0 && lng == 0.0);
}

// Optional coordinates of a report: both or neither.
std::pair<QVariant, QVariant> coordinates(const std::optional<double> &lat, const std::optional<double> &lng)
{
    if (lat && lng && usableCoordinates(*lat, *lng))
        return {QVariant(*lat), QVariant(*lng)};
    return {QVariant(), QVariant()};
}

QString positionProblem(const Position &p)
{
    if (p.imei.isEmpty())
        return QStringLiteral("position without IMEI");
    if (!p.gpsTime.isValid())
        return QStringLiteral("position without GPS time");
    if (p.lat == 0.0 && p.lng == 0.0)
        return QStringLiteral("position at 0,0 (no fix)");
    if (!usableCoordinates(p.lat, p.lng))
        return QStringLiteral("position with coordinates out of range");
    return {};
}

KeyedUpsert::Spec spec(const QString &table, const QStringList &keys, const QStringList &values,
                       const QStringList &insertOnly, const QStringList &touch, KeyedUpsert::Policy policy,
                       bool updateFirst, const QStringList &nullableKeys = {})
{
    KeyedUpsert::Spec s;
    s.table = table;
    s.keys = keys;
    s.nullableKeys = nullableKeys;
    s.values = values;
    s.insertOnly = insertOnly;
    s.touch = touch;
    s.policy = policy;
    s.updateFirst = updateFirst;
    return s;
}

} // namespace

struct IngestWriter::Tx
{
    qint64 now = 0;
    StoreChange change;
    QString error;
    std::vector<PositionInserter::Row> positions;
    std::deque<Position> ownedFixes; // stable addresses for rows that point into it
    QSet<QString> newDevices;
    QSet<QString> newStates;
    QHash<QString, int> rejected; // reason -> rows

    void reject(StoreTable table, const QString &reason)
    {
        ++change.count(table).rejected;
        ++rejected[reason];
    }
};

IngestWriter::IngestWriter(QSqlDatabase db, int positionsPerStatement)
    : m_db(std::move(db))
    , m_positions(positionsPerStatement)
{
}

bool IngestWriter::exec(const QString &sql, QString *error)
{
    QSqlQuery q(m_db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

bool IngestWriter::prepare(QString *error)
{
    using P = KeyedUpsert::Policy;
    const QStringList touch{QStringLiteral("updated_at")};
    const QStringList imei{QStringLiteral("imei")};
    const bool ok =
        m_positions.prepare(m_db, error)
        && m_devices.prepare(
            m_db,
            spec(QStringLiteral("devices"), imei,
                 {QStringLiteral("device_name"), QStringLiteral("mc_type"), QStringLiteral("sim"),
                  QStringLiteral("iccid"), QStringLiteral("imsi"), QStringLiteral("vin"),
                  QStringLiteral("vehicle_name"), QStringLiteral("vehicle_number"), QStringLiteral("vehicle_icon"),
                  QStringLiteral("driver_name"), QStringLiteral("driver_phone"), QStringLiteral("group_id"),
                  QStringLiteral("group_name"), QStringLiteral("account"), QStringLiteral("customer_name"),
                  QStringLiteral("remark"), QStringLiteral("activation_time"), QStringLiteral("expiration_time"),
                  QStringLiteral("enabled"), QStringLiteral("current_mileage_km")},
                 {QStringLiteral("first_seen_at")}, touch, P::Merge, true),
            error)
        && m_deviceNames.prepare(m_db,
                                 spec(QStringLiteral("devices"), imei,
                                      {QStringLiteral("device_name"), QStringLiteral("mc_type"),
                                       QStringLiteral("account")},
                                      {QStringLiteral("first_seen_at")}, touch, P::Merge, true),
                                 error)
        && m_deviceStub.prepare(m_db,
                                spec(QStringLiteral("devices"), imei, {},
                                     {QStringLiteral("first_seen_at"), QStringLiteral("updated_at")}, {}, P::Fill,
                                     false),
                                error)
        && m_groups.prepare(m_db,
                            spec(QStringLiteral("device_groups"), {QStringLiteral("group_id")},
                                 {QStringLiteral("group_name")}, {}, touch, P::Merge, true),
                            error)
        && m_states.prepare(
            m_db,
            spec(QStringLiteral("device_state"), imei,
                 {QStringLiteral("online"), QStringLiteral("heartbeat_time"), QStringLiteral("gsm_signal"),
                  QStringLiteral("current_mileage_km"), QStringLiteral("external_voltage_v"),
                  QStringLiteral("battery_voltage_v"), QStringLiteral("battery_pct"), QStringLiteral("temperature_c"),
                  QStringLiteral("fuel_l"), QStringLiteral("expired"), QStringLiteral("activated"),
                  QStringLiteral("address")},
                 {}, touch, P::Merge, true),
            error)
        && m_trips.prepare(
            m_db,
            spec(QStringLiteral("trips"), {QStringLiteral("imei"), QStringLiteral("start_time")},
                 {QStringLiteral("end_time"), QStringLiteral("distance_km"), QStringLiteral("avg_speed_kmh"),
                  QStringLiteral("max_speed_kmh"), QStringLiteral("run_time_s"), QStringLiteral("idle_time_s"),
                  QStringLiteral("start_lat"), QStringLiteral("start_lng"), QStringLiteral("end_lat"),
                  QStringLiteral("end_lng")},
                 {QStringLiteral("source"), QStringLiteral("received_at")}, touch, P::Fill, false),
            error)
        && m_alarms.prepare(
            m_db,
            spec(QStringLiteral("alarms"),
                 {QStringLiteral("imei"), QStringLiteral("alarm_type"), QStringLiteral("alarm_time")},
                 {QStringLiteral("alarm_name"), QStringLiteral("position_time"), QStringLiteral("lat"),
                  QStringLiteral("lng"), QStringLiteral("speed_kmh"), QStringLiteral("fence_id"),
                  QStringLiteral("device_name"), QStringLiteral("model")},
                 {QStringLiteral("source"), QStringLiteral("received_at")}, touch, P::Fill, false),
            error)
        && m_stops.prepare(
            m_db,
            spec(QStringLiteral("parking_idling"),
                 {QStringLiteral("imei"), QStringLiteral("start_time"), QStringLiteral("acc_on")},
                 {QStringLiteral("end_time"), QStringLiteral("duration_s"), QStringLiteral("stop_s"),
                  QStringLiteral("lat"), QStringLiteral("lng"), QStringLiteral("address"),
                  QStringLiteral("device_name")},
                 {QStringLiteral("received_at")}, touch, P::Fill, false, {QStringLiteral("acc_on")}),
            error)
        && m_watermarks.prepare(m_db,
                                spec(QStringLiteral("sync_state"), {QStringLiteral("job"), QStringLiteral("imei")},
                                     {QStringLiteral("watermark_time")}, {}, touch, P::Replace, true),
                                error)
        && m_tokens.prepare(m_db,
                            spec(QStringLiteral("tokens"), {QStringLiteral("account_key")},
                                 {QStringLiteral("account"), QStringLiteral("access_token"),
                                  QStringLiteral("refresh_token"), QStringLiteral("obtained_at"),
                                  QStringLiteral("expires_at"), QStringLiteral("last_token_get_time")},
                                 {}, touch, P::Replace, true),
                            error);
    if (!ok)
        return false;

    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT imei FROM devices"))) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    m_knownDevices.clear();
    while (q.next())
        m_knownDevices.insert(q.value(0).toString());
    if (!q.exec(QStringLiteral("SELECT imei FROM device_state"))) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    m_knownStates.clear();
    while (q.next())
        m_knownStates.insert(q.value(0).toString());
    return true;
}

bool IngestWriter::count(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome,
                         const QString &imei)
{
    TableCounts &c = tx.change.count(table);
    switch (outcome) {
    case KeyedUpsert::Outcome::Inserted: ++c.inserted; break;
    case KeyedUpsert::Outcome::Updated: ++c.updated; break;
    case KeyedUpsert::Outcome::Unchanged: ++c.duplicates; return true;
    case KeyedUpsert::Outcome::Failed: tx.error = statement.lastError(); return false;
    }
    if (!imei.isEmpty())
        tx.change.imeis.insert(imei);
    return true;
}

bool IngestWriter::ensureDevice(Tx &tx, const QString &imei)
{
    if (m_knownDevices.contains(imei) || tx.newDevices.contains(imei))
        return true;
    const QVariantList row{imei, tx.now, tx.now};
    if (!count(tx, StoreTable::Devices, m_deviceStub, m_deviceStub.write(row), imei))
        return false;
    tx.newDevices.insert(imei);
    return true;
}

bool IngestWriter::writeDevices(Tx &tx, const IngestBatch &b)
{
    for (const Device &d : b.devices) {
        if (d.imei.isEmpty()) {
            tx.reject(StoreTable::Devices, QStringLiteral("device without IMEI"));
            continue;
        }
        const QVariantList row{d.imei,
                               text(d.name),
                               text(d.model),
                               text(d.sim),
                               text(d.iccid),
                               text(d.imsi),
                               text(d.vin),
                               text(d.vehicleName),
                               text(d.plate),
                               text(d.vehicleIcon),
                               text(d.driverName),
                               text(d.driverPhone),
                               text(d.groupId),
                               text(d.groupName),
                               text(d.account),
                               text(d.customerName),
                               text(d.remark),
                               secs(d.activationTime),
                               secs(d.expiration),
                               flag(d.enabled),
                               real(d.odometerKm),
                               tx.now,
                               tx.now};
        const bool known = m_knownDevices.contains(d.imei) || tx.newDevices.contains(d.imei);
        if (!count(tx, StoreTable::Devices, m_devices, m_devices.write(row, known), d.imei))
            return false;
        tx.newDevices.insert(d.imei);
    }
    return true;
}

bool IngestWriter::writeGroups(Tx &tx, const IngestBatch &b)
{
    for (const DeviceGroup &g : b.groups) {
        if (g.id.isEmpty()) {
            tx.reject(StoreTable::DeviceGroups, QStringLiteral("group without id"));
            continue;
        }
        const QVariantList row{g.id, text(g.name), tx.now};
        if (!count(tx, StoreTable::DeviceGroups, m_groups, m_groups.write(row)))
            return false;
    }
    return true;
}

bool IngestWriter::writeDeviceStates(Tx &tx, const IngestBatch &b)
{
    for (const DeviceLocation &l : b.deviceStates) {
        if (l.imei.isEmpty()) {
            tx.reject(StoreTable::DeviceState, QStringLiteral("device state without IMEI"));
            continue;
        }
        if (!l.name.isEmpty() || !l.model.isEmpty() || !l.account.isEmpty()) {
            const QVariantList names{l.imei, text(l.name), text(l.model), text(l.account), tx.now, tx.now};
            const bool known = m_knownDevices.contains(l.imei) || tx.newDevices.contains(l.imei);
            if (!count(tx, StoreTable::Devices, m_deviceNames, m_deviceNames.write(names, known), l.imei))
                return false;
            tx.newDevices.insert(l.imei);
        } else if (!ensureDevice(tx, l.imei)) {
            return false;
        }
        const QVariantList state{l.imei,
                                 flag(l.online),
                                 secs(l.heartbeatTime),
                                 integer(l.gsmSignal),
                                 real(l.odometerKm),
                                 real(l.externalVoltage),
                                 real(l.batteryVoltage),
                                 real(l.batteryPercent),
                                 real(l.temperatureC),
                                 real(l.fuelLitres),
                                 flag(l.expired),
                                 flag(l.activated),
                                 text(l.address),
                                 tx.now};
        const bool known = m_knownStates.contains(l.imei) || tx.newStates.contains(l.imei);
        if (!count(tx, StoreTable::DeviceState, m_states, m_states.write(state, known), l.imei))
            return false;
        tx.newStates.insert(l.imei);

        // The sweep's fix becomes a 'poll' position. No fix: no position,
        // and the last known one stays what it was.
        if (!l.fix)
            continue;
        const Position *fix = &*l.fix;
        if (fix->imei != l.imei) {
            // The state's IMEI is the authority; keep a corrected copy.
            tx.ownedFixes.push_back(*fix);
            tx.ownedFixes.back().imei = l.imei;
            fix = &tx.ownedFixes.back();
        }
        const QString problem = positionProblem(*fix);
        if (!problem.isEmpty()) {
            tx.reject(StoreTable::PositionHistory, problem);
            continue;
        }
        tx.positions.push_back({fix, fix->gpsTime.toSecsSinceEpoch(), PositionSource::Poll});
    }
    return true;
}

bool IngestWriter::writePositions(Tx &tx)
{
    auto &rows = tx.positions;
    if (rows.empty())
        return true;
    // Device by device, in time order: the index is written in key order
    // (far fewer pages touched), and equal keys keep their arrival order, so
    // the first report of a fix is the one stored.
    std::stable_sort(rows.begin(), rows.end(), [](const PositionInserter::Row &a, const PositionInserter::Row &b) {
        const QString &ia = a.position->imei;
        const QString &ib = b.position->imei;
        if (ia.constData() != ib.constData()) {
            const int c = ia.compare(ib);
            if (c != 0)
                return c < 0;
        }
        return a.gpsTime < b.gpsTime;
    });
    const QString *previous = nullptr;
    for (const PositionInserter::Row &r : rows) {
        if (previous && *previous == r.position->imei)
            continue;
        previous = &r.position->imei;
        if (!ensureDevice(tx, *previous))
            return false;
    }

    std::vector<char> isNew;
    qint64 inserted = 0;
    if (!m_positions.insert(rows, tx.now, &isNew, &inserted, &tx.error))
        return false;
    TableCounts &c = tx.change.count(StoreTable::PositionHistory);
    c.inserted += inserted;
    c.duplicates += qint64(rows.size()) - inserted;
    const QString *last = nullptr;
    qint64 from = 0;
    qint64 to = 0;
    bool any = false;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!isNew[i])
            continue;
        const PositionInserter::Row &r = rows[i];
        if (!last || *last != r.position->imei) {
            last = &r.position->imei;
            tx.change.imeis.insert(*last);
        }
        from = any ? qMin(from, r.gpsTime) : r.gpsTime;
        to = any ? qMax(to, r.gpsTime) : r.gpsTime;
        any = true;
    }
    if (any)
        tx.change.addSpan(from, to);
    return true;
}

bool IngestWriter::writeTrips(Tx &tx, const IngestBatch &b)
{
    for (const TripRecord &rec : b.trips) {
        const Trip &t = rec.trip;
        if (t.imei.isEmpty() || !t.start.isValid()) {
            tx.reject(StoreTable::Trips, QStringLiteral("trip without IMEI or start time"));
            continue;
        }
        if (t.end.isValid() && t.end < t.start) {
            tx.reject(StoreTable::Trips, QStringLiteral("trip ends before it starts"));
            continue;
        }
        if (!ensureDevice(tx, t.imei))
            return false;
        const auto [startLat, startLng] = coordinates(t.startLat, t.startLng);
        const auto [endLat, endLng] = coordinates(t.endLat, t.endLng);
        // BUG-02: kilometres as reported, never scaled. BUG-03: maxSpeed kept.
        const QVariant distance = t.distanceKm && *t.distanceKm >= 0 ? real(t.distanceKm) : QVariant();
        const QVariantList row{t.imei,
                               t.start.toSecsSinceEpoch(),
                               secs(t.end),
                               distance,
                               real(t.avgSpeedKmh),
                               real(t.maxSpeedKmh),
                               integer(t.runSeconds),
                               integer(t.idleSeconds),
                               startLat,
                               startLng,
                               endLat,
                               endLng,
                               QString(reportSourceName(rec.source)),
                               tx.now,
                               tx.now};
        const KeyedUpsert::Outcome outcome = m_trips.write(row);
        if (!count(tx, StoreTable::Trips, m_trips, outcome, t.imei))
            return false;
        if (outcome == KeyedUpsert::Outcome::Inserted || outcome == KeyedUpsert::Outcome::Updated) {
            const qint64 start = t.start.toSecsSinceEpoch();
            tx.change.addSpan(start, t.end.isValid() ? t.end.toSecsSinceEpoch() : start);
        }
    }
    return true;
}

bool IngestWriter::writeAlarms(Tx &tx, const IngestBatch &b)
{
    for (const AlarmRecord &rec : b.alarms) {
        const Alarm &a = rec.alarm;
        if (a.imei.isEmpty() || a.typeId.isEmpty() || !a.time.isValid()) {
            tx.reject(StoreTable::Alarms, QStringLiteral("alarm without IMEI, type or time"));
            continue;
        }
        if (!ensureDevice(tx, a.imei))
            return false;
        const auto [lat, lng] = coordinates(a.lat, a.lng);
        // BUG-01: the domain Alarm already holds alertTypeId / alarmTypeName /
        // alertTime (poll) or alarmType / alarmName / gateTime (push).
        const QVariantList row{a.imei,
                               a.typeId,
                               a.time.toSecsSinceEpoch(),
                               text(a.typeName),
                               secs(a.positionTime),
                               lat,
                               lng,
                               real(a.speedKmh),
                               text(a.fenceId),
                               text(a.deviceName),
                               text(a.model),
                               QString(reportSourceName(rec.source)),
                               tx.now,
                               tx.now};
        const KeyedUpsert::Outcome outcome = m_alarms.write(row);
        if (!count(tx, StoreTable::Alarms, m_alarms, outcome, a.imei))
            return false;
        if (outcome == KeyedUpsert::Outcome::Inserted || outcome == KeyedUpsert::Outcome::Updated)
            tx.change.addSpan(a.time.toSecsSinceEpoch(), a.time.toSecsSinceEpoch());
    }
    return true;
}

bool IngestWriter::writeStops(Tx &tx, const IngestBatch &b)
{
    for (const StopPeriod &s : b.stops) {
        if (s.imei.isEmpty() || !s.start.isValid()) {
            tx.reject(StoreTable::ParkingIdling, QStringLiteral("stop without IMEI or start time"));
            continue;
        }
        if (!ensureDevice(tx, s.imei))
            return false;
        const auto [lat, lng] = coordinates(s.lat, s.lng);
        // POLL-02: durSecond is the duration; stopSecond is secondary.
        const QVariantList row{s.imei,
                               s.start.toSecsSinceEpoch(),
                               flag(s.accOn),
                               secs(s.end),
                               integer(s.durationSeconds),
                               integer(s.stopSeconds),
                               lat,
                               lng,
                               text(s.address),
                               text(s.deviceName),
                               tx.now,
                               tx.now};
        const KeyedUpsert::Outcome outcome = m_stops.write(row);
        if (!count(tx, StoreTable::ParkingIdling, m_stops, outcome, s.imei))
            return false;
        if (outcome == KeyedUpsert::Outcome::Inserted || outcome == KeyedUpsert::Outcome::Updated) {
            const qint64 start = s.start.toSecsSinceEpoch();
            tx.change.addSpan(start, s.end.isValid() && s.end >= s.start ? s.end.toSecsSinceEpoch() : start);
        }
    }
    return true;
}

bool IngestWriter::writeWatermarks(Tx &tx, const IngestBatch &b)
{
    for (const SyncWatermark &w : b.watermarks) {
        if (w.job.isEmpty() || !w.time.isValid()) {
            tx.reject(StoreTable::SyncState, QStringLiteral("watermark without job or time"));
            continue;
        }
        const QVariantList row{w.job, w.imei.isNull() ? QStringLiteral("") : w.imei,
                               w.time.toSecsSinceEpoch(), tx.now};
        if (!count(tx, StoreTable::SyncState, m_watermarks, m_watermarks.write(row)))
            return false;
    }
    return true;
}

bool IngestWriter::writeTokens(Tx &tx, const IngestBatch &b)
{
    for (const TokenRecord &t : b.tokens) {
        if (t.key.isEmpty()) {
            tx.reject(StoreTable::Tokens, QStringLiteral("token state without account key"));
            continue;
        }
        const std::optional<AccessToken> &token = t.state.token;
        const QVariantList row{t.key,
                               token ? text(token->account) : QVariant(),
                               token ? text(token->accessToken) : QVariant(),
                               token ? text(token->refreshToken) : QVariant(),
                               token ? secs(token->obtainedAt) : QVariant(),
                               token ? secs(token->expiresAt) : QVariant(),
                               secs(t.state.lastTokenGet),
                               tx.now};
        if (!count(tx, StoreTable::Tokens, m_tokens, m_tokens.write(row)))
            return false;
    }
    return true;
}

bool IngestWriter::write(const QList<IngestBatch> &batches, qint64 nowSecs, StoreChange *change, QString *error)
{
    Tx tx;
    tx.now = nowSecs;
    qsizetype positionCount = 0;
    for (const IngestBatch &b : batches)
        positionCount += b.positions.size() + b.deviceStates.size();
    tx.positions.reserve(std::size_t(positionCount));

    if (!exec(QStringLiteral("BEGIN IMMEDIATE"), &tx.error)) {
        if (error)
            *error = QStringLiteral("cannot begin a write transaction: %1").arg(tx.error);
        return false;
    }
    bool ok = true;
    for (const IngestBatch &b : batches)
        ok = ok && writeDevices(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && writeGroups(tx, b);
    // Fixes are collected batch by batch in queue order (a sweep's fixes,
    // then the batch's positions), so that of two reports of one fix in the
    // same transaction the one queued first is kept.
    for (const IngestBatch &b : batches) {
        ok = ok && writeDeviceStates(tx, b);
        if (!ok)
            break;
        for (const PositionRecord &r : b.positions) {
            const QString problem = positionProblem(r.position);
            if (!problem.isEmpty()) {
                tx.reject(StoreTable::PositionHistory, problem);
                continue;
            }
            tx.positions.push_back({&r.position, r.position.gpsTime.toSecsSinceEpoch(), r.source});
        }
    }
    ok = ok && writePositions(tx);
    for (const IngestBatch &b : batches)
        ok = ok && writeTrips(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && writeAlarms(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && writeStops(tx, b);
    // Last, so that a watermark never commits ahead of its data.
    for (const IngestBatch &b : batches)
        ok = ok && writeWatermarks(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && writeTokens(tx, b);

    if (ok && !exec(QStringLiteral("COMMIT"), &tx.error)) {
        tx.error = QStringLiteral("commit: %1").arg(tx.error);
        ok = false;
    }
    if (!ok) {
        exec(QStringLiteral("ROLLBACK"), nullptr);
        m_positions.invalidate();
        if (error)
            *error = tx.error;
        return false;
    }
    m_knownDevices.unite(tx.newDevices);
    m_knownStates.unite(tx.newStates);
    for (auto it = tx.rejected.cbegin(); it != tx.rejected.cend(); ++it)
        qCWarning(lcStore).noquote() << "refused" << it.value() << "row(s):" << it.key();
    if (change)
        *change = std::move(tx.change);
    return true;
}

} // namespace Fleet
