#pragma once

#include <QObject>

class QPainter;

namespace Fleet::Map {

class MapViewport;

// A layer drawn over the tiles and under the vehicles: a GeoJSON overlay, a
// replayed track. It says changed() when it must be drawn again; the map
// that shows it (MapWidget::addOverlay) repaints then.
class MapOverlay : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    virtual void paint(QPainter *painter, const MapViewport &view) = 0;
    bool isVisible() const { return m_visible; }
    void setVisible(bool visible)
    {
        if (m_visible == visible)
            return;
        m_visible = visible;
        Q_EMIT changed();
    }

Q_SIGNALS:
    void changed();

private:
    bool m_visible = true;
};

} // namespace Fleet::Map
