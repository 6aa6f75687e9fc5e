#include "formcodec.h"

#include "util/bytes.h"

#include <QUrl>

namespace Fleet {

QByteArray FormCodec::encode(const FormParams &params)
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
    if (!Bytes::isUtf8(*bytes)) {
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

std::optional<FormParams> FormCodec::decode(const QByteArray &body, QString *error)
{
    FormParams params;
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
