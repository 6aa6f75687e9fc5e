#include "vehiclelayer.h"

#include "style/vehiclestyle.h"

#include <QPainter>
#include <QPen>

#include <algorithm>
#include <cmath>

namespace Fleet::Map {

namespace {

constexpr int kFadeLevels = 4; // trail segments are batched per status and fade level
const QSizeF kUnmeasured(-1, -1);

VehicleMarker normalised(VehicleMarker m)
{
    if (!m.hasFix()) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        m.world = QPointF(nan, nan);
    } else {
        // The layer works on x in [0, 1) and draws the copies either side.
        m.world.setX(m.world.x() - std::floor(m.world.x()));
    }
    return m;
}

bool samePoint(QPointF a, QPointF b)
{
    // Exact: QPointF's operator== is fuzzy.
    return a.x() == b.x() && a.y() == b.y();
}

bool sameMarker(const VehicleMarker &a, const VehicleMarker &b)
{
    const bool sameWorld = a.hasFix() ? b.hasFix() && samePoint(a.world, b.world) : !b.hasFix();
    return sameWorld && a.headingDeg == b.headingDeg && a.status == b.status && a.label == b.label
        && a.fixTime == b.fixTime;
}

constexpr int kLowestLabelPriority = 8;

// Labels are placed in this order: what a dispatcher must see first.
int labelPriority(VehicleStatus status)
{
    switch (status) {
    case VehicleStatus::Alarm: return 1;
    case VehicleStatus::Moving: return 2;
    case VehicleStatus::Idle: return 3;
    case VehicleStatus::Parked: return 4;
    case VehicleStatus::Offline: return 5;
    case VehicleStatus::NoFix: return 6;
    case VehicleStatus::Expired: return 7;
    }
    return kLowestLabelPriority;
}

bool withinRadius(QPointF a, QPointF b, double r)
{
    const double dx = a.x() - b.x();
    const double dy = a.y() - b.y();
    return dx * dx + dy * dy <= r * r;
}

// True when a segment certainly misses the rectangle (both ends beyond one edge).
bool outsideTogether(QPointF a, QPointF b, const QRectF &r)
{
    return (a.x() < r.left() && b.x() < r.left()) || (a.x() > r.right() && b.x() > r.right())
        || (a.y() < r.top() && b.y() < r.top()) || (a.y() > r.bottom() && b.y() > r.bottom());
}

QPoint pixelOf(const QTransform &device, QPointF logical)
{
    const QPointF d = device.map(logical);
    return {int(std::floor(d.x())), int(std::floor(d.y()))};
}

} // namespace

VehicleLayer::VehicleLayer(QObject *parent)
    : QObject(parent)
    , m_trailLines(std::size_t(kVehicleStatusCount * kFadeLevels))
{ }

VehicleLayer::~VehicleLayer() = default;

void VehicleLayer::touch(bool structural)
{
    ++m_generation;
    if (structural)
        ++m_structure;
}

bool VehicleLayer::apply(const QString &imei, const VehicleMarker &in)
{
    const VehicleMarker m = normalised(in);
    const auto it = m_index.constFind(imei);
    if (it == m_index.constEnd()) {
        const int slot = count();
        m_index.insert(imei, slot);
        Vehicle v{imei, m, VehicleSprites::markerIndex(m.status, m.headingDeg), VehicleTrail(m_trailLength)};
        m_vehicles.push_back(std::move(v));
        m_points.push_back(m.world);
        m_labelSizes.push_back(kUnmeasured);
        if (!m_selected.isEmpty() && imei == m_selected)
            m_selectedSlot = slot;
        return true;
    }
    const int slot = it.value();
    Vehicle &v = m_vehicles[std::size_t(slot)];
    if (sameMarker(v.marker, m))
        return false;
    if (v.marker.hasFix() && m.hasFix() && !samePoint(v.marker.world, m.world))
        v.trail.append(v.marker.world);
    if (v.marker.label != m.label)
        m_labelSizes[std::size_t(slot)] = kUnmeasured;
    v.marker = m;
    v.sprite = VehicleSprites::markerIndex(m.status, m.headingDeg);
    m_points[std::size_t(slot)] = m.world;
    return true;
}

void VehicleLayer::upsert(const QString &imei, const VehicleMarker &marker)
{
    if (!apply(imei, marker))
        return;
    touch();
    Q_EMIT changed();
}

void VehicleLayer::upsertMany(const QList<std::pair<QString, VehicleMarker>> &markers)
{
    bool any = false;
    for (const auto &[imei, marker] : markers)
        any = apply(imei, marker) || any;
    if (!any)
        return;
    touch();
    Q_EMIT changed();
}

void VehicleLayer::takeOut(int slot)
{
    const std::size_t s = std::size_t(slot);
    const std::size_t last = m_vehicles.size() - 1;
    if (m_selectedSlot == slot)
        m_selectedSlot = -1;
    if (s != last) {
        // Swap-remove keeps storage contiguous; only the moved vehicle's index changes.
        m_vehicles[s] = std::move(m_vehicles[last]);
        m_points[s] = m_points[last];
        m_labelSizes[s] = m_labelSizes[last];
        m_index[m_vehicles[s].imei] = slot;
        if (m_selectedSlot == int(last))
            m_selectedSlot = slot;
    }
    m_vehicles.pop_back();
    m_points.pop_back();
    m_labelSizes.pop_back();
}

bool VehicleLayer::remove(const QString &imei)
{
    const auto it = m_index.constFind(imei);
    if (it == m_index.constEnd())
        return false;
    const int slot = it.value();
    m_index.erase(it);
    takeOut(slot);
    touch(true);
    if (!m_selected.isEmpty() && imei == m_selected) {
        m_selected.clear();
        Q_EMIT selectionChanged(m_selected);
    }
    Q_EMIT changed();
    return true;
}

void VehicleLayer::clear()
{
    const bool hadSelection = !m_selected.isEmpty();
    m_vehicles.clear();
    m_points.clear();
    m_labelSizes.clear();
    m_index.clear();
    m_selected.clear();
    m_selectedSlot = -1;
    touch(true);
    if (hadSelection)
        Q_EMIT selectionChanged(m_selected);
    Q_EMIT changed();
}

int VehicleLayer::locatedCount() const
{
    return int(std::count_if(m_vehicles.cbegin(), m_vehicles.cend(), [](const auto &v) { return v.marker.hasFix(); }));
}

std::optional<VehicleMarker> VehicleLayer::marker(const QString &imei) const
{
    const auto it = m_index.constFind(imei);
    if (it == m_index.constEnd())
        return std::nullopt;
    return m_vehicles[std::size_t(it.value())].marker;
}

QList<QPointF> VehicleLayer::trail(const QString &imei) const
{
    QList<QPointF> out;
    const auto it = m_index.constFind(imei);
    if (it == m_index.constEnd())
        return out;
    const VehicleTrail &t = m_vehicles[std::size_t(it.value())].trail;
    out.reserve(t.size());
    for (int i = 0; i < t.size(); ++i)
        out.append(t.at(i));
    return out;
}

QRectF VehicleLayer::worldBounds() const
{
    // x as stored ([0, 1)) and shifted by a turn where that is shorter
    // ([0.5, 1.5)): whichever spans less is the fleet's box.
    double minX = 2, maxX = -1, minShifted = 2, maxShifted = -1;
    double minY = 2, maxY = -1;
    for (const QPointF &p : m_points) {
        if (!std::isfinite(p.y()))
            continue;
        const double shifted = p.x() < 0.5 ? p.x() + 1 : p.x();
        minX = std::min(minX, p.x());
        maxX = std::max(maxX, p.x());
        minShifted = std::min(minShifted, shifted);
        maxShifted = std::max(maxShifted, shifted);
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
    }
    if (maxY < minY)
        return {};
    // Under half a turn wide is the narrow way already.
    if (maxX - minX > 0.5 && maxShifted - minShifted < maxX - minX)
        return QRectF(QPointF(minShifted, minY), QPointF(maxShifted, maxY));
    return QRectF(QPointF(minX, minY), QPointF(maxX, maxY));
}

void VehicleLayer::setSelected(const QString &imei)
{
    if (imei == m_selected)
        return;
    m_selected = imei;
    m_selectedSlot = imei.isEmpty() ? -1 : m_index.value(imei, -1);
    touch();
    Q_EMIT selectionChanged(m_selected);
    Q_EMIT changed();
}

void VehicleLayer::setTrailLength(int points)
{
    points = std::max(0, points);
    if (points == m_trailLength)
        return;
    m_trailLength = points;
    for (Vehicle &v : m_vehicles)
        v.trail.setCapacity(points);
    touch();
    Q_EMIT changed();
}

void VehicleLayer::setClusterMaxZoom(double zoom)
{
    if (zoom == m_clusterMaxZoom)
        return;
    m_clusterMaxZoom = zoom;
    touch();
    Q_EMIT changed();
}

void VehicleLayer::setClusteringEnabled(bool enabled)
{
    if (enabled == m_clusteringEnabled)
        return;
    m_clusteringEnabled = enabled;
    touch();
    Q_EMIT changed();
}

void VehicleLayer::setLabelsVisible(bool visible)
{
    if (visible == m_labelsVisible)
        return;
    m_labelsVisible = visible;
    touch();
    Q_EMIT changed();
}

void VehicleLayer::setDarkStyle(bool dark)
{
    if (dark == m_sprites.darkStyle())
        return;
    m_sprites.setDarkStyle(dark);
    Q_EMIT changed();
}

void VehicleLayer::setDevicePixelRatio(qreal ratio)
{
    if (!(ratio > 0) || ratio == m_sprites.devicePixelRatio())
        return;
    m_sprites.setDevicePixelRatio(ratio);
    Q_EMIT changed();
}

QSizeF VehicleLayer::labelSizeOf(int vehicle) const
{
    QSizeF &size = m_labelSizes[std::size_t(vehicle)];
    if (size.width() < 0)
        size = m_sprites.labelSize(m_vehicles[std::size_t(vehicle)].marker.label);
    return size;
}

void VehicleLayer::layout(const MapViewport &viewport) const
{
    Frame &f = m_frame;
    if (f.valid && f.generation == m_generation && f.viewport == viewport)
        return;
    f.valid = true;
    f.viewport = viewport;
    f.generation = m_generation;
    f.structure = m_structure;
    f.world.clear();
    f.status.clear();
    f.vehicle.clear();
    f.selectedMarkers.clear();
    f.grid.clusters.clear();
    f.markers.clear();
    f.selectedStart = 0;
    f.clusters.clear();
    f.labels.clear();
    f.labelVehicle.clear();
    f.obstacles.clear();
    f.placed.clear();

    const QRectF view(QPointF(0, 0), QSizeF(viewport.size()));
    if (view.isEmpty() || m_vehicles.empty())
        return;
    const double scale = viewport.scale();
    f.clustered = m_clusteringEnabled && viewport.zoom() < m_clusterMaxZoom;

    // Cull in world coordinates, with a margin wide enough that every grid
    // cell reaching into the view is complete.
    const double marginPx = f.clustered ? kClusterCellPx + VehicleSprites::clusterRadius(count()) + 5
                                        : VehicleSprites::kHaloRadius + 2;
    const double margin = marginPx / scale;
    const QRectF visible = viewport.visibleWorld().adjusted(-margin, -margin, margin, margin);
    const double left = visible.left();
    const double right = visible.right();
    const double top = visible.top();
    const double bottom = visible.bottom();
    const int n = count();
    for (int i = 0; i < n; ++i) {
        const QPointF p = m_points[std::size_t(i)];
        // Also rejects NaN, a vehicle without a fix.
        if (!(p.y() >= top && p.y() <= bottom))
            continue;
        // The copies of the world (x + k) that fall into view.
        const int k0 = int(std::ceil(left - p.x()));
        const int k1 = int(std::floor(right - p.x()));
        for (int k = k0; k <= k1; ++k) {
            const QPointF w(p.x() + k, p.y());
            if (i == m_selectedSlot) {
                f.selectedMarkers.push_back({i, w, viewport.worldToScreen(w)});
                continue;
            }
            f.world.push_back(w);
            f.status.push_back(m_vehicles[std::size_t(i)].marker.status);
            f.vehicle.push_back(i);
        }
    }

    if (f.clustered)
        clusterByGrid(f.world, f.status, scale, kClusterCellPx, f.grid);

    // Drawing order: the rest, then alarms, then the selected vehicle.
    const double reach = VehicleSprites::kHaloRadius;
    const QRectF area = view.adjusted(-reach, -reach, reach, reach);
    for (const bool alarms : {false, true}) {
        for (std::size_t j = 0; j < f.world.size(); ++j) {
            if ((f.status[j] == VehicleStatus::Alarm) != alarms || (f.clustered && f.grid.clusterOf[j] >= 0))
                continue;
            const QPointF pos = viewport.worldToScreen(f.world[j]);
            if (area.contains(pos))
                f.markers.push_back({f.vehicle[j], f.world[j], pos});
        }
    }
    f.selectedStart = f.markers.size();
    for (const DrawnMarker &m : f.selectedMarkers) {
        if (area.contains(m.pos))
            f.markers.push_back(m);
    }
    if (f.clustered) {
        for (std::size_t c = 0; c < f.grid.clusters.size(); ++c) {
            const Cluster &cluster = f.grid.clusters[c];
            const QPointF pos = viewport.worldToScreen(cluster.centroid);
            const double r = VehicleSprites::clusterRadius(cluster.count);
            if (view.adjusted(-r - 5, -r - 5, r + 5, r + 5).contains(pos))
                f.clusters.push_back({int(c), pos, r});
        }
    }
    if (m_labelsVisible)
        layoutLabels(viewport);
}

void VehicleLayer::layoutLabels(const MapViewport &viewport) const
{
    Frame &f = m_frame;
    for (std::size_t j = 0; j < f.markers.size(); ++j) {
        const DrawnMarker &m = f.markers[j];
        const bool selected = j >= f.selectedStart;
        const double r = selected ? VehicleSprites::kHaloRadius : VehicleSprites::kMarkerRadius;
        // Obstacle j is marker j: the label's own icon, which it may touch.
        f.obstacles.emplace_back(m.pos.x() - r, m.pos.y() - r, 2 * r, 2 * r);
        const QSizeF size = labelSizeOf(m.vehicle);
        if (size.isEmpty())
            continue;
        const VehicleStatus status = m_vehicles[std::size_t(m.vehicle)].marker.status;
        // The selected vehicle's and alarms' labels show even over other icons.
        const bool important = selected || status == VehicleStatus::Alarm;
        f.labels.push_back({m.pos, size, r + 2, selected ? 0 : labelPriority(status), int(j), important});
        f.labelVehicle.push_back(m.vehicle);
    }
    for (const DrawnCluster &c : f.clusters) {
        const double r = c.radius + 4;
        f.obstacles.emplace_back(c.pos.x() - r, c.pos.y() - r, 2 * r, 2 * r);
    }
    m_placer.setBounds(QRectF(QPointF(0, 0), QSizeF(viewport.size())));
    const std::vector<LabelPlacer::Placement> &placed = m_placer.place(f.labels, f.obstacles);
    f.placed.assign(placed.begin(), placed.end());
}

void VehicleLayer::paint(QPainter *painter, const MapViewport &viewport)
{
    layout(viewport);
    m_stats = {};
    const Frame &f = m_frame;
    if (f.markers.empty() && f.clusters.empty())
        return;
    const QTransform device = painter->deviceTransform();
    if (!device.isInvertible())
        return;
    const qreal deviceScale = std::sqrt(std::abs(device.determinant()));
    if (std::abs(deviceScale - m_sprites.devicePixelRatio()) > 1e-6)
        m_sprites.setDevicePixelRatio(deviceScale);

    painter->save();
    // Draw in device pixels: images land 1:1 on whole pixels, which the
    // raster engine blends without resampling.
    painter->setWorldTransform(device.inverted() * painter->worldTransform());
    painter->setOpacity(1);
    painter->setCompositionMode(QPainter::CompositionMode_SourceOver);
    const auto blit = [painter](QPoint pixel, const VehicleSprites::Sprite &sprite) {
        painter->drawImage(pixel - sprite.anchor, sprite.image);
    };

    if (m_trailLength > 0)
        drawTrails(painter, viewport, device);
    for (const DrawnCluster &c : f.clusters) {
        const Cluster &cluster = f.grid.clusters[std::size_t(c.cluster)];
        blit(pixelOf(device, c.pos), m_sprites.cluster(cluster.count, cluster.statusCounts));
    }
    for (std::size_t j = 0; j < f.selectedStart; ++j)
        blit(pixelOf(device, f.markers[j].pos), m_sprites.marker(m_vehicles[std::size_t(f.markers[j].vehicle)].sprite));
    // Labels over the markers: an alarm's label that had to cover an icon
    // stays readable. The selected vehicle stays on top of everything.
    for (const LabelPlacer::Placement &placement : f.placed) {
        const int vehicle = f.labelVehicle[std::size_t(placement.label)];
        const QPointF topLeft = device.map(placement.rect.topLeft());
        painter->drawImage(QPoint(qRound(topLeft.x()), qRound(topLeft.y())),
                           m_sprites.label(m_vehicles[std::size_t(vehicle)].marker.label));
    }
    for (std::size_t j = f.selectedStart; j < f.markers.size(); ++j) {
        const QPoint pixel = pixelOf(device, f.markers[j].pos);
        blit(pixel, m_sprites.selectionHalo());
        blit(pixel, m_sprites.marker(m_vehicles[std::size_t(f.markers[j].vehicle)].sprite));
    }
    painter->restore();

    m_stats.markers = int(f.markers.size());
    m_stats.clusters = int(f.clusters.size());
    m_stats.labels = int(f.placed.size());
}

void VehicleLayer::drawTrails(QPainter *painter, const MapViewport &viewport, const QTransform &device)
{
    const Frame &f = m_frame;
    for (std::vector<QLineF> &lines : m_trailLines)
        lines.clear();
    const QRectF view(QPointF(0, 0), QSizeF(viewport.size()));
    int budget = kTrailSegmentBudget;
    // Newest segments first, so a trail cut short by the budget keeps its head.
    const auto addTrail = [&](const DrawnMarker &m) {
        const Vehicle &v = m_vehicles[std::size_t(m.vehicle)];
        const VehicleTrail &trail = v.trail;
        if (trail.isEmpty() || budget <= 0)
            return;
        ++m_stats.trails;
        std::vector<QLineF> *levels = &m_trailLines[std::size_t(v.marker.status) * std::size_t(kFadeLevels)];
        QPointF newer = m.world;
        QPointF newerPos = m.pos;
        for (int i = trail.size() - 1, age = 0; i >= 0 && budget > 0; --i, ++age) {
            QPointF w = trail.at(i);
            // The short way round: never a line across the whole world.
            w.rx() += std::round(newer.x() - w.x());
            const QPointF pos = viewport.worldToScreen(w);
            if (!outsideTogether(pos, newerPos, view)) {
                const int level = std::min(kFadeLevels - 1, age * kFadeLevels / std::max(1, m_trailLength));
                levels[level].emplace_back(device.map(pos), device.map(newerPos));
                --budget;
            }
            newer = w;
            newerPos = pos;
        }
    };
    for (std::size_t j = f.selectedStart; j < f.markers.size(); ++j)
        addTrail(f.markers[j]);
    // Too many in view: trails would only be noise (and cost). Otherwise by
    // the order labels are placed in, while the budget lasts.
    if (f.markers.size() <= std::size_t(kTrailVehicleLimit)) {
        for (int rank = labelPriority(VehicleStatus::Alarm); rank <= kLowestLabelPriority && budget > 0; ++rank) {
            for (std::size_t j = 0; j < f.selectedStart && budget > 0; ++j) {
                const DrawnMarker &m = f.markers[j];
                if (labelPriority(m_vehicles[std::size_t(m.vehicle)].marker.status) == rank)
                    addTrail(m);
            }
        }
    }

    painter->setRenderHint(QPainter::Antialiasing, true);
    QPen pen;
    pen.setWidthF(std::max(1.0, std::round(m_sprites.devicePixelRatio())));
    pen.setCapStyle(Qt::FlatCap);
    for (std::size_t b = 0; b < m_trailLines.size(); ++b) {
        const std::vector<QLineF> &lines = m_trailLines[b];
        if (lines.empty())
            continue;
        const int level = int(b) % kFadeLevels;
        QColor colour = vehicleStatusColor(VehicleStatus(int(b) / kFadeLevels));
        colour.setAlpha(220 * (kFadeLevels - level) / kFadeLevels);
        pen.setColor(colour);
        painter->setPen(pen);
        painter->drawLines(lines.data(), int(lines.size()));
    }
}

VehicleLayer::Hit VehicleLayer::hitTest(const MapViewport &viewport, QPointF screenPos) const
{
    // The last frame of this viewport as painted, as long as its vehicle
    // indices still hold.
    if (!(m_frame.valid && m_frame.viewport == viewport && m_frame.structure == m_structure))
        layout(viewport);
    const Frame &f = m_frame;
    const auto vehicleHit = [this](const DrawnMarker &m) {
        Hit hit;
        hit.kind = Hit::Vehicle;
        hit.imei = m_vehicles[std::size_t(m.vehicle)].imei;
        hit.count = 1;
        hit.worldBounds = QRectF(m.world, QSizeF(0, 0));
        return hit;
    };
    const auto markerAt = [&](std::size_t j) {
        const double r = j >= f.selectedStart ? VehicleSprites::kHaloRadius : VehicleSprites::kMarkerRadius;
        return withinRadius(f.markers[j].pos, screenPos, r);
    };
    for (std::size_t j = f.markers.size(); j-- > f.selectedStart;) {
        if (markerAt(j))
            return vehicleHit(f.markers[j]);
    }
    for (std::size_t l = f.placed.size(); l-- > 0;) {
        if (f.placed[l].rect.contains(screenPos)) {
            const int marker = f.labels[std::size_t(f.placed[l].label)].obstacle;
            return vehicleHit(f.markers[std::size_t(marker)]);
        }
    }
    for (std::size_t j = f.selectedStart; j-- > 0;) {
        if (markerAt(j))
            return vehicleHit(f.markers[j]);
    }
    for (std::size_t c = f.clusters.size(); c-- > 0;) {
        if (withinRadius(f.clusters[c].pos, screenPos, f.clusters[c].radius)) {
            const Cluster &cluster = f.grid.clusters[std::size_t(f.clusters[c].cluster)];
            Hit hit;
            hit.kind = Hit::Cluster;
            hit.count = cluster.count;
            hit.worldBounds = cluster.worldBounds;
            return hit;
        }
    }
    return {};
}

} // namespace Fleet::Map
