#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace Fleet {

// A trip from jimi.device.track.mileage (or later /pushtripreport).
// Distances are kilometres as the API reports them (BUG-02: never scaled).
struct Trip
{
    QString imei;
    QDateTime start;
    QDateTime end;
    std::optional<double> distanceKm;
    std::optional<double> avgSpeedKmh;
    std::optional<double> maxSpeedKmh; // BUG-03: always carried through
    std::optional<int> runSeconds; // runTimeSecond, or elapsed in older answers
    std::optional<int> idleSeconds;
    std::optional<double> startLat;
    std::optional<double> startLng;
    std::optional<double> endLat;
    std::optional<double> endLng;

    friend bool operator==(const Trip &, const Trip &) = default;
};

// Per-device total that jimi.device.track.mileage returns beside the trips.
struct MileageTotal
{
    QString imei;
    double totalKm = 0.0;
    // The range the total covers (the request's; the answer does not say).
    QDateTime begin;
    QDateTime end;

    friend bool operator==(const MileageTotal &, const MileageTotal &) = default;
};

// A stop from jimi.open.platform.report.parking: parking (ACC off) or idling (ACC on).
struct StopPeriod
{
    QString imei;
    QString deviceName;
    QDateTime start;
    QDateTime end;
    std::optional<int> durationSeconds; // durSecond (POLL-02: the primary field)
    std::optional<int> stopSeconds; // stopSecond, often absent
    std::optional<bool> accOn; // true = idling
    std::optional<double> lat;
    std::optional<double> lng;
    QString address;

    friend bool operator==(const StopPeriod &, const StopPeriod &) = default;
};

} // namespace Fleet
