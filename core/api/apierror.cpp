#include "apierror.h"

namespace Fleet {

bool ApiError::isTransient() const
{
    switch (kind) {
    case Kind::Network:
    case Kind::Timeout:
    case Kind::RateLimited: return true;
    case Kind::Http: return httpStatus >= 500 || httpStatus == 429;
    case Kind::Api: return apiCode == ApiCode::SystemBusy || apiCode == ApiCode::TooFrequent;
    case Kind::TokenInvalid:
    case Kind::MalformedResponse:
    case Kind::InvalidArgument:
    case Kind::Cancelled: return false;
    }
    return false;
}

QString ApiError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Network: return QStringLiteral("network error");
    case Kind::Timeout: return QStringLiteral("timeout");
    case Kind::Http: return QStringLiteral("HTTP error");
    case Kind::Api: return QStringLiteral("cloud error");
    case Kind::TokenInvalid: return QStringLiteral("token rejected");
    case Kind::RateLimited: return QStringLiteral("rate limited");
    case Kind::MalformedResponse: return QStringLiteral("malformed response");
    case Kind::InvalidArgument: return QStringLiteral("invalid argument");
    case Kind::Cancelled: return QStringLiteral("cancelled");
    }
    return QStringLiteral("error");
}

QString ApiError::toString() const
{
    QString s = kindName(kind);
    if (!method.isEmpty())
        s += QStringLiteral(" in %1").arg(method);
    if (apiCode != 0 || kind == Kind::Api)
        s += QStringLiteral(" (code %1)").arg(apiCode);
    if (httpStatus != 0)
        s += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    if (!message.isEmpty())
        s += QStringLiteral(": ") + message;
    if (!detail.isEmpty())
        s += QStringLiteral(" [device result %1]").arg(detail);
    return s;
}

} // namespace Fleet
