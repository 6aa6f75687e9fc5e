#pragma once

// What the fence tests and the fence benchmark share: places given in metres
// east and north of a point, and fences of every shape and size, seeded.

#include "fences/fencegeometry.h"

#include <QRandomGenerator>

#include <cmath>
#include <numbers>

namespace FenceTest {

inline constexpr double kMetresPerDegreeLat = 6371008.8 * std::numbers::pi / 180.0;

// The point eastM east and northM north of origin (the geometry's local plane).
inline Fleet::GeoPoint offset(const Fleet::GeoPoint &origin, double eastM, double northM)
{
    return Fleet::GeoPoint{origin.lat + northM / kMetresPerDegreeLat,
                           origin.lng
                               + eastM / (kMetresPerDegreeLat * std::cos(origin.lat * std::numbers::pi / 180.0))};
}

// A circle, rectangle or polygon of 3 to 10 vertices, 100 m to 2 km, around centre.
inline Fleet::FenceShape someFence(QRandomGenerator &random, const Fleet::GeoPoint &centre)
{
    using Fleet::FenceShape;
    const double size = 100 + random.bounded(1900.0);
    switch (random.bounded(3)) {
    case 0: return FenceShape::circle(centre, size);
    case 1: return FenceShape::rectangle(offset(centre, -size, -size / 2), offset(centre, size, size / 2));
    default: {
        QList<Fleet::GeoPoint> ring;
        const int n = 3 + int(random.bounded(8));
        for (int k = 0; k < n; ++k) {
            const double a = 2 * std::numbers::pi * k / n;
            const double r = size * (0.5 + random.bounded(0.5));
            ring.append(offset(centre, r * std::cos(a), r * std::sin(a)));
        }
        return FenceShape::polygon(ring);
    }
    }
}

} // namespace FenceTest
