#pragma once

#include "fencegeometry.h"

#include <memory>

namespace Fleet {

// A fence shape made ready to be asked about many points: its local plane
// and its polygon built once (the local engine keeps one per fence). Cheap
// to move; Boost.Geometry stays inside the implementation.
class PreparedFence
{
public:
    explicit PreparedFence(const FenceShape &shape);
    ~PreparedFence();
    PreparedFence(PreparedFence &&) noexcept;
    PreparedFence &operator=(PreparedFence &&) noexcept;

    const FenceShape &shape() const;
    bool isUsable() const;
    double areaM2() const;
    double perimeterM() const;
    std::optional<GeoPoint> selfCrossing() const;
    // Negative inside, positive outside (metres); +infinity for an unusable shape.
    double signedDistanceM(const GeoPoint &point) const;
    std::pair<GeoPoint, GeoPoint> bounds(double marginM = 0) const;
    GeoPoint centre() const;

private:
    struct Data;
    std::unique_ptr<Data> d;
};

} // namespace Fleet
