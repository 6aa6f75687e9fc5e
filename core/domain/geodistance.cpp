#include "geodistance.h"

#include <QtMath>

#include <algorithm>
#include <cmath>

namespace Fleet {

double greatCircleM(const GeoPoint &a, const GeoPoint &b)
{
    const double p1 = qDegreesToRadians(a.lat);
    const double p2 = qDegreesToRadians(b.lat);
    const double dp = p2 - p1;
    const double dl = qDegreesToRadians(b.lng - a.lng);
    const double h = std::sin(dp / 2) * std::sin(dp / 2)
        + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

} // namespace Fleet
