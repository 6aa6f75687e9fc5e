#pragma once

#include "apierror.h"

#include "util/jsondom.h"

#include <memory>

namespace Fleet {

// The common answer shape {"code":0,"message":"success","result":…,"data":…}.
// code arrives as a number or a string; the payload in result, data or both.
struct ApiEnvelope
{
    int code = 0;
    QString message;
    JsonNode result; // views into dom
    JsonNode data;
    std::shared_ptr<const JsonDom> dom;

    // The device-level code some failures carry inside the payload
    // (result.code "228", "Result code：226" in the message), or "".
    QString detailCode() const;

    static Result<ApiEnvelope> parse(const QByteArray &body, const QString &method);
};

} // namespace Fleet
