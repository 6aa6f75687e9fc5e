// "Video at this moment" end to end, in a real main window on the demo's
// simulated cloud: yesterday's track of a dashcam in the playback, the
// playhead on an alarm (or a moment it drove), the Video button (and a
// track point's menu) ask the device for its recordings and play the one
// holding that moment from that moment; then the two stay in step: the
// paused playhead follows the picture, and a playhead moved by hand takes
// the picture with it. Waits for signals and conditions, never for quiet.

#include "../demowindow.h"
#include "app/mainwindow.h"
#include "domain/camera.h"
#include "models/fleettreemodel.h"
#include "playback/playbackmodel.h"
#include "playback/playbackpanel.h"
#include "sync/livesession.h"
#include "util/utc.h"
#include "video/momentvideo.h"
#include "video/videotile.h"
#include "video/videowall.h"
#include "videostream.h"

#include <QDockWidget>
#include <QMenu>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

using namespace Fleet;
using namespace Qt::StringLiterals;

namespace {

// A Thursday at 10:00 fleet time; the playback shows Wednesday.
const QDateTime kFleetStart = Utc::dateTime(QDate(2026, 12, 3), QTime(10, 0));

} // namespace

class TestMomentVideo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void videoButtonPlaysTheRecordingAtThePlayhead();
    void pausedPlayheadFollowsThePicture();
    void playheadMovedByHandTakesThePictureAlong();
    void trackPointMenuOpensTheVideoThere();
    void plainTrackerHasNoVideo();

private:
    // How far the tile's picture is from a moment, ms (a large number before a picture).
    qint64 offBy(const QDateTime &at) const;
    VideoTile *tile() const { return m_window->momentVideo()->tile(); }

    DemoTest::DemoWindow m_demo;
    LiveSession *m_session = nullptr;
    MainWindow *m_window = nullptr;
    PlaybackPanel *m_panel = nullptr;
    PlaybackModel *m_model = nullptr;
    QHash<QString, VehicleSnapshot> m_fleet;
    QString m_imei;
    QDateTime m_moment;
};

void TestMomentVideo::initTestCase()
{
    qRegisterMetaType<Fleet::VideoTile *>();
    m_demo.build(kFleetStart, 3); // seed 3: two of the eight are dashcams
    m_session = m_demo.session.get();
    m_window = m_demo.window.get();
    m_panel = m_window->playback();
    m_model = m_panel->model();
    const auto keep = [this](const QList<VehicleSnapshot> &list) {
        for (const VehicleSnapshot &v : list)
            m_fleet.insert(v.imei(), v);
    };
    connect(m_session, &LiveSession::vehiclesLoaded, this, keep);
    connect(m_session, &LiveSession::vehiclesChanged, this, keep);
    QSignalSpy loaded(m_session, &LiveSession::vehiclesLoaded);
    m_session->start();
    QVERIFY(loaded.wait(60000));
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QTRY_VERIFY_WITH_TIMEOUT(std::count_if(m_fleet.cbegin(), m_fleet.cend(),
                                           [](const VehicleSnapshot &v) {
                                               return cameraLayout(v.device.model).dashcam;
                                           }) == 2,
                             60000);
    for (const VehicleSnapshot &v : std::as_const(m_fleet)) {
        if (cameraLayout(v.device.model).dashcam && (m_imei.isEmpty() || v.imei() < m_imei))
            m_imei = v.imei();
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_window->fleetModel()->vehicle(m_imei), 30000);
    // Yesterday's track of the dashcam.
    m_panel->setPreset(PlaybackPanel::Preset::Yesterday);
    m_window->replayVehicle(m_imei);
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->vehicles().isEmpty()
                                 && m_model->vehicles().first().data.history.fixes.size() > 100,
                             120000);
}

void TestMomentVideo::cleanupTestCase()
{
    m_demo.window.reset();
    m_demo.session.reset();
}

qint64 TestMomentVideo::offBy(const QDateTime &at) const
{
    if (!tile() || !tile()->moment().isValid())
        return std::numeric_limits<qint64>::max();
    return std::abs(tile()->moment().msecsTo(at));
}

void TestMomentVideo::videoButtonPlaysTheRecordingAtThePlayhead()
{
    // The playhead on yesterday's first alarm raised while driving (a harsh
    // braking, say), else on a moment the van drove.
    const PlaybackModel::Vehicle &v = m_model->vehicles().first();
    const QList<Position> &fixes = v.data.history.fixes;
    m_model->setPlayhead(m_model->range().from);
    while (m_model->stepAlarm(1)) {
        const PlaybackModel::Sample s = m_model->sample(0);
        if (s.valid && s.speedKmh > 10.0) {
            m_moment = m_model->playhead();
            qInfo() << "an alarm raised while driving";
            break;
        }
    }
    if (!m_moment.isValid()) {
        const auto moving = std::find_if(fixes.cbegin() + fixes.size() / 2, fixes.cend(),
                                         [](const Position &p) { return p.speedKmh.value_or(0.0) > 20.0; });
        QVERIFY(moving != fixes.cend());
        m_model->setPlayhead(moving->gpsTime);
        m_moment = moving->gpsTime;
    }
    qInfo() << "the moment:" << m_moment << "speed" << m_model->sample(0).speedKmh;
    m_model->setSpeed(60);
    auto *video = m_panel->findChild<QToolButton *>(u"playbackVideo"_s);
    QVERIFY(video);
    QSignalSpy opened(m_window->momentVideo(), &MomentVideo::opened);
    QTest::mouseClick(video, Qt::LeftButton);
    // The device uploads its list (the simulator takes 2 s), then the recording plays.
    QVERIFY2(opened.wait(30000), qPrintable(m_window->momentVideo()->statusText()));
    QVERIFY(m_window->videoDock()->isVisible());
    QVERIFY(tile());
    QVERIFY(tile()->camera().isRecording());
    QCOMPARE(tile()->camera().imei, m_imei);
    QVERIFY(tile()->camera().recordingBegin <= m_moment && m_moment < tile()->camera().recordingEnd);
    QCOMPARE(tile()->camera().channel, cameraLayout(m_fleet.value(m_imei).device.model).first);
    // The video plays in real time, and the playback with it.
    QCOMPARE(m_model->speed(), 1);
    QVERIFY(!m_model->isPlaying());
    // From the moment, not from the recording's start.
    QTRY_VERIFY_WITH_TIMEOUT(tile()->moment().isValid() && !tile()->picture().isNull(), 30000);
    QVERIFY2(offBy(m_moment) < 1500, qPrintable(tile()->moment().toString(Qt::ISODateWithMs)));
    QCOMPARE(tile()->picture().size(), QSize(640, 360));
}

void TestMomentVideo::pausedPlayheadFollowsThePicture()
{
    // The picture plays on; the paused playhead goes with it.
    QTRY_VERIFY_WITH_TIMEOUT(tile()->moment().isValid() && tile()->moment() > m_moment.addSecs(2), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(m_model->playhead().msecsTo(tile()->moment())) < 1000, 10000);
    QVERIFY(m_model->playhead() > m_moment);
}

void TestMomentVideo::playheadMovedByHandTakesThePictureAlong()
{
    // Later, by hand: a moment 20 s to 2 min on that the van drove.
    const QList<Position> &fixes = m_model->vehicles().first().data.history.fixes;
    const QDateTime from = m_model->playhead();
    const auto moving = std::find_if(fixes.cbegin(), fixes.cend(), [&from](const Position &p) {
        return p.gpsTime >= from.addSecs(20) && p.gpsTime <= from.addSecs(120) && p.speedKmh.value_or(0.0) > 10.0;
    });
    QVERIFY(moving != fixes.cend());
    const QDateTime later = moving->gpsTime;
    m_model->setPlayhead(later);
    QTRY_VERIFY_WITH_TIMEOUT(offBy(later) < 2500, 30000);
    // And back to the first moment: it plays from there again.
    m_model->setPlayhead(m_moment);
    QTRY_VERIFY_WITH_TIMEOUT(offBy(m_moment) < 2500, 30000);
}

void TestMomentVideo::trackPointMenuOpensTheVideoThere()
{
    // A fix of the track on the screen: its menu's "Video at this moment".
    m_panel->fitToTrack();
    const PlaybackModel::Vehicle &v = m_model->vehicles().first();
    Map::MapWidget *map = m_window->findChild<Map::MapWidget *>();
    QVERIFY(map);
    std::size_t index = 0;
    for (std::size_t i = v.world.size() / 3; i < v.world.size(); ++i) {
        if (v.data.history.fixes[qsizetype(i)].speedKmh.value_or(0.0) > 20.0) {
            index = i;
            break;
        }
    }
    QVERIFY(index > 0);
    const QPointF screen = map->viewport().worldToScreen(v.world[index]);
    std::unique_ptr<QMenu> menu(m_panel->trackPointMenu(screen));
    QVERIFY(menu);
    QAction *video = menu->findChild<QAction *>(u"trackPointVideo"_s);
    QVERIFY(video);
    QSignalSpy requested(m_panel, &PlaybackPanel::videoRequested);
    video->trigger();
    QCOMPARE(requested.size(), 1);
    // The nearest fix on the screen may be another one a few pixels away: its moment.
    const QDateTime at = requested.at(0).at(1).toDateTime();
    QCOMPARE(m_model->playhead(), at);
    QTRY_VERIFY_WITH_TIMEOUT(offBy(at) < 2500, 30000);
    // Nothing off the track.
    QVERIFY(!m_panel->trackPointMenu(QPointF(-100, -100)));
}

void TestMomentVideo::plainTrackerHasNoVideo()
{
    QString tracker;
    for (const VehicleSnapshot &v : std::as_const(m_fleet)) {
        if (!cameraLayout(v.device.model).dashcam) {
            tracker = v.imei();
            break;
        }
    }
    QVERIFY(!tracker.isEmpty());
    const int tiles = int(m_window->videoWall()->tiles().size());
    QVERIFY(!m_window->showMomentVideo(tracker, m_moment));
    QVERIFY2(m_window->momentVideo()->statusText().contains(u"no dashcam"_s),
             qPrintable(m_window->momentVideo()->statusText()));
    QCOMPARE(m_window->videoWall()->tiles().size(), tiles);
}

QTEST_MAIN(TestMomentVideo)
#include "tst_momentvideo.moc"
