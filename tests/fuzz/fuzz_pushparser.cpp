// Fuzz target for everything that reads a push request: the form decoder,
// the item split and every endpoint's parser. The first byte picks the
// endpoint (so one input exercises one parser, bounding the work per run);
// the rest is the form body. Replayed over the push fixtures, whose bodies
// have no such byte, every fixture is also run against every endpoint.

#include "push/pushparser.h"
#include "util/utc.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

using namespace Fleet;
using namespace Fleet::Push;

namespace {

void parseAs(Endpoint endpoint, QByteArrayView body)
{
    const EnvelopeResult<PushEnvelope> envelope = decodeForm(body);
    if (!envelope)
        return;
    const EnvelopeResult<PushItems> items = splitItems(endpoint, envelope.value());
    if (!items)
        return;
    static const QDateTime received = Utc::fromSecs(1736247970);
    (void)parsePush(endpoint, envelope.value(), items.value(), received);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QList<Endpoint> endpoints = allEndpoints();
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    // A fixture starts with a form field name: run it through every parser.
    if (input.startsWith("token=") || input.startsWith("msgType=") || input.startsWith("data")) {
        for (const Endpoint e : endpoints)
            parseAs(e, input);
        return 0;
    }
    if (input.isEmpty())
        return 0;
    parseAs(endpoints.at(qsizetype(quint8(input.front())) % endpoints.size()), input.sliced(1));
    return 0;
}
