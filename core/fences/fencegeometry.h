#pragma once

#include "domain/fence.h"

#include <QList>
#include <QMetaType>

#include <optional>

namespace Fleet {

// The geometry of fences, on Boost.Geometry. Shapes are measured in a
// local plane around each shape (an equirectangular projection in metres,
// good to well under 0.5% for fences up to 100 km across). Its edges are
// straight in longitude and latitude, as GeoJSON's are, so containment holds
// for fences of any size; larger ones are only measured less exactly.
// Shapes astride the antimeridian or beyond 85° are not supported.
namespace FenceGeometry {

// A shape that can be measured and evaluated: finite coordinates within
// 85° of latitude, a positive radius (at most 1,000 km), at least three
// distinct vertices enclosing an area, not astride the antimeridian.
bool isUsable(const FenceShape &shape);

// Area (m²) and perimeter (m); 0 for an unusable shape.
double areaM2(const FenceShape &shape);
double perimeterM(const FenceShape &shape);

// Where a polygon's border crosses itself (a vertex touching a non-adjacent
// edge counts), the first crossing along its edges; nullopt for a simple
// polygon, a rectangle or a circle. A self-crossing fence is refused with
// this point marked.
std::optional<GeoPoint> selfCrossing(const FenceShape &shape);

// How far point is from the fence's border, in metres: negative inside,
// positive outside (0 on it). The local engine's hysteresis compares this
// with its margins.
double signedDistanceM(const FenceShape &shape, const GeoPoint &point);
inline bool contains(const FenceShape &shape, const GeoPoint &point)
{
    return signedDistanceM(shape, point) <= 0;
}

// The box around the shape, widened by marginM on every side: south-west
// and north-east corners (for the spatial index).
std::pair<GeoPoint, GeoPoint> bounds(const FenceShape &shape, double marginM = 0);

// The shape's centre: a circle's centre, a polygon's centroid.
GeoPoint centre(const FenceShape &shape);

} // namespace FenceGeometry

} // namespace Fleet

