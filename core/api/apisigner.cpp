#include "apisigner.h"

#include <QCryptographicHash>
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
    const std::optional<QByteArray> bytes = FormCodec::percentDecode(in, error);
    if (!bytes)
        return std::nullopt;
    if (!FormCodec::isUtf8(*bytes)) {
        if (error)
            *error = QStringLiteral("value is not valid UTF-8");
        return std::nullopt;
    }
    return QString::fromUtf8(*bytes);
}

} // namespace

std::optional<QByteArray> FormCodec::percentDecode(QByteArrayView text, QString *error, qsizetype *errorAt)
{
    QByteArray out;
    out.reserve(text.size());
    const char *const begin = text.data();
    const char *const end = begin + text.size();
    const char *run = begin; // start of the bytes copied as they are
    for (const char *p = begin; p < end; ++p) {
        if (*p != '%' && *p != '+')
            continue;
        out.append(run, p - run);
        if (*p == '+') {
            out.append(' ');
        } else {
            const int hi = end - p > 2 ? hexValue(p[1]) : -1;
            const int lo = end - p > 2 ? hexValue(p[2]) : -1;
            if (hi < 0 || lo < 0) {
                if (error)
                    *error = end - p > 2 ? QStringLiteral("invalid percent escape")
                                         : QStringLiteral("truncated percent escape");
                if (errorAt)
                    *errorAt = p - begin;
                return std::nullopt;
            }
            out.append(char(hi * 16 + lo));
            p += 2;
        }
        run = p + 1;
    }
    out.append(run, end - run);
    return out;
}

bool FormCodec::isUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const auto *end = p + bytes.size();
    while (p < end) {
        const uchar c = *p++;
        if (c < 0x80)
            continue;
        int extra = 0;
        uint min = 0;
        uint cp = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            min = 0x80;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            min = 0x800;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            min = 0x10000;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (end - p < extra)
            return false;
        for (int k = 0; k < extra; ++k) {
            if ((p[k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[k] & 0x3F);
        }
        p += extra;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
    }
    return true;
}

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
