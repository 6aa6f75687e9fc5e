#pragma once

#include "fencegeometry.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace Fleet {

// A fence as a file holds it: a shape with its name, colour, description
// and whatever other properties the file gave (kept, and written back).
struct NamedFence
{
    QString name;
    FenceShape shape;
    QString color; // "#rrggbb"; empty: none
    QString description;
    QVariantMap properties; // the others, as text, numbers or booleans

    friend bool operator==(const NamedFence &, const NamedFence &) = default;
};

// What an import found: the fences, and a line for each feature skipped
// ("feature 3 \"River\": a LineString is not an area"). error is set when
// the file as a whole could not be read; then nothing is imported.
struct FenceImport
{
    QList<NamedFence> fences;
    QStringList skipped;
    QString error;
};

// Fences in GeoJSON (RFC 7946) and KML 2.2 files, WGS-84 both.
//
// GeoJSON: a FeatureCollection, a Feature or a bare geometry. A Polygon is
// a polygon fence (its outer ring; one with holes is skipped, a fence has
// none); properties "shape": "rectangle" keeps it a rectangle. A Point with
// a positive "radius" property (metres) is a circle, as map editors write
// circles. Each part of a MultiPolygon is a fence of its own, "name (2)".
// Anything else (lines, bare points, collections) is skipped and named.
//
// KML: every Placemark; a Polygon's outerBoundaryIs, a Point with an
// ExtendedData "radius"; MultiGeometry split as above; the name, the
// description, the PolyStyle colour, and ExtendedData kept as properties.
//
// Strict where it matters: at most 64 MiB, 100,000 vertices a fence and
// 100,000 fences; coordinates must be numbers in range. Fences that are not
// usable (too few vertices, a polygon that crosses itself) are skipped and
// said why.
namespace FenceFiles {

inline constexpr qsizetype kMaxBytes = 64 * 1024 * 1024;
inline constexpr int kMaxVertices = 100000;
inline constexpr int kMaxFences = 100000;

FenceImport readGeoJson(const QByteArray &bytes);
FenceImport readKml(const QByteArray &bytes);
// By the file name's extension (.geojson, .json, .kml); error otherwise.
FenceImport read(const QString &fileName, const QByteArray &bytes);

QByteArray writeGeoJson(const QList<NamedFence> &fences);
QByteArray writeKml(const QList<NamedFence> &fences);

} // namespace FenceFiles

} // namespace Fleet
