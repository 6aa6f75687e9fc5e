#include "desktoplauncher.h"

#include "store/filetokenstore.h"
#include "mainwindow.h"
#include "map/mapwidget.h"
#include "map/vehiclelayer.h"
#include "models/fleettreemodel.h"
#include "settings/accountdialog.h"
#include "settings/secretstore.h"
#include "sync/ingestconfig.h"
#include "sync/ingestservice.h"
#include "sync/livesession.h"

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

namespace Fleet {

DesktopLauncher::DesktopLauncher(AppSettings *settings, SecretStore *secrets, const LaunchOptions &options,
                                 QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_options(options)
{ }

DesktopLauncher::~DesktopLauncher()
{
    // The session's thread ends before the window that listens to it.
    if (m_session)
        m_session->stop();
}

QString DesktopLauncher::defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/fleet.sqlite");
}

void DesktopLauncher::start()
{
    m_window = std::make_unique<MainWindow>(m_settings);
    connect(m_window.get(), &MainWindow::accountRequested, this, &DesktopLauncher::editAccount);
    m_window->show();
    if (m_options.demo && m_options.makeDemo) {
        startDemo();
        return;
    }
    const AccountSettings account = m_settings->account();
    if (account.isConfigured())
        loadAccount(account);
    else
        QTimer::singleShot(0, this, &DesktopLauncher::chooseMode);
}

void DesktopLauncher::chooseMode()
{
    QMessageBox box(m_window.get());
    box.setWindowTitle(tr("Welcome to FleetDesk"));
    box.setIcon(QMessageBox::Question);
    box.setText(tr("<b>No Tracksolid Pro account is set up yet.</b>"));
    QPushButton *demo = nullptr;
    if (m_options.makeDemo) {
        box.setInformativeText(tr("Try FleetDesk on a simulated fleet (no account, no network), or connect your "
                                  "account."));
        demo = box.addButton(tr("Try the &demo"), QMessageBox::AcceptRole);
    }
    QPushButton *account = box.addButton(tr("&Connect an account…"), QMessageBox::ActionRole);
    box.addButton(tr("&Quit"), QMessageBox::RejectRole);
    box.setDefaultButton(demo ? demo : account);
    box.exec();
    if (demo && box.clickedButton() == demo)
        startDemo();
    else if (box.clickedButton() == account)
        editAccount();
    else
        Q_EMIT finished(0);
}

void DesktopLauncher::startDemo()
{
    // A fresh database per demo run (the simulated cloud starts afresh too),
    // unless --database names one to keep, e.g. for fleetdesk-cli.
    SessionSettings s;
    s.embeddedCloud = m_options.makeDemo();
    if (m_options.databasePath.isEmpty()) {
        m_demoDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/fleetdesk-demo-XXXXXX"));
        s.databasePath = m_demoDir->filePath(QStringLiteral("demo.sqlite"));
    } else {
        s.databasePath = m_options.databasePath;
    }
    // Live positions come by push every second; the sweep is the safety net.
    s.schedule.fleetSweepSecs = 10;
    s.schedule.backfillHours = 1;
    runSession(s, tr("Demo: %n simulated vehicles", nullptr, s.embeddedCloud->vehicleCount()));
}

void DesktopLauncher::loadAccount(const AccountSettings &account)
{
    m_secrets->read(account.secretKey(), [this, account](const SecretStore::Result &r) {
        std::optional<AccountSecrets> secrets;
        if (r.outcome == SecretStore::Outcome::Ok)
            secrets = AccountSecrets::fromBytes(r.data);
        if (secrets) {
            startAccount(account, *secrets);
            return;
        }
        const QString why = r.outcome == SecretStore::Outcome::Ok ? tr("The keychain entry is damaged.") : r.error;
        QMessageBox::warning(m_window.get(), tr("Account"),
                             tr("The account's secrets could not be read from the keychain.\n\n%1\n\n"
                                "Enter them again to connect.")
                                 .arg(why));
        editAccount();
    });
}

QString DesktopLauncher::accountDatabasePath() const
{
    return m_options.databasePath.isEmpty() ? defaultDatabasePath() : m_options.databasePath;
}

void DesktopLauncher::editAccount()
{
    // "Test connection" keeps its token where the session will look for it,
    // so a test that signed in spares the session a token.get. (Made before
    // the dialog, so that it outlives the dialog's test.)
    FileTokenStore tokens(IngestService::tokenFilePath(accountDatabasePath()));
    AccountDialog dialog(m_window.get());
    dialog.setTokenStore(&tokens);
    const AccountSettings saved = m_settings->account();
    if (m_current)
        dialog.setAccount(m_current->first, m_current->second);
    else if (saved.isConfigured())
        dialog.setAccount(saved, std::nullopt);
    if (dialog.exec() != QDialog::Accepted) {
        if (!m_session)
            chooseMode();
        return;
    }
    storeSecrets(dialog.account(), dialog.secrets());
}

void DesktopLauncher::storeSecrets(const AccountSettings &account, const AccountSecrets &secrets)
{
    m_secrets->write(account.secretKey(), secrets.toBytes(), [this, account, secrets](const SecretStore::Result &r) {
        if (r.outcome == SecretStore::Outcome::Ok) {
            m_settings->setAccount(account);
            m_settings->sync();
            startAccount(account, secrets);
            return;
        }
        // Secrets never go to a file: offer this session only, or nothing.
        QMessageBox box(m_window.get());
        box.setIcon(QMessageBox::Warning);
        box.setWindowTitle(tr("No keychain"));
        box.setText(tr("FleetDesk keeps the app secret and the password's MD5 only in the system keychain, "
                       "and the keychain cannot be used:"));
        box.setInformativeText(r.error
                               + tr("\n\nYou can connect for this session only: the secrets stay in memory and "
                                    "are asked for again at the next start. On Linux, a keychain such as GNOME "
                                    "Keyring or KWallet makes them persist."));
        QPushButton *once = box.addButton(tr("Connect for this &session only"), QMessageBox::AcceptRole);
        box.addButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() == once) {
            startAccount(account, secrets);
        } else if (!m_session) {
            chooseMode();
        }
    });
}

void DesktopLauncher::startAccount(const AccountSettings &account, const AccountSecrets &secrets)
{
    const ApiAccount api = apiAccount(account, secrets);
    // Kept for File → Account…: a typo in the password is fixed without
    // typing everything else again.
    m_current = std::pair{account, secrets};
    SessionSettings s;
    s.databasePath = accountDatabasePath();
    s.account = api;
    if (account.webhookEnabled) {
        if (const auto listen = IngestConfig::parseListen(account.webhookListen)) {
            Push::ReceiverConfig rc;
            rc.address = listen->first;
            rc.port = listen->second;
            rc.token = secrets.webhookToken.toUtf8();
            s.webhook = rc;
        } else {
            QMessageBox::warning(m_window.get(), tr("Webhook"),
                                 tr("The webhook cannot listen on \"%1\": give an address and port such as "
                                    "127.0.0.1:8090 in File → Account…. Data pushes are off until then.")
                                     .arg(account.webhookListen));
        }
    }
    runSession(s,
               QStringLiteral("%1 @ %2").arg(account.userId,
                                             account.region.isEmpty() ? api.baseUrl.host() : account.region));
}

void DesktopLauncher::runSession(const SessionSettings &settings, const QString &title)
{
    if (m_session)
        m_session->stop();
    SessionSettings s = settings;
    s.alarmFoldSeconds = m_settings->alarmFoldSeconds();
    m_session = std::make_unique<LiveSession>(s);
    m_window->attachSession(m_session.get(), title);
    if (!m_options.screenshotPath.isEmpty()) {
        QTimer::singleShot(m_options.screenshotAfterMs, this, &DesktopLauncher::takeScreenshot);
    }
    m_session->start();
}

void DesktopLauncher::takeScreenshot()
{
    const QImage image = m_window->grab().toImage();
    const bool saved = image.save(m_options.screenshotPath, "PNG");
    // What the picture should show, for the test that looks at it: every
    // vehicle in the list, and every one with a fix on the map.
    const FleetTreeModel *model = m_window->fleetModel();
    int withFix = 0;
    for (int g = 0; g < model->rowCount(); ++g) {
        const QModelIndex group = model->index(g, 0);
        for (int r = 0; r < model->rowCount(group); ++r) {
            const VehicleSnapshot *v = model->vehicle(
                model->index(r, 0, group).data(FleetTreeModel::ImeiRole).toString());
            if (v && v->location.fix)
                ++withFix;
        }
    }
    std::printf("fleetdesk: screenshot %s: %s; fleet list %d vehicles (%d with a fix), map %d vehicles located, "
                "simulator %d vehicles\n",
                qPrintable(QDir::toNativeSeparators(m_options.screenshotPath)), saved ? "saved" : "NOT SAVED",
                model->vehicleCount(), withFix, m_window->map()->vehicleLayer()->locatedCount(),
                m_session && m_session->settings().isDemo() ? m_session->settings().embeddedCloud->vehicleCount() : 0);
    std::fflush(stdout);
    Q_EMIT finished(saved ? 0 : 1);
}

} // namespace Fleet
