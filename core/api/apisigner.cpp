#include "apisigner.h"

#include <QCryptographicHash>
#include <QStringDecoder>
#include <QUrl>

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

bool ApiSigner::equalsConstantTime(const QByteArray &a, const QByteArray &b)
{
    // Runs over the longer input whatever the contents, so timing reveals at
    // most the lengths.
    const qsizetype n = qMax(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? uchar(a.at(i)) : 0;
        const unsigned char y = i < b.size() ? uchar(b.at(i)) : 0;
        diff |= x ^ y;
    }
    return diff == 0;
}

QByteArray FormCodec::encode(const ApiParams &params)
{
    QByteArray body;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (it.value().isEmpty())
            continue;
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(it.key());
        body += '=';
        body += QUrl::toPercentEncoding(it.value());
    }
    return body;
}

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<QString> decodeComponent(QByteArrayView in, QString *error)
{
    QByteArray bytes;
    bytes.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c == '+') {
            bytes += ' ';
        } else if (c == '%') {
            if (i + 2 >= in.size()) {
                if (error)
                    *error = QStringLiteral("truncated percent escape");
                return std::nullopt;
            }
            const int hi = hexValue(in.at(i + 1));
            const int lo = hexValue(in.at(i + 2));
            if (hi < 0 || lo < 0) {
                if (error)
                    *error = QStringLiteral("invalid percent escape");
                return std::nullopt;
            }
            bytes += char(hi * 16 + lo);
            i += 2;
        } else {
            bytes += c;
        }
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        if (error)
            *error = QStringLiteral("value is not valid UTF-8");
        return std::nullopt;
    }
    return text;
}

} // namespace

std::optional<ApiParams> FormCodec::decode(const QByteArray &body, QString *error)
{
    ApiParams params;
    if (body.isEmpty())
        return params;
    const QList<QByteArray> pairs = body.split('&');
    for (const QByteArray &pair : pairs) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QByteArray rawKey = eq < 0 ? pair : pair.left(eq);
        const QByteArray rawValue = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        const std::optional<QString> key = decodeComponent(rawKey, error);
        if (!key)
            return std::nullopt;
        const std::optional<QString> value = decodeComponent(rawValue, error);
        if (!value)
            return std::nullopt;
        if (key->isEmpty()) {
            if (error)
                *error = QStringLiteral("empty parameter name");
            return std::nullopt;
        }
        if (params.contains(*key)) {
            if (error)
                *error = QStringLiteral("parameter '%1' given more than once").arg(*key);
            return std::nullopt;
        }
        params.insert(*key, *value);
    }
    return params;
}

} // namespace Fleet
