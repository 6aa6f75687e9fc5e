#include "ingestsubjects.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>

namespace Fleet::Ingest {

bool RegistryIngest::prepare(QString *error)
{
    using P = KeyedUpsert::Policy;
    using D = Device;
    QSqlDatabase &db = m_context.db();
    const auto atNow = [](const auto &, qint64 t) { return QVariant(t); };
    return m_devices
               .prepare(db, QStringLiteral("devices"), P::Merge, true,
                        {
                            {"imei", Role::Key, [](const D &d, qint64) { return QVariant(d.imei); }},
                            {"device_name", Role::Value, [](const D &d, qint64) { return text(d.name); }},
                            {"mc_type", Role::Value, [](const D &d, qint64) { return text(d.model); }},
                            {"sim", Role::Value, [](const D &d, qint64) { return text(d.sim); }},
                            {"iccid", Role::Value, [](const D &d, qint64) { return text(d.iccid); }},
                            {"imsi", Role::Value, [](const D &d, qint64) { return text(d.imsi); }},
                            {"vin", Role::Value, [](const D &d, qint64) { return text(d.vin); }},
                            {"vehicle_name", Role::Value, [](const D &d, qint64) { return text(d.vehicleName); }},
                            {"vehicle_number", Role::Value, [](const D &d, qint64) { return text(d.plate); }},
                            {"vehicle_icon", Role::Value, [](const D &d, qint64) { return text(d.vehicleIcon); }},
                            {"driver_name", Role::Value, [](const D &d, qint64) { return text(d.driverName); }},
                            {"driver_phone", Role::Value, [](const D &d, qint64) { return text(d.driverPhone); }},
                            {"group_id", Role::Value, [](const D &d, qint64) { return text(d.groupId); }},
                            {"group_name", Role::Value, [](const D &d, qint64) { return text(d.groupName); }},
                            {"account", Role::Value, [](const D &d, qint64) { return text(d.account); }},
                            {"customer_name", Role::Value, [](const D &d, qint64) { return text(d.customerName); }},
                            {"remark", Role::Value, [](const D &d, qint64) { return text(d.remark); }},
                            {"activation_time", Role::Value, [](const D &d, qint64) { return secs(d.activationTime); }},
                            {"expiration_time", Role::Value, [](const D &d, qint64) { return secs(d.expiration); }},
                            {"enabled", Role::Value, [](const D &d, qint64) { return flag(d.enabled); }},
                            {"current_mileage_km", Role::Value, [](const D &d, qint64) { return real(d.odometerKm); }},
                            {"first_seen_at", Role::InsertOnly, atNow},
                            {"updated_at", Role::Touch, atNow},
                        },
                        error)
        && m_deviceNames
               .prepare(db, QStringLiteral("devices"), P::Merge, true,
                        {
                            {"imei", Role::Key, [](const DeviceLocation &l, qint64) { return QVariant(l.imei); }},
                            {"device_name", Role::Value, [](const DeviceLocation &l, qint64) { return text(l.name); }},
                            {"mc_type", Role::Value, [](const DeviceLocation &l, qint64) { return text(l.model); }},
                            {"account", Role::Value, [](const DeviceLocation &l, qint64) { return text(l.account); }},
                            {"first_seen_at", Role::InsertOnly, atNow},
                            {"updated_at", Role::Touch, atNow},
                        },
                        error)
        && m_groups.prepare(db, QStringLiteral("device_groups"), P::Merge, true,
                            {
                                {"group_id", Role::Key, [](const DeviceGroup &g, qint64) { return QVariant(g.id); }},
                                {"group_name", Role::Value, [](const DeviceGroup &g, qint64) { return text(g.name); }},
                                {"updated_at", Role::Touch, atNow},
                            },
                            error)
        && m_watermarks.prepare(db, QStringLiteral("sync_state"), P::Replace, true,
                                {
                                    {"job", Role::Key, [](const SyncWatermark &w, qint64) { return QVariant(w.job); }},
                                    {"imei", Role::Key,
                                     [](const SyncWatermark &w, qint64) { return QVariant(nonNull(w.imei)); }},
                                    {"watermark_time", Role::Value,
                                     [](const SyncWatermark &w, qint64) {
                                         return QVariant(w.time.toSecsSinceEpoch());
                                     }},
                                    {"updated_at", Role::Touch, atNow},
                                },
                                error)
        && m_tokens.prepare(db, QStringLiteral("tokens"), P::Replace, true,
                            {
                                {"account_key", Role::Key,
                                 [](const TokenRecord &t, qint64) { return QVariant(t.key); }},
                                {"account", Role::Value,
                                 [](const TokenRecord &t, qint64) {
                                     return t.state.token ? text(t.state.token->account) : QVariant();
                                 }},
                                {"access_token", Role::Value,
                                 [](const TokenRecord &t, qint64) {
                                     return t.state.token ? text(t.state.token->accessToken) : QVariant();
                                 }},
                                {"refresh_token", Role::Value,
                                 [](const TokenRecord &t, qint64) {
                                     return t.state.token ? text(t.state.token->refreshToken) : QVariant();
                                 }},
                                {"obtained_at", Role::Value,
                                 [](const TokenRecord &t, qint64) {
                                     return t.state.token ? secs(t.state.token->obtainedAt) : QVariant();
                                 }},
                                {"expires_at", Role::Value,
                                 [](const TokenRecord &t, qint64) {
                                     return t.state.token ? secs(t.state.token->expiresAt) : QVariant();
                                 }},
                                {"last_token_get_time", Role::Value,
                                 [](const TokenRecord &t, qint64) { return secs(t.state.lastTokenGet); }},
                                {"updated_at", Role::Touch, atNow},
                            },
                            error)
        && m_videoStreams.prepare(db, QStringLiteral("video_streams"), P::Merge, true,
                                  {
                                      {"app_id", Role::Key,
                                       [](const VideoStreamRecord &v, qint64) { return QVariant(v.appId); }},
                                      {"imei", Role::Key,
                                       [](const VideoStreamRecord &v, qint64) { return QVariant(v.imei); }},
                                      {"channel", Role::Key,
                                       [](const VideoStreamRecord &v, qint64) { return QVariant(v.channel); }},
                                      {"kind", Role::Key,
                                       [](const VideoStreamRecord &v, qint64) {
                                           return QVariant(v.history ? QStringLiteral("history")
                                                                     : QStringLiteral("live"));
                                       }},
                                      {"opened_at", Role::Value,
                                       [](const VideoStreamRecord &v, qint64) { return secs(v.openedAt); }},
                                      {"closed_at", Role::Value,
                                       [](const VideoStreamRecord &v, qint64) { return secs(v.closedAt); }},
                                      {"close_result", Role::Value,
                                       [](const VideoStreamRecord &v, qint64) { return text(v.closeResult); }},
                                      {"updated_at", Role::Touch, atNow},
                                  },
                                  error)
        && prepareCoverage(error)
        && m_context.prepareQuery(m_returned,
                                  QStringLiteral("UPDATE devices SET departed_at = NULL, departed_to = NULL, "
                                                 "updated_at = ? WHERE imei = ? AND departed_at IS NOT NULL"),
                                  error)
        && m_context.prepareQuery(m_departed,
                                  QStringLiteral("UPDATE devices SET departed_at = ?, departed_to = ?, account = ?, "
                                                 "updated_at = ? WHERE imei = ? AND (departed_at IS NULL "
                                                 "OR departed_to IS NOT ?)"),
                                  error)
        && m_context.prepareQuery(m_unlisted,
                                  QStringLiteral("SELECT imei FROM devices WHERE departed_at IS NULL AND imei NOT IN "
                                                 "(SELECT value FROM json_each(?))"),
                                  error)
        && m_context.prepareQuery(m_unlist,
                                  QStringLiteral("UPDATE devices SET departed_at = ?, departed_to = NULL, "
                                                 "updated_at = ? WHERE imei = ? AND departed_at IS NULL"),
                                  error)
        && m_context.prepareQuery(m_groupIds, QStringLiteral("SELECT group_id FROM device_groups"), error)
        && m_context.prepareQuery(m_groupDelete, QStringLiteral("DELETE FROM device_groups WHERE group_id = ?"),
                                  error);
}

bool RegistryIngest::prepareCoverage(QString *error)
{
    // Spans [a, b] and [c, d] of whole seconds meet when c <= b + 1 and d >= a - 1.
    const QString meets = QStringLiteral("imei = :imei AND from_time <= :to + 1 AND to_time >= :from - 1");
    return m_context.prepareQuery(
               m_coverageFind,
               QStringLiteral("SELECT COUNT(*), MIN(from_time), MAX(to_time) FROM track_coverage WHERE ") + meets,
               error)
        && m_context.prepareQuery(m_coverageDelete, QStringLiteral("DELETE FROM track_coverage WHERE ") + meets, error)
        && m_context.prepareQuery(m_coverageInsert,
                                  QStringLiteral("INSERT INTO track_coverage (imei, from_time, to_time, updated_at) "
                                                 "VALUES (:imei, :from, :to, :now)"),
                                  error);
}

bool RegistryIngest::writeDevices(Tx &tx, const IngestBatch &b)
{
    for (const Device &d : b.devices) {
        if (d.imei.isEmpty()) {
            tx.reject(StoreTable::Devices, QStringLiteral("device without IMEI"));
            continue;
        }
        const bool known = m_context.deviceKnown(tx, d.imei);
        if (!Context::count(tx, StoreTable::Devices, m_devices.upsert(), m_devices.write(d, tx.now, known), d.imei))
            return false;
        tx.newDevices.insert(d.imei);
        if (!known)
            continue;
        // Listed by the cloud again (moved back): in view again.
        m_returned.bindValue(0, tx.now);
        m_returned.bindValue(1, d.imei);
        const int back = Context::run(tx, m_returned, QStringLiteral("devices"));
        if (back < 0)
            return false;
        if (back > 0) {
            ++tx.change.count(StoreTable::Devices).updated;
            tx.change.imeis.insert(d.imei);
        }
    }
    return true;
}

bool RegistryIngest::writeUnlisted(Tx &tx, const IngestBatch &b)
{
    if (!b.devicesComplete || b.devices.isEmpty())
        return true;
    QJsonArray listed;
    for (const Device &d : b.devices)
        listed.append(d.imei);
    m_unlisted.bindValue(0, QString::fromUtf8(QJsonDocument(listed).toJson(QJsonDocument::Compact)));
    if (!m_unlisted.exec()) {
        tx.error = QStringLiteral("devices: %1").arg(m_unlisted.lastError().text());
        return false;
    }
    QStringList gone;
    while (m_unlisted.next())
        gone.append(m_unlisted.value(0).toString());
    m_unlisted.finish();
    for (const QString &imei : std::as_const(gone)) {
        m_unlist.bindValue(0, tx.now);
        m_unlist.bindValue(1, tx.now);
        m_unlist.bindValue(2, imei);
        const int changed = Context::run(tx, m_unlist, QStringLiteral("devices"));
        if (changed < 0)
            return false;
        if (changed > 0) {
            ++tx.change.count(StoreTable::Devices).updated;
            tx.change.imeis.insert(imei);
        }
    }
    return true;
}

bool RegistryIngest::writeDepartures(Tx &tx, const IngestBatch &b)
{
    for (const DeviceDeparture &d : b.departures) {
        if (d.imei.isEmpty() || d.toAccount.isEmpty() || !d.at.isValid()) {
            tx.reject(StoreTable::Devices, QStringLiteral("departure without IMEI, account or time"));
            continue;
        }
        m_departed.bindValue(0, d.at.toSecsSinceEpoch());
        m_departed.bindValue(1, d.toAccount);
        m_departed.bindValue(2, d.toAccount);
        m_departed.bindValue(3, tx.now);
        m_departed.bindValue(4, d.imei);
        m_departed.bindValue(5, d.toAccount);
        const int changed = Context::run(tx, m_departed, QStringLiteral("devices"));
        if (changed < 0)
            return false;
        TableCounts &c = tx.change.count(StoreTable::Devices);
        if (changed == 0) {
            ++c.duplicates;
            continue;
        }
        ++c.updated;
        tx.change.imeis.insert(d.imei);
    }
    return true;
}

bool RegistryIngest::writeDeviceNames(Tx &tx, const DeviceLocation &l)
{
    if (l.name.isEmpty() && l.model.isEmpty() && l.account.isEmpty())
        return m_context.ensureDevice(tx, l.imei);
    const bool known = m_context.deviceKnown(tx, l.imei);
    if (!Context::count(tx, StoreTable::Devices, m_deviceNames.upsert(), m_deviceNames.write(l, tx.now, known), l.imei))
        return false;
    tx.newDevices.insert(l.imei);
    return true;
}

bool RegistryIngest::writeGroups(Tx &tx, const IngestBatch &b)
{
    for (const DeviceGroup &g : b.groups) {
        if (g.id.isEmpty()) {
            tx.reject(StoreTable::DeviceGroups, QStringLiteral("group without id"));
            continue;
        }
        if (!Context::count(tx, StoreTable::DeviceGroups, m_groups.upsert(), m_groups.write(g, tx.now)))
            return false;
    }
    if (!b.groupsComplete)
        return true;
    QSet<QString> listed;
    for (const DeviceGroup &g : b.groups)
        listed.insert(g.id);
    QStringList gone;
    if (!m_groupIds.exec()) {
        tx.error = QStringLiteral("device_groups: %1").arg(m_groupIds.lastError().text());
        return false;
    }
    while (m_groupIds.next()) {
        const QString id = m_groupIds.value(0).toString();
        if (!listed.contains(id))
            gone.append(id);
    }
    m_groupIds.finish();
    for (const QString &id : std::as_const(gone)) {
        m_groupDelete.bindValue(0, id);
        const int deleted = Context::run(tx, m_groupDelete, QStringLiteral("device_groups"));
        if (deleted < 0)
            return false;
        tx.change.count(StoreTable::DeviceGroups).updated += deleted;
    }
    return true;
}

bool RegistryIngest::writeWatermarks(Tx &tx, const IngestBatch &b)
{
    for (const SyncWatermark &w : b.watermarks) {
        if (w.job.isEmpty() || !w.time.isValid()) {
            tx.reject(StoreTable::SyncState, QStringLiteral("watermark without job or time"));
            continue;
        }
        if (!Context::count(tx, StoreTable::SyncState, m_watermarks.upsert(), m_watermarks.write(w, tx.now)))
            return false;
    }
    return true;
}

bool RegistryIngest::writeCoverage(Tx &tx, const IngestBatch &b)
{
    const auto bindSpan = [](QSqlQuery &q, const QString &imei, qint64 from, qint64 to) {
        q.bindValue(QStringLiteral(":imei"), imei);
        q.bindValue(QStringLiteral(":from"), from);
        q.bindValue(QStringLiteral(":to"), to);
    };
    for (const TrackCoverage &c : b.trackCoverage) {
        if (c.imei.isEmpty() || !c.from.isValid() || !c.to.isValid() || c.to < c.from) {
            tx.reject(StoreTable::TrackCoverage, QStringLiteral("track coverage without IMEI or span"));
            continue;
        }
        qint64 from = c.from.toSecsSinceEpoch();
        qint64 to = c.to.toSecsSinceEpoch();
        bindSpan(m_coverageFind, c.imei, from, to);
        if (!m_coverageFind.exec() || !m_coverageFind.next()) {
            tx.error = QStringLiteral("track coverage: %1").arg(m_coverageFind.lastError().text());
            return false;
        }
        const int met = m_coverageFind.value(0).toInt();
        const qint64 metFrom = m_coverageFind.value(1).toLongLong();
        const qint64 metTo = m_coverageFind.value(2).toLongLong();
        m_coverageFind.finish();
        TableCounts &counts = tx.change.count(StoreTable::TrackCoverage);
        if (met == 1 && metFrom <= from && metTo >= to) {
            ++counts.duplicates;
            continue;
        }
        if (met > 0) {
            from = qMin(from, metFrom);
            to = qMax(to, metTo);
            bindSpan(m_coverageDelete, c.imei, from, to);
            if (Context::run(tx, m_coverageDelete, QStringLiteral("track coverage")) < 0)
                return false;
        }
        bindSpan(m_coverageInsert, c.imei, from, to);
        m_coverageInsert.bindValue(QStringLiteral(":now"), tx.now);
        if (Context::run(tx, m_coverageInsert, QStringLiteral("track coverage")) < 0)
            return false;
        ++(met > 0 ? counts.updated : counts.inserted);
        tx.change.imeis.insert(c.imei);
    }
    return true;
}

bool RegistryIngest::writeTokens(Tx &tx, const IngestBatch &b)
{
    for (const TokenRecord &t : b.tokens) {
        if (t.key.isEmpty()) {
            tx.reject(StoreTable::Tokens, QStringLiteral("token state without account key"));
            continue;
        }
        if (!Context::count(tx, StoreTable::Tokens, m_tokens.upsert(), m_tokens.write(t, tx.now)))
            return false;
    }
    return true;
}

bool RegistryIngest::writeVideoStreams(Tx &tx, const IngestBatch &b)
{
    for (const VideoStreamRecord &v : b.videoStreams) {
        if (v.appId.isEmpty() || v.imei.isEmpty()) {
            tx.reject(StoreTable::VideoStreams, QStringLiteral("video stream without appId or IMEI"));
            continue;
        }
        if (!Context::count(tx, StoreTable::VideoStreams, m_videoStreams.upsert(), m_videoStreams.write(v, tx.now)))
            return false;
    }
    return true;
}

} // namespace Fleet::Ingest
