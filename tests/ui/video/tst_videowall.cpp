// The Cameras dock end to end, in a real main window on the demo's
// simulated cloud: Ctrl+Shift+V on a dashcam opens its two channels, which play
// the simulator's live video; a dropped stream comes back by itself with
// the same appId; a snapshot is a PNG of the picture; the watch limit and
// the Close button close the stream in the cloud; ending the session closes
// what is left. Under Xvfb a 2x2 wall is saved as a PNG to look at.

#include "../demowindow.h"
#include "alarms/alarmdeskpanel.h"
#include "alarms/alarmlistmodel.h"
#include "app/mainwindow.h"
#include "domain/camera.h"
#include "models/fleettreemodel.h"
#include "store/storereader.h"
#include "sync/livesession.h"
#include "util/utc.h"
#include "alarms/alarmmediastrip.h"
#include "video/clipplayerdialog.h"
#include "video/mediagallerydialog.h"
#include "video/recordingsdialog.h"
#include "video/videotile.h"
#include "video/videowall.h"
#include "videostream.h"

#include <QComboBox>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QDockWidget>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace Fleet;
using namespace Qt::StringLiterals;

namespace {

// A Thursday at 10:00 fleet time: the vans are out, their dashcams on.
const QDateTime kFleetStart = Utc::dateTime(QDate(2026, 12, 3), QTime(10, 0));

} // namespace

class TestVideoWall : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void ctrlShiftVOpensTheCamerasOfADashcam();
    void aDroppedStreamComesBack();
    void aTileSwitchesToTheOtherCamera();
    void soundOnOneTileAtATime();
    void snapshotIsThePicture();
    void plainTrackerHasNoCamera();
    void fullScreenAndBack();
    void closeButtonClosesTheStreamInTheCloud();
    void watchLimitClosesTheStream();
    void alarmDeskOpensTheCamerasOfItsVehicle();
    void screenshotOfAWall();
    void recordingsFromTheCard();
    void seekingInsideARecording();
    void savingARecording();
    void photoOnDemandInTheGallery();
    void endingTheSessionClosesEveryStream();

private:
    int openStreamsInTheCloud() { return m_demo.demo->simState().value(u"openStreams"_s).toInt(); }
    bool allPlaying() const;
    QStringList dashcams() const;

    DemoTest::DemoWindow m_demo;
    LiveSession *m_session = nullptr;
    MainWindow *m_window = nullptr;
    VideoWall *m_wall = nullptr;
    QHash<QString, VehicleSnapshot> m_fleet;
    QTemporaryDir m_pictures;
};

void TestVideoWall::initTestCase()
{
    m_demo.build(kFleetStart, 3); // seed 3: two of the eight are dashcams
    m_session = m_demo.session.get();
    m_window = m_demo.window.get();
    m_wall = m_window->videoWall();
    m_wall->setSnapshotDir(m_pictures.path());
    const auto keep = [this](const QList<VehicleSnapshot> &list) {
        for (const VehicleSnapshot &v : list)
            m_fleet.insert(v.imei(), v);
    };
    connect(m_session, &LiveSession::vehiclesLoaded, this, keep);
    connect(m_session, &LiveSession::vehiclesChanged, this, keep);
    QSignalSpy loaded(m_session, &LiveSession::vehiclesLoaded);
    m_session->start();
    QVERIFY(loaded.wait(60000));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    // No two things in the window answer the same key (a shortcut two
    // enabled actions share fires neither).
    QHash<QKeySequence, QString> taken;
    const auto take = [&taken](const QKeySequence &key, const QString &what) {
        if (key.isEmpty())
            return true;
        const bool unique = !taken.contains(key);
        taken.insert(key, what);
        return unique;
    };
    QStringList clashes;
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (!take(a->shortcut(), a->text()))
            clashes.append(a->shortcut().toString() + u" "_s + a->text() + u" / "_s + taken.value(a->shortcut()));
    }
    for (QAbstractButton *b : m_window->findChildren<QAbstractButton *>()) {
        if (!take(b->shortcut(), b->text()))
            clashes.append(b->shortcut().toString() + u" "_s + b->text());
    }
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u"; "_s)));
    // The fleet comes with the first sweep.
    QTRY_COMPARE_WITH_TIMEOUT(dashcams().size(), 2, 60000);
    QVERIFY(!m_window->videoDock()->isVisible());
}

void TestVideoWall::cleanupTestCase()
{
    m_demo.window.reset();
    m_demo.session.reset();
}

QStringList TestVideoWall::dashcams() const
{
    QStringList out;
    for (const VehicleSnapshot &v : m_fleet) {
        if (cameraLayout(v.device.model).dashcam)
            out.append(v.imei());
    }
    out.sort();
    return out;
}

bool TestVideoWall::allPlaying() const
{
    const QList<VideoTile *> tiles = m_wall->tiles();
    return !tiles.isEmpty() && std::all_of(tiles.cbegin(), tiles.cend(), [](VideoTile *t) {
        return t->stream()->state() == Player::VideoStream::State::Playing && !t->picture().isNull();
    });
}

void TestVideoWall::ctrlShiftVOpensTheCamerasOfADashcam()
{
    const QString imei = dashcams().first();
    m_window->openCameras(QString()); // nothing selected: said, nothing opened
    QVERIFY(m_wall->tiles().isEmpty());
    // The vehicle selected, then Ctrl+Shift+V as a dispatcher types it.
    m_window->selectVehicle(imei, false);
    // Shortcuts need the active window (no window manager under Xvfb).
    QApplication::setActiveWindow(m_window);
    QTRY_VERIFY(m_window->isActiveWindow());
    QTest::keyClick(m_window, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->videoDock()->isVisible(), 5000);
    QCOMPARE(m_wall->tiles().size(), 2);
    const int first = cameraLayout(m_fleet.value(imei).device.model).first;
    QCOMPARE(m_wall->tiles().at(0)->camera().channel, first);
    QCOMPARE(m_wall->tiles().at(1)->camera().channel, first + 1);
    QVERIFY(m_wall->tiles().at(0)->title().contains(m_fleet.value(imei).displayName()));
    // The grid grew to hold them.
    QCOMPARE(m_wall->columns(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    for (VideoTile *t : m_wall->tiles()) {
        QCOMPARE(t->picture().size(), QSize(640, 360));
        QVERIFY2(t->stateText().startsWith(u"live"_s), qPrintable(t->stateText()));
    }
    QCOMPARE(openStreamsInTheCloud(), 2);
    // Opened again: the same tiles, no new stream.
    m_window->openCameras(imei);
    QCOMPARE(m_wall->tiles().size(), 2);
    QCOMPARE(openStreamsInTheCloud(), 2);
}

void TestVideoWall::aDroppedStreamComesBack()
{
    QVERIFY(allPlaying());
    VideoTile *tile = m_wall->tiles().first();
    QSignalSpy states(tile->stream(), &Player::VideoStream::stateChanged);
    const int served = m_demo.demo->simState().value(u"streamsServed"_s).toInt();
    m_demo.demo->dropStreams();
    // It says so, then plays again from a URL the cloud handed out anew.
    QTRY_VERIFY_WITH_TIMEOUT(tile->stateText().contains(u"reconnecting"_s), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    QVERIFY(m_demo.demo->simState().value(u"streamsServed"_s).toInt() >= served + 2);
    // Asked again with the same appIds: still two streams in the cloud's books.
    QCOMPARE(openStreamsInTheCloud(), 2);
}

void TestVideoWall::aTileSwitchesToTheOtherCamera()
{
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    VideoTile *tile = m_wall->tiles().first();
    const int from = tile->camera().channel;
    auto *button = tile->findChild<QToolButton *>(u"videoChannel"_s);
    QVERIFY(button);
    QVERIFY(button->isVisibleTo(tile));
    // The vehicle's other camera, from the tile's menu (made when it shows).
    QMenu *menu = button->menu();
    QMetaObject::invokeMethod(menu, "aboutToShow");
    QCOMPARE(menu->actions().size(), 2);
    QAction *other = nullptr;
    for (QAction *a : menu->actions()) {
        QCOMPARE(a->isEnabled(), a->data().toInt() != from);
        if (a->data().toInt() != from)
            other = a;
    }
    QVERIFY(other);
    const int to = other->data().toInt();
    QSignalSpy first(tile->stream(), &Player::VideoStream::firstFrame);
    other->trigger();
    QTRY_COMPARE(tile->camera().channel, to);
    QVERIFY2(tile->stateText().startsWith(u"switching"_s), qPrintable(tile->stateText()));
    // The old picture stays until the new one comes.
    QVERIFY(!tile->picture().isNull());
    QVERIFY(first.size() == 1 || first.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    QVERIFY(tile->title().contains(u"camera %1"_s.arg(to)));
    // The old stream closed in the cloud, the new one open: still two.
    QTRY_COMPARE_WITH_TIMEOUT(openStreamsInTheCloud(), 2, 10000);
    // And back.
    QMetaObject::invokeMethod(menu, "aboutToShow");
    QAction *back = nullptr;
    for (QAction *a : menu->actions()) {
        if (a->data().toInt() == from)
            back = a;
    }
    QVERIFY(back);
    QVERIFY(back->isEnabled());
    back->trigger();
    QTRY_COMPARE(tile->camera().channel, from);
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying() && tile->stream()->framesDelivered() > 0, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(openStreamsInTheCloud(), 2, 10000);
}

void TestVideoWall::soundOnOneTileAtATime()
{
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    QVERIFY(m_wall->tiles().size() >= 2);
    VideoTile *a = m_wall->tiles().at(0);
    VideoTile *b = m_wall->tiles().at(1);
    // Muted by default.
    QVERIFY(!a->sound() && !b->stream()->audioEnabled());
    auto *soundA = a->findChild<QToolButton *>(u"videoSound"_s);
    auto *soundB = b->findChild<QToolButton *>(u"videoSound"_s);
    QVERIFY(soundA && soundB);
    QTest::mouseClick(soundA, Qt::LeftButton);
    QVERIFY(a->sound());
    QVERIFY(a->stream()->audioEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(a->stream()->audioSamplesDecoded() > 0, 10000);
    // The other tile's sound on: the first one's off.
    QTest::mouseClick(soundB, Qt::LeftButton);
    QVERIFY(b->stream()->audioEnabled());
    QVERIFY(!a->sound());
    QVERIFY(!a->stream()->audioEnabled());
    QTest::mouseClick(soundB, Qt::LeftButton);
    QVERIFY(!b->stream()->audioEnabled());
}

void TestVideoWall::snapshotIsThePicture()
{
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    QVERIFY(!m_wall->tiles().isEmpty());
    VideoTile *tile = m_wall->tiles().first();
    auto *button = tile->findChild<QToolButton *>(u"videoSnapshot"_s);
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    const QStringList files = QDir(m_pictures.path()).entryList({u"*.png"_s});
    QCOMPARE(files.size(), 1);
    QVERIFY2(m_wall->statusText().startsWith(u"Snapshot saved"_s), qPrintable(m_wall->statusText()));
    QImage saved(QDir(m_pictures.path()).filePath(files.first()));
    QCOMPARE(saved.size(), QSize(640, 360));
}

void TestVideoWall::plainTrackerHasNoCamera()
{
    QString tracker;
    for (const VehicleSnapshot &v : std::as_const(m_fleet)) {
        if (!cameraLayout(v.device.model).dashcam)
            tracker = v.imei();
    }
    QVERIFY(!tracker.isEmpty());
    QVERIFY(!m_wall->openVehicle(tracker, u"Tracker"_s, m_fleet.value(tracker).device.model));
    QVERIFY2(m_wall->statusText().contains(u"has no camera"_s), qPrintable(m_wall->statusText()));
    QCOMPARE(m_wall->tiles().size(), 2);
}

void TestVideoWall::fullScreenAndBack()
{
    QCOMPARE(m_wall->tiles().size(), 2);
    VideoTile *tile = m_wall->tiles().first();
    QTest::mouseClick(tile->findChild<QToolButton *>(u"videoFullScreen"_s), Qt::LeftButton);
    QVERIFY(tile->isWindow());
    QTRY_VERIFY(tile->isVisible());
    QVERIFY(tile->windowState().testFlag(Qt::WindowFullScreen));
    QTRY_VERIFY_WITH_TIMEOUT(!tile->picture().isNull(), 10000);
    // Esc returns it to its place in the grid, still playing.
    QApplication::setActiveWindow(tile);
    QTRY_VERIFY(tile->isActiveWindow());
    QTest::keyClick(tile, Qt::Key_Escape);
    QTRY_VERIFY(!tile->isWindow());
    QCOMPARE(tile->parentWidget(), m_wall->tiles().last()->parentWidget());
    QTRY_VERIFY(tile->isVisible());
    QCOMPARE(m_wall->tiles().size(), 2);
    // A double-click goes there and back too.
    QTest::mouseDClick(tile, Qt::LeftButton);
    QVERIFY(tile->isWindow());
    QTest::mouseDClick(tile, Qt::LeftButton);
    QVERIFY(!tile->isWindow());
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 10000);
}

void TestVideoWall::closeButtonClosesTheStreamInTheCloud()
{
    QCOMPARE(m_wall->tiles().size(), 2);
    VideoTile *tile = m_wall->tiles().last();
    QTest::mouseClick(tile->findChild<QToolButton *>(u"videoClose"_s), Qt::LeftButton);
    QCOMPARE(m_wall->tiles().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(openStreamsInTheCloud(), 1, 10000);
}

void TestVideoWall::watchLimitClosesTheStream()
{
    // A "minute" of 300 ms: the one tile left closes itself after a minute.
    m_wall->setWatchMinuteMs(300);
    auto *limit = m_wall->findChild<QSpinBox *>(u"videoMaxWatch"_s);
    limit->setValue(1);
    QTRY_COMPARE_WITH_TIMEOUT(m_wall->tiles().size(), 0, 10000);
    QVERIFY2(m_wall->statusText().contains(u"closed after 1 min"_s), qPrintable(m_wall->statusText()));
    QTRY_COMPARE_WITH_TIMEOUT(openStreamsInTheCloud(), 0, 10000);
    m_wall->setWatchMinuteMs(60000);
    limit->setValue(10);
    QCOMPARE(m_demo.settings->videoMaxWatchMinutes(), 10);
}

void TestVideoWall::alarmDeskOpensTheCamerasOfItsVehicle()
{
    QCOMPARE(m_wall->tiles().size(), 0);
    const QString imei = dashcams().last();
    QVERIFY(m_demo.demo->raiseAlarm(imei, u"1"_s)); // an SOS
    AlarmDeskPanel *desk = m_window->alarmDesk();
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < desk->model()->rowCount(); ++r) {
                if (desk->model()->rowAt(r)->alarm.imei == imei)
                    row = r;
            }
            return row >= 0;
        }(),
        60000);
    m_window->alarmDock()->raise();
    desk->view()->selectRow(row);
    auto *cameras = desk->findChild<QPushButton *>(u"alarmCameras"_s);
    QVERIFY(cameras && cameras->isEnabled());
    QTest::mouseClick(cameras, Qt::LeftButton);
    QCOMPARE(m_wall->tiles().size(), 2);
    QCOMPARE(m_wall->tiles().first()->camera().imei, imei);
    QVERIFY(m_window->videoDock()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    // Its photos and clips: the vehicle's gallery.
    auto *photos = desk->findChild<QPushButton *>(u"alarmGallery"_s);
    QVERIFY(photos && photos->isEnabled());
    QTest::mouseClick(photos, Qt::LeftButton);
    MediaGalleryDialog *gallery = m_window->findChild<MediaGalleryDialog *>();
    QVERIFY(gallery);
    QVERIFY(gallery->isVisible());
    QVERIFY(gallery->windowTitle().contains(m_fleet.value(imei).displayName()));
    gallery->close();
    QTRY_VERIFY(!m_window->findChild<MediaGalleryDialog *>());
}

void TestVideoWall::screenshotOfAWall()
{
    // Both dashcams, four cameras in a 2x2 wall.
    for (const QString &imei : dashcams())
        m_window->openCameras(imei);
    QCOMPARE(m_wall->tiles().size(), 4);
    QCOMPARE(m_wall->columns(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    QCOMPARE(openStreamsInTheCloud(), 4);
    // The layout chooser: 3x3 and back.
    auto *layout = m_wall->findChild<QComboBox *>(u"videoLayout"_s);
    layout->setCurrentIndex(2);
    QCOMPARE(m_wall->columns(), 3);
    layout->setCurrentIndex(0);
    QCOMPARE(m_wall->columns(), 1);
    QVERIFY(m_wall->tiles().at(0)->isVisible());
    QVERIFY(!m_wall->tiles().at(1)->isVisible()); // open, beyond the layout
    layout->setCurrentIndex(1);
    if (QGuiApplication::platformName() != QLatin1String("xcb"))
        QSKIP("the picture is taken under Xvfb (the screenshot label)");
    m_window->videoDock()->setFloating(true);
    m_window->videoDock()->resize(1280, 800);
    QTest::qWait(500);
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 10000);
    // The tiles paint their pictures themselves, so grab() holds the video.
    const QImage shot = m_window->videoDock()->grab().toImage();
    QDir().mkpath(QStringLiteral(FLEET_SCREENSHOT_DIR));
    QVERIFY(shot.save(QStringLiteral(FLEET_SCREENSHOT_DIR "/videowall.png")));
    // Four pictures: the test patterns' colours in each quarter.
    for (VideoTile *t : m_wall->tiles()) {
        const QImage tile = t->grab().toImage();
        QSet<QRgb> colours;
        for (int x = 0; x < tile.width(); x += tile.width() / 16)
            colours.insert(tile.pixel(x, tile.height() / 2) & 0xf0f0f0);
        QVERIFY2(colours.size() >= 4, qPrintable(t->title()));
    }
    m_window->videoDock()->setFloating(false);
}

void TestVideoWall::recordingsFromTheCard()
{
    m_wall->closeAll();
    const QString imei = dashcams().first();
    m_window->selectVehicle(imei, false);
    QApplication::setActiveWindow(m_window);
    QTRY_VERIFY(m_window->isActiveWindow());
    QTest::keyClick(m_window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    RecordingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<RecordingsDialog *>()) != nullptr);
    // The device uploads its list (the simulator takes 2 s): said, then listed.
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().startsWith(u"Waiting for the device"_s), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().contains(u"recording(s)"_s), 30000);
    QVERIFY(dialog->segments()->count() >= 2);
    // Enter on the first (as a double-click): it plays in the Cameras dock, at its own pace.
    QListWidget *list = dialog->segments();
    list->setFocus();
    list->setCurrentRow(0);
    QTest::keyClick(list, Qt::Key_Return);
    QVERIFY2(m_wall->tiles().size() == 1, qPrintable(m_wall->statusText() + u" | "_s + dialog->statusText()));
    VideoTile *tile = m_wall->tiles().first();
    QVERIFY(tile->camera().isRecording());
    QVERIFY(tile->title().contains(u"recording of"_s));
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(tile->stateText().startsWith(u"recording"_s), 5000);
    // Play next: the following recording beside it.
    auto *next = dialog->findChild<QPushButton *>(u"recordingsNext"_s);
    QVERIFY(next->isEnabled());
    QCOMPARE(list->currentRow(), 0); // Enter played it, and pressed no button of the dialog
    QTest::mouseClick(next, Qt::LeftButton);
    QVERIFY2(m_wall->tiles().size() == 2, qPrintable(m_wall->statusText()));
    QCOMPARE(m_wall->tiles().last()->camera().recordingBegin, m_wall->tiles().first()->camera().recordingEnd);
    QTRY_VERIFY_WITH_TIMEOUT(allPlaying(), 30000);
    QCOMPARE(openStreamsInTheCloud(), 2);
    dialog->close();
}

void TestVideoWall::seekingInsideARecording()
{
    QVERIFY(!m_wall->tiles().isEmpty());
    VideoTile *tile = m_wall->tiles().first();
    QVERIFY(tile->camera().isRecording());
    QTRY_VERIFY_WITH_TIMEOUT(tile->moment().isValid(), 30000);
    const VideoTile::Camera camera = tile->camera();
    // Page Up on the position: 30 s on (or back, near the end). By time the
    // cloud is asked from there; a file is skipped into.
    auto *position = tile->findChild<QSlider *>(u"videoPosition"_s);
    QVERIFY(position);
    QVERIFY(position->isVisibleTo(tile));
    QCOMPARE(position->maximum(), int(camera.recordingBegin.secsTo(camera.recordingEnd)));
    const int at = position->value();
    const bool forward = at + 30 < position->maximum();
    position->setFocus();
    QTest::keyClick(position, forward ? Qt::Key_PageUp : Qt::Key_PageDown);
    const QDateTime target = camera.recordingBegin.addSecs(forward ? at + 30 : at - 30);
    QCOMPARE(tile->camera().startAt, target);
    QVERIFY2(tile->stateText().startsWith(u"going to"_s), qPrintable(tile->stateText()));
    QTRY_VERIFY_WITH_TIMEOUT(tile->moment().isValid(), 30000);
    QVERIFY2(std::abs(tile->moment().msecsTo(target)) < 1000, qPrintable(tile->moment().toString(Qt::ISODateWithMs)));
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(position->value() - camera.recordingBegin.secsTo(target)) <= 2, 5000);
    // Outside the recording: refused, the tile plays on.
    QVERIFY(!m_wall->seek(tile, camera.recordingEnd));
    QVERIFY(!m_wall->seek(tile, camera.recordingBegin.addSecs(-1)));
    QCOMPARE(tile->camera().startAt, target);
    // Streams: the two recordings still, the sought one asked anew.
    QTRY_COMPARE_WITH_TIMEOUT(openStreamsInTheCloud(), 2, 10000);
}

void TestVideoWall::savingARecording()
{
    VideoTile *tile = m_wall->tiles().first();
    QVERIFY(tile->camera().isRecording());
    auto *button = tile->findChild<QToolButton *>(u"videoSave"_s);
    QVERIFY(button && button->isVisibleTo(tile));
    const int streams = openStreamsInTheCloud();
    // The whole recording, through a stream of its own, closed when the file is done.
    const QString path = m_pictures.filePath(u"recording.mp4"_s);
    QSignalSpy saved(m_wall, &VideoWall::recordingSaved);
    QVERIFY(m_wall->saveRecording(tile, path));
    QCOMPARE(m_wall->savesRunning(), 1);
    QVERIFY(saved.wait(60000));
    QVERIFY2(saved.at(0).at(1).toBool(), qPrintable(saved.at(0).at(2).toString()));
    QCOMPARE(saved.at(0).at(0).toString(), path);
    QVERIFY2(m_wall->statusText().startsWith(u"Saved"_s), qPrintable(m_wall->statusText()));
    QCOMPARE(m_wall->savesRunning(), 0);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(8).mid(4), QByteArray("ftyp"));
    // The recording's length at about 36 KB a second, at least.
    const qint64 secs = tile->camera().recordingBegin.secsTo(tile->camera().recordingEnd);
    QVERIFY2(file.size() > secs * 20000, qPrintable(QString::number(file.size())));
    QTRY_COMPARE_WITH_TIMEOUT(openStreamsInTheCloud(), streams, 10000);
    // A live tile has nothing to save.
    m_window->openCameras(dashcams().last());
    VideoTile *live = m_wall->tiles().last();
    QVERIFY(!live->camera().isRecording());
    QVERIFY(!live->findChild<QToolButton *>(u"videoSave"_s)->isVisibleTo(live));
    QVERIFY(!m_wall->saveRecording(live, path));
}

void TestVideoWall::photoOnDemandInTheGallery()
{
    const QString imei = dashcams().first();
    MediaGalleryDialog *gallery = m_window->openGallery(imei);
    QVERIFY(gallery);
    const int before = gallery->strip()->count();
    // Take a photo: sent, awaited, shown with its thumbnail.
    auto *photo = gallery->findChild<QPushButton *>(u"galleryPhoto"_s);
    QVERIFY(photo);
    QSignalSpy finished(gallery, &MediaGalleryDialog::captureFinished);
    QTest::mouseClick(photo, Qt::LeftButton);
    QVERIFY2(gallery->statusText().startsWith(u"Asking the device"_s), qPrintable(gallery->statusText()));
    QVERIFY2(finished.wait(60000), qPrintable(gallery->statusText()));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(gallery->statusText()));
    QVERIFY2(gallery->statusText().startsWith(u"The photo is in"_s), qPrintable(gallery->statusText()));
    QCOMPARE(gallery->strip()->count(), before + 1);
    QTRY_VERIFY_WITH_TIMEOUT(gallery->strip()->thumbnailsShown() >= 1, 30000);
    // Opened: fetched whole, and (a photo) handed to the system's viewer.
    QList<QUrl> opened;
    m_window->setSystemOpener([&opened](const QUrl &url) {
        opened.append(url);
        return true;
    });
    QVERIFY(gallery->strip()->openRow(0));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 30000);
    QVERIFY(opened.first().toLocalFile().endsWith(u".jpg"_s));
    QVERIFY(!m_window->findChild<ClipPlayerDialog *>());
    m_window->setSystemOpener({});
    // A plain tracker has no gallery.
    QString tracker;
    for (const VehicleSnapshot &v : std::as_const(m_fleet)) {
        if (!cameraLayout(v.device.model).dashcam)
            tracker = v.imei();
    }
    QVERIFY(!m_window->openGallery(tracker));
    gallery->close();
}

void TestVideoWall::endingTheSessionClosesEveryStream()
{
    QVERIFY(openStreamsInTheCloud() > 0);
    // The session closes every stream in the cloud before it (and the demo
    // cloud with it) ends: the journal has none left open.
    const QString database = m_session->settings().databasePath;
    m_session->stop();
    StoreReader reader;
    QVERIFY(reader.open(database));
    QVERIFY(reader.openVideoStreams().isEmpty());
}

QTEST_MAIN(TestVideoWall)
#include "tst_videowall.moc"
