// App users: bind and unbind through real clicks, the answer said per
// vehicle, the dialog kept open for the next one.

#include "devices/appusersdialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;

class TestAppUsersDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bindsAndSaysSo();
    void unbindNamesTheRefusedVehicles();
};

namespace {

QList<AdminVehicle> vans()
{
    return {{QStringLiteral("860000000000001"), QStringLiteral("Van 1")},
            {QStringLiteral("860000000000002"), QStringLiteral("Van 2")}};
}

} // namespace

void TestAppUsersDialog::bindsAndSaysSo()
{
    AppUsersDialog d(vans());
    d.show();
    QVERIFY(!d.bindButton()->isEnabled());
    QTest::keyClicks(d.userField(), QStringLiteral(" driver-7 "));
    QVERIFY(d.bindButton()->isEnabled());
    QSignalSpy requested(&d, &AdminDialog::requested);
    QTest::mouseClick(d.bindButton(), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    const FleetAdminRequest r = requested.at(0).at(0).value<FleetAdminRequest>();
    QCOMPARE(r.kind, FleetAdminRequest::Kind::BindUser);
    QCOMPARE(r.userId, QStringLiteral("driver-7"));
    QCOMPARE(r.imeis.size(), 2);
    QVERIFY(!d.userField()->isEnabled());
    AdminOutcome o;
    o.ok = true;
    o.changed = r.imeis;
    d.finished(o);
    QVERIFY(d.isVisible());
    QVERIFY(d.userField()->isEnabled());
    QCOMPARE(d.messageLabel()->text(), QStringLiteral("“driver-7” bound to 2 vehicle(s)."));
}

void TestAppUsersDialog::unbindNamesTheRefusedVehicles()
{
    AppUsersDialog d(vans());
    d.show();
    QTest::keyClicks(d.userField(), QStringLiteral("driver-7"));
    QSignalSpy requested(&d, &AdminDialog::requested);
    QTest::mouseClick(d.unbindButton(), Qt::LeftButton);
    QCOMPARE(requested.at(0).at(0).value<FleetAdminRequest>().kind, FleetAdminRequest::Kind::UnbindUser);
    AdminOutcome o;
    o.changed = {QStringLiteral("860000000000001")};
    o.refused = {{QStringLiteral("860000000000002"), QStringLiteral("The device is not bound to this user")}};
    o.code = 10;
    o.message = QStringLiteral("The device is not bound to this user");
    d.finished(o);
    QCOMPARE(d.messageLabel()->text(),
             QStringLiteral("“driver-7” unbound from 1 vehicle(s).\n"
                            "Van 2: The device is not bound to this user"));
}

QTEST_MAIN(TestAppUsersDialog)
#include "tst_appusersdialog.moc"
