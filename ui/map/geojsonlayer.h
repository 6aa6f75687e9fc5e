#pragma once

#include "mapoverlay.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QString>

namespace Fleet::Map {

// A GeoJSON (RFC 7946) file drawn on the map: LineStrings and Polygons (and
// their Multi forms) as lines, Points as dots, each feature's "name" along
// it when there is room. Used for the demo's road network; any file of lines
// works. Geometry is projected once, when loaded.
class GeoJsonLayer final : public MapOverlay
{
    Q_OBJECT

public:
    explicit GeoJsonLayer(QObject *parent = nullptr);

    // Replaces what the layer shows. False, with *error (what and where), when
    // the text is not GeoJSON; the layer is then unchanged.
    bool load(const QByteArray &geoJson, QString *error = nullptr);
    void setColour(const QColor &colour);
    qsizetype featureCount() const { return m_features.size(); }
    // The world rectangle of everything loaded.
    QRectF worldBounds() const { return m_bounds; }

    void paint(QPainter *painter, const MapViewport &view) override;

private:
    struct Feature
    {
        QString name;
        QList<QPolygonF> lines; // world coordinates
        QList<QPointF> points;
        QRectF bounds;
    };
    QList<Feature> m_features;
    QRectF m_bounds;
    QColor m_colour{90, 90, 110};
};

} // namespace Fleet::Map
