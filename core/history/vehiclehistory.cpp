#include "vehiclehistory.h"

#include "store/storereader.h"

namespace Fleet {

QString VehicleHistory::displayName(StoreReader &reader, const QString &imei)
{
    const std::optional<Device> d = reader.device(imei);
    if (d && !d->vehicleName.isEmpty())
        return d->vehicleName;
    if (d && !d->name.isEmpty())
        return d->name;
    return imei;
}

VehicleHistory VehicleHistory::load(StoreReader &reader, const QString &imei, const TimeSpan &span)
{
    VehicleHistory h;
    h.imei = imei;
    h.span = span;
    h.name = displayName(reader, imei);
    h.fixes = reader.fixes(imei, span.from, span.to);
    h.trips = reader.trips({imei}, span.from, span.to);
    h.stops = reader.stops({imei}, span.from, span.to);
    h.alarms = reader.alarms({imei}, span.from, span.to);
    return h;
}

} // namespace Fleet
