#include "store/storeconnection.h"
#include "store/storeschema.h"
#include "store/storewriter.h"

#include "storetestdata.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

class TestStoreSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionsAreConsecutive();
    void freshDatabaseGetsLatestVersion();
    void everyTableOfTheIssueExists();
    void walAndPragmasAreOn();
    void newerVersionIsRefusedUntouched();
    void newerVersionIsRefusedByTheWriter();
    void failingMigrationLeavesTheOldDatabaseIntact();
    void migrationsRunOnceAndInOrder();
    void foreignDatabaseIsRefused();
    void readOnlyConnectionNeedsTheCurrentSchema();
    void missingFolderIsCreated();
};

void TestStoreSchema::versionsAreConsecutive()
{
    const QList<StoreMigration> &list = StoreSchema::migrations();
    QVERIFY(!list.isEmpty());
    for (qsizetype i = 0; i < list.size(); ++i) {
        QCOMPARE(list.at(i).version, int(i + 1));
        QVERIFY(!list.at(i).name.isEmpty());
        QVERIFY(!list.at(i).statements.isEmpty());
    }
    QCOMPARE(StoreSchema::latestVersion(), list.constLast().version);
}

void TestStoreSchema::freshDatabaseGetsLatestVersion()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    {
        StoreConnection c;
        QVERIFY2(c.open(path), qPrintable(c.errorString()));
        QCOMPARE(StoreSchema::version(c.database()), StoreSchema::latestVersion());
    }
    RawDb raw(path);
    QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), StoreSchema::latestVersion());
    QCOMPARE(raw.value(QStringLiteral("PRAGMA application_id")).toInt(), StoreSchema::kApplicationId);
}

void TestStoreSchema::everyTableOfTheIssueExists()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    StoreConnection c;
    QVERIFY2(c.open(path), qPrintable(c.errorString()));
    RawDb raw(path);
    const QStringList expected{
        QStringLiteral("devices"), QStringLiteral("device_groups"), QStringLiteral("device_state"),
        QStringLiteral("position_history"), QStringLiteral("trips"), QStringLiteral("alarms"),
        QStringLiteral("parking_idling"), QStringLiteral("device_events"), QStringLiteral("heartbeats"),
        QStringLiteral("fault_codes"), QStringLiteral("fuel_readings"), QStringLiteral("temperature_readings"),
        QStringLiteral("lbs_readings"), QStringLiteral("obd_readings"), QStringLiteral("fences"),
        QStringLiteral("fence_bindings"), QStringLiteral("commands"), QStringLiteral("media"),
        QStringLiteral("tokens"), QStringLiteral("sync_state")};
    for (const QString &table : expected) {
        QVERIFY2(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%1'")
                               .arg(table))
                         .toInt()
                     == 1,
                 qPrintable(table));
    }
    // The reference's production column names (BUG-01/02/03).
    const auto columns = [&](const QString &table) {
        QStringList names;
        for (const QVariantList &row : raw.rows(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
            names.append(row.at(1).toString());
        return names;
    };
    QVERIFY(columns(QStringLiteral("position_history")).contains(QStringLiteral("source")));
    QVERIFY(columns(QStringLiteral("trips")).contains(QStringLiteral("distance_km")));
    QVERIFY(columns(QStringLiteral("trips")).contains(QStringLiteral("max_speed_kmh")));
    for (const QString &column :
         {QStringLiteral("alarm_type"), QStringLiteral("alarm_name"), QStringLiteral("alarm_time")})
        QVERIFY(columns(QStringLiteral("alarms")).contains(column));
    QVERIFY(columns(QStringLiteral("parking_idling")).contains(QStringLiteral("duration_s")));
}

void TestStoreSchema::walAndPragmasAreOn()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    StoreConnection c;
    QVERIFY2(c.open(path), qPrintable(c.errorString()));
    QSqlQuery q(c.database());
    QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    QVERIFY(q.exec(QStringLiteral("PRAGMA synchronous")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1); // NORMAL
    QVERIFY(q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QVERIFY(q.exec(QStringLiteral("PRAGMA busy_timeout")) && q.next());
    QCOMPARE(q.value(0).toInt(), 5000);
    QVERIFY(q.exec(QStringLiteral("PRAGMA page_size")) && q.next());
    QCOMPARE(q.value(0).toInt(), 8192);
    q.finish();
    // WAL is a property of the file: a second connection sees it too.
    RawDb raw(path);
    QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestStoreSchema::newerVersionIsRefusedUntouched()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("future.db"));
    const int newer = StoreSchema::latestVersion() + 7;
    {
        RawDb raw(path);
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE devices (imei TEXT PRIMARY KEY, hover_mode INTEGER)")));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO devices VALUES ('860000000000001', 1)")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA application_id = %1").arg(StoreSchema::kApplicationId)));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = %1").arg(newer)));
    }
    const QByteArray before = fileHash(path);
    QVERIFY(!before.isEmpty());

    StoreConnection c;
    QVERIFY(!c.open(path));
    QVERIFY2(c.errorString().contains(QStringLiteral("database schema version %1 is newer than this FleetDesk "
                                                     "(supports up to %2)")
                                          .arg(newer)
                                          .arg(StoreSchema::latestVersion())),
             qPrintable(c.errorString()));
    QVERIFY(!c.isOpen());
    QCOMPARE(fileHash(path), before);
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
    RawDb raw(path);
    QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("delete"));
}

void TestStoreSchema::newerVersionIsRefusedByTheWriter()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("future.db"));
    {
        RawDb raw(path);
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    const QByteArray before = fileHash(path);
    StoreWriter writer;
    QVERIFY(!writer.open(path));
    QVERIFY2(writer.errorString().contains(QStringLiteral("database schema version 99 is newer than this FleetDesk")),
             qPrintable(writer.errorString()));
    QVERIFY(!writer.isOpen());
    IngestBatch batch;
    batch.devices.append(Device());
    batch.devices.back().imei = QStringLiteral("860000000000001");
    QVERIFY(!writer.write(batch));
    QCOMPARE(fileHash(path), before);
}

void TestStoreSchema::failingMigrationLeavesTheOldDatabaseIntact()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    {
        StoreConnection c;
        QVERIFY2(c.open(path), qPrintable(c.errorString()));
        QVERIFY(c.exec(QStringLiteral("INSERT INTO devices (imei, device_name, first_seen_at, updated_at) "
                                      "VALUES ('860000000000001', 'VAN-001', 1, 1)")));
    }
    const QByteArray before = fileHash(path);
    const int old = StoreSchema::latestVersion();

    // The test hook: the real migrations plus a broken one, whose first
    // statements succeed before a later one fails.
    StoreConnection::Options options;
    options.migrations = StoreSchema::migrations();
    options.migrations.append(StoreMigration{old + 1, QStringLiteral("broken"),
                                             {QStringLiteral("CREATE TABLE extra (x INTEGER)"),
                                              QStringLiteral("ALTER TABLE devices ADD COLUMN colour TEXT"),
                                              QStringLiteral("UPDATE devices SET device_name = 'changed'"),
                                              QStringLiteral("INSERT INTO no_such_table VALUES (1)")}});
    StoreConnection c;
    QVERIFY(!c.open(path, options));
    QVERIFY2(c.errorString().contains(QStringLiteral("migration %1 (broken) failed and was rolled back").arg(old + 1)),
             qPrintable(c.errorString()));
    QVERIFY2(c.errorString().contains(QStringLiteral("no_such_table")), qPrintable(c.errorString()));

    QCOMPARE(fileHash(path), before);
    RawDb raw(path);
    QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), old);
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'extra'")).toInt(), 0);
    QCOMPARE(raw.value(QStringLiteral("SELECT device_name FROM devices")).toString(), QStringLiteral("VAN-001"));
    QCOMPARE(raw.rows(QStringLiteral("PRAGMA table_info(devices)")).size(), 23);

    // And the intact database still opens with the real migrations.
    StoreConnection again;
    QVERIFY2(again.open(path), qPrintable(again.errorString()));
}

void TestStoreSchema::migrationsRunOnceAndInOrder()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    StoreConnection::Options options;
    options.migrations = StoreSchema::migrations();
    const int v = StoreSchema::latestVersion();
    options.migrations.append(StoreMigration{v + 1, QStringLiteral("note"),
                                             {QStringLiteral("ALTER TABLE devices ADD COLUMN note TEXT")}});
    options.migrations.append(StoreMigration{v + 2, QStringLiteral("note index"),
                                             {QStringLiteral("CREATE INDEX devices_note ON devices(note)")}});
    for (int round = 0; round < 2; ++round) {
        StoreConnection c;
        QVERIFY2(c.open(path, options), qPrintable(c.errorString())); // "duplicate column" if re-run
        QCOMPARE(StoreSchema::version(c.database()), v + 2);
    }
    // The database is now newer than this build's own list.
    StoreConnection plain;
    QVERIFY(!plain.open(path));
    QVERIFY(plain.errorString().contains(StoreSchema::newerSchemaMessage(v + 2, v)));
}

void TestStoreSchema::foreignDatabaseIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("other.db"));
    {
        RawDb raw(path);
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")));
    }
    const QByteArray before = fileHash(path);
    StoreConnection c;
    QVERIFY(!c.open(path));
    QVERIFY2(c.errorString().contains(QStringLiteral("not a FleetDesk database")), qPrintable(c.errorString()));
    QCOMPARE(fileHash(path), before);
}

void TestStoreSchema::readOnlyConnectionNeedsTheCurrentSchema()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    StoreConnection::Options readOnly;
    readOnly.mode = StoreConnection::Mode::ReadOnly;
    {
        StoreConnection c;
        QVERIFY(!c.open(path, readOnly)); // no file yet: nothing is created
        QVERIFY(!QFileInfo::exists(path));
    }
    {
        StoreConnection::Options noMigration;
        noMigration.migrate = false;
        StoreConnection c;
        QVERIFY(c.open(path, noMigration));
    }
    {
        StoreConnection c;
        QVERIFY(!c.open(path, readOnly)); // version 0
        QVERIFY2(c.errorString().contains(QStringLiteral("open it for writing first")), qPrintable(c.errorString()));
    }
    StoreConnection writer;
    QVERIFY(writer.open(path));
    StoreConnection reader;
    QVERIFY2(reader.open(path, readOnly), qPrintable(reader.errorString()));
    QVERIFY(!reader.exec(QStringLiteral("DELETE FROM devices")));
}

void TestStoreSchema::missingFolderIsCreated()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("first/start/fleet.db"));
    StoreConnection c;
    QVERIFY2(c.open(path), qPrintable(c.errorString()));
    QVERIFY(QFileInfo::exists(path));
}

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_storeschema.moc"
