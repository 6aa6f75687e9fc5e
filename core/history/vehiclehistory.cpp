#include "vehiclehistory.h"

#include "store/storereader.h"

namespace Fleet {

QString VehicleHistory::displayName(StoreReader &reader, const QString &imei)
{
    // As the fleet list names it (VehicleSnapshot::displayName): the device's name, else its plate.
    const std::optional<Device> d = reader.device(imei);
    if (d && !d->name.trimmed().isEmpty())
        return d->name.trimmed();
    if (d && !d->plate.trimmed().isEmpty())
        return d->plate.trimmed();
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
