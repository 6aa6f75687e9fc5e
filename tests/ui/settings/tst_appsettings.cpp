#include "settings/accountsecrets.h"
#include "settings/appsettings.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;

class TestAppSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsWhenEmpty()
    {
        QTemporaryDir dir;
        AppSettings s(std::make_unique<QSettings>(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat));
        QVERIFY(!s.account().isConfigured());
        QCOMPARE(s.account().webhookListen, QStringLiteral("127.0.0.1:8090"));
        QCOMPARE(s.mapZoom(), 0.0);
        QCOMPARE(s.mapCentre(), QPointF(0.5, 0.5));
        QVERIFY(s.labelsVisible());
        QCOMPARE(s.theme(), AppSettings::Theme::System);
        QCOMPARE(s.tileCacheBytes(), qint64(200) * 1024 * 1024);
        QVERIFY(s.selectedVehicle().isEmpty());
        // The version is written on first use, so later versions can migrate.
        QCOMPARE(s.backend()->value(QStringLiteral("settingsVersion")).toInt(), 1);
    }

    void roundTripThroughTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.ini"));
        AccountSettings a;
        a.region = QStringLiteral("eu");
        a.appKey = QStringLiteral("KEY");
        a.userId = QStringLiteral("dispatch");
        a.webhookEnabled = true;
        a.webhookListen = QStringLiteral("0.0.0.0:9000");
        a.instructUrl = QStringLiteral("http://10.0.0.5:8080");
        {
            AppSettings s(std::make_unique<QSettings>(path, QSettings::IniFormat));
            s.setAccount(a);
            s.setMapView(QPointF(0.25, 0.75), 12.5);
            s.setSelectedVehicle(QStringLiteral("860000000000001"));
            s.setFollowedVehicle(QStringLiteral("860000000000001"));
            s.setTileSource(QStringLiteral("offline"));
            s.setLabelsVisible(false);
            s.setTheme(AppSettings::Theme::Dark);
            s.setWindowGeometry(QByteArray("geo"));
            s.setWindowState(QByteArray("state"));
            s.sync();
        }
        AppSettings s(std::make_unique<QSettings>(path, QSettings::IniFormat));
        QCOMPARE(s.account(), a);
        QVERIFY(s.account().isConfigured());
        QCOMPARE(s.mapCentre(), QPointF(0.25, 0.75));
        QCOMPARE(s.mapZoom(), 12.5);
        QCOMPARE(s.selectedVehicle(), QStringLiteral("860000000000001"));
        QCOMPARE(s.followedVehicle(), QStringLiteral("860000000000001"));
        QCOMPARE(s.tileSource(), QStringLiteral("offline"));
        QVERIFY(!s.labelsVisible());
        QCOMPARE(s.theme(), AppSettings::Theme::Dark);
        QCOMPARE(s.windowGeometry(), QByteArray("geo"));
        QCOMPARE(s.windowState(), QByteArray("state"));
        s.clearAccount();
        QVERIFY(!s.account().isConfigured());
    }

    void savedAlarmFiltersRoundTripAndTolerateDamage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.ini"));
        const QList<SavedAlarmFilter> filters{
            {QStringLiteral("Night: criticals"), QStringLiteral("unhandled"), QStringLiteral("critical"),
             QStringLiteral("day"), QString(), QString()},
            {QStringLiteral("Trucks, \"all\""), QStringLiteral("all"), QString(), QStringLiteral("all"),
             QStringLiteral("g2"), QStringLiteral("TRK, overspeed")},
        };
        {
            AppSettings s(std::make_unique<QSettings>(path, QSettings::IniFormat));
            QVERIFY(s.alarmSavedFilters().isEmpty());
            s.setAlarmSavedFilters(filters);
            s.sync();
        }
        AppSettings s(std::make_unique<QSettings>(path, QSettings::IniFormat));
        QCOMPARE(s.alarmSavedFilters(), filters);
        // Damage costs what is damaged only: entries without a name, and text
        // that is not a list, are skipped.
        QCOMPARE(SavedAlarmFilter::listFromJson(QStringLiteral("{\"name\": \"x\"}")), QList<SavedAlarmFilter>());
        QCOMPARE(SavedAlarmFilter::listFromJson(QStringLiteral("not json")), QList<SavedAlarmFilter>());
        const QList<SavedAlarmFilter> kept =
            SavedAlarmFilter::listFromJson(QStringLiteral("[{\"state\":\"new\"}, 7, {\"name\":\" Day \",\"period\":\"day\"}]"));
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept.at(0).name, QStringLiteral("Day"));
        QCOMPARE(kept.at(0).period, QStringLiteral("day"));
    }

    void noSecretEverReachesTheSettingsFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.ini"));
        AccountSettings a;
        a.customUrl = QStringLiteral("https://example.com/route/rest");
        a.appKey = QStringLiteral("KEY");
        a.userId = QStringLiteral("dispatch");
        {
            AppSettings s(std::make_unique<QSettings>(path, QSettings::IniFormat));
            s.setAccount(a);
            s.sync();
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains("secret"));
        QVERIFY(!text.contains("password"));
        QVERIFY(!text.contains("token"));
        QCOMPARE(a.secretKey(), QStringLiteral("account/dispatch@https://example.com/route/rest"));
    }

    void secretsRoundTripAndRejectDamage()
    {
        AccountSecrets s;
        s.appSecret = QStringLiteral("s3cr3t");
        s.passwordMd5 = AccountSecrets::md5Hex(QStringLiteral("demo1234"));
        s.webhookToken = QStringLiteral("tok");
        // MD5("demo1234"), computed independently (md5sum).
        QCOMPARE(AccountSecrets::md5Hex(QStringLiteral("demo1234")),
                 QStringLiteral("6e9bece1914809fb8493146417e722f6"));
        QCOMPARE(AccountSecrets::fromBytes(s.toBytes()), std::optional<AccountSecrets>(s));
        QVERIFY(!AccountSecrets::fromBytes(QByteArray()));
        QVERIFY(!AccountSecrets::fromBytes("not json"));
        QVERIFY(
            !AccountSecrets::fromBytes(R"({"v":2,"appSecret":"a","passwordMd5":"6e9bece1914809fb8493146417e722f6"})"));
        QVERIFY(
            !AccountSecrets::fromBytes(R"({"v":1,"appSecret":"","passwordMd5":"6e9bece1914809fb8493146417e722f6"})"));
        QVERIFY(!AccountSecrets::fromBytes(R"({"v":1,"appSecret":"a","passwordMd5":"demo1234"})"));
    }
};

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
