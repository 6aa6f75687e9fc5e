#include "ingestsupport.h"

#include <QCryptographicHash>
#include <QSqlError>

namespace Fleet::Ingest {

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

bool usableCoordinates(double lat, double lng)
{
    return std::isfinite(lat) && std::isfinite(lng) && lat >= -90.0 && lat <= 90.0 && lng >= -180.0 && lng <= 180.0
        && !(lat == 0.0 && lng == 0.0);
}

QVariant latitude(const std::optional<double> &lat, const std::optional<double> &lng)
{
    return lat && lng && usableCoordinates(*lat, *lng) ? QVariant(*lat) : QVariant();
}

QVariant longitude(const std::optional<double> &lat, const std::optional<double> &lng)
{
    return lat && lng && usableCoordinates(*lat, *lng) ? QVariant(*lng) : QVariant();
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

Context::Context(QSqlDatabase db)
    : m_db(db)
{ }

bool Context::prepareQuery(QSqlQuery &query, const QString &sql, QString *error)
{
    query = QSqlQuery(m_db);
    if (query.prepare(sql))
        return true;
    if (error)
        *error = query.lastError().text();
    return false;
}

bool Context::prepare(QString *error)
{
    using P = KeyedUpsert::Policy;
    const auto imei = [](const Stub &s, qint64) { return QVariant(s.imei); };
    const auto atNow = [](const Stub &, qint64 t) { return QVariant(t); };
    const bool ok = m_deviceStub.prepare(m_db, QStringLiteral("devices"), P::Fill, false,
                                         {{"imei", Role::Key, imei},
                                          {"first_seen_at", Role::InsertOnly, atNow},
                                          {"updated_at", Role::InsertOnly, atNow}},
                                         error)
        && m_stateStub.prepare(m_db, QStringLiteral("device_state"), P::Fill, false,
                               {{"imei", Role::Key, imei}, {"updated_at", Role::InsertOnly, atNow}}, error);
    if (!ok)
        return false;
    QSqlQuery q(m_db);
    const auto load = [&](const QString &sql, QSet<QString> *into) {
        into->clear();
        if (!q.exec(sql)) {
            if (error)
                *error = q.lastError().text();
            return false;
        }
        while (q.next())
            into->insert(q.value(0).toString());
        return true;
    };
    return load(QStringLiteral("SELECT imei FROM devices"), &m_knownDevices)
        && load(QStringLiteral("SELECT imei FROM device_state"), &m_knownStates);
}

void Context::committed(const Tx &tx)
{
    m_knownDevices.unite(tx.newDevices);
    m_knownStates.unite(tx.newStates);
}

bool Context::ensureDevice(Tx &tx, const QString &imei)
{
    if (deviceKnown(tx, imei))
        return true;
    if (!count(tx, StoreTable::Devices, m_deviceStub.upsert(), m_deviceStub.write(Stub{imei}, tx.now), imei))
        return false;
    tx.newDevices.insert(imei);
    return true;
}

bool Context::ensureState(Tx &tx, const QString &imei, bool *created)
{
    *created = false;
    if (stateKnown(tx, imei))
        return true;
    const KeyedUpsert::Outcome outcome = m_stateStub.write(Stub{imei}, tx.now);
    if (outcome == KeyedUpsert::Outcome::Failed) {
        tx.error = m_stateStub.upsert().lastError();
        return false;
    }
    *created = outcome == KeyedUpsert::Outcome::Inserted;
    tx.newStates.insert(imei);
    return true;
}

bool Context::count(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome, const QString &imei)
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

bool Context::countFact(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome,
                        const QString &imei, qint64 from, qint64 to)
{
    if (!count(tx, table, statement, outcome, imei))
        return false;
    if (outcome == KeyedUpsert::Outcome::Inserted || outcome == KeyedUpsert::Outcome::Updated)
        tx.change.addSpan(from, to);
    return true;
}

int Context::run(Tx &tx, QSqlQuery &query, const QString &what)
{
    if (!query.exec()) {
        tx.error = QStringLiteral("%1: %2").arg(what, query.lastError().text());
        return -1;
    }
    const int rows = query.isSelect() ? int(query.next()) : query.numRowsAffected();
    query.finish();
    return rows;
}

int Context::updateState(Tx &tx, QSqlQuery &query, const QString &what, const QString &imei, bool created)
{
    const int changed = run(tx, query, what);
    if (changed > 0) {
        TableCounts &c = tx.change.count(StoreTable::DeviceState);
        ++(created ? c.inserted : c.updated);
        tx.change.imeis.insert(imei);
    }
    return changed;
}

} // namespace Fleet::Ingest
