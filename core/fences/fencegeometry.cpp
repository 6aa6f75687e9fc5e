#include "fencegeometry.h"

#include "preparedfence.h"

#include <cmath>

namespace Fleet {

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
