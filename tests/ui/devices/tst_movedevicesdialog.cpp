// Moving vehicles to a sub-account: the confirmation names both accounts
// and the vehicles; Cancel sends nothing; a partial refusal names the
// vehicles the cloud kept, and the dialog stays open.

#include "devices/movedevicesdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;

class TestMoveDevicesDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void confirmationNamesBothAccountsAndTheVehicles();
    void cancelSendsNothing();
    void aPartialRefusalNamesTheVehicles();
    void manyVehiclesAreCounted();

private:
    static QList<AdminVehicle> vans()
    {
        return {{QStringLiteral("860000000000001"), QStringLiteral("Van 1")},
                {QStringLiteral("860000000000002"), QStringLiteral("Van 2")}};
    }
};

void TestMoveDevicesDialog::confirmationNamesBothAccountsAndTheVehicles()
{
    MoveDevicesDialog d(vans(), QStringLiteral("acme"), {QStringLiteral("acme"), QStringLiteral("acme-north")});
    d.show();
    QCOMPARE(d.accountField()->count(), 1); // not the account they are in
    QVERIFY(!d.moveButton()->isEnabled());
    QTest::keyClicks(d.accountField()->lineEdit(), QStringLiteral("acme"));
    QVERIFY(!d.moveButton()->isEnabled()); // where they are already
    QTest::keyClicks(d.accountField()->lineEdit(), QStringLiteral("-south"));
    QVERIFY(d.moveButton()->isEnabled());
    QTest::mouseClick(d.clearBindingsBox(), Qt::LeftButton);

    QString asked;
    d.setConfirmer([&](QWidget *, const QString &, const QString &text) {
        asked = text;
        return true;
    });
    QSignalSpy requested(&d, &AdminDialog::requested);
    QTest::mouseClick(d.moveButton(), Qt::LeftButton);
    QVERIFY2(asked.startsWith(QStringLiteral("Move 2 vehicle(s) from account “acme” to account “acme-south”?")),
             qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("Van 1, Van 2")), qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("leave this account's view")), qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("Their app users are unbound.")), qPrintable(asked));
    QCOMPARE(requested.size(), 1);
    const FleetAdminRequest r = requested.at(0).at(0).value<FleetAdminRequest>();
    QCOMPARE(r.kind, FleetAdminRequest::Kind::MoveDevices);
    QCOMPARE(r.account, QStringLiteral("acme"));
    QCOMPARE(r.toAccount, QStringLiteral("acme-south"));
    QVERIFY(r.clearBindings);
    QCOMPARE(r.imeis, (QStringList{QStringLiteral("860000000000001"), QStringLiteral("860000000000002")}));
    QVERIFY(!d.moveButton()->isEnabled());

    QSignalSpy accepted(&d, &QDialog::accepted);
    AdminOutcome o;
    o.ok = o.stored = true;
    o.changed = r.imeis;
    d.finished(o);
    QCOMPARE(accepted.size(), 1);
}

void TestMoveDevicesDialog::cancelSendsNothing()
{
    MoveDevicesDialog d(vans(), QStringLiteral("acme"), {});
    d.show();
    QTest::keyClicks(d.accountField()->lineEdit(), QStringLiteral("acme-north"));
    d.setConfirmer([](QWidget *, const QString &, const QString &) { return false; });
    QSignalSpy requested(&d, &AdminDialog::requested);
    QTest::mouseClick(d.moveButton(), Qt::LeftButton);
    QCOMPARE(requested.size(), 0);
    QVERIFY(d.moveButton()->isEnabled());
}

void TestMoveDevicesDialog::aPartialRefusalNamesTheVehicles()
{
    MoveDevicesDialog d(vans(), QStringLiteral("acme"), {});
    d.show();
    QTest::keyClicks(d.accountField()->lineEdit(), QStringLiteral("acme-north"));
    d.setConfirmer([](QWidget *, const QString &, const QString &) { return true; });
    QTest::mouseClick(d.moveButton(), Qt::LeftButton);
    AdminOutcome o;
    o.changed = {QStringLiteral("860000000000001")};
    o.refused = {{QStringLiteral("860000000000002"), QStringLiteral("Illegal device")}};
    o.message = QStringLiteral("Illegal device");
    d.finished(o);
    QVERIFY(d.isVisible());
    QCOMPARE(d.messageLabel()->text(), QStringLiteral("Van 2: Illegal device"));
    QCOMPARE(d.accountField()->currentText(), QStringLiteral("acme-north"));
    QVERIFY(d.moveButton()->isEnabled());
}

void TestMoveDevicesDialog::manyVehiclesAreCounted()
{
    QList<AdminVehicle> many;
    for (int i = 0; i < 25; ++i)
        many.append(
            {QStringLiteral("8600000000001%1").arg(i, 2, 10, QLatin1Char('0')), QStringLiteral("Van %1").arg(i)});
    MoveDevicesDialog d(many, QStringLiteral("acme"), {});
    const QString text = d.confirmationText(QStringLiteral("acme-north"));
    QVERIFY2(text.startsWith(QStringLiteral("Move 25 vehicle(s)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Van 9 and 15 more")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("Van 10")));
}

QTEST_MAIN(TestMoveDevicesDialog)
#include "tst_movedevicesdialog.moc"
