#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Fleet {

struct AccountSettings;
struct ApiAccount;

// What an account keeps in the keychain, as one entry: the app secret, the
// password's MD5 (never the password) and the webhook token.
struct AccountSecrets
{
    QString appSecret;
    QString passwordMd5; // lower-case hex
    QString webhookToken;

    QByteArray toBytes() const;
    // nullopt when the entry is not one of ours (or damaged).
    static std::optional<AccountSecrets> fromBytes(const QByteArray &bytes);
    static QString md5Hex(const QString &password);
    friend bool operator==(const AccountSecrets &, const AccountSecrets &) = default;
};

// What the API client needs of an account: its settings and its secrets.
ApiAccount apiAccount(const AccountSettings &settings, const AccountSecrets &secrets);

} // namespace Fleet
