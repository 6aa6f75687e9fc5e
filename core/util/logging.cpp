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

QString loggable(QStringView text, qsizetype maxChars)
{
    QString out;
    qsizetype n = qMin(text.size(), qMax<qsizetype>(0, maxChars));
    if (n > 0 && n < text.size() && text.at(n - 1).isHighSurrogate())
        --n; // a pair is cut whole
    out.reserve(n + 8);
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = text.at(i).unicode();
        const bool escape = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
            || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f;
        if (c == u'\\')
            out += QLatin1String("\\\\");
        else if (!escape)
            out += QChar(c);
        else if (c <= 0xff)
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        else
            out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
    }
    if (text.size() > n)
        out += QChar(0x2026);
    return out;
}

} // namespace Fleet
