#pragma once

#include "sim/roadnetwork.h"
#include "sim/simleg.h"

#include <QPointF>
#include <QString>

#include <limits>

namespace Fleet::Sim {

// What stays the same for one simulated vehicle from day to day: where it
// parks overnight, its working pattern, its driver's style, how its tracker
// reports, and when (if ever) the tracker stops reporting.
struct VehicleProfile
{
    quint64 seed = 0; // root of every random stream of this vehicle
    RoadNetwork::Site home;
    QString homeAddress;
    QString fenceId; // depot geofence; empty for vehicles parked at home
    QPointF fenceCentre;
    int shiftStartSecs = 8 * 3600; // local time of day
    int shiftLengthSecs = 9 * 3600;
    bool worksSaturday = false;
    bool worksSunday = false;
    bool aggressive = false;
    SimLeg::Driver driver;
    int fixIntervalSecs = 15;
    int heartbeatPhaseSecs = 0;
    int homeHeading = 0;
    double initialOdometerKm = 0;
    bool neverFixed = false;
    // The tracker reports nothing from cutoff on (offline or expired). The
    // vehicle does not work on cutoffDay or later, so cutoff finds it parked.
    qint64 cutoff = std::numeric_limits<qint64>::max();
    int cutoffDay = std::numeric_limits<int>::max();
};

} // namespace Fleet::Sim
