#pragma once

#include "accountsecrets.h"
#include "appsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Fleet {

// Where and how to reach a Tracksolid Pro account: region or custom URL,
// app key and secret, account and password, and optionally the webhook
// listener for the cloud's data pushes. The password is turned into its MD5
// as soon as the dialog is accepted and is not kept anywhere.
class AccountDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AccountDialog(QWidget *parent = nullptr);

    // Editing: the fields start from these; an empty password keeps the stored MD5.
    void setAccount(const AccountSettings &account, const std::optional<AccountSecrets> &secrets);

    AccountSettings account() const;
    AccountSecrets secrets() const;

    // Why the current input cannot be accepted; empty when it can.
    QString validationError() const;

    void accept() override;

private:
    void updateState();

    QComboBox *m_region;
    QLineEdit *m_customUrl;
    QLineEdit *m_appKey;
    QLineEdit *m_appSecret;
    QLineEdit *m_userId;
    QLineEdit *m_password;
    QCheckBox *m_webhook;
    QLineEdit *m_listen;
    QLineEdit *m_token;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    std::optional<AccountSecrets> m_stored;
    QString m_passwordMd5;
};

} // namespace Fleet
