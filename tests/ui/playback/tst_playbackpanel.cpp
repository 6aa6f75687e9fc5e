// The playback workflow against the demo's simulated cloud, in a real main
// window: a vehicle's yesterday is fetched (before the demo's back-fill),
// shown as it arrives, equals what the simulator drove, plays, steps, lists
// its trips, exports and makes a PDF report; a second show asks the cloud
// nothing. Under Xvfb, the window is saved as a PNG to look at.

#include "app/mainwindow.h"
#include "../demowindow.h"
#include "map/geojsonlayer.h"
#include "map/mapwidget.h"
#include "models/fleettreemodel.h"
#include "playback/playbackmodel.h"
#include "playback/playbackpanel.h"
#include "playback/timelinewidget.h"
#include "playback/tracklayer.h"
#include "settings/appsettings.h"
#include "sim/simfleet.h"
#include "sync/livesession.h"
#include "util/utc.h"

#include <QDockWidget>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace Fleet;

namespace {

// A Thursday at 11:00 fleet time; "yesterday" is a working Wednesday.
const QDateTime kFleetStart = Utc::dateTime(QDate(2026, 12, 3), QTime(11, 0));
const TimeSpan kWednesday{Utc::dateTime(QDate(2026, 12, 2), QTime(0, 0)), Utc::dateTime(QDate(2026, 12, 2), QTime(23, 59, 59))};

} // namespace

class TestPlaybackPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void yesterdayIsFetchedShownAndEqualsTheSimulator();
    void playsStepsAndListsTrips();
    void exportsAndReports();
    void secondShowAsksTheCloudNothing();
    void screenshot();

private:
    DemoTest::DemoWindow m_demo;
    QTemporaryDir &m_dir = m_demo.dir;
    LiveSession *m_session = nullptr;
    MainWindow *m_window = nullptr;
    std::unique_ptr<Sim::SimFleet> m_truth;
    QString m_imei;
};

void TestPlaybackPanel::initTestCase()
{
    m_demo.build(kFleetStart);
    m_session = m_demo.session.get();
    m_window = m_demo.window.get();
    QSignalSpy loaded(m_session, &LiveSession::vehiclesLoaded);
    m_session->start();
    QVERIFY(loaded.wait(60000));
    m_window->show();

    // The same fleet, for the truth: the vehicle that drove most that day.
    Sim::SimFleetConfig fc;
    fc.vehicles = m_demo.demo->settings().vehicles;
    fc.seed = m_demo.demo->settings().seed;
    fc.epoch = Utc::dateTime(kFleetStart.date().addDays(-60), QTime(0, 0));
    m_truth = std::make_unique<Sim::SimFleet>(fc);
    qsizetype most = -1;
    for (int i = 0; i < m_truth->size(); ++i) {
        const qsizetype n = m_truth->fixes(i, kWednesday.from, kWednesday.to).size();
        if (n > most) {
            most = n;
            m_imei = m_truth->device(i).imei;
        }
    }
    QVERIFY(most > 100);
}

void TestPlaybackPanel::cleanupTestCase()
{
    m_demo.window.reset();
    m_demo.session.reset();
}

void TestPlaybackPanel::yesterdayIsFetchedShownAndEqualsTheSimulator()
{
    PlaybackPanel *panel = m_window->playback();
    QSignalSpy fetched(panel, &PlaybackPanel::fetchFinished);
    QSignalSpy loaded(panel, &PlaybackPanel::loaded);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->fleetModel()->vehicle(m_imei), 30000);
    m_window->selectVehicle(m_imei, false);
    panel->setPreset(PlaybackPanel::Preset::Yesterday);
    QCOMPARE(panel->range(), kWednesday); // the session's clock: the fleet's Thursday
    m_window->replayVehicle(m_imei);
    QVERIFY(m_window->playbackDock()->isVisible());
    // Named as the fleet list names it.
    const auto *list = panel->findChild<QListWidget *>();
    QVERIFY(list);
    QCOMPARE(list->item(0)->text(), m_window->fleetModel()->vehicle(m_imei)->displayName());
    QVERIFY(fetched.wait(120000));
    const auto outcome = fetched.at(0).at(0).value<TrackFetcher::Outcome>();
    QVERIFY(outcome.complete());
    QCOMPARE(outcome.windowsFetched, 1);
    // The load after the fetch.
    QTRY_VERIFY_WITH_TIMEOUT(!panel->model()->vehicles().isEmpty()
                                 && panel->model()->vehicles().first().data.history.fixes.size() > 100,
                             30000);
    const QList<Position> &fixes = panel->model()->vehicles().first().data.history.fixes;
    const int index = m_truth->indexOf(m_imei);
    const QList<Sim::SimFix> truth = m_truth->fixes(index, kWednesday.from, kWednesday.to);
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->vehicles().first().data.history.fixes.size(), truth.size(), 30000);
    for (qsizetype i = 0; i < truth.size(); ++i)
        QCOMPARE(fixes[i].gpsTime, truth[i].gpsTime);
    QVERIFY2(panel->statusText().contains(QStringLiteral("fixes")), qPrintable(panel->statusText()));
}

void TestPlaybackPanel::playsStepsAndListsTrips()
{
    PlaybackPanel *panel = m_window->playback();
    PlaybackModel *model = panel->model();
    QVERIFY(!model->vehicles().isEmpty());
    // The trip list: the vehicle with its totals, and its trips.
    QTreeWidget *trips = panel->tripList();
    QCOMPARE(trips->topLevelItemCount(), 1);
    QVERIFY(trips->topLevelItem(0)->childCount() >= 1);
    QVERIFY(model->vehicles().first().data.summary.totals.distanceKm > 1.0);
    // Clicking a trip puts its span on the timeline and the playhead at its start.
    QTreeWidgetItem *first = trips->topLevelItem(0)->child(0);
    trips->scrollToItem(first);
    const QRect r = trips->visualItemRect(first);
    QTest::mouseClick(trips->viewport(), Qt::LeftButton, {}, QPoint(r.left() + 10, r.center().y()));
    QCOMPARE(model->playheadMs(), first->data(1, Qt::UserRole).toLongLong());
    QVERIFY(panel->timeline()->viewToMs() - panel->timeline()->viewFromMs()
            < kWednesday.seconds() * 1000);
    QVERIFY2(panel->pointText().contains(QStringLiteral("km/h")), qPrintable(panel->pointText()));
    // Keys: the next fix, and play/pause with space.
    const qint64 before = model->playheadMs();
    panel->timeline()->setFocus();
    QTest::keyClick(panel->timeline(), Qt::Key_Right);
    QVERIFY(model->playheadMs() > before);
    QTest::keyClick(panel->timeline(), Qt::Key_Space);
    QVERIFY(model->isPlaying());
    QTest::keyClick(panel->timeline(), Qt::Key_Space);
    QVERIFY(!model->isPlaying());
    const int speed = model->speed();
    QTest::keyClick(panel->timeline(), Qt::Key_Plus);
    QVERIFY(model->speed() > speed);
    // A click on the map near a fix puts the playhead on it.
    panel->fitToTrack();
    const PlaybackModel::Vehicle &v = model->vehicles().first();
    const std::size_t fix = v.world.size() / 3;
    const QPointF at = m_window->map()->viewport().worldToScreen(v.world[fix]);
    QVERIFY(panel->pickFix(at + QPointF(2, 1)));
    QCOMPARE(model->playheadMs() % 1000, 0);
    QVERIFY(qAbs(m_window->map()->viewport().worldToScreen(model->sample(0).world).x() - at.x()) <= 12);
    QVERIFY(!panel->pickFix(QPointF(-500, -500)));
}

void TestPlaybackPanel::exportsAndReports()
{
    PlaybackPanel *panel = m_window->playback();
    QString error;
    const QString gpx = m_dir.filePath(QStringLiteral("track.gpx"));
    QVERIFY2(panel->exportTrack(gpx, int(TrackExport::Format::Gpx), &error), qPrintable(error));
    QFile file(gpx);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(bytes.count("<trkpt "), panel->model()->vehicles().first().data.history.fixes.size());
    const QString csv = m_dir.filePath(QStringLiteral("trips.csv"));
    QVERIFY2(panel->exportTrips(csv, int(TrackExport::Format::Csv), &error), qPrintable(error));
    const QString pdf = m_dir.filePath(QStringLiteral("report.pdf"));
    QVERIFY2(panel->savePdf(pdf, &error), qPrintable(error));
    QFile report(pdf);
    QVERIFY(report.open(QIODevice::ReadOnly));
    QVERIFY(report.read(5) == "%PDF-");
    QVERIFY(report.size() > 10000);
    // A folder that does not exist: an error, no crash, nothing written.
    QVERIFY(!panel->exportTrack(m_dir.filePath(QStringLiteral("no/such/dir/x.gpx")), 0, &error));
    QVERIFY(!error.isEmpty());
    error.clear();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(".*")));
    QVERIFY(!panel->savePdf(m_dir.filePath(QStringLiteral("no/such/dir/report.pdf")), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("no/such/dir/report.pdf"))));
}

void TestPlaybackPanel::secondShowAsksTheCloudNothing()
{
    PlaybackPanel *panel = m_window->playback();
    QSignalSpy fetched(panel, &PlaybackPanel::fetchFinished);
    panel->show();
    QVERIFY(fetched.wait(60000));
    const auto outcome = fetched.at(0).at(0).value<TrackFetcher::Outcome>();
    QVERIFY(outcome.complete());
    QCOMPARE(outcome.windowsFetched, 0);
}

void TestPlaybackPanel::screenshot()
{
    if (QGuiApplication::platformName() != QLatin1String("xcb"))
        QSKIP("the picture is taken under Xvfb (the screenshot label)");
    PlaybackPanel *panel = m_window->playback();
    QSignalSpy loaded(panel, &PlaybackPanel::loaded);
    panel->show();
    QVERIFY(loaded.wait(60000) || !panel->model()->vehicles().isEmpty());
    panel->fitToTrack();
    // Mid-morning of the day, with the playhead on the track.
    panel->model()->setPlayheadMs(Utc::dateTime(QDate(2026, 12, 2), QTime(10, 30)).toMSecsSinceEpoch());
    QTest::qWait(300);
    const QImage shot = m_window->grab().toImage();
    const QString dir = QStringLiteral(FLEET_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    QVERIFY(shot.save(dir + QStringLiteral("/playback.png")));
    // The map shows the track in its speed colours somewhere.
    const QImage map = m_window->map()->grab().toImage();
    const auto near = [](const QColor &a, const QColor &b) {
        return qAbs(a.red() - b.red()) <= 10 && qAbs(a.green() - b.green()) <= 10 && qAbs(a.blue() - b.blue()) <= 10;
    };
    int coloured = 0;
    for (int y = 0; y < map.height(); ++y) {
        for (int x = 0; x < map.width(); ++x) {
            const QColor c = map.pixelColor(x, y);
            for (const TrackLayer::Band &band : TrackLayer::bands())
                coloured += near(c, band.colour);
        }
    }
    QVERIFY2(coloured > 500, qPrintable(QString::number(coloured)));
}

QTEST_MAIN(TestPlaybackPanel)
#include "tst_playbackpanel.moc"
