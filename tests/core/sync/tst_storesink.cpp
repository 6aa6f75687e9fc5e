// End to end: a simulated day of a 50-vehicle fleet ingested into the store
// through the sync engine; what is stored must match the simulator's ground
// truth, and a second pass must add nothing. Also: the cloud going away
// mid-run and coming back leaves no gap and no duplicate.

#include "sync/storesink.h"
#include "sync/syncengine.h"

#include "sim/simserver.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"
#include "util/utc.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

class TestStoreSink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void simulatedDayMatchesGroundTruth();
    void outageIsBackfilledWithoutDuplicates();
    void aDeliveryTheWriterRefusesIsSaidNotStored();

private:
    bool runOnce();
    void startServer(quint16 port = 0);

    QTemporaryDir m_dir;
    ManualClock m_clock;
    SimServerConfig m_config;
    std::unique_ptr<SimServer> m_server;
    quint16 m_port = 0;
    MemoryTokenStore m_tokens;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<JimiApi> m_api;
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<StoreReader> m_reader;
    std::unique_ptr<StoreSink> m_sink;
    std::unique_ptr<SyncEngine> m_engine;
};

void TestStoreSink::startServer(quint16 port)
{
    m_server = std::make_unique<SimServer>(m_config, &m_clock);
    m_port = m_server->listen(QHostAddress::LocalHost, port);
    QVERIFY(m_port != 0);
}

void TestStoreSink::init()
{
    // End of a working day (a Monday), fleet time: the whole day is history.
    m_clock.set(QDateTime(QDate(2026, 11, 30), QTime(23, 30), QTimeZone::utc()));
    m_config = SimServerConfig();
    m_config.vehicles = 50;
    m_config.seed = 8;
    m_config.fleetStart = m_clock.nowUtc();
    // Fixed, so that a restarted cloud tells the same history.
    m_config.fleetEpoch = QDateTime(m_clock.nowUtc().date().addDays(-60), QTime(0, 0), QTimeZone::utc());
    startServer();
    const ApiAccount a = m_server->account();
    ApiClientOptions o;
    o.backoffBaseMs = 10;
    o.maxAttempts = 2;
    o.jitterSeed = 9;
    m_tokens = MemoryTokenStore();
    m_client = std::make_unique<ApiClient>(a, &m_tokens, &m_clock, o);
    m_api = std::make_unique<JimiApi>(m_client.get());
    const QString db = m_dir.filePath(QStringLiteral("fleet-%1.db").arg(QLatin1String(QTest::currentTestFunction())));
    m_writer = std::make_unique<StoreWriter>();
    QVERIFY2(m_writer->open(db), qPrintable(m_writer->errorString()));
    m_reader = std::make_unique<StoreReader>();
    QVERIFY2(m_reader->open(db), qPrintable(m_reader->errorString()));
    m_sink = std::make_unique<StoreSink>(m_writer.get(), m_reader.get());
    SyncSchedule schedule;
    schedule.backfillHours = 24;
    m_engine = std::make_unique<SyncEngine>(m_api.get(), m_sink.get(), schedule, m_config.userId, &m_clock);
}

void TestStoreSink::cleanup()
{
    m_engine.reset();
    m_sink.reset();
    m_reader.reset();
    m_writer.reset();
    m_api.reset();
    m_client.reset();
    m_server.reset();
}

bool TestStoreSink::runOnce()
{
    QSignalSpy finished(m_engine.get(), &SyncEngine::onceFinished);
    m_engine->runOnce();
    if (!finished.wait(120000))
        return false;
    return finished.first().first().toBool() && m_writer->flush(30000);
}

void TestStoreSink::simulatedDayMatchesGroundTruth()
{
    QVERIFY(runOnce());
    const SimFleet &fleet = m_server->fleet();
    const QDateTime now = m_server->fleetNow();
    const QDateTime from = now.addSecs(-24 * 3600);
    QStringList all;
    for (int i = 0; i < fleet.size(); ++i)
        all.append(fleet.device(i).imei);

    QCOMPARE(m_reader->devices().size(), qsizetype(fleet.size()));

    // Positions: every fix of the window, each once.
    int expectedFixes = 0;
    for (int i = 0; i < fleet.size(); ++i) {
        const QList<SimFix> truth = fleet.fixes(i, from, now.addSecs(-5));
        expectedFixes += int(truth.size());
        const QList<StoredPosition> stored = m_reader->positions(fleet.device(i).imei, from, now.addSecs(-5));
        QCOMPARE(stored.size(), truth.size());
        for (qsizetype k = 0; k < truth.size(); ++k) {
            QCOMPARE(stored[k].position.gpsTime, truth[k].gpsTime);
            QVERIFY(qAbs(stored[k].position.lat - truth[k].lat) < 1e-6);
            QVERIFY(qAbs(stored[k].position.lng - truth[k].lng) < 1e-6);
        }
    }
    QVERIFY(expectedFixes > 1000);

    // Trips: distance in km and max speed as the cloud reported them (BUG-02, BUG-03).
    const QList<Trip> trips = m_reader->trips(all, from, now);
    int expectedTrips = 0;
    for (int i = 0; i < fleet.size(); ++i)
        for (const SimTrip &t : fleet.trips(i, from, now))
            expectedTrips += t.end <= now ? 1 : 0;
    QCOMPARE(int(trips.size()), expectedTrips);
    for (const Trip &t : trips) {
        const int i = fleet.indexOf(t.imei);
        const QList<SimTrip> truth = fleet.trips(i, t.start, t.start);
        QCOMPARE(truth.size(), 1);
        QVERIFY(t.distanceKm && qAbs(*t.distanceKm - truth.first().distanceKm) < 0.01);
        QVERIFY(t.maxSpeedKmh && qAbs(*t.maxSpeedKmh - truth.first().maxSpeedKmh) < 1.0);
    }

    // Alarms: type and name from alertTypeId / alarmTypeName (BUG-01).
    const QList<Alarm> alarms = m_reader->alarms(all, from, now);
    int expectedAlarms = 0;
    for (int i = 0; i < fleet.size(); ++i)
        expectedAlarms += int(fleet.alarms(i, from, now).size());
    QCOMPARE(int(alarms.size()), expectedAlarms);
    for (const Alarm &a : alarms) {
        QVERIFY(!a.typeId.isEmpty());
        QVERIFY(!a.typeName.isEmpty());
    }

    // Parking: durations from durSecond (POLL-02).
    const QList<StopPeriod> stops = m_reader->stops(all, from, now);
    QVERIFY(!stops.isEmpty());
    for (const StopPeriod &s : stops) {
        QVERIFY(s.durationSeconds.has_value());
        QCOMPARE(qint64(*s.durationSeconds), s.start.secsTo(s.end));
    }

    // A second pass adds nothing.
    const QHash<QString, qint64> before = m_reader->rowCounts();
    QVERIFY(runOnce());
    const QHash<QString, qint64> after = m_reader->rowCounts();
    for (const QString &table : {QStringLiteral("position_history"), QStringLiteral("trips"), QStringLiteral("alarms"),
                                 QStringLiteral("parking_idling"), QStringLiteral("devices")})
        QCOMPARE(after.value(table), before.value(table));
}

void TestStoreSink::outageIsBackfilledWithoutDuplicates()
{
    QVERIFY(runOnce());
    m_server.reset(); // the cloud goes down
    m_clock.advanceSecs(4 * 3600);
    QVERIFY(!runOnce());
    m_config.fleetStart = m_clock.nowUtc();
    startServer(m_port); // and comes back
    QVERIFY(runOnce());

    const SimFleet &fleet = m_server->fleet();
    const QDateTime now = m_server->fleetNow();
    const QDateTime from = now.addSecs(-28 * 3600);
    for (int i = 0; i < fleet.size(); ++i) {
        const QList<SimFix> truth = fleet.fixes(i, from, now.addSecs(-5));
        const QList<StoredPosition> stored = m_reader->positions(fleet.device(i).imei, from, now.addSecs(-5));
        if (stored.size() != truth.size()) {
            QSet<qint64> have;
            for (const StoredPosition &p : stored)
                have.insert(p.position.gpsTime.toSecsSinceEpoch());
            for (const SimFix &f : truth)
                if (!have.contains(f.gpsTime.toSecsSinceEpoch()))
                    qWarning() << "missing" << fleet.device(i).imei << f.gpsTime << "now" << now << "acc" << f.acc;
        }
        QCOMPARE(stored.size(), truth.size()); // no gap, no duplicate
    }
}

void TestStoreSink::aDeliveryTheWriterRefusesIsSaidNotStored()
{
    // A writer that is not open refuses the batch and never calls back: the sink says so itself.
    StoreWriter closed;
    StoreReader reader;
    StoreSink sink(&closed, &reader);
    std::optional<bool> stored;
    SyncSink::Delivery d;
    Position p;
    p.imei = QStringLiteral("860000000000001");
    p.gpsTime = Utc::fromSecs(1'780'000'000);
    p.lat = 48.85;
    p.lng = 2.35;
    d.positions = {p};
    d.coverage.append({p.imei, TimeSpan{p.gpsTime, p.gpsTime}});
    d.onStored = [&stored](bool ok) { stored = ok; };
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("store not open")));
    sink.deliver(std::move(d));
    QCOMPARE(stored, std::optional<bool>(false));
}

QTEST_GUILESS_MAIN(TestStoreSink)
#include "tst_storesink.moc"
