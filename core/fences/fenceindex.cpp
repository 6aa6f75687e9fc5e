#include "fenceindex.h"

#include "preparedfence.h"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <vector>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace Fleet {

namespace {

// Boxes in degrees (longitude, latitude): only for finding candidates.
using Degrees = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Degrees>;
using Entry = std::pair<Box, qint64>;

struct Fence
{
    PreparedFence prepared;
    double marginM = 0;
    Box box;
};

} // namespace

struct FenceIndex::Data
{
    bgi::rtree<Entry, bgi::rstar<16>> tree;
    std::unordered_map<qint64, Fence> fences;
};

FenceIndex::FenceIndex()
    : d(std::make_unique<Data>())
{ }

FenceIndex::~FenceIndex() = default;

bool FenceIndex::insert(qint64 id, const FenceShape &shape, double marginM)
{
    PreparedFence prepared(shape);
    if (!prepared.isUsable() || !std::isfinite(marginM) || marginM < 0)
        return false;
    remove(id);
    const auto [sw, ne] = prepared.bounds(marginM);
    const Box box(Degrees(sw.lng, sw.lat), Degrees(ne.lng, ne.lat));
    d->tree.insert(Entry(box, id));
    d->fences.emplace(id, Fence{std::move(prepared), marginM, box});
    return true;
}

bool FenceIndex::remove(qint64 id)
{
    const auto it = d->fences.find(id);
    if (it == d->fences.end())
        return false;
    d->tree.remove(Entry(it->second.box, id));
    d->fences.erase(it);
    return true;
}

void FenceIndex::clear()
{
    d->tree.clear();
    d->fences.clear();
}

int FenceIndex::size() const
{
    return int(d->fences.size());
}

bool FenceIndex::contains(qint64 id) const
{
    return d->fences.count(id) > 0;
}

QList<FenceIndex::Near> FenceIndex::near(const GeoPoint &point) const
{
    QList<Near> out;
    if (!std::isfinite(point.lat) || !std::isfinite(point.lng))
        return out;
    std::vector<Entry> candidates;
    d->tree.query(bgi::intersects(Degrees(point.lng, point.lat)), std::back_inserter(candidates));
    for (const Entry &e : candidates) {
        const Fence &f = d->fences.at(e.second);
        const double distance = f.prepared.signedDistanceM(point);
        if (distance <= f.marginM)
            out.append(Near{e.second, distance});
    }
    std::sort(out.begin(), out.end(), [](const Near &a, const Near &b) { return a.id < b.id; });
    return out;
}

double FenceIndex::signedDistanceM(qint64 id, const GeoPoint &point) const
{
    const auto it = d->fences.find(id);
    return it == d->fences.end() ? std::numeric_limits<double>::infinity() : it->second.prepared.signedDistanceM(point);
}

} // namespace Fleet
