#include "sync/ingestconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;

class TestIngestConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void fullConfig();
    void defaultsAndRelativeDatabase();
    void environmentSecretsWin();
    void errorsNameTheKey_data();
    void errorsNameTheKey();
    void durations_data();
    void durations();
    void webhookOnly();
    void webhookTokenFromTheEnvironment();
    void webhookWarnings();
    void listen_data();
    void listen();

private:
    QString write(const QByteArray &text);
    QTemporaryDir m_dir;
};

namespace {
const QByteArray kValid = "[api]\n"
                          "region = eu\n"
                          "app_key = KEY123\n"
                          "app_secret = s3cr3t\n"
                          "user_id = fleetco\n"
                          "password_md5 = 21218CCA77804D2BA1922C33E0151105\n"
                          "[store]\n"
                          "database = /var/lib/fleetdesk/fleet.db\n";
} // namespace

void TestIngestConfig::init()
{
    qunsetenv("FLEETDESK_APP_SECRET");
    qunsetenv("FLEETDESK_PASSWORD_MD5");
    qunsetenv("FLEETDESK_WEBHOOK_TOKEN");
}

QString TestIngestConfig::write(const QByteArray &text)
{
    static int n = 0;
    QString path = m_dir.filePath(QStringLiteral("c%1.ini").arg(++n));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write the test config");
    f.write(text);
    return path;
}

void TestIngestConfig::fullConfig()
{
    QString error;
    const auto c = IngestConfig::load(write(kValid
                                            + "[sync]\nbackfill_hours = 48\nfleet_sweep = 30s\ngps_trail = 15min\n"
                                              "gps_trail_lookback = 20min\ndevice_sync = 5h\nalarms = 120\n"
                                              "alarms_lookback = 3h\n"),
                                      &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->account.baseUrl, regionBaseUrl(Region::Europe));
    QCOMPARE(c->account.appKey, QStringLiteral("KEY123"));
    QCOMPARE(c->account.appSecret, QStringLiteral("s3cr3t"));
    QCOMPARE(c->account.passwordMd5, QStringLiteral("21218cca77804d2ba1922c33e0151105"));
    QCOMPARE(c->target, QStringLiteral("fleetco"));
    QCOMPARE(c->databasePath, QStringLiteral("/var/lib/fleetdesk/fleet.db"));
    QCOMPARE(c->schedule.backfillHours, 48);
    QCOMPARE(c->schedule.fleetSweepSecs, 30);
    QCOMPARE(c->schedule.gpsTrailSecs, 900);
    QCOMPARE(c->schedule.gpsTrailLookbackSecs, 1200);
    QCOMPARE(c->schedule.deviceSyncSecs, 18000);
    QCOMPARE(c->schedule.alarmsSecs, 120);
    QCOMPARE(c->schedule.alarmsLookbackSecs, 3 * 3600);
}

void TestIngestConfig::defaultsAndRelativeDatabase()
{
    QString error;
    const auto c =
        IngestConfig::load(write("[api]\nbase_url = http://127.0.0.1:8080/route/rest\napp_key = K\napp_secret = S\n"
                                 "user_id = u\npassword_md5 = 21218cca77804d2ba1922c33e0151105\ntarget = sub\n"
                                 "[store]\ndatabase = data/fleet.db\n"),
                           &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->target, QStringLiteral("sub"));
    QCOMPARE(c->databasePath, m_dir.filePath(QStringLiteral("data/fleet.db")));
    QCOMPARE(c->schedule.fleetSweepSecs, 60);
    QCOMPARE(c->schedule.gpsTrailSecs, 1800);
    QCOMPARE(c->schedule.gpsTrailLookbackSecs, 2100);
    QCOMPARE(c->schedule.deviceSyncSecs, 18000);
    // Alarms that reach the cloud late are still fetched: an hour back.
    QCOMPARE(c->schedule.alarmsLookbackSecs, 3600);
}

void TestIngestConfig::environmentSecretsWin()
{
    qputenv("FLEETDESK_APP_SECRET", "from-env");
    qputenv("FLEETDESK_PASSWORD_MD5", "0123456789abcdef0123456789abcdef");
    QString error;
    const auto c = IngestConfig::load(write("[api]\nregion = hk\napp_key = K\nuser_id = u\n[store]\ndatabase = x.db\n"),
                                      &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->account.appSecret, QStringLiteral("from-env"));
    QCOMPARE(c->account.passwordMd5, QStringLiteral("0123456789abcdef0123456789abcdef"));
}

void TestIngestConfig::errorsNameTheKey_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QByteArray noKey = kValid;
    noKey.replace("app_key = KEY123\n", "");
    QTest::newRow("app_key") << noKey << QStringLiteral("[api] app_key is missing");
    QByteArray noSecret = kValid;
    noSecret.replace("app_secret = s3cr3t\n", "");
    QTest::newRow("app_secret") << noSecret << QStringLiteral("[api] app_secret is missing");
    QByteArray plainPassword = kValid;
    plainPassword.replace("21218CCA77804D2BA1922C33E0151105", "hunter2");
    QTest::newRow("password") << plainPassword << QStringLiteral("[api] password_md5 must be 32 hex digits");
    QByteArray badRegion = kValid;
    badRegion.replace("region = eu", "region = mars");
    QTest::newRow("region") << badRegion << QStringLiteral("[api] region must be");
    QByteArray both = kValid;
    both.replace("region = eu", "region = eu\nbase_url = https://x.example/route/rest");
    QTest::newRow("both") << both << QStringLiteral("not both");
    QByteArray noDb = kValid;
    noDb.replace("database = /var/lib/fleetdesk/fleet.db\n", "");
    QTest::newRow("database") << noDb << QStringLiteral("[store] database is missing");
    QTest::newRow("duration") << (kValid + "[sync]\nfleet_sweep = soon\n") << QStringLiteral("[sync] fleet_sweep");
    QTest::newRow("unknown key") << (kValid + "[sync]\nsweep = 60\n") << QStringLiteral("[sync] unknown key sweep");
    QTest::newRow("unknown section") << (kValid + "[mqtt]\nhost = x\n") << QStringLiteral("unknown section [mqtt]");
    QTest::newRow("lookback") << (kValid + "[sync]\ngps_trail = 30min\ngps_trail_lookback = 10min\n")
                              << QStringLiteral("gps_trail_lookback");
    QTest::newRow("alarms lookback") << (kValid + "[sync]\nalarms = 30min\nalarms_lookback = 10min\n")
                                     << QStringLiteral("alarms_lookback must be at least alarms");
    QTest::newRow("alarms lookback unit")
        << (kValid + "[sync]\nalarms_lookback = forever\n") << QStringLiteral("[sync] alarms_lookback");
    QTest::newRow("backfill") << (kValid + "[sync]\nbackfill_hours = -3\n") << QStringLiteral("[sync] backfill_hours");
    QTest::newRow("nothing") << QByteArray("[store]\ndatabase = x.db\n")
                             << QStringLiteral("neither [api] nor [webhook]");
    const QByteArray hook = "[store]\ndatabase = x.db\n[webhook]\n";
    QTest::newRow("no listen") << (hook + "token = abcdefghijklmnopq\n")
                               << QStringLiteral("[webhook] listen is missing");
    QTest::newRow("bad listen") << (hook + "listen = here\ntoken = abcdefghijklmnopq\n")
                                << QStringLiteral("[webhook] listen must be host:port");
    QTest::newRow("port 0") << (hook + "listen = 0\ntoken = abcdefghijklmnopq\n")
                            << QStringLiteral("[webhook] listen must be host:port");
    QTest::newRow("no token") << (hook + "listen = 8090\n") << QStringLiteral("[webhook] token is missing");
    QTest::newRow("cert without key") << (hook + "listen = 8090\ntoken = abcdefghijklmnopq\ntls_certificate = c.pem\n")
                                      << QStringLiteral("tls_certificate and tls_key go together");
    QTest::newRow("webhook key") << (hook + "listen = 8090\ntoken = abcdefghijklmnopq\nport = 1\n")
                                 << QStringLiteral("[webhook] unknown key port");
    QTest::newRow("per address negative")
        << (hook + "listen = 8090\ntoken = abcdefghijklmnopq\nmax_connections_per_address = -1\n")
        << QStringLiteral("[webhook] max_connections_per_address must be a number from 0");
    QTest::newRow("per address word")
        << (hook + "listen = 8090\ntoken = abcdefghijklmnopq\nmax_connections_per_address = many\n")
        << QStringLiteral("[webhook] max_connections_per_address must be a number from 0");
}

void TestIngestConfig::errorsNameTheKey()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!IngestConfig::load(write(text), &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QVERIFY(!error.contains(QLatin1String("s3cr3t"))); // never echo a secret
}

void TestIngestConfig::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("secs");
    QTest::newRow("plain") << QStringLiteral("60") << 60;
    QTest::newRow("s") << QStringLiteral("45s") << 45;
    QTest::newRow("min") << QStringLiteral("30min") << 1800;
    QTest::newRow("h") << QStringLiteral("5h") << 18000;
    QTest::newRow("d") << QStringLiteral("2d") << 172800;
    QTest::newRow("spaces") << QStringLiteral(" 10 min ") << 600;
    QTest::newRow("zero") << QStringLiteral("0") << -1;
    QTest::newRow("negative") << QStringLiteral("-5") << -1;
    QTest::newRow("words") << QStringLiteral("often") << -1;
    QTest::newRow("too long") << QStringLiteral("400d") << -1;
}

void TestIngestConfig::durations()
{
    QFETCH(QString, text);
    QFETCH(int, secs);
    const std::optional<int> d = IngestConfig::parseDuration(text);
    QCOMPARE(d ? *d : -1, secs);
}

void TestIngestConfig::webhookOnly()
{
    QString error;
    const auto c = IngestConfig::load(write("[store]\ndatabase = x.db\n[webhook]\nlisten = 0.0.0.0:8443\n"
                                            "token = 0123456789abcdefXYZ\ntls_certificate = tls/c.pem\n"
                                            "tls_key = tls/k.pem\n"),
                                      &error);
    QVERIFY2(c, qPrintable(error));
    QVERIFY(!c->hasApi);
    QVERIFY(c->webhook.enabled);
    QCOMPARE(c->webhook.address, QHostAddress(QStringLiteral("0.0.0.0")));
    QCOMPARE(c->webhook.port, 8443);
    QCOMPARE(c->webhook.token, QByteArrayLiteral("0123456789abcdefXYZ"));
    QCOMPARE(c->webhook.certificatePath, m_dir.filePath(QStringLiteral("tls/c.pem")));
    QCOMPARE(c->webhook.keyPath, m_dir.filePath(QStringLiteral("tls/k.pem")));
    QCOMPARE(c->webhook.maxConnectionsPerAddress, 64);
    QVERIFY(c->webhook.warnings.isEmpty());
    // Behind a reverse proxy: no limit per address.
    const auto proxied = IngestConfig::load(write("[store]\ndatabase = x.db\n[webhook]\nlisten = 8090\n"
                                                  "token = 0123456789abcdefXYZ\nmax_connections_per_address = 0\n"),
                                            &error);
    QVERIFY2(proxied, qPrintable(error));
    QCOMPARE(proxied->webhook.maxConnectionsPerAddress, 0);
}

void TestIngestConfig::webhookTokenFromTheEnvironment()
{
    qputenv("FLEETDESK_WEBHOOK_TOKEN", "from-the-environment-1234");
    QString error;
    const auto c = IngestConfig::load(write(kValid + "[webhook]\nlisten = 8090\n"), &error);
    QVERIFY2(c, qPrintable(error));
    QVERIFY(c->hasApi);
    QCOMPARE(c->webhook.token, QByteArrayLiteral("from-the-environment-1234"));
    QCOMPARE(c->webhook.address, QHostAddress(QHostAddress::LocalHost));
}

void TestIngestConfig::webhookWarnings()
{
    QString error;
    const auto c =
        IngestConfig::load(write("[store]\ndatabase = x.db\n[webhook]\nlisten = 0.0.0.0:8090\ntoken = short\n"),
                           &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->webhook.warnings.size(), 2);
    QVERIFY(c->webhook.warnings.at(0).contains(QLatin1String("fewer than 16")));
    QVERIFY(c->webhook.warnings.at(1).contains(QLatin1String("without TLS")));
    QVERIFY(!c->webhook.warnings.join(QLatin1Char(' ')).contains(QLatin1String("short"))); // never echo the token
}

void TestIngestConfig::listen_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("port") << QStringLiteral("8090") << QStringLiteral("127.0.0.1") << 8090;
    QTest::newRow("v4") << QStringLiteral("192.168.1.5:80") << QStringLiteral("192.168.1.5") << 80;
    QTest::newRow("any") << QStringLiteral("0.0.0.0:8090") << QStringLiteral("0.0.0.0") << 8090;
    QTest::newRow("v6") << QStringLiteral("[::1]:8090") << QStringLiteral("::1") << 8090;
    QTest::newRow("localhost") << QStringLiteral("localhost:9000") << QStringLiteral("127.0.0.1") << 9000;
    QTest::newRow("zero") << QStringLiteral("0") << QString() << 0;
    QTest::newRow("too big") << QStringLiteral("70000") << QString() << 0;
    QTest::newRow("bad host") << QStringLiteral("999.1.1.1:80") << QString() << 0;
    QTest::newRow("name") << QStringLiteral("example.com:80") << QString() << 0;
    QTest::newRow("empty") << QString() << QString() << 0;
}

void TestIngestConfig::listen()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    const auto l = IngestConfig::parseListen(text);
    if (port == 0) {
        QVERIFY(!l);
        return;
    }
    QVERIFY(l);
    QCOMPARE(l->first, QHostAddress(host));
    QCOMPARE(int(l->second), port);
}

QTEST_GUILESS_MAIN(TestIngestConfig)
#include "tst_ingestconfig.moc"
