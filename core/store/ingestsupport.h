#pragma once

// What the subjects of the writer (ingestregistry, ingeststate,
// ingestreports, ingestpush) share: the transaction under way, the IMEIs
// known to have rows, the values as they are bound, and keyed tables whose
// columns are declared once. Internal to the store.

#include "ingestbatch.h"
#include "keyedupsert.h"
#include "positioninserter.h"
#include "storechange.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <deque>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

namespace Fleet::Ingest {

// Values as they are bound: an empty text, an invalid time, a NaN or a
// missing optional is SQL NULL.
inline QVariant text(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}
inline QVariant secs(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toSecsSinceEpoch()) : QVariant();
}
inline QVariant real(const std::optional<double> &v)
{
    return v && std::isfinite(*v) ? QVariant(*v) : QVariant();
}
// A quantity that cannot be negative (a distance, a volume): NULL when it is.
inline QVariant amount(const std::optional<double> &v)
{
    return v && *v >= 0 ? real(v) : QVariant();
}
inline QVariant integer(const std::optional<int> &v)
{
    return v ? QVariant(*v) : QVariant();
}
inline QVariant integer64(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant();
}
inline QVariant flag(const std::optional<bool> &v)
{
    return v ? QVariant(*v ? 1 : 0) : QVariant();
}
// For NOT NULL columns where '' is a value: Qt binds a null QString or
// QByteArray as SQL NULL.
inline QString nonNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}
inline QByteArray nonNull(const QByteArray &b)
{
    return b.isNull() ? QByteArray("") : b;
}

QString sha256Hex(const QByteArray &data);

// A usable fix: finite, in range, and not the 0,0 that devices without a fix
// report. Never stored otherwise.
bool usableCoordinates(double lat, double lng);
// One coordinate of a report's optional position: NULL unless both make a
// usable fix.
QVariant latitude(const std::optional<double> &lat, const std::optional<double> &lng);
QVariant longitude(const std::optional<double> &lat, const std::optional<double> &lng);
// Why a position is refused; empty when it is usable.
QString positionProblem(const Position &p);

// One transaction of the writer.
struct Tx
{
    // The newest pushed status flags of a device (see StateIngest).
    struct LastStatus
    {
        qint64 time = 0; // newest fix seen that carried flags
        quint32 flags = 0;
    };

    qint64 now = 0;
    StoreChange change;
    QString error;
    std::vector<PositionInserter::Row> positions;
    std::deque<Position> ownedFixes; // stable addresses for rows that point into it
    QSet<QString> newDevices;
    QSet<QString> newStates;
    QHash<QString, LastStatus> statuses; // newest status per IMEI, this transaction
    QHash<QString, int> rejected; // reason -> rows

    void reject(StoreTable table, const QString &reason)
    {
        ++change.count(table).rejected;
        ++rejected[reason];
    }
};

// What a column is to a keyed write (see KeyedUpsert::Spec).
enum class Role {
    Key,
    NullableKey, // part of the key, compared NULL-safe
    Value, // the table's policy applies
    InsertOnly, // set when the row is created
    Touch, // set on insert and on every real change
};

// One column of a keyed table: its name, its role, and its value for a row
// of type Row (now: the transaction's time).
template<typename Row>
struct Column
{
    const char *name;
    Role role;
    QVariant (*value)(const Row &row, qint64 now);
};

// A keyed table written from rows of type Row, its columns declared once: the
// statement's column lists and the values bound to them come from the same
// declaration, so they cannot drift apart. A column the schema lacks fails
// prepare().
template<typename Row>
class KeyedTable
{
public:
    bool prepare(QSqlDatabase &db, const QString &table, KeyedUpsert::Policy policy, bool updateFirst,
                 std::initializer_list<Column<Row>> columns, QString *error)
    {
        // KeyedUpsert binds keys, values, insert-only and touched columns, in
        // that order.
        m_columns.assign(columns.begin(), columns.end());
        const auto rank = [](Role r) { return r == Role::NullableKey ? int(Role::Key) : int(r); };
        std::stable_sort(m_columns.begin(), m_columns.end(),
                         [&rank](const Column<Row> &a, const Column<Row> &b) { return rank(a.role) < rank(b.role); });
        KeyedUpsert::Spec spec;
        spec.table = table;
        spec.policy = policy;
        spec.updateFirst = updateFirst;
        for (const Column<Row> &c : m_columns) {
            const QString name = QString::fromLatin1(c.name);
            switch (c.role) {
            case Role::NullableKey: spec.nullableKeys.append(name); [[fallthrough]];
            case Role::Key: spec.keys.append(name); break;
            case Role::Value: spec.values.append(name); break;
            case Role::InsertOnly: spec.insertOnly.append(name); break;
            case Role::Touch: spec.touch.append(name); break;
            }
        }
        return m_upsert.prepare(db, spec, error);
    }

    // exists: see KeyedUpsert::write.
    KeyedUpsert::Outcome write(const Row &row, qint64 now, bool exists = false)
    {
        QVariantList values;
        values.reserve(qsizetype(m_columns.size()));
        for (const Column<Row> &c : m_columns)
            values.append(c.value(row, now));
        return m_upsert.write(values, exists);
    }

    KeyedUpsert &upsert() { return m_upsert; }
    QStringList columnNames() const
    {
        QStringList names;
        for (const Column<Row> &c : m_columns)
            names.append(QString::fromLatin1(c.name));
        return names;
    }

private:
    std::vector<Column<Row>> m_columns;
    KeyedUpsert m_upsert;
};

// The writer's knowledge of the database that every subject needs: which
// IMEIs have a devices or a device_state row (loaded at prepare(), grown on
// commit), which saves a statement per device and sweep; as the only writer
// it knows. And the bookkeeping of what a statement changed.
class Context
{
public:
    explicit Context(QSqlDatabase db);

    QSqlDatabase &db() { return m_db; }
    bool prepare(QString *error);
    // Prepares a statement of the caller's.
    bool prepareQuery(QSqlQuery &query, const QString &sql, QString *error);
    // After a commit: what the transaction added is known from now on.
    void committed(const Tx &tx);

    bool deviceKnown(const Tx &tx, const QString &imei) const
    {
        return m_knownDevices.contains(imei) || tx.newDevices.contains(imei);
    }
    bool stateKnown(const Tx &tx, const QString &imei) const
    {
        return m_knownStates.contains(imei) || tx.newStates.contains(imei);
    }
    // A devices row for the IMEI (a stub when there was none).
    bool ensureDevice(Tx &tx, const QString &imei);
    // A device_state row for the IMEI; *created when this call added it.
    bool ensureState(Tx &tx, const QString &imei, bool *created);

    // Counts a keyed write's outcome; false (tx.error set) when it failed.
    static bool count(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome,
                      const QString &imei = {});
    // One fact of a device: its devices row ensured, the row written and
    // counted, and a new or changed row widens the change's span by [from, to].
    template<typename Row>
    bool writeFact(Tx &tx, StoreTable table, KeyedTable<Row> &statement, const Row &row, const QString &imei,
                   qint64 from, qint64 to)
    {
        return ensureDevice(tx, imei)
            && countFact(tx, table, statement.upsert(), statement.write(row, tx.now), imei, from, to);
    }
    // count(), and a new or changed row widens the change's span by [from, to].
    static bool countFact(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome,
                          const QString &imei, qint64 from, qint64 to);
    // Runs a prepared statement; the rows it changed, or -1 (tx.error set).
    static int run(Tx &tx, QSqlQuery &query, const QString &what);
    // Runs an UPDATE of the IMEI's device_state row (added by ensureState,
    // created) and counts it when it changed the row; the rows changed, or
    // -1 (tx.error set).
    static int updateState(Tx &tx, QSqlQuery &query, const QString &what, const QString &imei, bool created);

private:
    struct Stub
    {
        const QString &imei;
    };
    QSqlDatabase m_db;
    KeyedTable<Stub> m_deviceStub; // first sight of an IMEI
    KeyedTable<Stub> m_stateStub; // first sight of an IMEI in device_state
    QSet<QString> m_knownDevices; // IMEIs with a devices row (committed)
    QSet<QString> m_knownStates; // IMEIs with a device_state row (committed)
};

} // namespace Fleet::Ingest
