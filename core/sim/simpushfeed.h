#pragma once

#include "push/pushendpoint.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace Fleet::Sim {

class SimFleet;

// One endpoint's items for a window of fleet time, oldest first.
struct SimPushBatch
{
    Push::Endpoint endpoint;
    QList<QJsonObject> items;
};

// What the fleet pushes (reference §10, field notes §3.2), derived from
// SimFleet alone: the same window gives the same items, whichever ticks it
// was cut into, because every periodic report falls on a fixed grid of fleet
// time (with a phase per device and purpose) rather than "every N s after the
// last tick". Times are UTC "yyyy-MM-dd HH:mm:ss".
//
//   pushgps         every fix of SimFleet::fixes()
//   pushhb          every heartbeat (SimFleet::lastHeartbeat(), every 3 min online)
//   pushalarm       every alarm: even devices the flat TSP shape, odd ones the
//                   IoT-Hub shape with msg{} (same codes: the appendix's)
//   pushtripreport  every trip when it ends
//   pushevent       LOGIN / LOGOUT where isOnline() changes
//   pushobd         every kObdSecs while the ignition is on
//   pushtem         every kSensorSecs, online devices with index % 7 == 0 (reefers)
//   pushoil         every kSensorSecs, online devices with index % 7 == 3 (fuel sensors)
//   pushlbs         every kLbsSecs, online devices parked without a recent fix
//   the others      (everyEndpoint) one item per endpoint every kOtherSecs, from an
//                   online device picked by hash (a dashcam for the media ones)
class SimPushFeed
{
public:
    static constexpr int kObdSecs = 60;
    static constexpr int kSensorSecs = 300;
    static constexpr int kLbsSecs = 900;
    static constexpr int kOtherSecs = 300;
    // A fix older than this, with the ignition off, counts as "no fix": the
    // GPS sleeps while parked and the device reports its cell instead.
    static constexpr int kStaleFixSecs = 600;
    // Trips are looked up this far back to find those ending in a window
    // (SimFleet::trips() selects by start); no simulated trip is longer.
    static constexpr int kTripLookbackSecs = 12 * 3600;

    SimPushFeed(const SimFleet &fleet, bool everyEndpoint);

    // Items for fleet time (from, to], one batch per endpoint that has any, in
    // allEndpoints() order.
    QList<SimPushBatch> collect(const QDateTime &from, const QDateTime &to) const;

    // The endpoints the feed ever serves (all of them with everyEndpoint).
    QList<Push::Endpoint> endpoints() const;

private:
    struct Window;
    void collectDevice(Window &w, int index) const;
    void collectOthers(Window &w) const;

    const SimFleet &m_fleet;
    bool m_everyEndpoint;
    quint64 m_seed;
};

} // namespace Fleet::Sim
