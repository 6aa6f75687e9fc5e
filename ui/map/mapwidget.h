#pragma once

#include "mapviewport.h"

#include <QList>
#include <QPointF>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>

class QGestureEvent;

namespace Fleet {
class Clock;
}

namespace Fleet::Map {

class MapOverlay;
class TileLayer;
class TileSource;
class VehicleLayer;

// The live map: the tile layer under the vehicle layer, a scale bar and the
// source's attribution on top. Drag to pan (with momentum), wheel, pinch,
// double-click or +/- to zoom around the pointer, arrows to pan. A click on
// a vehicle selects it; a click on a cluster zooms in until it comes apart.
class MapWidget : public QWidget
{
    Q_OBJECT

public:
    explicit MapWidget(QWidget *parent = nullptr);
    ~MapWidget() override;

    TileLayer *tileLayer() const { return m_tiles; }
    VehicleLayer *vehicleLayer() const { return m_vehicles; }
    // Draws the overlay over the tiles and under the vehicles, in the order
    // added, and repaints when it changes. Not owned; it may be deleted first.
    void addOverlay(MapOverlay *overlay);
    void removeOverlay(MapOverlay *overlay);

    const MapViewport &viewport() const { return m_view; }
    void setCentre(double lat, double lng);
    void setZoom(double zoom);
    void setView(QPointF worldCentre, double zoom);
    // Zooms and centres so that the world rectangle fills the view less a margin.
    void fitWorldRect(const QRectF &world, int marginPx = 48);
    void zoomBy(double levels);
    void panBy(QPointF screenDelta);

    // The vehicle the map keeps in the middle; empty: none. Dragging the map
    // stops following.
    void setFollowed(const QString &imei);
    QString followed() const { return m_followed; }
    // Called by the owner when vehicles moved: a followed vehicle is re-centred.
    void vehiclesMoved();

    void setDarkStyle(bool dark);
    // What the hover tooltip says about a vehicle.
    void setTooltipProvider(std::function<QString(const QString &imei)> provider);

    // Whether the map still glides on after a throw, until friction stops it
    // (or a press, the wheel or a new view does).
    bool isGliding() const { return m_kinetic.isActive(); }
    // What times drags and glides (a throw's speed, a rest before release,
    // friction). Null: the system clock. Not owned.
    void setClock(const Clock *clock);

Q_SIGNALS:
    void vehicleClicked(const QString &imei);
    void vehicleDoubleClicked(const QString &imei);
    // A right click (or the menu key) on a vehicle: its menu, at globalPos.
    void vehicleContextMenu(const QString &imei, const QPoint &globalPos);
    // A click on neither a vehicle nor a cluster (an overlay may answer it).
    void mapClicked(const QPointF &world, const QPointF &screenPos);
    // A right click (or the menu key) on neither a vehicle nor a cluster (an overlay may answer it).
    void mapContextMenu(const QPointF &screenPos, const QPoint &globalPos);
    void followingStopped();
    void viewChanged();
    // The user dragged, zoomed or panned (not a programmatic move).
    void viewMovedByUser();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool event(QEvent *event) override;

private:
    void zoomAround(QPointF anchor, double zoom);
    void gesture(QGestureEvent *event);
    void kineticStep();
    void stopKinetic();
    qint64 now() const;
    void drawOverlays(QPainter &p);
    void viewMoved();
    void recentreOnFollowed();

    MapViewport m_view;
    TileLayer *m_tiles;
    VehicleLayer *m_vehicles;
    QList<QPointer<MapOverlay>> m_overlays;
    QString m_followed;
    bool m_dark = false;
    std::function<QString(const QString &)> m_tooltip;
    const Clock *m_clock;

    // Dragging and momentum.
    bool m_pressed = false;
    bool m_dragging = false;
    QPointF m_pressPos;
    QPointF m_lastPos;
    QPointF m_velocity; // px per second, smoothed
    qint64 m_lastMoveMs = 0; // monotonic ms of the press or the last move
    QTimer m_kinetic;
    qint64 m_lastKineticMs = 0; // monotonic ms of the glide's start or last step
};

} // namespace Fleet::Map
