#include "fleetadmin.h"

#include "store/ingestbatch.h"
#include "store/storewriter.h"

#include <QPointer>

namespace Fleet {

namespace {

AdminOutcome refusal(const ApiError &e)
{
    AdminOutcome o;
    o.message = e.message.isEmpty() ? e.toString() : e.message;
    if (e.apiCode != 0 || e.kind == ApiError::Kind::Api)
        o.code = e.apiCode;
    return o;
}

} // namespace

bool isEmptyUpdate(const DeviceUpdate &u)
{
    return !u.deviceName && !u.vehicleName && !u.vehicleIcon && !u.plate && !u.driverName && !u.driverPhone
        && !u.deviceStatus && !u.sim && !u.remarks && !u.mileageKm;
}

void updateDeviceRecord(JimiApi *api, StoreWriter *writer, const QString &imei, const DeviceUpdate &update,
                        QObject *ctx, std::function<void(const AdminOutcome &)> done)
{
    if (!api) {
        done(AdminOutcome{false, QStringLiteral("No cloud."), std::nullopt, false});
        return;
    }
    if (isEmptyUpdate(update)) {
        done(AdminOutcome{true, QString(), std::nullopt, false});
        return;
    }
    QPointer<QObject> guard(ctx);
    api->updateDevice(imei, update, ctx, [api, writer, imei, ctx, guard, done](const Result<Done> &r) {
        if (!r.ok()) {
            done(refusal(r.error()));
            return;
        }
        // The cloud's record as it now stands.
        api->deviceDetail(imei, ctx, [writer, guard, done](const Result<Device> &detail) {
            AdminOutcome o;
            o.ok = true;
            if (!detail.ok()) {
                o.message = QStringLiteral("Changed in the cloud; the next sync brings it here (%1).")
                                .arg(detail.error().message);
                done(o);
                return;
            }
            IngestBatch b;
            b.devices.append(detail.value());
            const bool queued = writer->write(std::move(b), [o, done, guard](bool committed) mutable {
                if (!guard)
                    return;
                o.stored = committed;
                done(o);
            });
            if (!queued)
                done(o);
        });
    });
}

} // namespace Fleet
