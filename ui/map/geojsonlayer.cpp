#include "geojsonlayer.h"

#include "geomath.h"
#include "mapviewport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QPainterPath>

namespace Fleet::Map {

namespace {

bool readPosition(const QJsonValue &v, QPointF *world)
{
    const QJsonArray a = v.toArray();
    if (a.size() < 2 || !a.at(0).isDouble() || !a.at(1).isDouble())
        return false;
    const double lng = a.at(0).toDouble();
    const double lat = a.at(1).toDouble();
    if (lat < -90 || lat > 90 || lng < -180 || lng > 180)
        return false;
    *world = project(lat, lng);
    return true;
}

bool readLine(const QJsonValue &v, QPolygonF *line)
{
    const QJsonArray a = v.toArray();
    line->clear();
    for (const QJsonValue &p : a) {
        QPointF w;
        if (!readPosition(p, &w))
            return false;
        line->append(w);
    }
    return line->size() >= 2;
}

// Appends a geometry's lines and points; false when it is malformed.
bool readGeometry(const QJsonObject &g, QList<QPolygonF> *lines, QList<QPointF> *points)
{
    const QString type = g.value(QLatin1String("type")).toString();
    const QJsonValue c = g.value(QLatin1String("coordinates"));
    QPolygonF line;
    QPointF point;
    if (type == QLatin1String("Point")) {
        if (!readPosition(c, &point))
            return false;
        points->append(point);
    } else if (type == QLatin1String("MultiPoint")) {
        for (const QJsonValue &p : c.toArray()) {
            if (!readPosition(p, &point))
                return false;
            points->append(point);
        }
    } else if (type == QLatin1String("LineString")) {
        if (!readLine(c, &line))
            return false;
        lines->append(line);
    } else if (type == QLatin1String("MultiLineString") || type == QLatin1String("Polygon")) {
        for (const QJsonValue &l : c.toArray()) {
            if (!readLine(l, &line))
                return false;
            lines->append(line);
        }
    } else if (type == QLatin1String("MultiPolygon")) {
        for (const QJsonValue &poly : c.toArray()) {
            for (const QJsonValue &l : poly.toArray()) {
                if (!readLine(l, &line))
                    return false;
                lines->append(line);
            }
        }
    } else if (type == QLatin1String("GeometryCollection")) {
        for (const QJsonValue &sub : g.value(QLatin1String("geometries")).toArray()) {
            if (!readGeometry(sub.toObject(), lines, points))
                return false;
        }
    } else {
        return false;
    }
    return true;
}

} // namespace

GeoJsonLayer::GeoJsonLayer(QObject *parent)
    : MapOverlay(parent)
{ }

bool GeoJsonLayer::load(const QByteArray &geoJson, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(geoJson, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = doc.object();
    QJsonArray features;
    const QString type = root.value(QLatin1String("type")).toString();
    if (type == QLatin1String("FeatureCollection"))
        features = root.value(QLatin1String("features")).toArray();
    else if (type == QLatin1String("Feature"))
        features.append(root);
    else
        return fail(QStringLiteral("not a GeoJSON Feature or FeatureCollection"));

    QList<Feature> loaded;
    QRectF bounds;
    for (qsizetype i = 0; i < features.size(); ++i) {
        const QJsonObject f = features.at(i).toObject();
        Feature feature;
        feature.name = f.value(QLatin1String("properties")).toObject().value(QLatin1String("name")).toString();
        const QJsonValue geometry = f.value(QLatin1String("geometry"));
        if (geometry.isNull())
            continue; // allowed: a feature without a place
        if (!readGeometry(geometry.toObject(), &feature.lines, &feature.points))
            return fail(QStringLiteral("feature %1: unreadable geometry").arg(i));
        for (const QPolygonF &l : std::as_const(feature.lines))
            feature.bounds = feature.bounds.united(l.boundingRect());
        for (const QPointF &p : std::as_const(feature.points))
            feature.bounds = feature.bounds.united(QRectF(p, QSizeF(1e-9, 1e-9)));
        bounds = bounds.united(feature.bounds);
        loaded.append(std::move(feature));
    }
    m_features = std::move(loaded);
    m_bounds = bounds;
    Q_EMIT changed();
    return true;
}

void GeoJsonLayer::setColour(const QColor &colour)
{
    m_colour = colour;
    Q_EMIT changed();
}

void GeoJsonLayer::paint(QPainter *p, const MapViewport &view)
{
    if (!isVisible() || m_features.isEmpty())
        return;
    const QRectF visible = view.visibleWorld();
    // Wider lines as the map comes closer, as roads are drawn on tiles.
    const double width = std::clamp((view.zoom() - 9.0) * 0.9, 1.0, 7.0);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    QColor casing = m_colour;
    casing.setAlpha(150);
    p->setPen(QPen(casing, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p->setBrush(Qt::NoBrush);
    for (const Feature &f : std::as_const(m_features)) {
        if (!overlaps(f.bounds, visible))
            continue;
        for (const QPolygonF &line : f.lines) {
            QPolygonF screen;
            screen.reserve(line.size());
            for (const QPointF &w : line)
                screen.append(view.worldToScreen(w));
            p->drawPolyline(screen);
        }
        for (const QPointF &w : f.points)
            p->drawEllipse(view.worldToScreen(w), width, width);
    }
    // Names along the longer lines, from zoom 13 on.
    if (view.zoom() >= 13) {
        QFont font = p->font();
        font.setPointSizeF(std::max(7.0, font.pointSizeF() * 0.85));
        font.setItalic(true);
        p->setFont(font);
        const QFontMetricsF fm(font);
        for (const Feature &f : std::as_const(m_features)) {
            if (f.name.isEmpty() || f.lines.isEmpty() || !overlaps(f.bounds, visible))
                continue;
            const QPolygonF &line = f.lines.first();
            const QPointF a = view.worldToScreen(line.first());
            const QPointF b = view.worldToScreen(line.last());
            const QLineF chord(a, b);
            if (chord.length() < fm.horizontalAdvance(f.name) + 40)
                continue;
            double angle = -chord.angle();
            if (angle < -90 || angle > 90)
                angle += 180;
            p->save();
            p->translate(chord.center());
            p->rotate(angle);
            const QRectF box(-fm.horizontalAdvance(f.name) / 2 - 3, -fm.height() / 2, fm.horizontalAdvance(f.name) + 6,
                             fm.height());
            p->setPen(QPen(QColor(255, 255, 255, 210), 3));
            QPainterPath path;
            path.addText(box.left() + 3, fm.ascent() - fm.height() / 2, font, f.name);
            p->drawPath(path);
            p->fillPath(path, m_colour.darker(160));
            p->restore();
        }
    }
    p->restore();
}

} // namespace Fleet::Map
