#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include "storetestdata.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

namespace {

const QString kA = QStringLiteral("860000000000101");
const QString kB = QStringLiteral("860000000000202");
const QString kC = QStringLiteral("860000000000303");

} // namespace

namespace {

// An alarm with every detail a push can carry.
Alarm detailedAlarm()
{
    Alarm a = alarm(kC, QStringLiteral("2"), QStringLiteral("Power cut"), 500);
    a.deviceName = QStringLiteral("JC450-103");
    a.model = QStringLiteral("JC450");
    a.positionTime = at(498);
    a.lat = 45.0;
    a.lng = 5.0;
    a.speedKmh = 12.0;
    a.account = QStringLiteral("fleetco");
    a.serialNo = 25075;
    a.driverName = QStringLiteral("S. Lee");
    a.driverId = QStringLiteral("04sl");
    a.mediaFile = QStringLiteral("EVENT_864993060084267_00000000_2024_11_21_17_26_12_I_102.ts");
    a.value = QStringLiteral("1");
    return a;
}

} // namespace

class TestStoreReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void refusesWhatItCannotRead();
    void deviceListAndGroups();
    void latestPositionPerDevice();
    void deviceStatesCarryTheLastFix();
    void positionsInARange();
    void tripsAlarmsAndStopsInARange();
    void manyDevicesInOneQuery();
    void watermarks();
    void trackCoverageMergesSpans();
    void rowCountsCoverEveryTable();
    void seesNewCommitsAndCannotWrite();

private:
    QTemporaryDir m_dir;
    QString m_path;
    ManualClock m_clock{Utc::fromSecs(kT0 + 7200)};
    StoreWriter m_writer;
};

void TestStoreReader::initTestCase()
{
    m_path = m_dir.filePath(QStringLiteral("fleet.db"));
    StoreWriter::Options o;
    o.clock = &m_clock;
    o.coalesceMs = 0;
    QVERIFY2(m_writer.open(m_path, o), qPrintable(m_writer.errorString()));

    IngestBatch b;
    b.groups = {DeviceGroup{QStringLiteral("g1"), QStringLiteral("Vans")},
                DeviceGroup{QStringLiteral("g2"), QStringLiteral("Trucks")}};
    Device a;
    a.imei = kA;
    a.name = QStringLiteral("VAN-101");
    a.groupId = QStringLiteral("g1");
    a.enabled = true;
    a.odometerKm = 1500.25;
    a.expiration = at(86400 * 365);
    b.devices.append(a);
    // A: a sweep fix, then a trail; B: a sweep without fix; C: pushes only.
    b.deviceStates.append(sweep(kA, fix(kA, 0, 48.80, 2.30), 10));
    b.deviceStates.append(sweep(kB, std::nullopt, 20));
    QList<Position> trail;
    for (int i = 1; i <= 10; ++i)
        trail.append(fix(kA, i * 60, 48.80 + i * 0.001, 2.30));
    b.addPositions(trail, PositionSource::TrackList);
    b.addPositions({fix(kC, 100, 45.0, 5.0), fix(kC, 50, 44.9, 5.0)}, PositionSource::Push);
    b.addTrips({trip(kA, 0, 600, 4.2, 61.0), trip(kA, 3600, 4200, 3.0, 55.0), trip(kC, 7200, 7800, 8.0, 90.0)},
               ReportSource::Poll);
    b.addAlarms({alarm(kA, QStringLiteral("3"), QStringLiteral("Vibration alert"), 90),
                 alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 4000), detailedAlarm()},
                ReportSource::Poll);
    b.stops = {stop(kA, 600, 3600, 3000), stop(kC, 100, 7200, 7100)};
    b.addWatermark(QStringLiteral("trail"), kA, at(600));
    b.addWatermark(QStringLiteral("sweep"), QString(), at(20));
    QVERIFY(m_writer.write(b));
    QVERIFY(m_writer.flush());
}

void TestStoreReader::cleanupTestCase()
{
    m_writer.close();
}

void TestStoreReader::refusesWhatItCannotRead()
{
    StoreReader missing;
    QVERIFY(!missing.open(m_dir.filePath(QStringLiteral("nothing.db"))));
    QVERIFY(!missing.errorString().isEmpty());
    QVERIFY(missing.devices().isEmpty());
    QVERIFY(!missing.errorString().isEmpty());

    const QString future = m_dir.filePath(QStringLiteral("future.db"));
    {
        RawDb raw(future);
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 42")));
    }
    StoreReader reader;
    QVERIFY(!reader.open(future));
    QVERIFY2(reader.errorString().contains(StoreSchema::newerSchemaMessage(42, StoreSchema::latestVersion())),
             qPrintable(reader.errorString()));
}

void TestStoreReader::deviceListAndGroups()
{
    StoreReader reader;
    QVERIFY2(reader.open(m_path), qPrintable(reader.errorString()));
    const QList<Device> devices = reader.devices();
    QCOMPARE(devices.size(), 3);
    QCOMPARE(devices.at(0).imei, kA);
    QCOMPARE(devices.at(0).name, QStringLiteral("VAN-101"));
    QCOMPARE(devices.at(0).model, QStringLiteral("VL802")); // from the sweep
    QCOMPARE(devices.at(0).enabled, std::optional<bool>(true));
    QCOMPARE(devices.at(0).odometerKm, std::optional<double>(1500.25));
    QCOMPARE(devices.at(0).expiration, at(86400 * 365));
    QCOMPARE(devices.at(2).imei, kC); // known from pushes only
    QVERIFY(devices.at(2).name.isEmpty());
    QCOMPARE(reader.groups(),
             (QList<DeviceGroup>{DeviceGroup{QStringLiteral("g1"), QStringLiteral("Vans")},
                                 DeviceGroup{QStringLiteral("g2"), QStringLiteral("Trucks")}}));
}

void TestStoreReader::latestPositionPerDevice()
{
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    const QList<Position> latest = reader.latestPositions();
    QCOMPARE(latest.size(), 2); // B has never had a fix
    QCOMPARE(latest.at(0), fix(kA, 600, 48.80 + 10 * 0.001, 2.30));
    QCOMPARE(latest.at(1), fix(kC, 100, 45.0, 5.0)); // newest by GPS time, not by arrival
    QCOMPARE(reader.latestPositions({kC}), QList<Position>{fix(kC, 100, 45.0, 5.0)});
    QVERIFY(reader.latestPositions({kB}).isEmpty());
}

void TestStoreReader::deviceStatesCarryTheLastFix()
{
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    const QList<DeviceLocation> states = reader.deviceStates({kA, kB});
    QCOMPARE(states.size(), 2);
    DeviceLocation expectedA = sweep(kA, fix(kA, 600, 48.80 + 10 * 0.001, 2.30), 10);
    expectedA.name = QStringLiteral("VAN-101");
    QCOMPARE(states.at(0), expectedA);
    QCOMPARE(states.at(1), sweep(kB, std::nullopt, 20));
}

void TestStoreReader::positionsInARange()
{
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    const QList<StoredPosition> all = reader.positions(kA, QDateTime(), QDateTime());
    QCOMPARE(all.size(), 11);
    QCOMPARE(all.first().source, PositionSource::Poll);
    QCOMPARE(all.last().source, PositionSource::TrackList);
    QCOMPARE(all.first().receivedAt, at(7200));
    for (qsizetype i = 1; i < all.size(); ++i)
        QVERIFY(all.at(i - 1).position.gpsTime < all.at(i).position.gpsTime);

    const QList<StoredPosition> range = reader.positions(kA, at(120), at(300)); // closed range
    QCOMPARE(range.size(), 4);
    QCOMPARE(range.first().position.gpsTime, at(120));
    QCOMPARE(range.last().position.gpsTime, at(300));
    QCOMPARE(reader.positions(kA, at(120), at(600), 2).size(), 2);
    QVERIFY(reader.positions(kB, QDateTime(), QDateTime()).isEmpty());
}

void TestStoreReader::tripsAlarmsAndStopsInARange()
{
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    // Overlap: the first trip (0..600) touches [500, 3700], and so does the second (3600..4200).
    const QList<Trip> trips = reader.trips({kA}, at(500), at(3700));
    QCOMPARE(trips.size(), 2);
    QCOMPARE(trips.at(0), trip(kA, 0, 600, 4.2, 61.0));
    QCOMPARE(reader.trips({}, QDateTime(), QDateTime()).size(), 3);
    QCOMPARE(reader.trips({kA}, at(601), at(3599)).size(), 0);

    const QList<Alarm> alarms = reader.alarms({}, at(0), at(1000));
    QCOMPARE(alarms.size(), 2);
    QCOMPARE(alarms.at(0), alarm(kA, QStringLiteral("3"), QStringLiteral("Vibration alert"), 90));
    QCOMPARE(alarms.at(1), detailedAlarm()); // every detail comes back
    QCOMPARE(reader.alarms({kA}, QDateTime(), QDateTime()).size(), 2);
    QCOMPARE(reader.alarms({}, QDateTime(), QDateTime(), 1).size(), 1);

    const QList<StopPeriod> stops = reader.stops({kA, kC}, at(3000), at(3000));
    QCOMPARE(stops.size(), 2);
    QCOMPARE(stops.at(0), stop(kC, 100, 7200, 7100));
    QCOMPARE(stops.at(1), stop(kA, 600, 3600, 3000));
}

void TestStoreReader::manyDevicesInOneQuery()
{
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    QStringList imeis;
    for (int i = 0; i < 5000; ++i)
        imeis.append(QStringLiteral("35%1").arg(i, 13, 10, QLatin1Char('0')));
    imeis.append(kC);
    QCOMPARE(reader.latestPositions(imeis).size(), 1);
    QCOMPARE(reader.alarms(imeis, QDateTime(), QDateTime()).size(), 1);
}

void TestStoreReader::watermarks()
{
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    QCOMPARE(reader.watermark(QStringLiteral("trail"), kA), at(600));
    QCOMPARE(reader.watermark(QStringLiteral("sweep")), at(20));
    QVERIFY(!reader.watermark(QStringLiteral("trail"), kB).isValid());
    QVERIFY(!reader.watermark(QStringLiteral("nothing")).isValid());
}

void TestStoreReader::trackCoverageMergesSpans()
{
    // What each write did to track_coverage: the writer's totals before and after.
    const auto cover = [&](std::initializer_list<TrackCoverage> spans) {
        const TableCounts before = m_writer.stats().table(StoreTable::TrackCoverage);
        IngestBatch b;
        b.trackCoverage = spans;
        if (!m_writer.write(b) || !m_writer.flush(10000))
            return TableCounts{-1, -1, -1, -1};
        const TableCounts after = m_writer.stats().table(StoreTable::TrackCoverage);
        return TableCounts{after.inserted - before.inserted, after.updated - before.updated,
                           after.duplicates - before.duplicates, after.rejected - before.rejected};
    };

    QCOMPARE(cover({{kB, at(0), at(99)}, {kB, at(200), at(299)}, {kC, at(0), at(50)}}), (TableCounts{3, 0, 0, 0}));
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    QCOMPARE(reader.trackCoverage(kB, at(-50), at(500)), (QList<TimeSpan>{{at(0), at(99)}, {at(200), at(299)}}));
    // Clipped to the range asked for; other devices' spans are not seen.
    QCOMPARE(reader.trackCoverage(kB, at(50), at(250)), (QList<TimeSpan>{{at(50), at(99)}, {at(200), at(250)}}));
    QCOMPARE(reader.trackCoverage(kA, at(0), at(500)), QList<TimeSpan>());

    // A span inside a stored one changes nothing.
    QCOMPARE(cover({{kB, at(10), at(20)}}), (TableCounts{0, 0, 1, 0}));
    // One that touches the first (the next second) and overlaps the second merges all three.
    QCOMPARE(cover({{kB, at(100), at(210)}}), (TableCounts{0, 1, 0, 0}));
    QCOMPARE(reader.trackCoverage(kB, at(-50), at(500)), (QList<TimeSpan>{{at(0), at(299)}}));
    QCOMPARE(reader.rowCounts().value(QStringLiteral("track_coverage")), 2);

    // A span that ends before it starts, or names no device, is refused.
    QCOMPARE(cover({{kB, at(10), at(5)}, {QString(), at(0), at(1)}}), (TableCounts{0, 0, 0, 2}));
    QCOMPARE(reader.trackCoverage(kB, {}, {}), (QList<TimeSpan>{{at(0), at(299)}}));
}

void TestStoreReader::rowCountsCoverEveryTable()
{
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    QCOMPARE(reader.schemaVersion(), StoreSchema::latestVersion());
    const QHash<QString, qint64> counts = reader.rowCounts();
    QCOMPARE(counts.value(QStringLiteral("position_history")), 13);
    QCOMPARE(counts.value(QStringLiteral("devices")), 3);
    QCOMPARE(counts.value(QStringLiteral("device_state")), 2);
    QCOMPARE(counts.value(QStringLiteral("trips")), 3);
    QCOMPARE(counts.value(QStringLiteral("alarms")), 3);
    QCOMPARE(counts.value(QStringLiteral("parking_idling")), 2);
    QCOMPARE(counts.value(QStringLiteral("sync_state")), 2);
    QVERIFY(counts.contains(QStringLiteral("obd_readings")));
    QCOMPARE(counts.value(QStringLiteral("obd_readings")), 0);
    QCOMPARE(counts.value(QStringLiteral("alarm_device_names")), 1); // the name the alarms gave their device
    QVERIFY(!counts.contains(QStringLiteral("alarm_search"))); // an index, not data
    QCOMPARE(counts.value(QStringLiteral("video_streams")), 0);
    QCOMPARE(counts.value(QStringLiteral("local_groups")), 0);
    QCOMPARE(counts.size(), 28);
}

void TestStoreReader::seesNewCommitsAndCannotWrite()
{
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    QCOMPARE(reader.positions(kB, QDateTime(), QDateTime()).size(), 0);
    IngestBatch b;
    b.addPositions({fix(kB, 5000, 46.0, 6.0)}, PositionSource::Push);
    QVERIFY(m_writer.write(b));
    QVERIFY(m_writer.flush());
    QCOMPARE(reader.positions(kB, QDateTime(), QDateTime()).size(), 1);
    QCOMPARE(reader.latestPositions({kB}).size(), 1);

    StoreConnection::Options readOnly;
    readOnly.mode = StoreConnection::Mode::ReadOnly;
    StoreConnection c;
    QVERIFY(c.open(m_path, readOnly));
    QVERIFY(!c.exec(QStringLiteral("DELETE FROM position_history")));
}

QTEST_GUILESS_MAIN(TestStoreReader)
#include "tst_storereader.moc"
