#include "mapwidget.h"

#include "mapoverlay.h"

#include "tilelayer.h"
#include "vehiclelayer.h"
#include "util/clock.h"

#include <QContextMenuEvent>
#include <QGestureEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QPainter>
#include <QPinchGesture>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace Fleet::Map {

namespace {
constexpr double kDragThresholdPx = 4;
constexpr double kMinKineticSpeed = 40; // px/s below which momentum stops
constexpr double kKineticFriction = 4.0; // velocity decays by e^-friction per second
constexpr int kKineticFrameMs = 16;
constexpr double kKeyPanPx = 120;
} // namespace

MapWidget::MapWidget(QWidget *parent)
    : QWidget(parent)
    , m_tiles(new TileLayer(this))
    , m_vehicles(new VehicleLayer(this))
    , m_clock(Clock::system())
    , m_kinetic(this)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    grabGesture(Qt::PinchGesture);
    setMinimumSize(200, 150);
    setAccessibleName(tr("Map"));
    m_view.setSize(size());
    m_view.setZoom(3);
    connect(m_tiles, &TileLayer::updated, this, qOverload<>(&QWidget::update));
    connect(m_vehicles, &VehicleLayer::changed, this, qOverload<>(&QWidget::update));
    m_kinetic.setInterval(kKineticFrameMs);
    connect(&m_kinetic, &QTimer::timeout, this, &MapWidget::kineticStep);
}

MapWidget::~MapWidget() = default;

void MapWidget::setCentre(double lat, double lng)
{
    stopKinetic();
    m_view.setCentre(project(lat, lng));
    viewMoved();
}

void MapWidget::setZoom(double zoom)
{
    m_view.setZoom(zoom);
    viewMoved();
}

void MapWidget::setView(QPointF worldCentre, double zoom)
{
    // A glide would carry the map away from where it was asked to look.
    stopKinetic();
    m_view.setZoom(zoom);
    m_view.setCentre(worldCentre);
    viewMoved();
}

void MapWidget::fitWorldRect(const QRectF &world, int marginPx)
{
    const double w = std::max(1.0, double(width() - 2 * marginPx));
    const double h = std::max(1.0, double(height() - 2 * marginPx));
    double zoom = kMaxZoom;
    if (world.width() > 0 || world.height() > 0) {
        const double zx = world.width() > 0 ? std::log2(w / (world.width() * kTileSize)) : kMaxZoom;
        const double zy = world.height() > 0 ? std::log2(h / (world.height() * kTileSize)) : kMaxZoom;
        zoom = std::min({zx, zy, double(kMaxZoom)});
    }
    setView(world.center(), zoom);
}

void MapWidget::zoomBy(double levels)
{
    zoomAround(QPointF(width() / 2.0, height() / 2.0), m_view.zoom() + levels);
}

void MapWidget::panBy(QPointF screenDelta)
{
    m_view.panBy(screenDelta);
    viewMoved();
}

void MapWidget::setFollowed(const QString &imei)
{
    stopKinetic();
    m_followed = imei;
    recentreOnFollowed();
}

void MapWidget::vehiclesMoved()
{
    if (!m_followed.isEmpty() && !m_pressed)
        recentreOnFollowed();
}

void MapWidget::recentreOnFollowed()
{
    if (m_followed.isEmpty())
        return;
    const std::optional<VehicleMarker> marker = m_vehicles->marker(m_followed);
    if (!marker || !std::isfinite(marker->world.x()))
        return;
    if (m_view.centre() == marker->world)
        return;
    m_view.setCentre(marker->world);
    viewMoved();
}

void MapWidget::addOverlay(MapOverlay *overlay)
{
    if (!overlay || m_overlays.contains(overlay))
        return;
    m_overlays.append(overlay);
    connect(overlay, &MapOverlay::changed, this, qOverload<>(&QWidget::update));
    update();
}

void MapWidget::removeOverlay(MapOverlay *overlay)
{
    if (m_overlays.removeAll(overlay) > 0) {
        disconnect(overlay, nullptr, this, nullptr);
        update();
    }
}

void MapWidget::setDarkStyle(bool dark)
{
    m_dark = dark;
    m_tiles->setDarkStyle(dark);
    m_vehicles->setDarkStyle(dark);
    update();
}

void MapWidget::setTooltipProvider(std::function<QString(const QString &)> provider)
{
    m_tooltip = std::move(provider);
}

void MapWidget::setClock(const Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
}

qint64 MapWidget::now() const
{
    return m_clock->monotonicMs();
}

void MapWidget::viewMoved()
{
    update();
    Q_EMIT viewChanged();
}

void MapWidget::zoomAround(QPointF anchor, double zoom)
{
    // While following, zoom keeps the vehicle in the middle.
    if (!m_followed.isEmpty())
        anchor = QPointF(width() / 2.0, height() / 2.0);
    m_view.zoomAround(anchor, zoom);
    viewMoved();
}

void MapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    m_tiles->paint(&p, m_view);
    for (const QPointer<MapOverlay> &overlay : std::as_const(m_overlays)) {
        if (overlay)
            overlay->paint(&p, m_view);
    }
    m_vehicles->paint(&p, m_view);
    drawOverlays(p);
}

void MapWidget::drawOverlays(QPainter &p)
{
    const QColor ink = m_dark ? QColor(235, 235, 235) : QColor(30, 30, 30);
    const QColor paper = m_dark ? QColor(20, 20, 20, 190) : QColor(255, 255, 255, 200);
    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.85));
    p.setFont(small);
    const QFontMetrics fm(small);

    // Scale bar, bottom left.
    const QPointF centreGeo = unproject(m_view.centre());
    const ScaleBar bar = scaleBar(metresPerPixel(centreGeo.y(), m_view.zoom()), 120);
    if (bar.pixels > 0) {
        const int x = 12;
        const int y = height() - 14;
        const QRect labelRect(x, y - fm.height() - 6, int(bar.pixels) + 8, fm.height() + 10);
        p.fillRect(labelRect.adjusted(-4, -2, 4, 4), paper);
        p.setPen(QPen(ink, 2));
        p.drawLine(QPointF(x, y), QPointF(x + bar.pixels, y));
        p.drawLine(QPointF(x, y), QPointF(x, y - 6));
        p.drawLine(QPointF(x + bar.pixels, y), QPointF(x + bar.pixels, y - 6));
        p.drawText(QPointF(x + 4, y - 6), bar.label);
    }

    // Attribution, bottom right: the tile source's terms.
    const QString attribution = m_tiles->attribution();
    if (!attribution.isEmpty()) {
        const QRect r = fm.boundingRect(attribution).adjusted(-6, -3, 6, 3);
        const QRect placed(width() - r.width() - 2, height() - r.height() - 2, r.width(), r.height());
        p.fillRect(placed, paper);
        p.setPen(ink);
        p.drawText(placed, Qt::AlignCenter, attribution);
    }
}

void MapWidget::resizeEvent(QResizeEvent *)
{
    m_view.setSize(size());
    recentreOnFollowed();
    viewMoved();
}

void MapWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    stopKinetic();
    m_pressed = true;
    m_dragging = false;
    m_pressPos = m_lastPos = event->position();
    m_velocity = {};
    m_lastMoveMs = now();
}

void MapWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_pressed) {
        const VehicleLayer::Hit hit = m_vehicles->hitTest(m_view, event->position());
        setCursor(hit.kind == VehicleLayer::Hit::None ? Qt::ArrowCursor : Qt::PointingHandCursor);
        return;
    }
    const QPointF pos = event->position();
    if (!m_dragging && (pos - m_pressPos).manhattanLength() < kDragThresholdPx)
        return;
    if (!m_dragging) {
        m_dragging = true;
        setCursor(Qt::ClosedHandCursor);
        if (!m_followed.isEmpty()) {
            m_followed.clear();
            Q_EMIT followingStopped();
        }
    }
    const QPointF delta = pos - m_lastPos;
    const qint64 nowMs = now();
    const double dt = std::max<qint64>(1, nowMs - m_lastMoveMs) / 1000.0;
    m_lastMoveMs = nowMs;
    // Smooth the release velocity over the last few moves.
    m_velocity = m_velocity * 0.6 + (delta / dt) * 0.4;
    m_lastPos = pos;
    m_view.panBy(delta);
    viewMoved();
    Q_EMIT viewMovedByUser();
}

void MapWidget::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_pressed)
        return QWidget::mouseReleaseEvent(event);
    m_pressed = false;
    unsetCursor();
    if (!m_dragging) {
        const VehicleLayer::Hit hit = m_vehicles->hitTest(m_view, event->position());
        if (hit.kind == VehicleLayer::Hit::Vehicle) {
            Q_EMIT vehicleClicked(hit.imei);
        } else if (hit.kind == VehicleLayer::Hit::Cluster) {
            // Zoom until the cluster comes apart (at least two levels in).
            const double before = m_view.zoom();
            fitWorldRect(hit.worldBounds, 64);
            if (m_view.zoom() < before + 2)
                setView(hit.worldBounds.center(), before + 2);
            Q_EMIT viewMovedByUser();
        } else {
            Q_EMIT mapClicked(m_view.screenToWorld(event->position()), event->position());
        }
        return;
    }
    // Released while still moving: glide on.
    const qint64 nowMs = now();
    if (nowMs - m_lastMoveMs < 80 && std::hypot(m_velocity.x(), m_velocity.y()) > kMinKineticSpeed * 3) {
        m_lastKineticMs = nowMs;
        m_kinetic.start();
    }
}

void MapWidget::contextMenuEvent(QContextMenuEvent *event)
{
    const VehicleLayer::Hit hit = m_vehicles->hitTest(m_view, event->pos());
    if (hit.kind == VehicleLayer::Hit::Cluster) {
        QWidget::contextMenuEvent(event);
        return;
    }
    if (hit.kind != VehicleLayer::Hit::Vehicle) {
        Q_EMIT mapContextMenu(QPointF(event->pos()), event->globalPos());
        event->accept();
        return;
    }
    Q_EMIT vehicleContextMenu(hit.imei, event->globalPos());
    event->accept();
}

void MapWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const VehicleLayer::Hit hit = m_vehicles->hitTest(m_view, event->position());
    if (hit.kind == VehicleLayer::Hit::Vehicle) {
        Q_EMIT vehicleDoubleClicked(hit.imei);
        return;
    }
    zoomAround(event->position(), std::round(m_view.zoom()) + 1);
    Q_EMIT viewMovedByUser();
}

void MapWidget::kineticStep()
{
    const qint64 nowMs = now();
    const double dt = std::max<qint64>(1, nowMs - m_lastKineticMs) / 1000.0;
    m_lastKineticMs = nowMs;
    m_velocity *= std::exp(-kKineticFriction * dt);
    if (std::hypot(m_velocity.x(), m_velocity.y()) < kMinKineticSpeed) {
        stopKinetic();
        return;
    }
    m_view.panBy(m_velocity * dt);
    viewMoved();
}

void MapWidget::stopKinetic()
{
    m_kinetic.stop();
}

void MapWidget::wheelEvent(QWheelEvent *event)
{
    // A notch (120) is half a level: fine enough to aim, fast enough to travel.
    double steps = event->angleDelta().y() / 240.0;
    if (steps == 0 && !event->pixelDelta().isNull())
        steps = event->pixelDelta().y() / 200.0;
    if (steps == 0)
        return;
    stopKinetic();
    zoomAround(event->position(), m_view.zoom() + steps);
    Q_EMIT viewMovedByUser();
    event->accept();
}

void MapWidget::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(1); break;
    case Qt::Key_Minus: zoomBy(-1); break;
    case Qt::Key_Left: panBy(QPointF(kKeyPanPx, 0)); break;
    case Qt::Key_Right: panBy(QPointF(-kKeyPanPx, 0)); break;
    case Qt::Key_Up: panBy(QPointF(0, kKeyPanPx)); break;
    case Qt::Key_Down: panBy(QPointF(0, -kKeyPanPx)); break;
    default: QWidget::keyPressEvent(event); return;
    }
    Q_EMIT viewMovedByUser();
    if (event->key() >= Qt::Key_Left && event->key() <= Qt::Key_Down && !m_followed.isEmpty()) {
        m_followed.clear();
        Q_EMIT followingStopped();
    }
}

bool MapWidget::event(QEvent *event)
{
    switch (event->type()) {
    case QEvent::ToolTip: {
        auto *help = static_cast<QHelpEvent *>(event);
        const VehicleLayer::Hit hit = m_vehicles->hitTest(m_view, help->pos());
        QString text;
        if (hit.kind == VehicleLayer::Hit::Vehicle && m_tooltip)
            text = m_tooltip(hit.imei);
        else if (hit.kind == VehicleLayer::Hit::Cluster)
            text = tr("%n vehicles — click to zoom in", nullptr, hit.count);
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    case QEvent::Gesture: gesture(static_cast<QGestureEvent *>(event)); return true;
    case QEvent::NativeGesture: {
        auto *native = static_cast<QNativeGestureEvent *>(event);
        if (native->gestureType() == Qt::ZoomNativeGesture) {
            zoomAround(native->position(), m_view.zoom() + native->value() * 2);
            Q_EMIT viewMovedByUser();
            return true;
        }
        break;
    }
    default: break;
    }
    return QWidget::event(event);
}

void MapWidget::gesture(QGestureEvent *event)
{
    auto *pinch = static_cast<QPinchGesture *>(event->gesture(Qt::PinchGesture));
    if (!pinch)
        return;
    if (pinch->changeFlags() & QPinchGesture::ScaleFactorChanged) {
        const double factor = pinch->scaleFactor();
        if (factor > 0) {
            stopKinetic();
            zoomAround(mapFromGlobal(pinch->centerPoint()), m_view.zoom() + std::log2(factor));
            Q_EMIT viewMovedByUser();
        }
    }
    event->accept(pinch);
}

} // namespace Fleet::Map
