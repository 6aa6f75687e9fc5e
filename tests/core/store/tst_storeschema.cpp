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
    void versionOneFileMigratesKeepingItsData();
    void freshFileHasThePushTables();
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
    const QStringList expected{QStringLiteral("devices"),        QStringLiteral("device_groups"),
                               QStringLiteral("device_state"),   QStringLiteral("position_history"),
                               QStringLiteral("trips"),          QStringLiteral("alarms"),
                               QStringLiteral("parking_idling"), QStringLiteral("device_events"),
                               QStringLiteral("heartbeats"),     QStringLiteral("fault_codes"),
                               QStringLiteral("fuel_readings"),  QStringLiteral("temperature_readings"),
                               QStringLiteral("lbs_readings"),   QStringLiteral("obd_readings"),
                               QStringLiteral("fences"),         QStringLiteral("fence_bindings"),
                               QStringLiteral("commands"),       QStringLiteral("media"),
                               QStringLiteral("tokens"),         QStringLiteral("sync_state"),
                               QStringLiteral("video_streams"),  QStringLiteral("local_groups"),
                               QStringLiteral("local_group_members")};
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
    options.migrations.append(StoreMigration{old + 1,
                                             QStringLiteral("broken"),
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
    QCOMPARE(raw.rows(QStringLiteral("PRAGMA table_info(devices)")).size(), 25);

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
    options.migrations.append(
        StoreMigration{v + 1, QStringLiteral("note"), {QStringLiteral("ALTER TABLE devices ADD COLUMN note TEXT")}});
    options.migrations.append(StoreMigration{v + 2,
                                             QStringLiteral("note index"),
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

namespace {

QStringList columnsOf(const RawDb &raw, const QString &table)
{
    QStringList names;
    for (const QVariantList &row : raw.rows(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
        names.append(row.at(1).toString());
    return names;
}

} // namespace

void TestStoreSchema::versionOneFileMigratesKeepingItsData()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    {
        // A file written by the first release: version 1 only.
        StoreConnection::Options v1;
        v1.migrations = {StoreSchema::migrations().constFirst()};
        StoreConnection c;
        QVERIFY2(c.open(path, v1), qPrintable(c.errorString()));
        QCOMPARE(StoreSchema::version(c.database()), 1);
        for (const QString &sql :
             {QStringLiteral("INSERT INTO devices (imei, device_name, first_seen_at, updated_at) "
                             "VALUES ('860000000000001', 'VAN-001', 1, 2)"),
              QStringLiteral("INSERT INTO device_state (imei, online, heartbeat_time, gsm_signal, updated_at) "
                             "VALUES ('860000000000001', 1, 100, 4, 3)"),
              QStringLiteral("INSERT INTO position_history (imei, gps_time, lat, lng, source, received_at) "
                             "VALUES ('860000000000001', 100, 48.85, 2.35, 'poll', 4)"),
              QStringLiteral("INSERT INTO heartbeats (imei, heartbeat_time, power_level_pct, received_at) "
                             "VALUES ('860000000000001', 90, 77, 5)"),
              QStringLiteral("INSERT INTO media (imei, file_key, source, received_at) "
                             "VALUES ('860000000000001', 'a.jpg', 'poll', 6)"),
              QStringLiteral("INSERT INTO alarms (imei, alarm_type, alarm_name, alarm_time, source, received_at, "
                             "updated_at) VALUES ('860000000000001', '1', 'SOS', 90, 'poll', 1, 1)"),
              QStringLiteral("INSERT INTO commands (id, imei, command_text, sent_time, server_flag_id, state, "
                             "updated_at) VALUES (41, '860000000000001', 'RELAY,1#', 50, 'F-1', 'waiting', 7)")})
            QVERIFY2(c.exec(sql), qPrintable(sql));
    }

    StoreConnection c;
    QVERIFY2(c.open(path), qPrintable(c.errorString()));
    QCOMPARE(StoreSchema::version(c.database()), StoreSchema::latestVersion());
    c.close();

    RawDb raw(path);
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, device_name, first_seen_at, updated_at FROM devices")),
             (QList<QVariantList>{{QStringLiteral("860000000000001"), QStringLiteral("VAN-001"), 1, 2}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT online, heartbeat_time, gsm_signal, updated_at, status_flags, "
                                     "status_time, oil_cut, power_cut, door_locked, doors_open, gnss, "
                                     "power_level_pct, charging, fortify FROM device_state")),
             (QList<QVariantList>{{1, 100, 4, 3, QVariant(), QVariant(), QVariant(), QVariant(), QVariant(), QVariant(),
                                   QVariant(), QVariant(), QVariant(), QVariant()}}));
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM position_history")).toInt(), 1);
    QCOMPARE(raw.rows(QStringLiteral("SELECT power_level_pct, oil_cut, gps_positioned, remote_lock FROM heartbeats")),
             (QList<QVariantList>{{77, QVariant(), QVariant(), QVariant()}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT file_key, local_file_name FROM media")),
             (QList<QVariantList>{{QStringLiteral("a.jpg"), QVariant()}}));
    // The rebuilt commands table keeps rows, ids, indexes and constraints.
    QCOMPARE(raw.rows(QStringLiteral("SELECT id, command_text, sent_time, server_flag_id, state, updated_at, "
                                     "reply_msg_type FROM commands")),
             (QList<QVariantList>{{41, QStringLiteral("RELAY,1#"), 50, QStringLiteral("F-1"), QStringLiteral("accepted"),
                                   7, QVariant()}}));
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                                      "('commands_imei_time', 'commands_server_flag')"))
                 .toInt(),
             2);
    QVERIFY(!raw.exec(QStringLiteral("INSERT INTO commands (imei, server_flag_id, updated_at) "
                                     "VALUES ('860000000000001', 'F-1', 8)"))); // unique
    QVERIFY(!raw.exec(QStringLiteral("INSERT INTO commands (imei, state, updated_at) "
                                     "VALUES ('860000000000001', 'lost', 8)"))); // check
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO commands (imei, server_flag_id, state, updated_at) "
                                    "VALUES ('860000000000001', 'F-2', 'unknown', 8)"))); // text, time unknown
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'commands_v2'")).toInt(), 0);
    // Version 10: the old 'waiting' is 'accepted'; a row with its text was sent from here.
    QCOMPARE(raw.rows(QStringLiteral("SELECT origin, state_time FROM commands WHERE id = 41")),
             (QList<QVariantList>{{QStringLiteral("fleetdesk"), 7}}));
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'commands_v10'")).toInt(), 0);
    // Version 3: the current readings, odometers and mileage totals start
    // unknown; the alarm details are there to be filled.
    QCOMPARE(raw.rows(
                 QStringLiteral("SELECT acc, acc_time, speed_kmh, direction_deg, satellites, pos_type, motion_time, "
                                "odometer_km, odometer_time, mileage_total_km, mileage_from, mileage_to "
                                "FROM device_state")),
             (QList<QVariantList>{QVariantList(12, QVariant())}));
    QVERIFY(
        raw.exec(QStringLiteral("INSERT INTO alarms (imei, alarm_type, alarm_time, account, serial_no, driver_name, "
                                "driver_id, media_file, alert_value, source, received_at, updated_at) VALUES "
                                "('860000000000001', '2', 100, 'a', 25075, 'd', 'i', 'f.ts', '1', 'push', 1, 1)")));
    // Version 8: the alarms there are in the desk's search index; the new
    // one is added by its trigger, with the name it gave its device.
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM alarm_search")).toInt(), 2);
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM alarm_search WHERE alarm_search MATCH '\"sos\"'")).toInt(), 1);
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO alarms (imei, alarm_type, alarm_time, device_name, source, received_at, "
                                    "updated_at) VALUES ('860000000000001', '3', 110, 'Old van', 'push', 1, 1)")));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, device_name FROM alarm_device_names")),
             (QList<QVariantList>{{QStringLiteral("860000000000001"), QStringLiteral("Old van")}}));
    QCOMPARE(raw.value(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
}

void TestStoreSchema::freshFileHasThePushTables()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fleet.db"));
    StoreConnection c;
    QVERIFY2(c.open(path), qPrintable(c.errorString()));
    QCOMPARE(StoreSchema::version(c.database()), StoreSchema::latestVersion());
    RawDb raw(path);
    QVERIFY(columnsOf(raw, QStringLiteral("push_inbox")).isEmpty()); // a file of its own (Push::Inbox)
    QCOMPARE(columnsOf(raw, QStringLiteral("push_quarantine")),
             (QStringList{QStringLiteral("id"), QStringLiteral("endpoint"), QStringLiteral("received_at"),
                          QStringLiteral("item_index"), QStringLiteral("reason"), QStringLiteral("content"),
                          QStringLiteral("content_hash"), QStringLiteral("times_received"),
                          QStringLiteral("last_received_at")}));
    QCOMPARE(columnsOf(raw, QStringLiteral("push_messages")),
             (QStringList{QStringLiteral("id"), QStringLiteral("endpoint"), QStringLiteral("imei"),
                          QStringLiteral("kind"), QStringLiteral("message_time"), QStringLiteral("payload"),
                          QStringLiteral("payload_hash"), QStringLiteral("received_at")}));
    for (const QString &column :
         {QStringLiteral("status_flags"), QStringLiteral("status_time"), QStringLiteral("oil_cut"),
          QStringLiteral("power_cut"), QStringLiteral("door_locked"), QStringLiteral("doors_open"),
          QStringLiteral("gnss"), QStringLiteral("power_level_pct"), QStringLiteral("charging"),
          QStringLiteral("fortify")})
        QVERIFY2(columnsOf(raw, QStringLiteral("device_state")).contains(column), qPrintable(column));
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = "
                                      "'push_messages_imei_time'"))
                 .toInt(),
             1);
    // The quarantine's key: a second row with the same item and content is refused.
    const QString insert = QStringLiteral("INSERT INTO push_quarantine (endpoint, received_at, item_index, reason, "
                                          "content, content_hash, last_received_at) VALUES ('pushgps', 1, 0, 'r', "
                                          "x'00', 'h', 1)");
    QVERIFY(raw.exec(insert));
    QVERIFY(!raw.exec(insert));
    QCOMPARE(raw.value(QStringLiteral("SELECT times_received FROM push_quarantine")).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_storeschema.moc"
