#include "tracklayer.h"

#include "playbackmodel.h"

#include "map/geomath.h"
#include "map/mapviewport.h"

#include <QPainter>
#include <QPainterPath>
#include <QtMath>

#include <cmath>

namespace Fleet {

namespace {

constexpr int kChunk = 128; // kept points per culling box

double pointLineDistance(QPointF p, QPointF a, QPointF b)
{
    const QPointF d = b - a;
    const double len2 = d.x() * d.x() + d.y() * d.y();
    if (len2 <= 0)
        return std::hypot(p.x() - a.x(), p.y() - a.y());
    const double t = std::clamp(((p.x() - a.x()) * d.x() + (p.y() - a.y()) * d.y()) / len2, 0.0, 1.0);
    const QPointF q = a + d * t;
    return std::hypot(p.x() - q.x(), p.y() - q.y());
}

quint64 cacheKey(int vehicle, int zoom)
{
    return (quint64(quint32(vehicle)) << 32) | quint32(zoom);
}

QString durationText(qint64 secs)
{
    const qint64 h = secs / 3600;
    const qint64 m = (secs % 3600) / 60;
    if (h > 0)
        return QStringLiteral("%1 h %2 min").arg(h).arg(m);
    return QStringLiteral("%1 min").arg(std::max<qint64>(1, m));
}

void drawArrow(QPainter *p, QPointF at, double angleDeg, double size)
{
    p->save();
    p->translate(at);
    p->rotate(angleDeg);
    QPainterPath chevron;
    chevron.moveTo(-size, -size * 0.7);
    chevron.lineTo(size * 0.6, 0);
    chevron.lineTo(-size, size * 0.7);
    p->drawPath(chevron);
    p->restore();
}

// A long wide polyline drawn in short pieces: QPainter strokes a polyline as
// one outline, and a track that crosses itself a thousand times makes that
// outline's fill slow beyond any frame budget. Pieces of a few dozen points
// keep each fill simple; their joins overlap by one point.
void drawPolylineInPieces(QPainter *p, const QPolygonF &line)
{
    constexpr qsizetype kPiece = 24;
    for (qsizetype start = 0; start + 1 < line.size(); start += kPiece) {
        const qsizetype n = std::min(kPiece + 1, line.size() - start);
        p->drawPolyline(line.constData() + start, int(n));
    }
}

} // namespace

void simplifyLine(const std::vector<QPointF> &points, int first, int last, double tolerance, std::vector<int> &out)
{
    if (last < first)
        return;
    if (last - first < 2) {
        for (int i = first; i <= last; ++i)
            out.push_back(i);
        return;
    }
    std::vector<char> keep(std::size_t(last - first + 1), 0);
    keep.front() = keep.back() = 1;
    std::vector<std::pair<int, int>> stack{{first, last}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        double worst = -1;
        int at = -1;
        for (int i = a + 1; i < b; ++i) {
            const double d = pointLineDistance(points[std::size_t(i)], points[std::size_t(a)], points[std::size_t(b)]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (at >= 0 && worst > tolerance) {
            keep[std::size_t(at - first)] = 1;
            stack.push_back({a, at});
            stack.push_back({at, b});
        }
    }
    for (int i = first; i <= last; ++i) {
        if (keep[std::size_t(i - first)])
            out.push_back(i);
    }
}

TrackLayer::TrackLayer(PlaybackModel *model, QObject *parent)
    : Map::MapOverlay(parent)
    , m_model(model)
{
    connect(model, &PlaybackModel::vehiclesChanged, this, [this] {
        clearCache();
        Q_EMIT changed();
    });
    connect(model, &PlaybackModel::playheadChanged, this, &TrackLayer::changed);
}

void TrackLayer::setFocused(const QString &imei)
{
    if (imei == m_focused)
        return;
    m_focused = imei;
    m_static = {};
    Q_EMIT changed();
}

const QList<TrackLayer::Band> &TrackLayer::bands()
{
    static const QList<Band> list{{0, QColor(0x5b, 0x6b, 0x8c)},   {10, QColor(0x1a, 0x98, 0x50)},
                                  {30, QColor(0x91, 0xcf, 0x60)},  {50, QColor(0xfe, 0xe0, 0x8b)},
                                  {70, QColor(0xfc, 0x8d, 0x59)},  {90, QColor(0xd7, 0x30, 0x27)},
                                  {120, QColor(0x7f, 0x00, 0x3f)}};
    return list;
}

QColor TrackLayer::speedColour(double kmh)
{
    QColor c = bands().first().colour;
    for (const Band &b : bands()) {
        if (kmh >= b.fromKmh)
            c = b.colour;
    }
    return c;
}

const std::vector<int> &TrackLayer::simplified(int vehicle, int zoomLevel)
{
    const quint64 key = cacheKey(vehicle, zoomLevel);
    auto it = m_cache.find(key);
    if (it != m_cache.end())
        return *it;
    std::vector<int> kept;
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(vehicle);
    const double tolerance = 0.5 / Map::worldSizePx(zoomLevel); // half a pixel, in world units
    int first = 0;
    const int n = int(v.world.size());
    kept.reserve(std::size_t(std::min(n, 65536)));
    // Each stretch between gaps on its own, so a gap's ends are always kept.
    for (const TrackAnalysis::Gap &g : v.data.summary.gaps) {
        simplifyLine(v.world, first, int(g.before), tolerance, kept);
        first = int(g.before) + 1;
    }
    simplifyLine(v.world, first, n - 1, tolerance, kept);
    return *m_cache.insert(key, std::move(kept));
}

void TrackLayer::paint(QPainter *p, const Map::MapViewport &view)
{
    if (!isVisible() || m_model->vehicles().isEmpty())
        return;
    const qreal dpr = p->device() ? p->device()->devicePixelRatio() : 1.0;
    // The kept image serves while it covers the whole view at the same zoom.
    const QRectF visible = view.visibleWorld();
    bool reuse = m_static.valid && m_static.zoom == view.zoom() && m_static.viewSize == view.size() && m_static.dpr == dpr;
    if (reuse) {
        const double scale = view.scale();
        const QRectF covered(m_static.originWorld,
                             QSizeF(m_static.image.width() / dpr / scale, m_static.image.height() / dpr / scale));
        reuse = covered.contains(visible);
    }
    if (!reuse) {
        // Twice the view: half a view of margin on every side for panning.
        const QSize size = view.size() * 2;
        Map::MapViewport big(view.centre(), view.zoom(), size);
        m_static.image = QImage(size * dpr, QImage::Format_ARGB32_Premultiplied);
        m_static.image.setDevicePixelRatio(dpr);
        m_static.image.fill(Qt::transparent);
        QPainter ip(&m_static.image);
        paintStatic(&ip, big);
        ip.end();
        m_static.originWorld = big.screenToWorld(QPointF(0, 0));
        m_static.zoom = view.zoom();
        m_static.viewSize = view.size();
        m_static.dpr = dpr;
        m_static.valid = true;
        ++m_staticRenders;
    }
    p->drawImage(view.worldToScreen(m_static.originWorld), m_static.image);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    for (int i = 0; i < int(m_model->vehicles().size()); ++i)
        paintPlayhead(p, view, i);
    paintLegend(p);
    p->restore();
}

void TrackLayer::paintLegend(QPainter *p)
{
    // What the focused line's colours mean, top left.
    QFont font = p->font();
    font.setPointSizeF(std::max(7.0, font.pointSizeF() * 0.8));
    p->setFont(font);
    const QFontMetricsF fm(font);
    const QString title = tr("km/h");
    const double swatch = 22;
    const double height = fm.height() + 14;
    const QRectF box(8, 8, fm.horizontalAdvance(title) + 12 + swatch * bands().size() + 6, height + fm.height());
    p->setPen(Qt::NoPen);
    p->setBrush(QColor(255, 255, 255, 215));
    p->drawRoundedRect(box, 4, 4);
    p->setPen(QColor(30, 30, 30));
    p->drawText(QRectF(box.left() + 6, box.top() + 4, fm.horizontalAdvance(title) + 4, 12), Qt::AlignVCenter, title);
    double x = box.left() + fm.horizontalAdvance(title) + 12;
    for (const Band &b : bands()) {
        p->fillRect(QRectF(x, box.top() + 6, swatch - 2, 8), b.colour);
        p->drawText(QRectF(x - 4, box.top() + 16, swatch + 4, fm.height()), Qt::AlignLeft | Qt::AlignTop,
                    QString::number(b.fromKmh));
        x += swatch;
    }
}

void TrackLayer::paintStatic(QPainter *p, const Map::MapViewport &view)
{
    p->setRenderHint(QPainter::Antialiasing);
    const int count = int(m_model->vehicles().size());
    int focus = m_model->vehicleIndex(m_focused);
    if (focus < 0 && count == 1)
        focus = 0;
    for (int i = 0; i < count; ++i) {
        if (i != focus)
            paintVehicle(p, view, i, false);
    }
    if (focus >= 0)
        paintVehicle(p, view, focus, true);
    for (int i = 0; i < count; ++i)
        paintMarkers(p, view, i);
}

void TrackLayer::paintVehicle(QPainter *p, const Map::MapViewport &view, int index, bool focus)
{
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(index);
    if (v.world.empty())
        return;
    const int level = std::clamp(int(std::floor(view.zoom())), Map::kMinZoom, Map::kMaxZoom);
    const std::vector<int> &kept = simplified(index, level);
    const QRectF visible = view.visibleWorld();
    const double margin = 8.0 / view.scale();
    const QRectF cull = visible.adjusted(-margin, -margin, margin, margin);
    const QList<Position> &fixes = v.data.history.fixes;
    const double width = focus ? 4.0 : 3.0;

    // Casing under the line, so it reads on any tiles.
    QList<QPolygonF> runs; // screen polylines of what is on screen, with each point's speed
    QList<std::vector<double>> runSpeeds;
    QPolygonF run;
    std::vector<double> speeds;
    const auto flush = [&] {
        if (run.size() >= 2) {
            runs.append(run);
            runSpeeds.append(speeds);
        }
        run.clear();
        speeds.clear();
    };
    // A gap ends a run: it is drawn dashed, below.
    std::vector<qsizetype> gapBefore;
    for (const TrackAnalysis::Gap &g : v.data.summary.gaps)
        gapBefore.push_back(g.before);
    std::size_t nextGap = 0;
    for (std::size_t k = 0; k < kept.size(); ++k) {
        const int i = kept[k];
        // Cull a chunk at a time: skip the whole chunk when neither it nor its joins are visible.
        if (k % kChunk == 0) {
            QRectF box(v.world[std::size_t(i)], QSizeF(0, 0));
            const std::size_t end = std::min(kept.size(), k + kChunk + 1);
            for (std::size_t j = k; j < end; ++j) {
                const QPointF w = v.world[std::size_t(kept[j])];
                box.setLeft(std::min(box.left(), w.x()));
                box.setRight(std::max(box.right(), w.x()));
                box.setTop(std::min(box.top(), w.y()));
                box.setBottom(std::max(box.bottom(), w.y()));
            }
            if (!Map::overlaps(box, cull)) {
                flush();
                k = end - 2 < k ? k : end - 2; // the chunk's last point starts the next
                while (nextGap < gapBefore.size() && gapBefore[nextGap] < kept[k])
                    ++nextGap;
                continue;
            }
        }
        run.append(view.worldToScreen(v.world[std::size_t(i)]));
        // A piece of a simplified line stands for the fixes it skipped: their mean speed.
        speeds.push_back(k > 0 ? v.meanSpeed(kept[k - 1], i) : fixes[i].speedKmh.value_or(0.0));
        while (nextGap < gapBefore.size() && gapBefore[nextGap] < i)
            ++nextGap;
        if (nextGap < gapBefore.size() && gapBefore[nextGap] == i)
            flush();
    }
    flush();

    p->setBrush(Qt::NoBrush);
    if (focus) {
        // A casing under the focused line, so it reads on any tiles and over the others.
        p->setPen(QPen(QColor(255, 255, 255, 220), width + 2.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        for (const QPolygonF &r : std::as_const(runs))
            drawPolylineInPieces(p, r);
    }
    for (qsizetype r = 0; r < runs.size(); ++r) {
        const QPolygonF &line = runs[r];
        if (!focus) {
            p->setPen(QPen(v.colour, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            drawPolylineInPieces(p, line);
            continue;
        }
        // By speed: consecutive pieces of one colour drawn as one polyline.
        QPolygonF piece{line.first()};
        QColor colour = speedColour(runSpeeds[r][1]);
        for (qsizetype j = 1; j < line.size(); ++j) {
            const QColor c = speedColour(runSpeeds[r][std::size_t(j)]);
            if (c != colour) {
                p->setPen(QPen(colour, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
                drawPolylineInPieces(p, piece);
                piece = QPolygonF{piece.last()};
                colour = c;
            }
            piece.append(line[j]);
        }
        p->setPen(QPen(colour, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        drawPolylineInPieces(p, piece);
    }

    // Gaps: no fix for a while, and the vehicle moved. Dashed: not a road.
    QPen dashed(focus ? QColor(60, 60, 60) : v.colour, 2, Qt::DashLine, Qt::FlatCap);
    p->setPen(dashed);
    for (const TrackAnalysis::Gap &g : v.data.summary.gaps) {
        const QPointF a = view.worldToScreen(v.world[std::size_t(g.before)]);
        const QPointF b = view.worldToScreen(v.world[std::size_t(g.before + 1)]);
        p->drawLine(a, b);
    }

    // Direction arrows every 90 px along the line, on screen only, as one path.
    QPainterPath arrows;
    int arrowCount = 0;
    const QRectF screen(QPointF(0, 0), QSizeF(view.size()));
    for (const QPolygonF &line : std::as_const(runs)) {
        double travelled = 45.0;
        for (qsizetype j = 1; j < line.size() && arrowCount < 400; ++j) {
            const QLineF seg(line[j - 1], line[j]);
            const double length = seg.length();
            double along = 0;
            while (travelled + (length - along) >= 90.0) {
                along += 90.0 - travelled;
                travelled = 0;
                const QPointF at = seg.pointAt(along / length);
                if (!screen.contains(at))
                    continue;
                const double a = qDegreesToRadians(-seg.angle());
                const QPointF d(std::cos(a), std::sin(a));
                const QPointF n(-d.y(), d.x());
                arrows.moveTo(at - d * 3.5 - n * 2.5);
                arrows.lineTo(at + d * 2.1);
                arrows.lineTo(at - d * 3.5 + n * 2.5);
                ++arrowCount;
            }
            travelled += length - along;
        }
    }
    p->setPen(QPen(QColor(255, 255, 255), 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p->drawPath(arrows);
}

void TrackLayer::paintMarkers(QPainter *p, const Map::MapViewport &view, int index)
{
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(index);
    const QRectF screen(QPointF(-20, -20), QSizeF(view.size()) + QSizeF(40, 40));
    const bool detailed = view.zoom() >= 12;
    QFont font = p->font();
    font.setPointSizeF(std::max(7.0, font.pointSizeF() * 0.8));
    font.setBold(true);
    p->setFont(font);
    const QFontMetricsF fm(font);

    // LBS and Wi-Fi fixes: hollow, they are a cell's or a hotspot's guess.
    if (detailed) {
        p->setPen(QPen(v.colour, 1.5));
        p->setBrush(Qt::NoBrush);
        const QList<Position> &fixes = v.data.history.fixes;
        for (qsizetype i = 0; i < fixes.size(); ++i) {
            if (fixes[i].type != PositionType::Lbs && fixes[i].type != PositionType::Wifi)
                continue;
            const QPointF s = view.worldToScreen(v.world[std::size_t(i)]);
            if (screen.contains(s))
                p->drawEllipse(s, 5, 5);
        }
    }
    // Trip starts (green) and ends (dark red).
    for (const TrackAnalysis::TripSummary &t : v.data.summary.trips) {
        if (t.startLat && t.startLng) {
            const QPointF s = view.geoToScreen(*t.startLat, *t.startLng);
            if (screen.contains(s)) {
                p->setPen(QPen(Qt::white, 1.5));
                p->setBrush(QColor(0x1e, 0x9e, 0x4a));
                p->drawEllipse(s, 5, 5);
            }
        }
        if (t.endLat && t.endLng) {
            const QPointF e = view.geoToScreen(*t.endLat, *t.endLng);
            if (screen.contains(e)) {
                p->setPen(QPen(Qt::white, 1.5));
                p->setBrush(QColor(0x8b, 0x1a, 0x1a));
                p->drawRect(QRectF(e - QPointF(4.5, 4.5), QSizeF(9, 9)));
            }
        }
    }
    // Stops: P for parking (ignition off), I for idling, with their duration.
    for (const TrackAnalysis::Stop &s : v.data.summary.stops) {
        const QPointF at = view.geoToScreen(s.lat, s.lng);
        if (!screen.contains(at))
            continue;
        const bool parking = s.kind == TrackAnalysis::StopKind::Parking;
        p->setPen(QPen(Qt::white, 1.5));
        p->setBrush(parking ? QColor(0x2f, 0x6f, 0xdb) : QColor(0xe8, 0xa3, 0x00));
        p->drawEllipse(at, 8, 8);
        p->setPen(Qt::white);
        p->drawText(QRectF(at - QPointF(8, 8), QSizeF(16, 16)), Qt::AlignCenter,
                    parking ? QStringLiteral("P") : QStringLiteral("I"));
        if (detailed) {
            const QString label = durationText(s.seconds());
            const QRectF box(at + QPointF(10, -fm.height() / 2 - 1), QSizeF(fm.horizontalAdvance(label) + 8, fm.height() + 2));
            p->setPen(Qt::NoPen);
            p->setBrush(QColor(255, 255, 255, 225));
            p->drawRoundedRect(box, 3, 3);
            p->setPen(QColor(30, 30, 30));
            p->drawText(box, Qt::AlignCenter, label);
        }
    }
    // Alarms where they were raised.
    for (const Alarm &a : v.data.history.alarms) {
        if (!a.lat || !a.lng)
            continue;
        const QPointF at = view.geoToScreen(*a.lat, *a.lng);
        if (!screen.contains(at))
            continue;
        QPolygonF triangle{at + QPointF(0, -10), at + QPointF(9, 6), at + QPointF(-9, 6)};
        p->setPen(QPen(Qt::white, 1.5));
        p->setBrush(QColor(0xd9, 0x30, 0x25));
        p->drawPolygon(triangle);
        p->setPen(Qt::white);
        p->drawText(QRectF(at - QPointF(8, 6), QSizeF(16, 14)), Qt::AlignCenter, QStringLiteral("!"));
    }
}

void TrackLayer::paintPlayhead(QPainter *p, const Map::MapViewport &view, int index)
{
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(index);
    if (v.world.empty())
        return;
    const PlaybackModel::Sample s = m_model->sample(index);
    const QPointF at = view.worldToScreen(s.world);
    QColor fill = v.colour;
    if (!s.valid)
        fill.setAlpha(90);
    p->setPen(QPen(Qt::white, 2.5, s.inGap ? Qt::DashLine : Qt::SolidLine));
    p->setBrush(fill);
    p->drawEllipse(at, 9, 9);
    if (s.headingDeg && s.valid && !s.inGap) {
        p->setPen(QPen(Qt::white, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        drawArrow(p, at, *s.headingDeg - 90.0, 4.5);
    }
    const QString label = v.data.history.name;
    QFont font = p->font();
    font.setBold(true);
    p->setFont(font);
    const QFontMetricsF fm(font);
    const QRectF box(at + QPointF(12, -fm.height() - 6), QSizeF(fm.horizontalAdvance(label) + 10, fm.height() + 4));
    p->setPen(Qt::NoPen);
    p->setBrush(QColor(255, 255, 255, 230));
    p->drawRoundedRect(box, 4, 4);
    p->setPen(v.colour.darker(130));
    p->drawText(box, Qt::AlignCenter, label);
}

} // namespace Fleet
