#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace Fleet {

// One step of the schema's history. Applied in a transaction of its own
// together with "PRAGMA user_version = version", so it happens entirely or
// not at all. Statements must be valid inside a transaction (no VACUUM, no
// journal_mode).
struct StoreMigration
{
    int version = 0;
    QString name;
    QStringList statements;
};

// The database schema: its ordered migrations and the code that applies
// them. The version lives in PRAGMA user_version; application_id marks the
// file as FleetDesk's. docs/SCHEMA.md documents every table and column.
class StoreSchema
{
public:
    static constexpr int kApplicationId = 0x464c4454; // "FLDT"

    // Every migration, oldest first; versions are 1, 2, 3, ...
    static const QList<StoreMigration> &migrations();
    static int latestVersion();

    // PRAGMA user_version, or -1 (and *error) when it cannot be read.
    static int version(QSqlDatabase &db, QString *error = nullptr);

    // Refuses (true, with *error) a database this build must not touch: a
    // schema newer than `supported`, or a non-empty SQLite file that is not
    // a FleetDesk database. Reads only.
    static bool refuse(QSqlDatabase &db, int supported, QString *error);

    // Applies the migrations above the database's version, each in its own
    // transaction. On a failure that migration is rolled back, the database
    // stays at the last good version and *error names the failing statement.
    // Refuses (see refuse()) before touching anything.
    static bool migrate(QSqlDatabase &db, const QList<StoreMigration> &migrations, QString *error);
    static bool migrate(QSqlDatabase &db, QString *error) { return migrate(db, migrations(), error); }

    static QString newerSchemaMessage(int found, int supported);
};

} // namespace Fleet
