#pragma once

#include "accountsecrets.h"
#include "appsettings.h"

#include <QDateTime>
#include <QDialog>
#include <QTimer>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Fleet {

class ApiClient;
struct ApiClientOptions;
struct ApiError;
class TokenStore;

// Where and how to reach a Tracksolid Pro account: region or custom URL,
// app key and secret, account and password, and optionally the webhook
// listener for the cloud's data pushes. The password is turned into its MD5
// as soon as the dialog is accepted and is not kept anywhere.
//
// "Test connection" signs in with what the fields say before the dialog
// closes. It keeps to the cloud's one-sign-in-a-minute rule (counting down
// when it must wait) and says in plain words what the cloud refused.
class AccountDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AccountDialog(QWidget *parent = nullptr);
    ~AccountDialog() override;

    // Editing: the fields start from these; an empty password keeps the stored MD5.
    void setAccount(const AccountSettings &account, const std::optional<AccountSecrets> &secrets);

    AccountSettings account() const;
    AccountSecrets secrets() const;

    // Why the current input cannot be accepted; empty when it can.
    QString validationError() const;

    // Where "Test connection" keeps the token it gets and the time of its
    // sign-in (the session's store, so that the session reuses them). Not
    // owned; without one a store of the dialog's own.
    void setTokenStore(TokenStore *store);
    // The test's client options (tests shorten the cloud's interval).
    void setClientOptions(const ApiClientOptions &options);

    enum class TestState { NotRun, Running, Waiting, SignedIn, Refused };
    TestState testState() const { return m_testState; }
    QString testMessage() const;
    void testConnection();

    void accept() override;
    // Accepted or not, a test under way ends with the dialog.
    void done(int result) override;

Q_SIGNALS:
    void testFinished(bool signedIn);

private:
    void updateState();
    void fieldsChanged();
    void stopTest();
    void showTest(TestState state, const QString &message);
    void showCountdown();

    QComboBox *m_region;
    QLineEdit *m_customUrl;
    QLineEdit *m_appKey;
    QLineEdit *m_appSecret;
    QLineEdit *m_userId;
    QLineEdit *m_password;
    QCheckBox *m_webhook;
    QLineEdit *m_listen;
    QLineEdit *m_token;
    QLineEdit *m_instructUrl;
    QLabel *m_error;
    QLabel *m_testStatus;
    QDialogButtonBox *m_buttons;
    QPushButton *m_testButton;
    std::optional<AccountSecrets> m_stored;
    QString m_passwordMd5;
    std::unique_ptr<ApiClientOptions> m_options;
    TokenStore *m_tokens = nullptr;
    std::unique_ptr<TokenStore> m_ownTokens;
    std::unique_ptr<ApiClient> m_probe;
    TestState m_testState = TestState::NotRun;
    QDateTime m_signInAt; // the deferred sign-in (real time)
    QTimer m_countdown;
};

} // namespace Fleet
