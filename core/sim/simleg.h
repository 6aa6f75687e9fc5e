#pragma once

#include "sim/roadnetwork.h"

#include <vector>

namespace Fleet::Sim {

// One drive from a site to another: the route and a speed profile along it,
// piecewise constant acceleration, so that position, speed and distance at any
// moment are computed rather than stored per second. Junctions slow the
// vehicle, some traffic lights stop it, long roads have slow traffic, and the
// driver's style sets cruise speed and how hard it accelerates and brakes.
// Also notes the driving events that raise alarms. Everything comes from the
// seed, so a leg can be thrown away and rebuilt identically; build() reuses
// the storage of the previous leg.
class SimLeg
{
public:
    struct Driver
    {
        double speedFactor = 1.0; // cruise speed / limit
        double accel = 1.5; // m/s^2
        double decel = 2.0;
        double harshAccelChance = 0; // per acceleration from a junction or light
        double harshBrakeChance = 0; // per braking for one
    };

    enum class Event : quint8 { Overspeed, HarshAcceleration, HarshBraking };
    struct Moment
    {
        float time = 0; // seconds after departure
        Event event = Event::Overspeed;
    };

    struct State
    {
        QPointF pos;
        double speedKmh = 0;
        double heading = 0;
        double metres = 0; // driven since departure
    };

    void build(const RoadNetwork &net, const RoadNetwork::Site &from, const RoadNetwork::Site &to,
               const RoadNetwork::Way &way, const Driver &driver, quint64 seed);

    const RoadNetwork::Site &from() const { return *m_from; }
    const RoadNetwork::Site &to() const { return *m_to; }
    double metres() const { return m_metres; }
    double endHeading() const { return m_endHeading; }
    // Whole seconds from departure to standing at the destination.
    int durationSecs() const { return m_durationSecs; }
    int movingSecs() const { return m_movingSecs; }
    double maxSpeedKmh() const { return m_maxSpeedKmh; }
    const std::vector<Moment> &moments() const { return m_moments; }

    State stateAt(double t) const;
    // heading may be null.
    QPointF pointAt(double metres, double *heading) const;
    double timeAt(double metres) const;

private:
    struct Phase
    {
        float t0; // seconds after departure
        float s0; // metres
        float v0; // m/s
        float a; // m/s^2
    };

    const RoadNetwork *m_net = nullptr;
    const RoadNetwork::Site *m_from = nullptr;
    const RoadNetwork::Site *m_to = nullptr;
    std::vector<RoadNetwork::Piece> m_pieces;
    std::vector<Phase> m_phases;
    std::vector<Moment> m_moments;
    double m_metres = 0;
    double m_end = 0;
    int m_durationSecs = 0;
    int m_movingSecs = 0;
    double m_maxSpeedKmh = 0;
    double m_endHeading = 0;
};

} // namespace Fleet::Sim
