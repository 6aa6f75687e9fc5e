#pragma once

#include "domain/vehiclestatus.h"

#include <QCache>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPoint>
#include <QSizeF>
#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace Fleet::Map {

// The pre-rendered images the vehicle layer draws, at one device pixel ratio:
// a marker per status and heading (5° steps), the selection halo, cluster
// badges and label images. Rendering a frame is then a run of drawImage calls
// at whole device pixels, with no path rendering or text shaping per vehicle.
// Markers are rendered on first use and kept; badges and labels live in
// bounded caches.
class VehicleSprites
{
public:
    // An image and the device pixel in it that sits on the map point.
    struct Sprite
    {
        QImage image;
        QPoint anchor;
    };

    static constexpr int kHeadingSteps = 72; // 5° each
    // How far a marker icon reaches from its centre, logical px: the hit area
    // and the clearance labels keep.
    static constexpr double kMarkerRadius = 10;
    static constexpr double kHaloRadius = 17;

    VehicleSprites();

    // Drops every image rendered at another ratio.
    void setDevicePixelRatio(qreal ratio);
    qreal devicePixelRatio() const { return m_ratio; }
    // Label colours: dark text on a light halo, or light text on a dark halo.
    void setDarkStyle(bool dark);
    bool darkStyle() const { return m_dark; }
    void setLabelFont(const QFont &font);
    QFont labelFont() const { return m_font; }

    // The marker for a status and heading: an arrow when the heading is known
    // and the vehicle is under way or idling, a circle otherwise.
    static int markerIndex(VehicleStatus status, std::optional<double> headingDeg);
    static VehicleStatus markerStatus(int index);
    const Sprite &marker(int index);
    const Sprite &selectionHalo();

    using StatusCounts = std::array<int, kVehicleStatusCount>;
    // A cluster badge sized by log(count): the count on a white disc inside a
    // ring that shows the members' statuses in proportion (every status
    // present gets a visible slice), ringed in red when any member is in
    // alarm. Valid until the next call.
    const Sprite &cluster(int count, const StatusCounts &statusCounts);
    static double clusterRadius(int count);
    // The ring's slices in 1/kRingUnits of a turn, by status (a status
    // present gets at least one unit).
    static constexpr int kRingUnits = 48;
    static StatusCounts ringUnits(const StatusCounts &statusCounts);

    // A label's size in logical px, halo included.
    QSizeF labelSize(const QString &text) const;
    // The label image (device pixels, drawn at the top left of its rect).
    // Valid until the next call.
    const QImage &label(const QString &text);

private:
    Sprite renderMarker(int index) const;
    Sprite renderCluster(int count, const StatusCounts &units, bool alarm) const;
    QImage renderLabel(const QString &text) const;
    void clearImages();

    qreal m_ratio = 1;
    bool m_dark = false;
    QFont m_font;
    QFontMetricsF m_metrics;
    std::vector<Sprite> m_markers;
    Sprite m_halo;
    QCache<quint64, Sprite> m_clusters;
    QCache<QString, QImage> m_labels;
    Sprite m_lastCluster;
    QImage m_lastLabel;
};

} // namespace Fleet::Map
