#pragma once

// Made-up vehicles for the playback widget tests, in UTC.

#include "history/trackexport.h"
#include "util/utc.h"

namespace PlaybackTest {

inline constexpr qint64 kT0 = 1'780'000'000; // 2026-05-28 20:26:40 UTC

inline QDateTime at(qint64 s)
{
    return Fleet::Utc::fromSecs(kT0 + s);
}

// East along 48.85 N: fixes every `step` seconds at `kmh`, from t0 for `count` fixes,
// a 20-minute parking after the first half, and a 15-minute gap (a tunnel) before the last quarter.
inline Fleet::TrackExport::Vehicle vehicle(const QString &imei, const QString &name, qint64 t0 = 0, int count = 40,
                                           qint64 step = 30, double kmh = 36.0)
{
    Fleet::VehicleHistory h;
    h.imei = imei;
    h.name = name;
    double x = 0;
    qint64 t = t0;
    for (int i = 0; i < count; ++i) {
        Fleet::Position p;
        p.imei = imei;
        p.gpsTime = at(t);
        p.lat = 48.85;
        p.lng = 2.35 + x / 73240.0;
        p.speedKmh = (i == count / 2) ? 0.0 : kmh;
        p.courseDeg = 90;
        p.acc = i != count / 2;
        p.satellites = 8;
        p.type = Fleet::PositionType::Gps;
        h.fixes.append(p);
        if (i == count / 2) {
            t += 1200; // parked 20 min
        } else if (i == count * 3 / 4) {
            t += 900; // tunnel
            x += 9000;
        } else {
            t += step;
            x += kmh / 3.6 * double(step);
        }
    }
    h.span = {at(t0), h.fixes.last().gpsTime};
    Fleet::Alarm a;
    a.imei = imei;
    a.typeId = QStringLiteral("1");
    a.typeName = QStringLiteral("SOS");
    a.time = h.fixes[5].gpsTime;
    a.lat = h.fixes[5].lat;
    a.lng = h.fixes[5].lng;
    h.alarms.append(a);
    return Fleet::TrackExport::prepare(h);
}

} // namespace PlaybackTest
