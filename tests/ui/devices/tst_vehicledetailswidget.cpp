#include "devices/vehicledetailswidget.h"

#include "util/utc.h"

#include <QLabel>
#include <QtTest>

using namespace Fleet;

class TestVehicleDetailsWidget : public QObject
{
    Q_OBJECT

private:
    static VehicleSnapshot vehicle()
    {
        VehicleSnapshot v;
        v.device.imei = QStringLiteral("860000000000042");
        v.device.name = QStringLiteral("Van 42");
        v.device.plate = QStringLiteral("HK-4242");
        v.device.driverName = QStringLiteral("Lee");
        v.device.driverPhone = QStringLiteral("+852 5555 0000");
        v.device.groupName = QStringLiteral("Vans");
        v.device.model = QStringLiteral("JC400");
        v.location.imei = v.device.imei;
        Position p;
        p.imei = v.device.imei;
        p.gpsTime = Utc::fromSecs(1'780'000'000 - 75);
        p.lat = 22.31234;
        p.lng = 114.17001;
        p.speedKmh = 48.4;
        p.courseDeg = 92;
        p.acc = true;
        p.satellites = 11;
        v.location.fix = p;
        v.location.online = true;
        v.location.heartbeatTime = Utc::fromSecs(1'780'000'000 - 20);
        v.location.externalVoltage = 12.6;
        v.location.batteryPercent = 87;
        v.location.odometerKm = 10234.5;
        v.location.gsmSignal = 3;
        v.location.address = QStringLiteral("Nathan Road 1, Kowloon");
        v.lastAlarmTime = Utc::fromSecs(1'780'000'000 - 7200);
        v.lastAlarmName = QStringLiteral("SOS");
        v.status = VehicleStatus::Moving;
        return v;
    }

private Q_SLOTS:
    void placeholderWithoutVehicle()
    {
        VehicleDetailsWidget w;
        w.show();
        QVERIFY(w.findChild<QLabel *>()->isVisible());
        QCOMPARE(w.fieldText(QStringLiteral("Speed")), QStringLiteral("—"));
    }

    void everyFieldShown()
    {
        VehicleDetailsWidget w;
        w.show();
        w.setVehicle(vehicle());
        w.refresh(Utc::fromSecs(1'780'000'000));
        QCOMPARE(w.fieldText(QStringLiteral("Name")), QStringLiteral("Van 42"));
        QVERIFY(w.fieldText(QStringLiteral("Status")).contains(QLatin1String("Moving")));
        QCOMPARE(w.fieldText(QStringLiteral("IMEI")), QStringLiteral("860000000000042"));
        QCOMPARE(w.fieldText(QStringLiteral("Plate")), QStringLiteral("HK-4242"));
        QCOMPARE(w.fieldText(QStringLiteral("Driver")), QStringLiteral("Lee (+852 5555 0000)"));
        QCOMPARE(w.fieldText(QStringLiteral("Group")), QStringLiteral("Vans"));
        QVERIFY(w.fieldText(QStringLiteral("Last fix")).endsWith(QLatin1String("(1 min ago)")));
        QCOMPARE(w.fieldText(QStringLiteral("Position")), QStringLiteral("22.31234, 114.17001"));
        QCOMPARE(w.fieldText(QStringLiteral("Speed")), QStringLiteral("48 km/h"));
        QCOMPARE(w.fieldText(QStringLiteral("Heading")), QStringLiteral("92° E"));
        QCOMPARE(w.fieldText(QStringLiteral("Ignition")), QStringLiteral("On"));
        QCOMPARE(w.fieldText(QStringLiteral("Power")), QStringLiteral("12.6 V supply, 87 % battery"));
        QCOMPARE(w.fieldText(QStringLiteral("Satellites")), QStringLiteral("11"));
        QCOMPARE(w.fieldText(QStringLiteral("Odometer")), QLocale().toString(10234.5, 'f', 1) + QStringLiteral(" km"));
        QVERIFY(w.fieldText(QStringLiteral("Last heartbeat")).endsWith(QLatin1String("(20 s ago)")));
        QCOMPARE(w.fieldText(QStringLiteral("GSM signal")), QStringLiteral("3 of 4"));
        QCOMPARE(w.fieldText(QStringLiteral("Address")), QStringLiteral("Nathan Road 1, Kowloon"));
        QVERIFY(w.fieldText(QStringLiteral("Last alarm")).startsWith(QLatin1String("SOS, ")));
        QVERIFY(w.fieldText(QStringLiteral("Last alarm")).endsWith(QLatin1String("(2 h ago)")));
    }

    void missingValuesShowADash()
    {
        VehicleSnapshot v;
        v.device.imei = QStringLiteral("860000000000043");
        v.status = VehicleStatus::NoFix;
        VehicleDetailsWidget w;
        w.setVehicle(v);
        QCOMPARE(w.fieldText(QStringLiteral("Name")), QStringLiteral("860000000000043"));
        QCOMPARE(w.fieldText(QStringLiteral("Last fix")), QStringLiteral("none yet"));
        for (const char *field :
             {"Speed", "Heading", "Ignition", "Power", "Odometer", "Address", "Last alarm", "Plate"})
            QCOMPARE(w.fieldText(QString::fromLatin1(field)), QStringLiteral("—"));
    }

    void agoAndCompass()
    {
        const QDateTime now = Utc::fromSecs(1'000'000);
        QCOMPARE(agoText(now.addSecs(-5), now), QStringLiteral("5 s ago"));
        QCOMPARE(agoText(now.addSecs(-3599), now), QStringLiteral("59 min ago"));
        QCOMPARE(agoText(now.addSecs(-3600), now), QStringLiteral("1 h ago"));
        QCOMPARE(agoText(now.addSecs(-86400 * 3), now), QStringLiteral("3 d ago"));
        QCOMPARE(agoText(now.addSecs(30), now), QStringLiteral("in the future"));
        QVERIFY(agoText(QDateTime(), now).isEmpty());
        QCOMPARE(compassPoint(0), QStringLiteral("N"));
        QCOMPARE(compassPoint(359), QStringLiteral("N"));
        QCOMPARE(compassPoint(225), QStringLiteral("SW"));
        QCOMPARE(compassPoint(-90), QStringLiteral("W"));
        QCOMPARE(compassPoint(720 + 45), QStringLiteral("NE"));
    }
};

QTEST_MAIN(TestVehicleDetailsWidget)
#include "tst_vehicledetailswidget.moc"
