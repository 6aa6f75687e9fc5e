#include "storereader.h"

#include "util/utc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

#include <algorithm>
#include <span>

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

// One column a reader takes, and where its value goes. A reader's SELECT
// list and the reading of its rows come from one such list, so the two
// cannot drift apart; a column the schema lacks fails the statement.
template<typename T>
struct ReadColumn
{
    const char *name;
    void (*read)(T &row, const QVariant &value);
};

template<typename T>
using ReadColumns = std::span<const ReadColumn<T>>;

// "a.x, a.y, ..." (no alias: "x, y, ...").
template<typename T>
QString selectList(ReadColumns<T> columns, const QString &alias = {})
{
    QStringList names;
    names.reserve(qsizetype(columns.size()));
    for (const ReadColumn<T> &c : columns)
        names.append(alias.isEmpty() ? QString::fromLatin1(c.name) : alias + QLatin1Char('.') + QLatin1String(c.name));
    return names.join(QStringLiteral(", "));
}

// Reads the columns from the query's column `first` on; the next column's index.
template<typename T>
int readInto(T &row, ReadColumns<T> columns, const QSqlQuery &q, int first = 0)
{
    for (const ReadColumn<T> &c : columns)
        c.read(row, q.value(first++));
    return first;
}

template<typename T>
T readRow(ReadColumns<T> columns, const QSqlQuery &q, int first = 0)
{
    T row{};
    readInto(row, columns, q, first);
    return row;
}

const ReadColumn<Position> kPositionColumns[] = {
    {"imei", [](Position &p, const QVariant &v) { p.imei = v.toString(); }},
    {"gps_time", [](Position &p, const QVariant &v) { p.gpsTime = timeOf(v); }},
    {"lat", [](Position &p, const QVariant &v) { p.lat = v.toDouble(); }},
    {"lng", [](Position &p, const QVariant &v) { p.lng = v.toDouble(); }},
    {"speed_kmh", [](Position &p, const QVariant &v) { p.speedKmh = realOf(v); }},
    {"direction_deg", [](Position &p, const QVariant &v) { p.courseDeg = realOf(v); }},
    {"acc", [](Position &p, const QVariant &v) { p.acc = flagOf(v); }},
    {"satellites", [](Position &p, const QVariant &v) { p.satellites = intOf(v); }},
    {"altitude_m", [](Position &p, const QVariant &v) { p.altitudeM = realOf(v); }},
    {"confidence", [](Position &p, const QVariant &v) { p.confidence = intOf(v); }},
    {"pos_type", [](Position &p, const QVariant &v) { p.type = typeOf(v); }},
    {"reuploaded", [](Position &p, const QVariant &v) { p.reuploaded = flagOf(v); }},
};
constexpr ReadColumns<Position> positionColumns{kPositionColumns};

using D = Device;
const ReadColumn<Device> kDeviceColumns[] = {
    {"imei", [](D &d, const QVariant &v) { d.imei = v.toString(); }},
    {"device_name", [](D &d, const QVariant &v) { d.name = v.toString(); }},
    {"mc_type", [](D &d, const QVariant &v) { d.model = v.toString(); }},
    {"sim", [](D &d, const QVariant &v) { d.sim = v.toString(); }},
    {"iccid", [](D &d, const QVariant &v) { d.iccid = v.toString(); }},
    {"imsi", [](D &d, const QVariant &v) { d.imsi = v.toString(); }},
    {"vin", [](D &d, const QVariant &v) { d.vin = v.toString(); }},
    {"vehicle_name", [](D &d, const QVariant &v) { d.vehicleName = v.toString(); }},
    {"vehicle_number", [](D &d, const QVariant &v) { d.plate = v.toString(); }},
    {"vehicle_icon", [](D &d, const QVariant &v) { d.vehicleIcon = v.toString(); }},
    {"driver_name", [](D &d, const QVariant &v) { d.driverName = v.toString(); }},
    {"driver_phone", [](D &d, const QVariant &v) { d.driverPhone = v.toString(); }},
    {"group_id", [](D &d, const QVariant &v) { d.groupId = v.toString(); }},
    {"group_name", [](D &d, const QVariant &v) { d.groupName = v.toString(); }},
    {"account", [](D &d, const QVariant &v) { d.account = v.toString(); }},
    {"customer_name", [](D &d, const QVariant &v) { d.customerName = v.toString(); }},
    {"remark", [](D &d, const QVariant &v) { d.remark = v.toString(); }},
    {"activation_time", [](D &d, const QVariant &v) { d.activationTime = timeOf(v); }},
    {"expiration_time", [](D &d, const QVariant &v) { d.expiration = timeOf(v); }},
    {"enabled", [](D &d, const QVariant &v) { d.enabled = flagOf(v); }},
    {"current_mileage_km", [](D &d, const QVariant &v) { d.odometerKm = realOf(v); }},
};

using L = DeviceLocation;
// devices (alias d) columns of a device's state.
const ReadColumn<DeviceLocation> kStateDeviceColumns[] = {
    {"imei", [](L &l, const QVariant &v) { l.imei = v.toString(); }},
    {"device_name", [](L &l, const QVariant &v) { l.name = v.toString(); }},
    {"mc_type", [](L &l, const QVariant &v) { l.model = v.toString(); }},
    {"account", [](L &l, const QVariant &v) { l.account = v.toString(); }},
};
// device_state (alias s). The current readings are completed after reading
// (see deviceStates()).
const ReadColumn<DeviceLocation> kStateColumns[] = {
    {"online", [](L &l, const QVariant &v) { l.online = flagOf(v); }},
    {"heartbeat_time", [](L &l, const QVariant &v) { l.heartbeatTime = timeOf(v); }},
    {"gsm_signal", [](L &l, const QVariant &v) { l.gsmSignal = intOf(v); }},
    {"current_mileage_km", [](L &l, const QVariant &v) { l.odometerKm = realOf(v); }},
    {"external_voltage_v", [](L &l, const QVariant &v) { l.externalVoltage = realOf(v); }},
    {"battery_voltage_v", [](L &l, const QVariant &v) { l.batteryVoltage = realOf(v); }},
    {"battery_pct", [](L &l, const QVariant &v) { l.batteryPercent = realOf(v); }},
    {"temperature_c", [](L &l, const QVariant &v) { l.temperatureC = realOf(v); }},
    {"fuel_l", [](L &l, const QVariant &v) { l.fuelLitres = realOf(v); }},
    {"expired", [](L &l, const QVariant &v) { l.expired = flagOf(v); }},
    {"activated", [](L &l, const QVariant &v) { l.activated = flagOf(v); }},
    {"address", [](L &l, const QVariant &v) { l.address = v.toString(); }},
    {"acc", [](L &l, const QVariant &v) { l.readings.acc = flagOf(v); }},
    {"acc_time", [](L &l, const QVariant &v) { l.readings.accTime = timeOf(v); }},
    {"speed_kmh", [](L &l, const QVariant &v) { l.readings.speedKmh = realOf(v); }},
    {"direction_deg", [](L &l, const QVariant &v) { l.readings.courseDeg = realOf(v); }},
    {"satellites", [](L &l, const QVariant &v) { l.readings.satellites = intOf(v); }},
    {"pos_type", [](L &l, const QVariant &v) { l.readings.type = typeOf(v); }},
    {"motion_time", [](L &l, const QVariant &v) { l.readings.motionTime = timeOf(v); }},
    {"odometer_km", [](L &l, const QVariant &v) { l.readings.odometerKm = realOf(v); }},
    {"odometer_time", [](L &l, const QVariant &v) { l.readings.odometerTime = timeOf(v); }},
    {"mileage_total_km", [](L &l, const QVariant &v) { l.mileageTotalKm = realOf(v); }},
    {"mileage_from", [](L &l, const QVariant &v) { l.mileageFrom = timeOf(v); }},
    {"mileage_to", [](L &l, const QVariant &v) { l.mileageTo = timeOf(v); }},
};

const ReadColumn<Trip> kTripColumns[] = {
    {"imei", [](Trip &t, const QVariant &v) { t.imei = v.toString(); }},
    {"start_time", [](Trip &t, const QVariant &v) { t.start = timeOf(v); }},
    {"end_time", [](Trip &t, const QVariant &v) { t.end = timeOf(v); }},
    {"distance_km", [](Trip &t, const QVariant &v) { t.distanceKm = realOf(v); }},
    {"avg_speed_kmh", [](Trip &t, const QVariant &v) { t.avgSpeedKmh = realOf(v); }},
    {"max_speed_kmh", [](Trip &t, const QVariant &v) { t.maxSpeedKmh = realOf(v); }},
    {"run_time_s", [](Trip &t, const QVariant &v) { t.runSeconds = intOf(v); }},
    {"idle_time_s", [](Trip &t, const QVariant &v) { t.idleSeconds = intOf(v); }},
    {"start_lat", [](Trip &t, const QVariant &v) { t.startLat = realOf(v); }},
    {"start_lng", [](Trip &t, const QVariant &v) { t.startLng = realOf(v); }},
    {"end_lat", [](Trip &t, const QVariant &v) { t.endLat = realOf(v); }},
    {"end_lng", [](Trip &t, const QVariant &v) { t.endLng = realOf(v); }},
};

const ReadColumn<Alarm> kAlarmColumns[] = {
    {"imei", [](Alarm &a, const QVariant &v) { a.imei = v.toString(); }},
    {"alarm_type", [](Alarm &a, const QVariant &v) { a.typeId = v.toString(); }},
    {"alarm_name", [](Alarm &a, const QVariant &v) { a.typeName = v.toString(); }},
    {"alarm_time", [](Alarm &a, const QVariant &v) { a.time = timeOf(v); }},
    {"position_time", [](Alarm &a, const QVariant &v) { a.positionTime = timeOf(v); }},
    {"lat", [](Alarm &a, const QVariant &v) { a.lat = realOf(v); }},
    {"lng", [](Alarm &a, const QVariant &v) { a.lng = realOf(v); }},
    {"speed_kmh", [](Alarm &a, const QVariant &v) { a.speedKmh = realOf(v); }},
    {"fence_id", [](Alarm &a, const QVariant &v) { a.fenceId = v.toString(); }},
    {"device_name", [](Alarm &a, const QVariant &v) { a.deviceName = v.toString(); }},
    {"model", [](Alarm &a, const QVariant &v) { a.model = v.toString(); }},
    {"account", [](Alarm &a, const QVariant &v) { a.account = v.toString(); }},
    {"serial_no",
     [](Alarm &a, const QVariant &v) {
         a.serialNo = v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
     }},
    {"driver_name", [](Alarm &a, const QVariant &v) { a.driverName = v.toString(); }},
    {"driver_id", [](Alarm &a, const QVariant &v) { a.driverId = v.toString(); }},
    {"media_file", [](Alarm &a, const QVariant &v) { a.mediaFile = v.toString(); }},
    {"alert_value", [](Alarm &a, const QVariant &v) { a.value = v.toString(); }},
};

const ReadColumn<AlarmDeskRow> kDeskColumns[] = {
    {"state",
     [](AlarmDeskRow &r, const QVariant &v) { r.state = alarmStateFromName(v.toString()).value_or(AlarmState::New); }},
    {"handled_by", [](AlarmDeskRow &r, const QVariant &v) { r.handledBy = v.toString(); }},
    {"handled_at", [](AlarmDeskRow &r, const QVariant &v) { r.handledAt = timeOf(v); }},
    {"note", [](AlarmDeskRow &r, const QVariant &v) { r.note = v.toString(); }},
    {"fold_count", [](AlarmDeskRow &r, const QVariant &v) { r.count = qMax(1, v.toInt()); }},
    {"fold_last", [](AlarmDeskRow &r, const QVariant &v) { r.lastTime = timeOf(v); }},
};

const ReadColumn<StoredMedia> kMediaColumns[] = {
    {"id", [](StoredMedia &m, const QVariant &v) { m.id = v.toLongLong(); }},
    {"imei", [](StoredMedia &m, const QVariant &v) { m.imei = v.toString(); }},
    {"file_key", [](StoredMedia &m, const QVariant &v) { m.fileKey = v.toString(); }},
    {"camera", [](StoredMedia &m, const QVariant &v) { m.camera = intOf(v); }},
    {"media_type", [](StoredMedia &m, const QVariant &v) { m.mediaType = v.toString(); }},
    {"mime_type", [](StoredMedia &m, const QVariant &v) { m.mimeType = v.toString(); }},
    {"file_url", [](StoredMedia &m, const QVariant &v) { m.fileUrl = v.toString(); }},
    {"thumb_url", [](StoredMedia &m, const QVariant &v) { m.thumbUrl = v.toString(); }},
    {"created_time", [](StoredMedia &m, const QVariant &v) { m.created = timeOf(v); }},
    {"alarm_time", [](StoredMedia &m, const QVariant &v) { m.alarmTime = timeOf(v); }},
    {"event_type_id", [](StoredMedia &m, const QVariant &v) { m.eventTypeId = v.toString(); }},
    {"file_size_bytes",
     [](StoredMedia &m, const QVariant &v) {
         m.fileSize = v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
     }},
    {"duration_s", [](StoredMedia &m, const QVariant &v) { m.durationSeconds = intOf(v); }},
};

const ReadColumn<CommandRecord> kCommandColumns[] = {
    {"id", [](CommandRecord &r, const QVariant &v) { r.id = v.toLongLong(); }},
    {"client_key", [](CommandRecord &r, const QVariant &v) { r.clientKey = v.toString(); }},
    {"batch_key", [](CommandRecord &r, const QVariant &v) { r.batchKey = v.toString(); }},
    {"imei", [](CommandRecord &r, const QVariant &v) { r.imei = v.toString(); }},
    {"origin", [](CommandRecord &r, const QVariant &v) { r.fromFleetDesk = v.toString() != QLatin1String("cloud"); }},
    {"route", [](CommandRecord &r, const QVariant &v) { r.route = commandRouteFromKey(v.toString()); }},
    {"template_id", [](CommandRecord &r, const QVariant &v) { r.templateId = v.toString(); }},
    {"template_name", [](CommandRecord &r, const QVariant &v) { r.templateName = v.toString(); }},
    {"command_text", [](CommandRecord &r, const QVariant &v) { r.text = v.toString(); }},
    {"params_json", [](CommandRecord &r, const QVariant &v) { r.paramsJson = v.toString(); }},
    {"danger", [](CommandRecord &r, const QVariant &v) { r.danger = commandDangerFromKey(v.toString()); }},
    {"operator", [](CommandRecord &r, const QVariant &v) { r.operatorName = v.toString(); }},
    {"sent_time", [](CommandRecord &r, const QVariant &v) { r.sentTime = timeOf(v); }},
    {"state",
     [](CommandRecord &r, const QVariant &v) {
         r.state = commandStateFromKey(v.toString()).value_or(CommandState::Unknown);
     }},
    {"state_time", [](CommandRecord &r, const QVariant &v) { r.stateTime = timeOf(v); }},
    {"result_code", [](CommandRecord &r, const QVariant &v) { r.resultCode = intOf(v); }},
    {"result_message", [](CommandRecord &r, const QVariant &v) { r.resultMessage = v.toString(); }},
    {"server_flag_id", [](CommandRecord &r, const QVariant &v) { r.serverFlagId = v.toString(); }},
    {"reply_content", [](CommandRecord &r, const QVariant &v) { r.reply = v.toString(); }},
    {"reply_time", [](CommandRecord &r, const QVariant &v) { r.replyTime = timeOf(v); }},
    {"deadline", [](CommandRecord &r, const QVariant &v) { r.deadline = timeOf(v); }},
    {"sender", [](CommandRecord &r, const QVariant &v) { r.sender = v.toString(); }},
    // As the fleet list names it (VehicleSnapshot::displayName()).
    {"(SELECT coalesce(device_name, vehicle_name, vehicle_number) FROM devices WHERE devices.imei = commands.imei)",
     [](CommandRecord &r, const QVariant &v) { r.deviceName = v.toString(); }},
};

// The time a command is listed under (indexed: commands_listed).
constexpr const char *kCommandListed = "coalesce(sent_time, reply_time, updated_at)";

struct CommandWhere
{
    QStringList terms;
    QVariantList binds;
};

CommandWhere commandWhere(const CommandFilter &f)
{
    CommandWhere w;
    if (!f.imeis.isEmpty()) {
        w.terms.append(QStringLiteral("imei IN (SELECT value FROM json_each(?))"));
        w.binds.append(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(f.imeis)).toJson(QJsonDocument::Compact)));
    }
    if (!f.states.isEmpty()) {
        QStringList keys;
        for (CommandState s : f.states)
            keys.append(QString(commandStateKey(s)));
        w.terms.append(QStringLiteral("state IN (SELECT value FROM json_each(?))"));
        w.binds.append(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(keys)).toJson(QJsonDocument::Compact)));
    }
    if (!f.batchKey.isEmpty()) {
        w.terms.append(QStringLiteral("batch_key = ?"));
        w.binds.append(f.batchKey);
    }
    if (f.from.isValid()) {
        w.terms.append(QStringLiteral("%1 >= ?").arg(QLatin1String(kCommandListed)));
        w.binds.append(f.from.toSecsSinceEpoch());
    }
    if (f.to.isValid()) {
        w.terms.append(QStringLiteral("%1 <= ?").arg(QLatin1String(kCommandListed)));
        w.binds.append(f.to.toSecsSinceEpoch());
    }
    if (f.origin != CommandFilter::Origin::Any) {
        w.terms.append(QStringLiteral("origin = ?"));
        w.binds.append(f.origin == CommandFilter::Origin::Cloud ? QStringLiteral("cloud") : QStringLiteral("fleetdesk"));
    }
    const QString text = f.text.trimmed();
    if (!text.isEmpty()) {
        QString escaped = text;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('%'), QStringLiteral("\\%"))
            .replace(QLatin1Char('_'), QStringLiteral("\\_"));
        const QString like = QLatin1Char('%') + escaped + QLatin1Char('%');
        QStringList likes;
        for (const char *column : {"command_text", "reply_content", "template_name", "operator", "imei"})
            likes.append(QStringLiteral("%1 LIKE ? ESCAPE '\\'").arg(QLatin1String(column)));
        QStringList vehicle;
        for (const char *column : {"device_name", "vehicle_name", "vehicle_number"})
            vehicle.append(QStringLiteral("%1 LIKE ? ESCAPE '\\'").arg(QLatin1String(column)));
        w.terms.append(QStringLiteral("(%1 OR imei IN (SELECT imei FROM devices WHERE %2))")
                           .arg(likes.join(QStringLiteral(" OR ")), vehicle.join(QStringLiteral(" OR "))));
        for (qsizetype i = 0; i < likes.size() + vehicle.size(); ++i)
            w.binds.append(like);
    }
    return w;
}

const ReadColumn<AlarmActionRecord> kActionColumns[] = {
    {"id", [](AlarmActionRecord &r, const QVariant &v) { r.id = v.toLongLong(); }},
    {"alarm", [](AlarmActionRecord &r, const QVariant &v) { r.alarmId = v.toLongLong(); }},
    {"action",
     [](AlarmActionRecord &r, const QVariant &v) {
         r.kind = alarmActionFromName(v.toString()).value_or(AlarmActionKind::Note);
     }},
    {"from_state",
     [](AlarmActionRecord &r, const QVariant &v) { r.from = alarmStateFromName(v.toString()).value_or(AlarmState::New); }},
    {"to_state",
     [](AlarmActionRecord &r, const QVariant &v) { r.to = alarmStateFromName(v.toString()).value_or(AlarmState::New); }},
    {"operator", [](AlarmActionRecord &r, const QVariant &v) { r.operatorName = v.toString(); }},
    {"note", [](AlarmActionRecord &r, const QVariant &v) { r.note = v.toString(); }},
    {"acted_at", [](AlarmActionRecord &r, const QVariant &v) { r.at = timeOf(v); }},
    {"serial_no",
     [](AlarmActionRecord &r, const QVariant &v) {
         r.serialNo = v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
     }},
    {"device_result",
     [](AlarmActionRecord &r, const QVariant &v) {
         r.deviceResult = v.isNull() ? std::nullopt : deviceAckResultFromName(v.toString());
     }},
    {"result_code", [](AlarmActionRecord &r, const QVariant &v) { r.resultCode = intOf(v); }},
    {"result_message", [](AlarmActionRecord &r, const QVariant &v) { r.resultMessage = v.toString(); }},
    {"answered_at", [](AlarmActionRecord &r, const QVariant &v) { r.answeredAt = timeOf(v); }},
};

QString jsonArray(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

// "%text%" for LIKE ... ESCAPE '\', the text's own wildcards escaped.
QString likePattern(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 2);
    for (const QChar c : text) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            escaped.append(QLatin1Char('\\'));
        escaped.append(c);
    }
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

// The WHERE of the desk's queries (alarms a, devices d), binds in order.
struct DeskWhere
{
    QStringList terms;
    QVariantList binds;

    void add(const QString &term, const QVariantList &values = {})
    {
        terms.append(term);
        binds.append(values);
    }
    QString sql() const { return terms.join(QStringLiteral(" AND ")); }
};

// The desk's pages walk an index in time order and stop at the page's end,
// so a term that would make the planner pick another index (and sort all it
// matches) is written so that no index serves it: "(a.state || '')". The
// states (alarms_state_heads: one state is in time order; two, the unhandled,
// are few) and the vehicles (alarms_imei_time) keep theirs. With minId the rows after an
// id drive (the primary key), so every other term is kept off its index.
DeskWhere deskWhere(const AlarmFilter &f, bool withStates)
{
    DeskWhere w;
    const bool byId = f.minId > 0;
    // A change's rows are found by their vehicles (alarms_imei_fold) or their ids: no other index.
    const bool narrow = byId || (f.touchedFrom.isValid() && f.touchedTo.isValid());
    const QString state = QStringLiteral("(a.state || '')");
    const QString type = QStringLiteral("(a.alarm_type || '')");
    w.add(QStringLiteral("a.folded_into IS NULL"));
    if (withStates) {
        // One state, or all but one, keep the state index usable.
        QList<AlarmState> states = f.states;
        std::sort(states.begin(), states.end());
        states.erase(std::unique(states.begin(), states.end()), states.end());
        if (states.size() == 1) {
            w.add((narrow ? state : QStringLiteral("a.state")) + QStringLiteral(" = ?"),
                  {QString(alarmStateName(states.constFirst()))});
        } else if (states.size() == 2) {
            // Two states (unhandled, say) are few rows in a desk that is
            // worked: found through the state index, then sorted.
            w.add((narrow ? state : QStringLiteral("a.state")) + QStringLiteral(" IN (?, ?)"),
                  {QString(alarmStateName(states.at(0))), QString(alarmStateName(states.at(1)))});
        }
    }
    if (!f.typeIds.isEmpty())
        w.add(type + QStringLiteral(" IN (SELECT value FROM json_each(?))"), {jsonArray(f.typeIds)});
    if (!f.excludedTypeIds.isEmpty())
        w.add(type + QStringLiteral(" NOT IN (SELECT value FROM json_each(?))"), {jsonArray(f.excludedTypeIds)});
    if (!f.imeis.isEmpty()) {
        w.add((byId ? QStringLiteral("(a.imei || '')") : QStringLiteral("a.imei"))
                  + QStringLiteral(" IN (SELECT value FROM json_each(?))"),
              {jsonArray(f.imeis)});
    }
    if (!f.groupId.isEmpty())
        w.add(QStringLiteral("d.group_id = ?"), {f.groupId});
    if (f.from.isValid())
        w.add(QStringLiteral("a.alarm_time >= ?"), {f.from.toSecsSinceEpoch()});
    if (f.to.isValid())
        w.add(QStringLiteral("a.alarm_time <= ?"), {f.to.toSecsSinceEpoch()});
    if (f.minId > 0)
        w.add(QStringLiteral("a.id > ?"), {f.minId});
    if (f.maxId > 0)
        w.add(QStringLiteral("a.id <= ?"), {f.maxId});
    if (f.touchedFrom.isValid() && f.touchedTo.isValid()) {
        // "+ 0": the vehicles' index finds them, not a walk of the time index.
        w.add(QStringLiteral("a.fold_last >= ? AND a.alarm_time + 0 <= ?"),
              {f.touchedFrom.toSecsSinceEpoch(), f.touchedTo.toSecsSinceEpoch()});
    }
    const QString text = f.text.trimmed();
    if (!text.isEmpty()) {
        const QString like = likePattern(text);
        QStringList any;
        QVariantList binds;
        for (const char *column : {"a.imei", "a.device_name", "d.device_name", "d.vehicle_number", "a.alarm_name",
                                   "a.note", "a.handled_by", "a.alarm_type"}) {
            any.append(QStringLiteral("%1 LIKE ? ESCAPE '\\'").arg(QLatin1String(column)));
            binds.append(like);
        }
        if (!f.textTypeIds.isEmpty()) {
            any.append(type + QStringLiteral(" IN (SELECT value FROM json_each(?))"));
            binds.append(jsonArray(f.textTypeIds));
        }
        w.add(QLatin1Char('(') + any.join(QStringLiteral(" OR ")) + QLatin1Char(')'), binds);
    }
    if (f.pinned != AlarmFilter::Pinned::Any) {
        // Pinned rows (unhandled critical ones) are few: the state index finds
        // them. The rest is walked in time order.
        if (f.pinned == AlarmFilter::Pinned::Only) {
            w.add(QStringLiteral("%1 IN ('new', 'acknowledged') AND %2 IN (SELECT value FROM json_each(?))")
                      .arg(narrow ? state : QStringLiteral("a.state"), type),
                  {jsonArray(f.pinnedTypeIds)});
        } else {
            w.add(QStringLiteral("NOT (%1 <> 'resolved' AND %2 IN (SELECT value FROM json_each(?)))").arg(state, type),
                  {jsonArray(f.pinnedTypeIds)});
        }
    }
    return w;
}

// byIds: the rows are looked up by their ids (a term "a.id IN ..."), no
// index walked.
// The rows of a rare search (StoreReader::rareSearch) by their ids; whether
// there is such a term.
bool addIdTerm(DeskWhere &w, const std::optional<QString> &ids)
{
    if (ids)
        w.add(QStringLiteral("a.id IN (SELECT value FROM json_each(?))"), {*ids});
    return ids.has_value();
}

QString deskSelect(bool byIds = false)
{
    return QStringLiteral("SELECT a.id, %1, %2, d.device_name, d.vehicle_number, d.group_name, "
                          "(d.device_name IS NOT NULL OR d.mc_type IS NOT NULL OR d.account IS NOT NULL) "
                          "FROM alarms a %3 LEFT JOIN devices d ON d.imei = a.imei ")
        .arg(selectList<Alarm>(kAlarmColumns, QStringLiteral("a")),
             selectList<AlarmDeskRow>(kDeskColumns, QStringLiteral("a")),
             byIds ? QStringLiteral("NOT INDEXED") : QString());
}

// A text of 3 characters or more as one phrase of the trigram index.
QString searchPhrase(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

AlarmDeskRow readDeskRow(const QSqlQuery &q)
{
    AlarmDeskRow r;
    r.id = q.value(0).toLongLong();
    int next = readInto<Alarm>(r.alarm, kAlarmColumns, q, 1);
    next = readInto<AlarmDeskRow>(r, kDeskColumns, q, next);
    const QString registryName = q.value(next++).toString();
    r.vehicleName = !registryName.isEmpty() ? registryName
        : !r.alarm.deviceName.isEmpty()     ? r.alarm.deviceName
                                            : r.alarm.imei;
    r.plate = q.value(next++).toString();
    r.groupName = q.value(next++).toString();
    r.knownDevice = q.value(next++).toBool();
    if (!r.lastTime.isValid())
        r.lastTime = r.alarm.time;
    return r;
}

using S = StopPeriod;
const ReadColumn<StopPeriod> kStopColumns[] = {
    {"imei", [](S &s, const QVariant &v) { s.imei = v.toString(); }},
    {"device_name", [](S &s, const QVariant &v) { s.deviceName = v.toString(); }},
    {"start_time", [](S &s, const QVariant &v) { s.start = timeOf(v); }},
    {"end_time", [](S &s, const QVariant &v) { s.end = timeOf(v); }},
    {"duration_s", [](S &s, const QVariant &v) { s.durationSeconds = intOf(v); }},
    {"stop_s", [](S &s, const QVariant &v) { s.stopSeconds = intOf(v); }},
    {"acc_on", [](S &s, const QVariant &v) { s.accOn = flagOf(v); }},
    {"lat", [](S &s, const QVariant &v) { s.lat = realOf(v); }},
    {"lng", [](S &s, const QVariant &v) { s.lng = realOf(v); }},
    {"address", [](S &s, const QVariant &v) { s.address = v.toString(); }},
};

// tokens: the token is whole only with an access token and its expiry (see
// tokenState()).
const ReadColumn<TokenState> kTokenColumns[] = {
    {"account", [](TokenState &t, const QVariant &v) { t.token.emplace().account = v.toString(); }},
    {"access_token", [](TokenState &t, const QVariant &v) { t.token->accessToken = v.toString(); }},
    {"refresh_token", [](TokenState &t, const QVariant &v) { t.token->refreshToken = v.toString(); }},
    {"obtained_at", [](TokenState &t, const QVariant &v) { t.token->obtainedAt = timeOf(v); }},
    {"expires_at", [](TokenState &t, const QVariant &v) { t.token->expiresAt = timeOf(v); }},
    {"last_token_get_time", [](TokenState &t, const QVariant &v) { t.lastTokenGet = timeOf(v); }},
};

using Q = QuarantineRow;
const ReadColumn<QuarantineRow> kQuarantineColumns[] = {
    {"id", [](Q &r, const QVariant &v) { r.id = v.toLongLong(); }},
    {"endpoint", [](Q &r, const QVariant &v) { r.endpoint = v.toString(); }},
    {"received_at", [](Q &r, const QVariant &v) { r.received = timeOf(v); }},
    {"last_received_at", [](Q &r, const QVariant &v) { r.lastReceived = timeOf(v); }},
    {"times_received", [](Q &r, const QVariant &v) { r.timesReceived = v.toInt(); }},
    {"item_index", [](Q &r, const QVariant &v) { r.itemIndex = v.toInt(); }},
    {"reason", [](Q &r, const QVariant &v) { r.reason = v.toString(); }},
    {"content", [](Q &r, const QVariant &v) { r.content = v.toByteArray(); }},
};

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
    return select<T>(sql.arg(imeiColumn + QLatin1String(" IN (SELECT value FROM json_each(?))")),
                     QVariantList{jsonArray(imeis)} + binds, std::forward<Fn>(read));
}

QList<Device> StoreReader::devices()
{
    return select<Device>(QStringLiteral("SELECT %1 FROM devices WHERE departed_at IS NULL ORDER BY imei")
                              .arg(selectList<Device>(kDeviceColumns)),
                          {}, [](const QSqlQuery &q) { return readRow<Device>(kDeviceColumns, q); });
}

QList<Device> StoreReader::expiringDevices(const QDateTime &until)
{
    return select<Device>(QStringLiteral("SELECT %1 FROM devices WHERE departed_at IS NULL AND expiration_time <= ? "
                                         "ORDER BY expiration_time, imei")
                              .arg(selectList<Device>(kDeviceColumns)),
                          {until.toSecsSinceEpoch()},
                          [](const QSqlQuery &q) { return readRow<Device>(kDeviceColumns, q); });
}

QList<DeviceDeparture> StoreReader::departures()
{
    return select<DeviceDeparture>(
        QStringLiteral("SELECT imei, departed_to, departed_at FROM devices WHERE departed_at IS NOT NULL "
                       "ORDER BY departed_at, imei"),
        {}, [](const QSqlQuery &q) {
            return DeviceDeparture{q.value(0).toString(), q.value(1).toString(),
                                   timeOf(q.value(2))};
        });
}

std::optional<Device> StoreReader::device(const QString &imei)
{
    const QList<Device> found =
        select<Device>(QStringLiteral("SELECT %1 FROM devices WHERE imei = ?").arg(selectList<Device>(kDeviceColumns)),
                       {imei}, [](const QSqlQuery &q) { return readRow<Device>(kDeviceColumns, q); });
    return found.isEmpty() ? std::nullopt : std::optional<Device>(found.constFirst());
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
    const QString sql = QStringLiteral("SELECT %1, %2, %3 FROM devices d LEFT JOIN device_state s ON s.imei = d.imei "
                                       "LEFT JOIN %4 WHERE d.departed_at IS NULL AND %5 ORDER BY d.imei")
                            .arg(selectList<DeviceLocation>(kStateDeviceColumns, QStringLiteral("d")),
                                 selectList<DeviceLocation>(kStateColumns, QStringLiteral("s")),
                                 selectList(positionColumns, QStringLiteral("p")),
                                 latestFixJoin(QStringLiteral("d.imei")), QStringLiteral("%1"));
    return selectForDevices<DeviceLocation>(sql, QStringLiteral("d.imei"), imeis, {}, [](const QSqlQuery &q) {
        DeviceLocation l;
        int next = readInto<DeviceLocation>(l, kStateDeviceColumns, q);
        next = readInto<DeviceLocation>(l, kStateColumns, q, next);
        // A reading counts only with the time it belongs to.
        DeviceReadings &now = l.readings;
        if (!now.accTime.isValid())
            now.acc.reset();
        if (!now.odometerTime.isValid())
            now.odometerKm.reset();
        if (!q.value(next).isNull())
            l.fix = readRow(positionColumns, q, next);
        return l;
    });
}

QList<Position> StoreReader::latestPositions(const QStringList &imeis)
{
    const QString sql = QStringLiteral("SELECT %1 FROM devices d JOIN %2 WHERE %3 ORDER BY d.imei")
                            .arg(selectList(positionColumns, QStringLiteral("p")),
                                 latestFixJoin(QStringLiteral("d.imei")), QStringLiteral("%1"));
    return selectForDevices<Position>(sql, QStringLiteral("d.imei"), imeis, {},
                                      [](const QSqlQuery &q) { return readRow(positionColumns, q); });
}

QList<StoredPosition> StoreReader::positions(const QString &imei, const QDateTime &from, const QDateTime &to, int limit)
{
    const QString sql = QStringLiteral("SELECT %1, p.source, p.received_at FROM position_history p WHERE p.imei = ? "
                                       "AND p.gps_time BETWEEN ? AND ? ORDER BY p.gps_time LIMIT ?")
                            .arg(selectList(positionColumns, QStringLiteral("p")));
    return select<StoredPosition>(sql, {imei, secsOr(from, kMinTime), secsOr(to, kMaxTime), limit},
                                  [](const QSqlQuery &q) {
                                      StoredPosition stored;
                                      const int next = readInto(stored.position, positionColumns, q);
                                      stored.source = sourceOf(q.value(next));
                                      stored.receivedAt = timeOf(q.value(next + 1));
                                      return stored;
                                  });
}

QList<Position> StoreReader::fixes(const QString &imei, const QDateTime &from, const QDateTime &to)
{
    const QString sql = QStringLiteral("SELECT %1 FROM position_history p WHERE p.imei = ? "
                                       "AND p.gps_time BETWEEN ? AND ? ORDER BY p.gps_time")
                            .arg(selectList(positionColumns, QStringLiteral("p")));
    return select<Position>(sql, {imei, secsOr(from, kMinTime), secsOr(to, kMaxTime)},
                            [](const QSqlQuery &q) { return readRow<Position>(positionColumns, q); });
}

QList<Trip> StoreReader::trips(const QStringList &imeis, const QDateTime &from, const QDateTime &to)
{
    const QString sql = QStringLiteral("SELECT %1 FROM trips WHERE %2 AND start_time <= ? "
                                       "AND coalesce(end_time, start_time) >= ? ORDER BY start_time, imei")
                            .arg(selectList<Trip>(kTripColumns), QStringLiteral("%1"));
    return selectForDevices<Trip>(sql, QStringLiteral("imei"), imeis, {secsOr(to, kMaxTime), secsOr(from, kMinTime)},
                                  [](const QSqlQuery &q) { return readRow<Trip>(kTripColumns, q); });
}

QList<Alarm> StoreReader::alarms(const QStringList &imeis, const QDateTime &from, const QDateTime &to, int limit)
{
    const QString sql = QStringLiteral("SELECT %1 FROM alarms WHERE %2 AND alarm_time BETWEEN ? AND ? "
                                       "ORDER BY alarm_time, imei, alarm_type LIMIT ?")
                            .arg(selectList<Alarm>(kAlarmColumns), QStringLiteral("%1"));
    return selectForDevices<Alarm>(sql, QStringLiteral("imei"), imeis,
                                   {secsOr(from, kMinTime), secsOr(to, kMaxTime), limit},
                                   [](const QSqlQuery &q) { return readRow<Alarm>(kAlarmColumns, q); });
}

QList<StopPeriod> StoreReader::stops(const QStringList &imeis, const QDateTime &from, const QDateTime &to)
{
    const QString sql = QStringLiteral("SELECT %1 FROM parking_idling WHERE %2 AND start_time <= ? "
                                       "AND coalesce(end_time, start_time) >= ? ORDER BY start_time, imei")
                            .arg(selectList<StopPeriod>(kStopColumns), QStringLiteral("%1"));
    return selectForDevices<StopPeriod>(sql, QStringLiteral("imei"), imeis,
                                        {secsOr(to, kMaxTime), secsOr(from, kMinTime)},
                                        [](const QSqlQuery &q) { return readRow<StopPeriod>(kStopColumns, q); });
}

QList<TimeSpan> StoreReader::trackCoverage(const QString &imei, const QDateTime &from, const QDateTime &to)
{
    return select<TimeSpan>(QStringLiteral("SELECT from_time, to_time FROM track_coverage WHERE imei = ? "
                                           "AND from_time <= ? AND to_time >= ? ORDER BY from_time"),
                            {imei, secsOr(to, kMaxTime), secsOr(from, kMinTime)}, [&](const QSqlQuery &q) {
                                TimeSpan span{timeOf(q.value(0)), timeOf(q.value(1))};
                                if (from.isValid())
                                    span.from = qMax(span.from, from);
                                if (to.isValid())
                                    span.to = qMin(span.to, to);
                                return span;
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
        QStringLiteral("SELECT %1 FROM tokens WHERE account_key = ?").arg(selectList<TokenState>(kTokenColumns)), {key},
        [](const QSqlQuery &q) {
            TokenState state = readRow<TokenState>(kTokenColumns, q);
            if (state.token && (state.token->accessToken.isEmpty() || !state.token->expiresAt.isValid()))
                state.token.reset();
            return state;
        });
    return found.isEmpty() ? TokenState() : found.constFirst();
}

QList<AlarmDeskRow> StoreReader::alarmDesk(const AlarmFilter &filter, const std::optional<AlarmCursor> &after, int limit)
{
    std::optional<std::pair<QString, AlarmCursor>> bound;
    if (after)
        bound = std::pair{QStringLiteral("<"), *after};
    return deskPage(filter, bound, limit);
}

QList<AlarmDeskRow> StoreReader::alarmDeskUntil(const AlarmFilter &filter, const AlarmCursor &last, int limit)
{
    return deskPage(filter, std::pair{QStringLiteral(">="), last}, limit);
}

std::optional<QString> StoreReader::rareSearch(const AlarmFilter &filter)
{
    // Only a plain search: a change's rows are found by ids or vehicles, and
    // a text that names a type matches that type's many rows.
    const QString text = filter.text.trimmed();
    if (text.size() < 3 || filter.minId > 0 || filter.touchedFrom.isValid() || !filter.textTypeIds.isEmpty())
        return std::nullopt;
    // The pinned rows, the rest and the counts ask alike: found once.
    const qint64 version = dataVersion();
    if (m_rareSearch.text == text && m_rareSearch.version == version)
        return m_rareSearch.ids;
    const QString like = likePattern(text);
    const auto id = [](const QSqlQuery &q) { return q.value(0).toLongLong(); };
    // The runs of the vehicles the text names (an index finds them), and the
    // runs whose own words hold it (the trigram index).
    QList<qint64> found = select<qint64>(
        QStringLiteral("SELECT a.id FROM alarms a WHERE a.folded_into IS NULL AND a.imei IN ("
                       "SELECT imei FROM devices WHERE imei LIKE ? ESCAPE '\\' OR device_name LIKE ? ESCAPE '\\' "
                       "OR vehicle_number LIKE ? ESCAPE '\\' "
                       "UNION SELECT imei FROM alarm_device_names WHERE device_name LIKE ? ESCAPE '\\') LIMIT %1")
            .arg(kRareSearchRows + 1),
        {like, like, like, like}, id);
    bool ok = m_error.isEmpty();
    if (ok && found.size() <= kRareSearchRows) {
        found += select<qint64>(
            QStringLiteral("SELECT rowid FROM alarm_search WHERE alarm_search MATCH ? LIMIT %1").arg(kRareSearchRows + 1),
            {searchPhrase(text)}, id);
        ok = m_error.isEmpty();
    }
    if (!ok) {
        m_rareSearch = RareSearch{}; // asked again next time; the walk answers now
        return std::nullopt;
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    m_rareSearch.text = text;
    m_rareSearch.version = version;
    m_rareSearch.ids.reset();
    if (found.size() <= kRareSearchRows) {
        QStringList ids;
        ids.reserve(found.size());
        for (const qint64 n : std::as_const(found))
            ids.append(QString::number(n));
        m_rareSearch.ids = QLatin1Char('[') + ids.join(QLatin1Char(',')) + QLatin1Char(']');
    }
    return m_rareSearch.ids;
}

QList<AlarmDeskRow> StoreReader::deskPage(const AlarmFilter &filter,
                                          const std::optional<std::pair<QString, AlarmCursor>> &bound, int limit)
{
    DeskWhere w = deskWhere(filter, true);
    // A text few rows match: those rows, by their ids, then sorted. (Many
    // rows: the walk in time order meets a page of them soon.)
    const bool rare = addIdTerm(w, rareSearch(filter));
    if (bound)
        w.add(QStringLiteral("(a.alarm_time, a.id) %1 (?, ?)").arg(bound->first), {bound->second.time, bound->second.id});
    // What arrived after an id: the newest stored first, by the primary key.
    // What a change touched: found through the vehicles' index (the order is
    // an expression, so no walk of the time index over every vehicle's rows).
    const QString order = filter.minId > 0 ? QStringLiteral("a.id DESC")
        : filter.touchedFrom.isValid()     ? QStringLiteral("a.alarm_time + 0 DESC, a.id DESC")
                                           : QStringLiteral("a.alarm_time DESC, a.id DESC");
    return select<AlarmDeskRow>(deskSelect(rare)
                                    + QStringLiteral("WHERE %1 ORDER BY %2 LIMIT ?").arg(w.sql(), order),
                                w.binds + QVariantList{limit}, readDeskRow);
}

std::optional<AlarmDeskRow> StoreReader::alarmDeskRow(qint64 alarmId)
{
    const QList<AlarmDeskRow> found = select<AlarmDeskRow>(
        deskSelect() + QStringLiteral("WHERE a.id = (SELECT COALESCE(folded_into, id) FROM alarms WHERE id = ?)"),
        {alarmId}, readDeskRow);
    return found.isEmpty() ? std::nullopt : std::optional<AlarmDeskRow>(found.constFirst());
}

QList<AlarmDeskRow> StoreReader::alarmFold(qint64 alarmId)
{
    return select<AlarmDeskRow>(
        deskSelect()
            + QStringLiteral("WHERE a.id = (SELECT COALESCE(folded_into, id) FROM alarms WHERE id = ?) "
                             "OR a.folded_into = (SELECT COALESCE(folded_into, id) FROM alarms WHERE id = ?) "
                             "ORDER BY a.alarm_time, a.id"),
        {alarmId, alarmId}, readDeskRow);
}

QList<StoredMedia> StoreReader::alarmMedia(qint64 alarmId)
{
    // The fold's alarms; then the media of its device that an alarm of it
    // named (the push's "file"), or that were taken for an alarm of its type
    // (or of no stated type) from kAlarmMediaWindowSecs before its first to
    // as long after its last alarm.
    return select<StoredMedia>(
        QStringLiteral("WITH head(id) AS (SELECT COALESCE(folded_into, id) FROM alarms WHERE id = ?), "
                       "fold AS (SELECT imei, alarm_type, alarm_time, media_file FROM alarms "
                       "WHERE id = (SELECT id FROM head) OR folded_into = (SELECT id FROM head)), "
                       "span(imei, first, last) AS (SELECT min(imei), min(alarm_time) - %2, max(alarm_time) + %2 "
                       "FROM fold) "
                       "SELECT %1 FROM media m, span WHERE m.imei = span.imei AND ("
                       "m.file_key IN (SELECT media_file FROM fold WHERE media_file IS NOT NULL) "
                       "OR (m.alarm_time BETWEEN span.first AND span.last "
                       "AND (m.event_type_id IS NULL OR m.event_type_id IN (SELECT alarm_type FROM fold)))) "
                       "ORDER BY COALESCE(m.alarm_time, m.created_time), m.camera, m.media_type, m.id")
            .arg(selectList<StoredMedia>(kMediaColumns, QStringLiteral("m")))
            .arg(kAlarmMediaWindowSecs),
        {alarmId}, [](const QSqlQuery &q) { return readRow<StoredMedia>(kMediaColumns, q); });
}

QList<StoredMedia> StoreReader::vehicleMedia(const QString &imei, int limit)
{
    return select<StoredMedia>(
        QStringLiteral("SELECT %1 FROM media m WHERE m.imei = ? "
                       "ORDER BY m.created_time DESC, m.camera, m.media_type, m.id DESC LIMIT ?")
            .arg(selectList<StoredMedia>(kMediaColumns, QStringLiteral("m"))),
        {imei, limit}, [](const QSqlQuery &q) { return readRow<StoredMedia>(kMediaColumns, q); });
}

QList<CommandRecord> StoreReader::commands(const CommandFilter &filter, const std::optional<CommandCursor> &after,
                                          int limit)
{
    CommandWhere w = commandWhere(filter);
    if (after) {
        w.terms.append(QStringLiteral("(%1, id) < (?, ?)").arg(QLatin1String(kCommandListed)));
        w.binds << after->listedTime << after->id;
    }
    w.binds.append(limit);
    return select<CommandRecord>(
        QStringLiteral("SELECT %1 FROM commands %2 ORDER BY %3 DESC, id DESC LIMIT ?")
            .arg(selectList<CommandRecord>(kCommandColumns),
                 w.terms.isEmpty() ? QString() : QStringLiteral("WHERE ") + w.terms.join(QStringLiteral(" AND ")),
                 QLatin1String(kCommandListed)),
        w.binds, [](const QSqlQuery &q) { return readRow<CommandRecord>(kCommandColumns, q); });
}

qint64 StoreReader::commandCount(const CommandFilter &filter)
{
    const CommandWhere w = commandWhere(filter);
    const QList<qint64> n = select<qint64>(
        QStringLiteral("SELECT count(*) FROM commands %1")
            .arg(w.terms.isEmpty() ? QString() : QStringLiteral("WHERE ") + w.terms.join(QStringLiteral(" AND "))),
        w.binds, [](const QSqlQuery &q) { return q.value(0).toLongLong(); });
    return n.isEmpty() ? 0 : n.first();
}

CommandCursor StoreReader::commandCursor(const CommandRecord &row)
{
    const QDateTime t = row.sentTime.isValid() ? row.sentTime : row.replyTime;
    return CommandCursor{t.isValid() ? t.toSecsSinceEpoch() : 0, row.id};
}

std::optional<CommandRecord> StoreReader::command(qint64 id)
{
    const QList<CommandRecord> rows = select<CommandRecord>(
        QStringLiteral("SELECT %1 FROM commands WHERE id = ?").arg(selectList<CommandRecord>(kCommandColumns)), {id},
        [](const QSqlQuery &q) { return readRow<CommandRecord>(kCommandColumns, q); });
    return rows.isEmpty() ? std::nullopt : std::optional<CommandRecord>(rows.first());
}

QList<CommandRecord> StoreReader::commandsByClientKey(const QStringList &keys)
{
    return select<CommandRecord>(
        QStringLiteral("SELECT %1 FROM commands WHERE client_key IN (SELECT value FROM json_each(?)) ORDER BY id")
            .arg(selectList<CommandRecord>(kCommandColumns)),
        {QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(keys)).toJson(QJsonDocument::Compact))},
        [](const QSqlQuery &q) { return readRow<CommandRecord>(kCommandColumns, q); });
}

QList<CommandRecord> StoreReader::openCommands()
{
    return select<CommandRecord>(
        QStringLiteral("SELECT %1 FROM commands WHERE state IN ('sending', 'accepted', 'queued', 'delivered') "
                       "AND origin = 'fleetdesk' AND route IS NOT 'raw' ORDER BY sent_time, id")
            .arg(selectList<CommandRecord>(kCommandColumns)),
        {}, [](const QSqlQuery &q) { return readRow<CommandRecord>(kCommandColumns, q); });
}

QList<LocalGroup> StoreReader::localGroups()
{
    return select<LocalGroup>(
        QStringLiteral("SELECT g.id, g.name, g.color, (SELECT json_group_array(imei) FROM (SELECT imei FROM "
                       "local_group_members m WHERE m.grp = g.id ORDER BY imei)) FROM local_groups g "
                       "ORDER BY g.name COLLATE NOCASE"),
        {}, [](const QSqlQuery &q) {
            LocalGroup g;
            g.id = q.value(0).toLongLong();
            g.name = q.value(1).toString();
            g.color = q.value(2).toString();
            for (const QJsonValue v : QJsonDocument::fromJson(q.value(3).toString().toUtf8()).array())
                g.imeis.append(v.toString());
            return g;
        });
}

QList<VideoStreamRecord> StoreReader::openVideoStreams()
{
    return select<VideoStreamRecord>(
        QStringLiteral("SELECT app_id, imei, channel, kind, opened_at FROM video_streams WHERE closed_at IS NULL "
                       "ORDER BY opened_at, app_id"),
        {}, [](const QSqlQuery &q) {
            VideoStreamRecord v;
            v.appId = q.value(0).toString();
            v.imei = q.value(1).toString();
            v.channel = q.value(2).toInt();
            v.history = q.value(3).toString() == QLatin1String("history");
            v.openedAt = timeOf(q.value(4));
            return v;
        });
}

QList<AlarmActionRecord> StoreReader::alarmActions(qint64 alarmId)
{
    return select<AlarmActionRecord>(
        QStringLiteral("SELECT %1 FROM alarm_actions WHERE alarm IN (SELECT id FROM alarms "
                       "WHERE id = (SELECT COALESCE(folded_into, id) FROM alarms WHERE id = ?) "
                       "OR folded_into = (SELECT COALESCE(folded_into, id) FROM alarms WHERE id = ?)) "
                       "ORDER BY acted_at, id")
            .arg(selectList<AlarmActionRecord>(kActionColumns)),
        {alarmId, alarmId}, [](const QSqlQuery &q) { return readRow<AlarmActionRecord>(kActionColumns, q); });
}

QHash<AlarmState, qint64> StoreReader::alarmStateCounts(const AlarmFilter &filter)
{
    DeskWhere w = deskWhere(filter, false);
    // A text few rows match: those rows, by their ids.
    const bool rare = addIdTerm(w, rareSearch(filter));
    // The devices join only when a term needs it.
    const bool needsDevices = w.sql().contains(QLatin1String("d."));
    // Rows after an id: the rowid range, never a walk of a whole index.
    const QString sql = QStringLiteral("SELECT a.state, count(*) FROM alarms a %1 %2 WHERE %3 GROUP BY a.state")
                            .arg(filter.minId > 0 || rare ? QStringLiteral("NOT INDEXED") : QString(),
                                 needsDevices ? QStringLiteral("LEFT JOIN devices d ON d.imei = a.imei") : QString(),
                                 w.sql());
    QHash<AlarmState, qint64> counts;
    const auto rows = select<std::pair<QString, qint64>>(sql, w.binds, [](const QSqlQuery &q) {
        return std::pair<QString, qint64>(q.value(0).toString(), q.value(1).toLongLong());
    });
    for (const auto &[name, n] : rows) {
        if (const auto state = alarmStateFromName(name))
            counts[*state] += n;
    }
    return counts;
}

qint64 StoreReader::lastAlarmId()
{
    const QList<qint64> found = select<qint64>(QStringLiteral("SELECT COALESCE(max(id), 0) FROM alarms"), {},
                                               [](const QSqlQuery &q) { return q.value(0).toLongLong(); });
    return found.isEmpty() ? 0 : found.constFirst();
}

qint64 StoreReader::dataVersion()
{
    const QList<qint64> found = select<qint64>(QStringLiteral("PRAGMA data_version"), {},
                                               [](const QSqlQuery &q) { return q.value(0).toLongLong(); });
    return found.isEmpty() ? -1 : found.constFirst();
}

QList<QuarantineRow> StoreReader::quarantine(int limit)
{
    return select<QuarantineRow>(QStringLiteral(
                                     "SELECT %1 FROM push_quarantine ORDER BY last_received_at DESC, id DESC "
                                     "LIMIT ?")
                                     .arg(selectList<QuarantineRow>(kQuarantineColumns)),
                                 {limit},
                                 [](const QSqlQuery &q) { return readRow<QuarantineRow>(kQuarantineColumns, q); });
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
                            // Tables of data: not the search index (virtual) and its shadows.
                            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
                            "AND name NOT LIKE 'sqlite_%' ORDER BY name"),
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
