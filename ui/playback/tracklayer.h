#pragma once

#include "map/mapoverlay.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace Fleet {

class PlaybackModel;

// The replayed tracks on the map: each vehicle's line (the focused one
// coloured by speed, the others in their own colour), gaps dashed, stops and
// parking with their duration, trip starts and ends, alarms, direction
// arrows, LBS and Wi-Fi fixes drawn hollow (they are not GPS-accurate), and
// where each vehicle is at the playhead, and a legend of the speed colours.
//
// A line of a million points is simplified once per zoom level
// (Douglas-Peucker, half a pixel at that level) and kept; a frame only draws
// the points that survived. What does not move with the playhead (lines,
// stops, arrows) is drawn into an image twice the view's size and reused
// while the view pans within it at the same zoom, so playing, seeking and
// dragging the map cost a blit and the vehicles' markers.
class TrackLayer final : public Map::MapOverlay
{
    Q_OBJECT

public:
    explicit TrackLayer(PlaybackModel *model, QObject *parent = nullptr);

    void setFocused(const QString &imei);
    QString focused() const { return m_focused; }

    void paint(QPainter *painter, const Map::MapViewport &view) override;

    // Speed bands of the line, and their colours (for the legend).
    struct Band
    {
        double fromKmh;
        QColor colour;
    };
    static const QList<Band> &bands();
    static QColor speedColour(double kmh);

    // The indices of a vehicle's fixes drawn at a zoom level (for tests and
    // benchmarks); computes them on first use.
    const std::vector<int> &simplified(int vehicle, int zoomLevel);
    void clearCache()
    {
        m_cache.clear();
        m_static = {};
    }
    // Frames drawn from the kept image, and images drawn (for tests and benchmarks).
    int staticRenders() const { return m_staticRenders; }

private:
    void paintVehicle(QPainter *p, const Map::MapViewport &view, int index, bool focus);
    void paintMarkers(QPainter *p, const Map::MapViewport &view, int index);
    void paintPlayhead(QPainter *p, const Map::MapViewport &view, int index);
    void paintLegend(QPainter *p);

    void paintStatic(QPainter *p, const Map::MapViewport &view);

    PlaybackModel *m_model;
    QString m_focused;
    struct StaticImage
    {
        QImage image;
        QPointF originWorld; // the world point at the image's top left
        double zoom = -1;
        QSize viewSize;
        qreal dpr = 1;
        bool valid = false;
    };
    StaticImage m_static;
    int m_staticRenders = 0;
    // vehicle index → zoom level → kept indices; cleared when the vehicles change.
    QHash<quint64, std::vector<int>> m_cache;
};

// Douglas-Peucker over points[first..last] (inclusive), keeping those further
// than tolerance from the simplified line; the first and last are kept.
// Appends the kept indices, in order, to out. Iterative: no recursion depth.
void simplifyLine(const std::vector<QPointF> &points, int first, int last, double tolerance, std::vector<int> &out);

} // namespace Fleet
