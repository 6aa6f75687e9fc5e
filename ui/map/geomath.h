#pragma once

#include <QHashFunctions>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <cmath>

namespace Fleet::Map {

// Web Mercator (EPSG:3857) as slippy-map tiles use it.
//
// "World" coordinates are the Mercator plane normalised to the unit square:
// x from 0 (180° W) to 1 (180° E), y from 0 (85.0511° N) to 1 (85.0511° S).
// At zoom z the world is kTileSize * 2^z pixels wide; zoom may be fractional.
constexpr int kTileSize = 256;
constexpr int kMinZoom = 1;
constexpr int kMaxZoom = 19;
constexpr double kMaxLatitude = 85.0511287798066;
constexpr double kEarthRadiusM = 6378137.0;

// Latitude is clamped to ±kMaxLatitude; longitude is not wrapped.
QPointF project(double lat, double lng);
// The inverse: x() is the longitude, y() the latitude.
QPointF unproject(QPointF world);

inline double worldSizePx(double zoom)
{
    return kTileSize * std::exp2(zoom);
}

// Whether two rectangles share a point, edges included. Unlike
// QRectF::intersects(), a rectangle without height or width (the bounds of a
// road due east or due north) counts.
inline bool overlaps(const QRectF &a, const QRectF &b)
{
    return a.left() <= b.right() && a.right() >= b.left() && a.top() <= b.bottom() && a.bottom() >= b.top();
}

// Ground metres per screen pixel at a latitude and zoom.
double metresPerPixel(double lat, double zoom);

struct TileId
{
    int z = 0;
    int x = 0;
    int y = 0;

    bool isValid() const { return z >= 0 && z <= 30 && x >= 0 && y >= 0 && x < (1 << z) && y < (1 << z); }
    // The tile one level up that contains this one (invalid at z == 0).
    TileId parent() const { return z > 0 ? TileId{z - 1, x >> 1, y >> 1} : TileId{-1, 0, 0}; }
    // The tile's square in world coordinates.
    QRectF worldRect() const;
    QString toString() const { return QStringLiteral("%1/%2/%3").arg(z).arg(x).arg(y); }
    friend bool operator==(const TileId &, const TileId &) = default;
};

inline size_t qHash(const TileId &t, size_t seed = 0) noexcept
{
    return qHashMulti(seed, t.z, t.x, t.y);
}

// A length for a scale bar: a round number of metres (1, 2 or 5 × 10^n) or
// of kilometres, drawn `pixels` long, at most maxPixels.
struct ScaleBar
{
    double metres = 0;
    double pixels = 0;
    QString label;
};
ScaleBar scaleBar(double metresPerPixel, double maxPixels);

} // namespace Fleet::Map
