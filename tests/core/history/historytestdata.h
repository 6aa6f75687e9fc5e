#pragma once

// A small made-up day for the history tests: drive, park, drive, idle, drive
// through a tunnel (a gap), all in UTC, positions moving east along 48.85 N.

#include "domain/position.h"
#include "history/vehiclehistory.h"
#include "util/utc.h"

namespace HistoryTest {

inline constexpr qint64 kT0 = 1'780'000'000; // 2026-05-28 20:26:40 UTC
inline constexpr double kLat = 48.85;
inline constexpr double kMetresPerDegLng = 111320.0 * 0.6579; // cos(48.85°)

inline QDateTime at(qint64 s)
{
    return Fleet::Utc::fromSecs(kT0 + s);
}

inline Fleet::Position fixAt(qint64 s, double eastM, double kmh, std::optional<bool> acc = true,
                             Fleet::PositionType type = Fleet::PositionType::Gps)
{
    Fleet::Position p;
    p.imei = QStringLiteral("860000000000042");
    p.gpsTime = at(s);
    p.lat = kLat;
    p.lng = 2.35 + eastM / kMetresPerDegLng;
    p.speedKmh = kmh;
    p.courseDeg = 90.0;
    p.acc = acc;
    p.satellites = 9;
    p.type = type;
    return p;
}

// 0..600 s: drive 36 km/h (10 m/s), a fix every 30 s: 6 km... (6000 m)
// 600: ignition off (parking) until 7800 (2 h), then drive 600 s more
// 8400..8700: idle with the engine on, fixes every 30 s (300 s)
// 8700..9000: drive; 9000..10200: no fix (a tunnel, 12 km further on)
// 10200..10500: drive, last fix at 10500.
inline QList<Fleet::Position> day()
{
    QList<Fleet::Position> f;
    double x = 0;
    for (qint64 s = 0; s < 600; s += 30, x += 300)
        f.append(fixAt(s, x, 36.0));
    f.append(fixAt(600, x, 0.0, false)); // parked, ignition off; then silence
    for (qint64 s = 7800; s < 8400; s += 30, x += 300)
        f.append(fixAt(s, x, 36.0));
    for (qint64 s = 8400; s < 8700; s += 30)
        f.append(fixAt(s, x, 0.0, true));
    for (qint64 s = 8700; s <= 9000; s += 30, x += 300)
        f.append(fixAt(s, x, 36.0));
    x += 12000;
    for (qint64 s = 10200; s <= 10500; s += 30, x += 300)
        f.append(fixAt(s, x, 36.0));
    return f;
}

inline Fleet::VehicleHistory history(QList<Fleet::Position> fixes = day())
{
    Fleet::VehicleHistory h;
    h.imei = QStringLiteral("860000000000042");
    h.name = QStringLiteral("VAN-042");
    h.span = {at(0), at(10500)};
    h.fixes = std::move(fixes);
    return h;
}

} // namespace HistoryTest
