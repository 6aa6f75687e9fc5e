#include "locatenow.h"

#include "api/jimiapi.h"
#include "store/ingestbatch.h"
#include "store/storewriter.h"

#include <QPointer>

namespace Fleet {

void locateNow(JimiApi *api, StoreWriter *writer, const QStringList &imeis, QObject *ctx,
               std::function<void(const LocateOutcome &)> done)
{
    LocateOutcome outcome;
    outcome.asked = int(imeis.size());
    if (imeis.isEmpty() || !api) {
        outcome.error = imeis.isEmpty() ? QStringLiteral("No vehicle to locate.") : QStringLiteral("No cloud.");
        done(outcome);
        return;
    }
    QPointer<QObject> guard(ctx);
    api->locations(imeis, ctx, [writer, outcome, done, guard](const Result<ApiList<DeviceLocation>> &r) mutable {
        if (!r.ok()) {
            outcome.error = r.error().message.isEmpty() ? r.error().toString() : r.error().message;
            done(outcome);
            return;
        }
        IngestBatch b;
        for (const DeviceLocation &l : r.value().items) {
            b.deviceStates.append(l);
            if (l.fix)
                ++outcome.located;
            else
                outcome.withoutFix.append(l.imei);
        }
        const bool queued = writer->write(std::move(b), [outcome, done, guard](bool committed) mutable {
            if (!guard)
                return;
            if (!committed)
                outcome.error = QStringLiteral("The positions could not be stored.");
            done(outcome);
        });
        if (!queued) {
            outcome.error = QStringLiteral("The store is not accepting writes.");
            done(outcome);
        }
    });
}

void shareLocation(JimiApi *api, const QString &imei, QObject *ctx,
                   std::function<void(const QUrl &url, const QString &error)> done)
{
    if (!api) {
        done({}, QStringLiteral("No cloud."));
        return;
    }
    api->shareLocationUrl(imei, ctx, [done](const Result<QUrl> &r) {
        if (r.ok())
            done(r.value(), {});
        else
            done({}, r.error().message.isEmpty() ? r.error().toString() : r.error().message);
    });
}

} // namespace Fleet
