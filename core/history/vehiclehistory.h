#pragma once

#include "domain/alarm.h"
#include "domain/position.h"
#include "domain/timespan.h"
#include "domain/trip.h"

#include <QList>
#include <QString>

namespace Fleet {

class StoreReader;

// Everything the store holds of one vehicle for a span: its fixes (oldest
// first, one per device time: the store's key merges repeats from the sweep,
// track.list and pushes, late uploads included), the cloud's trips and stops,
// and its alarms.
struct VehicleHistory
{
    QString imei;
    QString name; // the vehicle's or device's name; the IMEI when it has none
    TimeSpan span;
    QList<Position> fixes;
    QList<Trip> trips; // the cloud's (track.mileage, /pushtripreport)
    QList<StopPeriod> stops; // the cloud's (report.parking)
    QList<Alarm> alarms;

    bool isEmpty() const { return fixes.isEmpty() && trips.isEmpty() && stops.isEmpty() && alarms.isEmpty(); }

    // Reads it from the store. The name is the fleet list's: the device's
    // name, else its plate, else the IMEI.
    static VehicleHistory load(StoreReader &reader, const QString &imei, const TimeSpan &span);
    // The name the store knows for each IMEI (see load()).
    static QString displayName(StoreReader &reader, const QString &imei);
};

} // namespace Fleet
