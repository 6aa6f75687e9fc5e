#pragma once

#include "sim/dayschedule.h"
#include "sim/simfleet.h"
#include "sim/simleg.h"

#include <QList>

#include <array>
#include <optional>
#include <vector>

namespace Fleet::Sim {

struct VehicleProfile;

// One vehicle's working day in full, built from its DaySchedule: when each
// leg leaves and arrives, the stops between legs, the ignition cycles that
// decide when the tracker reports, and the alarms raised on the way.
//
// SimFleet caches a bounded number of these and a location sweep touches
// every vehicle, so they are cheap and small: legs are simulated only as far
// into the day as a question needs (a leg's departure depends on the previous
// arrival), each leg is simulated once for its timing and rebuilt from its
// seed only when positions along it are asked for.
//
// Ignition: on from the first departure after a parking stop until the next
// parking stop begins; it stays on through idling stops. While it is on the
// tracker reports every fixIntervalSecs from the moment it came on; when it
// goes off it reports once (acc off, speed 0) and then stays silent.
class DayPlan
{
public:
    DayPlan(const DaySchedule &schedule, const DaySchedule::Context &ctx, double odometerStartKm);

    qint64 firstDeparture() const { return m_departure; }
    qint64 lastArrival() const;

    // Latest fix at or before t; nullopt before the first departure.
    std::optional<SimFix> lastFix(qint64 t) const;
    void appendFixes(qint64 from, qint64 to, QList<SimFix> &out) const;
    void appendTrips(qint64 from, qint64 to, QList<SimTrip> &out) const;
    // Stops at job sites (between legs); SimFleet adds the nights at home.
    void appendStops(qint64 from, qint64 to, QList<SimStop> &out) const;
    void appendAlarms(qint64 from, qint64 to, QList<SimAlarm> &out) const;

    static QDateTime toDateTime(qint64 secs);
    static SimFix makeFix(const RoadNetwork &net, const VehicleProfile &vehicle, qint64 t, const QPointF &pos,
                          double speedKmh, double heading, bool acc, double odometerKm);
    static SimAlarm makeAlarm(const RoadNetwork &net, int typeId, qint64 t, const QPointF &pos, double speedKmh,
                              const QString &fenceId);

private:
    struct Leg
    {
        qint64 departure = 0;
        qint64 arrival = 0;
        double odometerKm = 0; // at departure
        double odometerEndKm = 0; // at arrival; the next leg starts from it
        double metres = 0;
        double maxSpeedKmh = 0;
        int movingSecs = 0;
        float endHeading = 0;
    };
    struct Alarm
    {
        qint64 time = 0;
        QPointF pos;
        double speedKmh = 0;
        int type = 0;
    };
    struct State
    {
        QPointF pos;
        double speedKmh = 0;
        double heading = 0;
        double odometerKm = 0;
    };

    int legCount() const { return m_visitCount + 1; }
    // Simulates legs until all those leaving at or before t are known.
    void extendTo(qint64 t) const;
    void extendAll() const;
    // The last known leg leaving at or before t (t >= the first departure).
    int legAt(qint64 t) const;
    bool parksAfter(int leg) const;
    int cycleStart(int leg) const;
    const RoadNetwork::Site &origin(int leg) const;
    const RoadNetwork::Site &destination(int leg) const;
    // The motion of one leg, rebuilt into m_motion when another is asked for.
    const SimLeg &motion(int leg) const;
    State stateAt(qint64 t) const;
    SimFix fixAt(qint64 t, bool acc) const;
    void buildAlarms() const;
    void addAlarm(int type, qint64 t) const;
    void addFenceAlarms() const;

    const RoadNetwork *m_net;
    const VehicleProfile *m_vehicle;
    const std::vector<RoadNetwork::Site> *m_jobs;
    int m_day = 0;
    qint64 m_departure = 0;
    double m_odometerStartKm = 0;
    int m_visitCount = 0;
    std::array<DaySchedule::Visit, DaySchedule::kMaxVisits> m_visits;
    std::array<double, DaySchedule::kMaxVisits + 1> m_legMetres;
    SimLeg::Driver m_driver;
    bool m_sos = false;
    double m_sosAt = 0;

    mutable std::vector<Leg> m_legs;
    mutable SimLeg m_motion;
    mutable int m_motionLeg = -1;
    mutable bool m_alarmsBuilt = false;
    mutable std::vector<Alarm> m_alarms;
};

} // namespace Fleet::Sim
