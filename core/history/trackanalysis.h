#pragma once

#include "vehiclehistory.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace Fleet {

// What a replay shows beside the fixes, worked out from a VehicleHistory:
// stops (the cloud's, and those the fixes show), trips (the cloud's where it
// has them, derived from the fixes where not), gaps without a fix, and totals.
// Pure: no store, no clock.
namespace TrackAnalysis {

struct Settings
{
    double stopSpeedKmh = 3.0; // at or below: standing
    double stopRadiusM = 100.0; // a stop stays within this of where it began
    int minStopSecs = 180; // shorter standstills are idling inside a trip
    int gapSecs = 600; // no fix for longer, and moved: a gap, drawn dashed
};

enum class StopKind { Parking, Idling }; // ignition off / on (as report.parking)
enum class Origin { Cloud, Derived };

struct Stop
{
    QDateTime from;
    QDateTime to;
    double lat = 0.0;
    double lng = 0.0;
    StopKind kind = StopKind::Parking;
    Origin origin = Origin::Derived;
    QString address; // the cloud's, where it gave one
    qint64 seconds() const { return from.secsTo(to); }
    friend bool operator==(const Stop &, const Stop &) = default;
};

struct TripSummary
{
    QDateTime start;
    QDateTime end;
    std::optional<double> startLat, startLng, endLat, endLng;
    double distanceKm = 0.0;
    double maxSpeedKmh = 0.0;
    double avgSpeedKmh = 0.0; // distance over moving time
    qint64 idleSecs = 0; // standing with the ignition on, inside the trip
    Origin origin = Origin::Derived;
    qint64 seconds() const { return start.secsTo(end); }
    friend bool operator==(const TripSummary &, const TripSummary &) = default;
};

// No fix between fixes[before] and fixes[before + 1] for longer than
// Settings::gapSecs while the vehicle moved more than the stop radius.
struct Gap
{
    qsizetype before = 0;
    QDateTime from;
    QDateTime to;
    friend bool operator==(const Gap &, const Gap &) = default;
};

struct Totals
{
    double distanceKm = 0.0;
    qint64 movingSecs = 0;
    qint64 idleSecs = 0; // idling stops and idling inside trips
    qint64 parkingSecs = 0;
    double maxSpeedKmh = 0.0;
    double avgSpeedKmh = 0.0; // distance over moving time
    int trips = 0;
    int stops = 0;
    friend bool operator==(const Totals &, const Totals &) = default;
};

struct Summary
{
    QList<Stop> stops; // oldest first
    QList<TripSummary> trips;
    QList<Gap> gaps;
    Totals totals;
};

// Great-circle distance in metres (haversine, mean Earth radius).
double distanceM(double lat1, double lng1, double lat2, double lng2);

// Standstills of at least minStopSecs in the fixes.
QList<Stop> deriveStops(const QList<Position> &fixes, const Settings &settings);
// Trips between the stops (and the ends of the fixes), with their figures.
QList<TripSummary> deriveTrips(const QList<Position> &fixes, const QList<Stop> &stops, const Settings &settings);
QList<Gap> gaps(const QList<Position> &fixes, const Settings &settings);

// Everything together: the cloud's stops and trips where it has them,
// derived ones that overlap none of them, and the totals.
Summary analyse(const VehicleHistory &history, const Settings &settings = {});

} // namespace TrackAnalysis

} // namespace Fleet
