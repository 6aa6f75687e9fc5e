#include "preparedfence.h"

#include "domain/geodistance.h"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/segment.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace bg = boost::geometry;

namespace Fleet {

namespace {

using Point = bg::model::d2::point_xy<double>;
using Polygon = bg::model::polygon<Point>; // clockwise, closed
using Segment = bg::model::segment<Point>;
using Border = bg::model::linestring<Point>;

constexpr double kDegree = std::numbers::pi / 180.0;

bool finite(const GeoPoint &p)
{
    return std::isfinite(p.lat) && std::isfinite(p.lng) && std::abs(p.lat) <= 85.0 && std::abs(p.lng) <= 180.0;
}

} // namespace

struct PreparedFence::Data
{
    FenceShape shape;
    bool usable = false;
    GeoPoint origin; // of the local plane
    double metresPerDegreeLng = 0;
    double metresPerDegreeLat = kEarthRadiusM * kDegree;
    Polygon polygon; // rectangles and polygons
    Border border; // the polygon's ring as a line

    Point project(const GeoPoint &p) const
    {
        return Point((p.lng - origin.lng) * metresPerDegreeLng, (p.lat - origin.lat) * metresPerDegreeLat);
    }
    GeoPoint unproject(const Point &p) const
    {
        return GeoPoint{origin.lat + p.y() / metresPerDegreeLat, origin.lng + p.x() / metresPerDegreeLng};
    }
};

PreparedFence::PreparedFence(const FenceShape &shape)
    : d(std::make_unique<Data>())
{
    d->shape = shape;
    const QList<GeoPoint> &pts = shape.points;
    if (pts.isEmpty() || !std::all_of(pts.cbegin(), pts.cend(), finite))
        return;
    if (shape.kind == FenceShape::Kind::Circle) {
        d->origin = pts.constFirst();
        d->metresPerDegreeLng = kEarthRadiusM * kDegree * std::cos(d->origin.lat * kDegree);
        d->usable = pts.size() == 1 && std::isfinite(shape.radiusM) && shape.radiusM > 0 && shape.radiusM <= 1'000'000;
        return;
    }
    // The plane's origin is the middle of the box: fences astride the
    // antimeridian (a longitude span over 180°) are not supported.
    const auto [minLat,
                maxLat] = std::minmax_element(pts.cbegin(), pts.cend(),
                                              [](const GeoPoint &a, const GeoPoint &b) { return a.lat < b.lat; });
    const auto [minLng,
                maxLng] = std::minmax_element(pts.cbegin(), pts.cend(),
                                              [](const GeoPoint &a, const GeoPoint &b) { return a.lng < b.lng; });
    if (maxLng->lng - minLng->lng > 180.0)
        return;
    d->origin = GeoPoint{(minLat->lat + maxLat->lat) / 2, (minLng->lng + maxLng->lng) / 2};
    d->metresPerDegreeLng = kEarthRadiusM * kDegree * std::cos(d->origin.lat * kDegree);
    for (const GeoPoint &p : pts) {
        const Point q = d->project(p);
        // Repeated vertices add nothing.
        if (!d->border.empty() && bg::equals(d->border.back(), q))
            continue;
        d->border.push_back(q);
        bg::append(d->polygon.outer(), q);
    }
    if (d->border.size() >= 2 && bg::equals(d->border.front(), d->border.back())) {
        d->border.pop_back(); // closed by the caller
        d->polygon.outer().pop_back();
    }
    if (d->border.size() < 3)
        return;
    d->border.push_back(d->border.front());
    bg::correct(d->polygon); // orientation and closure
    d->usable = std::abs(bg::area(d->polygon)) > 0;
}

PreparedFence::~PreparedFence() = default;
PreparedFence::PreparedFence(PreparedFence &&) noexcept = default;
PreparedFence &PreparedFence::operator=(PreparedFence &&) noexcept = default;

const FenceShape &PreparedFence::shape() const
{
    return d->shape;
}

bool PreparedFence::isUsable() const
{
    return d->usable;
}

double PreparedFence::areaM2() const
{
    if (!d->usable)
        return 0;
    if (d->shape.kind == FenceShape::Kind::Circle)
        return std::numbers::pi * d->shape.radiusM * d->shape.radiusM;
    return std::abs(bg::area(d->polygon));
}

double PreparedFence::perimeterM() const
{
    if (!d->usable)
        return 0;
    if (d->shape.kind == FenceShape::Kind::Circle)
        return 2 * std::numbers::pi * d->shape.radiusM;
    return bg::length(d->border);
}

std::optional<GeoPoint> PreparedFence::selfCrossing() const
{
    if (d->shape.kind != FenceShape::Kind::Polygon || d->border.size() < 4)
        return std::nullopt;
    const std::size_t edges = d->border.size() - 1;
    const auto edge = [this](std::size_t i) { return Segment(d->border[i], d->border[i + 1]); };
    for (std::size_t i = 0; i < edges; ++i) {
        for (std::size_t j = i + 1; j < edges; ++j) {
            const bool adjacent = j == i + 1 || (i == 0 && j == edges - 1);
            std::vector<Point> at;
            bg::intersection(edge(i), edge(j), at);
            // Adjacent edges share their vertex; more than that (folding
            // back along each other) is a crossing too.
            for (const Point &p : at) {
                const bool shared = adjacent
                    && (bg::distance(p, d->border[j]) < 1e-6 || bg::distance(p, d->border[i]) < 1e-6);
                if (!shared)
                    return d->unproject(p);
            }
        }
    }
    return std::nullopt;
}

double PreparedFence::signedDistanceM(const GeoPoint &point) const
{
    if (!d->usable || !finite(point))
        return std::numeric_limits<double>::infinity();
    if (d->shape.kind == FenceShape::Kind::Circle)
        return greatCircleM(d->origin, point) - d->shape.radiusM;
    const Point p = d->project(point);
    const double toBorder = bg::distance(p, d->border);
    return bg::within(p, d->polygon) ? -toBorder : toBorder;
}

std::pair<GeoPoint, GeoPoint> PreparedFence::bounds(double marginM) const
{
    double south = 0, north = 0, west = 0, east = 0;
    if (d->shape.kind == FenceShape::Kind::Circle || d->border.empty()) {
        const double r = (d->shape.kind == FenceShape::Kind::Circle ? d->shape.radiusM : 0) + marginM;
        const double dLat = r / d->metresPerDegreeLat;
        const double dLng = d->metresPerDegreeLng > 0 ? r / d->metresPerDegreeLng : 180;
        south = d->origin.lat - dLat;
        north = d->origin.lat + dLat;
        west = d->origin.lng - dLng;
        east = d->origin.lng + dLng;
    } else {
        bg::model::box<Point> box;
        bg::envelope(d->border, box);
        const GeoPoint sw = d->unproject(Point(box.min_corner().x() - marginM, box.min_corner().y() - marginM));
        const GeoPoint ne = d->unproject(Point(box.max_corner().x() + marginM, box.max_corner().y() + marginM));
        south = sw.lat;
        west = sw.lng;
        north = ne.lat;
        east = ne.lng;
    }
    return {GeoPoint{std::max(-90.0, south), std::max(-180.0, west)},
            GeoPoint{std::min(90.0, north), std::min(180.0, east)}};
}

GeoPoint PreparedFence::centre() const
{
    if (d->shape.kind == FenceShape::Kind::Circle || !d->usable)
        return d->origin;
    Point c(0, 0);
    bg::centroid(d->polygon, c);
    return d->unproject(c);
}

} // namespace Fleet
