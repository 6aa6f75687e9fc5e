// "Edit vehicle…" offscreen with real keys: the form is the stored record,
// only what changed is sent, Save waits for something to send and a name,
// and a refusal keeps the form open with the cloud's words (as text).

#include "devices/deviceeditdialog.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;

class TestDeviceEditDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formShowsTheRecord();
    void onlyChangesAreSent();
    void refusalKeepsTheFormOpen();
    void acceptedCloses();

private:
    static Device device()
    {
        Device d;
        d.imei = QStringLiteral("862102278866018");
        d.name = QStringLiteral("CAR-002");
        d.vehicleName = QStringLiteral("Toyota Corolla");
        d.plate = QStringLiteral("ZJ-145-BR");
        d.driverName = QStringLiteral("Sarah Leroy");
        d.driverPhone = QStringLiteral("+33691823424");
        d.vehicleIcon = QStringLiteral("car");
        d.odometerKm = 69607.7;
        return d;
    }
};

void TestDeviceEditDialog::formShowsTheRecord()
{
    DeviceEditDialog d(device(), 69610.0);
    QCOMPARE(d.field(QStringLiteral("name"))->text(), QStringLiteral("CAR-002"));
    QCOMPARE(d.field(QStringLiteral("plate"))->text(), QStringLiteral("ZJ-145-BR"));
    QCOMPARE(d.iconField()->currentData().toString(), QStringLiteral("car"));
    QCOMPARE(d.mileageField()->value(), 69610.0); // the freshest odometer
    QVERIFY(!d.saveButton()->isEnabled()); // nothing to send yet
}

void TestDeviceEditDialog::onlyChangesAreSent()
{
    DeviceEditDialog d(device(), std::nullopt);
    d.show();
    QSignalSpy save(&d, &DeviceEditDialog::saveRequested);
    QLineEdit *name = d.field(QStringLiteral("name"));
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("CAR-002 Lyon"));
    QVERIFY(d.saveButton()->isEnabled());
    // A name is required.
    name->clear();
    QVERIFY(!d.saveButton()->isEnabled());
    QTest::keyClicks(name, QStringLiteral("CAR-002 Lyon"));
    QTest::mouseClick(d.saveButton(), Qt::LeftButton);
    QCOMPARE(save.size(), 1);
    QCOMPARE(save.first().at(0).toString(), QStringLiteral("862102278866018"));
    const auto u = save.first().at(1).value<DeviceUpdate>();
    QCOMPARE(u.deviceName, QStringLiteral("CAR-002 Lyon"));
    QVERIFY(!u.plate && !u.vehicleName && !u.driverName && !u.mileageKm && !u.vehicleIcon);
    // While the cloud is asked, no second save.
    QVERIFY(!d.saveButton()->isEnabled());
    QCOMPARE(d.messageLabel()->text(), QStringLiteral("Saving to the cloud…"));
}

void TestDeviceEditDialog::refusalKeepsTheFormOpen()
{
    DeviceEditDialog d(device(), std::nullopt);
    d.show();
    QTest::keyClicks(d.field(QStringLiteral("plate")), QStringLiteral("X"));
    QTest::mouseClick(d.saveButton(), Qt::LeftButton);
    AdminOutcome refused = AdminOutcome::failure(QStringLiteral("<b>Illegal device</b>"));
    refused.code = 1002;
    d.saved(refused);
    QVERIFY(d.isVisible());
    QCOMPARE(d.messageLabel()->text(), QStringLiteral("The cloud refused: <b>Illegal device</b> (1002)"));
    QCOMPARE(d.messageLabel()->textFormat(), Qt::PlainText);
    QCOMPARE(d.field(QStringLiteral("plate"))->text(), QStringLiteral("ZJ-145-BRX")); // nothing lost
    QVERIFY(d.saveButton()->isEnabled());
}

void TestDeviceEditDialog::acceptedCloses()
{
    DeviceEditDialog d(device(), std::nullopt);
    d.show();
    d.mileageField()->setValue(70000);
    QVERIFY(d.changes().mileageKm.has_value());
    QSignalSpy accepted(&d, &QDialog::accepted);
    QTest::mouseClick(d.saveButton(), Qt::LeftButton);
    AdminOutcome saved;
    saved.ok = saved.stored = true;
    d.saved(saved);
    QCOMPARE(accepted.size(), 1);
    QVERIFY(!d.isVisible());
}

QTEST_MAIN(TestDeviceEditDialog)
#include "tst_deviceeditdialog.moc"
