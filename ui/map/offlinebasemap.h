#pragma once

#include <QByteArrayView>
#include <QString>

#include <memory>
#include <vector>

namespace Fleet::Map {

// The embedded offline basemap: Natural Earth land, coastlines, country
// borders and cities, pre-projected to the world plane of geomath.h. Reads
// the file that tools/basemap/make_basemap.py writes (its docstring holds the
// format) and checks all of it; bad data gives an error, never a crash.
// Immutable once loaded, so any number of threads may read one instance.
class OfflineBasemap
{
public:
    // Level of detail: Natural Earth 1:110m for low zoom, 1:50m above.
    enum Lod { Low = 0, High = 1, LodCount = 2 };
    // Section kinds of the file.
    enum Kind { Land = 1, Coastline = 2, Border = 3, Cities = 4 };

    // Coordinates are fixed point: world = value / kFixedOne (0 ≤ value ≤ kFixedOne).
    static constexpr quint32 kFixedOne = 1u << 31;
    static constexpr quint16 kVersion = 1;
    static inline const QString kResourcePath = QStringLiteral(":/basemap/naturalearth.bin");

    struct Box
    {
        quint32 minX = 0;
        quint32 minY = 0;
        quint32 maxX = 0;
        quint32 maxY = 0;
        bool intersects(const Box &o) const
        {
            return minX <= o.maxX && o.minX <= maxX && minY <= o.maxY && o.minY <= maxY;
        }
    };
    // A polyline, or a polygon ring (implicitly closed).
    struct Part
    {
        Box box;
        quint32 firstPoint = 0; // index into Layer::xy / 2
        quint32 pointCount = 0;
    };
    // A polygon (first part the outline, the others holes) or a polyline.
    struct Feature
    {
        Box box;
        quint32 firstPart = 0;
        quint32 partCount = 0;
    };
    struct Layer
    {
        std::vector<Feature> features;
        std::vector<Part> parts;
        std::vector<quint32> xy; // x0, y0, x1, y1, ...
        int pointCount() const { return int(xy.size() / 2); }
    };
    struct City
    {
        quint32 x = 0;
        quint32 y = 0;
        int rank = 0; // 1 = world city; larger is less prominent
        QString name;
    };

    // Empty and invalid, with an error saying so.
    OfflineBasemap();

    static OfflineBasemap fromData(QByteArrayView data);
    static OfflineBasemap fromFile(const QString &path);
    // The copy compiled into the application, loaded once (thread-safe).
    // Never null; check isValid().
    static std::shared_ptr<const OfflineBasemap> embedded();

    bool isValid() const { return m_valid; }
    QString errorString() const { return m_error; }

    // Geometry of one kind at one level of detail. A kind the file lacks at
    // High is taken from Low.
    const Layer &layer(Kind kind, Lod lod) const;
    const Layer &land(Lod lod) const { return layer(Land, lod); }
    const Layer &coastlines(Lod lod) const { return layer(Coastline, lod); }
    const Layer &borders(Lod lod) const { return layer(Border, lod); }
    // Most prominent first.
    const std::vector<City> &cities() const { return m_cities; }

    // The format's checksum (CRC-32 as zlib computes it).
    static quint32 checksum(QByteArrayView data);

private:
    bool parse(QByteArrayView data);
    bool parseGeometry(QByteArrayView section, Kind kind, Lod lod);
    bool parseCities(QByteArrayView section);
    bool fail(const QString &message);

    bool m_valid = false;
    QString m_error;
    // Indexed [kind - 1][lod].
    Layer m_layers[3][LodCount];
    bool m_present[3][LodCount] = {};
    std::vector<City> m_cities;
};

} // namespace Fleet::Map
