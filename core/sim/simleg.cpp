#include "sim/simleg.h"

#include "sim/simrandom.h"

#include <QVarLengthArray>

#include <algorithm>
#include <cmath>

namespace Fleet::Sim {

namespace {

constexpr double kMaxCruise = 125 / 3.6;
constexpr double kMinSpan = 1e-4;
// Harsh events: rates a tracker's accelerometer flags.
constexpr double kHarshAccel = 3.8;
constexpr double kHarshBrake = 5.0;

struct Section
{
    double s0 = 0;
    double s1 = 0;
    double cruise = 0;
    double vOut = 0;
    int stopSecs = 0;
    int limitKmh = 0;
    int road = 0;
    int piece = 0;
    RoadNetwork::Kind kind = RoadNetwork::Kind::Radial;
    bool endsAtJunction = false;
};

} // namespace

void SimLeg::build(const RoadNetwork &net, const RoadNetwork::Site &from, const RoadNetwork::Site &to,
                   const RoadNetwork::Way &way, const Driver &driver, quint64 seed)
{
    SimRandom rng(seed);
    m_net = &net;
    m_from = &from;
    m_to = &to;
    m_metres = way.metres;
    m_phases.clear();
    m_moments.clear();
    m_maxSpeedKmh = 0;
    net.route(from, to, way, m_pieces);

    // Split the route into sections, each driven at one cruise speed and ending
    // at a junction, a light, or a change in traffic.
    QVarLengthArray<Section, 64> sections;
    const auto cruiseFor = [&](const RoadNetwork::Piece &p) {
        if (p.kind == RoadNetwork::Kind::Driveway)
            return RoadNetwork::kDrivewayKmh / 3.6 * rng.uniform(0.5, 0.85);
        return std::min(kMaxCruise, p.limitKmh / 3.6 * driver.speedFactor * rng.uniform(0.9, 1.1));
    };
    for (std::size_t i = 0; i < m_pieces.size(); ++i) {
        const RoadNetwork::Piece &p = m_pieces[i];
        const double s1 = i + 1 < m_pieces.size() ? double(m_pieces[i + 1].start) : m_metres;
        double at = p.start;
        if (s1 - at < 0.5)
            continue;
        Section sec;
        sec.limitKmh = p.limitKmh;
        sec.kind = p.kind;
        sec.road = p.edge < 0 ? -1 : net.edge(p.edge).road;
        sec.piece = int(i);
        if (p.kind != RoadNetwork::Kind::Driveway) {
            while (s1 - at > 2200) {
                const double next = at + rng.uniform(900, 2000);
                sec.s0 = at;
                sec.s1 = next;
                sec.cruise = cruiseFor(p);
                sec.endsAtJunction = false;
                sections.append(sec);
                at = next;
            }
        }
        sec.s0 = at;
        sec.s1 = s1;
        sec.cruise = cruiseFor(p);
        sec.endsAtJunction = true;
        sections.append(sec);
    }

    const qsizetype count = sections.size();
    for (qsizetype i = 0; i + 1 < count; ++i) {
        Section &sec = sections[i];
        const Section &next = sections[i + 1];
        const double shared = std::min(sec.cruise, next.cruise);
        const double u = rng.uniform();
        const double w = rng.uniform();
        if (!sec.endsAtJunction) {
            if (u < 0.12) {
                sec.vOut = 0;
                sec.stopSecs = 10 + int(w * 81);
            } else {
                sec.vOut = u < 0.45 ? shared * (0.4 + 0.4 * w) : shared;
            }
        } else if (sec.kind == RoadNetwork::Kind::Driveway || next.kind == RoadNetwork::Kind::Driveway) {
            sec.vOut = (8 + 8 * w) / 3.6;
        } else {
            const bool straight = sec.kind == next.kind && sec.road == next.road;
            const bool town = std::min(sec.limitKmh, next.limitKmh) <= 50;
            const double lights = straight ? (town ? 0.3 : 0.15) : (town ? 0.4 : 0.25);
            if (u < lights) {
                sec.vOut = 0;
                sec.stopSecs = 10 + int(w * 81);
            } else {
                sec.vOut = straight ? shared * (0.65 + 0.35 * w) : (15 + 13 * w) / 3.6;
            }
        }
        sec.vOut = std::min(sec.vOut, shared);
    }
    if (count > 0)
        sections[count - 1].vOut = 0;

    // Make every junction speed reachable with the driver's normal rates, so
    // the profile never needs an implausible jump.
    for (qsizetype i = count - 2; i >= 0; --i) {
        const Section &next = sections[i + 1];
        const double reachable = std::sqrt(next.vOut * next.vOut + 2 * driver.decel * (next.s1 - next.s0));
        sections[i].vOut = std::min(sections[i].vOut, reachable);
    }
    double vIn = 0;
    for (Section &sec : sections) {
        sec.vOut = std::min(sec.vOut, std::sqrt(vIn * vIn + 2 * driver.accel * (sec.s1 - sec.s0)));
        vIn = sec.vOut;
    }

    double t = 0;
    double moving = 0;
    vIn = 0;
    // A tracker raises overspeed once per stretch of road and not every minute.
    int overspeedPiece = -1;
    double overspeedAt = -1e9;
    const auto push = [&](double s, double v, double a) {
        m_phases.push_back({float(t), float(s), float(v), float(a)});
    };
    for (const Section &sec : sections) {
        const double len = sec.s1 - sec.s0;
        const double c = sec.cruise;
        const double vOut = sec.vOut;
        // Draw both every time, so that one decision does not shift the rest.
        const double ua = rng.uniform();
        const double ub = rng.uniform();
        const bool harshAccel = c - vIn > 15 / 3.6 && ua < driver.harshAccelChance;
        const bool harshBrake = c - vOut > 25 / 3.6 && ub < driver.harshBrakeChance;
        const double a = harshAccel ? std::max(driver.accel, kHarshAccel) : driver.accel;
        const double d = harshBrake ? std::max(driver.decel, kHarshBrake) : driver.decel;

        double vp = std::sqrt((2 * a * d * len + d * vIn * vIn + a * vOut * vOut) / (a + d));
        vp = std::max(std::min(vp, c), std::max(vIn, vOut));
        const double ta = (vp - vIn) / a;
        const double sa = (vp * vp - vIn * vIn) / (2 * a);
        const double td = (vp - vOut) / d;
        const double sd = (vp * vp - vOut * vOut) / (2 * d);
        const double sc = std::max(0.0, len - sa - sd);
        const double tc = vp > 0 ? sc / vp : 0;

        double s = sec.s0;
        if (ta > kMinSpan) {
            push(s, vIn, a);
            if (harshAccel && vp - vIn > 12 / 3.6)
                m_moments.push_back({float(t + ta * 0.5), Event::HarshAcceleration});
            t += ta;
            s += sa;
        }
        if (tc > kMinSpan) {
            push(s, vp, 0);
            if (tc >= 12 && vp * 3.6 > sec.limitKmh + 10 && sec.piece != overspeedPiece
                && t + 10 - overspeedAt >= 300) {
                m_moments.push_back({float(t + 10), Event::Overspeed});
                overspeedPiece = sec.piece;
                overspeedAt = t + 10;
            }
            t += tc;
            s += sc;
        }
        if (td > kMinSpan) {
            push(s, vp, -d);
            if (harshBrake && vp > 35 / 3.6 && vp - vOut > 25 / 3.6)
                m_moments.push_back({float(t), Event::HarshBraking});
            t += td;
        }
        moving += ta + tc + td;
        if (sec.stopSecs > 0) {
            push(sec.s1, 0, 0);
            t += sec.stopSecs;
        }
        vIn = vOut;
    }
    if (m_phases.empty()) {
        push(0, 0, 0);
        t = 1;
        moving = 1;
    }
    m_end = t;
    m_durationSecs = std::max(1, int(std::ceil(t - 1e-6)));
    m_movingSecs = std::clamp(int(std::lround(moving)), 1, m_durationSecs);
    // From the stored speeds, which are what stateAt() interpolates between.
    for (const Phase &p : m_phases)
        m_maxSpeedKmh = std::max(m_maxSpeedKmh, double(p.v0) * 3.6);
    std::sort(m_moments.begin(), m_moments.end(), [](const Moment &x, const Moment &y) { return x.time < y.time; });
    pointAt(m_metres, &m_endHeading);
}

SimLeg::State SimLeg::stateAt(double t) const
{
    State st;
    if (t >= m_end) {
        st.metres = m_metres;
        st.pos = pointAt(m_metres, &st.heading);
        return st;
    }
    if (t <= 0) {
        st.pos = pointAt(0, &st.heading);
        return st;
    }
    const auto it = std::upper_bound(m_phases.begin(), m_phases.end(), t,
                                     [](double x, const Phase &p) { return x < p.t0; });
    const auto i = std::size_t(std::max<std::ptrdiff_t>(0, it - m_phases.begin() - 1));
    const Phase &p = m_phases[i];
    const double dt = t - p.t0;
    const bool last = i + 1 == m_phases.size();
    const double sNext = last ? m_metres : double(m_phases[i + 1].s0);
    st.metres = std::clamp(p.s0 + p.v0 * dt + 0.5 * p.a * dt * dt, double(p.s0), std::max(double(p.s0), sNext));
    // Each phase ends at the speed the next begins with (0 at the end), so the
    // clamp only removes rounding and keeps speeds within maxSpeedKmh().
    const double vNext = last ? 0.0 : double(m_phases[i + 1].v0);
    st.speedKmh = std::clamp(p.v0 + p.a * dt, std::min(double(p.v0), vNext), std::max(double(p.v0), vNext)) * 3.6;
    st.pos = pointAt(st.metres, &st.heading);
    return st;
}

QPointF SimLeg::pointAt(double metres, double *heading) const
{
    if (m_pieces.empty()) {
        if (heading)
            *heading = 0;
        return m_from->pos;
    }
    const auto it = std::upper_bound(m_pieces.begin(), m_pieces.end(), metres,
                                     [](double x, const RoadNetwork::Piece &p) { return x < p.start; });
    const auto i = std::size_t(std::max<std::ptrdiff_t>(0, it - m_pieces.begin() - 1));
    const RoadNetwork::Piece &p = m_pieces[i];
    return m_net->pointOn(p, metres - p.start, *m_from, *m_to, heading);
}

double SimLeg::timeAt(double metres) const
{
    if (metres <= 0)
        return 0;
    if (metres >= m_metres)
        return m_end;
    const auto it = std::upper_bound(m_phases.begin(), m_phases.end(), metres,
                                     [](double x, const Phase &p) { return x < p.s0; });
    const auto i = std::size_t(std::max<std::ptrdiff_t>(0, it - m_phases.begin() - 1));
    const Phase &p = m_phases[i];
    const double ds = metres - p.s0;
    double dt = 0;
    if (std::abs(p.a) < 1e-9)
        dt = p.v0 > 0 ? ds / p.v0 : 0;
    else
        dt = (-p.v0 + std::sqrt(std::max(0.0, double(p.v0) * p.v0 + 2 * p.a * ds))) / p.a;
    const double tEnd = i + 1 < m_phases.size() ? double(m_phases[i + 1].t0) : m_end;
    return std::clamp(p.t0 + dt, double(p.t0), tEnd);
}

} // namespace Fleet::Sim
