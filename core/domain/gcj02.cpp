#include "gcj02.h"

#include <cmath>

namespace Fleet::Gcj02 {

namespace {

// Krasovsky 1940 ellipsoid, as the published GCJ-02 algorithm uses.
constexpr double kA = 6378245.0;
constexpr double kEe = 0.00669342162296594323;
constexpr double kPi = 3.14159265358979323846;

#include "gcj02mainland.inc"

// Even-odd rule on one ring (open: its last point joins its first).
bool insideRing(const MainlandRing &ring, double lng, double lat)
{
    if (lng < ring.minLng || lng > ring.maxLng || lat < ring.minLat || lat > ring.maxLat)
        return false;
    bool inside = false;
    for (int i = 0, j = ring.count - 1; i < ring.count; j = i++) {
        const double xi = ring.points[i][0], yi = ring.points[i][1];
        const double xj = ring.points[j][0], yj = ring.points[j][1];
        if ((yi > lat) != (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi)
            inside = !inside;
    }
    return inside;
}

double transformLat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
    return r;
}

double transformLng(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return r;
}

} // namespace

bool insideChina(const GeoPoint &p)
{
    if (!std::isfinite(p.lat) || !std::isfinite(p.lng))
        return false;
    for (const MainlandRing &ring : kMainlandRings) {
        if (insideRing(ring, p.lng, p.lat))
            return true;
    }
    return false;
}

GeoPoint fromWgs84(const GeoPoint &p)
{
    if (!insideChina(p))
        return p;
    double dLat = transformLat(p.lng - 105.0, p.lat - 35.0);
    double dLng = transformLng(p.lng - 105.0, p.lat - 35.0);
    const double radLat = p.lat / 180.0 * kPi;
    double magic = std::sin(radLat);
    magic = 1 - kEe * magic * magic;
    const double sqrtMagic = std::sqrt(magic);
    dLat = (dLat * 180.0) / ((kA * (1 - kEe)) / (magic * sqrtMagic) * kPi);
    dLng = (dLng * 180.0) / (kA / sqrtMagic * std::cos(radLat) * kPi);
    return GeoPoint{p.lat + dLat, p.lng + dLng};
}

GeoPoint toWgs84(const GeoPoint &gcj)
{
    if (!insideChina(gcj))
        return gcj;
    GeoPoint w = gcj;
    for (int i = 0; i < 30; ++i) {
        const GeoPoint g = fromWgs84(w);
        const double eLat = g.lat - gcj.lat;
        const double eLng = g.lng - gcj.lng;
        w.lat -= eLat;
        w.lng -= eLng;
        if (std::fabs(eLat) < 1e-10 && std::fabs(eLng) < 1e-10)
            break;
    }
    return w;
}

} // namespace Fleet::Gcj02
