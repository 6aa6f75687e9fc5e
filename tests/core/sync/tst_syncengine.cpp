// The sync engine against the simulated cloud, with a recording sink:
// first-start back-fill, watermarks, catching up after downtime, and a cloud
// that goes away mid-run.

#include "sync/syncengine.h"

#include "sim/simserver.h"
#include "util/clock.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

namespace {

class RecordingSink : public SyncSink
{
public:
    void deliver(Delivery d) override
    {
        for (const auto &[job, imei, t] : d.watermarks)
            marks[job + QLatin1Char('|') + imei] = t;
        devices += d.devices;
        groups += d.groups;
        totals += d.mileageTotals;
        sweep += d.sweep;
        for (const Position &p : d.positions)
            positions.insert(p.imei + QLatin1Char('|') + QString::number(p.gpsTime.toSecsSinceEpoch()));
        for (const Trip &t : d.trips)
            trips.insert(t.imei + QLatin1Char('|') + QString::number(t.start.toSecsSinceEpoch()), t);
        for (const Alarm &a : d.alarms)
            alarms.insert(a.imei + QLatin1Char('|') + a.typeId + QLatin1Char('|')
                          + QString::number(a.time.toSecsSinceEpoch()));
        for (const StopPeriod &s : d.stops)
            stops.insert(s.imei + QLatin1Char('|') + QString::number(s.start.toSecsSinceEpoch()), s);
        ++deliveries;
    }
    std::optional<QDateTime> watermark(const QString &job, const QString &imei) const override
    {
        const auto it = marks.constFind(job + QLatin1Char('|') + imei);
        return it == marks.cend() ? std::nullopt : std::optional<QDateTime>(*it);
    }

    QHash<QString, QDateTime> marks;
    QList<Device> devices;
    QList<DeviceGroup> groups;
    QList<MileageTotal> totals;
    QList<DeviceLocation> sweep;
    QSet<QString> positions;
    QHash<QString, Trip> trips;
    QSet<QString> alarms;
    QHash<QString, StopPeriod> stops;
    int deliveries = 0;
};

} // namespace

class TestSyncEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void firstStartBackfillsTheWindow();
    void secondRunAddsNothingNew();
    void downtimeGapIsBackfilled();
    void cloudGoingAwayKeepsWatermarks();
    void shortTokensKeepTheSyncGoing();
    void lateAlarmsAreFetched();
    void alarmsFromACloudThatIgnoresPageNo();
    void groupsAndMileageTotalsAreSynced();
    void incompleteAlarmWindowsHoldTheWatermark();

private:
    bool runOnce(SyncEngine &engine);
    void startServer(quint16 port = 0);
    std::unique_ptr<SyncEngine> makeEngine();

    ManualClock m_clock;
    SimServerConfig m_config;
    std::unique_ptr<SimServer> m_server;
    quint16 m_port = 0;
    MemoryTokenStore m_tokens;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<JimiApi> m_api;
    RecordingSink m_sink;
    SyncSchedule m_schedule;
};

void TestSyncEngine::startServer(quint16 port)
{
    m_server = std::make_unique<SimServer>(m_config, &m_clock);
    m_port = m_server->listen(QHostAddress::LocalHost, port);
    QVERIFY(m_port != 0);
}

void TestSyncEngine::init()
{
    // A Tuesday mid-afternoon, fleet time, so the day has history (any
    // fixed day works; the calendar's would make the test depend on it).
    m_clock.set(QDateTime(QDate(2026, 12, 1), QTime(15, 0), QTimeZone::utc()));
    m_config = SimServerConfig();
    m_config.vehicles = 12;
    m_config.seed = 21;
    m_config.fleetStart = m_clock.nowUtc();
    // Fixed, so that a restarted cloud tells the same history.
    m_config.fleetEpoch = QDateTime(m_clock.nowUtc().date().addDays(-60), QTime(0, 0), QTimeZone::utc());
    startServer();
    const ApiAccount a = m_server->account();
    ApiClientOptions o;
    o.backoffBaseMs = 10;
    o.maxAttempts = 2;
    o.jitterSeed = 3;
    m_tokens = MemoryTokenStore();
    m_client = std::make_unique<ApiClient>(a, &m_tokens, &m_clock, o);
    m_api = std::make_unique<JimiApi>(m_client.get());
    m_sink = RecordingSink();
    m_schedule = SyncSchedule();
    m_schedule.backfillHours = 12;
}

void TestSyncEngine::cleanup()
{
    m_api.reset();
    m_client.reset();
    m_server.reset();
}

std::unique_ptr<SyncEngine> TestSyncEngine::makeEngine()
{
    return std::make_unique<SyncEngine>(m_api.get(), &m_sink, m_schedule, m_config.userId, &m_clock);
}

bool TestSyncEngine::runOnce(SyncEngine &engine)
{
    QSignalSpy finished(&engine, &SyncEngine::onceFinished);
    engine.runOnce();
    if (!finished.wait(60000))
        return false;
    return finished.first().first().toBool();
}

void TestSyncEngine::firstStartBackfillsTheWindow()
{
    auto engine = makeEngine();
    QVERIFY(runOnce(*engine));
    const SimFleet &fleet = m_server->fleet();
    QCOMPARE(m_sink.devices.size(), fleet.size());
    const QDateTime now = m_server->fleetNow();
    const QDateTime from = now.addSecs(-12 * 3600);
    int fixes = 0, trips = 0, alarms = 0;
    for (int i = 0; i < fleet.size(); ++i) {
        fixes += int(fleet.fixes(i, from, now.addSecs(-5)).size());
        for (const SimTrip &t : fleet.trips(i, from, now))
            trips += t.end <= now ? 1 : 0;
        alarms += int(fleet.alarms(i, from, now).size());
    }
    QVERIFY(fixes > 0);
    QCOMPARE(int(m_sink.positions.size()), fixes);
    QCOMPARE(int(m_sink.trips.size()), trips);
    QCOMPARE(int(m_sink.alarms.size()), alarms);
    QVERIFY(!m_sink.stops.isEmpty());
    for (const StopPeriod &s : std::as_const(m_sink.stops))
        QVERIFY(s.durationSeconds.has_value());
    for (const QString &job :
         {QStringLiteral("gps_trail"), QStringLiteral("trips"), QStringLiteral("alarms"), QStringLiteral("parking")})
        QVERIFY2(std::any_of(m_sink.marks.keyBegin(), m_sink.marks.keyEnd(),
                             [&job](const QString &k) { return k.startsWith(job); }),
                 qPrintable(job));
    for (int j = 0; j < SyncEngine::kJobCount; ++j)
        QCOMPARE(engine->stats(SyncEngine::Job(j)).failures, 0);
}

void TestSyncEngine::secondRunAddsNothingNew()
{
    auto engine = makeEngine();
    QVERIFY(runOnce(*engine));
    const qsizetype positions = m_sink.positions.size();
    const qsizetype trips = m_sink.trips.size();
    const int trackCalls = m_server->requestCount(QStringLiteral("jimi.device.track.list"));
    QVERIFY(runOnce(*engine));
    QCOMPARE(m_sink.positions.size(), positions);
    QCOMPARE(m_sink.trips.size(), trips);
    // Only devices that reported after their watermark (the last 5 s, which
    // track.list cannot serve yet) are asked for their trail again.
    int recent = 0;
    const QDateTime now = m_server->fleetNow();
    for (int i = 0; i < m_server->fleet().size(); ++i) {
        const auto fix = m_server->fleet().lastFix(i, now);
        recent += (fix && fix->gpsTime > now.addSecs(-5)) ? 1 : 0;
    }
    QCOMPARE(m_server->requestCount(QStringLiteral("jimi.device.track.list")), trackCalls + recent);
}

void TestSyncEngine::downtimeGapIsBackfilled()
{
    auto engine = makeEngine();
    QVERIFY(runOnce(*engine));
    const QDateTime stoppedAt = m_server->fleetNow();
    m_clock.advanceSecs(3 * 3600); // three hours without FleetDesk
    QVERIFY(runOnce(*engine));
    const QDateTime now = m_server->fleetNow();
    const SimFleet &fleet = m_server->fleet();
    int gapFixes = 0, found = 0;
    for (int i = 0; i < fleet.size(); ++i) {
        for (const SimFix &f : fleet.fixes(i, stoppedAt, now.addSecs(-5))) {
            ++gapFixes;
            found += m_sink.positions.contains(fleet.device(i).imei + QLatin1Char('|')
                                               + QString::number(f.gpsTime.toSecsSinceEpoch()))
                ? 1
                : 0;
        }
    }
    QVERIFY(gapFixes > 0);
    QCOMPARE(found, gapFixes);
}

void TestSyncEngine::cloudGoingAwayKeepsWatermarks()
{
    auto engine = makeEngine();
    QVERIFY(runOnce(*engine));
    const auto marks = m_sink.marks;
    m_server.reset(); // the cloud goes down
    m_clock.advanceSecs(2 * 3600);
    QVERIFY(!runOnce(*engine));
    QCOMPARE(m_sink.marks, marks); // nothing moved
    QVERIFY(engine->stats(SyncEngine::Job::FleetSweep).failures > 0);
    QVERIFY(!engine->stats(SyncEngine::Job::FleetSweep).lastError.isEmpty());

    m_config.fleetStart = m_clock.nowUtc(); // fleet time goes on
    startServer(m_port); // and the cloud comes back on the same address
    QVERIFY(runOnce(*engine));
    const QDateTime now = m_server->fleetNow();
    const SimFleet &fleet = m_server->fleet();
    int missing = 0;
    for (int i = 0; i < fleet.size(); ++i)
        for (const SimFix &f : fleet.fixes(i, now.addSecs(-3 * 3600), now.addSecs(-5)))
            missing += m_sink.positions.contains(fleet.device(i).imei + QLatin1Char('|')
                                                 + QString::number(f.gpsTime.toSecsSinceEpoch()))
                ? 0
                : 1;
    QCOMPARE(missing, 0);
}

void TestSyncEngine::shortTokensKeepTheSyncGoing()
{
    // The official sample's cloud grants 60 s tokens, whatever is asked.
    m_config.tokenLifetimeSecs = 60;
    m_server.reset();
    startServer(m_port);
    auto engine = makeEngine();
    QVERIFY(runOnce(*engine));
    for (int round = 0; round < 3; ++round) {
        m_clock.advanceSecs(50); // past the token's refresh margin (12 s)
        QVERIFY2(runOnce(*engine), qPrintable(QString::number(round)));
    }
    QCOMPARE(m_client->stats().tokenGets, 1);
    QCOMPARE(m_client->stats().tokenRefreshes, 3);
    m_clock.advanceSecs(5 * 60); // expired while nothing ran: a new token.get, the minute long over
    QVERIFY(runOnce(*engine));
    QCOMPARE(m_client->stats().tokenGets, 2);
    for (int j = 0; j < SyncEngine::kJobCount; ++j)
        QCOMPARE(engine->stats(SyncEngine::Job(j)).failures, 0);
}

void TestSyncEngine::lateAlarmsAreFetched()
{
    // Alarms reach the cloud 40 minutes after they were raised.
    m_config.alarmDelaySecs = 40 * 60;
    m_server.reset();
    startServer(m_port);
    auto engine = makeEngine();
    QVERIFY(runOnce(*engine));
    const QDateTime start = m_server->fleetNow();
    // Two hours of passes on the alarm job's schedule.
    for (int pass = 0; pass < 24; ++pass) {
        m_clock.advanceSecs(m_schedule.alarmsSecs);
        QVERIFY(runOnce(*engine));
    }
    // Every alarm raised since the first pass that the cloud has by now.
    const QDateTime now = m_server->fleetNow();
    int expected = 0, missing = 0;
    for (int i = 0; i < m_server->fleet().size(); ++i) {
        for (const SimAlarm &a : m_server->fleet().alarms(i, start, now.addSecs(-m_config.alarmDelaySecs))) {
            ++expected;
            missing += m_sink.alarms.contains(m_server->fleet().device(i).imei + QLatin1Char('|') + a.typeId
                                              + QLatin1Char('|') + QString::number(a.time.toSecsSinceEpoch()))
                ? 0
                : 1;
        }
    }
    QVERIFY(expected > 0);
    QCOMPARE(missing, 0);
}

void TestSyncEngine::alarmsFromACloudThatIgnoresPageNo()
{
    m_config.ignorePageNo = true;
    m_config.vehicles = 40;
    m_server.reset();
    startServer(m_port);
    m_schedule.backfillHours = 24 * 7; // a week of alarms: more than a page per batch
    auto engine = makeEngine();
    QVERIFY(runOnce(*engine));
    const QDateTime now = m_server->fleetNow();
    int expected = 0;
    for (int i = 0; i < m_server->fleet().size(); ++i)
        expected += int(m_server->fleet().alarms(i, now.addDays(-7), now).size());
    QVERIFY(expected > 100);
    QCOMPARE(int(m_sink.alarms.size()), expected);
    QVERIFY(m_api->alarmPagingIgnored());
}

void TestSyncEngine::groupsAndMileageTotalsAreSynced()
{
    auto engine = makeEngine();
    QVERIFY(runOnce(*engine));
    // The account's groups, named, as jimi.device.group.list has them.
    QCOMPARE(m_server->requestCount(QStringLiteral("jimi.device.group.list")), 1);
    QMap<QString, QString> expected;
    for (int i = 0; i < m_server->fleet().size(); ++i)
        expected.insert(m_server->fleet().device(i).groupId, m_server->fleet().device(i).groupName);
    QMap<QString, QString> got;
    for (const DeviceGroup &g : std::as_const(m_sink.groups))
        got.insert(g.id, g.name);
    QVERIFY(!got.isEmpty());
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        QCOMPARE(got.value(it.key()), it.value());

    // The per-device totals of track.mileage, with the range they cover:
    // the sum of the trips that started in it.
    QVERIFY(!m_sink.totals.isEmpty());
    for (const MileageTotal &t : std::as_const(m_sink.totals)) {
        QVERIFY(t.begin.isValid() && t.end.isValid() && t.begin < t.end);
        const int i = m_server->fleet().indexOf(t.imei);
        QVERIFY(i >= 0);
        double km = 0;
        for (const SimTrip &trip : m_server->fleet().trips(i, t.begin, t.end))
            km += (trip.start >= t.begin && trip.end <= t.end) ? trip.distanceKm : 0.0;
        QVERIFY2(qAbs(km - t.totalKm) < 0.01,
                 qPrintable(QStringLiteral("%1: %2 vs %3").arg(t.imei).arg(km).arg(t.totalKm)));
    }
}

void TestSyncEngine::incompleteAlarmWindowsHoldTheWatermark()
{
    const QDateTime now(QDate(2026, 12, 1), QTime(15, 0), QTimeZone::utc());
    const QString a = QStringLiteral("860000000000001");
    const QString b = QStringLiteral("860000000000002");
    const QList<IncompleteWindow> incomplete = {
        {{a}, now.addSecs(-600), now.addSecs(-600), QStringLiteral("page_no ignored")},
        {{a, b}, now.addSecs(-120), now.addSecs(-60), QStringLiteral("more than 1000")},
    };
    // The earliest window of each device; a device with none moves to now.
    QCOMPARE(SyncEngine::alarmWatermark(incomplete, a, now), now.addSecs(-601));
    QCOMPARE(SyncEngine::alarmWatermark(incomplete, b, now), now.addSecs(-121));
    QCOMPARE(SyncEngine::alarmWatermark(incomplete, QStringLiteral("860000000000003"), now), now);
    QCOMPARE(SyncEngine::alarmWatermark({}, a, now), now);
}

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "tst_syncengine.moc"
