#include "trackanalysis.h"

#include "domain/geodistance.h"

#include <QtMath>

#include <algorithm>
#include <cmath>

namespace Fleet::TrackAnalysis {

namespace {


// Each fix's speed: the one it reports, else (LBS and Wi-Fi fixes often
// carry none) the pace from the fix before it, or to the one after it.
std::vector<double> speeds(const QList<Position> &fixes)
{
    std::vector<double> out(std::size_t(fixes.size()), 0.0);
    const auto pace = [&](qsizetype a, qsizetype b) {
        const qint64 secs = fixes[a].gpsTime.secsTo(fixes[b].gpsTime);
        return secs > 0 ? distanceM(fixes[a].lat, fixes[a].lng, fixes[b].lat, fixes[b].lng) / double(secs) * 3.6 : 0.0;
    };
    for (qsizetype i = 0; i < fixes.size(); ++i) {
        if (fixes[i].speedKmh)
            out[std::size_t(i)] = *fixes[i].speedKmh;
        else if (i > 0)
            out[std::size_t(i)] = pace(i - 1, i);
        else if (i + 1 < fixes.size())
            out[std::size_t(i)] = pace(i, i + 1);
    }
    return out;
}

bool standing(double speedKmh, const Settings &s)
{
    return speedKmh <= s.stopSpeedKmh;
}

bool overlaps(const QDateTime &a0, const QDateTime &a1, const QDateTime &b0, const QDateTime &b1)
{
    return a0 < b1 && b0 < a1;
}

// Figures of the fixes [first, last] of one trip.
TripSummary measure(const QList<Position> &fixes, const std::vector<double> &speed, qsizetype first, qsizetype last,
                    const Settings &s)
{
    TripSummary t;
    const Position &a = fixes[first];
    const Position &b = fixes[last];
    t.start = a.gpsTime;
    t.end = b.gpsTime;
    t.startLat = a.lat;
    t.startLng = a.lng;
    t.endLat = b.lat;
    t.endLng = b.lng;
    double metres = 0.0;
    for (qsizetype i = first; i <= last; ++i) {
        const Position &p = fixes[i];
        t.maxSpeedKmh = std::max(t.maxSpeedKmh, speed[std::size_t(i)]);
        if (i == first)
            continue;
        const Position &q = fixes[i - 1];
        metres += distanceM(q.lat, q.lng, p.lat, p.lng);
        if (standing(speed[std::size_t(i - 1)], s) && standing(speed[std::size_t(i)], s) && q.acc.value_or(true))
            t.idleSecs += q.gpsTime.secsTo(p.gpsTime);
    }
    t.distanceKm = metres / 1000.0;
    const qint64 moving = t.seconds() - t.idleSecs;
    t.avgSpeedKmh = moving > 0 ? t.distanceKm / (double(moving) / 3600.0) : 0.0;
    return t;
}

} // namespace

double distanceM(double lat1, double lng1, double lat2, double lng2)
{
    return greatCircleM(GeoPoint{lat1, lng1}, GeoPoint{lat2, lng2});
}

QList<Stop> deriveStops(const QList<Position> &fixes, const Settings &s)
{
    QList<Stop> stops;
    const std::vector<double> speed = speeds(fixes);
    qsizetype i = 0;
    const qsizetype n = fixes.size();
    while (i < n) {
        // A standstill begins at a standing fix; it goes on over standing
        // fixes, and over silences (a parked device sends nothing), while the
        // vehicle stays within the radius of where it began.
        if (!standing(speed[std::size_t(i)], s)) {
            ++i;
            continue;
        }
        const Position &anchor = fixes[i];
        bool ignitionOff = anchor.acc == false;
        qsizetype j = i;
        while (j + 1 < n) {
            const Position &next = fixes[j + 1];
            if (distanceM(anchor.lat, anchor.lng, next.lat, next.lng) > s.stopRadiusM)
                break;
            // A moving fix ends the standstill; the silence before it was still standing.
            if (!standing(speed[std::size_t(j + 1)], s))
                break;
            ignitionOff = ignitionOff || next.acc == false;
            ++j;
        }
        // The stop lasts until the vehicle is seen moving again: the next
        // fix's time when it is near, else the last standing fix's.
        QDateTime to = fixes[j].gpsTime;
        if (j + 1 < n && distanceM(anchor.lat, anchor.lng, fixes[j + 1].lat, fixes[j + 1].lng) <= s.stopRadiusM)
            to = fixes[j + 1].gpsTime;
        else if (j + 1 < n && fixes[j].gpsTime.secsTo(fixes[j + 1].gpsTime) > s.gapSecs)
            to = fixes[j].gpsTime; // moved during a silence: the stop ends with its last fix
        if (anchor.gpsTime.secsTo(to) >= s.minStopSecs) {
            stops.append(Stop{anchor.gpsTime, to, anchor.lat, anchor.lng,
                              ignitionOff ? StopKind::Parking : StopKind::Idling, Origin::Derived, {}});
        }
        i = j + 1;
    }
    return stops;
}

QList<TripSummary> deriveTrips(const QList<Position> &fixes, const QList<Stop> &stops, const Settings &s)
{
    QList<TripSummary> trips;
    const std::vector<double> speed = speeds(fixes);
    const qsizetype n = fixes.size();
    qsizetype stop = 0;
    qsizetype i = 0;
    while (i < n) {
        // Skip the fixes inside a stop; a stop's last moment starts the next trip.
        while (stop < stops.size() && stops[stop].to <= fixes[i].gpsTime)
            ++stop;
        if (stop < stops.size() && fixes[i].gpsTime >= stops[stop].from && fixes[i].gpsTime < stops[stop].to) {
            ++i;
            continue;
        }
        // A trip runs from here to the first fix at or after the next stop's start.
        qsizetype j = i;
        const QDateTime until = stop < stops.size() ? stops[stop].from : QDateTime();
        while (j + 1 < n && (!until.isValid() || fixes[j].gpsTime < until))
            ++j;
        bool moved = false;
        for (qsizetype k = i; k <= j && !moved; ++k)
            moved = !standing(speed[std::size_t(k)], s);
        if (j > i && moved)
            trips.append(measure(fixes, speed, i, j, s));
        i = j + 1;
    }
    return trips;
}

QList<Gap> gaps(const QList<Position> &fixes, const Settings &s)
{
    QList<Gap> out;
    for (qsizetype i = 0; i + 1 < fixes.size(); ++i) {
        const Position &a = fixes[i];
        const Position &b = fixes[i + 1];
        if (a.gpsTime.secsTo(b.gpsTime) > s.gapSecs && distanceM(a.lat, a.lng, b.lat, b.lng) > s.stopRadiusM)
            out.append(Gap{i, a.gpsTime, b.gpsTime});
    }
    return out;
}

Summary analyse(const VehicleHistory &h, const Settings &s)
{
    Summary out;
    // The cloud's stops first; derived ones where the cloud saw none.
    for (const StopPeriod &p : h.stops) {
        if (!p.start.isValid() || !p.end.isValid() || !p.lat || !p.lng)
            continue;
        out.stops.append(Stop{p.start, p.end, *p.lat, *p.lng, p.accOn.value_or(false) ? StopKind::Idling : StopKind::Parking,
                              Origin::Cloud, p.address});
    }
    const QList<Stop> derived = deriveStops(h.fixes, s);
    for (const Stop &d : derived) {
        const bool known = std::any_of(out.stops.cbegin(), out.stops.cend(), [&](const Stop &c) {
            return c.origin == Origin::Cloud && overlaps(c.from, c.to, d.from, d.to);
        });
        if (!known)
            out.stops.append(d);
    }
    std::sort(out.stops.begin(), out.stops.end(), [](const Stop &a, const Stop &b) { return a.from < b.from; });

    // The cloud's trips, completed from the fixes where it left figures out.
    const std::vector<double> speed = h.trips.isEmpty() ? std::vector<double>() : speeds(h.fixes);
    for (const Trip &c : h.trips) {
        if (!c.start.isValid() || !c.end.isValid())
            continue;
        TripSummary t;
        const auto first = std::lower_bound(h.fixes.cbegin(), h.fixes.cend(), c.start,
                                            [](const Position &p, const QDateTime &at) { return p.gpsTime < at; });
        const auto last = std::upper_bound(h.fixes.cbegin(), h.fixes.cend(), c.end,
                                           [](const QDateTime &at, const Position &p) { return at < p.gpsTime; });
        if (last - first >= 2)
            t = measure(h.fixes, speed, first - h.fixes.cbegin(), (last - h.fixes.cbegin()) - 1, s);
        t.start = c.start;
        t.end = c.end;
        t.origin = Origin::Cloud;
        if (c.startLat && c.startLng) {
            t.startLat = c.startLat;
            t.startLng = c.startLng;
        }
        if (c.endLat && c.endLng) {
            t.endLat = c.endLat;
            t.endLng = c.endLng;
        }
        if (c.distanceKm)
            t.distanceKm = *c.distanceKm; // BUG-02: kilometres as sent
        if (c.maxSpeedKmh)
            t.maxSpeedKmh = std::max(t.maxSpeedKmh, *c.maxSpeedKmh);
        if (c.idleSeconds)
            t.idleSecs = *c.idleSeconds;
        const qint64 moving = c.runSeconds ? qint64(*c.runSeconds) : t.seconds() - t.idleSecs;
        t.avgSpeedKmh = c.avgSpeedKmh ? *c.avgSpeedKmh
            : moving > 0              ? t.distanceKm / (double(moving) / 3600.0)
                                      : 0.0;
        out.trips.append(t);
    }
    for (const TripSummary &d : deriveTrips(h.fixes, derived, s)) {
        const bool known = std::any_of(out.trips.cbegin(), out.trips.cend(), [&](const TripSummary &c) {
            return c.origin == Origin::Cloud && overlaps(c.start, c.end, d.start, d.end);
        });
        if (!known)
            out.trips.append(d);
    }
    std::sort(out.trips.begin(), out.trips.end(),
              [](const TripSummary &a, const TripSummary &b) { return a.start < b.start; });
    out.gaps = gaps(h.fixes, s);

    Totals &t = out.totals;
    for (const TripSummary &trip : std::as_const(out.trips)) {
        t.distanceKm += trip.distanceKm;
        t.movingSecs += std::max<qint64>(0, trip.seconds() - trip.idleSecs);
        t.idleSecs += trip.idleSecs;
        t.maxSpeedKmh = std::max(t.maxSpeedKmh, trip.maxSpeedKmh);
    }
    for (const Stop &stop : std::as_const(out.stops))
        (stop.kind == StopKind::Parking ? t.parkingSecs : t.idleSecs) += stop.seconds();
    t.trips = int(out.trips.size());
    t.stops = int(out.stops.size());
    t.avgSpeedKmh = t.movingSecs > 0 ? t.distanceKm / (double(t.movingSecs) / 3600.0) : 0.0;
    return out;
}

} // namespace Fleet::TrackAnalysis
