// The simulator's webhook pusher against the real receiver and store: what
// arrives is what the fleet did, on every endpoint, nothing is quarantined,
// a receiver that comes up late still gets everything, and a wrong token is
// given up on.

#include "push/pushendpoint.h"
#include "push/pushreceiver.h"
#include "sim/simfleet.h"
#include "sim/simpushfeed.h"
#include "sim/simpusher.h"
#include "sim/simserver.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Fleet;
using namespace Fleet::Sim;
using Fleet::Push::Endpoint;

namespace {

const QByteArray kToken = QByteArrayLiteral("pusher-test-token");
const QDateTime kEpoch = Utc::dateTime(QDate(2026, 3, 2), QTime(0, 0));
constexpr int kVehicles = 20;
constexpr quint64 kSeed = 3;

SimServerConfig serverConfig(const QDateTime &fleetStart)
{
    SimServerConfig c;
    c.vehicles = kVehicles;
    c.seed = kSeed;
    c.fleetEpoch = kEpoch;
    c.fleetStart = fleetStart;
    return c;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

class TestSimPusher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void feedDoesNotDependOnTheTicks();
    void everyEndpointArrivesAndMatchesTheFleet();
    void receiverDownAtFirstStillGetsEverything();
    void wrongTokenIsRefusedNotRetried();

private:
    bool startReceiver(quint16 port = 0, int maxItems = 50);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<Push::Receiver> m_receiver;
};

void TestSimPusher::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_writer = std::make_unique<StoreWriter>();
    QVERIFY2(m_writer->open(m_dir->filePath(QStringLiteral("fleet.db"))), qPrintable(m_writer->errorString()));
}

void TestSimPusher::cleanup()
{
    m_receiver.reset();
    m_writer.reset();
    m_dir.reset();
}

bool TestSimPusher::startReceiver(quint16 port, int maxItems)
{
    Push::ReceiverConfig config;
    config.port = port;
    config.token = kToken;
    config.maxItems = maxItems;
    m_receiver = std::make_unique<Push::Receiver>(m_writer.get(), config);
    QString error;
    if (!m_receiver->start(&error)) {
        qWarning() << error;
        return false;
    }
    return true;
}

void TestSimPusher::feedDoesNotDependOnTheTicks()
{
    SimFleetConfig config;
    config.vehicles = kVehicles;
    config.seed = kSeed;
    config.epoch = kEpoch;
    const SimFleet fleet(config);
    const SimPushFeed feed(fleet, true);
    const QDateTime from = Utc::dateTime(QDate(2026, 4, 14), QTime(7, 0));

    QMap<Endpoint, QList<QJsonObject>> once;
    for (const SimPushBatch &b : feed.collect(from, from.addSecs(3600)))
        once[b.endpoint] = b.items;
    QMap<Endpoint, QList<QJsonObject>> inSteps;
    for (int k = 0; k < 3600; k += 97) {
        for (const SimPushBatch &b : feed.collect(from.addSecs(k), from.addSecs(std::min(k + 97, 3600))))
            inSteps[b.endpoint] += b.items;
    }
    QVERIFY(!once.isEmpty());
    QCOMPARE(inSteps.keys(), once.keys());
    for (auto it = once.cbegin(); it != once.cend(); ++it) {
        // Within one window items are sorted by time; across windows they
        // are too, so only equal times may come in another order.
        QList<QJsonObject> a = it.value();
        QList<QJsonObject> b = inSteps.value(it.key());
        const auto key = [](const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); };
        const auto byKey = [&key](const QJsonObject &x, const QJsonObject &y) { return key(x) < key(y); };
        std::sort(a.begin(), a.end(), byKey);
        std::sort(b.begin(), b.end(), byKey);
        QVERIFY2(a == b, Push::endpointName(it.key()).data());
    }
    // A working morning moves the fleet.
    QVERIFY(once.value(Endpoint::Gps).size() > 100);
    QVERIFY(once.value(Endpoint::Obd).size() > 10);
}

void TestSimPusher::everyEndpointArrivesAndMatchesTheFleet()
{
    // Start shortly before the offline device goes offline, so that the
    // window holds a LOGOUT; run until a trip end and alarms of both shapes
    // (even devices flat, odd ones nested) are in it.
    SimFleetConfig fc;
    fc.vehicles = kVehicles;
    fc.seed = kSeed;
    fc.epoch = kEpoch;
    QDateTime start;
    {
        const SimFleet probe(fc);
        for (int i = 0; i < probe.size(); ++i) {
            if (probe.device(i).offline && !probe.device(i).neverFixed)
                start = probe.device(i).offlineSince.addSecs(-150);
        }
    }
    QVERIFY2(start.isValid(), "the fleet has no device that goes offline");

    // Near the epoch by necessity: offline devices stop within its first weeks.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("less than 40 days")));
    ManualClock clock(Utc::fromSecs(1'780'000'000));
    SimServer server(serverConfig(start), &clock);
    const SimFleet &fleet = server.fleet();
    QCOMPARE(server.fleetNow(), start);

    QDateTime end = start.addSecs(20 * 60);
    QDateTime firstAlarm[2];
    QDateTime firstTripEnd;
    bool dashcamOnline = false;
    for (int i = 0; i < fleet.size(); ++i) {
        const QList<SimAlarm> alarms = fleet.alarms(i, start.addSecs(1), start.addDays(2));
        QDateTime &first = firstAlarm[i % 2];
        if (!alarms.isEmpty() && (!first.isValid() || alarms.first().time < first))
            first = alarms.first().time;
        for (const SimTrip &t : fleet.trips(i, start.addSecs(-SimPushFeed::kTripLookbackSecs), start.addDays(2))) {
            if (t.end > start && (!firstTripEnd.isValid() || t.end < firstTripEnd))
                firstTripEnd = t.end;
        }
        dashcamOnline = dashcamOnline || (fleet.device(i).dashcam && fleet.isOnline(i, start));
    }
    QVERIFY(firstAlarm[0].isValid() && firstAlarm[1].isValid() && firstTripEnd.isValid() && dashcamOnline);
    end = std::max({end, firstAlarm[0].addSecs(60), firstAlarm[1].addSecs(60), firstTripEnd.addSecs(60)});
    QVERIFY2(start.secsTo(end) <= 2 * 86400, qPrintable(end.toString(Qt::ISODate)));

    QVERIFY(startReceiver());
    SimPusher pusher(server, QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_receiver->port())), kToken,
                     SimPushConfig{50, 50, 8, 10000, true, 10000, 120});
    pusher.start();
    // The fleet's clock jumps: the pusher catches up window by window.
    clock.advanceSecs(start.secsTo(end));
    QTRY_VERIFY_WITH_TIMEOUT(pusher.stats().pushedUntil == end && pusher.isIdle(), 150000);
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->stats().inboxPending, qint64(0), 20000);

    const SimPushStats sent = pusher.stats();
    const Push::ReceiverStats got = m_receiver->stats();
    QCOMPARE(got.quarantinedItems, qint64(0));
    QCOMPARE(got.malformed, qint64(0));
    QCOMPARE(got.unauthorized, qint64(0));
    QCOMPARE(sent.refused, qint64(0));
    QCOMPARE(sent.dropped, qint64(0));
    QCOMPARE(got.accepted, sent.accepted);
    for (Endpoint e : Push::allEndpoints()) {
        const QString name = Push::endpointName(e);
        QVERIFY2(got.itemsByEndpoint.value(name) > 0, qPrintable(name));
        QCOMPARE(got.itemsByEndpoint.value(name), sent.itemsAccepted.value(name));
    }

    // What the store holds is what the fleet did.
    StoreReader reader;
    QVERIFY(reader.open(m_writer->path()));
    const QDateTime from = start.addSecs(1);
    qint64 heartbeats = 0;
    qint64 trips = 0;
    qint64 fixes = 0;
    QList<SimAlarm> expectedAlarms;
    QStringList alarmImeis;
    for (int i = 0; i < fleet.size(); ++i) {
        const QString imei = fleet.device(i).imei;
        const QList<SimFix> truth = fleet.fixes(i, from, end);
        const QList<StoredPosition> stored = reader.positions(imei, from, end);
        QCOMPARE(stored.size(), truth.size());
        for (qsizetype k = 0; k < truth.size(); ++k) {
            const Position &p = stored.at(k).position;
            const SimFix &f = truth.at(k);
            QCOMPARE(p.gpsTime, f.gpsTime);
            QCOMPARE(p.lat, f.lat);
            QCOMPARE(p.lng, f.lng);
            QCOMPARE(p.courseDeg.value_or(-1), double(f.course));
            QCOMPARE(p.acc.value_or(!f.acc), f.acc);
            QCOMPARE(p.satellites.value_or(-1), f.satellites);
            QVERIFY(std::abs(p.speedKmh.value_or(-1) - f.speedKmh) <= 0.5);
            QCOMPARE(stored.at(k).source, PositionSource::Push);
        }
        fixes += truth.size();
        for (QDateTime hb = fleet.lastHeartbeat(i, end); hb.isValid() && hb > start;
             hb = fleet.lastHeartbeat(i, hb.addSecs(-1)))
            ++heartbeats;
        for (const SimTrip &t : fleet.trips(i, start.addSecs(-SimPushFeed::kTripLookbackSecs), end))
            trips += t.end > start && t.end <= end ? 1 : 0;
        for (const SimAlarm &a : fleet.alarms(i, from, end)) {
            expectedAlarms.append(a);
            alarmImeis.append(imei);
        }
    }
    QCOMPARE(got.itemsByEndpoint.value(QStringLiteral("pushgps")), fixes);
    QCOMPARE(got.itemsByEndpoint.value(QStringLiteral("pushhb")), heartbeats);
    QCOMPARE(got.itemsByEndpoint.value(QStringLiteral("pushtripreport")), trips);

    const QList<Alarm> storedAlarms = reader.alarms({}, from, end);
    QCOMPARE(storedAlarms.size(), expectedAlarms.size());
    for (qsizetype k = 0; k < expectedAlarms.size(); ++k) {
        const SimAlarm &a = expectedAlarms.at(k);
        const auto match = std::find_if(storedAlarms.cbegin(), storedAlarms.cend(), [&](const Alarm &s) {
            return s.imei == alarmImeis.at(k) && s.typeId == a.typeId && s.time == a.time;
        });
        QVERIFY2(match != storedAlarms.cend(), qPrintable(alarmImeis.at(k) + QLatin1Char(' ') + a.typeId));
        QCOMPARE(match->lat.value_or(0), a.lat);
        QCOMPARE(match->lng.value_or(0), a.lng);
        QCOMPARE(match->fenceId, a.fenceId);
    }
}

void TestSimPusher::receiverDownAtFirstStillGetsEverything()
{
    const QDateTime start = Utc::dateTime(QDate(2026, 5, 12), QTime(8, 0));
    ManualClock clock(Utc::fromSecs(1'780'000'000));
    SimServer server(serverConfig(start), &clock);
    const quint16 port = freePort();
    QVERIFY(port != 0);

    // A prefix path, small requests (the receiver refuses bigger ones).
    SimPushConfig config;
    config.tickMs = 50;
    config.maxItemsPerRequest = 5;
    SimPusher pusher(server, QUrl(QStringLiteral("http://127.0.0.1:%1/jimi/").arg(port)), kToken, config);
    QCOMPARE(pusher.endpointUrl(Endpoint::Gps).path(), QStringLiteral("/jimi/pushgps"));
    pusher.start();
    const QDateTime end = start.addSecs(10 * 60);
    clock.advanceSecs(start.secsTo(end));
    QTRY_VERIFY_WITH_TIMEOUT(pusher.stats().pushedUntil == end, 20000);
    // Several attempts, every one of them refused by the closed port.
    QTRY_VERIFY_WITH_TIMEOUT(pusher.stats().retries >= 3, 20000);
    QCOMPARE(pusher.stats().accepted, qint64(0));

    QVERIFY(startReceiver(port, 5));
    QTRY_VERIFY_WITH_TIMEOUT(pusher.isIdle(), 120000);
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->stats().inboxPending, qint64(0), 20000);

    const SimPushStats sent = pusher.stats();
    const Push::ReceiverStats got = m_receiver->stats();
    QCOMPARE(sent.refused, qint64(0));
    QCOMPARE(sent.dropped, qint64(0));
    QCOMPARE(sent.accepted + sent.retries, sent.requestsSent);
    QCOMPARE(got.accepted, sent.accepted);
    QCOMPARE(got.malformed, qint64(0));
    QCOMPARE(got.quarantinedItems, qint64(0));

    StoreReader reader;
    QVERIFY(reader.open(m_writer->path()));
    qint64 fixes = 0;
    for (int i = 0; i < server.fleet().size(); ++i) {
        const QList<SimFix> truth = server.fleet().fixes(i, start.addSecs(1), end);
        const QList<StoredPosition> stored = reader.positions(server.fleet().device(i).imei, start.addSecs(1), end);
        QCOMPARE(stored.size(), truth.size());
        for (qsizetype k = 0; k < truth.size(); ++k)
            QCOMPARE(stored.at(k).position.gpsTime, truth.at(k).gpsTime);
        fixes += truth.size();
    }
    QVERIFY(fixes > 0);
    QCOMPARE(got.itemsByEndpoint.value(QStringLiteral("pushgps")), fixes);
}

void TestSimPusher::wrongTokenIsRefusedNotRetried()
{
    const QDateTime start = Utc::dateTime(QDate(2026, 5, 12), QTime(8, 0));
    ManualClock clock(Utc::fromSecs(1'780'000'000));
    SimServer server(serverConfig(start), &clock);
    QVERIFY(startReceiver());

    SimPushConfig config;
    config.tickMs = 50;
    SimPusher pusher(server, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_receiver->port())),
                     QByteArrayLiteral("not-the-token"), config);
    pusher.start();
    clock.advanceSecs(5 * 60);
    QTRY_VERIFY_WITH_TIMEOUT(pusher.stats().pushedUntil == start.addSecs(5 * 60) && pusher.isIdle(), 30000);

    const SimPushStats sent = pusher.stats();
    QVERIFY(sent.requestsSent > 0);
    QCOMPARE(sent.refused, sent.requestsSent);
    QCOMPARE(sent.retries, qint64(0));
    QCOMPARE(sent.accepted, qint64(0));
    QCOMPARE(m_receiver->stats().unauthorized, sent.requestsSent);
    QCOMPARE(m_receiver->stats().accepted, qint64(0));
}

QTEST_GUILESS_MAIN(TestSimPusher)
#include "tst_simpusher.moc"
