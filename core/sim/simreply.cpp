#include "simreply.h"

namespace Fleet::Sim {

SimReply SimReply::ok(const QJsonValue &result, const QString &message)
{
    SimReply r;
    r.result = result;
    r.message = message;
    return r;
}

SimReply SimReply::okData(const QJsonValue &data, const QString &message)
{
    SimReply r;
    r.data = data;
    r.message = message;
    return r;
}

SimReply SimReply::error(int code, const QString &message)
{
    SimReply r;
    r.code = code;
    r.message = message;
    return r;
}

SimReply SimReply::badParam(const QString &message)
{
    return error(1001, message);
}

QJsonObject SimReply::toJson() const
{
    QJsonObject o{{QStringLiteral("code"), code},
                  {QStringLiteral("message"), message},
                  {QStringLiteral("result"), result}};
    if (data)
        o.insert(QStringLiteral("data"), *data);
    return o;
}

} // namespace Fleet::Sim
