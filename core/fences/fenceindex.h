#pragma once

#include "fencegeometry.h"

#include <QList>

#include <memory>

namespace Fleet {

// Many fences, asked which of them a position is near: an R-tree
// (Boost.Geometry) over their boxes, widened by a margin (the local engine's
// hysteresis band), then the exact distance to each candidate's border. A
// position is compared with the few fences around it, not with all of them.
class FenceIndex
{
public:
    FenceIndex();
    ~FenceIndex();
    FenceIndex(const FenceIndex &) = delete;
    FenceIndex &operator=(const FenceIndex &) = delete;

    // Adds or replaces a fence. False (and not added) for an unusable shape.
    bool insert(qint64 id, const FenceShape &shape, double marginM = 0);
    bool remove(qint64 id);
    void clear();
    int size() const;
    bool contains(qint64 id) const;

    struct Near
    {
        qint64 id = 0;
        double signedDistanceM = 0; // negative inside
        friend bool operator==(const Near &, const Near &) = default;
    };
    // The fences whose border is within marginM of point, or that hold it
    // (signedDistanceM <= marginM as inserted), in ascending id order.
    QList<Near> near(const GeoPoint &point) const;
    // The fence's signed distance to point (+infinity when unknown).
    double signedDistanceM(qint64 id, const GeoPoint &point) const;

private:
    struct Data;
    std::unique_ptr<Data> d;
};

} // namespace Fleet
