// From start to a running window, as a user meets it: the first start's
// choice, a configured account whose secrets come from the keychain, secrets
// that are gone, and a machine with no keychain at all. Dialogs are answered
// the way a user would, by their buttons and fields.

#include "app/desktoplauncher.h"

#include "app/mainwindow.h"
#include "democloud.h"
#include "models/fleettreemodel.h"
#include "settings/accountdialog.h"
#include "settings/secretstore.h"
#include "sim/simserver.h"
#include "sync/livesession.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QToolButton>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;

namespace {
// A Wednesday morning in the simulated fleet's zone: the fleet is at work.
const QDateTime kFleetStart(QDate(2026, 12, 2), QTime(9, 0), QTimeZone::utc());
} // namespace

class TestDesktopLauncher : public QObject
{
    Q_OBJECT

private:
    // Runs `answer` on the next modal dialog, once it is up.
    void whenModal(std::function<void(QWidget *)> answer)
    {
        auto *poll = new QTimer(this);
        poll->setInterval(20);
        connect(poll, &QTimer::timeout, this, [poll, answer = std::move(answer)] {
            QWidget *modal = QApplication::activeModalWidget();
            if (!modal || !modal->isVisible())
                return;
            poll->stop();
            poll->deleteLater();
            answer(modal);
        });
        poll->start();
    }
    static void click(QWidget *box, const QString &text)
    {
        for (QPushButton *b : box->findChildren<QPushButton *>()) {
            if (b->text() == text) {
                b->click();
                return;
            }
        }
        QFAIL(qPrintable(QStringLiteral("no button '%1'").arg(text)));
    }
    std::unique_ptr<AppSettings> settings()
    {
        return std::make_unique<AppSettings>(
            std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat));
    }
    static SecretStore::Result wait(const std::function<void(SecretStore::Callback)> &call)
    {
        std::optional<SecretStore::Result> result;
        call([&result](const SecretStore::Result &r) { result = r; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
            return SecretStore::Result{SecretStore::Outcome::Failed, QStringLiteral("timed out"), {}};
        return *result;
    }
    // A simulated cloud on a free loopback port; null if it cannot listen.
    static std::unique_ptr<Sim::SimServer> startCloud(const Sim::SimServerConfig &config)
    {
        auto sim = std::make_unique<Sim::SimServer>(config);
        if (sim->listen(QHostAddress::LocalHost, 0) == 0)
            return nullptr;
        return sim;
    }

    // The account of a simulated cloud, reached like any custom URL, pushes on.
    static AccountSettings accountOf(const Sim::SimServer &sim, const Sim::SimServerConfig &config,
                                     const QString &listen)
    {
        AccountSettings account;
        account.customUrl = sim.baseUrl().toString();
        account.appKey = config.appKey;
        account.userId = config.userId;
        account.webhookEnabled = true;
        account.webhookListen = listen;
        return account;
    }

    LaunchOptions options(int vehicles = 8)
    {
        LaunchOptions o;
        Demo::DemoSettings demo;
        demo.vehicles = vehicles;
        demo.fleetStart = kFleetStart;
        o.makeDemo = [demo] { return std::make_shared<Demo::DemoCloud>(demo); };
        // A database of each test's own: the store keeps what an earlier one synced.
        o.databasePath = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".sqlite"));
        return o;
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void init() { QFile::remove(m_dir.filePath(QStringLiteral("settings.ini"))); }

    void firstStartOffersTheDemo()
    {
        auto s = settings();
        SecretStore secrets(QStringLiteral("FleetDeskTest"));
        DesktopLauncher launcher(s.get(), &secrets, options());
        QString asked;
        whenModal([&asked](QWidget *box) {
            asked = static_cast<QMessageBox *>(box)->text();
            click(box, QStringLiteral("Try the &demo"));
        });
        launcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(launcher.session() != nullptr, 10000);
        QVERIFY(asked.contains(QLatin1String("No Tracksolid Pro account")));
        QVERIFY(launcher.session()->settings().isDemo());
        QVERIFY(launcher.window()->windowTitle().contains(QLatin1String("Demo")));
        QTRY_COMPARE_WITH_TIMEOUT(launcher.window()->fleetModel()->vehicleCount(), 8, 30000);
        // Nothing about an account was stored.
        QVERIFY(!s->account().isConfigured());
    }

    void firstStartCanQuit()
    {
        auto s = settings();
        SecretStore secrets(QStringLiteral("FleetDeskTest"));
        DesktopLauncher launcher(s.get(), &secrets, options());
        QSignalSpy finished(&launcher, &DesktopLauncher::finished);
        whenModal([](QWidget *box) { click(box, QStringLiteral("&Quit")); });
        launcher.start();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QVERIFY(!launcher.session());
    }

    void configuredAccountConnects()
    {
        Sim::SimServerConfig simConfig;
        simConfig.vehicles = 6;
        const auto cloud = startCloud(simConfig);
        QVERIFY(cloud);
        const Sim::SimServer &sim = *cloud;

        auto s = settings();
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const AccountSettings account = accountOf(sim, simConfig, QStringLiteral("127.0.0.1:%1").arg(port));
        s->setAccount(account);
        SecretStore secrets(QStringLiteral("FleetDeskTest"));
        const AccountSecrets stored{simConfig.appSecret, AccountSecrets::md5Hex(simConfig.password),
                                    QStringLiteral("push-token-0123456789")};
        const SecretStore::Result w = wait(
            [&](auto done) { secrets.write(account.secretKey(), stored.toBytes(), done); });
        QVERIFY2(w.outcome == SecretStore::Outcome::Ok, qPrintable(w.error));

        DesktopLauncher launcher(s.get(), &secrets, options());
        launcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(launcher.session() != nullptr, 20000);
        QVERIFY(!launcher.session()->settings().isDemo());
        QCOMPARE(launcher.session()->settings().account->appSecret, simConfig.appSecret);
        QCOMPARE(launcher.session()->settings().account->passwordMd5, sim.passwordMd5());
        QVERIFY(launcher.session()->settings().webhook.has_value());
        QCOMPARE(launcher.session()->settings().webhook->port, port);
        QCOMPARE(launcher.session()->settings().webhook->token, QByteArray("push-token-0123456789"));
        // The GUI process polls the account itself and listens for its pushes.
        QTRY_COMPARE_WITH_TIMEOUT(launcher.window()->fleetModel()->vehicleCount(), 6, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(launcher.window()->statusField(QStringLiteral("cloud"))
                                     == QLatin1String("Cloud: connected"),
                                 30000);
        QVERIFY(launcher.window()
                    ->statusField(QStringLiteral("webhook"))
                    .startsWith(QStringLiteral("Webhook: http://127.0.0.1:%1").arg(port)));
        wait([&](auto done) { secrets.remove(account.secretKey(), done); });
    }

    void wrongPasswordIsToldFixedAndConnected()
    {
        // A cloud that starts its one-sign-in-a-minute interval at every
        // answer, a refused one too; its own fleet time is the calendar's
        // (a real account's cloud lives in real time, and so does the client).
        Sim::SimServerConfig simConfig;
        simConfig.vehicles = 4;
        simConfig.strictTokenLimit = true;
        const auto cloud = startCloud(simConfig);
        QVERIFY(cloud);
        const Sim::SimServer &sim = *cloud;
        auto s = settings();
        AccountSettings account = accountOf(sim, simConfig, QStringLiteral("127.0.0.1:1"));
        account.webhookEnabled = false;
        s->setAccount(account);
        SecretStore secrets(QStringLiteral("FleetDeskTest"));
        const AccountSecrets typo{simConfig.appSecret, AccountSecrets::md5Hex(QStringLiteral("demo1243")), {}};
        QCOMPARE(wait([&](auto done) { secrets.write(account.secretKey(), typo.toBytes(), done); }).outcome,
                 SecretStore::Outcome::Ok);

        DesktopLauncher launcher(s.get(), &secrets, options());
        launcher.start();
        // Told why, in the status bar, with a way to fix it.
        QTRY_VERIFY_WITH_TIMEOUT(launcher.window()
                                     ->statusField(QStringLiteral("cloud"))
                                     .startsWith(QLatin1String(
                                         "Cloud: sign-in refused: Incorrect user name or password (1002)")),
                                 30000);
        QToolButton *edit = launcher.window()->editAccountButton();
        QVERIFY(edit->isVisibleTo(launcher.window()));

        // The dialog keeps every field but the password; only that is typed.
        QStringList shown;
        whenModal([&](QWidget *w) {
            auto *dialog = qobject_cast<AccountDialog *>(w);
            QVERIFY(dialog);
            const QList<QLineEdit *> edits = dialog->findChildren<QLineEdit *>();
            for (QLineEdit *e : edits)
                shown.append(e->text());
            shown.append(edits[4]->placeholderText());
            shown.append(dialog->findChild<QComboBox *>()->currentText());
            edits[4]->setText(simConfig.password);
            dialog->accept();
        });
        QElapsedTimer sinceFixed;
        edit->click();
        sinceFixed.start();
        QCOMPARE(shown.value(0), sim.baseUrl().toString());
        QCOMPARE(shown.value(1), simConfig.appKey);
        QCOMPARE(shown.value(2), simConfig.appSecret);
        QCOMPARE(shown.value(3), simConfig.userId);
        QCOMPARE(shown.value(4), QString()); // the password, never shown
        QCOMPARE(shown.value(7), QString()); // no instruction gateway
        QCOMPARE(shown.value(8), QStringLiteral("unchanged"));
        QCOMPARE(shown.value(9), QStringLiteral("Custom URL"));

        // The cloud's minute is not over: a countdown says so, then it connects.
        QTRY_VERIFY_WITH_TIMEOUT(
            launcher.window()->statusField(QStringLiteral("cloud")).startsWith(QLatin1String("Cloud: signing in in")),
            10000);
        QTRY_VERIFY_WITH_TIMEOUT(launcher.window()->statusField(QStringLiteral("cloud"))
                                     == QLatin1String("Cloud: connected"),
                                 90000);
        qInfo("connected %lld s after the password was fixed", sinceFixed.elapsed() / 1000);
        QVERIFY(sinceFixed.elapsed() < 75000);
        QTRY_COMPARE_WITH_TIMEOUT(launcher.window()->fleetModel()->vehicleCount(), 4, 30000);
        QVERIFY(launcher.window()->editAccountButton()->isHidden());
        QCOMPARE(sim.codeCount(1006), 0); // never asked too early
        wait([&](auto done) { secrets.remove(account.secretKey(), done); });
    }

    void unusableWebhookAddressIsSaid()
    {
        Sim::SimServerConfig simConfig;
        simConfig.vehicles = 3;
        const auto cloud = startCloud(simConfig);
        QVERIFY(cloud);
        const Sim::SimServer &sim = *cloud;
        auto s = settings();
        const AccountSettings account = accountOf(sim, simConfig, QStringLiteral("nowhere")); // edited by hand
        s->setAccount(account);
        SecretStore secrets(QStringLiteral("FleetDeskTest"));
        const AccountSecrets stored{simConfig.appSecret, AccountSecrets::md5Hex(simConfig.password),
                                    QStringLiteral("t")};
        QCOMPARE(wait([&](auto done) { secrets.write(account.secretKey(), stored.toBytes(), done); }).outcome,
                 SecretStore::Outcome::Ok);
        QString warning;
        whenModal([&warning](QWidget *box) {
            warning = static_cast<QMessageBox *>(box)->text();
            static_cast<QMessageBox *>(box)->accept();
        });
        DesktopLauncher launcher(s.get(), &secrets, options());
        launcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(launcher.session() != nullptr, 20000);
        QVERIFY2(warning.contains(QLatin1String("cannot listen on \"nowhere\"")), qPrintable(warning));
        QVERIFY(!launcher.session()->settings().webhook);
        // Polling goes on without it.
        QTRY_COMPARE_WITH_TIMEOUT(launcher.window()->fleetModel()->vehicleCount(), 3, 30000);
        QCOMPARE(launcher.window()->statusField(QStringLiteral("webhook")), QStringLiteral("Webhook: off"));
        wait([&](auto done) { secrets.remove(account.secretKey(), done); });
    }

    void missingSecretsAskAgain()
    {
        auto s = settings();
        AccountSettings account;
        account.region = QStringLiteral("eu");
        account.appKey = QStringLiteral("KEY");
        account.userId = QStringLiteral("nobody-stored-this");
        s->setAccount(account);
        SecretStore secrets(QStringLiteral("FleetDeskTest"));
        DesktopLauncher launcher(s.get(), &secrets, options());
        QSignalSpy finished(&launcher, &DesktopLauncher::finished);
        QString warning;
        bool dialogShown = false;
        // The warning, then the account dialog (cancelled), then the first-start choice (quit).
        whenModal([&](QWidget *box) {
            warning = static_cast<QMessageBox *>(box)->text();
            static_cast<QMessageBox *>(box)->accept();
            whenModal([&](QWidget *dialog) {
                dialogShown = qobject_cast<AccountDialog *>(dialog) != nullptr;
                // It starts from what the settings know.
                QVERIFY(dialog->findChildren<QLineEdit *>().at(1)->text() == QLatin1String("KEY"));
                static_cast<QDialog *>(dialog)->reject();
                whenModal([](QWidget *choice) { click(choice, QStringLiteral("&Quit")); });
            });
        });
        launcher.start();
        QVERIFY(finished.wait(20000));
        QVERIFY2(warning.contains(QLatin1String("could not be read from the keychain")), qPrintable(warning));
        QVERIFY(dialogShown);
        QVERIFY(!launcher.session());
    }

    void noKeychainOffersThisSessionOnly()
    {
        Sim::SimServerConfig simConfig;
        simConfig.vehicles = 4;
        const auto cloud = startCloud(simConfig);
        QVERIFY(cloud);
        const Sim::SimServer &sim = *cloud;
        auto s = settings();
        SecretStore secrets(QStringLiteral("FleetDeskTest"));
        DesktopLauncher launcher(s.get(), &secrets, options());
        QString told;
        // First start: connect an account; fill the dialog; the keychain fails; this session only.
        whenModal([&](QWidget *choice) {
            click(choice, QStringLiteral("&Connect an account…"));
            whenModal([&](QWidget *w) {
                auto *dialog = qobject_cast<AccountDialog *>(w);
                QVERIFY(dialog);
                const QList<QLineEdit *> edits = dialog->findChildren<QLineEdit *>();
                auto *region = dialog->findChild<QComboBox *>();
                region->setCurrentIndex(region->count() - 1);
                edits[0]->setText(sim.baseUrl().toString());
                edits[1]->setText(simConfig.appKey);
                edits[2]->setText(simConfig.appSecret);
                edits[3]->setText(simConfig.userId);
                edits[4]->setText(simConfig.password);
                dialog->accept();
                whenModal([&](QWidget *box) {
                    told = static_cast<QMessageBox *>(box)->text() + static_cast<QMessageBox *>(box)->informativeText();
                    click(box, QStringLiteral("Connect for this &session only"));
                });
            });
        });
        launcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(launcher.session() != nullptr, 20000);
        QVERIFY2(told.contains(QLatin1String("only in the system keychain")), qPrintable(told));
        QTRY_COMPARE_WITH_TIMEOUT(launcher.window()->fleetModel()->vehicleCount(), 4, 30000);
        // Not stored: the next start asks again.
        QVERIFY(!s->account().isConfigured());
        QFile ini(m_dir.filePath(QStringLiteral("settings.ini")));
        s->sync();
        if (ini.open(QIODevice::ReadOnly))
            QVERIFY(!ini.readAll().contains(simConfig.appSecret.toUtf8()));
    }
};

QTEST_MAIN(TestDesktopLauncher)
#include "tst_desktoplauncher.moc"
