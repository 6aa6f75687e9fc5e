#pragma once

#include "fence.h"

namespace Fleet {

// The mean Earth radius (IUGG), metres: what every distance here is measured on.
inline constexpr double kEarthRadiusM = 6371008.8;

// Great-circle distance in metres (haversine): tracks, trips and fences.
double greatCircleM(const GeoPoint &a, const GeoPoint &b);

} // namespace Fleet
