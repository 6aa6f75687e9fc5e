#pragma once

#include "geomath.h"

#include <QPointF>
#include <QRectF>
#include <QSize>

namespace Fleet::Map {

// What part of the world a map shows: a centre (world coordinates, see
// geomath.h), a fractional zoom and the widget's size in pixels. Pure value:
// the widget owns one, layers paint through it, tests build their own.
class MapViewport
{
public:
    MapViewport() = default;
    MapViewport(QPointF centre, double zoom, QSize size);

    QPointF centre() const { return m_centre; }
    double zoom() const { return m_zoom; }
    QSize size() const { return m_size; }
    // Pixels per world unit.
    double scale() const { return m_scale; }

    // x wraps around the antimeridian; y is clamped so the world fills the view.
    void setCentre(QPointF world);
    // Clamped to [kMinZoom, kMaxZoom].
    void setZoom(double zoom);
    void setSize(QSize size);

    QPointF worldToScreen(QPointF world) const
    {
        return {(world.x() - m_centre.x()) * m_scale + m_size.width() / 2.0,
                (world.y() - m_centre.y()) * m_scale + m_size.height() / 2.0};
    }
    QPointF screenToWorld(QPointF screen) const
    {
        return {(screen.x() - m_size.width() / 2.0) / m_scale + m_centre.x(),
                (screen.y() - m_size.height() / 2.0) / m_scale + m_centre.y()};
    }
    QPointF geoToScreen(double lat, double lng) const { return worldToScreen(project(lat, lng)); }

    // The world rectangle on screen (x may run below 0 or beyond 1 near the antimeridian).
    QRectF visibleWorld() const;

    // Moves the view by a screen distance (drag: the world follows the pointer).
    void panBy(QPointF screenDelta);
    // Changes the zoom keeping the world point under `screenAnchor` where it is.
    void zoomAround(QPointF screenAnchor, double newZoom);

    // The integer tile level to draw at this zoom.
    int tileZoom() const;

    friend bool operator==(const MapViewport &a, const MapViewport &b)
    {
        return a.m_centre == b.m_centre && a.m_zoom == b.m_zoom && a.m_size == b.m_size;
    }

private:
    void clampCentre();

    QPointF m_centre{0.5, 0.5};
    double m_zoom = 2;
    double m_scale = worldSizePx(2);
    QSize m_size{256, 256};
};

} // namespace Fleet::Map
