// Commands end to end, in a real main window on the demo's simulated cloud:
// a van located now, its fuel cut after a clear warning through the Send
// command dialog (real clicks), the device's answer in the dialog, in the
// Commands dock and in the vehicle's details. Under Xvfb the dialog and the
// window are saved as PNGs to look at.

#include "app/mainwindow.h"
#include "commands/commandlistmodel.h"
#include "commands/commandspanel.h"
#include "commands/sendcommanddialog.h"
#include "devices/deviceeditdialog.h"
#include "devices/fleetpanel.h"
#include "devices/localgroupslist.h"
#include "map/mapwidget.h"
#include "map/vehiclelayer.h"
#include "models/fleetfiltermodel.h"
#include "models/fleettreemodel.h"
#include "devices/vehicledetailswidget.h"
#include "../demowindow.h"
#include "sync/livesession.h"
#include "util/utc.h"

#include <QComboBox>
#include <QDir>
#include <QStatusBar>
#include <QDockWidget>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QInputDialog>
#include <QMimeData>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

using namespace Fleet;

namespace {

// A Thursday at 10:00 fleet time: vehicles are out.
const QDateTime kFleetStart = Utc::dateTime(QDate(2026, 12, 3), QTime(10, 0));

} // namespace

class TestCommandsDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void locateNowRefreshesTheVan();
    void fuelCutAfterAWarningIsAnswered();
    void theCommandIsInTheListAndTheDetails();
    void renamedInTheCloudThenOnTheDesk();
    void putInALocalGroup();
    void screenshot();

private:
    // A GT06-family van with a fix whose device answers within seconds.
    QString quickVan() const;

    DemoTest::DemoWindow m_demo;
    LiveSession *m_session = nullptr;
    MainWindow *m_window = nullptr;
    QHash<QString, VehicleSnapshot> m_fleet;
    QString m_van;
    QPointer<SendCommandDialog> m_dialog;
};

void TestCommandsDemo::initTestCase()
{
    m_demo.settings->setAlarmOperator(QStringLiteral("dispatcher-1"));
    // The cloud's minute of lag and the quarter-hour poll, shortened.
    m_demo.commandResultLagSecs = 0;
    m_demo.commandPollMs = 300;
    m_demo.build(kFleetStart, 3);
    m_session = m_demo.session.get();
    m_window = m_demo.window.get();
    const auto keep = [this](const QList<VehicleSnapshot> &list) {
        for (const VehicleSnapshot &v : list)
            m_fleet.insert(v.imei(), v);
    };
    connect(m_session, &LiveSession::vehiclesLoaded, this, keep);
    connect(m_session, &LiveSession::vehiclesChanged, this, keep);
    QSignalSpy started(m_session, &LiveSession::started);
    m_session->start();
    QVERIFY(started.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(!quickVan().isEmpty(), 60000);
    m_van = quickVan();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->commandsPanel()->model()->databasePath().isEmpty(), 30000);
}

void TestCommandsDemo::cleanupTestCase()
{
    delete m_dialog;
    m_demo.window.reset();
    m_demo.session.reset();
}

QString TestCommandsDemo::quickVan() const
{
    const QJsonArray devices = m_demo.demo->simState().value(QLatin1String("devices")).toArray();
    for (int i = 0; i < devices.size(); ++i) {
        const QString imei = devices.at(i).toObject().value(QLatin1String("imei")).toString();
        const auto it = m_fleet.constFind(imei);
        if (it == m_fleet.cend() || !it->location.fix)
            continue;
        const QString model = it->device.model;
        // Every eighth simulated device answers minutes late (see SimCommandApi).
        if (i % 8 != 5 && !model.startsWith(QLatin1String("JC")) && !model.startsWith(QLatin1String("VL")))
            return imei;
    }
    return {};
}

void TestCommandsDemo::locateNowRefreshesTheVan()
{
    m_window->selectVehicle(m_van, false);
    QSignalSpy located(m_session, &LiveSession::located);
    QSignalSpy changed(m_session, &LiveSession::vehiclesChanged);
    auto *action = m_window->findChild<QAction *>(QStringLiteral("locateNowAction"));
    QVERIFY(action);
    action->trigger();
    QVERIFY(located.wait(10000));
    const auto outcome = located.first().at(1).value<LocateOutcome>();
    QCOMPARE(outcome.asked, 1);
    QCOMPARE(outcome.located, 1);
    QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
    QVERIFY(m_window->statusBar()->currentMessage().startsWith(QLatin1String("Located 1 vehicle")));
}

void TestCommandsDemo::fuelCutAfterAWarningIsAnswered()
{
    m_window->selectVehicle(m_van, false);
    auto *action = m_window->findChild<QAction *>(QStringLiteral("sendCommandAction"));
    QVERIFY(action);
    action->trigger();
    m_dialog = m_window->findChild<SendCommandDialog *>();
    QVERIFY(m_dialog);
    QString warning;
    m_dialog->setConfirmer([&](const QString &, const QString &text, const QString &) {
        warning = text;
        return true;
    });
    QListWidget *list = m_dialog->commandList();
    QTRY_VERIFY_WITH_TIMEOUT(list->count() > 0, 20000);
    QListWidgetItem *relay = nullptr;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->text() == QLatin1String("Fuel/Power Remote Control"))
            relay = list->item(i);
    }
    QVERIFY(relay);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(relay).center());
    QCOMPARE(m_dialog->previewLabel()->text(), QStringLiteral("The device gets: RELAY,1#"));
    QTest::mouseClick(m_dialog->sendButton(), Qt::LeftButton);
    const QString name = m_fleet.value(m_van).displayName();
    QVERIFY2(warning.contains(QStringLiteral("Vehicles (1): %1").arg(name)), qPrintable(warning));
    QVERIFY2(warning.contains(QStringLiteral("the engine stops")), qPrintable(warning));

    QTableWidget *results = m_dialog->resultsTable();
    QCOMPARE(results->rowCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(results->item(0, 1)->text(), QStringLiteral("Answered"), 60000);
    QCOMPARE(results->item(0, 2)->text(), QStringLiteral("Cut off the fuel supply: Success!"));
}

void TestCommandsDemo::theCommandIsInTheListAndTheDetails()
{
    CommandsPanel *panel = m_window->commandsPanel();
    QVERIFY(m_window->commandsDock()->isVisible());
    CommandListModel *model = panel->model();
    QTRY_VERIFY(model->rowCount() >= 1 && model->rowAt(0)->state == CommandState::Answered);
    const CommandRecord *row = model->rowAt(0);
    QCOMPARE(row->text, QStringLiteral("RELAY,1#"));
    QCOMPARE(row->operatorName, QStringLiteral("dispatcher-1"));
    QCOMPARE(row->danger, CommandDanger::FuelCut);
    // A click shows its story.
    QTableView *view = panel->view();
    m_window->commandsDock()->raise();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(model->index(0, 1)).center());
    QTRY_VERIFY(panel->detailsLabel()->text().contains(QLatin1String("The device answered")));
    QVERIFY(panel->detailsLabel()->text().contains(QLatin1String("by dispatcher-1")));
    // The answered filter finds it; nothing failed.
    panel->setStateFilter(CommandsPanel::StateFilter::Answered);
    QCOMPARE(model->rowCount(), 1);
    panel->setStateFilter(CommandsPanel::StateFilter::Problems);
    QCOMPARE(model->rowCount(), 0);
    panel->setStateFilter(CommandsPanel::StateFilter::All);
    // The vehicle's details list its last commands.
    QTRY_VERIFY(m_window->details()->fieldText(QStringLiteral("Commands")).contains(QLatin1String("RELAY,1#: Answered")));
}

void TestCommandsDemo::renamedInTheCloudThenOnTheDesk()
{
    DeviceEditDialog *edit = m_window->editVehicle(m_van);
    QVERIFY(edit);
    QLineEdit *name = edit->field(QStringLiteral("name"));
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("CAR-002 Lyon"));
    QSignalSpy updated(m_session, &LiveSession::deviceUpdated);
    QTest::mouseClick(edit->saveButton(), Qt::LeftButton);
    QVERIFY(updated.wait(20000));
    const auto outcome = updated.first().at(2).value<AdminOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QVERIFY(outcome.stored);
    // The desk shows what the cloud now holds.
    QTRY_COMPARE_WITH_TIMEOUT(m_fleet.value(m_van).device.name, QStringLiteral("CAR-002 Lyon"), 10000);
    QTRY_COMPARE(m_window->details()->fieldText(QStringLiteral("Name")), QStringLiteral("CAR-002 Lyon"));
}

void TestCommandsDemo::putInALocalGroup()
{
    LocalGroupsList *groups = m_window->fleetPanel()->localGroups();
    // A new group, named in the dialog as a user types it.
    QTimer::singleShot(0, this, [] {
        auto *input = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        QVERIFY(input);
        input->setTextValue(QStringLiteral("Night shift"));
        input->accept();
    });
    groups->createGroup({});
    QTRY_COMPARE(groups->count(), 2);
    QCOMPARE(groups->item(1)->text(), QStringLiteral("Night shift (0)"));
    // The van dragged from the fleet list onto it (the list's own drag data).
    FleetFilterModel *list = m_window->fleetPanel()->filter();
    const QModelIndex van = list->mapFromSource(m_window->fleetModel()->indexOf(m_van));
    std::unique_ptr<QMimeData> mime(list->mimeData({van}));
    QVERIFY(mime);
    const QPoint at = groups->visualItemRect(groups->item(1)).center();
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(groups->viewport(), &enter);
    QDragMoveEvent move(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(groups->viewport(), &move);
    QDropEvent drop(QPointF(at), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(groups->viewport(), &drop);
    QTRY_COMPARE(groups->item(1)->text(), QStringLiteral("Night shift (1)"));
    // Chosen, it limits the list and the map to its vehicle.
    QTest::mouseClick(groups->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(m_window->fleetPanel()->filter()->visibleVehicleCount(), 1);
    QCOMPARE(m_window->map()->vehicleLayer()->count(), 1);
    QVERIFY(m_window->map()->vehicleLayer()->contains(m_van));
    QTest::mouseClick(groups->viewport(), Qt::LeftButton, {}, groups->visualItemRect(groups->item(0)).center());
    QCOMPARE(m_window->map()->vehicleLayer()->count(), m_fleet.size());
}

void TestCommandsDemo::screenshot()
{
    if (QGuiApplication::platformName() != QLatin1String("xcb"))
        QSKIP("the pictures are taken under Xvfb");
    const QString dir = QStringLiteral(FLEET_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    QVERIFY(m_dialog);
    m_dialog->raise();
    QTest::qWait(300);
    QVERIFY(m_dialog->grab().toImage().save(dir + QStringLiteral("/sendcommand.png")));
    m_dialog->close();
    m_window->playbackDock()->hide();
    m_window->commandsDock()->raise();
    QTest::qWait(300);
    QVERIFY(m_window->grab().toImage().save(dir + QStringLiteral("/commands.png")));
}

QTEST_MAIN(TestCommandsDemo)
#include "tst_commandsdemo.moc"
