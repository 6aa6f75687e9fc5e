#pragma once

#include "geomath.h"
#include "offlinebasemap.h"

#include <QColor>
#include <QImage>

#include <memory>

class QPainter;

namespace Fleet::Map {

// Colours of the offline basemap; light() for light palettes, dark() for dark ones.
struct OfflineBasemapStyle
{
    QColor sea;
    QColor land;
    QColor coastline;
    QColor border;
    QColor cityDot;
    QColor cityOutline;
    QColor cityText;
    QColor cityHalo;

    static OfflineBasemapStyle light();
    static OfflineBasemapStyle dark();
};

// Draws 256×256 tiles of the offline basemap: sea, land, coastlines, country
// borders, and at z ≥ 2 city dots and names (more of them as the zoom grows,
// labels that would collide left out). Shares the immutable basemap data;
// render() is const and reentrant, so worker threads may call it at once.
class OfflineBasemapRenderer
{
public:
    explicit OfflineBasemapRenderer(std::shared_ptr<const OfflineBasemap> data = OfflineBasemap::embedded());

    // Format_ARGB32_Premultiplied, kTileSize square; null for an invalid tile.
    // With invalid basemap data the tile is all sea.
    QImage render(TileId tile, const OfflineBasemapStyle &style) const;

    const OfflineBasemap &data() const { return *m_data; }

    static OfflineBasemap::Lod lodForZoom(int z);
    // The first zoom at which cities of a rank appear.
    static int minZoomForRank(int rank);

private:
    struct Frame;
    void fillLand(QPainter &painter, const Frame &frame, const OfflineBasemapStyle &style) const;
    void strokeLines(QPainter &painter, const Frame &frame, const OfflineBasemap::Layer &layer, const QPen &pen) const;
    void drawCities(QPainter &painter, const Frame &frame, const OfflineBasemapStyle &style) const;

    std::shared_ptr<const OfflineBasemap> m_data;
};

} // namespace Fleet::Map
