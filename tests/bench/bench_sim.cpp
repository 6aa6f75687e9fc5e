// Benchmarks of the simulated fleet (SimFleet), the ground truth behind the
// simulated cloud. Prints each figure next to its baseline; run a Release
// build (cmake --preset release).
//
//   fleet of 10,000 built, then a fleet-wide lastFix sweep (what location.list
//   asks), cold and warm: baseline the warm sweep (every day plan cached)
//   1,000 vehicles queried 60 days after the epoch, cold (the odometer walks
//   60 days of schedules per vehicle)
//   100 vehicles queried in the year 9999: bounded by the fleet's horizon,
//   baseline the same query at the horizon itself
//   targets: the 10,000-vehicle cold sweep under 3 s; a far-future query
//   costs no more than twice the one at the horizon

#include "sim/simfleet.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimeZone>

#include <cstdio>

using namespace Fleet::Sim;

namespace {

SimFleetConfig fleetConfig(int vehicles, quint64 seed)
{
    SimFleetConfig c;
    c.vehicles = vehicles;
    c.seed = seed;
    return c;
}

// Local wall-clock time of the fleet as UTC.
QDateTime local(const SimFleetConfig &c, const QDate &date, int hour)
{
    return QDateTime(date, QTime(hour, 0), QTimeZone::utc()).addSecs(-c.utcOffsetSecs);
}

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);

    // --- a fleet-wide sweep ---
    const SimFleetConfig big = fleetConfig(10000, 9);
    QElapsedTimer timer;
    timer.start();
    const SimFleet fleet(big);
    const double buildMs = msSince(timer);
    const QDateTime t = local(big, big.epoch.date().addDays(5), 14); // a Tuesday afternoon
    int fixed = 0;
    timer.restart();
    for (int i = 0; i < fleet.size(); ++i)
        fixed += fleet.lastFix(i, t).has_value() ? 1 : 0;
    const double coldMs = msSince(timer);
    timer.restart();
    for (int i = 0; i < fleet.size(); ++i)
        fleet.lastFix(i, t.addSecs(15));
    const double warmMs = msSince(timer);
    std::printf("10000 vehicles: fleet built in %.0f ms; lastFix sweep %.0f ms cold (baseline warm, plans cached: "
                "%.0f ms; x%.1f); %d with a fix; target cold < 3000 ms: %s\n",
                buildMs, coldMs, warmMs, coldMs / qMax(warmMs, 0.001), fixed, coldMs < 3000 ? "met" : "MISSED");

    // --- two months of history ---
    const SimFleetConfig late = fleetConfig(1000, 9);
    const SimFleet later(late);
    timer.restart();
    for (int i = 0; i < later.size(); ++i)
        later.lastFix(i, late.epoch.addDays(60));
    const double lateMs = msSince(timer);
    std::printf("1000 vehicles 60 days after the epoch: lastFix sweep %.0f ms cold (%.2f ms per vehicle)\n", lateMs,
                lateMs / later.size());

    // --- the far future is cut at the horizon ---
    const SimFleetConfig far = fleetConfig(100, 9);
    const SimFleet atHorizon(far);
    const SimFleet beyond(far);
    timer.restart();
    for (int i = 0; i < atHorizon.size(); ++i)
        atHorizon.lastFix(i, atHorizon.horizon());
    const double horizonMs = msSince(timer);
    const QDateTime year9999(QDate(9999, 12, 31), QTime(0, 0), QTimeZone::utc());
    timer.restart();
    for (int i = 0; i < beyond.size(); ++i)
        beyond.lastFix(i, year9999);
    const double farMs = msSince(timer);
    std::printf("100 vehicles in the year 9999: lastFix sweep %.0f ms cold (baseline at the horizon, %d days after "
                "the epoch: %.0f ms); target at most x2: %s\n",
                farMs, SimFleet::kHorizonDays, horizonMs, farMs <= 2 * horizonMs + 1 ? "met" : "MISSED");

    return fixed > 9000 ? 0 : 1;
}
