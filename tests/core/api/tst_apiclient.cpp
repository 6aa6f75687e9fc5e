// The real client against the simulated cloud: token lifecycle, 1004
// recovery, 1006 back-off, signatures, faults, concurrency and logging.

#include "api/apiclient.h"
#include "sim/simserver.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

namespace {

const QString kSweep = QStringLiteral("jimi.user.device.location.list");
const QString kTokenGet = QStringLiteral("jimi.oauth.token.get");
const QString kTokenRefresh = QStringLiteral("jimi.oauth.token.refresh");

struct Outcome
{
    bool done = false;
    std::optional<Result<ApiEnvelope>> result;
};

} // namespace

class TestApiClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void regions();
    void tokenIsObtainedOnceAndReused();
    void persistedTokenSurvivesRestart();
    void refreshesBeforeExpiry();
    void recoversFrom1004();
    void tokenGetNeverFasterThanOncePerMinute();
    void backsOffOn1006();
    void gives1006UpAfterMaxAttempts();
    void tokenGet1006IsNotHammered();
    void shortTokenLifetimesStillLetCallsThrough_data();
    void shortTokenLifetimesStillLetCallsThrough();
    void strictTokenLimitWrongPasswordThenFixed();
    void signInTestsTheCredentials();
    void refusedAccountIsNotRetriedEveryMinute();
    void badSignatureIsRejected();
    void wrongPasswordIsAClearError();
    void networkErrorIsTyped();
    void timeoutIsTyped();
    void droppedConnectionsRetriedOnlyWhenIdempotent();
    void systemBusyNotResentForCommands();
    void concurrencyIsLimited();
    void perDeviceCallsDoNotBlockTheSweep();
    void destroyedContextCancelsTheHandler();
    void secretsNeverLogged();

private:
    ApiAccount account(const QString &secret = {}) const;
    std::unique_ptr<ApiClient> makeClient(ApiClientOptions options = {}, TokenStore *store = nullptr,
                                          const ApiAccount *acct = nullptr);
    std::shared_ptr<Outcome> call(ApiClient &client, const QString &method, const ApiParams &params = {},
                                  const CallOptions &options = {}, QObject *ctx = nullptr);

    ManualClock m_clock;
    std::unique_ptr<SimServer> m_server;
    MemoryTokenStore m_store;
    QObject m_ctx;
};

ApiAccount TestApiClient::account(const QString &secret) const
{
    ApiAccount a = m_server->account();
    if (!secret.isEmpty())
        a.appSecret = secret;
    return a;
}

std::unique_ptr<ApiClient> TestApiClient::makeClient(ApiClientOptions options, TokenStore *store,
                                                     const ApiAccount *acct)
{
    options.jitterSeed = 7;
    if (options.backoffBaseMs == ApiClientOptions().backoffBaseMs)
        options.backoffBaseMs = 20;
    return std::make_unique<ApiClient>(acct ? *acct : account(), store ? store : &m_store, &m_clock, options);
}

std::shared_ptr<Outcome> TestApiClient::call(ApiClient &client, const QString &method, const ApiParams &params,
                                             const CallOptions &options, QObject *ctx)
{
    auto out = std::make_shared<Outcome>();
    client.call(
        method, params.isEmpty() ? ApiParams{{QStringLiteral("target"), m_server->config().userId}} : params,
        ctx ? ctx : &m_ctx,
        [out](const Result<ApiEnvelope> &r) {
            out->done = true;
            out->result = r;
        },
        options);
    return out;
}

void TestApiClient::init()
{
    // Client and cloud share this clock; any fixed time works.
    m_clock.set(QDateTime(QDate(2026, 12, 2), QTime(9, 0), QTimeZone::utc()));
    SimServerConfig config;
    config.vehicles = 20;
    config.seed = 3;
    m_server = std::make_unique<SimServer>(config, &m_clock);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0) != 0);
    m_store = MemoryTokenStore();
}

void TestApiClient::cleanup()
{
    m_server.reset();
}

void TestApiClient::regions()
{
    QCOMPARE(regionBaseUrl(*regionFromName(QStringLiteral("hk"))),
             QUrl(QStringLiteral("https://hk-open.tracksolidpro.com/route/rest")));
    QCOMPARE(regionBaseUrl(*regionFromName(QStringLiteral("EU"))),
             QUrl(QStringLiteral("https://eu-open.tracksolidpro.com/route/rest")));
    QCOMPARE(regionBaseUrl(*regionFromName(QStringLiteral("us"))),
             QUrl(QStringLiteral("https://us-open.tracksolidpro.com/route/rest")));
    QCOMPARE(regionBaseUrl(*regionFromName(QStringLiteral("ts"))),
             QUrl(QStringLiteral("http://open.10000track.com/route/rest")));
    QVERIFY(!regionFromName(QStringLiteral("mars")));
    // Storage keys separate accounts and endpoints.
    ApiAccount a = account();
    ApiAccount b = a;
    b.userId = QStringLiteral("other");
    ApiAccount c = a;
    c.baseUrl = regionBaseUrl(Region::Europe);
    QVERIFY(a.storageKey() != b.storageKey());
    QVERIFY(a.storageKey() != c.storageKey());
    QCOMPARE(a.storageKey(), account().storageKey());
}

void TestApiClient::tokenIsObtainedOnceAndReused()
{
    auto client = makeClient();
    auto a = call(*client, kSweep);
    auto b = call(*client, kSweep);
    QTRY_VERIFY(a->done && b->done);
    QVERIFY(a->result->ok());
    QVERIFY(b->result->ok());
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
    QCOMPARE(client->stats().tokenGets, 1);
    auto c = call(*client, kSweep);
    QTRY_VERIFY(c->done);
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
    QCOMPARE(m_server->requestCount(kSweep), 3);
}

void TestApiClient::persistedTokenSurvivesRestart()
{
    {
        auto first = makeClient();
        auto a = call(*first, kSweep);
        QTRY_VERIFY(a->done);
        QVERIFY(a->result->ok());
    }
    m_clock.advanceSecs(30);
    auto second = makeClient(); // same store: a restart
    QVERIFY(second->token().has_value());
    auto b = call(*second, kSweep);
    QTRY_VERIFY(b->done);
    QVERIFY(b->result->ok());
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
    QCOMPARE(second->stats().tokenGets, 0);
}

void TestApiClient::refreshesBeforeExpiry()
{
    ApiClientOptions o;
    o.tokenLifetimeSecs = 7200;
    o.refreshMarginSecs = 600;
    auto client = makeClient(o);
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    const QString firstToken = client->token()->accessToken;
    m_clock.advanceSecs(7200 - 300); // inside the refresh margin, not yet expired
    QSignalSpy changed(client.get(), &ApiClient::tokenChanged);
    auto b = call(*client, kSweep);
    QTRY_VERIFY(b->done);
    QVERIFY2(b->result->ok(), qPrintable(b->result->ok() ? QString() : b->result->error().toString()));
    QCOMPARE(m_server->requestCount(kTokenRefresh), 1);
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
    QCOMPARE(changed.count(), 1);
    QVERIFY(client->token()->accessToken != firstToken);
    QCOMPARE(m_store.load(account().storageKey()).token->accessToken, client->token()->accessToken);
}

void TestApiClient::recoversFrom1004()
{
    auto client = makeClient();
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    m_server->revokeTokens(); // the cloud forgets every token
    m_clock.advanceSecs(61);
    auto b = call(*client, kSweep);
    QTRY_VERIFY_WITH_TIMEOUT(b->done, 10000);
    QVERIFY2(b->result->ok(), qPrintable(b->result->ok() ? QString() : b->result->error().toString()));
    // The call was answered 1004 once and resent once with a new token.
    QCOMPARE(m_server->codeCount(1004) >= 1, true);
    QCOMPARE(m_server->requestCount(kSweep), 3);
    QCOMPARE(m_server->requestCount(kTokenGet), 2);
}

void TestApiClient::tokenGetNeverFasterThanOncePerMinute()
{
    auto client = makeClient();
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    const QDateTime answered = m_clock.nowUtc(); // the clock stood still while it was answered
    m_clock.advanceSecs(10);
    m_server->revokeTokens(); // refresh will fail too: a new token.get is needed
    QSignalSpy deferred(client.get(), &ApiClient::tokenGetDeferred);
    auto b = call(*client, kSweep);
    // The client waits out the minute from the cloud's answer, with a margin:
    // the next token.get is scheduled, not sent.
    QVERIFY(deferred.wait(10000));
    QCOMPARE(m_server->requestCount(kTokenRefresh), 1);
    const QDateTime at = deferred.at(0).at(0).toDateTime();
    QVERIFY2(at >= answered.addSecs(60).addMSecs(client->options().tokenGetMarginMs),
             qPrintable(at.toString(Qt::ISODateWithMs)));
    QVERIFY(at
            <= answered.addSecs(60).addMSecs(client->options().tokenGetMarginMs + client->options().tokenGetJitterMs));
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
    QVERIFY(!b->done);
    client->cancelAll();
    QVERIFY(b->done);
    QCOMPARE(b->result->error().kind, ApiError::Kind::Cancelled);
}

void TestApiClient::backsOffOn1006()
{
    auto client = makeClient();
    m_server->failNext(2, 1006, kSweep);
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    QVERIFY(a->result->ok());
    QCOMPARE(m_server->requestCount(kSweep), 3);
    QCOMPARE(client->stats().retries, 2);
}

void TestApiClient::gives1006UpAfterMaxAttempts()
{
    ApiClientOptions o;
    o.maxAttempts = 3;
    auto client = makeClient(o);
    m_server->failNext(10, 1006, kSweep);
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    QVERIFY(!a->result->ok());
    QCOMPARE(a->result->error().kind, ApiError::Kind::RateLimited);
    QCOMPARE(a->result->error().apiCode, 1006);
    QCOMPARE(m_server->requestCount(kSweep), 3);
}

void TestApiClient::tokenGet1006IsNotHammered()
{
    // Another client of the same account took the minute's token.get.
    MemoryTokenStore otherStore;
    auto other = makeClient({}, &otherStore);
    auto a = call(*other, kSweep);
    QTRY_VERIFY(a->done);
    QVERIFY(a->result->ok());

    auto client = makeClient();
    QSignalSpy deferred(client.get(), &ApiClient::tokenGetDeferred);
    auto b = call(*client, kSweep);
    // The 1006 is answered and the retry scheduled a full minute later.
    QVERIFY(deferred.wait(10000));
    QCOMPARE(m_server->codeCount(1006), 1);
    QVERIFY(deferred.at(0).at(0).toDateTime() >= m_clock.nowUtc().addSecs(60));
    QCOMPARE(m_server->requestCount(kTokenGet), 2); // no retry within the minute
    QVERIFY(!b->done);
    client->cancelAll();
}

void TestApiClient::shortTokenLifetimesStillLetCallsThrough_data()
{
    QTest::addColumn<int>("lifetime");
    QTest::newRow("60 s, the official sample") << 60;
    QTest::newRow("300 s") << 300;
    QTest::newRow("600 s, the old margin") << 600;
}

void TestApiClient::shortTokenLifetimesStillLetCallsThrough()
{
    QFETCH(int, lifetime);
    // The cloud grants less than the client asks for.
    SimServerConfig config = m_server->config();
    config.tokenLifetimeSecs = lifetime;
    config.realStart = QDateTime();
    m_server = std::make_unique<SimServer>(config, &m_clock);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0) != 0);
    auto client = makeClient();
    auto a = call(*client, kSweep);
    QTRY_VERIFY_WITH_TIMEOUT(a->done, 10000);
    QVERIFY2(a->result->ok(), qPrintable(a->result->ok() ? QString() : a->result->error().toString()));
    QCOMPARE(client->token()->obtainedAt.secsTo(client->token()->expiresAt), qint64(lifetime));
    QCOMPARE(client->stats().tokenRefreshes, 0); // no refresh before the first call
    QCOMPARE(client->refreshMarginFor(*client->token()), lifetime / 5);

    // Still inside the token's life, outside its margin: used as it is.
    m_clock.advanceSecs(lifetime / 2);
    auto b = call(*client, kSweep);
    QTRY_VERIFY_WITH_TIMEOUT(b->done, 10000);
    QVERIFY(b->result->ok());
    QCOMPARE(client->stats().tokenRefreshes, 0);
    // Inside the margin: one refresh, then the call.
    m_clock.advanceSecs(lifetime / 2 - lifetime / 10);
    auto c = call(*client, kSweep);
    QTRY_VERIFY_WITH_TIMEOUT(c->done, 10000);
    QVERIFY(c->result->ok());
    QCOMPARE(client->stats().tokenRefreshes, 1);
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
    QCOMPARE(m_server->requestCount(kSweep), 3);
}

namespace {

// Real time passing, from a fixed start: timers and the clock agree, and no
// calendar is read.
class RunningClock final : public Clock
{
public:
    explicit RunningClock(const QDateTime &start)
        : m_start(start)
    {
        m_timer.start();
    }
    QDateTime nowUtc() const override { return m_start.addMSecs(m_timer.elapsed()); }
    qint64 monotonicMs() const override { return m_timer.elapsed(); }

private:
    QDateTime m_start;
    QElapsedTimer m_timer;
};

} // namespace

void TestApiClient::strictTokenLimitWrongPasswordThenFixed()
{
    // A cloud that starts its interval at every answer, refused ones too,
    // with the interval cut to 2 s so that real timers run it.
    RunningClock clock(QDateTime(QDate(2026, 12, 2), QTime(9, 0), QTimeZone::utc()));
    SimServerConfig config = m_server->config();
    config.strictTokenLimit = true;
    config.tokenGetIntervalSecs = 2;
    config.realStart = QDateTime();
    config.fleetStart = QDateTime();
    m_server = std::make_unique<SimServer>(config, &clock);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0) != 0);
    ApiClientOptions o;
    o.tokenGetIntervalSecs = 2;
    o.tokenGetMarginMs = 150;
    o.tokenGetJitterMs = 100;
    o.jitterSeed = 7;

    // A wrong password: refused, and said so.
    ApiAccount wrong = account();
    wrong.passwordMd5 = QStringLiteral("00000000000000000000000000000000");
    MemoryTokenStore store;
    {
        ApiClient client(wrong, &store, &clock, o);
        QSignalSpy failed(&client, &ApiClient::tokenFailed);
        client.signIn();
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.at(0).at(0).value<ApiError>().apiCode, 1002);
        QVERIFY(failed.at(0).at(0).value<ApiError>().message.contains(QLatin1String("password")));
        // Tried again, it is refused again: never locked out by 1006.
        client.signIn();
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.at(1).at(0).value<ApiError>().apiCode, 1002);
    }
    QCOMPARE(m_server->codeCount(1006), 0);

    // The user fixes the password: the next sign-in waits out the interval
    // from the last answer and gets through on its first try.
    ApiClient client(account(), &store, &clock, o);
    QSignalSpy deferred(&client, &ApiClient::tokenGetDeferred);
    QSignalSpy changed(&client, &ApiClient::tokenChanged);
    QSignalSpy failed(&client, &ApiClient::tokenFailed);
    client.signIn();
    QVERIFY(changed.wait(10000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(deferred.count(), 1);
    QCOMPARE(m_server->codeCount(1006), 0);
    QCOMPARE(m_server->requestCount(kTokenGet), 3);
    QVERIFY(client.token());
}

void TestApiClient::signInTestsTheCredentials()
{
    auto client = makeClient();
    QSignalSpy changed(client.get(), &ApiClient::tokenChanged);
    client->signIn();
    QVERIFY(changed.wait(10000));
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
    // It is kept: the session that follows needs no token.get of its own.
    QVERIFY(m_store.load(account().storageKey()).token);
    auto later = makeClient();
    auto a = call(*later, kSweep);
    QTRY_VERIFY(a->done);
    QVERIFY(a->result->ok());
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
}

void TestApiClient::refusedAccountIsNotRetriedEveryMinute()
{
    ApiAccount wrong = account();
    wrong.passwordMd5 = QStringLiteral("00000000000000000000000000000000");
    auto client = makeClient({}, nullptr, &wrong);
    QSignalSpy deferred(client.get(), &ApiClient::tokenGetDeferred);
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    QCOMPARE(a->result->error().apiCode, 1002);
    const QDateTime refusedAt = m_clock.nowUtc();
    // The next call waits ten minutes, not one: the same password would only
    // be refused again, and would keep the account's minute busy.
    auto b = call(*client, kSweep);
    QVERIFY(deferred.wait(10000));
    QVERIFY(deferred.last().at(0).toDateTime() >= refusedAt.addSecs(client->options().refusedRetrySecs));
    QCOMPARE(m_server->requestCount(kTokenGet), 1);
    // An explicit sign-in (someone edited the account) waits only for the cloud's interval.
    client->cancelAll();
    client->signIn();
    QCOMPARE(deferred.size(), 2);
    QVERIFY(deferred.last().at(0).toDateTime()
            <= refusedAt.addSecs(60).addMSecs(client->options().tokenGetMarginMs + client->options().tokenGetJitterMs));
    client->cancelAll();
    QVERIFY(b->done);
}

void TestApiClient::badSignatureIsRejected()
{
    const ApiAccount wrong = account(QStringLiteral("not-the-secret"));
    auto client = makeClient({}, nullptr, &wrong);
    QSignalSpy failed(client.get(), &ApiClient::tokenFailed);
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    QVERIFY(!a->result->ok());
    QCOMPARE(a->result->error().apiCode, 1001);
    QVERIFY(a->result->error().message.contains(QLatin1String("Illegal sign")));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(m_server->requestCount(kSweep), 0);
}

void TestApiClient::wrongPasswordIsAClearError()
{
    ApiAccount wrong = account();
    wrong.passwordMd5 = QStringLiteral("00000000000000000000000000000000");
    auto client = makeClient({}, nullptr, &wrong);
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    QVERIFY(!a->result->ok());
    QCOMPARE(a->result->error().kind, ApiError::Kind::Api);
    QVERIFY2(a->result->error().message.contains(QLatin1String("password")), qPrintable(a->result->error().message));
}

void TestApiClient::networkErrorIsTyped()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close(); // nothing listens there now
    ApiAccount a = account();
    a.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/route/rest").arg(port));
    ApiClientOptions o;
    o.maxAttempts = 2;
    auto client = makeClient(o, nullptr, &a);
    auto r = call(*client, kSweep);
    QTRY_VERIFY(r->done);
    QVERIFY(!r->result->ok());
    QCOMPARE(r->result->error().kind, ApiError::Kind::Network);
    QVERIFY(r->result->error().isTransient());
}

void TestApiClient::timeoutIsTyped()
{
    auto client = makeClient();
    auto warm = call(*client, kSweep);
    QTRY_VERIFY(warm->done);
    m_server->setLatency(3000);
    auto r = call(*client, kSweep, {}, CallOptions{300, true, false, false});
    QTRY_VERIFY(r->done);
    QCOMPARE(r->result->error().kind, ApiError::Kind::Timeout);
    m_server->setLatency(0);
}

void TestApiClient::droppedConnectionsRetriedOnlyWhenIdempotent()
{
    ApiClientOptions o;
    o.maxAttempts = 3;
    auto client = makeClient(o);
    auto warm = call(*client, kSweep);
    QTRY_VERIFY(warm->done);
    m_server->setDropRate(1.0);
    auto read = call(*client, kSweep);
    QTRY_VERIFY(read->done);
    QCOMPARE(read->result->error().kind, ApiError::Kind::Network);
    // Three attempts; Qt itself may resend a read once on a reused connection.
    const int readDrops = m_server->droppedConnections();
    QVERIFY2(readDrops >= 3 && readDrops <= 6, qPrintable(QString::number(readDrops)));

    const QString send = QStringLiteral("jimi.open.instruction.send");
    const QString imei = m_server->fleet().device(0).imei;
    auto command = call(*client, send,
                        {{QStringLiteral("imei"), imei},
                         {QStringLiteral("inst_param_json"),
                          QStringLiteral(
                              R"({"inst_id":"99","inst_template":"{0}","params":["WHERE#"],"is_cover":"true"})")}},
                        CallOptions{0, false, true, false});
    QTRY_VERIFY(command->done);
    QCOMPARE(command->result->error().kind, ApiError::Kind::Network);
    QCOMPARE(m_server->droppedConnections(), readDrops + 1); // sent once, never resent, not even by Qt
    QVERIFY(command->result->error().message.contains(QLatin1String("may or may not")));
    m_server->setDropRate(0.0);
}

void TestApiClient::systemBusyNotResentForCommands()
{
    auto client = makeClient();
    auto warm = call(*client, kSweep);
    QTRY_VERIFY(warm->done);
    const QString raw = QStringLiteral("jimi.open.instruction.raw.send");
    m_server->failNext(1, -1, raw);
    auto r = call(*client, raw,
                  {{QStringLiteral("imei"), m_server->fleet().device(0).imei},
                   {QStringLiteral("raw_cmd"), QStringLiteral("0B02")}},
                  CallOptions{0, false, true, false});
    QTRY_VERIFY(r->done);
    QCOMPARE(r->result->error().apiCode, -1);
    QCOMPARE(m_server->requestCount(raw), 1);
}

void TestApiClient::concurrencyIsLimited()
{
    ApiClientOptions o;
    o.maxConcurrent = 2;
    auto client = makeClient(o);
    auto warm = call(*client, kSweep);
    QTRY_VERIFY(warm->done);
    m_server->setLatency(150);
    int maxSeen = 0;
    QTimer probe;
    connect(&probe, &QTimer::timeout, this, [&] { maxSeen = qMax(maxSeen, client->inFlight()); });
    probe.start(5);
    QList<std::shared_ptr<Outcome>> calls;
    for (int i = 0; i < 6; ++i)
        calls.append(call(*client, kSweep));
    QCOMPARE(client->queued() + client->inFlight(), 6);
    QTRY_VERIFY(std::all_of(calls.cbegin(), calls.cend(), [](const auto &c) { return c->done; }));
    QCOMPARE(maxSeen, 2);
    m_server->setLatency(0);
}

void TestApiClient::perDeviceCallsDoNotBlockTheSweep()
{
    ApiClientOptions o;
    o.maxConcurrent = 3;
    o.maxConcurrentPerDevice = 2;
    auto client = makeClient(o);
    auto warm = call(*client, kSweep);
    QTRY_VERIFY(warm->done);
    m_server->setLatency(400);
    const QString detail = QStringLiteral("jimi.track.device.detail");
    QList<std::shared_ptr<Outcome>> perDevice;
    for (int i = 0; i < 4; ++i)
        perDevice.append(call(*client, detail, {{QStringLiteral("imei"), m_server->fleet().device(i).imei}},
                              CallOptions{0, true, true, false}));
    auto sweep = call(*client, kSweep);
    QTRY_VERIFY(sweep->done);
    // The sweep got a free slot at once, so it finished before the per-device
    // calls that had to queue behind the first two.
    QVERIFY(!perDevice[2]->done || !perDevice[3]->done);
    QTRY_VERIFY(perDevice[3]->done);
    m_server->setLatency(0);
}

void TestApiClient::destroyedContextCancelsTheHandler()
{
    auto client = makeClient();
    bool called = false;
    {
        QObject ctx;
        client->call(kSweep, {{QStringLiteral("target"), m_server->config().userId}}, &ctx,
                     [&called](const Result<ApiEnvelope> &) { called = true; });
    }
    auto after = call(*client, kSweep);
    QTRY_VERIFY(after->done);
    QVERIFY(!called);
}

namespace {
QStringList *g_log = nullptr;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &msg)
{
    if (g_log)
        g_log->append(msg);
}
} // namespace

void TestApiClient::secretsNeverLogged()
{
    QStringList log;
    g_log = &log;
    QLoggingCategory::setFilterRules(QStringLiteral("fleet.*=true"));
    const QtMessageHandler previous = qInstallMessageHandler(captureLog);
    auto client = makeClient();
    auto a = call(*client, kSweep);
    QTRY_VERIFY(a->done);
    m_server->revokeTokens();
    m_clock.advanceSecs(61);
    auto b = call(*client, kSweep);
    QTRY_VERIFY_WITH_TIMEOUT(b->done, 10000);
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    g_log = nullptr;

    QVERIFY(!log.isEmpty());
    const QString all = log.join(QLatin1Char('\n'));
    QVERIFY(!all.contains(m_server->config().appSecret));
    QVERIFY(!all.contains(m_server->passwordMd5()));
    QVERIFY(!all.contains(client->token()->accessToken));
    QVERIFY(!all.contains(client->token()->refreshToken));
    QVERIFY(all.contains(QLatin1String("<redacted#")));
}

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
