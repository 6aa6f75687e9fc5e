#include "domain/vehiclestatus.h"

#include <QSet>
#include <QTimeZone>
#include <QtTest>

#include <functional>

using namespace Fleet;

Q_DECLARE_METATYPE(Fleet::VehicleSnapshot)
Q_DECLARE_METATYPE(Fleet::StatusRules)
Q_DECLARE_METATYPE(Fleet::VehicleStatus)

class TestVehicleStatus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keys();
    void displayName_data();
    void displayName();
    void classify_data();
    void classify();
    void precedence_data();
    void precedence();
};

namespace {

const QDateTime kNow(QDate(2026, 3, 18), QTime(10, 0, 0), QTimeZone::utc());

QDateTime ago(double secs)
{
    return kNow.addMSecs(-qint64(secs * 1000));
}

// Online, not expired, no alarm, a fresh standing fix with ignition off.
VehicleSnapshot parked()
{
    VehicleSnapshot v;
    v.device.imei = QStringLiteral("860000000000001");
    v.location.imei = v.device.imei;
    v.location.online = true;
    v.location.heartbeatTime = ago(30);
    Position fix;
    fix.imei = v.device.imei;
    fix.gpsTime = ago(30);
    fix.lat = 52.52;
    fix.lng = 13.405;
    fix.speedKmh = 0.0;
    fix.acc = false;
    v.location.fix = fix;
    return v;
}

using Change = std::function<void(VehicleSnapshot &)>;

VehicleSnapshot with(std::initializer_list<Change> changes)
{
    VehicleSnapshot v = parked();
    for (const Change &change : changes)
        change(v);
    return v;
}

// What makes a vehicle satisfy one status's own rule, applied to parked().
Change condition(VehicleStatus status)
{
    switch (status) {
    case VehicleStatus::Expired: return [](VehicleSnapshot &v) { v.location.expired = true; };
    case VehicleStatus::Alarm: return [](VehicleSnapshot &v) { v.lastAlarmTime = ago(60); };
    case VehicleStatus::Offline: return [](VehicleSnapshot &v) { v.location.online = false; };
    case VehicleStatus::Moving: return [](VehicleSnapshot &v) { v.location.fix->speedKmh = 50.0; };
    case VehicleStatus::Idle: return [](VehicleSnapshot &v) { v.location.fix->acc = true; };
    case VehicleStatus::Parked: return [](VehicleSnapshot &v) { v.location.fix->acc = false; };
    case VehicleStatus::NoFix: return [](VehicleSnapshot &v) { v.location.fix.reset(); };
    }
    return [](VehicleSnapshot &) {};
}

} // namespace

void TestVehicleStatus::keys()
{
    const QStringList expected = {QStringLiteral("expired"), QStringLiteral("alarm"), QStringLiteral("offline"),
                                  QStringLiteral("moving"),  QStringLiteral("idle"),  QStringLiteral("parked"),
                                  QStringLiteral("nofix")};
    QCOMPARE(expected.size(), kVehicleStatusCount);
    for (int i = 0; i < kVehicleStatusCount; ++i)
        QCOMPARE(vehicleStatusKey(VehicleStatus(i)), expected.at(i));
    QVERIFY(vehicleStatusKey(VehicleStatus(kVehicleStatusCount)).isEmpty());
}

void TestVehicleStatus::displayName_data()
{
    QTest::addColumn<QString>("deviceName");
    QTest::addColumn<QString>("locationName");
    QTest::addColumn<QString>("plate");
    QTest::addColumn<QString>("imei");
    QTest::addColumn<QString>("expected");

    const QString imei = QStringLiteral("860000000000001");
    QTest::newRow("device name") << QStringLiteral("Van 7") << QStringLiteral("GT06") << QStringLiteral("B-FD 7")
                                 << imei << QStringLiteral("Van 7");
    QTest::newRow("device name trimmed") << QStringLiteral("  Van 7\t") << QString() << QString() << imei
                                         << QStringLiteral("Van 7");
    QTest::newRow("location name") << QString() << QStringLiteral("GT06-0001") << QStringLiteral("B-FD 7") << imei
                                   << QStringLiteral("GT06-0001");
    QTest::newRow("blank device name") << QStringLiteral("   ") << QStringLiteral(" GT06-0001 ")
                                       << QStringLiteral("B-FD 7") << imei << QStringLiteral("GT06-0001");
    QTest::newRow("plate") << QString() << QString() << QStringLiteral(" B-FD 7 ") << imei << QStringLiteral("B-FD 7");
    QTest::newRow("blank plate") << QString() << QStringLiteral(" ") << QStringLiteral("  ") << imei << imei;
    QTest::newRow("imei") << QString() << QString() << QString() << imei << imei;
    QTest::newRow("imei trimmed") << QString() << QString() << QString() << (QLatin1Char(' ') + imei + QLatin1Char(' '))
                                  << imei;
    QTest::newRow("nothing") << QString() << QString() << QString() << QString() << QString();
}

void TestVehicleStatus::displayName()
{
    QFETCH(QString, deviceName);
    QFETCH(QString, locationName);
    QFETCH(QString, plate);
    QFETCH(QString, imei);
    QFETCH(QString, expected);
    VehicleSnapshot v;
    v.device.name = deviceName;
    v.location.name = locationName;
    v.device.plate = plate;
    v.device.imei = imei;
    QCOMPARE(v.displayName(), expected);
}

void TestVehicleStatus::classify_data()
{
    QTest::addColumn<VehicleSnapshot>("vehicle");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<StatusRules>("rules");
    QTest::addColumn<VehicleStatus>("expected");

    const StatusRules rules;
    QCOMPARE(rules.offlineAfterSecs, 600);
    QCOMPARE(rules.movingKmh, 3.0);
    QCOMPARE(rules.alarmActiveSecs, 900);
    QCOMPARE(rules.clockSkewSecs, 120);

    auto row = [&](const char *name, const VehicleSnapshot &v, VehicleStatus expected,
                   const StatusRules &r = StatusRules(),
                   const QDateTime &now = kNow) { QTest::newRow(name) << v << now << r << expected; };
    auto noOnlineFlag = [](VehicleSnapshot &v) { v.location.online.reset(); };
    auto noFix = [](VehicleSnapshot &v) { v.location.fix.reset(); };

    // Standing, ignition and speed.
    row("parked", parked(), VehicleStatus::Parked);
    row("parked, ignition unknown", with({[](VehicleSnapshot &v) { v.location.fix->acc.reset(); }}),
        VehicleStatus::Parked);
    row("parked, speed unknown", with({[](VehicleSnapshot &v) { v.location.fix->speedKmh.reset(); }}),
        VehicleStatus::Parked);
    row("idle", with({[](VehicleSnapshot &v) { v.location.fix->acc = true; }}), VehicleStatus::Idle);
    row("idle, speed unknown", with({[](VehicleSnapshot &v) {
            v.location.fix->acc = true;
            v.location.fix->speedKmh.reset();
        }}),
        VehicleStatus::Idle);
    row("idle, just below moving speed", with({[](VehicleSnapshot &v) {
            v.location.fix->acc = true;
            v.location.fix->speedKmh = 2.99;
        }}),
        VehicleStatus::Idle);
    row("parked, just below moving speed", with({[](VehicleSnapshot &v) { v.location.fix->speedKmh = 2.999; }}),
        VehicleStatus::Parked);
    row("moving, exactly at threshold", with({[](VehicleSnapshot &v) { v.location.fix->speedKmh = 3.0; }}),
        VehicleStatus::Moving);

    // Readings (what the device said since, with or without a fix) count
    // where they are at least as new as the fix.
    row("idle: ignition on, same GPS time", with({[](VehicleSnapshot &v) {
            v.location.readings.acc = true;
            v.location.readings.accTime = v.location.fix->gpsTime;
        }}),
        VehicleStatus::Idle);
    row("parked: ignition on, older than the fix", with({[](VehicleSnapshot &v) {
            v.location.readings.acc = true;
            v.location.readings.accTime = v.location.fix->gpsTime.addSecs(-1);
        }}),
        VehicleStatus::Parked);
    row("idle: the fix says on, an older reading off", with({[](VehicleSnapshot &v) {
            v.location.fix->acc = true;
            v.location.readings.acc = false;
            v.location.readings.accTime = v.location.fix->gpsTime.addSecs(-60);
        }}),
        VehicleStatus::Idle);
    row("moving: speed reported without a fix, newer", with({[](VehicleSnapshot &v) {
            v.location.readings.speedKmh = 40.0;
            v.location.readings.motionTime = ago(5);
        }}),
        VehicleStatus::Moving);
    row("parked: newer reading with unknown speed", with({[](VehicleSnapshot &v) {
            v.location.fix->speedKmh = 40.0;
            v.location.readings.motionTime = ago(5);
        }}),
        VehicleStatus::Parked);
    row("no fix: readings alone are no fix",
        with({noFix,
              [](VehicleSnapshot &v) {
                  v.location.readings.speedKmh = 40.0;
                  v.location.readings.motionTime = ago(5);
              }}),
        VehicleStatus::NoFix);
    row("online by a reading without a fix",
        with({noFix, noOnlineFlag,
              [](VehicleSnapshot &v) {
                  v.location.heartbeatTime = ago(3600);
                  v.location.readings.acc = true;
                  v.location.readings.accTime = ago(20);
              }}),
        VehicleStatus::NoFix);
    row("moving, ignition unknown", with({[](VehicleSnapshot &v) {
            v.location.fix->speedKmh = 62.0;
            v.location.fix->acc.reset();
        }}),
        VehicleStatus::Moving);

    // No fix.
    row("no fix, online", with({noFix}), VehicleStatus::NoFix);
    row("no fix, fresh heartbeat, no online flag", with({noFix, noOnlineFlag}), VehicleStatus::NoFix);
    row("no fix, no heartbeat, online", with({noFix, [](VehicleSnapshot &v) { v.location.heartbeatTime = {}; }}),
        VehicleStatus::NoFix);

    // Offline: the flag is authoritative, times decide without it.
    row("offline flag", with({[](VehicleSnapshot &v) { v.location.online = false; }}), VehicleStatus::Offline);
    row("offline flag beats fresh times", with({[](VehicleSnapshot &v) {
            v.location.online = false;
            v.location.heartbeatTime = kNow;
            v.location.fix->gpsTime = kNow;
        }}),
        VehicleStatus::Offline);
    row("online flag beats stale times", with({[](VehicleSnapshot &v) {
            v.location.heartbeatTime = ago(86400);
            v.location.fix->gpsTime = ago(86400);
        }}),
        VehicleStatus::Parked);
    row("online flag, no times at all", with({[](VehicleSnapshot &v) {
            v.location.heartbeatTime = {};
            v.location.fix->gpsTime = {};
        }}),
        VehicleStatus::Parked);
    row("no flag, fresh times", with({noOnlineFlag}), VehicleStatus::Parked);
    row("no flag, heartbeat exactly at threshold",
        with({noOnlineFlag, noFix, [](VehicleSnapshot &v) { v.location.heartbeatTime = ago(600); }}),
        VehicleStatus::NoFix);
    row("no flag, heartbeat just past threshold",
        with({noOnlineFlag, noFix, [](VehicleSnapshot &v) { v.location.heartbeatTime = ago(600.001); }}),
        VehicleStatus::Offline);
    row("no flag, fix exactly at threshold",
        with({noOnlineFlag,
              [](VehicleSnapshot &v) {
                  v.location.heartbeatTime = {};
                  v.location.fix->gpsTime = ago(600);
              }}),
        VehicleStatus::Parked);
    row("no flag, fix just past threshold",
        with({noOnlineFlag,
              [](VehicleSnapshot &v) {
                  v.location.heartbeatTime = {};
                  v.location.fix->gpsTime = ago(600.001);
              }}),
        VehicleStatus::Offline);
    row("no flag, old heartbeat, fresh fix",
        with({noOnlineFlag, [](VehicleSnapshot &v) { v.location.heartbeatTime = ago(3600); }}), VehicleStatus::Parked);
    row("no flag, fresh heartbeat, old fix",
        with({noOnlineFlag, [](VehicleSnapshot &v) { v.location.fix->gpsTime = ago(3600); }}), VehicleStatus::Parked);
    row("no flag, both old",
        with({noOnlineFlag,
              [](VehicleSnapshot &v) {
                  v.location.heartbeatTime = ago(3600);
                  v.location.fix->gpsTime = ago(700);
              }}),
        VehicleStatus::Offline);
    row("no flag, no times",
        with({noOnlineFlag,
              [](VehicleSnapshot &v) {
                  v.location.heartbeatTime = {};
                  v.location.fix->gpsTime = {};
              }}),
        VehicleStatus::Offline);
    row("no flag, no fix, no heartbeat",
        with({noOnlineFlag, noFix, [](VehicleSnapshot &v) { v.location.heartbeatTime = {}; }}), VehicleStatus::Offline);
    row("empty snapshot", VehicleSnapshot(), VehicleStatus::Offline);

    // Future timestamps: within the skew they are "now", beyond it untrusted.
    row("no flag, heartbeat in future within skew",
        with({noOnlineFlag, noFix, [](VehicleSnapshot &v) { v.location.heartbeatTime = ago(-120); }}),
        VehicleStatus::NoFix);
    row("no flag, heartbeat in future beyond skew",
        with({noOnlineFlag, noFix, [](VehicleSnapshot &v) { v.location.heartbeatTime = ago(-120.001); }}),
        VehicleStatus::Offline);
    row("no flag, fix in future beyond skew, fresh heartbeat",
        with({noOnlineFlag, [](VehicleSnapshot &v) { v.location.fix->gpsTime = ago(-8 * 3600); }}),
        VehicleStatus::Parked);
    row("no flag, fix in future beyond skew, old heartbeat",
        with({noOnlineFlag,
              [](VehicleSnapshot &v) {
                  v.location.fix->gpsTime = ago(-8 * 3600);
                  v.location.heartbeatTime = ago(3600);
              }}),
        VehicleStatus::Offline);

    // Expiry.
    row("expired flag", with({[](VehicleSnapshot &v) { v.location.expired = true; }}), VehicleStatus::Expired);
    row("expired flag false", with({[](VehicleSnapshot &v) { v.location.expired = false; }}), VehicleStatus::Parked);
    row("expiration passed", with({[](VehicleSnapshot &v) { v.device.expiration = ago(0.001); }}),
        VehicleStatus::Expired);
    row("expiration exactly now", with({[](VehicleSnapshot &v) { v.device.expiration = kNow; }}),
        VehicleStatus::Parked);
    row("expiration ahead", with({[](VehicleSnapshot &v) { v.device.expiration = ago(-86400); }}),
        VehicleStatus::Parked);
    row("expiration passed, flag says not expired", with({[](VehicleSnapshot &v) {
            v.location.expired = false;
            v.device.expiration = ago(86400);
        }}),
        VehicleStatus::Expired);

    // Alarm window.
    row("alarm just raised", with({[](VehicleSnapshot &v) { v.lastAlarmTime = kNow; }}), VehicleStatus::Alarm);
    row("alarm exactly at window end", with({[](VehicleSnapshot &v) { v.lastAlarmTime = ago(900); }}),
        VehicleStatus::Alarm);
    row("alarm just past window", with({[](VehicleSnapshot &v) { v.lastAlarmTime = ago(900.001); }}),
        VehicleStatus::Parked);
    row("alarm in future within skew", with({[](VehicleSnapshot &v) { v.lastAlarmTime = ago(-120); }}),
        VehicleStatus::Alarm);
    row("alarm in future beyond skew", with({[](VehicleSnapshot &v) { v.lastAlarmTime = ago(-120.001); }}),
        VehicleStatus::Parked);
    row("alarm name without time", with({[](VehicleSnapshot &v) { v.lastAlarmName = QStringLiteral("SOS"); }}),
        VehicleStatus::Parked);

    // Rules other than the defaults.
    StatusRules strict;
    strict.offlineAfterSecs = 60;
    strict.movingKmh = 10.0;
    strict.alarmActiveSecs = 60;
    strict.clockSkewSecs = 0;
    row("custom offline threshold",
        with({noOnlineFlag,
              [](VehicleSnapshot &v) {
                  v.location.heartbeatTime = ago(61);
                  v.location.fix->gpsTime = ago(61);
              }}),
        VehicleStatus::Offline, strict);
    row("custom moving threshold", with({[](VehicleSnapshot &v) { v.location.fix->speedKmh = 9.9; }}),
        VehicleStatus::Parked, strict);
    row("custom alarm window", with({[](VehicleSnapshot &v) { v.lastAlarmTime = ago(61); }}), VehicleStatus::Parked,
        strict);
    row("no skew allowed", with({[](VehicleSnapshot &v) { v.lastAlarmTime = ago(-0.001); }}), VehicleStatus::Parked,
        strict);

    // The clock's time zone does not matter, only the instant.
    row("now in UTC+8", with({[](VehicleSnapshot &v) { v.lastAlarmTime = ago(899); }}), VehicleStatus::Alarm,
        StatusRules(), kNow.toTimeZone(QTimeZone(8 * 3600)));

    // Without a clock only the flags speak.
    row("invalid now, online", with({[](VehicleSnapshot &v) {
            v.lastAlarmTime = kNow;
            v.device.expiration = ago(86400);
        }}),
        VehicleStatus::Parked, StatusRules(), QDateTime());
    row("invalid now, no online flag", with({noOnlineFlag}), VehicleStatus::Offline, StatusRules(), QDateTime());
    row("invalid now, expired flag", with({[](VehicleSnapshot &v) { v.location.expired = true; }}),
        VehicleStatus::Expired, StatusRules(), QDateTime());
}

void TestVehicleStatus::classify()
{
    QFETCH(VehicleSnapshot, vehicle);
    QFETCH(QDateTime, now);
    QFETCH(StatusRules, rules);
    QFETCH(VehicleStatus, expected);
    QCOMPARE(vehicleStatusKey(Fleet::classify(vehicle, now, rules)), vehicleStatusKey(expected));
}

void TestVehicleStatus::precedence_data()
{
    QTest::addColumn<VehicleSnapshot>("vehicle");
    QTest::addColumn<VehicleStatus>("expected");

    // Moving, Idle, Parked and NoFix are told apart by the fix alone, so some
    // pairs of them cannot both hold: without a fix there is no speed or
    // ignition, and ignition cannot be on and off at once.
    const QSet<QPair<int, int>> exclusive = {
        {int(VehicleStatus::Moving), int(VehicleStatus::NoFix)},
        {int(VehicleStatus::Idle), int(VehicleStatus::Parked)},
        {int(VehicleStatus::Idle), int(VehicleStatus::NoFix)},
        {int(VehicleStatus::Parked), int(VehicleStatus::NoFix)},
    };
    for (int i = 0; i < kVehicleStatusCount; ++i) {
        const auto single = VehicleStatus(i);
        QTest::addRow("%s alone", qPrintable(vehicleStatusKey(single))) << with({condition(single)}) << single;
        for (int j = i + 1; j < kVehicleStatusCount; ++j) {
            if (exclusive.contains({i, j}))
                continue;
            const auto first = VehicleStatus(i);
            const auto second = VehicleStatus(j);
            // Apply the weaker condition first so that it cannot undo the stronger one.
            QTest::addRow("%s over %s", qPrintable(vehicleStatusKey(first)), qPrintable(vehicleStatusKey(second)))
                << with({condition(second), condition(first)}) << first;
        }
    }
    QTest::newRow("expired by date over alarm")
        << with({condition(VehicleStatus::Alarm), [](VehicleSnapshot &v) { v.device.expiration = ago(1); }})
        << VehicleStatus::Expired;
    QTest::newRow("alarm over offline by silence") << with({[](VehicleSnapshot &v) {
        v.location.online.reset();
        v.location.heartbeatTime = ago(3600);
        v.location.fix->gpsTime = ago(3600);
        v.lastAlarmTime = ago(60);
    }}) << VehicleStatus::Alarm;
    QTest::newRow("everything at once") << with({condition(VehicleStatus::Moving), condition(VehicleStatus::Idle),
                                                 condition(VehicleStatus::Offline), condition(VehicleStatus::Alarm),
                                                 condition(VehicleStatus::Expired)})
                                        << VehicleStatus::Expired;
}

void TestVehicleStatus::precedence()
{
    QFETCH(VehicleSnapshot, vehicle);
    QFETCH(VehicleStatus, expected);
    QCOMPARE(vehicleStatusKey(Fleet::classify(vehicle, kNow)), vehicleStatusKey(expected));
}

QTEST_GUILESS_MAIN(TestVehicleStatus)
#include "tst_vehiclestatus.moc"
