#include "ingestwriter.h"

#include "storelog.h"

#include <QCryptographicHash>
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

QVariant integer64(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant();
}

// For NOT NULL columns where '' is a value: Qt binds a null QString or
// QByteArray as SQL NULL.
QString nonNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QByteArray nonNull(const QByteArray &b)
{
    return b.isNull() ? QByteArray("") : b;
}

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

// The command state a gateway answer code stands for (reference Appendix A:
// 100 ok, 200 bad parameter, 300 offline, 600 timeout); a code it does not
// list is not guessed at.
QString commandState(const std::optional<int> &code)
{
    if (!code)
        return QStringLiteral("unknown");
    switch (*code) {
    case 100: return QStringLiteral("succeeded");
    case 200:
    case 300:
    case 600: return QStringLiteral("failed");
    default: return QStringLiteral("unknown");
    }
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

// device_state's current readings, in groups that each carry the device
// time they belong to: ignition; speed, heading, satellites and type; the
// odometer. A group is taken whole when its time is newer than the stored
// one. At the same time it only adds: a value it has and the row lacks or
// holds otherwise (an ignition change sent with a repeated GPS time) is
// taken, a value it lacks is kept. So neither a late report nor a poorer one
// of the same moment undoes anything, and the same report again changes
// nothing.
QString readingsUpdate()
{
    struct Group
    {
        QString time; // column
        QString timeParam;
        QList<std::pair<QString, QString>> values; // column, parameter
    };
    const QList<Group> groups = {
        {QStringLiteral("acc_time"), QStringLiteral(":accTime"), {{QStringLiteral("acc"), QStringLiteral(":acc")}}},
        {QStringLiteral("motion_time"),
         QStringLiteral(":motionTime"),
         {{QStringLiteral("speed_kmh"), QStringLiteral(":speed")},
          {QStringLiteral("direction_deg"), QStringLiteral(":course")},
          {QStringLiteral("satellites"), QStringLiteral(":satellites")},
          {QStringLiteral("pos_type"), QStringLiteral(":type")}}},
        {QStringLiteral("odometer_time"),
         QStringLiteral(":odometerTime"),
         {{QStringLiteral("odometer_km"), QStringLiteral(":odometer")}}},
    };
    QStringList sets;
    QStringList any;
    for (const Group &g : groups) {
        const QString newer = QStringLiteral("(%1 IS NOT NULL AND (%2 IS NULL OR %2 < %1))").arg(g.timeParam, g.time);
        QStringList differs;
        for (const auto &[column, param] : g.values)
            differs.append(QStringLiteral("(%1 IS NOT NULL AND %2 IS NOT %1)").arg(param, column));
        const QString same = QStringLiteral("(%1 IS NOT NULL AND %2 = %1 AND (%3))")
                                 .arg(g.timeParam, g.time, differs.join(QStringLiteral(" OR ")));
        for (const auto &[column, param] : g.values)
            sets.append(QStringLiteral("%1 = CASE WHEN %2 THEN %3 WHEN %4 THEN coalesce(%3, %1) ELSE %1 END")
                            .arg(column, newer, param, same));
        sets.append(QStringLiteral("%1 = CASE WHEN %2 THEN %3 ELSE %1 END").arg(g.time, newer, g.timeParam));
        any.append(newer);
        any.append(same);
    }
    sets.append(QStringLiteral("updated_at = :now"));
    return QStringLiteral("UPDATE device_state SET %1 WHERE imei = :imei AND (%2)")
        .arg(sets.join(QStringLiteral(", ")), any.join(QStringLiteral(" OR ")));
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
    QHash<QString, IngestWriter::LastStatus> statuses; // newest status per IMEI, this transaction
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
{ }

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
    const bool ok = m_positions.prepare(m_db, error)
        && m_devices.prepare(m_db,
                             spec(QStringLiteral("devices"), imei,
                                  {QStringLiteral("device_name"),
                                   QStringLiteral("mc_type"),
                                   QStringLiteral("sim"),
                                   QStringLiteral("iccid"),
                                   QStringLiteral("imsi"),
                                   QStringLiteral("vin"),
                                   QStringLiteral("vehicle_name"),
                                   QStringLiteral("vehicle_number"),
                                   QStringLiteral("vehicle_icon"),
                                   QStringLiteral("driver_name"),
                                   QStringLiteral("driver_phone"),
                                   QStringLiteral("group_id"),
                                   QStringLiteral("group_name"),
                                   QStringLiteral("account"),
                                   QStringLiteral("customer_name"),
                                   QStringLiteral("remark"),
                                   QStringLiteral("activation_time"),
                                   QStringLiteral("expiration_time"),
                                   QStringLiteral("enabled"),
                                   QStringLiteral("current_mileage_km")},
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
        && m_states.prepare(m_db,
                            spec(QStringLiteral("device_state"), imei,
                                 {QStringLiteral("online"), QStringLiteral("heartbeat_time"),
                                  QStringLiteral("gsm_signal"), QStringLiteral("current_mileage_km"),
                                  QStringLiteral("external_voltage_v"), QStringLiteral("battery_voltage_v"),
                                  QStringLiteral("battery_pct"), QStringLiteral("temperature_c"),
                                  QStringLiteral("fuel_l"), QStringLiteral("expired"), QStringLiteral("activated"),
                                  QStringLiteral("address")},
                                 {}, touch, P::Merge, true),
                            error)
        && m_trips.prepare(m_db,
                           spec(QStringLiteral("trips"), {QStringLiteral("imei"), QStringLiteral("start_time")},
                                {QStringLiteral("end_time"), QStringLiteral("distance_km"),
                                 QStringLiteral("avg_speed_kmh"), QStringLiteral("max_speed_kmh"),
                                 QStringLiteral("run_time_s"), QStringLiteral("idle_time_s"),
                                 QStringLiteral("start_lat"), QStringLiteral("start_lng"), QStringLiteral("end_lat"),
                                 QStringLiteral("end_lng")},
                                {QStringLiteral("source"), QStringLiteral("received_at")}, touch, P::Fill, false),
                           error)
        && m_alarms.prepare(m_db,
                            spec(QStringLiteral("alarms"),
                                 {QStringLiteral("imei"), QStringLiteral("alarm_type"), QStringLiteral("alarm_time")},
                                 {QStringLiteral("alarm_name"), QStringLiteral("position_time"), QStringLiteral("lat"),
                                  QStringLiteral("lng"), QStringLiteral("speed_kmh"), QStringLiteral("fence_id"),
                                  QStringLiteral("device_name"), QStringLiteral("model"), QStringLiteral("account"),
                                  QStringLiteral("serial_no"), QStringLiteral("driver_name"),
                                  QStringLiteral("driver_id"), QStringLiteral("media_file"),
                                  QStringLiteral("alert_value")},
                                 {QStringLiteral("source"), QStringLiteral("received_at")}, touch, P::Fill, false),
                            error)
        && m_stops.prepare(m_db,
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
                            error)
        && preparePush(error);
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
    if (!q.exec(
            QStringLiteral("SELECT imei, status_time, status_flags FROM device_state WHERE status_time IS NOT NULL"))) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    m_lastStatus.clear();
    while (q.next())
        m_lastStatus.insert(q.value(0).toString(),
                            LastStatus{q.value(1).toLongLong(), quint32(q.value(2).toLongLong())});
    return true;
}

bool IngestWriter::preparePush(QString *error)
{
    using P = KeyedUpsert::Policy;
    const QStringList received{QStringLiteral("received_at")};
    const auto prepareQuery = [&](QSqlQuery &q, const QString &sql) {
        q = QSqlQuery(m_db);
        if (q.prepare(sql))
            return true;
        if (error)
            *error = q.lastError().text();
        return false;
    };
    return m_stateStub.prepare(m_db,
                               spec(QStringLiteral("device_state"), {QStringLiteral("imei")}, {},
                                    {QStringLiteral("updated_at")}, {}, P::Fill, false),
                               error)
        && m_deviceEvents.prepare(m_db,
                                  spec(QStringLiteral("device_events"),
                                       {QStringLiteral("imei"), QStringLiteral("event_type"),
                                        QStringLiteral("event_time")},
                                       {QStringLiteral("device_timezone")}, received, {}, P::Fill, false),
                                  error)
        && m_heartbeats.prepare(m_db,
                                spec(QStringLiteral("heartbeats"),
                                     {QStringLiteral("imei"), QStringLiteral("heartbeat_time")},
                                     {QStringLiteral("power_level_pct"), QStringLiteral("gsm_signal"),
                                      QStringLiteral("acc"), QStringLiteral("charging"), QStringLiteral("fortify"),
                                      QStringLiteral("oil_cut"), QStringLiteral("gps_positioned"),
                                      QStringLiteral("remote_lock")},
                                     received, {}, P::Fill, false),
                                error)
        && m_faultCodes.prepare(m_db,
                                spec(QStringLiteral("fault_codes"),
                                     {QStringLiteral("imei"), QStringLiteral("report_time"),
                                      QStringLiteral("fault_code")},
                                     {QStringLiteral("event_time"), QStringLiteral("fault_num"),
                                      QStringLiteral("status_flags"), QStringLiteral("lat"), QStringLiteral("lng")},
                                     received, {}, P::Fill, false),
                                error)
        && m_fuel.prepare(m_db,
                          spec(QStringLiteral("fuel_readings"),
                               {QStringLiteral("imei"), QStringLiteral("sensor_path"), QStringLiteral("reading_time")},
                               {QStringLiteral("value"), QStringLiteral("unit"), QStringLiteral("gps_time"),
                                QStringLiteral("lat"), QStringLiteral("lng")},
                               received, {}, P::Fill, false),
                          error)
        && m_temperatures.prepare(m_db,
                                  spec(QStringLiteral("temperature_readings"),
                                       {QStringLiteral("imei"), QStringLiteral("reading_time")},
                                       {QStringLiteral("temperature_c"), QStringLiteral("humidity_pct"),
                                        QStringLiteral("post_time")},
                                       received, {}, P::Fill, false),
                                  error)
        && m_lbs.prepare(m_db,
                         spec(QStringLiteral("lbs_readings"),
                              {QStringLiteral("imei"), QStringLiteral("reading_time"), QStringLiteral("post_type")},
                              {QStringLiteral("lbs_json")}, received, {}, P::Fill, false),
                         error)
        && m_obd.prepare(m_db,
                         spec(QStringLiteral("obd_readings"), {QStringLiteral("imei"), QStringLiteral("event_time")},
                              {QStringLiteral("push_time"), QStringLiteral("car_type"), QStringLiteral("acc"),
                               QStringLiteral("status_flags"), QStringLiteral("lat"), QStringLiteral("lng"),
                               QStringLiteral("engine_rpm"), QStringLiteral("coolant_temp_c"),
                               QStringLiteral("fuel_level_pct"), QStringLiteral("battery_voltage"),
                               QStringLiteral("intake_pressure"), QStringLiteral("throttle_pct"),
                               QStringLiteral("vehicle_speed"), QStringLiteral("engine_load_pct"),
                               QStringLiteral("obd_data")},
                              received, {}, P::Fill, false),
                         error)
        && m_pushedTrips.prepare(m_db,
                                 spec(QStringLiteral("trips"), {QStringLiteral("imei"), QStringLiteral("start_time")},
                                      {QStringLiteral("end_time"), QStringLiteral("distance_km"),
                                       QStringLiteral("idle_time_s"), QStringLiteral("start_lat"),
                                       QStringLiteral("start_lng"), QStringLiteral("end_lat"),
                                       QStringLiteral("end_lng"), QStringLiteral("fuel_l"), QStringLiteral("trip_seq")},
                                      {QStringLiteral("source"), QStringLiteral("received_at")},
                                      {QStringLiteral("updated_at")}, P::Fill, false),
                                 error)
        && m_media.prepare(m_db,
                           spec(QStringLiteral("media"), {QStringLiteral("imei"), QStringLiteral("file_key")},
                                {QStringLiteral("camera"), QStringLiteral("media_type"), QStringLiteral("mime_type"),
                                 QStringLiteral("created_time"), QStringLiteral("duration_s"),
                                 QStringLiteral("business_type"), QStringLiteral("alarm_time"), QStringLiteral("lat"),
                                 QStringLiteral("lng"), QStringLiteral("instruction_id"),
                                 QStringLiteral("local_file_name")},
                                {QStringLiteral("source"), QStringLiteral("received_at")}, {}, P::Fill, false),
                           error)
        // A command's answer is its latest state: a later answer (offline,
        // then delivered) replaces an earlier one, and reply_time moves only
        // when the answer said something new, so a retried push is a
        // duplicate.
        && m_commands.prepare(m_db,
                              spec(QStringLiteral("commands"),
                                   {QStringLiteral("imei"), QStringLiteral("server_flag_id")},
                                   {QStringLiteral("result_code"), QStringLiteral("result_message"),
                                    QStringLiteral("reply_content"), QStringLiteral("reply_msg_type"),
                                    QStringLiteral("state")},
                                   {}, {QStringLiteral("reply_time"), QStringLiteral("updated_at")}, P::Merge, true),
                              error)
        && m_pushMessages.prepare(m_db,
                                  spec(QStringLiteral("push_messages"),
                                       {QStringLiteral("endpoint"), QStringLiteral("imei"),
                                        QStringLiteral("message_time"), QStringLiteral("payload_hash")},
                                       {},
                                       {QStringLiteral("kind"), QStringLiteral("payload"),
                                        QStringLiteral("received_at")},
                                       {}, P::Fill, false),
                                  error)
        && m_quarantine.prepare(m_db,
                                spec(QStringLiteral("push_quarantine"),
                                     {QStringLiteral("endpoint"), QStringLiteral("item_index"),
                                      QStringLiteral("content_hash")},
                                     {},
                                     {QStringLiteral("received_at"), QStringLiteral("reason"),
                                      QStringLiteral("content"), QStringLiteral("last_received_at")},
                                     {}, P::Fill, false),
                                error)
        && prepareQuery(m_statusUpdate,
                        QStringLiteral("UPDATE device_state SET status_flags = :flags, status_time = :time, "
                                       "oil_cut = :oil, power_cut = :power, door_locked = :locked, "
                                       "doors_open = :doors, gnss = :gnss, updated_at = :now WHERE imei = :imei "
                                       "AND (status_time IS NULL OR status_time < :time)"))
        && prepareQuery(m_heartbeatState,
                        QStringLiteral("UPDATE device_state SET heartbeat_time = :time, "
                                       "power_level_pct = coalesce(:power, power_level_pct), "
                                       "charging = coalesce(:charging, charging), "
                                       "fortify = coalesce(:fortify, fortify), oil_cut = coalesce(:oil, oil_cut), "
                                       "updated_at = :now WHERE imei = :imei "
                                       "AND (heartbeat_time IS NULL OR heartbeat_time < :time)"))
        && prepareQuery(m_readings, readingsUpdate())
        // The newest total: the one whose range ends last.
        && prepareQuery(m_mileageTotal,
                        QStringLiteral("UPDATE device_state SET mileage_total_km = :km, mileage_from = :from, "
                                       "mileage_to = :to, updated_at = :now WHERE imei = :imei AND (mileage_to IS NULL "
                                       "OR mileage_to < :to OR (mileage_to = :to AND (mileage_from IS NOT :from "
                                       "OR mileage_total_km IS NOT :km)))"))
        && prepareQuery(m_commandExists, QStringLiteral("SELECT 1 FROM commands WHERE imei = ? AND server_flag_id = ?"))
        && prepareQuery(m_quarantineRepeat,
                        QStringLiteral("UPDATE push_quarantine SET times_received = times_received + 1, "
                                       "last_received_at = max(last_received_at, :at) WHERE endpoint = :endpoint "
                                       "AND item_index = :item AND content_hash = :hash"));
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

bool IngestWriter::countFact(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome,
                             const QString &imei, qint64 from, qint64 to)
{
    if (!count(tx, table, statement, outcome, imei))
        return false;
    if (outcome == KeyedUpsert::Outcome::Inserted || outcome == KeyedUpsert::Outcome::Updated)
        tx.change.addSpan(from, to);
    return true;
}

int IngestWriter::run(Tx &tx, QSqlQuery &query, const QString &what)
{
    if (!query.exec()) {
        tx.error = QStringLiteral("%1: %2").arg(what, query.lastError().text());
        return -1;
    }
    const int rows = query.isSelect() ? int(query.next()) : query.numRowsAffected();
    query.finish();
    return rows;
}

int IngestWriter::updateState(Tx &tx, QSqlQuery &query, const QString &what, const QString &imei, bool created)
{
    const int changed = run(tx, query, what);
    if (changed > 0) {
        TableCounts &c = tx.change.count(StoreTable::DeviceState);
        ++(created ? c.inserted : c.updated);
        tx.change.imeis.insert(imei);
    }
    return changed;
}

bool IngestWriter::ensureState(Tx &tx, const QString &imei, bool *created)
{
    *created = false;
    if (m_knownStates.contains(imei) || tx.newStates.contains(imei))
        return true;
    const KeyedUpsert::Outcome outcome = m_stateStub.write({imei, tx.now});
    if (outcome == KeyedUpsert::Outcome::Failed) {
        tx.error = m_stateStub.lastError();
        return false;
    }
    *created = outcome == KeyedUpsert::Outcome::Inserted;
    tx.newStates.insert(imei);
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
        if (!l.readings.isEmpty() && !writeReading(tx, l.imei, l.readings))
            return false;

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
                               text(a.account),
                               integer64(a.serialNo),
                               text(a.driverName),
                               text(a.driverId),
                               text(a.mediaFile),
                               text(a.value),
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
        const QVariantList row{w.job, w.imei.isNull() ? QStringLiteral("") : w.imei, w.time.toSecsSinceEpoch(), tx.now};
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

bool IngestWriter::writeDeviceEvents(Tx &tx, const IngestBatch &b)
{
    for (const DeviceEvent &e : b.deviceEvents) {
        if (e.imei.isEmpty() || e.type.isEmpty() || !e.time.isValid()) {
            tx.reject(StoreTable::DeviceEvents, QStringLiteral("device event without IMEI, type or time"));
            continue;
        }
        if (!ensureDevice(tx, e.imei))
            return false;
        const qint64 t = e.time.toSecsSinceEpoch();
        const QVariantList row{e.imei, e.type, t, text(e.timezone), tx.now};
        if (!countFact(tx, StoreTable::DeviceEvents, m_deviceEvents, m_deviceEvents.write(row), e.imei, t, t))
            return false;
    }
    return true;
}

bool IngestWriter::writeHeartbeats(Tx &tx, const IngestBatch &b)
{
    for (const Heartbeat &h : b.heartbeats) {
        if (h.imei.isEmpty() || !h.time.isValid()) {
            tx.reject(StoreTable::Heartbeats, QStringLiteral("heartbeat without IMEI or time"));
            continue;
        }
        if (!ensureDevice(tx, h.imei))
            return false;
        const qint64 t = h.time.toSecsSinceEpoch();
        const QVariantList row{h.imei,
                               t,
                               integer(h.powerLevelPct),
                               integer(h.gsmSignal),
                               flag(h.acc),
                               flag(h.charging),
                               integer(h.fortify),
                               flag(h.oilCut),
                               flag(h.gpsPositioned),
                               integer(h.remoteLock),
                               tx.now};
        if (!countFact(tx, StoreTable::Heartbeats, m_heartbeats, m_heartbeats.write(row), h.imei, t, t))
            return false;

        // The device's latest state, only from a heartbeat newer than the
        // last one stored (heartbeats arrive late and out of order). The
        // heartbeat's gsmSign (0-100) is not device_state.gsm_signal (the
        // sweep's 0-4 scale), so it stays in heartbeats only.
        bool created = false;
        if (!ensureState(tx, h.imei, &created))
            return false;
        m_heartbeatState.bindValue(QStringLiteral(":time"), t);
        m_heartbeatState.bindValue(QStringLiteral(":power"), integer(h.powerLevelPct));
        m_heartbeatState.bindValue(QStringLiteral(":charging"), flag(h.charging));
        m_heartbeatState.bindValue(QStringLiteral(":fortify"), integer(h.fortify));
        m_heartbeatState.bindValue(QStringLiteral(":oil"), flag(h.oilCut));
        m_heartbeatState.bindValue(QStringLiteral(":now"), tx.now);
        m_heartbeatState.bindValue(QStringLiteral(":imei"), h.imei);
        if (updateState(tx, m_heartbeatState, QStringLiteral("device_state"), h.imei, created) < 0)
            return false;
        // The ignition a heartbeat reports is the vehicle's current one.
        if (h.acc) {
            DeviceReadings now;
            now.acc = h.acc;
            now.accTime = h.time;
            if (!writeReading(tx, h.imei, now))
                return false;
        }
    }
    return true;
}

bool IngestWriter::writeMileageTotals(Tx &tx, const IngestBatch &b)
{
    for (const MileageTotal &t : b.mileageTotals) {
        if (t.imei.isEmpty() || !t.begin.isValid() || !t.end.isValid() || t.end < t.begin || !std::isfinite(t.totalKm)
            || t.totalKm < 0) {
            tx.reject(StoreTable::DeviceState, QStringLiteral("mileage total without IMEI, range or distance"));
            continue;
        }
        bool created = false;
        if (!ensureDevice(tx, t.imei) || !ensureState(tx, t.imei, &created))
            return false;
        m_mileageTotal.bindValue(QStringLiteral(":km"), t.totalKm);
        m_mileageTotal.bindValue(QStringLiteral(":from"), t.begin.toSecsSinceEpoch());
        m_mileageTotal.bindValue(QStringLiteral(":to"), t.end.toSecsSinceEpoch());
        m_mileageTotal.bindValue(QStringLiteral(":now"), tx.now);
        m_mileageTotal.bindValue(QStringLiteral(":imei"), t.imei);
        if (updateState(tx, m_mileageTotal, QStringLiteral("device_state mileage total"), t.imei, created) < 0)
            return false;
    }
    return true;
}

bool IngestWriter::writeReadings(Tx &tx, const IngestBatch &b)
{
    for (const DeviceReport &r : b.readings) {
        if (r.imei.isEmpty() || r.readings.isEmpty()) {
            tx.reject(StoreTable::DeviceState, QStringLiteral("readings without IMEI or time"));
            continue;
        }
        if (!ensureDevice(tx, r.imei) || !writeReading(tx, r.imei, r.readings))
            return false;
    }
    return true;
}

bool IngestWriter::writeReading(Tx &tx, const QString &imei, const DeviceReadings &r)
{
    bool created = false;
    if (!ensureState(tx, imei, &created))
        return false;
    const bool hasAcc = r.acc && r.accTime.isValid();
    m_readings.bindValue(QStringLiteral(":accTime"), hasAcc ? secs(r.accTime) : QVariant());
    m_readings.bindValue(QStringLiteral(":acc"), hasAcc ? flag(r.acc) : QVariant());
    m_readings.bindValue(QStringLiteral(":motionTime"), secs(r.motionTime));
    m_readings.bindValue(QStringLiteral(":speed"), real(r.speedKmh));
    m_readings.bindValue(QStringLiteral(":course"), real(r.courseDeg));
    m_readings.bindValue(QStringLiteral(":satellites"), integer(r.satellites));
    m_readings.bindValue(QStringLiteral(":type"), text(positionTypeName(r.type)));
    const bool hasOdometer = r.odometerKm && r.odometerTime.isValid();
    m_readings.bindValue(QStringLiteral(":odometerTime"), hasOdometer ? secs(r.odometerTime) : QVariant());
    m_readings.bindValue(QStringLiteral(":odometer"), hasOdometer ? real(r.odometerKm) : QVariant());
    m_readings.bindValue(QStringLiteral(":now"), tx.now);
    m_readings.bindValue(QStringLiteral(":imei"), imei);
    return updateState(tx, m_readings, QStringLiteral("device_state readings"), imei, created) >= 0;
}

bool IngestWriter::writeStatusFlags(Tx &tx, const IngestBatch &b)
{
    for (const DeviceStatusFlags &f : b.statusFlags) {
        if (f.imei.isEmpty() || !f.time.isValid()) {
            tx.reject(StoreTable::DeviceState, QStringLiteral("status flags without IMEI or time"));
            continue;
        }
        bool created = false;
        if (!ensureDevice(tx, f.imei) || !ensureState(tx, f.imei, &created))
            return false;
        const qint64 t = f.time.toSecsSinceEpoch();
        // Only a fix newer than the last one seen: a re-uploaded old fix must
        // not overwrite the latest state. Every pushed fix carries the flags,
        // and they rarely change: only a change is written (status_time says
        // since when they hold), which keeps a statement per fix off the
        // webhook's hot path.
        const auto pending = tx.statuses.constFind(f.imei);
        const auto committed = m_lastStatus.constFind(f.imei);
        const LastStatus *last = pending != tx.statuses.cend() ? &*pending
            : committed != m_lastStatus.cend()                 ? &*committed
                                                               : nullptr;
        if (last && (t <= last->time || f.flags == last->flags)) {
            if (t > last->time)
                tx.statuses.insert(f.imei, LastStatus{t, last->flags});
            ++tx.change.count(StoreTable::DeviceState).duplicates;
            continue;
        }
        tx.statuses.insert(f.imei, LastStatus{t, f.flags});
        const GpsStatus status = GpsStatus::decode(f.flags);
        m_statusUpdate.bindValue(QStringLiteral(":flags"), qint64(f.flags));
        m_statusUpdate.bindValue(QStringLiteral(":time"), t);
        m_statusUpdate.bindValue(QStringLiteral(":oil"), status.oilCircuitCut ? 1 : 0);
        m_statusUpdate.bindValue(QStringLiteral(":power"), status.powerCircuitCut ? 1 : 0);
        m_statusUpdate.bindValue(QStringLiteral(":locked"), status.doorLocked ? 1 : 0);
        m_statusUpdate.bindValue(QStringLiteral(":doors"), status.doorsOpen);
        m_statusUpdate.bindValue(QStringLiteral(":gnss"), text(status.gnssText()));
        m_statusUpdate.bindValue(QStringLiteral(":now"), tx.now);
        m_statusUpdate.bindValue(QStringLiteral(":imei"), f.imei);
        const int changed = run(tx, m_statusUpdate, QStringLiteral("device_state"));
        if (changed < 0)
            return false;
        TableCounts &c = tx.change.count(StoreTable::DeviceState);
        if (changed == 0) {
            ++c.duplicates;
            continue;
        }
        ++(created ? c.inserted : c.updated);
        tx.change.imeis.insert(f.imei);
        tx.change.addSpan(t, t);
    }
    return true;
}

bool IngestWriter::writeFaultReports(Tx &tx, const IngestBatch &b)
{
    for (const FaultReport &r : b.faultReports) {
        if (r.imei.isEmpty() || !r.reportTime.isValid()) {
            tx.reject(StoreTable::FaultCodes, QStringLiteral("fault report without IMEI or report time"));
            continue;
        }
        if (std::none_of(r.codes.cbegin(), r.codes.cend(), [](const QString &c) { return !c.isEmpty(); })) {
            tx.reject(StoreTable::FaultCodes, QStringLiteral("fault report without fault codes"));
            continue;
        }
        if (!ensureDevice(tx, r.imei))
            return false;
        const qint64 t = r.reportTime.toSecsSinceEpoch();
        const auto [lat, lng] = coordinates(r.lat, r.lng);
        for (const QString &code : r.codes) {
            if (code.isEmpty()) {
                tx.reject(StoreTable::FaultCodes, QStringLiteral("empty fault code"));
                continue;
            }
            const QVariantList row{r.imei, t,   code,  secs(r.eventTime), integer(r.faultNum), integer64(r.statusFlags),
                                   lat,    lng, tx.now};
            if (!countFact(tx, StoreTable::FaultCodes, m_faultCodes, m_faultCodes.write(row), r.imei, t, t))
                return false;
        }
    }
    return true;
}

bool IngestWriter::writeFuelReadings(Tx &tx, const IngestBatch &b)
{
    for (const FuelReading &f : b.fuelReadings) {
        if (f.imei.isEmpty() || !f.time.isValid()) {
            tx.reject(StoreTable::FuelReadings, QStringLiteral("fuel reading without IMEI or time"));
            continue;
        }
        if (!ensureDevice(tx, f.imei))
            return false;
        const qint64 t = f.time.toSecsSinceEpoch();
        const auto [lat, lng] = coordinates(f.lat, f.lng);
        const QVariantList row{f.imei, f.sensorPath, t, real(f.value), text(f.unit), secs(f.gpsTime), lat, lng, tx.now};
        if (!countFact(tx, StoreTable::FuelReadings, m_fuel, m_fuel.write(row), f.imei, t, t))
            return false;
    }
    return true;
}

bool IngestWriter::writeTemperatureReadings(Tx &tx, const IngestBatch &b)
{
    for (const TemperatureReading &r : b.temperatureReadings) {
        if (r.imei.isEmpty() || !r.time.isValid()) {
            tx.reject(StoreTable::TemperatureReadings, QStringLiteral("temperature reading without IMEI or time"));
            continue;
        }
        if (!ensureDevice(tx, r.imei))
            return false;
        const qint64 t = r.time.toSecsSinceEpoch();
        const QVariantList row{r.imei, t, real(r.temperatureC), real(r.humidityPct), secs(r.postTime), tx.now};
        if (!countFact(tx, StoreTable::TemperatureReadings, m_temperatures, m_temperatures.write(row), r.imei, t, t))
            return false;
    }
    return true;
}

bool IngestWriter::writeLbsReadings(Tx &tx, const IngestBatch &b)
{
    for (const LbsReading &r : b.lbsReadings) {
        if (r.imei.isEmpty() || !r.time.isValid() || r.postType.isEmpty()) {
            tx.reject(StoreTable::LbsReadings, QStringLiteral("LBS reading without IMEI, time or post type"));
            continue;
        }
        if (!ensureDevice(tx, r.imei))
            return false;
        const qint64 t = r.time.toSecsSinceEpoch();
        const QVariantList row{r.imei, t, r.postType, text(r.lbsJson), tx.now};
        if (!countFact(tx, StoreTable::LbsReadings, m_lbs, m_lbs.write(row), r.imei, t, t))
            return false;
    }
    return true;
}

bool IngestWriter::writeObdReadings(Tx &tx, const IngestBatch &b)
{
    for (const ObdReading &r : b.obdReadings) {
        if (r.imei.isEmpty() || !r.eventTime.isValid()) {
            tx.reject(StoreTable::ObdReadings, QStringLiteral("OBD reading without IMEI or event time"));
            continue;
        }
        if (!ensureDevice(tx, r.imei))
            return false;
        const qint64 t = r.eventTime.toSecsSinceEpoch();
        const auto [lat, lng] = coordinates(r.lat, r.lng);
        const QVariantList row{r.imei,
                               t,
                               secs(r.pushTime),
                               integer(r.carType),
                               flag(r.acc),
                               integer64(r.statusFlags),
                               lat,
                               lng,
                               real(r.engineRpm),
                               real(r.coolantTempC),
                               real(r.fuelLevelPct),
                               real(r.batteryVoltage),
                               real(r.intakePressureKpa),
                               real(r.throttlePct),
                               real(r.vehicleSpeedKmh),
                               real(r.engineLoadPct),
                               text(r.obdJson),
                               tx.now};
        if (!countFact(tx, StoreTable::ObdReadings, m_obd, m_obd.write(row), r.imei, t, t))
            return false;
    }
    return true;
}

bool IngestWriter::writePushedTrips(Tx &tx, const IngestBatch &b)
{
    for (const PushedTrip &p : b.pushedTrips) {
        if (p.imei.isEmpty() || !p.start.isValid()) {
            tx.reject(StoreTable::Trips, QStringLiteral("trip without IMEI or start time"));
            continue;
        }
        if (p.end.isValid() && p.end < p.start) {
            tx.reject(StoreTable::Trips, QStringLiteral("trip ends before it starts"));
            continue;
        }
        if (!ensureDevice(tx, p.imei))
            return false;
        const auto [startLat, startLng] = coordinates(p.startLat, p.startLng);
        const auto [endLat, endLng] = coordinates(p.endLat, p.endLng);
        // BUG-02 holds for miles too: kilometres as reported, never scaled.
        const QVariant distance = p.distanceKm && *p.distanceKm >= 0 ? real(p.distanceKm) : QVariant();
        const QVariant fuel = p.fuelL && *p.fuelL >= 0 ? real(p.fuelL) : QVariant();
        const qint64 start = p.start.toSecsSinceEpoch();
        const QVariantList row{p.imei,
                               start,
                               secs(p.end),
                               distance,
                               integer(p.idleSeconds),
                               startLat,
                               startLng,
                               endLat,
                               endLng,
                               fuel,
                               integer(p.tripSeq),
                               QString(reportSourceName(ReportSource::Push)),
                               tx.now,
                               tx.now};
        const qint64 end = p.end.isValid() ? p.end.toSecsSinceEpoch() : start;
        if (!countFact(tx, StoreTable::Trips, m_pushedTrips, m_pushedTrips.write(row), p.imei, start, end))
            return false;
    }
    return true;
}

bool IngestWriter::writeMediaUploads(Tx &tx, const IngestBatch &b)
{
    for (const MediaUpload &m : b.mediaUploads) {
        if (m.imei.isEmpty() || m.fileKey.isEmpty()) {
            tx.reject(StoreTable::Media, QStringLiteral("media upload without IMEI or file key"));
            continue;
        }
        if (!ensureDevice(tx, m.imei))
            return false;
        // The callback carries no time of its own: the file was created in
        // the cloud when the callback arrived.
        const qint64 created = m.received.isValid() ? m.received.toSecsSinceEpoch() : tx.now;
        const auto [lat, lng] = coordinates(m.lat, m.lng);
        const QVariantList row{m.imei,
                               m.fileKey,
                               integer(m.camera),
                               text(m.mediaType),
                               text(m.mimeType),
                               created,
                               integer(m.durationSeconds),
                               text(m.businessType),
                               secs(m.alarmTime),
                               lat,
                               lng,
                               text(m.instructionId),
                               text(m.localFileName),
                               QString(reportSourceName(ReportSource::Push)),
                               tx.now};
        if (!countFact(tx, StoreTable::Media, m_media, m_media.write(row), m.imei, created, created))
            return false;
    }
    return true;
}

bool IngestWriter::writeCommandResponses(Tx &tx, const IngestBatch &b)
{
    for (const CommandResponse &r : b.commandResponses) {
        if (r.imei.isEmpty() || r.serverFlagId.isEmpty()) {
            tx.reject(StoreTable::Commands, QStringLiteral("command response without IMEI or server flag id"));
            continue;
        }
        if (!ensureDevice(tx, r.imei))
            return false;
        m_commandExists.bindValue(0, r.imei);
        m_commandExists.bindValue(1, r.serverFlagId);
        const int exists = run(tx, m_commandExists, QStringLiteral("commands"));
        if (exists < 0)
            return false;
        // An answer without a code says nothing about the outcome: a known
        // command keeps its state; an unknown one is added as 'unknown'.
        const QVariant state = r.code || !exists ? QVariant(commandState(r.code)) : QVariant();
        const qint64 replied = r.received.isValid() ? r.received.toSecsSinceEpoch() : tx.now;
        const QVariantList row{r.imei,          r.serverFlagId,  integer(r.code),
                               text(r.message), text(r.content), integer(r.msgType),
                               state,           replied,         tx.now};
        if (!countFact(tx, StoreTable::Commands, m_commands, m_commands.write(row, exists > 0), r.imei, replied,
                       replied))
            return false;
    }
    return true;
}

bool IngestWriter::writePushMessages(Tx &tx, const IngestBatch &b)
{
    for (const PushMessage &m : b.pushMessages) {
        if (m.endpoint.isEmpty() || !m.time.isValid()) {
            tx.reject(StoreTable::PushMessages, QStringLiteral("push message without endpoint or time"));
            continue;
        }
        // An item that names no device is kept without creating one.
        if (!m.imei.isEmpty() && !ensureDevice(tx, m.imei))
            return false;
        const qint64 t = m.time.toSecsSinceEpoch();
        const QString payload = nonNull(m.payload);
        const QVariantList row{m.endpoint,      nonNull(m.imei), t,     sha256Hex(payload.toUtf8()),
                               nonNull(m.kind), payload,         tx.now};
        if (!countFact(tx, StoreTable::PushMessages, m_pushMessages, m_pushMessages.write(row), m.imei, t, t))
            return false;
    }
    return true;
}

bool IngestWriter::writeQuarantine(Tx &tx, const IngestBatch &b)
{
    for (const PushQuarantineRecord &q : b.quarantine) {
        if (q.endpoint.isEmpty() || !q.received.isValid()) {
            tx.reject(StoreTable::PushQuarantine, QStringLiteral("quarantined push without endpoint or receive time"));
            continue;
        }
        const QByteArray content = nonNull(q.content);
        const QString hash = sha256Hex(content);
        const qint64 t = q.received.toSecsSinceEpoch();
        const QVariantList row{q.endpoint, q.itemIndex, hash, t, nonNull(q.reason), content, t};
        const KeyedUpsert::Outcome outcome = m_quarantine.write(row);
        if (outcome != KeyedUpsert::Outcome::Unchanged) {
            if (!count(tx, StoreTable::PushQuarantine, m_quarantine, outcome))
                return false;
            continue;
        }
        // The cloud retried a push it had no answer for: one row, counted.
        m_quarantineRepeat.bindValue(QStringLiteral(":at"), t);
        m_quarantineRepeat.bindValue(QStringLiteral(":endpoint"), q.endpoint);
        m_quarantineRepeat.bindValue(QStringLiteral(":item"), q.itemIndex);
        m_quarantineRepeat.bindValue(QStringLiteral(":hash"), hash);
        if (run(tx, m_quarantineRepeat, QStringLiteral("push_quarantine")) < 0)
            return false;
        ++tx.change.count(StoreTable::PushQuarantine).updated;
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
        ok = ok && writeTrips(tx, b) && writePushedTrips(tx, b) && writeMileageTotals(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && writeAlarms(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && writeStops(tx, b);
    for (const IngestBatch &b : batches) {
        ok = ok && writeDeviceEvents(tx, b) && writeHeartbeats(tx, b) && writeStatusFlags(tx, b) && writeReadings(tx, b)
            && writeFaultReports(tx, b) && writeFuelReadings(tx, b) && writeTemperatureReadings(tx, b)
            && writeLbsReadings(tx, b) && writeObdReadings(tx, b) && writeMediaUploads(tx, b)
            && writeCommandResponses(tx, b) && writePushMessages(tx, b) && writeQuarantine(tx, b);
    }
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
    for (auto it = tx.statuses.cbegin(); it != tx.statuses.cend(); ++it)
        m_lastStatus.insert(it.key(), it.value());
    for (auto it = tx.rejected.cbegin(); it != tx.rejected.cend(); ++it)
        qCWarning(lcStore).noquote() << "refused" << it.value() << "row(s):" << it.key();
    if (change)
        *change = std::move(tx.change);
    return true;
}

} // namespace Fleet
