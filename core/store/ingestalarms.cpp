#include "ingestsubjects.h"

#include <QSqlError>

namespace Fleet::Ingest {

namespace {

QVariant stateValue(AlarmState state)
{
    return QString(alarmStateName(state));
}

bool execSelect(Tx &tx, QSqlQuery &q, const QString &what)
{
    if (q.exec())
        return true;
    tx.error = QStringLiteral("%1: %2").arg(what, q.lastError().text());
    return false;
}

} // namespace

bool AlarmIngest::prepare(QString *error)
{
    using P = KeyedUpsert::Policy;
    using A = AlarmRecord;
    QSqlDatabase &db = m_context.db();
    const auto atNow = [](const auto &, qint64 t) { return QVariant(t); };
    // BUG-01: the domain Alarm already holds alertTypeId / alarmTypeName /
    // alertTime (poll) or alarmType / alarmName / gateTime (push).
    return m_alarms.prepare(
               db, QStringLiteral("alarms"), P::Fill, false,
               {
                   {"imei", Role::Key, [](const A &r, qint64) { return QVariant(r.alarm.imei); }},
                   {"alarm_type", Role::Key, [](const A &r, qint64) { return QVariant(r.alarm.typeId); }},
                   {"alarm_time", Role::Key, [](const A &r, qint64) { return QVariant(r.alarm.time.toSecsSinceEpoch()); }},
                   {"alarm_name", Role::Value, [](const A &r, qint64) { return text(r.alarm.typeName); }},
                   {"position_time", Role::Value, [](const A &r, qint64) { return secs(r.alarm.positionTime); }},
                   {"lat", Role::Value, [](const A &r, qint64) { return latitude(r.alarm.lat, r.alarm.lng); }},
                   {"lng", Role::Value, [](const A &r, qint64) { return longitude(r.alarm.lat, r.alarm.lng); }},
                   {"speed_kmh", Role::Value, [](const A &r, qint64) { return real(r.alarm.speedKmh); }},
                   {"fence_id", Role::Value, [](const A &r, qint64) { return text(r.alarm.fenceId); }},
                   {"device_name", Role::Value, [](const A &r, qint64) { return text(r.alarm.deviceName); }},
                   {"model", Role::Value, [](const A &r, qint64) { return text(r.alarm.model); }},
                   {"account", Role::Value, [](const A &r, qint64) { return text(r.alarm.account); }},
                   {"serial_no", Role::Value, [](const A &r, qint64) { return integer64(r.alarm.serialNo); }},
                   {"driver_name", Role::Value, [](const A &r, qint64) { return text(r.alarm.driverName); }},
                   {"driver_id", Role::Value, [](const A &r, qint64) { return text(r.alarm.driverId); }},
                   {"media_file", Role::Value, [](const A &r, qint64) { return text(r.alarm.mediaFile); }},
                   {"alert_value", Role::Value, [](const A &r, qint64) { return text(r.alarm.value); }},
                   {"fold_last", Role::InsertOnly,
                    [](const A &r, qint64) { return QVariant(r.alarm.time.toSecsSinceEpoch()); }},
                   {"source", Role::InsertOnly, [](const A &r, qint64) { return QVariant(QString(reportSourceName(r.source))); }},
                   {"received_at", Role::InsertOnly, atNow},
                   {"updated_at", Role::Touch, atNow},
               },
               error)
        && m_context.prepareQuery(
            m_idOf, QStringLiteral("SELECT id FROM alarms WHERE imei = ? AND alarm_type = ? AND alarm_time = ?"), error)
        && m_context.prepareQuery(m_foldHead,
                                  QStringLiteral("SELECT id FROM alarms WHERE imei = ? AND alarm_type = ? "
                                                 "AND folded_into IS NULL AND state <> 'resolved' AND id <> ? "
                                                 "AND alarm_time <= ? AND fold_last >= ? "
                                                 "ORDER BY alarm_time DESC, id DESC LIMIT 1"),
                                  error)
        && m_context.prepareQuery(m_foldInto,
                                  QStringLiteral("UPDATE alarms SET folded_into = h.id, state = h.state, "
                                                 "handled_by = h.handled_by, handled_at = h.handled_at "
                                                 "FROM (SELECT id, state, handled_by, handled_at FROM alarms "
                                                 "WHERE id = ?) AS h WHERE alarms.id = ?"),
                                  error)
        && m_context.prepareQuery(m_foldGrow,
                                  QStringLiteral("UPDATE alarms SET fold_count = fold_count + 1, "
                                                 "fold_last = MAX(COALESCE(fold_last, alarm_time), ?), "
                                                 "updated_at = ? WHERE id = ?"),
                                  error)
        && m_context.prepareQuery(m_headOf,
                                  QStringLiteral("SELECT COALESCE(folded_into, id) FROM alarms WHERE id = ?"), error)
        && m_context.prepareQuery(m_members,
                                  QStringLiteral("SELECT id, state, imei, alarm_time FROM alarms "
                                                 "WHERE id = ? OR folded_into = ? ORDER BY alarm_time, id"),
                                  error)
        && m_context.prepareQuery(m_step,
                                  QStringLiteral("UPDATE alarms SET state = ?, handled_by = ?, handled_at = ?, "
                                                 "note = COALESCE(?, note), updated_at = ? WHERE id = ?"),
                                  error)
        && m_context.prepareQuery(m_noteOnly, QStringLiteral("UPDATE alarms SET note = ?, updated_at = ? WHERE id = ?"),
                                  error)
        && m_context.prepareQuery(m_history,
                                  QStringLiteral("INSERT INTO alarm_actions "
                                                 "(alarm, action, from_state, to_state, operator, note, acted_at) "
                                                 "VALUES (?, ?, ?, ?, ?, ?, ?)"),
                                  error)
        && m_context.prepareQuery(m_ackAlarm, QStringLiteral("SELECT state, imei, alarm_time FROM alarms WHERE id = ?"),
                                  error)
        && m_context.prepareQuery(m_ackSent,
                                  QStringLiteral("INSERT INTO alarm_actions (alarm, action, from_state, to_state, "
                                                 "operator, acted_at, serial_no, device_result, result_code, "
                                                 "result_message, answered_at, request_key) "
                                                 "VALUES (?, 'device_ack', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                                 "ON CONFLICT (request_key) DO NOTHING"),
                                  error)
        && m_context.prepareQuery(m_ackAnswer,
                                  QStringLiteral("UPDATE alarm_actions SET device_result = ?, result_code = ?, "
                                                 "result_message = ?, answered_at = ? "
                                                 "WHERE request_key = ? AND device_result = 'sending'"),
                                  error);
}

bool AlarmIngest::writeAlarms(Tx &tx, const IngestBatch &b)
{
    for (const AlarmRecord &rec : b.alarms) {
        const Alarm &a = rec.alarm;
        if (a.imei.isEmpty() || a.typeId.isEmpty() || !a.time.isValid()) {
            tx.reject(StoreTable::Alarms, QStringLiteral("alarm without IMEI, type or time"));
            continue;
        }
        const qint64 t = a.time.toSecsSinceEpoch();
        if (!m_context.ensureDevice(tx, a.imei))
            return false;
        const KeyedUpsert::Outcome outcome = m_alarms.write(rec, tx.now);
        if (!Context::countFact(tx, StoreTable::Alarms, m_alarms.upsert(), outcome, a.imei, t, t))
            return false;
        if (outcome == KeyedUpsert::Outcome::Inserted && m_foldSeconds > 0 && !fold(tx, a))
            return false;
    }
    return true;
}

bool AlarmIngest::fold(Tx &tx, const Alarm &a)
{
    const qint64 t = a.time.toSecsSinceEpoch();
    m_idOf.addBindValue(a.imei);
    m_idOf.addBindValue(a.typeId);
    m_idOf.addBindValue(t);
    if (!execSelect(tx, m_idOf, QStringLiteral("alarms (fold)")))
        return false;
    const qint64 id = m_idOf.next() ? m_idOf.value(0).toLongLong() : 0;
    m_idOf.finish();
    if (id == 0)
        return true;

    m_foldHead.addBindValue(a.imei);
    m_foldHead.addBindValue(a.typeId);
    m_foldHead.addBindValue(id);
    m_foldHead.addBindValue(t);
    m_foldHead.addBindValue(t - m_foldSeconds);
    if (!execSelect(tx, m_foldHead, QStringLiteral("alarms (fold)")))
        return false;
    const qint64 head = m_foldHead.next() ? m_foldHead.value(0).toLongLong() : 0;
    m_foldHead.finish();
    if (head == 0)
        return true;

    m_foldInto.addBindValue(head);
    m_foldInto.addBindValue(id);
    m_foldGrow.addBindValue(t);
    m_foldGrow.addBindValue(tx.now);
    m_foldGrow.addBindValue(head);
    return Context::run(tx, m_foldInto, QStringLiteral("alarms (fold)")) >= 0
        && Context::run(tx, m_foldGrow, QStringLiteral("alarms (fold)")) >= 0;
}

bool AlarmIngest::writeActions(Tx &tx, const IngestBatch &b)
{
    for (const AlarmAction &action : b.alarmActions) {
        if (!act(tx, action))
            return false;
    }
    return true;
}

bool AlarmIngest::act(Tx &tx, const AlarmAction &action)
{
    if (action.kind == AlarmActionKind::DeviceAck) {
        tx.reject(StoreTable::AlarmActions, QStringLiteral("a device acknowledgement without its request"));
        return true;
    }
    const QString operatorName = action.operatorName.trimmed();
    if (operatorName.isEmpty()) {
        tx.reject(StoreTable::AlarmActions, QStringLiteral("alarm action without an operator"));
        return true;
    }
    if (action.kind == AlarmActionKind::Note && action.note.trimmed().isEmpty()) {
        tx.reject(StoreTable::AlarmActions, QStringLiteral("alarm note without text"));
        return true;
    }
    m_headOf.addBindValue(action.alarmId);
    if (!execSelect(tx, m_headOf, QStringLiteral("alarms (action)")))
        return false;
    const qint64 head = m_headOf.next() ? m_headOf.value(0).toLongLong() : 0;
    m_headOf.finish();
    if (head == 0) {
        tx.reject(StoreTable::AlarmActions, QStringLiteral("action on an alarm that does not exist"));
        return true;
    }

    struct Member
    {
        qint64 id;
        AlarmState state;
        QString imei;
        qint64 time;
    };
    QList<Member> members;
    m_members.addBindValue(head);
    m_members.addBindValue(head);
    if (!execSelect(tx, m_members, QStringLiteral("alarms (action)")))
        return false;
    while (m_members.next()) {
        members.append(Member{m_members.value(0).toLongLong(),
                              alarmStateFromName(m_members.value(1).toString()).value_or(AlarmState::New),
                              m_members.value(2).toString(), m_members.value(3).toLongLong()});
    }
    m_members.finish();

    const qint64 at = action.at.isValid() ? action.at.toSecsSinceEpoch() : tx.now;
    const QVariant note = text(action.note.trimmed());
    for (const Member &m : std::as_const(members)) {
        AlarmState to = m.state;
        if (action.kind == AlarmActionKind::Acknowledge)
            to = AlarmState::Acknowledged;
        else if (action.kind == AlarmActionKind::Resolve)
            to = AlarmState::Resolved;
        if (action.kind != AlarmActionKind::Note && !alarmStepAllowed(m.state, to)) {
            ++tx.change.count(StoreTable::AlarmActions).duplicates;
            continue;
        }
        if (action.kind == AlarmActionKind::Note) {
            m_noteOnly.addBindValue(note);
            m_noteOnly.addBindValue(tx.now);
            m_noteOnly.addBindValue(m.id);
            if (Context::run(tx, m_noteOnly, QStringLiteral("alarms (note)")) < 0)
                return false;
        } else {
            m_step.addBindValue(stateValue(to));
            m_step.addBindValue(operatorName);
            m_step.addBindValue(at);
            m_step.addBindValue(note);
            m_step.addBindValue(tx.now);
            m_step.addBindValue(m.id);
            if (Context::run(tx, m_step, QStringLiteral("alarms (step)")) < 0)
                return false;
        }
        m_history.addBindValue(m.id);
        m_history.addBindValue(QString(alarmActionName(action.kind)));
        m_history.addBindValue(stateValue(m.state));
        m_history.addBindValue(stateValue(to));
        m_history.addBindValue(operatorName);
        m_history.addBindValue(note);
        m_history.addBindValue(at);
        if (Context::run(tx, m_history, QStringLiteral("alarm_actions")) < 0)
            return false;
        ++tx.change.count(StoreTable::Alarms).updated;
        ++tx.change.count(StoreTable::AlarmActions).inserted;
        tx.change.imeis.insert(m.imei);
        tx.change.addSpan(m.time, m.time);
    }
    return true;
}

bool AlarmIngest::writeDeviceAcks(Tx &tx, const IngestBatch &b)
{
    for (const AlarmDeviceAck &ack : b.alarmDeviceAcks) {
        if (!deviceAck(tx, ack))
            return false;
    }
    return true;
}

bool AlarmIngest::deviceAck(Tx &tx, const AlarmDeviceAck &ack)
{
    if (ack.requestKey.isEmpty() || ack.operatorName.trimmed().isEmpty()) {
        tx.reject(StoreTable::AlarmActions, QStringLiteral("device acknowledgement without its request or operator"));
        return true;
    }
    m_ackAlarm.addBindValue(ack.alarmId);
    if (!execSelect(tx, m_ackAlarm, QStringLiteral("alarms (device acknowledgement)")))
        return false;
    if (!m_ackAlarm.next()) {
        m_ackAlarm.finish();
        tx.reject(StoreTable::AlarmActions, QStringLiteral("device acknowledgement of an alarm that does not exist"));
        return true;
    }
    const QVariant state = m_ackAlarm.value(0);
    const QString imei = m_ackAlarm.value(1).toString();
    const qint64 alarmTime = m_ackAlarm.value(2).toLongLong();
    m_ackAlarm.finish();

    const qint64 at = ack.at.isValid() ? ack.at.toSecsSinceEpoch() : tx.now;
    const QVariant result = QString(deviceAckResultName(ack.result));
    const QVariant code = ack.code ? QVariant(*ack.code) : QVariant(QMetaType(QMetaType::Int));
    const QVariant message = text(ack.message.trimmed());
    int changed = 0;
    if (ack.result != DeviceAckResult::Sending) {
        // The answer to a sending already kept; a second answer finds none.
        m_ackAnswer.addBindValue(result);
        m_ackAnswer.addBindValue(code);
        m_ackAnswer.addBindValue(message);
        m_ackAnswer.addBindValue(at);
        m_ackAnswer.addBindValue(ack.requestKey);
        changed = Context::run(tx, m_ackAnswer, QStringLiteral("alarm_actions (device answer)"));
        if (changed < 0)
            return false;
    }
    if (changed == 0) {
        // The sending, or an answer whose sending was never kept: one row.
        m_ackSent.addBindValue(ack.alarmId);
        m_ackSent.addBindValue(state);
        m_ackSent.addBindValue(state);
        m_ackSent.addBindValue(ack.operatorName.trimmed());
        m_ackSent.addBindValue(at);
        m_ackSent.addBindValue(ack.serialNo);
        m_ackSent.addBindValue(result);
        m_ackSent.addBindValue(code);
        m_ackSent.addBindValue(message);
        m_ackSent.addBindValue(ack.result == DeviceAckResult::Sending ? QVariant(QMetaType(QMetaType::LongLong))
                                                                      : QVariant(at));
        m_ackSent.addBindValue(ack.requestKey);
        changed = Context::run(tx, m_ackSent, QStringLiteral("alarm_actions (device acknowledgement)"));
        if (changed < 0)
            return false;
        if (changed == 0) {
            ++tx.change.count(StoreTable::AlarmActions).duplicates;
            return true;
        }
        ++tx.change.count(StoreTable::AlarmActions).inserted;
    } else {
        ++tx.change.count(StoreTable::AlarmActions).updated;
    }
    tx.change.imeis.insert(imei);
    tx.change.addSpan(alarmTime, alarmTime);
    return true;
}

} // namespace Fleet::Ingest
