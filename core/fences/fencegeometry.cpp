#include "fencegeometry.h"

#include "preparedfence.h"

#include <cmath>

namespace Fleet {

FenceShape FenceShape::circle(const GeoPoint &centre, double radiusM)
{
    return FenceShape{Kind::Circle, {centre}, radiusM};
}

FenceShape FenceShape::rectangle(const GeoPoint &a, const GeoPoint &b)
{
    const double south = std::min(a.lat, b.lat);
    const double north = std::max(a.lat, b.lat);
    const double west = std::min(a.lng, b.lng);
    const double east = std::max(a.lng, b.lng);
    return FenceShape{Kind::Rectangle, {{north, west}, {north, east}, {south, east}, {south, west}}, 0};
}

FenceShape FenceShape::polygon(const QList<GeoPoint> &vertices)
{
    return FenceShape{Kind::Polygon, vertices, 0};
}

namespace FenceGeometry {

bool isUsable(const FenceShape &shape)
{
    return PreparedFence(shape).isUsable();
}

double areaM2(const FenceShape &shape)
{
    return PreparedFence(shape).areaM2();
}

double perimeterM(const FenceShape &shape)
{
    return PreparedFence(shape).perimeterM();
}

std::optional<GeoPoint> selfCrossing(const FenceShape &shape)
{
    return PreparedFence(shape).selfCrossing();
}

double signedDistanceM(const FenceShape &shape, const GeoPoint &point)
{
    return PreparedFence(shape).signedDistanceM(point);
}

std::pair<GeoPoint, GeoPoint> bounds(const FenceShape &shape, double marginM)
{
    return PreparedFence(shape).bounds(marginM);
}

GeoPoint centre(const FenceShape &shape)
{
    return PreparedFence(shape).centre();
}

} // namespace FenceGeometry

} // namespace Fleet
