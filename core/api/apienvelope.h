#pragma once

#include "apierror.h"

#include <QJsonValue>

namespace Fleet {

// The common answer shape {"code":0,"message":"success","result":…,"data":…}.
// code arrives as a number or a string; the payload in result, data or both.
struct ApiEnvelope
{
    int code = 0;
    QString message;
    QJsonValue result;
    QJsonValue data;

    static Result<ApiEnvelope> parse(const QByteArray &body, const QString &method);
};

} // namespace Fleet
