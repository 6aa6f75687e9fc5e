#include "fencefiles.h"

#include "util/jsondom.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <cmath>
#include <optional>

namespace Fleet::FenceFiles {

namespace {

using Kind = FenceShape::Kind;

// A geometry as a file gave it, before it becomes a fence.
struct Geometry
{
    enum class Type { Polygon, Point, Other };
    Type type = Type::Other;
    QString name; // Other: what it was ("LineString")
    QList<GeoPoint> ring; // Polygon: the outer ring
    bool holes = false;
    GeoPoint point;
};

bool inRange(const GeoPoint &p)
{
    return std::isfinite(p.lat) && std::isfinite(p.lng) && std::abs(p.lat) <= 90 && std::abs(p.lng) <= 180;
}

QString quoted(int index, const QString &name)
{
    return name.isEmpty() ? QStringLiteral("feature %1").arg(index + 1)
                          : QStringLiteral("feature %1 \"%2\"").arg(index + 1).arg(name);
}

class Collector
{
public:
    FenceImport out;

    void skip(int index, const QString &name, const QString &why)
    {
        out.skipped.append(quoted(index, name) + QStringLiteral(": ") + why);
    }

    // The geometries of one feature as fences; several parts are numbered.
    void add(int index, const NamedFence &base, const QList<Geometry> &parts, double radiusM, bool rectangle)
    {
        if (parts.isEmpty()) {
            skip(index, base.name, QStringLiteral("no geometry"));
            return;
        }
        for (qsizetype k = 0; k < parts.size(); ++k) {
            NamedFence f = base;
            if (parts.size() > 1)
                f.name = QStringLiteral("%1 (%2)").arg(base.name).arg(k + 1).trimmed();
            const Geometry &g = parts.at(k);
            switch (g.type) {
            case Geometry::Type::Other:
                skip(index, f.name, QStringLiteral("a %1 is not an area").arg(g.name));
                continue;
            case Geometry::Type::Point:
                if (!(radiusM > 0 && std::isfinite(radiusM))) {
                    skip(index, f.name, QStringLiteral("a point without a radius"));
                    continue;
                }
                f.shape = FenceShape::circle(g.point, radiusM);
                break;
            case Geometry::Type::Polygon:
                if (g.holes) {
                    skip(index, f.name, QStringLiteral("a polygon with holes (a fence has none)"));
                    continue;
                }
                // A rectangle starts at its north-west corner, whichever way the file went round.
                f.shape = rectangle && isRectangle(g.ring) ? FenceShape::rectangle(g.ring.at(0), g.ring.at(2))
                                                           : FenceShape::polygon(g.ring);
                break;
            }
            if (const std::optional<GeoPoint> at = FenceGeometry::selfCrossing(f.shape)) {
                skip(index, f.name,
                     QStringLiteral("its border crosses itself at %1, %2")
                         .arg(at->lat, 0, 'f', 6)
                         .arg(at->lng, 0, 'f', 6));
                continue;
            }
            if (!FenceGeometry::isUsable(f.shape)) {
                skip(index, f.name,
                     QStringLiteral("not a usable area (too few distinct points, or astride the 180th meridian)"));
                continue;
            }
            if (out.fences.size() >= kMaxFences) {
                out.error = QStringLiteral("more than %1 fences").arg(kMaxFences);
                out.fences.clear();
                return;
            }
            out.fences.append(f);
        }
    }

    static bool isRectangle(const QList<GeoPoint> &ring)
    {
        if (ring.size() != 4)
            return false;
        // Sides along the meridians and parallels, in either order.
        const auto side = [&ring](int i) {
            const GeoPoint &a = ring.at(i);
            const GeoPoint &b = ring.at((i + 1) % 4);
            return a.lat == b.lat ? 1 : (a.lng == b.lng ? 2 : 0);
        };
        const int first = side(0);
        return first != 0 && side(1) == 3 - first && side(2) == first && side(3) == 3 - first;
    }
};

// Drops the ring's closing point (the first repeated).
QList<GeoPoint> opened(QList<GeoPoint> ring)
{
    if (ring.size() > 1 && ring.constFirst() == ring.constLast())
        ring.removeLast();
    return ring;
}

// ---- GeoJSON ----------------------------------------------------------------

std::optional<GeoPoint> position(const JsonNode &node)
{
    if (!node.isArray() || node.size() < 2)
        return std::nullopt;
    const JsonNode lng = node.firstChild();
    const JsonNode lat = lng.nextSibling();
    if (!lng.isNumber() || !lat.isNumber())
        return std::nullopt;
    const GeoPoint p{lat.toDouble(), lng.toDouble()};
    return inRange(p) ? std::optional<GeoPoint>(p) : std::nullopt;
}

// A polygon's rings: nullopt (and *why) when malformed.
std::optional<Geometry> polygon(const JsonNode &rings, QString *why)
{
    if (!rings.isArray() || rings.size() < 1 || !rings.firstChild().isArray()) {
        *why = QStringLiteral("a polygon without rings");
        return std::nullopt;
    }
    Geometry g;
    g.type = Geometry::Type::Polygon;
    g.holes = rings.size() > 1;
    const JsonNode outer = rings.firstChild();
    if (outer.size() > kMaxVertices + 1) {
        *why = QStringLiteral("more than %1 points").arg(kMaxVertices);
        return std::nullopt;
    }
    for (JsonNode p = outer.firstChild(); !p.isUndefined(); p = p.nextSibling()) {
        const std::optional<GeoPoint> at = position(p);
        if (!at) {
            *why = QStringLiteral("a position that is not [longitude, latitude] in range");
            return std::nullopt;
        }
        g.ring.append(*at);
    }
    g.ring = opened(g.ring);
    return g;
}

// The parts of a geometry object; false (and *why) when it is malformed.
bool geometry(const JsonNode &node, QList<Geometry> *parts, QString *why)
{
    const JsonNode type = node.value(QLatin1String("type"));
    const JsonNode coordinates = node.value(QLatin1String("coordinates"));
    if (type.stringEquals(QLatin1String("Polygon"))) {
        const std::optional<Geometry> g = polygon(coordinates, why);
        if (g)
            parts->append(*g);
        return bool(g);
    }
    if (type.stringEquals(QLatin1String("MultiPolygon"))) {
        if (!coordinates.isArray()) {
            *why = QStringLiteral("a MultiPolygon without polygons");
            return false;
        }
        for (JsonNode p = coordinates.firstChild(); !p.isUndefined(); p = p.nextSibling()) {
            const std::optional<Geometry> g = polygon(p, why);
            if (!g)
                return false;
            parts->append(*g);
        }
        return true;
    }
    if (type.stringEquals(QLatin1String("Point"))) {
        const std::optional<GeoPoint> at = position(coordinates);
        if (!at) {
            *why = QStringLiteral("a point that is not [longitude, latitude] in range");
            return false;
        }
        Geometry g;
        g.type = Geometry::Type::Point;
        g.point = *at;
        parts->append(g);
        return true;
    }
    Geometry other;
    other.name = type.isString() ? type.toString() : QStringLiteral("geometry without a type");
    parts->append(other);
    return true;
}

void feature(Collector &c, int index, const JsonNode &geometryNode, const QVariantMap &props)
{
    NamedFence base;
    base.properties = props;
    base.name = base.properties.take(QStringLiteral("name")).toString().trimmed();
    base.color = base.properties.take(QStringLiteral("color")).toString();
    base.description = base.properties.take(QStringLiteral("description")).toString();
    const QVariant radius = base.properties.take(QStringLiteral("radius"));
    const bool rectangle = base.properties.take(QStringLiteral("shape")).toString() == QLatin1String("rectangle");
    QList<Geometry> parts;
    QString why;
    if (!geometryNode.isObject()) {
        c.skip(index, base.name, QStringLiteral("no geometry"));
        return;
    }
    if (!geometry(geometryNode, &parts, &why)) {
        c.skip(index, base.name, why);
        return;
    }
    bool numeric = false;
    const double r = radius.toDouble(&numeric);
    c.add(index, base, parts, numeric ? r : 0, rectangle);
}

} // namespace

FenceImport readGeoJson(const QByteArray &bytes)
{
    Collector c;
    if (bytes.size() > kMaxBytes) {
        c.out.error = QStringLiteral("the file is larger than %1 MiB").arg(kMaxBytes / (1024 * 1024));
        return c.out;
    }
    QString error;
    const std::optional<JsonDom> dom = JsonDom::parse(bytes, &error);
    if (!dom) {
        c.out.error = QStringLiteral("not JSON: %1").arg(error);
        return c.out;
    }
    const JsonNode root = dom->root();
    const JsonNode type = root.value(QLatin1String("type"));
    const auto props = [](const JsonNode &feature) {
        const JsonNode p = feature.value(QLatin1String("properties"));
        return p.isObject() ? p.toJsonValue().toObject().toVariantMap() : QVariantMap();
    };
    if (type.stringEquals(QLatin1String("FeatureCollection"))) {
        const JsonNode features = root.value(QLatin1String("features"));
        if (!features.isArray()) {
            c.out.error = QStringLiteral("a FeatureCollection without features");
            return c.out;
        }
        int index = 0;
        for (JsonNode f = features.firstChild(); !f.isUndefined() && c.out.error.isEmpty();
             f = f.nextSibling(), ++index)
            feature(c, index, f.value(QLatin1String("geometry")), props(f));
    } else if (type.stringEquals(QLatin1String("Feature"))) {
        feature(c, 0, root.value(QLatin1String("geometry")), props(root));
    } else if (type.isString()) {
        feature(c, 0, root, {});
    } else {
        c.out.error = QStringLiteral("not GeoJSON: no \"type\"");
    }
    return c.out;
}

// ---- KML --------------------------------------------------------------------

namespace {

// "lng,lat[,alt] lng,lat[,alt] ...": nullopt when a tuple is malformed.
std::optional<QList<GeoPoint>> kmlCoordinates(const QString &text)
{
    QList<GeoPoint> out;
    const QStringList tuples = text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (tuples.size() > kMaxVertices + 1)
        return std::nullopt;
    for (const QString &t : tuples) {
        const QStringList parts = t.split(QLatin1Char(','));
        if (parts.size() < 2 || parts.size() > 3)
            return std::nullopt;
        bool okLng = false, okLat = false;
        const GeoPoint p{parts.at(1).toDouble(&okLat), parts.at(0).toDouble(&okLng)};
        if (!okLng || !okLat || !inRange(p))
            return std::nullopt;
        out.append(p);
    }
    return out;
}

// KML's aabbggrr as #rrggbb.
QString kmlColour(const QString &abgr)
{
    const QString s = abgr.trimmed();
    if (s.size() != 8)
        return {};
    return QLatin1Char('#') + s.mid(6, 2).toLower() + s.mid(4, 2).toLower() + s.mid(2, 2).toLower();
}

struct Placemark
{
    NamedFence fence;
    QList<Geometry> parts;
    QString problem; // a malformed geometry
};

void kmlGeometry(QXmlStreamReader &xml, Placemark *p);

void kmlPolygon(QXmlStreamReader &xml, Placemark *p)
{
    Geometry g;
    g.type = Geometry::Type::Polygon;
    while (xml.readNextStartElement()) {
        if (xml.name() == QLatin1String("outerBoundaryIs")) {
            while (xml.readNextStartElement()) {
                if (xml.name() != QLatin1String("LinearRing")) {
                    xml.skipCurrentElement();
                    continue;
                }
                while (xml.readNextStartElement()) {
                    if (xml.name() != QLatin1String("coordinates")) {
                        xml.skipCurrentElement();
                        continue;
                    }
                    const std::optional<QList<GeoPoint>> ring = kmlCoordinates(xml.readElementText());
                    if (!ring)
                        p->problem = QStringLiteral("coordinates that are not longitude,latitude in range");
                    else
                        g.ring = opened(*ring);
                }
            }
        } else {
            g.holes = g.holes || xml.name() == QLatin1String("innerBoundaryIs");
            xml.skipCurrentElement();
        }
    }
    p->parts.append(g);
}

void kmlGeometry(QXmlStreamReader &xml, Placemark *p)
{
    const QStringView name = xml.name();
    if (name == QLatin1String("Polygon")) {
        kmlPolygon(xml, p);
    } else if (name == QLatin1String("Point")) {
        Geometry g;
        g.type = Geometry::Type::Point;
        while (xml.readNextStartElement()) {
            if (xml.name() != QLatin1String("coordinates")) {
                xml.skipCurrentElement();
                continue;
            }
            const std::optional<QList<GeoPoint>> at = kmlCoordinates(xml.readElementText());
            if (!at || at->size() != 1)
                p->problem = QStringLiteral("a point that is not longitude,latitude in range");
            else
                g.point = at->constFirst();
        }
        p->parts.append(g);
    } else if (name == QLatin1String("MultiGeometry")) {
        while (xml.readNextStartElement())
            kmlGeometry(xml, p);
    } else {
        Geometry other;
        other.name = name.toString();
        p->parts.append(other);
        xml.skipCurrentElement();
    }
}

Placemark kmlPlacemark(QXmlStreamReader &xml)
{
    static const QStringList geometries{QStringLiteral("Polygon"),       QStringLiteral("Point"),
                                        QStringLiteral("MultiGeometry"), QStringLiteral("LineString"),
                                        QStringLiteral("LinearRing"),    QStringLiteral("Model"),
                                        QStringLiteral("Track"),         QStringLiteral("MultiTrack")};
    Placemark p;
    while (xml.readNextStartElement()) {
        const QStringView name = xml.name();
        if (name == QLatin1String("name")) {
            p.fence.name = xml.readElementText().trimmed();
        } else if (name == QLatin1String("description")) {
            p.fence.description = xml.readElementText();
        } else if (name == QLatin1String("Style")) {
            while (xml.readNextStartElement()) {
                if (xml.name() != QLatin1String("PolyStyle")) {
                    xml.skipCurrentElement();
                    continue;
                }
                while (xml.readNextStartElement()) {
                    if (xml.name() == QLatin1String("color"))
                        p.fence.color = kmlColour(xml.readElementText());
                    else
                        xml.skipCurrentElement();
                }
            }
        } else if (name == QLatin1String("ExtendedData")) {
            while (xml.readNextStartElement()) {
                if (xml.name() != QLatin1String("Data")) {
                    xml.skipCurrentElement();
                    continue;
                }
                const QString key = xml.attributes().value(QLatin1String("name")).toString();
                QString value;
                while (xml.readNextStartElement()) {
                    if (xml.name() == QLatin1String("value"))
                        value = xml.readElementText();
                    else
                        xml.skipCurrentElement();
                }
                if (!key.isEmpty())
                    p.fence.properties.insert(key, value);
            }
        } else if (geometries.contains(name.toString())) {
            kmlGeometry(xml, &p);
        } else {
            xml.skipCurrentElement();
        }
    }
    return p;
}

} // namespace

FenceImport readKml(const QByteArray &bytes)
{
    Collector c;
    if (bytes.size() > kMaxBytes) {
        c.out.error = QStringLiteral("the file is larger than %1 MiB").arg(kMaxBytes / (1024 * 1024));
        return c.out;
    }
    QXmlStreamReader xml(bytes);
    int index = 0;
    bool kml = false;
    while (!xml.atEnd() && c.out.error.isEmpty()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("kml"))
            kml = true;
        if (xml.name() != QLatin1String("Placemark"))
            continue;
        Placemark p = kmlPlacemark(xml);
        if (xml.hasError())
            break;
        const QVariant radius = p.fence.properties.take(QStringLiteral("radius"));
        const bool rectangle = p.fence.properties.take(QStringLiteral("shape")).toString()
            == QLatin1String("rectangle");
        if (!p.problem.isEmpty())
            c.skip(index, p.fence.name, p.problem);
        else
            c.add(index, p.fence, p.parts, radius.toString().toDouble(), rectangle);
        ++index;
    }
    if (xml.hasError()) {
        c.out = FenceImport();
        c.out.error = QStringLiteral("not KML: %1 (line %2)").arg(xml.errorString()).arg(xml.lineNumber());
    } else if (!kml && c.out.error.isEmpty()) {
        c.out = FenceImport();
        c.out.error = QStringLiteral("not KML: no <kml> element");
    }
    return c.out;
}

FenceImport read(const QString &fileName, const QByteArray &bytes)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == QLatin1String("geojson") || suffix == QLatin1String("json"))
        return readGeoJson(bytes);
    if (suffix == QLatin1String("kml"))
        return readKml(bytes);
    FenceImport none;
    none.error = QStringLiteral("%1: not a .geojson, .json or .kml file").arg(fileName);
    return none;
}

// ---- writing ----------------------------------------------------------------

namespace {

QString shapeName(Kind kind)
{
    switch (kind) {
    case Kind::Circle: return QStringLiteral("circle");
    case Kind::Rectangle: return QStringLiteral("rectangle");
    case Kind::Polygon: return QStringLiteral("polygon");
    }
    return {};
}

// The ring counter-clockwise (RFC 7946's right-hand rule) and closed.
QList<GeoPoint> closedCounterClockwise(QList<GeoPoint> ring)
{
    double twiceArea = 0;
    for (qsizetype i = 0; i < ring.size(); ++i) {
        const GeoPoint &a = ring.at(i);
        const GeoPoint &b = ring.at((i + 1) % ring.size());
        twiceArea += a.lng * b.lat - b.lng * a.lat;
    }
    if (twiceArea < 0)
        std::reverse(ring.begin(), ring.end());
    if (!ring.isEmpty())
        ring.append(ring.constFirst());
    return ring;
}

QString number(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QByteArray writeGeoJson(const QList<NamedFence> &fences)
{
    QJsonArray features;
    for (const NamedFence &f : fences) {
        QJsonObject props = QJsonObject::fromVariantMap(f.properties);
        props.insert(QStringLiteral("name"), f.name);
        if (!f.color.isEmpty())
            props.insert(QStringLiteral("color"), f.color);
        if (!f.description.isEmpty())
            props.insert(QStringLiteral("description"), f.description);
        props.insert(QStringLiteral("shape"), shapeName(f.shape.kind));
        QJsonObject geometry;
        if (f.shape.kind == Kind::Circle && !f.shape.points.isEmpty()) {
            const GeoPoint &c = f.shape.points.constFirst();
            props.insert(QStringLiteral("radius"), f.shape.radiusM);
            geometry = QJsonObject{{QStringLiteral("type"), QStringLiteral("Point")},
                                   {QStringLiteral("coordinates"), QJsonArray{c.lng, c.lat}}};
        } else {
            QJsonArray ring;
            for (const GeoPoint &p : closedCounterClockwise(f.shape.points))
                ring.append(QJsonArray{p.lng, p.lat});
            geometry = QJsonObject{{QStringLiteral("type"), QStringLiteral("Polygon")},
                                   {QStringLiteral("coordinates"), QJsonArray{ring}}};
        }
        features.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("Feature")},
                                    {QStringLiteral("properties"), props},
                                    {QStringLiteral("geometry"), geometry}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("FeatureCollection")},
                                     {QStringLiteral("features"), features}})
        .toJson(QJsonDocument::Indented);
}

QByteArray writeKml(const QList<NamedFence> &fences)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("kml"));
    xml.writeDefaultNamespace(QStringLiteral("http://www.opengis.net/kml/2.2"));
    xml.writeStartElement(QStringLiteral("Document"));
    for (const NamedFence &f : fences) {
        xml.writeStartElement(QStringLiteral("Placemark"));
        xml.writeTextElement(QStringLiteral("name"), f.name);
        if (!f.description.isEmpty())
            xml.writeTextElement(QStringLiteral("description"), f.description);
        if (f.color.size() == 7) {
            xml.writeStartElement(QStringLiteral("Style"));
            xml.writeStartElement(QStringLiteral("PolyStyle"));
            // KML's aabbggrr, half transparent.
            xml.writeTextElement(QStringLiteral("color"),
                                 QStringLiteral("80") + f.color.mid(5, 2) + f.color.mid(3, 2) + f.color.mid(1, 2));
            xml.writeEndElement();
            xml.writeEndElement();
        }
        QVariantMap data = f.properties;
        data.insert(QStringLiteral("shape"), shapeName(f.shape.kind));
        if (f.shape.kind == Kind::Circle)
            data.insert(QStringLiteral("radius"), number(f.shape.radiusM));
        xml.writeStartElement(QStringLiteral("ExtendedData"));
        for (auto it = data.cbegin(); it != data.cend(); ++it) {
            xml.writeStartElement(QStringLiteral("Data"));
            xml.writeAttribute(QStringLiteral("name"), it.key());
            xml.writeTextElement(QStringLiteral("value"), it.value().toString());
            xml.writeEndElement();
        }
        xml.writeEndElement();
        if (f.shape.kind == Kind::Circle && !f.shape.points.isEmpty()) {
            const GeoPoint &c = f.shape.points.constFirst();
            xml.writeStartElement(QStringLiteral("Point"));
            xml.writeTextElement(QStringLiteral("coordinates"), number(c.lng) + QLatin1Char(',') + number(c.lat));
            xml.writeEndElement();
        } else {
            QStringList tuples;
            for (const GeoPoint &p : closedCounterClockwise(f.shape.points))
                tuples.append(number(p.lng) + QLatin1Char(',') + number(p.lat));
            xml.writeStartElement(QStringLiteral("Polygon"));
            xml.writeStartElement(QStringLiteral("outerBoundaryIs"));
            xml.writeStartElement(QStringLiteral("LinearRing"));
            xml.writeTextElement(QStringLiteral("coordinates"), tuples.join(QLatin1Char(' ')));
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndElement();
        }
        xml.writeEndElement(); // Placemark
    }
    xml.writeEndElement(); // Document
    xml.writeEndElement(); // kml
    xml.writeEndDocument();
    return out;
}

} // namespace Fleet::FenceFiles
