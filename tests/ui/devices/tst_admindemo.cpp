// Fleet administration end to end, in a real main window on the demo's
// simulated cloud: a cloud group created and renamed through its dialog,
// service extended from the expiry list, an app user bound, a van moved to
// a sub-account (it leaves the list and the map), and a local group's
// vehicles put into playback at once. Under Xvfb the dialogs are saved as
// PNGs to look at.

#include "../demowindow.h"
#include "app/mainwindow.h"
#include "devices/appusersdialog.h"
#include "devices/cloudgroupsdialog.h"
#include "devices/expirydialog.h"
#include "devices/movedevicesdialog.h"
#include "map/mapwidget.h"
#include "map/vehiclelayer.h"
#include "models/fleettreemodel.h"
#include "playback/playbackpanel.h"
#include "store/storereader.h"
#include "sync/livesession.h"
#include "util/utc.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>

using namespace Fleet;

namespace {

const QDateTime kFleetStart = Utc::dateTime(QDate(2026, 12, 3), QTime(10, 0));

QTreeWidgetItem *named(QTreeWidget *list, const QString &text, int column = 0)
{
    const QList<QTreeWidgetItem *> found = list->findItems(text, Qt::MatchExactly, column);
    return found.isEmpty() ? nullptr : found.constFirst();
}

void clickItem(QTreeWidget *list, QTreeWidgetItem *item)
{
    list->scrollToItem(item);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(item).center());
}

} // namespace

class TestAdminDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cloudGroupCreatedAndRenamed();
    void serviceExtendedFromTheExpiryList();
    void appUserBound();
    void movedVanLeavesTheWindow();
    void localGroupIntoPlayback();

private:
    // Waits for the session's answer to the dialog's request.
    bool answered(AdminDialog *dialog);
    void save(QWidget *widget, const QString &name);

    DemoTest::DemoWindow m_demo;
    LiveSession *m_session = nullptr;
    MainWindow *m_window = nullptr;
    StoreReader m_reader;
};

void TestAdminDemo::initTestCase()
{
    m_demo.build(kFleetStart, 5);
    m_session = m_demo.session.get();
    m_window = m_demo.window.get();
    QSignalSpy started(m_session, &LiveSession::started);
    m_session->start();
    QVERIFY(started.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->fleetModel()->vehicleCount() == 8, 60000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QVERIFY(m_reader.open(m_session->settings().databasePath));
    QVERIFY(!m_session->account().isEmpty());
}

void TestAdminDemo::cleanupTestCase()
{
    m_reader.close();
    m_demo.window.reset();
    m_demo.session.reset();
}

bool TestAdminDemo::answered(AdminDialog *dialog)
{
    return QTest::qWaitFor([dialog] { return !dialog->isBusy(); }, 30000);
}

void TestAdminDemo::save(QWidget *widget, const QString &name)
{
    if (QGuiApplication::platformName() != QLatin1String("xcb"))
        return; // the pictures are taken under Xvfb
    const QString dir = QStringLiteral(FLEET_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    widget->raise();
    QTest::qWait(200);
    QVERIFY(widget->grab().toImage().save(dir + QLatin1Char('/') + name));
}

void TestAdminDemo::cloudGroupCreatedAndRenamed()
{
    auto *action = m_window->findChild<QAction *>(QStringLiteral("cloudGroupsAction"));
    QVERIFY(action);
    action->trigger();
    CloudGroupsDialog *d = m_window->openCloudGroups(); // the one open, raised
    QVERIFY(d && d->isVisible());
    const int before = d->list()->topLevelItemCount();
    QVERIFY(before >= 1); // the device sync stored the account's groups

    QTest::keyClicks(d->nameField(), QStringLiteral("Airport run"));
    QTest::mouseClick(d->createButton(), Qt::LeftButton);
    QVERIFY(answered(d));
    QCOMPARE(d->messageLabel()->text(), QStringLiteral("Created in the cloud."));
    QCOMPARE(d->list()->topLevelItemCount(), before + 1);
    QTreeWidgetItem *created = named(d->list(), QStringLiteral("Airport run"));
    QVERIFY(created);
    QCOMPARE(d->list()->currentItem(), created);

    d->nameField()->selectAll();
    QTest::keyClicks(d->nameField(), QStringLiteral("Airport shuttle"));
    QTest::mouseClick(d->renameButton(), Qt::LeftButton);
    QVERIFY(answered(d));
    QVERIFY(named(d->list(), QStringLiteral("Airport shuttle")));
    const QList<DeviceGroup> stored = m_reader.groups();
    QVERIFY(std::any_of(stored.cbegin(), stored.cend(),
                        [](const DeviceGroup &g) { return g.name == QLatin1String("Airport shuttle"); }));

    // A second group of that name: the cloud refuses, the dialog says so.
    QTest::mouseClick(d->createButton(), Qt::LeftButton);
    QVERIFY(answered(d));
    QVERIFY2(d->messageLabel()->text().contains(QStringLiteral("already exists (1003)")),
             qPrintable(d->messageLabel()->text()));
    save(d, QStringLiteral("cloudgroups.png"));
    d->close();
}

void TestAdminDemo::serviceExtendedFromTheExpiryList()
{
    ExpiryDialog *d = m_window->openExpiry();
    QVERIFY(d);
    d->daysField()->setValue(3650);
    QCOMPARE(d->list()->topLevelItemCount(), 8);
    QTreeWidgetItem *first = d->list()->topLevelItem(0);
    const QString imei = first->text(1);
    clickItem(d->list(), first);
    QCOMPARE(d->selectedImeis(), QStringList{imei});
    d->dateField()->setDate(QDate(2037, 6, 30));
    QTest::mouseClick(d->extendButton(), Qt::LeftButton);
    QVERIFY(answered(d));
    QVERIFY2(d->messageLabel()->text().startsWith(QStringLiteral("Extended 1 vehicle")),
             qPrintable(d->messageLabel()->text()));
    // Read again from the store: the cloud's new date, beyond the list's ten years.
    QCOMPARE(m_reader.device(imei)->expiration, Utc::dateTime(QDate(2037, 6, 30), QTime(23, 59, 59)));
    QVERIFY(!named(d->list(), imei, 1)); // beyond ten years
    QCOMPARE(d->list()->topLevelItemCount(), 7);
    save(d, QStringLiteral("expiry.png"));
    d->close();
}

void TestAdminDemo::appUserBound()
{
    const QString imei = m_reader.devices().constFirst().imei;
    AppUsersDialog *d = m_window->openAppUsers({imei});
    QVERIFY(d);
    QTest::keyClicks(d->userField(), QStringLiteral("driver-app-12"));
    QTest::mouseClick(d->bindButton(), Qt::LeftButton);
    QVERIFY(answered(d));
    QVERIFY2(d->messageLabel()->text().contains(QStringLiteral("bound to 1 vehicle")),
             qPrintable(d->messageLabel()->text()));
    QTest::mouseClick(d->bindButton(), Qt::LeftButton);
    QVERIFY(answered(d));
    QVERIFY2(d->messageLabel()->text().contains(QStringLiteral("already bound")), qPrintable(d->messageLabel()->text()));
    d->close();
}

void TestAdminDemo::movedVanLeavesTheWindow()
{
    const QString imei = m_reader.devices().constLast().imei;
    m_window->selectVehicle(imei, false);
    QVERIFY(m_window->map()->vehicleLayer()->contains(imei));
    QPointer<MoveDevicesDialog> d = m_window->openMoveDevices({imei});
    QVERIFY(d);
    QString asked;
    d->setConfirmer([&asked](QWidget *, const QString &, const QString &text) {
        asked = text;
        return true;
    });
    QTest::keyClicks(d->accountField()->lineEdit(), QStringLiteral("sub-north"));
    save(d, QStringLiteral("movedevices.png"));
    QSignalSpy removed(m_session, &LiveSession::vehiclesRemoved);
    QTest::mouseClick(d->moveButton(), Qt::LeftButton);
    QVERIFY2(asked.contains(QStringLiteral("from account “%1” to account “sub-north”").arg(m_session->account())),
             qPrintable(asked));
    QVERIFY(removed.wait(30000));
    QCOMPARE(removed.first().first().toStringList(), QStringList{imei});
    QTRY_VERIFY(d.isNull() || !d->isVisible()); // closed on success
    QVERIFY(!m_window->fleetModel()->vehicle(imei));
    QCOMPARE(m_window->fleetModel()->vehicleCount(), 7);
    QVERIFY(!m_window->map()->vehicleLayer()->contains(imei));
    QCOMPARE(m_reader.departures().constFirst().toAccount, QStringLiteral("sub-north"));
}

void TestAdminDemo::localGroupIntoPlayback()
{
    const QList<Device> fleet = m_reader.devices();
    LocalGroupChange c;
    c.kind = LocalGroupChange::Kind::Create;
    c.name = QStringLiteral("Night shift");
    c.imeis = {fleet.at(0).imei, fleet.at(1).imei};
    QSignalSpy changed(m_session, &LiveSession::localGroupsChanged);
    m_session->changeLocalGroups({c});
    QVERIFY(changed.wait(10000));
    PlaybackPanel *playback = m_window->playback();
    QToolButton *add = playback->addGroupButton();
    QTRY_VERIFY(add->isEnabled());
    for (const QString &imei : playback->vehicles())
        playback->removeVehicle(imei);
    QAction *group = add->menu()->actions().constFirst();
    QVERIFY2(group->text().startsWith(QStringLiteral("Night shift (2")), qPrintable(group->text()));
    group->trigger();
    QCOMPARE(playback->vehicles(), c.imeis);
}

QTEST_MAIN(TestAdminDemo)
#include "tst_admindemo.moc"
