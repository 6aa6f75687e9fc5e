#pragma once

#include "sim/roadnetwork.h"

#include <array>
#include <vector>

namespace Fleet::Sim {

struct VehicleProfile;

// What one vehicle does on one local day, decided cheaply and without any
// motion: whether it works, when it leaves home, which job sites it visits and
// how long it stays at each. Its distance is exact, which is all that the
// odometer of later days needs, so a history of months costs little.
struct DaySchedule
{
    enum class StopKind : quint8 { Parking, Idling };

    struct Visit
    {
        int site = 0; // index into the job sites
        StopKind kind = StopKind::Parking;
        int stopSecs = 0;
    };

    struct Context
    {
        const RoadNetwork *net = nullptr;
        const std::vector<RoadNetwork::Site> *jobSites = nullptr;
        const VehicleProfile *vehicle = nullptr;
        int day = 0; // local days since the epoch's day
        qint64 dayStart = 0; // local midnight, UTC seconds
        int weekday = 1; // 1 = Monday ... 7 = Sunday
        qint64 notBefore = 0; // no departure before this (UTC seconds)
    };

    static constexpr int kMaxVisits = 18;

    static DaySchedule make(const Context &ctx);

    // Odometer after the day's legs, summed in the order DayPlan drives them
    // so that both give bit-identical readings.
    double odometerAfter(double startKm) const;
    int legCount() const { return worked ? visitCount + 1 : 0; }

    bool worked = false;
    qint64 departure = 0; // UTC seconds
    int visitCount = 0;
    std::array<Visit, kMaxVisits> visits{};
    std::array<double, kMaxVisits + 1> legMetres{}; // home -> visit 0 -> ... -> home
};

} // namespace Fleet::Sim
