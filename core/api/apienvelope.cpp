#include "apienvelope.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace Fleet {

Result<ApiEnvelope> ApiEnvelope::parse(const QByteArray &body, const QString &method)
{
    auto malformed = [&](const QString &why) {
        return ApiError{ApiError::Kind::MalformedResponse, 0, 0, method, why};
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return malformed(QStringLiteral("not JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return malformed(QStringLiteral("the answer is not a JSON object"));
    const QJsonObject o = doc.object();

    const QJsonValue codeValue = o.value(QLatin1String("code"));
    ApiEnvelope env;
    if (codeValue.isDouble()) {
        const double d = codeValue.toDouble();
        if (std::floor(d) != d || std::fabs(d) > 2e9)
            return malformed(QStringLiteral("'code' is not an integer"));
        env.code = int(d);
    } else if (codeValue.isString()) {
        bool ok = false;
        env.code = codeValue.toString().trimmed().toInt(&ok);
        if (!ok)
            return malformed(QStringLiteral("'code' is \"%1\", not a number").arg(codeValue.toString().left(40)));
    } else {
        return malformed(QStringLiteral("the answer has no 'code'"));
    }
    const QJsonValue msg = o.contains(QLatin1String("message")) ? o.value(QLatin1String("message"))
                                                                : o.value(QLatin1String("msg"));
    env.message = msg.isString() ? msg.toString() : QString();
    env.result = o.value(QLatin1String("result"));
    env.data = o.value(QLatin1String("data"));
    return env;
}

} // namespace Fleet
