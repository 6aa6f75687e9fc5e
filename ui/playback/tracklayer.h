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
// where each vehicle is at the playhead.
//
// A line of a million points is simplified once per zoom level
// (Douglas-Peucker, half a pixel at that level) and kept; a frame only draws
// the points that survived.
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
    void clearCache() { m_cache.clear(); }

private:
    void paintVehicle(QPainter *p, const Map::MapViewport &view, int index, bool focus);
    void paintMarkers(QPainter *p, const Map::MapViewport &view, int index);
    void paintPlayhead(QPainter *p, const Map::MapViewport &view, int index);

    PlaybackModel *m_model;
    QString m_focused;
    // vehicle index → zoom level → kept indices; cleared when the vehicles change.
    QHash<quint64, std::vector<int>> m_cache;
};

// Douglas-Peucker over points[first..last] (inclusive), keeping those further
// than tolerance from the simplified line; the first and last are kept.
// Appends the kept indices, in order, to out. Iterative: no recursion depth.
void simplifyLine(const std::vector<QPointF> &points, int first, int last, double tolerance, std::vector<int> &out);

} // namespace Fleet
