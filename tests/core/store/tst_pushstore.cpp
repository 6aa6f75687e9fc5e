#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include "storetestdata.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

namespace {

const QString kA = QStringLiteral("860000000000101");
const QString kB = QStringLiteral("860000000000202");
const QString kC = QStringLiteral("860000000000303");

// oil circuit cut (bit 10), door locked (12), doors 1 and 3 open (13-17),
// GPS (18) and BeiDou (19).
constexpr quint32 kFlags = (1u << 10) | (1u << 12) | (0b00101u << 13) | (1u << 18) | (1u << 19);

Heartbeat heartbeat(const QString &imei, qint64 offset, std::optional<int> power)
{
    Heartbeat h;
    h.imei = imei;
    h.time = at(offset);
    h.powerLevelPct = power;
    h.gsmSignal = 87;
    h.acc = true;
    h.charging = false;
    h.fortify = 1;
    h.oilCut = false;
    h.gpsPositioned = true;
    h.remoteLock = 0;
    return h;
}

DeviceStatusFlags status(const QString &imei, qint64 offset, quint32 flags)
{
    return DeviceStatusFlags{imei, at(offset), flags};
}

CommandResponse response(const QString &imei, const QString &flagId, std::optional<int> code, qint64 offset)
{
    CommandResponse r;
    r.imei = imei;
    r.serverFlagId = flagId;
    r.code = code;
    r.message = code ? QStringLiteral("code %1").arg(*code) : QString();
    r.content = QStringLiteral("RELAY=1 OK");
    r.msgType = 2;
    r.received = at(offset);
    return r;
}

PushQuarantineRecord quarantined(int index, const QByteArray &content, qint64 offset)
{
    return PushQuarantineRecord{QStringLiteral("pushgps"), at(offset), index, QStringLiteral("gpsTime missing"),
                                content};
}

// One item of every push list, for kA (and kC for what only names a device).
IngestBatch everyPushList()
{
    IngestBatch b;
    b.deviceEvents.append(DeviceEvent{kA, QStringLiteral("LOGIN"), at(10), QStringLiteral("GMT+08:00")});
    b.heartbeats.append(heartbeat(kA, 20, 76));
    b.statusFlags.append(status(kA, 30, kFlags));

    FaultReport f;
    f.imei = kA;
    f.reportTime = at(40);
    f.codes = {QStringLiteral("P0301"), QStringLiteral("P0420")};
    f.eventTime = at(39);
    f.faultNum = 2;
    f.statusFlags = 7;
    f.lat = 48.85;
    f.lng = 2.35;
    b.faultReports.append(f);

    FuelReading fuel;
    fuel.imei = kA;
    fuel.sensorPath = 2;
    fuel.time = at(50);
    fuel.value = 41.25;
    fuel.unit = QStringLiteral("L");
    fuel.gpsTime = at(49);
    fuel.lat = 48.85;
    fuel.lng = 2.35;
    b.fuelReadings.append(fuel);

    TemperatureReading tem;
    tem.imei = kA;
    tem.time = at(60);
    tem.temperatureC = -18.5;
    tem.humidityPct = 40.0;
    tem.postTime = at(61);
    b.temperatureReadings.append(tem);

    b.lbsReadings.append(
        LbsReading{kA, at(70), QStringLiteral("LBS"), QStringLiteral("{\"mcc\":208,\"mnc\":1,\"cellList\":[]}")});

    ObdReading obd;
    obd.imei = kA;
    obd.eventTime = at(80);
    obd.pushTime = at(81);
    obd.carType = 2;
    obd.acc = true;
    obd.statusFlags = 3;
    obd.lat = 48.85;
    obd.lng = 2.35;
    obd.engineRpm = 2100;
    obd.coolantTempC = 90;
    obd.fuelLevelPct = 55;
    obd.batteryVoltage = 13.9;
    obd.intakePressureKpa = 101;
    obd.throttlePct = 12;
    obd.vehicleSpeedKmh = 64;
    obd.engineLoadPct = 33;
    obd.obdJson = QStringLiteral("{\"dataID1\":2100}");
    b.obdReadings.append(obd);

    PushedTrip t;
    t.imei = kA;
    t.start = at(100);
    t.end = at(700);
    t.reportTime = at(701);
    t.distanceKm = 5.5;
    t.fuelL = 0.6;
    t.idleSeconds = 45;
    t.tripSeq = 17;
    t.startLat = 48.85;
    t.startLng = 2.35;
    t.endLat = 48.86;
    t.endLng = 2.36;
    t.properties = 2;
    b.pushedTrips.append(t);

    MediaUpload m;
    m.imei = kA;
    m.fileKey = QStringLiteral("cloud/860000000000101/clip-1.mp4");
    m.localFileName = QStringLiteral("CH1_0001.mp4");
    m.businessType = QStringLiteral("eventAttachment");
    m.camera = 1;
    m.mediaType = QStringLiteral("video");
    m.mimeType = QStringLiteral("video/mp4");
    m.durationSeconds = 10;
    m.alarmTime = at(90);
    m.lat = 48.85;
    m.lng = 2.35;
    m.instructionId = QStringLiteral("ins-9");
    m.received = at(800);
    b.mediaUploads.append(m);

    b.commandResponses.append(response(kA, QStringLiteral("F-1"), 100, 900));
    b.pushMessages.append(PushMessage{QStringLiteral("rfid"), kC, QStringLiteral("RFID"), at(910),
                                      QStringLiteral("{\"value\":\"04A1\"}")});
    b.pushMessages.append(PushMessage{QStringLiteral("pushresourcelist"), QString(), QString(), at(920),
                                      QStringLiteral("{\"totalNum\":\"0\"}")});
    b.quarantine.append(quarantined(3, QByteArrayLiteral("{\"deviceImei\":\"x\"}"), 930));
    return b;
}

qint64 count(const RawDb &raw, const QString &table)
{
    return raw.value(QStringLiteral("SELECT count(*) FROM %1").arg(table)).toLongLong();
}

const QStringList kPushTables{QStringLiteral("devices"),
                              QStringLiteral("device_state"),
                              QStringLiteral("device_events"),
                              QStringLiteral("heartbeats"),
                              QStringLiteral("fault_codes"),
                              QStringLiteral("fuel_readings"),
                              QStringLiteral("temperature_readings"),
                              QStringLiteral("lbs_readings"),
                              QStringLiteral("obd_readings"),
                              QStringLiteral("trips"),
                              QStringLiteral("media"),
                              QStringLiteral("commands"),
                              QStringLiteral("push_messages"),
                              QStringLiteral("push_quarantine")};

} // namespace

class TestPushStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void everyListMapsToItsColumns();
    void repeatedBatchAddsNothing();
    void olderStatusFlagsDoNotOverwrite();
    void olderHeartbeatDoesNotMoveTheState();
    void quarantineRepeatCountsTimes();
    void rowsWithoutIdentityAreRejected();
    void sqlMetacharactersAreStoredVerbatim();
    void commandResponseCompletesTheSentCommand();
    void commandResponseForAnUnknownCommandAddsOne();
    void pushedTripCompletesAPolledTrip();
    void changeNoticeCarriesPushDevicesAndSpan();

private:
    bool openWriter(StoreWriter &writer);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock{Utc::fromSecs(kT0 + 3600)};
};

void TestPushStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("fleet.db"));
    m_clock.set(Utc::fromSecs(kT0 + 3600));
}

void TestPushStore::cleanup()
{
    m_dir.reset();
}

bool TestPushStore::openWriter(StoreWriter &writer)
{
    return StoreTest::openWriter(writer, m_path, &m_clock);
}

void TestPushStore::everyListMapsToItsColumns()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QVERIFY(writer.write(everyPushList()));
    QVERIFY(writer.flush());
    QVERIFY2(writer.stats().lastError.isEmpty(), qPrintable(writer.stats().lastError));
    const qint64 now = kT0 + 3600;

    RawDb raw(m_path);
    // kA from its data, kC from its RFID message; the resource list names none.
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, first_seen_at FROM devices ORDER BY imei")),
             (QList<QVariantList>{{kA, now}, {kC, now}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, event_type, event_time, device_timezone, received_at "
                                     "FROM device_events")),
             (QList<QVariantList>{{kA, QStringLiteral("LOGIN"), kT0 + 10, QStringLiteral("GMT+08:00"), now}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, heartbeat_time, power_level_pct, gsm_signal, acc, charging, "
                                     "fortify, oil_cut, gps_positioned, remote_lock, received_at FROM heartbeats")),
             (QList<QVariantList>{{kA, kT0 + 20, 76, 87, 1, 0, 1, 0, 1, 0, now}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT status_flags, status_time, oil_cut, power_cut, door_locked, "
                                     "doors_open, gnss, heartbeat_time, power_level_pct, charging, fortify, "
                                     "gsm_signal, updated_at FROM device_state WHERE imei = '%1'")
                          .arg(kA)),
             (QList<QVariantList>{{qint64(kFlags), kT0 + 30, 1, 0, 1, 5, QStringLiteral("GPS+BDS"), kT0 + 20, 76, 0, 1,
                                   QVariant(), now}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, report_time, fault_code, event_time, fault_num, status_flags, "
                                     "lat, lng, received_at FROM fault_codes ORDER BY fault_code")),
             (QList<QVariantList>{{kA, kT0 + 40, QStringLiteral("P0301"), kT0 + 39, 2, 7, 48.85, 2.35, now},
                                  {kA, kT0 + 40, QStringLiteral("P0420"), kT0 + 39, 2, 7, 48.85, 2.35, now}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, sensor_path, reading_time, value, unit, gps_time, lat, lng "
                                     "FROM fuel_readings")),
             (QList<QVariantList>{{kA, 2, kT0 + 50, 41.25, QStringLiteral("L"), kT0 + 49, 48.85, 2.35}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, reading_time, temperature_c, humidity_pct, post_time "
                                     "FROM temperature_readings")),
             (QList<QVariantList>{{kA, kT0 + 60, -18.5, 40.0, kT0 + 61}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, reading_time, post_type, lbs_json, lat, lng, accuracy_m "
                                     "FROM lbs_readings")),
             (QList<QVariantList>{{kA, kT0 + 70, QStringLiteral("LBS"),
                                   QStringLiteral("{\"mcc\":208,\"mnc\":1,\"cellList\":[]}"), QVariant(), QVariant(),
                                   QVariant()}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, event_time, push_time, car_type, acc, status_flags, lat, lng, "
                                     "engine_rpm, coolant_temp_c, fuel_level_pct, battery_voltage, intake_pressure, "
                                     "throttle_pct, vehicle_speed, engine_load_pct, obd_data FROM obd_readings")),
             (QList<QVariantList>{{kA, kT0 + 80, kT0 + 81, 2, 1, 3, 48.85, 2.35, 2100.0, 90.0, 55.0, 13.9, 101.0, 12.0,
                                   64.0, 33.0, QStringLiteral("{\"dataID1\":2100}")}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, start_time, end_time, distance_km, avg_speed_kmh, idle_time_s, "
                                     "start_lat, start_lng, end_lat, end_lng, fuel_l, trip_seq, source FROM trips")),
             (QList<QVariantList>{{kA, kT0 + 100, kT0 + 700, 5.5, QVariant(), 45, 48.85, 2.35, 48.86, 2.36, 0.6, 17,
                                   QStringLiteral("push")}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, file_key, camera, media_type, mime_type, created_time, "
                                     "duration_s, business_type, alarm_time, lat, lng, instruction_id, "
                                     "local_file_name, source, file_url FROM media")),
             (QList<QVariantList>{{kA, QStringLiteral("cloud/860000000000101/clip-1.mp4"), 1, QStringLiteral("video"),
                                   QStringLiteral("video/mp4"), kT0 + 800, 10, QStringLiteral("eventAttachment"),
                                   kT0 + 90, 48.85, 2.35, QStringLiteral("ins-9"), QStringLiteral("CH1_0001.mp4"),
                                   QStringLiteral("push"), QVariant()}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, server_flag_id, command_text, sent_time, state, result_code, "
                                     "result_message, reply_content, reply_time, reply_msg_type FROM commands")),
             (QList<QVariantList>{{kA, QStringLiteral("F-1"), QVariant(), QVariant(), QStringLiteral("answered"), 100,
                                   QStringLiteral("code 100"), QStringLiteral("RELAY=1 OK"), kT0 + 900, 2}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT endpoint, imei, kind, message_time, payload, received_at "
                                     "FROM push_messages ORDER BY message_time")),
             (QList<QVariantList>{{QStringLiteral("rfid"), kC, QStringLiteral("RFID"), kT0 + 910,
                                   QStringLiteral("{\"value\":\"04A1\"}"), now},
                                  {QStringLiteral("pushresourcelist"), QStringLiteral(""), QStringLiteral(""),
                                   kT0 + 920, QStringLiteral("{\"totalNum\":\"0\"}"), now}}));
    QCOMPARE(raw.value(QStringLiteral("SELECT payload_hash FROM push_messages WHERE endpoint = 'rfid'")).toString(),
             QString::fromLatin1(QCryptographicHash::hash("{\"value\":\"04A1\"}", QCryptographicHash::Sha256).toHex()));

    StoreReader reader;
    QVERIFY(reader.open(m_path));
    const QList<QuarantineRow> q = reader.quarantine();
    QCOMPARE(q.size(), 1);
    QCOMPARE(q.at(0).endpoint, QStringLiteral("pushgps"));
    QCOMPARE(q.at(0).itemIndex, 3);
    QCOMPARE(q.at(0).reason, QStringLiteral("gpsTime missing"));
    QCOMPARE(q.at(0).content, QByteArrayLiteral("{\"deviceImei\":\"x\"}"));
    QCOMPARE(q.at(0).received, at(930));
    QCOMPARE(q.at(0).lastReceived, at(930));
    QCOMPARE(q.at(0).timesReceived, 1);
    QCOMPARE(raw.value(QStringLiteral("SELECT content_hash FROM push_quarantine")).toString(),
             QString::fromLatin1(
                 QCryptographicHash::hash("{\"deviceImei\":\"x\"}", QCryptographicHash::Sha256).toHex()));
}

void TestPushStore::repeatedBatchAddsNothing()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    IngestBatch b = everyPushList();
    b.quarantine.clear(); // a repeat there is counted on purpose (quarantineRepeatCountsTimes)
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());
    QCOMPARE(changed.count(), 1);

    RawDb raw(m_path);
    QHash<QString, qint64> before;
    for (const QString &t : kPushTables)
        before.insert(t, count(raw, t));
    const QList<QVariantList> stateBefore = raw.rows(QStringLiteral("SELECT * FROM device_state"));

    m_clock.advanceSecs(60);
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());
    for (const QString &t : kPushTables)
        QCOMPARE(count(raw, t), before.value(t));
    QCOMPARE(raw.rows(QStringLiteral("SELECT * FROM device_state")), stateBefore);
    QCOMPARE(changed.count(), 1); // nothing changed: no notice

    const StoreStats stats = writer.stats();
    QCOMPARE(stats.transactions, 2);
    for (const StoreTable t : {StoreTable::DeviceEvents, StoreTable::Heartbeats, StoreTable::FuelReadings,
                               StoreTable::TemperatureReadings, StoreTable::LbsReadings, StoreTable::ObdReadings,
                               StoreTable::Trips, StoreTable::Media, StoreTable::Commands}) {
        QVERIFY2(stats.table(t).inserted == 1 && stats.table(t).duplicates == 1, storeTableName(t).data());
        QCOMPARE(stats.table(t).updated, 0);
    }
    QCOMPARE(stats.table(StoreTable::FaultCodes).duplicates, 2);
    QCOMPARE(stats.table(StoreTable::PushMessages).duplicates, 2);
    QCOMPARE(stats.table(StoreTable::DeviceState).duplicates, 1); // the status flags
}

void TestPushStore::olderStatusFlagsDoNotOverwrite()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch newest;
    newest.statusFlags.append(status(kA, 100, kFlags));
    QVERIFY(writer.write(newest));
    QVERIFY(writer.flush());

    // A fix stored on the device and uploaded late, then one of the same time.
    IngestBatch older;
    older.statusFlags = {status(kA, 50, 1u << 11), status(kA, 100, 1u << 11)};
    QVERIFY(writer.write(older));
    QVERIFY(writer.flush());
    RawDb raw(m_path);
    const QString sql = QStringLiteral("SELECT status_flags, status_time, oil_cut, power_cut, gnss FROM device_state "
                                       "WHERE imei = '%1'")
                            .arg(kA);
    QCOMPARE(raw.rows(sql), (QList<QVariantList>{{qint64(kFlags), kT0 + 100, 1, 0, QStringLiteral("GPS+BDS")}}));
    QCOMPARE(writer.stats().table(StoreTable::DeviceState).duplicates, 2);

    IngestBatch newer;
    newer.statusFlags.append(status(kA, 150, 1u << 11));
    QVERIFY(writer.write(newer));
    QVERIFY(writer.flush());
    QCOMPARE(raw.rows(sql), (QList<QVariantList>{{qint64(1u << 11), kT0 + 150, 0, 1, QVariant()}}));
    QCOMPARE(writer.stats().table(StoreTable::DeviceState).inserted, 1);
    QCOMPARE(writer.stats().table(StoreTable::DeviceState).updated, 1);
}

void TestPushStore::olderHeartbeatDoesNotMoveTheState()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch first;
    first.heartbeats.append(heartbeat(kA, 100, 80));
    QVERIFY(writer.write(first));
    QVERIFY(writer.flush());

    IngestBatch late;
    Heartbeat old = heartbeat(kA, 50, 20);
    old.charging = true;
    late.heartbeats.append(old);
    QVERIFY(writer.write(late));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    const QString sql = QStringLiteral("SELECT heartbeat_time, power_level_pct, charging FROM device_state "
                                       "WHERE imei = '%1'")
                            .arg(kA);
    QCOMPARE(count(raw, QStringLiteral("heartbeats")), 2); // the history keeps both
    QCOMPARE(raw.rows(sql), (QList<QVariantList>{{kT0 + 100, 80, 0}}));

    // A newer heartbeat without a battery level keeps the known one.
    IngestBatch newer;
    newer.heartbeats.append(heartbeat(kA, 200, std::nullopt));
    QVERIFY(writer.write(newer));
    QVERIFY(writer.flush());
    QCOMPARE(raw.rows(sql), (QList<QVariantList>{{kT0 + 200, 80, 0}}));

    // The sweep's GSM level (0-4) is not the heartbeat's (0-100).
    QVERIFY(raw.value(QStringLiteral("SELECT gsm_signal FROM device_state")).isNull());
}

void TestPushStore::quarantineRepeatCountsTimes()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    const QByteArray item = QByteArrayLiteral("{\"gpsTime\":null}");
    IngestBatch first;
    first.quarantine = {quarantined(0, item, 0), quarantined(-1, QByteArray(), 5)};
    QVERIFY(writer.write(first));
    QVERIFY(writer.flush());

    // The cloud retries the request it had no good answer for.
    IngestBatch retry;
    retry.quarantine = {quarantined(0, item, 600), quarantined(1, item, 600)};
    QVERIFY(writer.write(retry));
    QVERIFY(writer.flush());

    StoreReader reader;
    QVERIFY(reader.open(m_path));
    QCOMPARE(reader.quarantineCount(), 3);
    const QList<QuarantineRow> rows = reader.quarantine();
    QCOMPARE(rows.size(), 3);
    // Newest first: the retried item and the new index, then the whole request.
    QCOMPARE(rows.at(0).itemIndex, 1);
    QCOMPARE(rows.at(0).timesReceived, 1);
    QCOMPARE(rows.at(1).itemIndex, 0);
    QCOMPARE(rows.at(1).timesReceived, 2);
    QCOMPARE(rows.at(1).received, at(0));
    QCOMPARE(rows.at(1).lastReceived, at(600));
    QCOMPARE(rows.at(2).itemIndex, -1);
    QCOMPARE(rows.at(2).content, QByteArray());
    QCOMPARE(reader.quarantine(1).size(), 1);
    const TableCounts c = writer.stats().table(StoreTable::PushQuarantine);
    QCOMPARE(c.inserted, 3);
    QCOMPARE(c.updated, 1);
}

void TestPushStore::rowsWithoutIdentityAreRejected()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.deviceEvents = {DeviceEvent{QString(), QStringLiteral("LOGIN"), at(0), {}}, DeviceEvent{kA, QString(), at(0), {}},
                      DeviceEvent{kA, QStringLiteral("LOGIN"), {}, {}}};
    b.heartbeats = {heartbeat(QString(), 0, 1), Heartbeat{kA, {}, 1, {}, {}, {}, {}, {}, {}, {}}};
    b.statusFlags = {status(QString(), 0, 1), DeviceStatusFlags{kA, {}, 1}};
    FaultReport noCodes;
    noCodes.imei = kA;
    noCodes.reportTime = at(0);
    FaultReport noTime = noCodes;
    noTime.reportTime = {};
    noTime.codes = {QStringLiteral("P0301")};
    FaultReport emptyCode = noCodes;
    emptyCode.codes = {QString()};
    b.faultReports = {noCodes, noTime, emptyCode};
    b.fuelReadings.append(FuelReading{QString(), 0, at(0), 1.0, {}, {}, {}, {}});
    b.temperatureReadings.append(TemperatureReading{kA, {}, 1.0, {}, {}});
    b.lbsReadings = {LbsReading{kA, at(0), QString(), {}}, LbsReading{QString(), at(0), QStringLiteral("LBS"), {}}};
    ObdReading obd;
    obd.imei = kA;
    b.obdReadings.append(obd);
    PushedTrip backwards;
    backwards.imei = kA;
    backwards.start = at(100);
    backwards.end = at(50);
    b.pushedTrips = {backwards, PushedTrip()};
    MediaUpload m;
    m.imei = kA;
    b.mediaUploads.append(m);
    b.commandResponses = {response(kA, QString(), 100, 0), response(QString(), QStringLiteral("F"), 100, 0)};
    b.pushMessages = {PushMessage{QString(), kA, {}, at(0), QStringLiteral("{}")},
                      PushMessage{QStringLiteral("rfid"), kA, {}, {}, QStringLiteral("{}")}};
    b.quarantine = {PushQuarantineRecord{QString(), at(0), 0, QStringLiteral("x"), "x"},
                    PushQuarantineRecord{QStringLiteral("pushgps"), {}, 0, QStringLiteral("x"), "x"}};
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    for (const QString &t : kPushTables)
        QVERIFY2(count(raw, t) == 0, qPrintable(t));
    const StoreStats stats = writer.stats();
    QCOMPARE(stats.transactions, 1);
    QCOMPARE(stats.table(StoreTable::DeviceEvents).rejected, 3);
    QCOMPARE(stats.table(StoreTable::Heartbeats).rejected, 2);
    QCOMPARE(stats.table(StoreTable::DeviceState).rejected, 2);
    QCOMPARE(stats.table(StoreTable::FaultCodes).rejected, 3);
    QCOMPARE(stats.table(StoreTable::FuelReadings).rejected, 1);
    QCOMPARE(stats.table(StoreTable::TemperatureReadings).rejected, 1);
    QCOMPARE(stats.table(StoreTable::LbsReadings).rejected, 2);
    QCOMPARE(stats.table(StoreTable::ObdReadings).rejected, 1);
    QCOMPARE(stats.table(StoreTable::Trips).rejected, 2);
    QCOMPARE(stats.table(StoreTable::Media).rejected, 1);
    QCOMPARE(stats.table(StoreTable::Commands).rejected, 2);
    QCOMPARE(stats.table(StoreTable::PushMessages).rejected, 2);
    QCOMPARE(stats.table(StoreTable::PushQuarantine).rejected, 2);
}

void TestPushStore::sqlMetacharactersAreStoredVerbatim()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    const QString nasty = QStringLiteral("'); DROP TABLE devices; -- \"x\" %1 ? :imei \\ \u00e9");
    IngestBatch b;
    b.deviceEvents.append(DeviceEvent{kA, nasty, at(0), nasty});
    b.faultReports.append(FaultReport{kA, at(0), {nasty}, {}, {}, {}, {}, {}});
    b.lbsReadings.append(LbsReading{kA, at(0), nasty, nasty});
    b.pushMessages.append(PushMessage{nasty, nasty, nasty, at(0), nasty});
    b.commandResponses.append(response(kA, nasty, 100, 0));
    b.commandResponses.back().content = nasty;
    const QByteArray bytes = nasty.toUtf8() + QByteArray("\0\xff", 2);
    b.quarantine.append(PushQuarantineRecord{nasty, at(0), 0, nasty, bytes});
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());
    QVERIFY2(writer.stats().lastError.isEmpty(), qPrintable(writer.stats().lastError));

    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("devices")), 2); // kA, and the push message's "IMEI"
    QCOMPARE(raw.rows(QStringLiteral("SELECT event_type, device_timezone FROM device_events")),
             (QList<QVariantList>{{nasty, nasty}}));
    QCOMPARE(raw.value(QStringLiteral("SELECT fault_code FROM fault_codes")).toString(), nasty);
    QCOMPARE(raw.rows(QStringLiteral("SELECT post_type, lbs_json FROM lbs_readings")),
             (QList<QVariantList>{{nasty, nasty}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT endpoint, imei, kind, payload FROM push_messages")),
             (QList<QVariantList>{{nasty, nasty, nasty, nasty}}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT server_flag_id, reply_content FROM commands")),
             (QList<QVariantList>{{nasty, nasty}}));
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    QCOMPARE(reader.quarantine().at(0).content, bytes);
    QCOMPARE(reader.quarantine().at(0).reason, nasty);
}

void TestPushStore::commandResponseCompletesTheSentCommand()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    {
        // What the command dispatcher stores when the gateway takes a command.
        RawDb raw(m_path);
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO commands (imei, command_text, sent_time, sender, result_code, "
                                        "server_flag_id, state, updated_at) VALUES ('%1', 'RELAY,1#', %2, 'ops', "
                                        "300, 'F-7', 'accepted', %2)")
                             .arg(kA)
                             .arg(kT0)));
    }
    IngestBatch b;
    b.commandResponses.append(response(kA, QStringLiteral("F-7"), 100, 300));
    QVERIFY(writer.write(b));
    QVERIFY(writer.write(b)); // the cloud's retry
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    const QString sql = QStringLiteral("SELECT count(*), command_text, sent_time, sender, state, result_code, "
                                       "result_message, reply_content, reply_time, reply_msg_type, updated_at "
                                       "FROM commands");
    QCOMPARE(raw.rows(sql),
             (QList<QVariantList>{{1, QStringLiteral("RELAY,1#"), kT0, QStringLiteral("ops"),
                                   QStringLiteral("answered"), 100, QStringLiteral("code 100"),
                                   QStringLiteral("RELAY=1 OK"), kT0 + 300, 2, kT0 + 3600}}));
    QCOMPARE(writer.stats().table(StoreTable::Commands).updated, 1);
    QCOMPARE(writer.stats().table(StoreTable::Commands).duplicates, 1);

    // An answer without a code keeps the outcome already known.
    IngestBatch noCode;
    noCode.commandResponses.append(response(kA, QStringLiteral("F-7"), std::nullopt, 400));
    noCode.commandResponses.back().content = QStringLiteral("RELAY=1 DONE");
    QVERIFY(writer.write(noCode));
    QVERIFY(writer.flush());
    QCOMPARE(raw.rows(QStringLiteral("SELECT state, result_code, reply_content, reply_time FROM commands")),
             (QList<QVariantList>{{QStringLiteral("answered"), 100, QStringLiteral("RELAY=1 DONE"), kT0 + 400}}));
}

void TestPushStore::commandResponseForAnUnknownCommandAddsOne()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.commandResponses = {response(kA, QStringLiteral("W-1"), 300, 10), response(kA, QStringLiteral("W-2"), 600, 20),
                          response(kA, QStringLiteral("W-3"), std::nullopt, 30),
                          response(kB, QStringLiteral("W-1"), 200, 40)};
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, server_flag_id, state, result_code, command_text, sent_time, "
                                     "reply_time FROM commands ORDER BY imei, server_flag_id")),
             (QList<QVariantList>{
                 {kA, QStringLiteral("W-1"), QStringLiteral("offline"), 300, QVariant(), QVariant(), kT0 + 10},
                 {kA, QStringLiteral("W-2"), QStringLiteral("timed_out"), 600, QVariant(), QVariant(), kT0 + 20},
                 {kA, QStringLiteral("W-3"), QStringLiteral("unknown"), QVariant(), QVariant(), QVariant(), kT0 + 30},
                 {kB, QStringLiteral("W-1"), QStringLiteral("failed"), 200, QVariant(), QVariant(), kT0 + 40}}));
    QCOMPARE(count(raw, QStringLiteral("devices")), 2);

    // The offline command is delivered later (the cloud queued it after all):
    // the same row is now answered.
    IngestBatch later;
    later.commandResponses.append(response(kA, QStringLiteral("W-1"), 100, 500));
    QVERIFY(writer.write(later));
    QVERIFY(writer.flush());
    QCOMPARE(raw.rows(QStringLiteral("SELECT state, result_code, reply_time FROM commands WHERE imei = '%1' AND "
                                     "server_flag_id = 'W-1'")
                          .arg(kA)),
             (QList<QVariantList>{{QStringLiteral("answered"), 100, kT0 + 500}}));
    QCOMPARE(count(raw, QStringLiteral("commands")), 4);
}

void TestPushStore::pushedTripCompletesAPolledTrip()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch polled;
    Trip t = trip(kA, 100, 700, 5.4, 80.0);
    t.idleSeconds.reset();
    polled.addTrips({t}, ReportSource::Poll);
    QVERIFY(writer.write(polled));
    IngestBatch pushed = everyPushList();
    QVERIFY(writer.write(pushed));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    // The first report stays (source, distance); the push fills what it lacked.
    QCOMPARE(raw.rows(QStringLiteral("SELECT source, distance_km, max_speed_kmh, idle_time_s, fuel_l, trip_seq, "
                                     "start_lat FROM trips")),
             (QList<QVariantList>{{QStringLiteral("poll"), 5.4, 80.0, 45, 0.6, 17, 48.85}}));
    QCOMPARE(writer.stats().table(StoreTable::Trips).updated, 1);
}

void TestPushStore::changeNoticeCarriesPushDevicesAndSpan()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    IngestBatch b;
    b.heartbeats.append(heartbeat(kA, 500, 50));
    b.obdReadings.append(ObdReading{});
    b.obdReadings.back().imei = kB;
    b.obdReadings.back().eventTime = at(-100);
    b.pushMessages.append(
        PushMessage{QStringLiteral("pushresourcelist"), QString(), QString(), at(2000), QStringLiteral("{}")});
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());
    QCOMPARE(changed.count(), 1);
    const StoreChange c = changed.at(0).at(0).value<StoreChange>();
    QCOMPARE(c.imeis, (QSet<QString>{kA, kB}));
    QCOMPARE(c.earliest, at(-100));
    QCOMPARE(c.latest, at(2000));
    for (const StoreTable t : {StoreTable::Devices, StoreTable::DeviceState, StoreTable::Heartbeats,
                               StoreTable::ObdReadings, StoreTable::PushMessages})
        QVERIFY2(c.tables().contains(t), storeTableName(t).data());
    QCOMPARE(c.tables().size(), 5);
}

QTEST_GUILESS_MAIN(TestPushStore)
#include "tst_pushstore.moc"
