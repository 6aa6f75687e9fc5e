#pragma once

#include "clustering.h"
#include "labelplacer.h"
#include "mapviewport.h"
#include "vehiclesprites.h"
#include "vehicletrail.h"

#include "domain/vehiclestatus.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QLineF>
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

class QPainter;

namespace Fleet::Map {

// One vehicle as the map draws it.
struct VehicleMarker
{
    // Normalised Mercator (geomath.h); NaN: no fix, the vehicle is not drawn.
    QPointF world{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    std::optional<double> headingDeg; // clockwise from north
    VehicleStatus status = VehicleStatus::NoFix;
    QString label; // name or plate
    QDateTime fixTime;

    bool hasFix() const { return std::isfinite(world.x()) && std::isfinite(world.y()); }
};

// The map's vehicle layer: holds every vehicle's marker (O(1) updates through
// an IMEI index into contiguous storage) with a short live trail each, and
// paints them for the map widget: status-coloured markers turned to their
// heading, grid clusters below clusterMaxZoom(), non-overlapping labels and
// fading trails, with the selected vehicle on top. The widget calls paint()
// from its paintEvent, update() on changed(), and hitTest() for clicks.
//
// A frame is laid out once per viewport and data change (cull, cluster,
// place labels; O(n), into buffers reused from frame to frame), then drawn
// from pre-rendered images (VehicleSprites) at whole device pixels, bottom
// to top: trails, clusters, markers (alarms over the rest), labels, the
// selected vehicle. hitTest() answers from the same layout, topmost first.
class VehicleLayer : public QObject
{
    Q_OBJECT
public:
    struct Hit
    {
        enum Kind { None, Vehicle, Cluster };
        Kind kind = None;
        QString imei; // Vehicle
        int count = 0; // Cluster: its members; Vehicle: 1
        // Cluster: the members' bounding box, to zoom to so that it falls
        // apart; Vehicle: its point. World coordinates on the copy of the
        // world that was hit (x may lie outside [0, 1) near the antimeridian).
        QRectF worldBounds;
    };

    // What the last paint() drew.
    struct FrameStats
    {
        int markers = 0;
        int clusters = 0;
        int labels = 0;
        int trails = 0;
    };

    static constexpr int kDefaultTrailLength = 20;
    static constexpr double kDefaultClusterMaxZoom = 12;
    static constexpr double kClusterCellPx = 64;
    // Above this many markers in view only the selected vehicle's trail is drawn.
    static constexpr int kTrailVehicleLimit = 2000;
    // At most this many trail segments a frame (antialiased lines are the
    // costliest thing the layer draws): the selected vehicle's first, then
    // alarms, moving, idle, ... vehicles'.
    static constexpr int kTrailSegmentBudget = 6000;

    explicit VehicleLayer(QObject *parent = nullptr);
    ~VehicleLayer() override;

    // Adds or updates a vehicle. When its position changes, the old one goes
    // onto its trail.
    void upsert(const QString &imei, const VehicleMarker &marker);
    // Many at once, with one changed().
    void upsertMany(const QList<std::pair<QString, VehicleMarker>> &markers);
    bool remove(const QString &imei);
    void clear();
    int count() const { return int(m_vehicles.size()); }
    // Vehicles with a fix: the ones that can be on the map.
    int locatedCount() const;
    bool contains(const QString &imei) const { return m_index.contains(imei); }
    // The marker as stored: world x wrapped into [0, 1). The widget builds
    // its tooltip from it.
    std::optional<VehicleMarker> marker(const QString &imei) const;
    // The trail's world points, oldest first, without the current position.
    QList<QPointF> trail(const QString &imei) const;
    // The box around every vehicle with a fix (null when there is none), the
    // narrower way round the world: a fleet on both sides of the antimeridian
    // gets x beyond 1 rather than a box around the whole world. O(n).
    QRectF worldBounds() const;

    // Draws a halo around the vehicle, keeps it out of clusters and on top of
    // everything. An IMEI not (yet) in the layer is kept and applies once it
    // arrives; removing the vehicle clears the selection. Empty: none.
    void setSelected(const QString &imei);
    QString selected() const { return m_selected; }

    void setTrailLength(int points);
    int trailLength() const { return m_trailLength; }
    // Clustering applies at zoom levels below this one.
    void setClusterMaxZoom(double zoom);
    double clusterMaxZoom() const { return m_clusterMaxZoom; }
    void setClusteringEnabled(bool enabled);
    bool clusteringEnabled() const { return m_clusteringEnabled; }
    void setLabelsVisible(bool visible);
    bool labelsVisible() const { return m_labelsVisible; }
    // Label colours for a dark basemap.
    void setDarkStyle(bool dark);
    bool darkStyle() const { return m_sprites.darkStyle(); }
    // The resolution sprites are rendered at (the widget's devicePixelRatioF()).
    // paint() follows the painter's own device scale when it differs.
    void setDevicePixelRatio(qreal ratio);
    qreal devicePixelRatio() const { return m_sprites.devicePixelRatio(); }

    // Draws the layer in the painter's logical coordinates, which are the
    // viewport's screen coordinates.
    void paint(QPainter *painter, const MapViewport &viewport);
    // What is under a screen position, as the last paint of this viewport
    // drew it (laid out afresh if vehicles were removed since, or for
    // another viewport), topmost first: the selected vehicle, labels (a
    // label stands for its vehicle), markers (alarms over the rest), clusters.
    Hit hitTest(const MapViewport &viewport, QPointF screenPos) const;
    FrameStats lastFrameStats() const { return m_stats; }

Q_SIGNALS:
    // Anything that changes the picture; cheap, the widget calls update().
    void changed();
    void selectionChanged(const QString &imei);

private:
    struct Vehicle
    {
        QString imei;
        VehicleMarker marker;
        int sprite = 0; // VehicleSprites::markerIndex
        VehicleTrail trail;
    };
    struct DrawnMarker
    {
        int vehicle;
        QPointF world; // on the copy of the world it is drawn on
        QPointF pos; // logical screen px
    };
    struct DrawnCluster
    {
        int cluster; // index into Frame::grid.clusters
        QPointF pos;
        double radius;
    };
    struct Frame
    {
        bool valid = false;
        MapViewport viewport;
        quint64 generation = 0;
        quint64 structure = 0;
        bool clustered = false;
        std::vector<QPointF> world;
        std::vector<VehicleStatus> status;
        std::vector<int> vehicle;
        std::vector<DrawnMarker> selectedMarkers;
        GridClusters grid;
        std::vector<DrawnMarker> markers; // drawing order: normal, alarm, selected
        std::size_t selectedStart = 0;
        std::vector<DrawnCluster> clusters;
        std::vector<LabelPlacer::Label> labels;
        std::vector<int> labelVehicle;
        std::vector<QRectF> obstacles;
        std::vector<LabelPlacer::Placement> placed;
    };

    bool apply(const QString &imei, const VehicleMarker &marker);
    void takeOut(int slot);
    void touch(bool structural = false);
    void setSelectedSlot(int slot);
    void layout(const MapViewport &viewport) const;
    void layoutLabels(const MapViewport &viewport) const;
    QSizeF labelSizeOf(int vehicle) const;
    void drawTrails(QPainter *p, const MapViewport &viewport, const QTransform &device);

    std::vector<Vehicle> m_vehicles;
    // Parallel to m_vehicles: the positions alone, for a cache-friendly cull.
    std::vector<QPointF> m_points;
    QHash<QString, int> m_index;
    QString m_selected;
    int m_selectedSlot = -1;

    int m_trailLength = kDefaultTrailLength;
    double m_clusterMaxZoom = kDefaultClusterMaxZoom;
    bool m_clusteringEnabled = true;
    bool m_labelsVisible = true;
    quint64 m_generation = 1; // any change to what is drawn
    quint64 m_structure = 1; // slots moved (remove, clear)

    VehicleSprites m_sprites;
    // Layout state, rebuilt lazily by const hitTest() as well as by paint().
    mutable Frame m_frame;
    mutable LabelPlacer m_placer;
    mutable std::vector<QSizeF> m_labelSizes; // parallel to m_vehicles; invalid: not measured yet
    std::vector<std::vector<QLineF>> m_trailLines;
    FrameStats m_stats;
};

} // namespace Fleet::Map
