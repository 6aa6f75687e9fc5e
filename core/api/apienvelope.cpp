#include "apienvelope.h"

#include "util/jsonreader.h"

#include <QRegularExpression>

#include <cmath>

namespace Fleet {

Result<ApiEnvelope> ApiEnvelope::parse(const QByteArray &body, const QString &method)
{
    auto malformed = [&](const QString &why) { return ApiError{ApiError::Kind::MalformedResponse, 0, 0, method, why}; };
    QString parseError;
    std::optional<JsonDom> parsed = JsonDom::parse(body, &parseError);
    if (!parsed)
        return malformed(QStringLiteral("not JSON (%1)").arg(parseError));
    auto dom = std::make_shared<const JsonDom>(std::move(*parsed));
    const JsonNode o = dom->root();
    if (!o.isObject())
        return malformed(QStringLiteral("the answer is not a JSON object"));

    ApiEnvelope env;
    env.dom = dom;
    const JsonNode msg = o.contains(QLatin1String("message")) ? o.value(QLatin1String("message"))
                                                              : o.value(QLatin1String("msg"));
    env.message = msg.isString() ? msg.toString() : QString();
    const JsonNode codeValue = o.value(QLatin1String("code"));
    const QString context = env.message.isEmpty() ? QString()
                                                  : QStringLiteral(" (message: %1)").arg(env.message.left(120));
    if (codeValue.isNumber()) {
        const double d = codeValue.toDouble();
        if (std::floor(d) != d || std::fabs(d) > 2e9)
            return malformed(QStringLiteral("'code' is not an integer") + context);
        env.code = int(d);
    } else if (codeValue.isString()) {
        bool ok = false;
        env.code = codeValue.toString().trimmed().toInt(&ok);
        if (!ok)
            return malformed(QStringLiteral("'code' is \"%1\", not a number").arg(codeValue.toString().left(20))
                             + context);
    } else {
        return malformed(QStringLiteral("the answer has no 'code'") + context);
    }
    env.result = o.value(QLatin1String("result"));
    env.data = o.value(QLatin1String("data"));
    return env;
}

QString ApiEnvelope::detailCode() const
{
    // {"code":-1,"message":"Operation successful","result":{"code":"228",...}}
    for (const JsonNode &payload : {result, data}) {
        if (payload.isObject()) {
            bool ok = true;
            QString inner = JsonReader::toText(payload.value(QLatin1String("code")), &ok);
            if (ok && !inner.isEmpty())
                return inner;
        }
    }
    // "Fail to send command. Result code：226" (full-width colon)
    static const QRegularExpression re(QStringLiteral("Result code\\s*[:\\x{FF1A}]\\s*(\\d+)"));
    const QRegularExpressionMatch m = re.match(message);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace Fleet
