#pragma once

#include "domain/fence.h"

#include <QList>
#include <QMetaType>

#include <optional>

namespace Fleet {

// A fence's shape as drawn, in WGS-84: what the editor edits, the store
// keeps and the local engine evaluates. A circle is its centre and radius; a
// rectangle its four corners in order (so that it stays a rectangle while
// edited); a polygon its vertices in order, not closed (the last vertex is
// not repeated).
struct FenceShape
{
    enum class Kind { Circle, Rectangle, Polygon };
    Kind kind = Kind::Polygon;
    QList<GeoPoint> points; // circle: one, the centre
    double radiusM = 0; // circle

    friend bool operator==(const FenceShape &, const FenceShape &) = default;

    static FenceShape circle(const GeoPoint &centre, double radiusM);
    // The rectangle with two opposite corners, its sides along the meridians and parallels.
    static FenceShape rectangle(const GeoPoint &a, const GeoPoint &b);
    static FenceShape polygon(const QList<GeoPoint> &vertices);
};

// The geometry of fences, on Boost.Geometry. Shapes are measured in a
// local plane around each shape (an equirectangular projection in metres,
// good to well under 0.5% for fences up to 100 km across); shapes that
// cross the antimeridian or reach a pole are not supported (isUsable).
namespace FenceGeometry {

// A shape that can be measured and evaluated: finite coordinates in range,
// a positive radius, at least three distinct vertices, not astride the
// antimeridian, at most 100 km across.
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

Q_DECLARE_METATYPE(Fleet::FenceShape)
