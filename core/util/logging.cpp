#include "logging.h"

#include <QCryptographicHash>

Q_LOGGING_CATEGORY(lcApi, "fleet.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSim, "fleet.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "fleet.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "fleet.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPush, "fleet.push", QtInfoMsg)

namespace Fleet {

QString redact(const QString &secret)
{
    if (secret.isEmpty())
        return QStringLiteral("<empty>");
    // A short fingerprint tells two tokens apart without revealing either.
    const QByteArray digest = QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256);
    return QStringLiteral("<redacted#%1>").arg(QString::fromLatin1(digest.toHex().left(6)));
}

} // namespace Fleet
