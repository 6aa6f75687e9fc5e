#include "mapviewport.h"

#include <algorithm>

namespace Fleet::Map {

MapViewport::MapViewport(QPointF centre, double zoom, QSize size)
    : m_size(size)
{
    setZoom(zoom);
    setCentre(centre);
}

void MapViewport::setCentre(QPointF world)
{
    m_centre = world;
    clampCentre();
}

void MapViewport::setZoom(double zoom)
{
    m_zoom = std::clamp(zoom, double(kMinZoom), double(kMaxZoom));
    m_scale = worldSizePx(m_zoom);
    clampCentre();
}

void MapViewport::setSize(QSize size)
{
    m_size = size;
    clampCentre();
}

QRectF MapViewport::visibleWorld() const
{
    const double w = m_size.width() / m_scale;
    const double h = m_size.height() / m_scale;
    return QRectF(m_centre.x() - w / 2, m_centre.y() - h / 2, w, h);
}

void MapViewport::panBy(QPointF screenDelta)
{
    setCentre(m_centre - screenDelta / m_scale);
}

void MapViewport::zoomAround(QPointF screenAnchor, double newZoom)
{
    const QPointF anchorWorld = screenToWorld(screenAnchor);
    setZoom(newZoom);
    // Put anchorWorld back under the anchor.
    const QPointF nowAt = screenToWorld(screenAnchor);
    setCentre(m_centre + (anchorWorld - nowAt));
}

int MapViewport::tileZoom() const
{
    // Tiles are drawn scaled between 0.75× and 1.5×: round at z + 0.585 (log2 1.5).
    return std::clamp(int(std::floor(m_zoom + 0.415)), kMinZoom, kMaxZoom);
}

void MapViewport::clampCentre()
{
    double x = m_centre.x() - std::floor(m_centre.x());
    const double halfH = m_size.height() / 2.0 / m_scale;
    double y = m_centre.y();
    if (halfH >= 0.5)
        y = 0.5;
    else
        y = std::clamp(y, halfH, 1.0 - halfH);
    m_centre = QPointF(x, y);
}

} // namespace Fleet::Map
