#include "geomath.h"

#include <algorithm>
#include <numbers>

namespace Fleet::Map {

QPointF project(double lat, double lng)
{
    const double clamped = std::clamp(lat, -kMaxLatitude, kMaxLatitude);
    const double s = std::sin(clamped * std::numbers::pi / 180.0);
    const double x = (lng + 180.0) / 360.0;
    const double y = 0.5 - std::log((1.0 + s) / (1.0 - s)) / (4.0 * std::numbers::pi);
    return {x, y};
}

QPointF unproject(QPointF world)
{
    const double lng = world.x() * 360.0 - 180.0;
    const double n = std::numbers::pi * (1.0 - 2.0 * world.y());
    const double lat = std::atan(std::sinh(n)) * 180.0 / std::numbers::pi;
    return {lng, lat};
}

double metresPerPixel(double lat, double zoom)
{
    const double clamped = std::clamp(lat, -kMaxLatitude, kMaxLatitude);
    return std::cos(clamped * std::numbers::pi / 180.0) * 2.0 * std::numbers::pi * kEarthRadiusM / worldSizePx(zoom);
}

QRectF TileId::worldRect() const
{
    const double n = double(1 << z);
    return QRectF(x / n, y / n, 1.0 / n, 1.0 / n);
}

ScaleBar scaleBar(double mpp, double maxPixels)
{
    ScaleBar bar;
    if (!(mpp > 0) || !(maxPixels > 0) || !std::isfinite(mpp))
        return bar;
    const double maxMetres = mpp * maxPixels;
    double step = std::pow(10.0, std::floor(std::log10(maxMetres)));
    for (const double f : {5.0, 2.0, 1.0}) {
        if (step * f <= maxMetres) {
            step *= f;
            break;
        }
    }
    bar.metres = step;
    bar.pixels = step / mpp;
    bar.label = step >= 1000 ? QStringLiteral("%1 km").arg(step / 1000.0, 0, 'g', 6)
                             : QStringLiteral("%1 m").arg(step, 0, 'g', 6);
    return bar;
}

} // namespace Fleet::Map
