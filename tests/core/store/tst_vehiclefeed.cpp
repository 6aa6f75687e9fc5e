// The fleet feed: a full load, then only what a committed change altered,
// and statuses that change with time alone.

#include "store/vehiclefeed.h"

#include "api/apiparsers.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "storetestdata.h"
#include "util/clock.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

class TestVehicleFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void loadAllBuildsOneSnapshotPerDevice();
    void applyReportsOnlyWhatChanged();
    void newDeviceAppearsInApply();
    void alarmMakesVehicleInAlarmUntilItAges();
    void silenceMakesVehicleOfflineWithoutNewData();
    void groupNameComesFromGroupsTable();
    void aRenamedGroupRenamesItsVehicles();
    void aMovedDeviceLeavesAndComesBack();
    void ignitionOnWithTheSameGpsTimeMakesTheVehicleIdle();
    void readingsWithoutAFixAndHeartbeatsAreCurrent();
    void odometersAndMileageTotalsKeepTheNewest();

private:
    StoreChange write(const IngestBatch &batch);
    static Device device(const QString &imei, const QString &group = {});

    QTemporaryDir m_dir;
    ManualClock m_clock{at(0)};
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<StoreReader> m_reader;
    QList<StoreChange> m_changes;
};

Device TestVehicleFeed::device(const QString &imei, const QString &group)
{
    Device d;
    d.imei = imei;
    d.name = QStringLiteral("Van ") + imei.right(2);
    d.plate = QStringLiteral("P-") + imei.right(3);
    d.groupId = group;
    return d;
}

void TestVehicleFeed::init()
{
    QVERIFY(m_dir.isValid());
    m_clock.set(at(0));
    m_writer = std::make_unique<StoreWriter>();
    StoreWriter::Options options;
    options.coalesceMs = 0;
    options.clock = &m_clock;
    QVERIFY(m_writer->open(m_dir.filePath(QStringLiteral("feed.sqlite")), options));
    m_reader = std::make_unique<StoreReader>();
    QVERIFY(m_reader->open(m_dir.filePath(QStringLiteral("feed.sqlite"))));
    m_changes.clear();
    connect(m_writer.get(), &StoreWriter::changed, this, [this](const StoreChange &c) { m_changes.append(c); });
}

void TestVehicleFeed::cleanup()
{
    m_reader.reset();
    m_writer.reset();
    QFile::remove(m_dir.filePath(QStringLiteral("feed.sqlite")));
}

StoreChange TestVehicleFeed::write(const IngestBatch &batch)
{
    m_changes.clear();
    m_writer->write(batch);
    m_writer->flush(10000);
    StoreChange merged;
    for (const StoreChange &c : std::as_const(m_changes))
        merged.merge(c);
    return merged;
}

void TestVehicleFeed::loadAllBuildsOneSnapshotPerDevice()
{
    IngestBatch b;
    b.devices = {device(QStringLiteral("860000000000001")), device(QStringLiteral("860000000000002"))};
    b.deviceStates = {sweep(QStringLiteral("860000000000001"), fix(QStringLiteral("860000000000001"), -30), -10),
                      sweep(QStringLiteral("860000000000002"), std::nullopt, -10)};
    write(b);

    VehicleFeed feed(m_reader.get(), &m_clock);
    const QList<VehicleSnapshot> all = feed.loadAll();
    QCOMPARE(all.size(), 2);
    QCOMPARE(feed.count(), 2);
    QCOMPARE(all[0].imei(), QStringLiteral("860000000000001"));
    QCOMPARE(all[0].device.plate, QStringLiteral("P-001"));
    QVERIFY(all[0].location.fix.has_value());
    QCOMPARE(all[0].location.fix->lat, 48.85);
    QCOMPARE(all[0].status, VehicleStatus::Moving); // 42 km/h, heard from 10 s ago
    QCOMPARE(all[1].status, VehicleStatus::NoFix);
    QVERIFY(feed.vehicle(QStringLiteral("860000000000002")));
    QVERIFY(!feed.vehicle(QStringLiteral("nope")));
}

void TestVehicleFeed::applyReportsOnlyWhatChanged()
{
    IngestBatch b;
    b.devices = {device(QStringLiteral("860000000000001")), device(QStringLiteral("860000000000002"))};
    b.deviceStates = {sweep(QStringLiteral("860000000000001"), fix(QStringLiteral("860000000000001"), -30), -10),
                      sweep(QStringLiteral("860000000000002"), fix(QStringLiteral("860000000000002"), -30), -10)};
    write(b);
    VehicleFeed feed(m_reader.get(), &m_clock);
    feed.loadAll();

    // One device moves on; the other is named in the notice but unchanged.
    IngestBatch next;
    next.addPositions({fix(QStringLiteral("860000000000001"), -5, 48.86, 2.36)}, PositionSource::Push);
    StoreChange change = write(next);
    change.imeis.insert(QStringLiteral("860000000000002"));
    const QList<VehicleSnapshot> changed = feed.apply(change);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0].imei(), QStringLiteral("860000000000001"));
    QCOMPARE(changed[0].location.fix->lat, 48.86);
    QCOMPARE(feed.vehicle(QStringLiteral("860000000000001"))->location.fix->lng, 2.36);

    // A notice with no devices costs nothing.
    QVERIFY(feed.apply(StoreChange()).isEmpty());
}

void TestVehicleFeed::newDeviceAppearsInApply()
{
    VehicleFeed feed(m_reader.get(), &m_clock);
    QVERIFY(feed.loadAll().isEmpty());
    IngestBatch b;
    b.devices = {device(QStringLiteral("860000000000003"))};
    b.deviceStates = {sweep(QStringLiteral("860000000000003"), fix(QStringLiteral("860000000000003"), -30), -10)};
    const QList<VehicleSnapshot> changed = feed.apply(write(b));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0].device.plate, QStringLiteral("P-003"));
    QCOMPARE(changed[0].displayName(), QStringLiteral("VAN-003")); // the sweep's name is the newest
    QCOMPARE(feed.count(), 1);
}

void TestVehicleFeed::alarmMakesVehicleInAlarmUntilItAges()
{
    IngestBatch b;
    b.devices = {device(QStringLiteral("860000000000001"))};
    b.deviceStates = {sweep(QStringLiteral("860000000000001"), fix(QStringLiteral("860000000000001"), -30), -10)};
    write(b);
    VehicleFeed feed(m_reader.get(), &m_clock, StatusRules{});
    feed.loadAll();

    IngestBatch a;
    a.addAlarms({alarm(QStringLiteral("860000000000001"), QStringLiteral("1"), QStringLiteral("SOS"), -2)},
                ReportSource::Push);
    const QList<VehicleSnapshot> changed = feed.apply(write(a));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0].status, VehicleStatus::Alarm);
    QCOMPARE(changed[0].lastAlarmName, QStringLiteral("SOS"));
    QCOMPARE(changed[0].lastAlarmTime, at(-2));

    // An older alarm back-filled later does not replace the newer one.
    IngestBatch old;
    old.addAlarms({alarm(QStringLiteral("860000000000001"), QStringLiteral("2"), QStringLiteral("Power cut"), -500)},
                  ReportSource::Poll);
    feed.apply(write(old));
    QCOMPARE(feed.vehicle(QStringLiteral("860000000000001"))->lastAlarmName, QStringLiteral("SOS"));

    // Fresh data keeps it online; the alarm ages out.
    m_clock.advanceSecs(StatusRules{}.alarmActiveSecs + 1);
    IngestBatch fresh;
    fresh.deviceStates = {sweep(QStringLiteral("860000000000001"),
                                fix(QStringLiteral("860000000000001"), StatusRules{}.alarmActiveSecs),
                                StatusRules{}.alarmActiveSecs)};
    feed.apply(write(fresh));
    QCOMPARE(feed.vehicle(QStringLiteral("860000000000001"))->status, VehicleStatus::Moving);
}

void TestVehicleFeed::silenceMakesVehicleOfflineWithoutNewData()
{
    IngestBatch b;
    b.devices = {device(QStringLiteral("860000000000001"))};
    Fleet::DeviceLocation l = sweep(QStringLiteral("860000000000001"), fix(QStringLiteral("860000000000001"), -30),
                                    -10);
    l.online.reset(); // only times decide
    b.deviceStates = {l};
    write(b);
    VehicleFeed feed(m_reader.get(), &m_clock);
    const VehicleSnapshot first = feed.loadAll().at(0);
    QCOMPARE(first.status, VehicleStatus::Moving);
    QVERIFY(feed.reclassify().isEmpty());
    m_clock.advanceSecs(StatusRules{}.offlineAfterSecs + 60);
    const QList<VehicleSnapshot> changed = feed.reclassify();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0].status, VehicleStatus::Offline);
    QVERIFY(feed.reclassify().isEmpty());
}

void TestVehicleFeed::groupNameComesFromGroupsTable()
{
    IngestBatch b;
    b.groups = {DeviceGroup{QStringLiteral("g1"), QStringLiteral("Vans")}};
    b.devices = {device(QStringLiteral("860000000000001"), QStringLiteral("g1"))};
    b.deviceStates = {sweep(QStringLiteral("860000000000001"), std::nullopt, -10)};
    write(b);
    VehicleFeed feed(m_reader.get(), &m_clock);
    QCOMPARE(feed.loadAll().at(0).device.groupName, QStringLiteral("Vans"));
}

void TestVehicleFeed::aRenamedGroupRenamesItsVehicles()
{
    IngestBatch b;
    b.groups = {DeviceGroup{QStringLiteral("g1"), QStringLiteral("Vans")},
                DeviceGroup{QStringLiteral("g2"), QStringLiteral("Trucks")}};
    Device listed = device(QStringLiteral("860000000000001"), QStringLiteral("g1"));
    listed.groupName = QStringLiteral("Vans"); // as the device list names it
    b.devices = {listed, device(QStringLiteral("860000000000002"), QStringLiteral("g2"))};
    b.deviceStates = {sweep(QStringLiteral("860000000000001"), std::nullopt, -10),
                      sweep(QStringLiteral("860000000000002"), std::nullopt, -10)};
    write(b);
    VehicleFeed feed(m_reader.get(), &m_clock);
    feed.loadAll();

    // The cloud's whole group list, with g1 renamed: no device row changed.
    IngestBatch groups;
    groups.groups = {DeviceGroup{QStringLiteral("g1"), QStringLiteral("Night vans")},
                     DeviceGroup{QStringLiteral("g2"), QStringLiteral("Trucks")}};
    groups.groupsComplete = true;
    const StoreChange change = write(groups);
    QVERIFY(change.imeis.isEmpty());
    const QList<VehicleSnapshot> changed = feed.apply(change);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0].imei(), QStringLiteral("860000000000001"));
    QCOMPARE(changed[0].device.groupName, QStringLiteral("Night vans"));
    QVERIFY(feed.takeRemoved().isEmpty());
}

void TestVehicleFeed::aMovedDeviceLeavesAndComesBack()
{
    IngestBatch b;
    b.devices = {device(QStringLiteral("860000000000001")), device(QStringLiteral("860000000000002"))};
    b.deviceStates = {sweep(QStringLiteral("860000000000001"), fix(QStringLiteral("860000000000001"), -30), -10),
                      sweep(QStringLiteral("860000000000002"), std::nullopt, -10)};
    write(b);
    VehicleFeed feed(m_reader.get(), &m_clock);
    QCOMPARE(feed.loadAll().size(), 2);

    IngestBatch moved;
    moved.departures = {DeviceDeparture{QStringLiteral("860000000000001"), QStringLiteral("acme-north"), at(0)}};
    QVERIFY(feed.apply(write(moved)).isEmpty());
    QCOMPARE(feed.takeRemoved(), QStringList{QStringLiteral("860000000000001")});
    QVERIFY(feed.takeRemoved().isEmpty());
    QCOMPARE(feed.count(), 1);
    QVERIFY(!feed.vehicle(QStringLiteral("860000000000001")));
    // A sweep that still names it does not bring it back.
    IngestBatch sweepAgain;
    sweepAgain.deviceStates = {sweep(QStringLiteral("860000000000001"), fix(QStringLiteral("860000000000001"), -5), -1)};
    QVERIFY(feed.apply(write(sweepAgain)).isEmpty());
    QCOMPARE(feed.loadAll().size(), 1);

    // Listed by the cloud again: back, with its history.
    IngestBatch listed;
    listed.devices = {device(QStringLiteral("860000000000001"))};
    const QList<VehicleSnapshot> back = feed.apply(write(listed));
    QCOMPARE(back.size(), 1);
    QCOMPARE(back[0].imei(), QStringLiteral("860000000000001"));
    QVERIFY(back[0].location.fix.has_value());
    QCOMPARE(feed.count(), 2);
}

namespace {

// One location.list answer for one device standing at a fix of 12:00:00,
// as the cloud sends it (numbers as strings).
QByteArray sweepAnswer(const char *accStatus, const char *hbTime)
{
    return QByteArrayLiteral(R"({"code":0,"message":"success","result":[{"imei":"860000000000001",)")
        + R"("deviceName":"VAN-001","mcType":"VL802","status":"1","posType":"GPS","lat":48.85,"lng":2.35,)"
        + R"("gpsTime":"2026-05-28 20:25:00","speed":"0","direction":"90","gpsNum":"9","accStatus":")" + accStatus
        + R"(","hbTime":)" + hbTime + R"(}]})";
}

QList<DeviceLocation> parseSweep(const QByteArray &body)
{
    const Result<ApiEnvelope> env = ApiEnvelope::parse(body, QStringLiteral("jimi.user.device.location.list"));
    if (!env.ok())
        return {};
    const Result<ApiList<DeviceLocation>> list = ApiParse::locations(env.value());
    return list.ok() ? list.value().items : QList<DeviceLocation>();
}

} // namespace

void TestVehicleFeed::ignitionOnWithTheSameGpsTimeMakesTheVehicleIdle()
{
    // Two sweeps of a standing vehicle with the same GPS time: the ignition
    // comes on in between. The fix is stored once; the ignition still moves.
    for (const char *hbTime : {"null", "\"2026-05-28 20:26:00\""}) {
        cleanup();
        init();
        IngestBatch first;
        first.devices = {device(QStringLiteral("860000000000001"))};
        first.deviceStates = parseSweep(sweepAnswer("0", hbTime));
        QCOMPARE(first.deviceStates.size(), 1);
        write(first);
        VehicleFeed feed(m_reader.get(), &m_clock);
        QCOMPARE(feed.loadAll().at(0).status, VehicleStatus::Parked);

        IngestBatch second;
        second.deviceStates = parseSweep(sweepAnswer("1", hbTime));
        const StoreChange change = write(second);
        QCOMPARE(change.count(StoreTable::PositionHistory).duplicates, qint64(1)); // the same fix
        const QList<VehicleSnapshot> changed = feed.apply(change);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0].status, VehicleStatus::Idle);
        QCOMPARE(changed[0].location.ignition(), std::optional<bool>(true));
        QCOMPARE(changed[0].location.fix->acc, std::optional<bool>(false)); // the fix as first stored

        // The same answer again changes nothing.
        const StoreChange again = write(second);
        QVERIFY(feed.apply(again).isEmpty());
        QCOMPARE(again.count(StoreTable::DeviceState).updated, qint64(0));
    }
}

void TestVehicleFeed::readingsWithoutAFixAndHeartbeatsAreCurrent()
{
    const QString imei = QStringLiteral("860000000000001");
    IngestBatch b;
    b.devices = {device(imei)};
    Position standing = fix(imei, -60);
    standing.speedKmh = 0.0;
    standing.acc = false;
    DeviceLocation l = sweep(imei, standing, -60);
    l.online.reset(); // only times decide
    b.deviceStates = {l};
    write(b);
    VehicleFeed feed(m_reader.get(), &m_clock);
    QCOMPARE(feed.loadAll().at(0).status, VehicleStatus::Parked);

    // A heartbeat says the ignition is on.
    IngestBatch hb;
    Heartbeat h;
    h.imei = imei;
    h.time = at(-30);
    h.acc = true;
    hb.heartbeats = {h};
    QCOMPARE(feed.apply(write(hb)).value(0).status, VehicleStatus::Idle);

    // A push without a fix: moving at 35 km/h, heading south.
    IngestBatch moving;
    DeviceReport report{imei, {}};
    report.readings.speedKmh = 35.0;
    report.readings.courseDeg = 180.0;
    report.readings.motionTime = at(-10);
    moving.readings = {report};
    const QList<VehicleSnapshot> changed = feed.apply(write(moving));
    QCOMPARE(changed.value(0).status, VehicleStatus::Moving);
    QCOMPARE(changed.value(0).location.courseDeg(), std::optional<double>(180.0));
    QCOMPARE(changed.value(0).location.fix->gpsTime, at(-60)); // no new position

    // A poorer report of the same moment (a sweep without the heading)
    // takes nothing away, and changes nothing.
    IngestBatch poorer;
    DeviceReport same{imei, {}};
    same.readings.speedKmh = 35.0;
    same.readings.motionTime = at(-10);
    poorer.readings = {same};
    QVERIFY(feed.apply(write(poorer)).isEmpty());
    QCOMPARE(feed.vehicle(imei)->location.courseDeg(), std::optional<double>(180.0));

    // A late report (re-uploaded, older) does not overwrite newer readings.
    IngestBatch late;
    DeviceReport old{imei, {}};
    old.readings.acc = false;
    old.readings.accTime = at(-300);
    old.readings.speedKmh = 0.0;
    old.readings.motionTime = at(-300);
    late.readings = {old};
    const StoreChange lateChange = write(late);
    QVERIFY(feed.apply(lateChange).isEmpty());
    QCOMPARE(feed.vehicle(imei)->status, VehicleStatus::Moving);
    QCOMPARE(feed.vehicle(imei)->location.ignition(), std::optional<bool>(true));

    // Silence long enough is still offline, readings or not.
    m_clock.advanceSecs(StatusRules{}.offlineAfterSecs + 30);
    QCOMPARE(feed.reclassify().value(0).status, VehicleStatus::Offline);
}

void TestVehicleFeed::odometersAndMileageTotalsKeepTheNewest()
{
    const QString imei = QStringLiteral("860000000000001");
    IngestBatch b;
    b.devices = {device(imei)};
    b.deviceStates = {sweep(imei, fix(imei, -60), -10)};
    // /pushgps distance: the device's odometer, newest first, then a late one.
    DeviceReport newer{imei, {}};
    newer.readings.odometerKm = 1234.567;
    newer.readings.odometerTime = at(-20);
    DeviceReport older{imei, {}};
    older.readings.odometerKm = 1200.0;
    older.readings.odometerTime = at(-400);
    b.readings = {newer, older};
    // track.mileage totals of two ranges: the one that ends later is kept.
    b.mileageTotals = {MileageTotal{imei, 42.5, at(-86400), at(-3600)}, MileageTotal{imei, 17.25, at(-7200), at(-100)},
                       MileageTotal{imei, 99.0, at(-90000), at(-5000)}};
    write(b);
    VehicleFeed feed(m_reader.get(), &m_clock);
    const VehicleSnapshot v = feed.loadAll().at(0);
    QCOMPARE(v.location.readings.odometerKm, std::optional<double>(1234.567));
    QCOMPARE(v.location.readings.odometerTime, at(-20));
    QCOMPARE(v.location.mileageTotalKm, std::optional<double>(17.25));
    QCOMPARE(v.location.mileageFrom, at(-7200));
    QCOMPARE(v.location.mileageTo, at(-100));

    // Nonsense is refused, never stored.
    IngestBatch bad;
    bad.mileageTotals = {MileageTotal{imei, -5.0, at(-50), at(-10)}, MileageTotal{imei, 3.0, at(-10), at(-50)}};
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("refused 2 row.*mileage total without IMEI")));
    QVERIFY(feed.apply(write(bad)).isEmpty());
    QCOMPARE(feed.vehicle(imei)->location.mileageTotalKm, std::optional<double>(17.25));
}

QTEST_GUILESS_MAIN(TestVehicleFeed)
#include "tst_vehiclefeed.moc"
