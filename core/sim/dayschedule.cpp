#include "sim/dayschedule.h"

#include "sim/simrandom.h"
#include "sim/vehicleprofile.h"

#include <cmath>

namespace Fleet::Sim {

namespace {

// The estimate that fits visits into a shift: limits are optimistic, lights
// and junctions cost time.
qint64 estimate(const RoadNetwork::Way &w)
{
    return qint64(w.seconds * 1.35 + 45);
}

// Cheaper still, for the way home from a candidate: as the crow flies, at
// town speed with detours.
qint64 roughEstimate(const RoadNetwork::Site &a, const RoadNetwork::Site &b)
{
    const QPointF d = a.pos - b.pos;
    return qint64(std::sqrt(QPointF::dotProduct(d, d)) / 9.0 + 120);
}

double distanceSquared(const RoadNetwork::Site &a, const RoadNetwork::Site &b)
{
    const QPointF d = a.pos - b.pos;
    return QPointF::dotProduct(d, d);
}

} // namespace

DaySchedule DaySchedule::make(const Context &ctx)
{
    DaySchedule sc;
    const VehicleProfile &v = *ctx.vehicle;
    if (ctx.day < 0 || ctx.day >= v.cutoffDay)
        return sc;

    SimRandom rng(SimRandom::hash(v.seed, quint64(ctx.day), 0x5343484544ULL));
    const bool dayOff = rng.chance(0.04);
    const int startJitter = rng.range(-20, 20) * 60;
    const int lengthJitter = rng.range(-30, 30) * 60;
    const bool scheduled = ctx.weekday <= 5 || (ctx.weekday == 6 && v.worksSaturday)
        || (ctx.weekday == 7 && v.worksSunday);
    if (!scheduled || dayOff)
        return sc;
    const qint64 departure = ctx.dayStart + v.shiftStartSecs + startJitter;
    if (departure < ctx.notBefore)
        return sc;
    int length = v.shiftLengthSecs + lengthJitter;
    if (ctx.weekday >= 6)
        length = length * 2 / 3;
    const qint64 shiftEnd = departure + length;
    const qint64 latestHome = ctx.dayStart + 21 * 3600 + 30 * 60;

    const std::vector<RoadNetwork::Site> &jobs = *ctx.jobSites;
    const int jobCount = int(jobs.size());
    const RoadNetwork::Site *at = &v.home;
    int atIndex = -1;
    qint64 t = departure;
    bool lunch = false;
    for (int k = 0; k < kMaxVisits; ++k) {
        // The nearer of two random customers: rounds stay fairly local.
        int a = rng.range(0, jobCount - 1);
        int b = rng.range(0, jobCount - 1);
        if (a == atIndex)
            a = (a + 1) % jobCount;
        if (b == atIndex)
            b = (b + 1) % jobCount;
        const int site = distanceSquared(*at, jobs[std::size_t(a)]) <= distanceSquared(*at, jobs[std::size_t(b)]) ? a
                                                                                                                  : b;
        const RoadNetwork::Way w = ctx.net->way(*at, jobs[std::size_t(site)]);
        const double u = rng.uniform();
        const double d = rng.uniform();

        const qint64 arrive = t + estimate(w);
        const qint64 local = arrive - ctx.dayStart;
        Visit visit;
        visit.site = site;
        if (!lunch && local >= 11 * 3600 + 1800 && local <= 13 * 3600 + 1800) {
            visit.kind = StopKind::Parking;
            visit.stopSecs = 1800 + int(d * 1800);
            lunch = true;
        } else if (u < 0.2) {
            visit.kind = StopKind::Idling;
            visit.stopSecs = 60 + int(d * 540);
        } else {
            // Jobs of 5 to 60 minutes, mostly longer ones.
            visit.kind = StopKind::Parking;
            visit.stopSecs = 300 + int(std::sqrt(d) * 3300);
        }
        const qint64 home = arrive + visit.stopSecs + roughEstimate(jobs[std::size_t(site)], v.home);
        if (k > 0 && (home > shiftEnd || home > latestHome))
            break;
        sc.visits[std::size_t(k)] = visit;
        sc.legMetres[std::size_t(k)] = w.metres;
        sc.visitCount = k + 1;
        t = arrive + visit.stopSecs;
        at = &jobs[std::size_t(site)];
        atIndex = site;
    }
    sc.legMetres[std::size_t(sc.visitCount)] = ctx.net->way(*at, v.home).metres;
    sc.worked = true;
    sc.departure = departure;
    return sc;
}

double DaySchedule::odometerAfter(double startKm) const
{
    double odo = startKm;
    for (int i = 0; i < legCount(); ++i)
        odo += legMetres[std::size_t(i)] / 1000.0;
    return odo;
}

} // namespace Fleet::Sim
