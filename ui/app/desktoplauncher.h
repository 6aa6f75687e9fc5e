#pragma once

#include "settings/accountsecrets.h"
#include "settings/appsettings.h"
#include "sync/sessionworker.h"

#include <QObject>
#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <optional>

namespace Fleet {

class LiveSession;
class MainWindow;
class SecretStore;

struct LaunchOptions
{
    bool demo = false; // start in the demo at once
    // Makes the demo's embedded cloud: app/ fills it from fleet_demo (the UI
    // never links the simulator). Null: no demo is offered.
    std::function<std::shared_ptr<EmbeddedCloud>()> makeDemo;
    QString databasePath; // empty: the account's database in the data folder
    QString screenshotPath; // save the window there after screenshotAfterMs, then quit
    int screenshotAfterMs = 8000;
};

// From start to a running window: demo mode, or the configured account with
// its secrets from the keychain, or, the first time, the choice between the
// two. Owns the main window and the live session.
class DesktopLauncher : public QObject
{
    Q_OBJECT

public:
    DesktopLauncher(AppSettings *settings, SecretStore *secrets, const LaunchOptions &options,
                    QObject *parent = nullptr);
    ~DesktopLauncher() override;

    void start();
    MainWindow *window() const { return m_window.get(); }
    LiveSession *session() const { return m_session.get(); }

    // The account's database in the user's data folder.
    static QString defaultDatabasePath();

Q_SIGNALS:
    // The user chose to quit (first-run choice) or the screenshot is taken.
    void finished(int exitCode);

private:
    void chooseMode();
    void startDemo();
    void startAccount(const AccountSettings &account, const AccountSecrets &secrets);
    void loadAccount(const AccountSettings &account);
    void editAccount();
    void storeSecrets(const AccountSettings &account, const AccountSecrets &secrets);
    void runSession(const SessionSettings &settings, const QString &title);
    void takeScreenshot();
    QString accountDatabasePath() const;

    AppSettings *m_settings;
    SecretStore *m_secrets;
    LaunchOptions m_options;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<LiveSession> m_session;
    std::unique_ptr<QTemporaryDir> m_demoDir;
    std::optional<std::pair<AccountSettings, AccountSecrets>> m_current; // the running account's
};

} // namespace Fleet
