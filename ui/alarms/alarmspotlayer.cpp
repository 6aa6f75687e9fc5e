#include "alarmspotlayer.h"

#include "map/geomath.h"
#include "map/mapviewport.h"

#include <QPainter>

namespace Fleet {

namespace {
constexpr int kSteps = 24; // frames of one pulse (1.2 s at 50 ms)
}

AlarmSpotLayer::AlarmSpotLayer(QObject *parent)
    : Map::MapOverlay(parent)
{
    m_animation.setInterval(50);
    connect(&m_animation, &QTimer::timeout, this, [this] {
        m_phase = (m_phase + 1) % kSteps;
        Q_EMIT changed();
    });
}

void AlarmSpotLayer::setMark(double lat, double lng)
{
    m_mark = Map::project(lat, lng);
    Q_EMIT changed();
}

void AlarmSpotLayer::clearMark()
{
    if (!m_mark)
        return;
    m_mark.reset();
    Q_EMIT changed();
}

void AlarmSpotLayer::setPulses(const QList<QPointF> &world)
{
    if (world == m_pulses)
        return;
    m_pulses = world;
    if (m_pulses.isEmpty())
        m_animation.stop();
    else if (!m_animation.isActive())
        m_animation.start();
    Q_EMIT changed();
}

void AlarmSpotLayer::paint(QPainter *painter, const Map::MapViewport &view)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor red(0xd3, 0x2f, 0x2f);
    const double t = double(m_phase) / kSteps;
    for (const QPointF &world : std::as_const(m_pulses)) {
        const QPointF at = view.worldToScreen(world);
        // A ring that grows and fades, and a steady inner one.
        QColor fading = red;
        fading.setAlphaF(0.75 * (1.0 - t));
        painter->setPen(QPen(fading, 3));
        painter->setBrush(Qt::NoBrush);
        const double r = 12 + 22 * t;
        painter->drawEllipse(at, r, r);
        QColor fill = red;
        fill.setAlphaF(0.25);
        painter->setPen(QPen(red, 2));
        painter->setBrush(fill);
        painter->drawEllipse(at, 12, 12);
    }
    if (m_mark) {
        const QPointF at = view.worldToScreen(*m_mark);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(Qt::white, 5));
        painter->drawEllipse(at, 16, 16);
        painter->setPen(QPen(red, 3));
        painter->drawEllipse(at, 16, 16);
        painter->drawLine(at + QPointF(-24, 0), at + QPointF(-8, 0));
        painter->drawLine(at + QPointF(8, 0), at + QPointF(24, 0));
        painter->drawLine(at + QPointF(0, -24), at + QPointF(0, -8));
        painter->drawLine(at + QPointF(0, 8), at + QPointF(0, 24));
    }
    painter->restore();
}

} // namespace Fleet
