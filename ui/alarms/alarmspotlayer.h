#pragma once

#include "map/mapoverlay.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QTimer>

#include <optional>

namespace Fleet {

// What the alarm desk draws on the map: the spot of the alarm the dispatcher
// opened (a ring and a cross), and a pulse around each place that has an
// unhandled critical alarm (the vehicles' own markers sit on top of it).
class AlarmSpotLayer : public Map::MapOverlay
{
    Q_OBJECT

public:
    explicit AlarmSpotLayer(QObject *parent = nullptr);

    void setMark(double lat, double lng);
    void clearMark();
    std::optional<QPointF> mark() const { return m_mark; } // world coordinates

    // The places that pulse, in world coordinates; empty: none, and the
    // animation stops.
    void setPulses(const QList<QPointF> &world);
    const QList<QPointF> &pulses() const { return m_pulses; }
    bool isAnimating() const { return m_animation.isActive(); }

    void paint(QPainter *painter, const Map::MapViewport &view) override;

private:
    std::optional<QPointF> m_mark;
    QList<QPointF> m_pulses;
    QTimer m_animation;
    int m_phase = 0; // 0..kSteps-1
};

} // namespace Fleet
