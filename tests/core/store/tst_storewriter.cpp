#include "store/storeconnection.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include "storetestdata.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

namespace {

const QString kA = QStringLiteral("860000000000101");
const QString kB = QStringLiteral("860000000000202");
const QString kC = QStringLiteral("860000000000303");

IngestBatch everything()
{
    IngestBatch b;
    b.groups.append(DeviceGroup{QStringLiteral("g1"), QStringLiteral("Vans")});
    Device d;
    d.imei = kA;
    d.name = QStringLiteral("VAN-101");
    d.model = QStringLiteral("VL802");
    d.groupId = QStringLiteral("g1");
    d.groupName = QStringLiteral("Vans");
    d.plate = QStringLiteral("AB-123-CD");
    d.activationTime = at(-86400);
    b.devices.append(d);
    b.deviceStates.append(sweep(kA, fix(kA, 0)));
    b.deviceStates.append(sweep(kB, std::nullopt));
    b.addPositions({fix(kA, 30, 48.851), fix(kA, 60, 48.852), fix(kB, 10, 45.0, 5.0)}, PositionSource::TrackList);
    b.addTrips({trip(kA, 0, 600, 4.2, 61.0)}, ReportSource::Poll);
    b.addAlarms({alarm(kA, QStringLiteral("3"), QStringLiteral("Vibration alert"), 90)}, ReportSource::Poll);
    b.stops.append(stop(kA, 600, 1200, 600));
    b.addWatermark(QStringLiteral("trail"), kA, at(60));
    return b;
}

qint64 count(const RawDb &raw, const QString &table)
{
    return raw.value(QStringLiteral("SELECT count(*) FROM %1").arg(table)).toLongLong();
}

} // namespace

class TestStoreWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void sameBatchTwiceAddsNothing();
    void sweepFixAndTrackListFixAreOneRow();
    void sweepFixAndTrackListFixInOneTransaction();
    void stateWithoutFixWritesNoPositionAndKeepsTheLastOne();
    void zeroZeroIsNeverStored();
    void manyDevicesRoundTrip_data();
    void manyDevicesRoundTrip();
    void bugColumnsHoldTheRightValues();
    void laterReportCompletesButNeverOverwrites();
    void devicesMissingFromTheSweepAreNotUpdated();
    void registryKeepsWhatALaterReportLacks();
    void unknownDeviceGetsARow();
    void changeNoticeCarriesDevicesAndSpan();
    void sweepNoticeNamesOnlyTheDevicesThatMoved();
    void duplicatesRaiseNoNotice();
    void flushFromTheMainThread();
    void noticeArrivesWithoutFlush();
    void writesFromManyThreads();
    void queuedBatchesShareTransactions();
    void watermarkCommitsWithItsData();
    void lockedDatabaseIsReportedAndRetried();
    void completionSaysCommittedOrHandedBack();
    void waitedBatchDoesNotWaitForCompany();
    void jumpsDoNotStarveTheRest();
    void idleWriterFoldsTheWalBack();
    void automaticRetryRecovers();
    void readOnlyConnectionHandsTheBatchBack();
    void readOnlyFileIsReported();
    void closeCommitsWhatIsQueued();

private:
    StoreWriter::Options options() const;
    bool openWriter(StoreWriter &writer, StoreWriter::Options o);
    bool openWriter(StoreWriter &writer) { return openWriter(writer, options()); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock{Utc::fromSecs(kT0 + 3600)};
};

void TestStoreWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("fleet.db"));
    m_clock.set(Utc::fromSecs(kT0 + 3600));
}

void TestStoreWriter::cleanup()
{
    m_dir.reset();
}

StoreWriter::Options TestStoreWriter::options() const
{
    StoreWriter::Options o;
    o.coalesceMs = 0;
    o.retryIntervalMs = 0;
    o.clock = const_cast<ManualClock *>(&m_clock);
    return o;
}

bool TestStoreWriter::openWriter(StoreWriter &writer, StoreWriter::Options o)
{
    if (writer.open(m_path, o))
        return true;
    qWarning() << writer.errorString();
    return false;
}

void TestStoreWriter::sameBatchTwiceAddsNothing()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    QVERIFY(writer.write(everything()));
    QVERIFY(writer.flush());
    QCOMPARE(changed.count(), 1);

    RawDb raw(m_path);
    const QStringList tables{QStringLiteral("devices"),        QStringLiteral("device_groups"),
                             QStringLiteral("device_state"),   QStringLiteral("position_history"),
                             QStringLiteral("trips"),          QStringLiteral("alarms"),
                             QStringLiteral("parking_idling"), QStringLiteral("sync_state")};
    QHash<QString, qint64> before;
    for (const QString &t : tables)
        before.insert(t, count(raw, t));
    QCOMPARE(before.value(QStringLiteral("position_history")), 4); // sweep fix + 3 track_list
    QCOMPARE(before.value(QStringLiteral("devices")), 2);

    m_clock.advanceSecs(60);
    QVERIFY(writer.write(everything()));
    QVERIFY(writer.flush());
    for (const QString &t : tables)
        QCOMPARE(count(raw, t), before.value(t));
    QCOMPARE(changed.count(), 1); // nothing changed: no notice
    const StoreStats stats = writer.stats();
    QCOMPARE(stats.table(StoreTable::PositionHistory).inserted, 4);
    QCOMPARE(stats.table(StoreTable::PositionHistory).duplicates, 4);
    QCOMPARE(stats.table(StoreTable::Trips).duplicates, 1);
    QCOMPARE(stats.table(StoreTable::Alarms).duplicates, 1);
    QCOMPARE(stats.table(StoreTable::ParkingIdling).duplicates, 1);
    QCOMPARE(stats.table(StoreTable::SyncState).duplicates, 1);
    QCOMPARE(stats.table(StoreTable::DeviceState).duplicates, 2);
    QCOMPARE(stats.transactions, 2);
    QCOMPARE(stats.pendingRows, 0);
    // updated_at did not move for rows that did not change.
    QCOMPARE(raw.value(QStringLiteral("SELECT updated_at FROM device_state WHERE imei = '%1'").arg(kA)).toLongLong(),
             kT0 + 3600);
}

void TestStoreWriter::sweepFixAndTrackListFixAreOneRow()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch sweepBatch;
    sweepBatch.deviceStates.append(sweep(kA, fix(kA, 0)));
    QVERIFY(writer.write(sweepBatch));
    QVERIFY(writer.flush());

    // POLL-01: the 35-minute track.list window overlaps what the sweep saw.
    Position again = fix(kA, 0);
    again.altitudeM = 35.0; // track.list has more to say, but it is the same fix
    IngestBatch trail;
    trail.addPositions({again, fix(kA, 30), fix(kA, 60)}, PositionSource::TrackList);
    QVERIFY(writer.write(trail));
    QVERIFY(writer.write(trail)); // the next 30-minute window overlaps too
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 3);
    const QList<QVariantList> rows = raw.rows(
        QStringLiteral("SELECT gps_time, source FROM position_history ORDER BY gps_time"));
    QCOMPARE(rows.at(0), (QVariantList{kT0, QStringLiteral("poll")}));
    QCOMPARE(rows.at(1), (QVariantList{kT0 + 30, QStringLiteral("track_list")}));
    QCOMPARE(rows.at(2), (QVariantList{kT0 + 60, QStringLiteral("track_list")}));
    QCOMPARE(writer.stats().table(StoreTable::PositionHistory).duplicates, 4);
}

void TestStoreWriter::sweepFixAndTrackListFixInOneTransaction()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.coalesceMs = 60000; // both batches wait for the flush, then share a transaction
    QVERIFY(openWriter(writer, o));
    IngestBatch trail;
    trail.addPositions({fix(kA, 0)}, PositionSource::TrackList);
    IngestBatch sweepBatch;
    sweepBatch.deviceStates.append(sweep(kA, fix(kA, 0)));
    QVERIFY(writer.write(trail));
    QVERIFY(writer.write(sweepBatch));
    QVERIFY(writer.flush());
    QCOMPARE(writer.stats().transactions, 1);
    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 1);
    // The first report queued is the one kept.
    QCOMPARE(raw.value(QStringLiteral("SELECT source FROM position_history")).toString(), QStringLiteral("track_list"));
}

void TestStoreWriter::stateWithoutFixWritesNoPositionAndKeepsTheLastOne()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch first;
    first.deviceStates.append(sweep(kA, fix(kA, 0, 48.9, 2.4), 5));
    QVERIFY(writer.write(first));
    QVERIFY(writer.flush());

    DeviceLocation noFix = sweep(kA, std::nullopt, 120);
    noFix.online = false;
    IngestBatch second;
    second.deviceStates.append(noFix);
    QVERIFY(writer.write(second));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 1);
    const QList<QVariantList> last = raw.rows(
        QStringLiteral("SELECT gps_time, lat, lng FROM position_history WHERE imei = '%1' ORDER BY gps_time DESC "
                       "LIMIT 1")
            .arg(kA));
    QCOMPARE(last.value(0), (QVariantList{kT0, 48.9, 2.4}));
    // The state itself did move on.
    QCOMPARE(raw.rows(QStringLiteral("SELECT online, heartbeat_time FROM device_state")).value(0),
             (QVariantList{0, kT0 + 120}));
}

void TestStoreWriter::zeroZeroIsNeverStored()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    IngestBatch b;
    b.deviceStates.append(sweep(kA, fix(kA, 0, 0.0, 0.0))); // expired devices report 0,0
    Position noTime = fix(kB, 0);
    noTime.gpsTime = QDateTime();
    Position outOfRange = fix(kB, 10, 91.0, 2.0);
    Position noImei = fix(QString(), 20);
    b.addPositions({fix(kB, 0, 0.0, 0.0), noTime, outOfRange, noImei, fix(kB, 30)}, PositionSource::Push);
    Trip t = trip(kB, 0, 60, 1.0, 30.0);
    t.startLat = 0.0;
    t.startLng = 0.0;
    b.addTrips({t}, ReportSource::Push);
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 1);
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM position_history WHERE lat = 0 AND lng = 0")).toInt(), 0);
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM device_state WHERE imei = '%1'").arg(kA)).toInt(), 1);
    QVERIFY(raw.value(QStringLiteral("SELECT start_lat FROM trips")).isNull());
    QCOMPARE(changed.count(), 1);
    const StoreChange c = changed.at(0).at(0).value<StoreChange>();
    QCOMPARE(c.count(StoreTable::PositionHistory).inserted, 1);
    QCOMPARE(c.count(StoreTable::PositionHistory).rejected, 5);
}

void TestStoreWriter::manyDevicesRoundTrip_data()
{
    QTest::addColumn<int>("perStatement");
    QTest::newRow("default") << StoreWriter::Options().positionsPerStatement;
    QTest::newRow("4 per statement") << 4;
    QTest::newRow("1 per statement") << 1;
}

// Every column of every row comes back as written, whatever path the
// multi-row statements take (devices with 1..7 fixes, more devices than
// slots, duplicates in between), and the counts add up.
void TestStoreWriter::manyDevicesRoundTrip()
{
    QFETCH(int, perStatement);
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.positionsPerStatement = perStatement;
    QVERIFY(openWriter(writer, o));
    QSignalSpy changed(&writer, &StoreWriter::changed);

    QList<Position> all;
    for (int d = 0; d < 100; ++d) {
        const QString imei = QStringLiteral("35%1").arg(d, 13, 10, QLatin1Char('0'));
        for (int i = 0; i < 1 + d % 7; ++i) {
            Position p = fix(imei, i * 30 + d, 40.0 + d * 0.01 + i * 0.0001, -3.0 - i * 0.0002);
            p.speedKmh = (d + i) % 3 == 0 ? std::optional<double>() : std::optional<double>(i * 1.5);
            p.courseDeg = double((d * 11 + i) % 360);
            p.acc = i % 2 == 0;
            p.satellites = (d + i) % 4 == 0 ? std::optional<int>() : std::optional<int>(4 + i);
            p.altitudeM = d % 5 == 0 ? std::optional<double>(100.0 + i) : std::optional<double>();
            p.confidence = d % 3 == 0 ? std::optional<int>(2) : std::optional<int>();
            p.reuploaded = d % 4 == 0 ? std::optional<bool>(i == 1) : std::optional<bool>();
            p.type = d % 2 ? PositionType::Gps : PositionType::Lbs;
            all.append(p);
        }
    }
    // Arrival order mixes devices; half of it is sent again later.
    std::sort(all.begin(), all.end(), [](const Position &a, const Position &b) { return a.gpsTime < b.gpsTime; });
    IngestBatch first;
    first.addPositions(all.mid(0, all.size() / 2), PositionSource::TrackList);
    QVERIFY(writer.write(first));
    QVERIFY(writer.flush());
    IngestBatch second;
    second.addPositions(all, PositionSource::Push);
    QVERIFY(writer.write(second));
    QVERIFY(writer.flush());

    const StoreStats stats = writer.stats();
    QCOMPARE(stats.table(StoreTable::PositionHistory).inserted, all.size());
    QCOMPARE(stats.table(StoreTable::PositionHistory).duplicates, all.size() / 2);
    QCOMPARE(changed.count(), 2);
    QSet<QString> secondHalf;
    for (qsizetype i = all.size() / 2; i < all.size(); ++i)
        secondHalf.insert(all.at(i).imei);
    // Exactly the devices with a new row, though most statements mixed new and old rows.
    QCOMPARE(changed.at(1).at(0).value<StoreChange>().imeis, secondHalf);

    RawDb raw(m_path);
    const QList<QVariantList> rows = raw.rows(QStringLiteral(
        "SELECT imei, gps_time, lat, lng, speed_kmh, direction_deg, acc, satellites, altitude_m, confidence, pos_type, "
        "reuploaded, source FROM position_history ORDER BY imei, gps_time"));
    QCOMPARE(rows.size(), all.size());
    QList<Position> expected = all;
    std::sort(expected.begin(), expected.end(), [](const Position &a, const Position &b) {
        return a.imei != b.imei ? a.imei < b.imei : a.gpsTime < b.gpsTime;
    });
    const auto opt = [](const auto &v) { return v ? QVariant(*v) : QVariant(); };
    const auto optFlag = [](const std::optional<bool> &v) { return v ? QVariant(*v ? 1 : 0) : QVariant(); };
    const auto key = [](const Position &p) {
        return p.imei + QLatin1Char('@') + QString::number(p.gpsTime.toSecsSinceEpoch());
    };
    QSet<QString> sentFirst; // these were stored from the first batch, as track_list
    for (qsizetype i = 0; i < all.size() / 2; ++i)
        sentFirst.insert(key(all.at(i)));
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const Position &p = expected.at(i);
        const bool early = sentFirst.contains(key(p));
        const QVariantList want{p.imei,
                                p.gpsTime.toSecsSinceEpoch(),
                                p.lat,
                                p.lng,
                                opt(p.speedKmh),
                                opt(p.courseDeg),
                                optFlag(p.acc),
                                p.satellites ? QVariant(qlonglong(*p.satellites)) : QVariant(),
                                opt(p.altitudeM),
                                p.confidence ? QVariant(qlonglong(*p.confidence)) : QVariant(),
                                positionTypeName(p.type),
                                optFlag(p.reuploaded),
                                early ? QStringLiteral("track_list") : QStringLiteral("push")};
        QVariantList got = rows.at(i);
        for (qsizetype c = 0; c < got.size(); ++c) {
            // Compare by value, not by the variant's integer width.
            const bool same = got.at(c).isNull() == want.at(c).isNull()
                && (got.at(c).isNull() || got.at(c).toString() == want.at(c).toString());
            if (!same) {
                qWarning() << "row" << i << "column" << c << got << want;
                QFAIL("stored row differs from what was written");
            }
        }
    }
}

void TestStoreWriter::bugColumnsHoldTheRightValues()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    // BUG-01: polling's alertTypeId / alarmTypeName / alertTime, as the parser
    // put them into the domain Alarm.
    Alarm a = alarm(kA, QStringLiteral("3"), QStringLiteral("Vibration alert"), 90);
    a.positionTime = at(85);
    a.lat = 48.8;
    a.lng = 2.3;
    a.speedKmh = 0.0;
    a.fenceId = QStringLiteral("geo-7");
    b.addAlarms({a}, ReportSource::Poll);
    // BUG-02 / BUG-03: kilometres as reported, maxSpeed kept.
    b.addTrips({trip(kA, 0, 1800, 12.345, 87.0)}, ReportSource::Poll);
    // POLL-02: durSecond is the duration; stopSecond absent.
    StopPeriod s = stop(kA, 2000, 2600, 600);
    s.stopSeconds.reset();
    b.stops.append(s);
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    QCOMPARE(raw.rows(QStringLiteral("SELECT alarm_type, alarm_name, alarm_time, typeof(alarm_time), position_time, "
                                     "fence_id, source FROM alarms"))
                 .value(0),
             (QVariantList{QStringLiteral("3"), QStringLiteral("Vibration alert"), kT0 + 90, QStringLiteral("integer"),
                           kT0 + 85, QStringLiteral("geo-7"), QStringLiteral("poll")}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT distance_km, max_speed_kmh, avg_speed_kmh, run_time_s, start_time, "
                                     "end_time FROM trips"))
                 .value(0),
             (QVariantList{12.345, 87.0, 35.5, 1800, kT0, kT0 + 1800}));
    QCOMPARE(raw.rows(QStringLiteral("SELECT duration_s, stop_s, acc_on, start_time, end_time FROM parking_idling"))
                 .value(0),
             (QVariantList{600, QVariant(), 0, kT0 + 2000, kT0 + 2600}));
    // Timestamps are Unix seconds UTC.
    QCOMPARE(raw.value(QStringLiteral("SELECT datetime(alarm_time, 'unixepoch') FROM alarms")).toString(),
             at(90).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
}

void TestStoreWriter::laterReportCompletesButNeverOverwrites()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    // The push arrives first, without a position; the poll later has one.
    Alarm pushed = alarm(kA, QStringLiteral("ACC_ON"), QStringLiteral("ACC on"), 100);
    IngestBatch first;
    first.addAlarms({pushed}, ReportSource::Push);
    QVERIFY(writer.write(first));
    QVERIFY(writer.flush());

    Alarm polled = pushed;
    polled.typeName = QStringLiteral("Ignition on");
    polled.lat = 48.8;
    polled.lng = 2.3;
    IngestBatch second;
    second.addAlarms({polled}, ReportSource::Poll);
    QVERIFY(writer.write(second));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("alarms")), 1);
    QCOMPARE(raw.rows(QStringLiteral("SELECT alarm_name, lat, lng, source FROM alarms")).value(0),
             (QVariantList{QStringLiteral("ACC on"), 48.8, 2.3, QStringLiteral("push")}));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).value<StoreChange>().count(StoreTable::Alarms).updated, 1);
}

void TestStoreWriter::devicesMissingFromTheSweepAreNotUpdated()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch first;
    first.deviceStates.append(sweep(kA, fix(kA, 0), 0));
    first.deviceStates.append(sweep(kB, fix(kB, 0, 45.0, 5.0), 0));
    QVERIFY(writer.write(first));
    QVERIFY(writer.flush());
    RawDb raw(m_path);
    const QString stateOfB = QStringLiteral("SELECT * FROM device_state WHERE imei = '%1'").arg(kB);
    const QList<QVariantList> bBefore = raw.rows(stateOfB);

    m_clock.advanceSecs(60);
    IngestBatch second; // location.list silently omitted B
    second.deviceStates.append(sweep(kA, fix(kA, 60), 60));
    QVERIFY(writer.write(second));
    QVERIFY(writer.flush());

    QCOMPARE(raw.rows(stateOfB), bBefore);
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM position_history WHERE imei = '%1'").arg(kB)).toInt(), 1);
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM position_history WHERE imei = '%1'").arg(kA)).toInt(), 2);
}

void TestStoreWriter::registryKeepsWhatALaterReportLacks()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch first = everything();
    QVERIFY(writer.write(first));
    QVERIFY(writer.flush());

    // device.list again, without the plate; location.list with a new name.
    Device d = first.devices.constFirst();
    d.plate.clear();
    d.driverName = QStringLiteral("Ana");
    IngestBatch second;
    second.devices.append(d);
    DeviceLocation renamed = sweep(kA, std::nullopt);
    renamed.name = QStringLiteral("VAN-101 (spare)");
    second.deviceStates.append(renamed);
    QVERIFY(writer.write(second));
    QVERIFY(writer.flush());

    RawDb raw(m_path);
    QCOMPARE(raw.rows(QStringLiteral("SELECT device_name, vehicle_number, driver_name, group_id, activation_time "
                                     "FROM devices WHERE imei = '%1'")
                          .arg(kA))
                 .value(0),
             (QVariantList{QStringLiteral("VAN-101 (spare)"), QStringLiteral("AB-123-CD"), QStringLiteral("Ana"),
                           QStringLiteral("g1"), kT0 - 86400}));
}

void TestStoreWriter::unknownDeviceGetsARow()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.addPositions({fix(kC, 0), fix(kC, 30)}, PositionSource::Push);
    b.addAlarms({alarm(kB, QStringLiteral("1"), QStringLiteral("SOS"), 5)}, ReportSource::Push);
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());
    RawDb raw(m_path);
    QCOMPARE(raw.rows(QStringLiteral("SELECT imei, device_name, first_seen_at FROM devices ORDER BY imei")),
             (QList<QVariantList>{{kB, QVariant(), kT0 + 3600}, {kC, QVariant(), kT0 + 3600}}));
    QCOMPARE(writer.stats().table(StoreTable::Devices).inserted, 2);
}

void TestStoreWriter::changeNoticeCarriesDevicesAndSpan()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    IngestBatch b;
    b.addPositions({fix(kA, 10), fix(kA, 20), fix(kA, 30), fix(kB, 40)}, PositionSource::TrackList);
    b.addAlarms({alarm(kC, QStringLiteral("2"), QStringLiteral("Power cut"), 50)}, ReportSource::Push);
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());
    QCOMPARE(changed.count(), 1);
    StoreChange c = changed.at(0).at(0).value<StoreChange>();
    QCOMPARE(c.imeis, (QSet<QString>{kA, kB, kC}));
    QCOMPARE(c.earliest, at(10));
    QCOMPARE(c.latest, at(50));
    QCOMPARE(c.tables(), (QList<StoreTable>{StoreTable::Devices, StoreTable::PositionHistory, StoreTable::Alarms}));
    QCOMPARE(c.count(StoreTable::PositionHistory).inserted, 4);
    QVERIFY(c.earliest.timeSpec() == Qt::UTC);

    // Overlap: only A's new fix is news.
    IngestBatch overlap;
    overlap.addPositions({fix(kA, 20), fix(kA, 30), fix(kB, 40), fix(kA, 70)}, PositionSource::TrackList);
    QVERIFY(writer.write(overlap));
    QVERIFY(writer.flush());
    QCOMPARE(changed.count(), 2);
    c = changed.at(1).at(0).value<StoreChange>();
    QCOMPARE(c.imeis, QSet<QString>{kA});
    QCOMPARE(c.earliest, at(70));
    QCOMPARE(c.latest, at(70));
    QCOMPARE(c.count(StoreTable::PositionHistory).inserted, 1);
    QCOMPARE(c.count(StoreTable::PositionHistory).duplicates, 3);
    QCOMPARE(c.tables(), QList<StoreTable>{StoreTable::PositionHistory});
}

void TestStoreWriter::sweepNoticeNamesOnlyTheDevicesThatMoved()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    const auto imei = [](int d) { return QStringLiteral("35%1").arg(d, 13, 10, QLatin1Char('0')); };
    IngestBatch first;
    for (int d = 0; d < 200; ++d)
        first.deviceStates.append(sweep(imei(d), fix(imei(d), d, 45.0 + d * 0.001, 5.0)));
    QVERIFY(writer.write(first));
    QVERIFY(writer.flush());

    // A minute later most of the fleet is still parked on the same fix.
    IngestBatch second;
    QSet<QString> moved;
    for (int d = 0; d < 200; ++d) {
        const bool moves = d % 23 == 0;
        if (moves)
            moved.insert(imei(d));
        second.deviceStates.append(
            sweep(imei(d), fix(imei(d), moves ? 60 + d : d, 45.0 + d * 0.001 + (moves ? 0.01 : 0.0), 5.0)));
    }
    QVERIFY(writer.write(second));
    QVERIFY(writer.flush());
    QCOMPARE(changed.count(), 2);
    const StoreChange c = changed.at(1).at(0).value<StoreChange>();
    QCOMPARE(c.imeis, moved);
    QCOMPARE(c.count(StoreTable::PositionHistory).inserted, moved.size());
    QCOMPARE(c.count(StoreTable::PositionHistory).duplicates, 200 - moved.size());
    QCOMPARE(c.earliest, at(60));
    QCOMPARE(c.latest, at(60 + 184));
}

void TestStoreWriter::duplicatesRaiseNoNotice()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    IngestBatch b;
    b.addPositions({fix(kA, 10)}, PositionSource::Push);
    for (int i = 0; i < 3; ++i) {
        QVERIFY(writer.write(b));
        QVERIFY(writer.flush());
    }
    QCOMPARE(changed.count(), 1);
    QCOMPARE(writer.stats().duplicates(), 2);
}

void TestStoreWriter::flushFromTheMainThread()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.coalesceMs = 60000; // the flush must not wait for the coalescing window
    QVERIFY(openWriter(writer, o));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(writer.write(everything()));
    QVERIFY(writer.flush());
    QVERIFY(timer.elapsed() < 30000);
    QCOMPARE(changed.count(), 1); // delivered before flush() returned
    QCOMPARE(writer.stats().pendingBatches, 0);
    QVERIFY(writer.flush()); // nothing queued: returns at once
    QCOMPARE(changed.count(), 1);
}

void TestStoreWriter::noticeArrivesWithoutFlush()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.coalesceMs = 20;
    QVERIFY(openWriter(writer, o));
    QSignalSpy changed(&writer, &StoreWriter::changed);
    IngestBatch b;
    b.addPositions({fix(kA, 10)}, PositionSource::Push);
    QVERIFY(writer.write(b));
    QVERIFY(changed.wait(10000));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<StoreChange>().imeis, QSet<QString>{kA});
}

void TestStoreWriter::writesFromManyThreads()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.coalesceMs = 5;
    QVERIFY(openWriter(writer, o));
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back(QThread::create([&writer, t] {
            const QString imei = QStringLiteral("8600000000%1").arg(t, 5, 10, QLatin1Char('0'));
            for (int b = 0; b < 50; ++b) {
                IngestBatch batch;
                QList<Position> list;
                for (int i = 0; i < 100; ++i)
                    list.append(fix(imei, b * 100 + i));
                batch.addPositions(list, PositionSource::Push);
                writer.write(batch);
            }
        }));
        threads.back()->start();
    }
    for (auto &t : threads)
        QVERIFY(t->wait(60000));
    QVERIFY(writer.flush());
    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 20000);
    QCOMPARE(writer.stats().batches, 200);
}

void TestStoreWriter::queuedBatchesShareTransactions()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.coalesceMs = 60000;
    o.maxTransactionRows = 250;
    QVERIFY(openWriter(writer, o));
    for (int b = 0; b < 10; ++b) {
        IngestBatch batch;
        QList<Position> list;
        for (int i = 0; i < 100; ++i)
            list.append(fix(kA, b * 100 + i));
        batch.addPositions(list, PositionSource::TrackList);
        QVERIFY(writer.write(batch));
    }
    QVERIFY(writer.flush());
    QCOMPARE(writer.stats().batches, 10);
    QCOMPARE(writer.stats().transactions, 5); // two batches of 100 fit in 250 rows, three do not

    // A batch above the limit is never split.
    IngestBatch big;
    QList<Position> list;
    for (int i = 0; i < 600; ++i)
        list.append(fix(kB, i));
    big.addPositions(list, PositionSource::TrackList);
    QVERIFY(writer.write(big));
    QVERIFY(writer.flush());
    QCOMPARE(writer.stats().transactions, 6);
    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 1600);
}

void TestStoreWriter::watermarkCommitsWithItsData()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.addPositions({fix(kA, 10)}, PositionSource::TrackList);
    b.addWatermark(QStringLiteral("trail"), kA, at(1800));
    b.addWatermark(QStringLiteral("alarms"), QString(), at(900));
    QVERIFY(writer.write(b));
    IngestBatch later;
    later.addWatermark(QStringLiteral("trail"), kA, at(3600));
    QVERIFY(writer.write(later));
    QVERIFY(writer.flush());
    RawDb raw(m_path);
    QCOMPARE(raw.rows(QStringLiteral("SELECT job, imei, watermark_time FROM sync_state ORDER BY job")),
             (QList<QVariantList>{{QStringLiteral("alarms"), QString(), kT0 + 900},
                                  {QStringLiteral("trail"), kA, kT0 + 3600}}));
}

void TestStoreWriter::lockedDatabaseIsReportedAndRetried()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.busyTimeoutMs = 50;
    QVERIFY(openWriter(writer, o));
    QSignalSpy failed(&writer, &StoreWriter::writeFailed);
    QSignalSpy recovered(&writer, &StoreWriter::writeRecovered);
    QSignalSpy changed(&writer, &StoreWriter::changed);

    // Another process holds the write lock.
    auto other = std::make_unique<RawDb>(m_path, QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
    QVERIFY(other->exec(QStringLiteral("BEGIN IMMEDIATE")));

    const IngestBatch batch = everything();
    QVERIFY(writer.write(batch));
    QVERIFY(failed.wait(10000));
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(QStringLiteral("locked")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("3 positions")), qPrintable(message));
    QVERIFY(!writer.flush(1000)); // paused: does not block
    StoreStats stats = writer.stats();
    QVERIFY(stats.paused);
    QCOMPARE(stats.pendingRows, batch.rowCount());
    QCOMPARE(stats.failedTransactions, 1);
    QCOMPARE(changed.count(), 0);

    // Nothing of it reached the database, the watermark included.
    QVERIFY(other->exec(QStringLiteral("ROLLBACK")));
    QCOMPARE(count(*other, QStringLiteral("position_history")), 0);
    QCOMPARE(count(*other, QStringLiteral("sync_state")), 0);
    other.reset();

    writer.retry();
    QVERIFY(recovered.wait(10000));
    QVERIFY(writer.flush());
    QCOMPARE(changed.count(), 1);
    stats = writer.stats();
    QVERIFY(!stats.paused);
    QCOMPARE(stats.pendingRows, 0);
    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 4);
    QCOMPARE(count(raw, QStringLiteral("sync_state")), 1);
}

void TestStoreWriter::completionSaysCommittedOrHandedBack()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.busyTimeoutMs = 20;
    o.retryIntervalMs = 0;
    QVERIFY(openWriter(writer, o));
    QList<int> done; // 1 committed, 0 not
    IngestBatch b;
    b.addPositions({fix(kA, 10)}, PositionSource::Push);
    QVERIFY(writer.write(b, [&done](bool ok) { done.append(ok ? 1 : 0); }));
    QTRY_COMPARE(done, QList<int>{1});
    QVERIFY(writer.write(IngestBatch(), [&done](bool ok) { done.append(ok ? 1 : 0); })); // empty: at once
    QTRY_COMPARE(done, (QList<int>{1, 1}));

    // A batch that fails and is handed back will never commit: false.
    QSignalSpy failed(&writer, &StoreWriter::writeFailed);
    auto other = std::make_unique<RawDb>(m_path, QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
    QVERIFY(other->exec(QStringLiteral("BEGIN IMMEDIATE")));
    IngestBatch c;
    c.addPositions({fix(kB, 20)}, PositionSource::Push);
    QVERIFY(writer.write(c, [&done](bool ok) { done.append(ok ? 1 : 0); }));
    QVERIFY(failed.wait(10000));
    QCOMPARE(done.size(), 2); // held, not yet decided
    QCOMPARE(writer.takeFailedBatches().size(), 1);
    QCOMPARE(done, (QList<int>{1, 1, 0}));

    // Closing with a held batch: false too.
    QVERIFY(writer.write(c, [&done](bool ok) { done.append(ok ? 1 : 0); }));
    QVERIFY(failed.wait(10000));
    writer.close();
    QCOMPARE(done, (QList<int>{1, 1, 0, 0}));
    QVERIFY(other->exec(QStringLiteral("ROLLBACK")));
}

void TestStoreWriter::waitedBatchDoesNotWaitForCompany()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.coalesceMs = 5000; // a plain batch waits this long
    QVERIFY(openWriter(writer, o));
    IngestBatch data;
    data.addPositions({fix(kA, 10)}, PositionSource::Push);
    bool dataCommitted = false;
    QVERIFY(writer.write(data, [&dataCommitted](bool ok) { dataCommitted = ok; }));
    IngestBatch inbox;
    inbox.quarantine.append(
        PushQuarantineRecord{QStringLiteral("pushgps"), at(0), 1, QStringLiteral("unreadable"), "x"});
    bool inboxCommitted = false;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(writer.write(
        inbox, [&inboxCommitted](bool ok) { inboxCommitted = ok; }, true));
    // The quarantine row jumps ahead of the data that waits for company...
    QTRY_VERIFY_WITH_TIMEOUT(inboxCommitted, 4000);
    QVERIFY(timer.elapsed() < 4000);
    QVERIFY(!dataCommitted);
    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("push_quarantine")), 1);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 0);
    // ... and flush() still waits for the data queued before it.
    QVERIFY(writer.flush());
    QVERIFY(dataCommitted);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 1);
}

void TestStoreWriter::jumpsDoNotStarveTheRest()
{
    // A steady stream of jumping batches must not keep due data out.
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.coalesceMs = 20;
    QVERIFY(openWriter(writer, o));
    IngestBatch data;
    data.addPositions({fix(kA, 10)}, PositionSource::Push);
    bool dataCommitted = false;
    QVERIFY(writer.write(data, [&dataCommitted](bool ok) { dataCommitted = ok; }));
    int jumps = 0;
    QElapsedTimer timer;
    timer.start();
    while (!dataCommitted && timer.elapsed() < 3000) {
        IngestBatch inbox;
        inbox.quarantine.append(
            PushQuarantineRecord{QStringLiteral("pushgps"), at(0), ++jumps, QStringLiteral("x"), "x"});
        QVERIFY(writer.write(
            inbox, [](bool) {}, true));
        QTest::qWait(1);
    }
    QVERIFY2(dataCommitted, "the data waited behind the jumping batches");
    QVERIFY(timer.elapsed() < 1000);
    QVERIFY(writer.flush());
    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("push_quarantine")), jumps);
}

void TestStoreWriter::idleWriterFoldsTheWalBack()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.idleCheckpointPages = 1;
    o.idleCheckpointQuietMs = 100;
    QVERIFY(openWriter(writer, o));
    const qint64 before = QFileInfo(m_path).size();
    IngestBatch b;
    QList<Position> fixes;
    for (int i = 0; i < 2000; ++i)
        fixes.append(fix(kA, i * 10));
    b.addPositions(fixes, PositionSource::Push);
    QVERIFY(writer.write(b));
    QVERIFY(writer.flush());
    // The commit sits in the WAL; a quiet moment later it is in the file.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_path).size() > before + 50 * 1024, 5000);
}

void TestStoreWriter::automaticRetryRecovers()
{
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.busyTimeoutMs = 20;
    o.retryIntervalMs = 100;
    QVERIFY(openWriter(writer, o));
    QSignalSpy failed(&writer, &StoreWriter::writeFailed);
    QSignalSpy recovered(&writer, &StoreWriter::writeRecovered);
    auto other = std::make_unique<RawDb>(m_path, QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
    QVERIFY(other->exec(QStringLiteral("BEGIN IMMEDIATE")));
    IngestBatch b;
    b.addPositions({fix(kA, 10)}, PositionSource::Push);
    QVERIFY(writer.write(b));
    QVERIFY(failed.wait(10000));
    QVERIFY(other->exec(QStringLiteral("ROLLBACK")));
    other.reset();
    QVERIFY(recovered.wait(10000));
    QVERIFY(writer.flush());
    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 1);
}

void TestStoreWriter::readOnlyConnectionHandsTheBatchBack()
{
    {
        StoreWriter creator;
        QVERIFY(openWriter(creator));
    }
    StoreWriter writer;
    StoreWriter::Options o = options();
    o.extraConnectOptions = QStringLiteral("QSQLITE_OPEN_READONLY");
    QVERIFY(openWriter(writer, o));
    QSignalSpy failed(&writer, &StoreWriter::writeFailed);

    const IngestBatch first = everything();
    IngestBatch second;
    second.addPositions({fix(kC, 5)}, PositionSource::Push);
    QVERIFY(writer.write(first));
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("readonly")),
             qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(writer.write(second)); // queued behind the held one
    QVERIFY(!writer.flush(500));

    // The caller takes exactly what failed, and owns it now.
    const QList<IngestBatch> back = writer.takeFailedBatches();
    QCOMPARE(back.size(), 1);
    QVERIFY(back.constFirst() == first);
    // The next one fails the same way and is held in turn.
    QTRY_COMPARE(failed.count(), 2);
    const QList<IngestBatch> next = writer.takeFailedBatches();
    QCOMPARE(next.size(), 1);
    QVERIFY(next.constFirst() == second);
    QVERIFY(writer.takeFailedBatches().isEmpty()); // nothing is held any more
    QVERIFY(writer.flush()); // nothing left
    QCOMPARE(writer.stats().pendingRows, 0);

    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 0);
}

void TestStoreWriter::readOnlyFileIsReported()
{
    {
        StoreWriter creator;
        QVERIFY(openWriter(creator));
    }
    QVERIFY(QFile::setPermissions(m_path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    {
        QFile probe(m_path);
        if (probe.open(QIODevice::ReadWrite)) {
            QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
            QSKIP("file permissions are not enforced for this user (root)");
        }
    }
    StoreWriter writer;
    if (writer.open(m_path, options())) {
        QSignalSpy failed(&writer, &StoreWriter::writeFailed);
        QVERIFY(writer.write(everything()));
        QVERIFY(failed.wait(10000));
        QVERIFY(writer.stats().paused);
        QCOMPARE(writer.takeFailedBatches().size(), 1);
    } else {
        QVERIFY(!writer.errorString().isEmpty()); // refused at open, also reported
    }
    QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
}

void TestStoreWriter::closeCommitsWhatIsQueued()
{
    {
        StoreWriter writer;
        StoreWriter::Options o = options();
        o.coalesceMs = 60000;
        QVERIFY(openWriter(writer, o));
        QVERIFY(writer.write(everything()));
    } // destroyed without a flush
    RawDb raw(m_path);
    QCOMPARE(count(raw, QStringLiteral("position_history")), 4);
    QCOMPARE(count(raw, QStringLiteral("alarms")), 1);
}

QTEST_GUILESS_MAIN(TestStoreWriter)
#include "tst_storewriter.moc"
