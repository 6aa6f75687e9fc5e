#include "ingestsubjects.h"

#include <QSqlError>

namespace Fleet::Ingest {

namespace {

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

} // namespace

bool StateIngest::prepare(QString *error)
{
    using L = DeviceLocation;
    QSqlDatabase &db = m_context.db();
    const bool ok =
        m_states.prepare(db, QStringLiteral("device_state"), KeyedUpsert::Policy::Merge, true,
                         {
                             {"imei", Role::Key, [](const L &l, qint64) { return QVariant(l.imei); }},
                             {"online", Role::Value, [](const L &l, qint64) { return flag(l.online); }},
                             {"heartbeat_time", Role::Value, [](const L &l, qint64) { return secs(l.heartbeatTime); }},
                             {"gsm_signal", Role::Value, [](const L &l, qint64) { return integer(l.gsmSignal); }},
                             {"current_mileage_km", Role::Value, [](const L &l, qint64) { return real(l.odometerKm); }},
                             {"external_voltage_v", Role::Value,
                              [](const L &l, qint64) { return real(l.externalVoltage); }},
                             {"battery_voltage_v", Role::Value,
                              [](const L &l, qint64) { return real(l.batteryVoltage); }},
                             {"battery_pct", Role::Value, [](const L &l, qint64) { return real(l.batteryPercent); }},
                             {"temperature_c", Role::Value, [](const L &l, qint64) { return real(l.temperatureC); }},
                             {"fuel_l", Role::Value, [](const L &l, qint64) { return real(l.fuelLitres); }},
                             {"expired", Role::Value, [](const L &l, qint64) { return flag(l.expired); }},
                             {"activated", Role::Value, [](const L &l, qint64) { return flag(l.activated); }},
                             {"address", Role::Value, [](const L &l, qint64) { return text(l.address); }},
                             {"updated_at", Role::Touch, [](const L &, qint64 now) { return QVariant(now); }},
                         },
                         error)
        && m_context.prepareQuery(m_statusUpdate,
                                  QStringLiteral(
                                      "UPDATE device_state SET status_flags = :flags, status_time = :time, "
                                      "oil_cut = :oil, power_cut = :power, door_locked = :locked, "
                                      "doors_open = :doors, gnss = :gnss, updated_at = :now WHERE imei = :imei "
                                      "AND (status_time IS NULL OR status_time < :time)"),
                                  error)
        && m_context.prepareQuery(m_heartbeatState,
                                  QStringLiteral(
                                      "UPDATE device_state SET heartbeat_time = :time, "
                                      "power_level_pct = coalesce(:power, power_level_pct), "
                                      "charging = coalesce(:charging, charging), "
                                      "fortify = coalesce(:fortify, fortify), oil_cut = coalesce(:oil, oil_cut), "
                                      "updated_at = :now WHERE imei = :imei "
                                      "AND (heartbeat_time IS NULL OR heartbeat_time < :time)"),
                                  error)
        && m_context.prepareQuery(m_readings, readingsUpdate(), error)
        // The newest total: the one whose range ends last.
        && m_context.prepareQuery(m_mileageTotal,
                                  QStringLiteral(
                                      "UPDATE device_state SET mileage_total_km = :km, mileage_from = :from, "
                                      "mileage_to = :to, updated_at = :now WHERE imei = :imei AND (mileage_to IS NULL "
                                      "OR mileage_to < :to OR (mileage_to = :to AND (mileage_from IS NOT :from "
                                      "OR mileage_total_km IS NOT :km)))"),
                                  error);
    if (!ok)
        return false;
    QSqlQuery q(db);
    if (!q.exec(
            QStringLiteral("SELECT imei, status_time, status_flags FROM device_state WHERE status_time IS NOT NULL"))) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    m_lastStatus.clear();
    while (q.next())
        m_lastStatus.insert(q.value(0).toString(),
                            Tx::LastStatus{q.value(1).toLongLong(), quint32(q.value(2).toLongLong())});
    return true;
}

void StateIngest::committed(const Tx &tx)
{
    for (auto it = tx.statuses.cbegin(); it != tx.statuses.cend(); ++it)
        m_lastStatus.insert(it.key(), it.value());
}

bool StateIngest::writeHeartbeat(Tx &tx, const Heartbeat &h)
{
    // The device's latest state, only from a heartbeat newer than the
    // last one stored (heartbeats arrive late and out of order). The
    // heartbeat's gsmSign (0-100) is not device_state.gsm_signal (the
    // sweep's 0-4 scale), so it stays in heartbeats only.
    bool created = false;
    if (!m_context.ensureState(tx, h.imei, &created))
        return false;
    m_heartbeatState.bindValue(QStringLiteral(":time"), h.time.toSecsSinceEpoch());
    m_heartbeatState.bindValue(QStringLiteral(":power"), integer(h.powerLevelPct));
    m_heartbeatState.bindValue(QStringLiteral(":charging"), flag(h.charging));
    m_heartbeatState.bindValue(QStringLiteral(":fortify"), integer(h.fortify));
    m_heartbeatState.bindValue(QStringLiteral(":oil"), flag(h.oilCut));
    m_heartbeatState.bindValue(QStringLiteral(":now"), tx.now);
    m_heartbeatState.bindValue(QStringLiteral(":imei"), h.imei);
    if (Context::updateState(tx, m_heartbeatState, QStringLiteral("device_state"), h.imei, created) < 0)
        return false;
    // The ignition a heartbeat reports is the vehicle's current one.
    if (h.acc) {
        DeviceReadings now;
        now.acc = h.acc;
        now.accTime = h.time;
        if (!writeReading(tx, h.imei, now))
            return false;
    }
    return true;
}

bool StateIngest::writeDeviceStates(Tx &tx, const IngestBatch &b, RegistryIngest &registry)
{
    for (const DeviceLocation &l : b.deviceStates) {
        if (l.imei.isEmpty()) {
            tx.reject(StoreTable::DeviceState, QStringLiteral("device state without IMEI"));
            continue;
        }
        if (!registry.writeDeviceNames(tx, l))
            return false;
        const bool known = m_context.stateKnown(tx, l.imei);
        if (!Context::count(tx, StoreTable::DeviceState, m_states.upsert(), m_states.write(l, tx.now, known), l.imei))
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

bool StateIngest::writeMileageTotals(Tx &tx, const IngestBatch &b)
{
    for (const MileageTotal &t : b.mileageTotals) {
        if (t.imei.isEmpty() || !t.begin.isValid() || !t.end.isValid() || t.end < t.begin || !std::isfinite(t.totalKm)
            || t.totalKm < 0) {
            tx.reject(StoreTable::DeviceState, QStringLiteral("mileage total without IMEI, range or distance"));
            continue;
        }
        bool created = false;
        if (!m_context.ensureDevice(tx, t.imei) || !m_context.ensureState(tx, t.imei, &created))
            return false;
        m_mileageTotal.bindValue(QStringLiteral(":km"), t.totalKm);
        m_mileageTotal.bindValue(QStringLiteral(":from"), t.begin.toSecsSinceEpoch());
        m_mileageTotal.bindValue(QStringLiteral(":to"), t.end.toSecsSinceEpoch());
        m_mileageTotal.bindValue(QStringLiteral(":now"), tx.now);
        m_mileageTotal.bindValue(QStringLiteral(":imei"), t.imei);
        if (Context::updateState(tx, m_mileageTotal, QStringLiteral("device_state mileage total"), t.imei, created) < 0)
            return false;
    }
    return true;
}

bool StateIngest::writeReadings(Tx &tx, const IngestBatch &b)
{
    for (const DeviceReport &r : b.readings) {
        if (r.imei.isEmpty() || r.readings.isEmpty()) {
            tx.reject(StoreTable::DeviceState, QStringLiteral("readings without IMEI or time"));
            continue;
        }
        if (!m_context.ensureDevice(tx, r.imei) || !writeReading(tx, r.imei, r.readings))
            return false;
    }
    return true;
}

bool StateIngest::writeReading(Tx &tx, const QString &imei, const DeviceReadings &r)
{
    bool created = false;
    if (!m_context.ensureState(tx, imei, &created))
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
    return Context::updateState(tx, m_readings, QStringLiteral("device_state readings"), imei, created) >= 0;
}

bool StateIngest::writeStatusFlags(Tx &tx, const IngestBatch &b)
{
    for (const DeviceStatusFlags &f : b.statusFlags) {
        if (f.imei.isEmpty() || !f.time.isValid()) {
            tx.reject(StoreTable::DeviceState, QStringLiteral("status flags without IMEI or time"));
            continue;
        }
        bool created = false;
        if (!m_context.ensureDevice(tx, f.imei) || !m_context.ensureState(tx, f.imei, &created))
            return false;
        const qint64 t = f.time.toSecsSinceEpoch();
        // Only a fix newer than the last one seen: a re-uploaded old fix must
        // not overwrite the latest state. Every pushed fix carries the flags,
        // and they rarely change: only a change is written (status_time says
        // since when they hold), which keeps a statement per fix off the
        // webhook's hot path.
        const auto pending = tx.statuses.constFind(f.imei);
        const auto committed = m_lastStatus.constFind(f.imei);
        const Tx::LastStatus *last = pending != tx.statuses.cend() ? &*pending
            : committed != m_lastStatus.cend()                     ? &*committed
                                                                   : nullptr;
        if (last && (t <= last->time || f.flags == last->flags)) {
            if (t > last->time)
                tx.statuses.insert(f.imei, Tx::LastStatus{t, last->flags});
            ++tx.change.count(StoreTable::DeviceState).duplicates;
            continue;
        }
        tx.statuses.insert(f.imei, Tx::LastStatus{t, f.flags});
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
        const int changed = Context::run(tx, m_statusUpdate, QStringLiteral("device_state"));
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

} // namespace Fleet::Ingest
