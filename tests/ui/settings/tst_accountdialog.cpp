#include "settings/accountdialog.h"

#include "domain/accesstoken.h"
#include "api/apiclient.h"
#include "sim/simserver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using namespace Fleet;

class TestAccountDialog : public QObject
{
    Q_OBJECT

private:
    static QLineEdit *edit(AccountDialog &d, int index) { return d.findChildren<QLineEdit *>().at(index); }
    static QPushButton *ok(AccountDialog &d) { return d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok); }
    // Order of construction: custom URL, app key, app secret, account, password, listen, token,
    // instruction gateway.
    enum { Url, Key, Secret, User, Password, Listen, Token, Instruct };

    static Sim::SimServerConfig simConfig()
    {
        Sim::SimServerConfig c;
        c.vehicles = 2;
        c.fleetStart = QDateTime(QDate(2026, 12, 2), QTime(9, 0), QTimeZone::utc());
        return c;
    }
    // The dialog filled in for a simulated cloud at a custom URL.
    static void fill(AccountDialog &d, const Sim::SimServer &cloud, const QString &password)
    {
        auto *region = d.findChild<QComboBox *>();
        region->setCurrentIndex(region->count() - 1);
        edit(d, Url)->setText(cloud.baseUrl().toString());
        edit(d, Key)->setText(cloud.config().appKey);
        edit(d, Secret)->setText(cloud.config().appSecret);
        edit(d, User)->setText(cloud.config().userId);
        edit(d, Password)->setText(password);
    }

private Q_SLOTS:
    void requiresEveryField()
    {
        AccountDialog d;
        QVERIFY(!ok(d)->isEnabled());
        QCOMPARE(d.validationError(), QStringLiteral("Enter the app key."));
        edit(d, Key)->setText(QStringLiteral("KEY"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the app secret."));
        edit(d, Secret)->setText(QStringLiteral("SECRET"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the account."));
        edit(d, User)->setText(QStringLiteral("dispatch"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the password."));
        edit(d, Password)->setText(QStringLiteral("demo1234"));
        QVERIFY(d.validationError().isEmpty());
        QVERIFY(ok(d)->isEnabled());
    }

    void customUrlMustBeHttp()
    {
        AccountDialog d;
        auto *region = d.findChild<QComboBox *>();
        region->setCurrentIndex(region->count() - 1);
        QVERIFY(edit(d, Url)->isEnabled());
        QCOMPARE(d.validationError(), QStringLiteral("Enter the API's URL."));
        edit(d, Url)->setText(QStringLiteral("ftp://example.com/route/rest"));
        QVERIFY(d.validationError().startsWith(QLatin1String("The URL must be")));
        edit(d, Url)->setText(QStringLiteral("https://example.com/route/rest"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the app key."));
    }

    void webhookNeedsAListenAddress()
    {
        AccountDialog d;
        edit(d, Key)->setText(QStringLiteral("KEY"));
        edit(d, Secret)->setText(QStringLiteral("SECRET"));
        edit(d, User)->setText(QStringLiteral("dispatch"));
        edit(d, Password)->setText(QStringLiteral("pw"));
        d.findChild<QCheckBox *>()->setChecked(true);
        edit(d, Listen)->setText(QStringLiteral("nowhere"));
        QVERIFY(d.validationError().startsWith(QLatin1String("Listen on")));
        edit(d, Listen)->setText(QStringLiteral("127.0.0.1:8091"));
        QVERIFY(d.validationError().isEmpty());
        // A fresh, long push token is proposed.
        QVERIFY(edit(d, Token)->text().size() >= 32);
    }

    void acceptKeepsOnlyThePasswordHash()
    {
        AccountDialog d;
        auto *region = d.findChild<QComboBox *>();
        region->setCurrentIndex(region->findData(QStringLiteral("eu")));
        edit(d, Key)->setText(QStringLiteral(" KEY "));
        edit(d, Secret)->setText(QStringLiteral("SECRET"));
        edit(d, User)->setText(QStringLiteral("dispatch"));
        edit(d, Password)->setText(QStringLiteral("demo1234"));
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QVERIFY(edit(d, Password)->text().isEmpty());
        const AccountSettings a = d.account();
        QCOMPARE(a.region, QStringLiteral("eu"));
        QCOMPARE(a.appKey, QStringLiteral("KEY"));
        QCOMPARE(a.userId, QStringLiteral("dispatch"));
        QVERIFY(a.customUrl.isEmpty());
        const AccountSecrets s = d.secrets();
        QCOMPARE(s.appSecret, QStringLiteral("SECRET"));
        QCOMPARE(s.passwordMd5, QStringLiteral("6e9bece1914809fb8493146417e722f6"));
    }

    void testConnectionSignsInAndKeepsTheToken()
    {
        Sim::SimServer cloud(simConfig());
        QVERIFY(cloud.listen() != 0);
        AccountDialog d;
        MemoryTokenStore tokens;
        d.setTokenStore(&tokens);
        fill(d, cloud, QStringLiteral("demo1234"));
        QVERIFY(d.findChild<QPushButton *>(QStringLiteral("testConnection"))->isEnabled());
        QSignalSpy finished(&d, &AccountDialog::testFinished);
        QTest::mouseClick(d.findChild<QPushButton *>(QStringLiteral("testConnection")), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(d.testState(), AccountDialog::TestState::SignedIn);
        QVERIFY2(d.testMessage().startsWith(QLatin1String("Signed in as demo")), qPrintable(d.testMessage()));
        // The token stays where the session will find it: no second token.get.
        const ApiAccount account = apiAccount(d.account(), d.secrets());
        QVERIFY(tokens.load(account.storageKey()).token);
        QCOMPARE(cloud.requestCount(QStringLiteral("jimi.oauth.token.get")), 1);
        // Editing a field forgets the result: it was for the old fields.
        edit(d, User)->setText(QStringLiteral("demo2"));
        QCOMPARE(d.testState(), AccountDialog::TestState::NotRun);
        QVERIFY(d.testMessage().isEmpty());
    }

    void testConnectionSaysWhatTheCloudRefused()
    {
        Sim::SimServer cloud(simConfig());
        QVERIFY(cloud.listen() != 0);
        AccountDialog d;
        MemoryTokenStore tokens;
        d.setTokenStore(&tokens);
        // Every answer starts the client's wait for the next sign-in; this
        // cloud does not mind, so the wait is cut short here.
        ApiClientOptions quick;
        quick.tokenGetIntervalSecs = 0;
        quick.tokenGetMarginMs = 0;
        quick.tokenGetJitterMs = 0;
        d.setClientOptions(quick);
        fill(d, cloud, QStringLiteral("not-the-password"));
        QSignalSpy finished(&d, &AccountDialog::testFinished);
        d.testConnection();
        QVERIFY(finished.wait(20000));
        QCOMPARE(d.testState(), AccountDialog::TestState::Refused);
        QVERIFY2(d.testMessage().contains(QLatin1String("account or the password")), qPrintable(d.testMessage()));
        QVERIFY(d.testMessage().contains(QLatin1String("Incorrect user name or password")));
        QVERIFY(d.testMessage().contains(QLatin1String("1002")));
        // A wrong secret: the signature.
        edit(d, Password)->setText(QStringLiteral("demo1234"));
        edit(d, Secret)->setText(QStringLiteral("wrong-secret"));
        d.testConnection();
        QVERIFY(finished.wait(20000));
        QVERIFY2(d.testMessage().contains(QLatin1String("app secret")), qPrintable(d.testMessage()));
        // Nobody there.
        cloud.setDropRate(1.0);
        edit(d, Secret)->setText(cloud.config().appSecret);
        d.testConnection();
        QVERIFY(finished.wait(40000));
        QVERIFY2(d.testMessage().contains(QLatin1String("cannot be reached")), qPrintable(d.testMessage()));
    }

    void testConnectionWaitsOutTheCloudsMinute()
    {
        // The cloud allows one sign-in per interval (here 3 s, so that the
        // test need not wait a minute), counted from every answer.
        Sim::SimServerConfig config = simConfig();
        config.tokenGetIntervalSecs = 3;
        config.strictTokenLimit = true;
        Sim::SimServer cloud(config);
        QVERIFY(cloud.listen() != 0);
        AccountDialog d;
        MemoryTokenStore tokens;
        d.setTokenStore(&tokens);
        ApiClientOptions options;
        options.tokenGetIntervalSecs = 3;
        options.tokenGetMarginMs = 300;
        options.tokenGetJitterMs = 200;
        d.setClientOptions(options);
        fill(d, cloud, QStringLiteral("not-the-password"));
        QSignalSpy finished(&d, &AccountDialog::testFinished);
        d.testConnection();
        QVERIFY(finished.wait(20000)); // refused, and the interval runs
        // Fixed at once: the test waits, says so and counts down, then signs in.
        edit(d, Password)->setText(QStringLiteral("demo1234"));
        d.testConnection();
        QCOMPARE(d.testState(), AccountDialog::TestState::Waiting);
        QVERIFY2(d.testMessage().contains(QLatin1String("one sign-in a minute")), qPrintable(d.testMessage()));
        QVERIFY(d.testMessage().contains(QLatin1String("Signing in in ")));
        QVERIFY(finished.wait(20000));
        QCOMPARE(d.testState(), AccountDialog::TestState::SignedIn);
        QCOMPARE(cloud.codeCount(1006), 0); // never too early
    }

    void editingKeepsTheStoredHashWhenPasswordIsBlank()
    {
        AccountDialog d;
        AccountSettings a;
        a.region = QStringLiteral("us");
        a.appKey = QStringLiteral("KEY");
        a.userId = QStringLiteral("dispatch");
        a.webhookEnabled = true;
        a.webhookListen = QStringLiteral("127.0.0.1:8095");
        a.instructUrl = QStringLiteral("http://gateway.example.com:8080");
        AccountSecrets s{QStringLiteral("SECRET"), QStringLiteral("6e9bece1914809fb8493146417e722f6"),
                         QStringLiteral("tok-123")};
        d.setAccount(a, s);
        QVERIFY(d.validationError().isEmpty());
        d.accept();
        QCOMPARE(d.account(), a);
        QCOMPARE(d.secrets(), s);
        QCOMPARE(edit(d, Instruct)->text(), a.instructUrl);
        // The session reaches the gateway through it.
        QCOMPARE(apiAccount(d.account(), d.secrets()).instructionUrl, QUrl(a.instructUrl));
    }

    void instructionGatewayIsOptionalButAnHttpAddress()
    {
        AccountDialog d;
        edit(d, Key)->setText(QStringLiteral("KEY"));
        edit(d, Secret)->setText(QStringLiteral("SECRET"));
        edit(d, User)->setText(QStringLiteral("dispatch"));
        edit(d, Password)->setText(QStringLiteral("pw"));
        QVERIFY(d.validationError().isEmpty());
        QVERIFY(apiAccount(d.account(), d.secrets()).instructionUrl.isEmpty());
        edit(d, Instruct)->setText(QStringLiteral("gateway:8080"));
        QVERIFY(d.validationError().startsWith(QLatin1String("The instruction gateway must be")));
        QVERIFY(!ok(d)->isEnabled());
        edit(d, Instruct)->setText(QStringLiteral(" http://10.0.0.5:8080 "));
        QVERIFY(d.validationError().isEmpty());
        QCOMPARE(d.account().instructUrl, QStringLiteral("http://10.0.0.5:8080"));
    }
};

QTEST_MAIN(TestAccountDialog)
#include "tst_accountdialog.moc"
