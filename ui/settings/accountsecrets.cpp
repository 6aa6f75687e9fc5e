#include "accountsecrets.h"

#include "api/apiclient.h"
#include "appsettings.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace Fleet {

QByteArray AccountSecrets::toBytes() const
{
    const QJsonObject o{{QStringLiteral("v"), 1},
                        {QStringLiteral("appSecret"), appSecret},
                        {QStringLiteral("passwordMd5"), passwordMd5},
                        {QStringLiteral("webhookToken"), webhookToken}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<AccountSecrets> AccountSecrets::fromBytes(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("v")).toInt() != 1)
        return std::nullopt;
    AccountSecrets s;
    s.appSecret = o.value(QStringLiteral("appSecret")).toString();
    s.passwordMd5 = o.value(QStringLiteral("passwordMd5")).toString();
    s.webhookToken = o.value(QStringLiteral("webhookToken")).toString();
    static const QRegularExpression md5(QStringLiteral("^[0-9a-f]{32}$"));
    if (s.appSecret.isEmpty() || !md5.match(s.passwordMd5).hasMatch())
        return std::nullopt;
    return s;
}

QString AccountSecrets::md5Hex(const QString &password)
{
    return QString::fromLatin1(QCryptographicHash::hash(password.toUtf8(), QCryptographicHash::Md5).toHex());
}

ApiAccount apiAccount(const AccountSettings &settings, const AccountSecrets &secrets)
{
    ApiAccount api;
    if (settings.region.isEmpty()) {
        api.baseUrl = QUrl(settings.customUrl);
    } else if (const std::optional<Region> region = regionFromName(settings.region)) {
        api.baseUrl = regionBaseUrl(*region);
    }
    api.appKey = settings.appKey;
    api.appSecret = secrets.appSecret;
    api.userId = settings.userId;
    api.passwordMd5 = secrets.passwordMd5;
    if (!settings.instructUrl.isEmpty())
        api.instructionUrl = QUrl(settings.instructUrl);
    return api;
}

} // namespace Fleet
