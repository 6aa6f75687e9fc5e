// The alarm desk end to end, in a real main window on the demo's simulated
// cloud: an SOS the simulator raises (pushed to the session's webhook, also
// polled) is listed on top, pulses on the map, is acknowledged with a note by
// two clicks and replayed in one; a repeat folds into its row; a dashcam's
// alarm is acknowledged on the device through the instruction gateway. Under Xvfb the
// window is saved as a PNG to look at (critical, folded and ordinary rows).

#include "alarms/alarmdeskpanel.h"
#include "alarms/alarmmediastrip.h"
#include "alarms/alarmspotlayer.h"
#include "app/mainwindow.h"
#include "../demowindow.h"
#include "map/mapwidget.h"
#include "models/fleettreemodel.h"
#include "playback/playbackpanel.h"
#include "settings/appsettings.h"
#include "store/storereader.h"
#include "sync/livesession.h"
#include "util/utc.h"

#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;

namespace {

// A Thursday at 10:00 fleet time: vehicles are out.
const QDateTime kFleetStart = Utc::dateTime(QDate(2026, 12, 3), QTime(10, 0));

} // namespace

class TestAlarmDeskDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sosIsListedPulsesAndIsAcknowledged();
    void repeatFoldsAndReplayOpensPlayback();
    void dashcamAlarmIsAcknowledgedOnTheDevice();
    void dashcamAlarmShowsItsPhotoAndClip();
    void screenshot();

private:
    int rowOfType(const QString &imei, const QString &typeId) const;
    QString vehicleWithFix(int skip) const;

    DemoTest::DemoWindow m_demo;
    LiveSession *m_session = nullptr;
    MainWindow *m_window = nullptr;
    QHash<QString, VehicleSnapshot> m_fleet; // as the session delivers it
    QString m_sosVehicle;
    qint64 m_sosId = 0;
    QTemporaryDir m_cache; // the photos' and clips' cache
};

void TestAlarmDeskDemo::initTestCase()
{
    m_demo.settings->setAlarmOperator(QStringLiteral("dispatcher-1"));
    m_demo.settings->setAlarmView(QStringLiteral("all"), QStringLiteral("day"));
    m_demo.build(kFleetStart, 3); // seed 3: two of the eight are dashcams
    m_session = m_demo.session.get();
    m_window = m_demo.window.get();
    m_window->alarmDesk()->mediaStrip()->setCacheDirectory(m_cache.path());
    QSignalSpy loaded(m_session, &LiveSession::vehiclesLoaded);
    const auto keep = [this](const QList<VehicleSnapshot> &list) {
        for (const VehicleSnapshot &v : list)
            m_fleet.insert(v.imei(), v);
    };
    connect(m_session, &LiveSession::vehiclesLoaded, this, keep);
    connect(m_session, &LiveSession::vehiclesChanged, this, keep);
    m_session->start();
    QVERIFY(loaded.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(!vehicleWithFix(1).isEmpty(), 60000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->alarmDesk()->model()->reader().isOpen(), 30000);
}

void TestAlarmDeskDemo::cleanupTestCase()
{
    m_demo.window.reset();
    m_demo.session.reset();
}

QString TestAlarmDeskDemo::vehicleWithFix(int skip) const
{
    QStringList imeis = m_fleet.keys();
    imeis.sort();
    for (const QString &imei : std::as_const(imeis)) {
        const VehicleSnapshot &v = m_fleet[imei];
        if (v.location.fix && skip-- == 0)
            return v.imei();
    }
    return {};
}

int TestAlarmDeskDemo::rowOfType(const QString &imei, const QString &typeId) const
{
    const AlarmListModel *m = m_window->alarmDesk()->model();
    for (int r = 0; r < m->rowCount(); ++r) {
        const AlarmDeskRow *row = m->rowAt(r);
        if (row->alarm.imei == imei && row->alarm.typeId == typeId)
            return r;
    }
    return -1;
}

void TestAlarmDeskDemo::sosIsListedPulsesAndIsAcknowledged()
{
    m_sosVehicle = vehicleWithFix(0);
    QVERIFY(!m_sosVehicle.isEmpty());
    m_window->selectVehicle(m_sosVehicle, false);
    QVERIFY(m_window->raiseDemoAlarm(QStringLiteral("1")));

    AlarmDeskPanel *desk = m_window->alarmDesk();
    // Listed, pinned on top, named as the fleet names the vehicle.
    QTRY_COMPARE_WITH_TIMEOUT(rowOfType(m_sosVehicle, QStringLiteral("1")), 0, 30000);
    const AlarmListModel *model = desk->model();
    QCOMPARE(model->index(0, AlarmListModel::Type).data().toString(), QStringLiteral("SOS"));
    QVERIFY(model->index(0, 0).data(AlarmListModel::PinnedRole).toBool());
    m_sosId = model->index(0, 0).data(AlarmListModel::IdRole).toLongLong();
    QTRY_VERIFY(m_window->alarmDock()->windowTitle().contains(QStringLiteral("new")));
    // The vehicle pulses on the map.
    QTRY_VERIFY(m_window->alarmSpots()->isAnimating());
    QCOMPARE(m_window->alarmSpots()->pulses().size(), 1);

    // Two clicks: the row, then Acknowledge (the note typed first).
    auto *note = desk->findChild<QLineEdit *>(QStringLiteral("alarmNote"));
    QTest::mouseClick(note, Qt::LeftButton);
    QTest::keyClicks(note, QStringLiteral("called the driver: a test"));
    QTableView *view = desk->view();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier,
                      view->visualRect(model->index(0, AlarmListModel::Vehicle)).center());
    QTest::mouseClick(desk->findChild<QPushButton *>(QStringLiteral("alarmAcknowledge")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, AlarmListModel::State).data().toString(), QStringLiteral("Acknowledged"),
                              10000);
    QCOMPARE(model->index(0, AlarmListModel::Handler).data().toString(), QStringLiteral("dispatcher-1"));
    // Handled: no more pulse.
    QTRY_VERIFY(!m_window->alarmSpots()->isAnimating());

    StoreReader reader;
    QVERIFY(reader.open(m_session->settings().databasePath));
    const std::optional<AlarmDeskRow> row = reader.alarmDeskRow(m_sosId);
    QVERIFY(row);
    QCOMPARE(row->state, AlarmState::Acknowledged);
    QCOMPARE(row->note, QStringLiteral("called the driver: a test"));
    QCOMPARE(reader.alarmActions(m_sosId).size(), 1);

    // Double-click: the map centres on the alarm and marks it.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier,
                      view->visualRect(model->index(0, AlarmListModel::Place)).center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, Qt::NoModifier,
                       view->visualRect(model->index(0, AlarmListModel::Place)).center());
    QVERIFY(m_window->alarmSpots()->mark().has_value());
    QCOMPARE(m_window->selectedVehicle(), m_sosVehicle);
    const QPointF centre = m_window->map()->viewport().centre();
    QVERIFY(qAbs(centre.x() - m_window->alarmSpots()->mark()->x()) < 1e-9);
}

void TestAlarmDeskDemo::repeatFoldsAndReplayOpensPlayback()
{
    // Another SOS of the same vehicle within the minute folds into its row.
    m_window->selectVehicle(m_sosVehicle, false);
    QVERIFY(m_window->raiseDemoAlarm(QStringLiteral("1")));
    const AlarmListModel *model = m_window->alarmDesk()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data(AlarmListModel::CountRole).toInt(), 2, 30000);
    QCOMPARE(model->index(0, 0).data(AlarmListModel::IdRole).toLongLong(), m_sosId);
    // A power cut on another vehicle: a second critical row, new.
    const QString other = vehicleWithFix(1);
    m_window->selectVehicle(other, false);
    QVERIFY(m_window->raiseDemoAlarm(QStringLiteral("2")));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfType(other, QStringLiteral("2")) == 0, 30000);

    // One click: Replay opens playback around the alarm.
    QTableView *view = m_window->alarmDesk()->view();
    const int row = rowOfType(m_sosVehicle, QStringLiteral("1"));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier,
                      view->visualRect(model->index(row, AlarmListModel::Vehicle)).center());
    QTest::mouseClick(m_window->alarmDesk()->findChild<QPushButton *>(QStringLiteral("alarmReplay")), Qt::LeftButton);
    QVERIFY(m_window->playbackDock()->isVisible());
    const TimeSpan range = m_window->playback()->range();
    const AlarmDeskRow *sos = model->rowAt(row);
    QCOMPARE(range.from, sos->alarm.time.addSecs(-600));
    QCOMPARE(range.to, sos->lastTime.addSecs(300));
}

void TestAlarmDeskDemo::dashcamAlarmIsAcknowledgedOnTheDevice()
{
    // A dashcam (JT/T 808) numbers its alarms; the demo's account has an
    // instruction gateway, so the desk offers to acknowledge on the device.
    QString cam;
    QStringList imeis = m_fleet.keys();
    imeis.sort();
    for (const QString &imei : std::as_const(imeis)) {
        const VehicleSnapshot &v = m_fleet[imei];
        if (v.location.fix && v.device.model.startsWith(QLatin1String("JC")) && imei != m_sosVehicle)
            cam = imei;
    }
    QVERIFY2(!cam.isEmpty(), "the demo fleet has a dashcam with a fix");
    QVERIFY(m_session->canAckOnDevice());
    m_window->selectVehicle(cam, false);
    QVERIFY(m_window->raiseDemoAlarm(QStringLiteral("48"))); // harsh braking
    QTRY_VERIFY_WITH_TIMEOUT(rowOfType(cam, QStringLiteral("48")) >= 0, 30000);
    AlarmDeskPanel *desk = m_window->alarmDesk();
    const AlarmListModel *model = desk->model();
    const int row = rowOfType(cam, QStringLiteral("48"));
    QVERIFY(model->rowAt(row)->alarm.serialNo.has_value());
    QTableView *view = desk->view();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier,
                      view->visualRect(model->index(row, AlarmListModel::Vehicle)).center());
    auto *onDevice = desk->findChild<QPushButton *>(QStringLiteral("alarmDeviceAck"));
    QVERIFY(onDevice->isVisible());
    QVERIFY(onDevice->isEnabled());
    QSignalSpy answered(m_session, &LiveSession::deviceAckDone);
    QTest::mouseClick(onDevice, Qt::LeftButton);
    QVERIFY(answered.wait(30000));
    const auto answer = answered.at(0).at(1).value<AlarmDeviceAck>();
    QCOMPARE(answer.result, DeviceAckResult::Confirmed);
    QVERIFY2(desk->deviceAckStatus().endsWith(QStringLiteral("): confirmed (100)")), qPrintable(desk->deviceAckStatus()));
    QTRY_VERIFY(desk->detailsText().contains(QStringLiteral("sent the acknowledgement to the device (serial %1): confirmed (100)")
                                                 .arg(*model->rowAt(rowOfType(cam, QStringLiteral("48")))->alarm.serialNo)));
}

void TestAlarmDeskDemo::dashcamAlarmShowsItsPhotoAndClip()
{
    // The harsh braking of the test before: the dashcam filmed it, its push
    // named the clip, and the desk asked the demo's cloud for the alarm's
    // photo and clip when it was selected.
    AlarmDeskPanel *desk = m_window->alarmDesk();
    const AlarmListModel *model = desk->model();
    AlarmMediaStrip *strip = desk->mediaStrip();
    QTRY_VERIFY_WITH_TIMEOUT(strip->count() == 2, 30000);
    const AlarmDeskRow *row = model->rowAt(desk->view()->selectionModel()->currentIndex().row());
    QVERIFY(row && !row->alarm.mediaFile.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(strip->thumbnailsShown(), 2, 30000);
    QCOMPARE(strip->statusText(), QStringLiteral("2 photo(s) or clip(s); double-click one to open it."));

    // Double-click the clip: fetched whole and handed to the system's player.
    QList<QUrl> opened;
    strip->setOpener([&opened](const QUrl &url) {
        opened.append(url);
        return true;
    });
    QListWidget *list = strip->list();
    int clip = -1;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->text().startsWith(QStringLiteral("Clip")))
            clip = i;
    }
    QVERIFY(clip >= 0);
    const QPoint p = list->visualItemRect(list->item(clip)).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, p);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, p);
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 30000);
    QFile got(opened.constFirst().toLocalFile());
    QVERIFY(got.open(QIODevice::ReadOnly));
    QFile served(QStringLiteral(":/simmedia/clip.mp4"));
    QVERIFY(served.open(QIODevice::ReadOnly));
    QCOMPARE(got.readAll(), served.readAll());
}

void TestAlarmDeskDemo::screenshot()
{
    if (QGuiApplication::platformName() != QLatin1String("xcb"))
        QSKIP("the picture is taken under Xvfb (the screenshot label)");
    m_window->playbackDock()->hide();
    m_window->alarmDock()->raise();
    QTest::qWait(300);
    const QImage shot = m_window->grab().toImage();
    const QString dir = QStringLiteral(FLEET_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    QVERIFY(shot.save(dir + QStringLiteral("/alarmdesk.png")));
    // The pinned critical rows are tinted red in the list.
    const QImage list = m_window->alarmDesk()->view()->viewport()->grab().toImage();
    int reddish = 0;
    for (int y = 0; y < list.height(); ++y) {
        for (int x = 0; x < list.width(); ++x) {
            const QColor c = list.pixelColor(x, y);
            reddish += c.red() > c.green() + 20 && c.red() > c.blue() + 20;
        }
    }
    QVERIFY2(reddish > 1000, qPrintable(QString::number(reddish)));
}

QTEST_MAIN(TestAlarmDeskDemo)
#include "tst_alarmdeskdemo.moc"
