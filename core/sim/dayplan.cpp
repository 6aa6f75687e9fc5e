#include "sim/dayplan.h"
#include "util/utc.h"

#include "domain/alarm.h"
#include "sim/simrandom.h"
#include "sim/vehicleprofile.h"

#include <QLineF>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Fleet::Sim {

namespace {

// Smaller than a depot's driveway: passing traffic stays outside the fence.
constexpr double kFenceRadiusM = 100;
constexpr double kSosPerDay = 0.004;

qint64 ceilDiv(qint64 a, qint64 b)
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

} // namespace

DayPlan::DayPlan(const DaySchedule &schedule, const DaySchedule::Context &ctx, double odometerStartKm)
    : m_net(ctx.net)
    , m_vehicle(ctx.vehicle)
    , m_jobs(ctx.jobSites)
    , m_day(ctx.day)
    , m_departure(schedule.departure)
    , m_odometerStartKm(odometerStartKm)
    , m_visitCount(schedule.visitCount)
    , m_visits(schedule.visits)
    , m_legMetres(schedule.legMetres)
{
    SimRandom rng(SimRandom::hash(m_vehicle->seed, quint64(ctx.day), 0x504c414eULL));
    m_driver = m_vehicle->driver;
    m_driver.speedFactor *= rng.uniform(0.97, 1.03);
    m_sos = rng.chance(kSosPerDay);
    m_sosAt = rng.uniform();
    m_legs.reserve(std::size_t(legCount()));
}

qint64 DayPlan::lastArrival() const
{
    extendAll();
    return m_legs.back().arrival;
}

void DayPlan::extendTo(qint64 t) const
{
    while (int(m_legs.size()) < legCount()) {
        const int k = int(m_legs.size());
        Leg leg;
        if (k == 0) {
            leg.departure = m_departure;
            leg.odometerKm = m_odometerStartKm;
        } else {
            leg.departure = m_legs.back().arrival + m_visits[std::size_t(k - 1)].stopSecs;
            leg.odometerKm = m_legs.back().odometerEndKm;
        }
        if (leg.departure > t)
            return;
        // The same operations as DaySchedule::odometerAfter: the evening's
        // reading is exactly the next morning's.
        leg.odometerEndKm = leg.odometerKm + m_legMetres[std::size_t(k)] / 1000.0;
        const SimLeg &m = motion(k);
        leg.arrival = leg.departure + m.durationSecs();
        leg.metres = m.metres();
        leg.maxSpeedKmh = m.maxSpeedKmh();
        leg.movingSecs = m.movingSecs();
        leg.endHeading = float(m.endHeading());
        m_legs.push_back(leg);
    }
}

void DayPlan::extendAll() const
{
    extendTo(std::numeric_limits<qint64>::max());
}

int DayPlan::legAt(qint64 t) const
{
    int k = int(m_legs.size()) - 1;
    while (k > 0 && m_legs[std::size_t(k)].departure > t)
        --k;
    return k;
}

bool DayPlan::parksAfter(int leg) const
{
    return leg == m_visitCount || m_visits[std::size_t(leg)].kind == DaySchedule::StopKind::Parking;
}

int DayPlan::cycleStart(int leg) const
{
    while (leg > 0 && !parksAfter(leg - 1))
        --leg;
    return leg;
}

const RoadNetwork::Site &DayPlan::origin(int leg) const
{
    return leg == 0 ? m_vehicle->home : (*m_jobs)[std::size_t(m_visits[std::size_t(leg - 1)].site)];
}

const RoadNetwork::Site &DayPlan::destination(int leg) const
{
    return leg == m_visitCount ? m_vehicle->home : (*m_jobs)[std::size_t(m_visits[std::size_t(leg)].site)];
}

const SimLeg &DayPlan::motion(int leg) const
{
    if (m_motionLeg != leg) {
        const RoadNetwork::Site &from = origin(leg);
        const RoadNetwork::Site &to = destination(leg);
        const quint64 seed = SimRandom::hash(m_vehicle->seed, quint64(m_day), 0x4c4547ULL + quint64(leg));
        m_motion.build(*m_net, from, to, m_net->way(from, to), m_driver, seed);
        m_motionLeg = leg;
    }
    return m_motion;
}

void DayPlan::buildAlarms() const
{
    if (m_alarmsBuilt)
        return;
    m_alarmsBuilt = true;
    extendAll();
    for (int k = 0; k < legCount(); ++k) {
        const Leg &leg = m_legs[std::size_t(k)];
        // Copied: addAlarm() may rebuild the motion of another leg.
        const std::vector<SimLeg::Moment> moments = motion(k).moments();
        for (const SimLeg::Moment &m : moments) {
            const qint64 at = leg.departure + qint64(std::ceil(double(m.time)));
            if (at >= leg.arrival)
                continue;
            switch (m.event) {
            case SimLeg::Event::Overspeed: addAlarm(6, at); break;
            case SimLeg::Event::HarshAcceleration: addAlarm(41, at); break;
            case SimLeg::Event::HarshBraking: addAlarm(48, at); break;
            }
        }
    }
    addFenceAlarms();
    if (m_sos)
        addAlarm(1, m_departure + qint64(m_sosAt * double(lastArrival() - m_departure)));
    std::stable_sort(m_alarms.begin(), m_alarms.end(), [](const Alarm &a, const Alarm &b) { return a.time < b.time; });
}

void DayPlan::addFenceAlarms() const
{
    const VehicleProfile &v = *m_vehicle;
    if (v.fenceId.isEmpty())
        return;
    const auto outside = [&](const SimLeg &m, double s) {
        return QLineF(m.pointAt(s, nullptr), v.fenceCentre).length() > kFenceRadiusM;
    };
    // Leaving the depot in the morning ...
    qint64 exitAt = -1;
    const SimLeg &leaving = motion(0);
    // NOLINTNEXTLINE(clang-analyzer-security.FloatLoopCounter): 5 m steps along the leg, as planned
    for (double s = 0; s <= leaving.metres(); s += 5) {
        if (outside(leaving, s)) {
            exitAt = m_legs.front().departure + qint64(std::ceil(leaving.timeAt(s)));
            break;
        }
    }
    // ... and coming back in the evening.
    qint64 enterAt = -1;
    const Leg &last = m_legs.back();
    const SimLeg &returning = motion(legCount() - 1);
    // NOLINTNEXTLINE(clang-analyzer-security.FloatLoopCounter): as above, from the far end
    for (double s = returning.metres(); s >= 0; s -= 5) {
        if (outside(returning, s)) {
            const double in = std::min(returning.metres(), s + 5);
            enterAt = std::min(last.departure + qint64(std::ceil(returning.timeAt(in))), last.arrival);
            break;
        }
    }
    if (exitAt >= 0)
        addAlarm(5, exitAt);
    if (enterAt >= 0)
        addAlarm(4, enterAt);
}

void DayPlan::addAlarm(int type, qint64 t) const
{
    const State st = stateAt(t);
    m_alarms.push_back({t, st.pos, st.speedKmh, type});
}

DayPlan::State DayPlan::stateAt(qint64 t) const
{
    const int k = legAt(t);
    const Leg &leg = m_legs[std::size_t(k)];
    State st;
    if (t >= leg.arrival) {
        // Standing at the destination: no need for the motion.
        st.pos = destination(k).pos;
        st.heading = leg.endHeading;
        st.odometerKm = leg.odometerEndKm;
        return st;
    }
    const SimLeg::State s = motion(k).stateAt(double(t - leg.departure));
    st.pos = s.pos;
    st.heading = s.heading;
    st.speedKmh = s.speedKmh;
    st.odometerKm = std::min(leg.odometerKm + s.metres / 1000.0, leg.odometerEndKm);
    return st;
}

SimFix DayPlan::fixAt(qint64 t, bool acc) const
{
    const State st = stateAt(t);
    return makeFix(*m_net, *m_vehicle, t, st.pos, acc ? st.speedKmh : 0.0, st.heading, acc, st.odometerKm);
}

std::optional<SimFix> DayPlan::lastFix(qint64 t) const
{
    if (t < m_departure)
        return std::nullopt;
    extendTo(t);
    const int k = legAt(t);
    const Leg &leg = m_legs[std::size_t(k)];
    if (t >= leg.arrival && parksAfter(k))
        return fixAt(leg.arrival, false);
    const qint64 on = m_legs[std::size_t(cycleStart(k))].departure;
    const qint64 step = m_vehicle->fixIntervalSecs;
    return fixAt(on + (t - on) / step * step, true);
}

void DayPlan::appendFixes(qint64 from, qint64 to, QList<SimFix> &out) const
{
    if (to < m_departure)
        return;
    extendTo(to);
    const qint64 step = m_vehicle->fixIntervalSecs;
    const int known = int(m_legs.size());
    for (int k = 0; k < known;) {
        // One ignition cycle: legs first..last, joined by idling stops. When
        // its last leg is not known yet, it goes on past `to`.
        const int first = k;
        int last = k;
        while (!parksAfter(last) && last + 1 < known)
            ++last;
        k = last + 1;
        const bool parks = parksAfter(last);
        const qint64 on = m_legs[std::size_t(first)].departure;
        const qint64 off = parks ? m_legs[std::size_t(last)].arrival : std::numeric_limits<qint64>::max();
        if (off < from || on > to)
            continue;
        const qint64 begin = from > on ? on + ceilDiv(from - on, step) * step : on;
        for (qint64 t = begin; t < off && t <= to; t += step)
            out.append(fixAt(t, true));
        if (parks && off >= from && off <= to)
            out.append(fixAt(off, false));
    }
}

void DayPlan::appendTrips(qint64 from, qint64 to, QList<SimTrip> &out) const
{
    extendTo(to);
    for (int k = 0; k < int(m_legs.size()); ++k) {
        const Leg &leg = m_legs[std::size_t(k)];
        if (leg.departure < from || leg.departure > to)
            continue;
        SimTrip trip;
        trip.start = toDateTime(leg.departure);
        trip.end = toDateTime(leg.arrival);
        trip.distanceKm = leg.metres / 1000.0;
        trip.maxSpeedKmh = leg.maxSpeedKmh;
        trip.runSeconds = leg.movingSecs;
        trip.idleSeconds = int(leg.arrival - leg.departure) - trip.runSeconds;
        // A degenerate leg without moving seconds must not divide by zero.
        trip.avgSpeedKmh = trip.runSeconds > 0 ? trip.distanceKm / (trip.runSeconds / 3600.0) : 0.0;
        m_net->toLatLng(origin(k).pos, &trip.startLat, &trip.startLng);
        m_net->toLatLng(destination(k).pos, &trip.endLat, &trip.endLng);
        out.append(trip);
    }
}

void DayPlan::appendStops(qint64 from, qint64 to, QList<SimStop> &out) const
{
    extendTo(to);
    for (int k = 0; k < std::min(int(m_legs.size()), m_visitCount); ++k) {
        const DaySchedule::Visit &visit = m_visits[std::size_t(k)];
        const qint64 start = m_legs[std::size_t(k)].arrival;
        const qint64 end = start + visit.stopSecs;
        if (start > to || end < from)
            continue;
        const RoadNetwork::Site &site = (*m_jobs)[std::size_t(visit.site)];
        SimStop stop;
        stop.start = toDateTime(start);
        stop.end = toDateTime(end);
        stop.accOn = visit.kind == DaySchedule::StopKind::Idling;
        m_net->toLatLng(site.pos, &stop.lat, &stop.lng);
        stop.address = m_net->address(site);
        out.append(stop);
    }
}

void DayPlan::appendAlarms(qint64 from, qint64 to, QList<SimAlarm> &out) const
{
    buildAlarms();
    for (const Alarm &a : m_alarms) {
        if (a.time < from || a.time > to)
            continue;
        const bool fence = a.type == 4 || a.type == 5;
        out.append(makeAlarm(*m_net, a.type, a.time, a.pos, a.speedKmh, fence ? m_vehicle->fenceId : QString()));
    }
}

QDateTime DayPlan::toDateTime(qint64 secs)
{
    return Utc::fromSecs(secs);
}

SimFix DayPlan::makeFix(const RoadNetwork &net, const VehicleProfile &vehicle, qint64 t, const QPointF &pos,
                        double speedKmh, double heading, bool acc, double odometerKm)
{
    SimFix f;
    f.gpsTime = toDateTime(t);
    net.toLatLng(pos, &f.lat, &f.lng);
    f.speedKmh = speedKmh;
    f.course = int(std::lround(heading)) % 360;
    if (f.course < 0)
        f.course += 360;
    f.acc = acc;
    // Sky view changes in five-minute spells around a per-device level.
    const quint64 h = SimRandom::hash(vehicle.seed, quint64(t / 300), 0x534154ULL);
    f.satellites = std::clamp(8 + int(vehicle.seed % 4) + int(h % 5) - 2, 6, 14);
    f.altitudeM = int(std::lround(net.altitudeAt(pos)));
    f.odometerKm = odometerKm;
    return f;
}

SimAlarm DayPlan::makeAlarm(const RoadNetwork &net, int typeId, qint64 t, const QPointF &pos, double speedKmh,
                            const QString &fenceId)
{
    SimAlarm a;
    a.time = toDateTime(t);
    a.typeId = QString::number(typeId);
    a.typeName = Fleet::alarmTypeText(a.typeId);
    net.toLatLng(pos, &a.lat, &a.lng);
    a.speedKmh = speedKmh;
    a.fenceId = fenceId;
    return a;
}

} // namespace Fleet::Sim
