#pragma once

#include "pushendpoint.h"

#include "util/jsondom.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <memory>
#include <variant>

namespace Fleet::Push {

// The fields of one push request body (reference §10, field notes §3.1/3.2).
struct PushEnvelope
{
    QByteArray token; // the shared secret; checked by the receiver, never stored
    QString msgType; // pushInstructResponse: "1"/"2"; official form: "jimi.push.device.alarm", ...
    QByteArray payload; // data_list, or data of the official form, as received
    bool officialForm = false; // msgType + data without data_list (field notes §3.1)

    // The Open API's own push (field notes §3.1): msgType "jimi.push.device.alarm",
    // "jimi.open.instruction.raw.receive", ... with data. Jimi sends it to the
    // one URL a customer gave, so it is recognised by its shape, whatever the
    // path (an offline command answer, msgType "2" + data, is not it).
    bool isOpenApiPush() const { return officialForm && msgType.startsWith(QLatin1String("jimi.")); }

    friend bool operator==(const PushEnvelope &, const PushEnvelope &) = default;
};

// Why a whole request is refused, with the HTTP status to answer.
struct EnvelopeError
{
    int httpStatus = 400;
    QString message;

    friend bool operator==(const EnvelopeError &, const EnvelopeError &) = default;
};

template<typename T>
class EnvelopeResult
{
public:
    EnvelopeResult(T value)
        : m_data(std::move(value))
    { }
    EnvelopeResult(EnvelopeError error)
        : m_data(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const EnvelopeError &error() const { return std::get<EnvelopeError>(m_data); }

private:
    std::variant<T, EnvelopeError> m_data;
};

// The items of a request, parsed. The document is shared so that the nodes
// stay valid however often the value is copied.
struct PushItems
{
    std::shared_ptr<const JsonDom> document;
    JsonNode root; // the array, or the single object
    bool singleObject = false; // root is one object, counted as one item

    qsizetype count() const { return singleObject ? 1 : root.size(); }
    QList<JsonNode> items() const;
};

// Strict application/x-www-form-urlencoded decoding: '&'-separated pairs
// (empty pairs are skipped), '+' is a space, %XX a byte. A malformed escape,
// a repeated token/data_list/msgType/data or a value that is not UTF-8 is a
// 400; a body with neither data_list nor msgType + data a 422. Other fields
// are ignored. Size limits and the token check are the receiver's.
EnvelopeResult<PushEnvelope> decodeForm(QByteArrayView body);

// Parses the payload: a JSON array of at most maxItems items, or (for
// pushInstructResponse and the official form) also a single object. Anything
// else is a 422.
constexpr int kMaxPushItems = 50;
EnvelopeResult<PushItems> splitItems(Endpoint endpoint, const PushEnvelope &envelope, int maxItems = kMaxPushItems);

} // namespace Fleet::Push
