#include "apisigner.h"

#include <QCryptographicHash>

namespace Fleet {

QByteArray ApiSigner::stringToSign(const ApiParams &params, const QString &secret)
{
    const QByteArray secretUtf8 = secret.toUtf8();
    QByteArray s = secretUtf8;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (it.key() == QLatin1String("sign") || it.key().isEmpty() || it.value().isEmpty())
            continue;
        s += it.key().toUtf8();
        s += it.value().toUtf8();
    }
    s += secretUtf8;
    return s;
}

QString ApiSigner::sign(const ApiParams &params, const QString &secret)
{
    const QByteArray digest = QCryptographicHash::hash(stringToSign(params, secret), QCryptographicHash::Md5);
    return QString::fromLatin1(digest.toHex().toUpper());
}

} // namespace Fleet
