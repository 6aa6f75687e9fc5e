// The desktop's ingest side in demo mode, as `fleetdesk --demo` runs it: the
// simulated cloud, polled and pushing, on the session's own thread; the
// vehicles arrive as snapshots on the caller's thread.

#include "democloud.h"
#include "sim/roadnetwork.h"
#include "sim/simfleet.h"
#include "sim/simserver.h"
#include "sync/livesession.h"
#include "util/utc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace Fleet;

namespace {

// A Wednesday, 10:00 in the simulated fleet's time zone (UTC+1): the fleet
// is at work, whatever day and hour the test runs.
const QDateTime kFleetStart = Utc::dateTime(QDate(2026, 12, 2), QTime(9, 0));

std::shared_ptr<Demo::DemoCloud> demoCloud(int vehicles)
{
    Demo::DemoSettings demo;
    demo.vehicles = vehicles;
    demo.fleetStart = kFleetStart;
    return std::make_shared<Demo::DemoCloud>(demo);
}

// An embedded cloud that finds no port: the session says so, as a code.
class DeafCloud final : public EmbeddedCloud
{
public:
    Clock *clock() override { return &m_clock; }
    int vehicleCount() const override { return 0; }
    std::optional<ApiAccount> start(Failure *failure) override
    {
        *failure = Failure::CannotListen;
        return std::nullopt;
    }
    void startPushing(const QUrl &, const QByteArray &) override { QFAIL("pushing from a cloud that did not start"); }
    void stopPushing() override { }
    void stop() override { }

private:
    ManualClock m_clock{kFleetStart};
};

} // namespace

class TestLiveSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void demoDeliversTheWholeFleetAndLiveUpdates();
    void unusableDatabaseIsReportedNotFatal();
    void stopIsIdempotent();
    void demoMapOverlayIsTheSimulatorsRoads();
    void embeddedCloudThatCannotListenIsACode();
};

void TestLiveSession::demoDeliversTheWholeFleetAndLiveUpdates()
{
    QTemporaryDir dir;
    SessionSettings s;
    const std::shared_ptr<Demo::DemoCloud> demo = demoCloud(20);
    s.embeddedCloud = demo;
    s.databasePath = dir.filePath(QStringLiteral("demo.sqlite"));
    s.schedule.fleetSweepSecs = 5;
    s.schedule.backfillHours = 1;
    s.statusMs = 100;
    LiveSession session(s);

    QSet<QString> seen;
    QHash<QString, int> updates;
    QThread *deliveredOn = nullptr;
    connect(&session, &LiveSession::vehiclesLoaded, this, [&](const QList<VehicleSnapshot> &all) {
        deliveredOn = QThread::currentThread();
        for (const VehicleSnapshot &v : all)
            seen.insert(v.imei());
    });
    QSet<QString> moving;
    connect(&session, &LiveSession::vehiclesChanged, this, [&](const QList<VehicleSnapshot> &changed) {
        for (const VehicleSnapshot &v : changed) {
            seen.insert(v.imei());
            ++updates[v.imei()];
            if (v.status == VehicleStatus::Moving)
                moving.insert(v.imei());
        }
    });
    SessionStatus last;
    connect(&session, &LiveSession::statusChanged, this, [&](const SessionStatus &st) { last = st; });
    QSignalSpy started(&session, &LiveSession::started);
    QSignalSpy failed(&session, &LiveSession::failed);
    session.start();
    QVERIFY(started.wait(20000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(deliveredOn, QThread::currentThread());
    // The session lives in the fleet's time, not in the calendar's.
    QCOMPARE(demo->settings().fleetStart, kFleetStart);
    const qint64 sinceStart = kFleetStart.secsTo(session.clock()->nowUtc());
    QVERIFY2(sinceStart >= 0 && sinceStart < 120, qPrintable(QString::number(sinceStart)));

    // Every simulated vehicle shows up: the device sync and the sweep run.
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 20, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(last.cloud == SessionStatus::Cloud::Connected, 30000);
    QVERIFY(last.demo);
    QVERIFY(last.webhookListening);
    QVERIFY(last.webhookAddress.startsWith(QLatin1String("http://127.0.0.1:")));
    // Pushes arrive and move vehicles again and again.
    QTRY_VERIFY_WITH_TIMEOUT(last.pushRequests > 0, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(updates.cbegin(), updates.cend(), [](int n) { return n >= 3; }), 30000);
    // On a Wednesday morning some of the fleet is on the road, and the
    // statuses are judged by the fleet's clock (by the calendar's, every fix
    // of a pinned fleet would look old or in the future).
    QTRY_VERIFY_WITH_TIMEOUT(!moving.isEmpty(), 30000);
    QVERIFY(last.databaseError.isEmpty());
    session.stop();
    QVERIFY(!session.isRunning());
}

void TestLiveSession::unusableDatabaseIsReportedNotFatal()
{
    QTemporaryDir dir;
    // A folder where the database file should be: it cannot be opened.
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("db.sqlite")));
    SessionSettings s;
    s.embeddedCloud = demoCloud(3);
    s.databasePath = dir.filePath(QStringLiteral("db.sqlite"));
    LiveSession session(s);
    QSignalSpy failed(&session, &LiveSession::failed);
    session.start();
    QVERIFY(failed.wait(20000));
    const auto failure = failed.at(0).at(0).value<SessionFailure>();
    QCOMPARE(failure.kind, SessionFailure::Kind::IngestCannotStart);
    QVERIFY2(failure.detail.startsWith(QLatin1String("store:")), qPrintable(failure.detail));
    session.stop();
}

void TestLiveSession::stopIsIdempotent()
{
    QTemporaryDir dir;
    SessionSettings s;
    s.embeddedCloud = demoCloud(2);
    s.databasePath = dir.filePath(QStringLiteral("demo.sqlite"));
    LiveSession session(s);
    session.stop(); // before start: nothing to do
    QSignalSpy started(&session, &LiveSession::started);
    session.start();
    QVERIFY(started.wait(20000));
    session.stop();
    session.stop();
    QVERIFY(!session.isRunning());
}

void TestLiveSession::embeddedCloudThatCannotListenIsACode()
{
    QTemporaryDir dir;
    SessionSettings s;
    s.embeddedCloud = std::make_shared<DeafCloud>();
    s.databasePath = dir.filePath(QStringLiteral("deaf.sqlite"));
    LiveSession session(s);
    QCOMPARE(session.clock()->nowUtc(), kFleetStart);
    QSignalSpy failed(&session, &LiveSession::failed);
    session.start();
    QVERIFY(failed.wait(20000));
    QCOMPARE(failed.at(0).at(0).value<SessionFailure>().kind, SessionFailure::Kind::EmbeddedCloudCannotListen);
    session.stop();
}

void TestLiveSession::demoMapOverlayIsTheSimulatorsRoads()
{
    // The demo draws the roads its simulated cloud's fleet drives on.
    const std::shared_ptr<Demo::DemoCloud> demo = demoCloud(5);
    Sim::SimServerConfig config;
    config.vehicles = 5;
    config.seed = demo->settings().seed;
    config.fleetStart = kFleetStart;
    const Sim::SimServer server(config);
    const QByteArray roads = demo->mapOverlay();
    QCOMPARE(roads, server.fleet().roads().toGeoJson());
    const QJsonArray features = QJsonDocument::fromJson(roads).object().value(QLatin1String("features")).toArray();
    QVERIFY(features.size() > 20);
    QStringList names;
    for (const QJsonValue &f : features)
        names.append(f.toObject().value(QLatin1String("properties")).toObject().value(QLatin1String("name")).toString());
    QVERIFY(names.contains(QStringLiteral("Ring Road 1")));
    QVERIFY(!names.contains(QString())); // no driveways
}

QTEST_GUILESS_MAIN(TestLiveSession)
#include "tst_livesession.moc"
