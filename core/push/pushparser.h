#pragma once

#include "pushendpoint.h"
#include "pushenvelope.h"

#include "store/ingestbatch.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QStringList>

namespace Fleet::Push {

// One item that could not be used, with why; kept for push_quarantine.
struct PushItemError
{
    int index = 0;
    QString reason;
    QByteArray json; // the item as compact JSON

    friend bool operator==(const PushItemError &, const PushItemError &) = default;
};

struct ParsedPush
{
    IngestBatch batch; // what the usable items say
    QList<PushItemError> rejected;
    QStringList warnings; // "item <n>: ..." for fields dropped from used items
    int itemCount = 0;
};

// Turns the items of one request (splitItems) into domain values. An item
// that is not an object, names no valid IMEI, lacks a readable required time
// or (pushgps) a usable fix is rejected with a reason; values are never
// guessed. Times are UTC (field notes §3.2). receivedUtc stands in where an
// endpoint sends no time of its own (uploadCallback, pushInstructResponse,
// the generic messages).
ParsedPush parsePush(Endpoint endpoint, const PushEnvelope &envelope, const PushItems &items,
                     const QDateTime &receivedUtc);

} // namespace Fleet::Push
