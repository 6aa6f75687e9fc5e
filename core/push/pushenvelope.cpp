#include "pushenvelope.h"

#include "net/formcodec.h"
#include "util/bytes.h"

namespace Fleet::Push {

namespace {

// One key or value; offset is where it starts in the body, for the message.
std::optional<QByteArray> percentDecode(QByteArrayView text, qsizetype offset, QString *error)
{
    QString what;
    qsizetype at = 0;
    std::optional<QByteArray> out = FormCodec::percentDecode(text, &what, &at);
    if (!out)
        *error = QStringLiteral("malformed form body: %1 at byte %2").arg(what).arg(offset + at);
    return out;
}

} // namespace

EnvelopeResult<PushEnvelope> decodeForm(QByteArrayView body)
{
    std::optional<QByteArray> token;
    std::optional<QByteArray> msgType;
    std::optional<QByteArray> dataList;
    std::optional<QByteArray> data;

    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf('&', start);
        if (end < 0)
            end = body.size();
        const QByteArrayView pair = body.sliced(start, end - start);
        if (!pair.isEmpty()) {
            const qsizetype eq = pair.indexOf('=');
            const QByteArrayView rawKey = eq < 0 ? pair : pair.first(eq);
            const QByteArrayView rawValue = eq < 0 ? QByteArrayView() : pair.sliced(eq + 1);
            QString error;
            const std::optional<QByteArray> key = percentDecode(rawKey, start, &error);
            if (!key)
                return EnvelopeError{400, error};
            const std::optional<QByteArray> value = percentDecode(rawValue, start + (eq < 0 ? 0 : eq + 1), &error);
            if (!value)
                return EnvelopeError{400, error};
            std::optional<QByteArray> *field = nullptr;
            if (*key == "token")
                field = &token;
            else if (*key == "msgType")
                field = &msgType;
            else if (*key == "data_list")
                field = &dataList;
            else if (*key == "data")
                field = &data;
            if (field) {
                // Two values for one field would leave the choice to us: refuse.
                if (field->has_value())
                    return EnvelopeError{400, QStringLiteral("duplicate field '%1'").arg(QLatin1String(*key))};
                if (!Bytes::isUtf8(*value))
                    return EnvelopeError{400, QStringLiteral("field '%1' is not valid UTF-8").arg(QLatin1String(*key))};
                *field = *value;
            }
        }
        start = end + 1;
    }

    PushEnvelope envelope;
    envelope.token = token.value_or(QByteArray());
    envelope.msgType = QString::fromUtf8(msgType.value_or(QByteArray())).trimmed();
    if (dataList) {
        envelope.payload = *dataList;
    } else if (data && !envelope.msgType.isEmpty()) {
        envelope.payload = *data;
        envelope.officialForm = true;
    } else {
        return EnvelopeError{422, QStringLiteral("data_list is missing")};
    }
    return envelope;
}

QList<JsonNode> PushItems::items() const
{
    QList<JsonNode> list;
    if (singleObject) {
        list.append(root);
        return list;
    }
    list.reserve(root.size());
    for (JsonNode v = root.firstChild(); !v.isUndefined(); v = v.nextSibling())
        list.append(v);
    return list;
}

EnvelopeResult<PushItems> splitItems(Endpoint endpoint, const PushEnvelope &envelope, int maxItems)
{
    const QLatin1String field = envelope.officialForm ? QLatin1String("data") : QLatin1String("data_list");
    // Offline command answers and the official form's data may be one object.
    const bool objectAllowed = envelope.officialForm || endpoint == Endpoint::InstructResponse;
    const QString expected = objectAllowed ? QStringLiteral("a JSON object or array") : QStringLiteral("a JSON array");
    QString error;
    std::optional<JsonDom> dom = JsonDom::parse(envelope.payload, &error);
    if (!dom)
        return EnvelopeError{422, QStringLiteral("%1 is not %2: %3").arg(field, expected, error)};
    PushItems items;
    items.document = std::make_shared<const JsonDom>(std::move(*dom));
    items.root = items.document->root();
    if (items.root.isObject() && objectAllowed) {
        items.singleObject = true;
    } else if (!items.root.isArray()) {
        return EnvelopeError{422,
                             QStringLiteral("%1 is not %2: it is %3")
                                 .arg(field, expected,
                                      items.root.isObject() ? QStringLiteral("an object")
                                                            : QStringLiteral("a scalar"))};
    }
    if (items.count() > maxItems) {
        return EnvelopeError{
            422,
            QStringLiteral("%1 has %2 items; at most %3 are accepted").arg(field).arg(items.count()).arg(maxItems)};
    }
    return items;
}

} // namespace Fleet::Push
