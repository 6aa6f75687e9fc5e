#include "offlinebasemaprenderer.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <vector>

namespace Fleet::Map {

namespace {

// Pixels drawn beyond the tile's edge, so that strokes that straddle it meet
// their other half on the neighbouring tile.
constexpr double kMargin = 4.0;
// Points closer than this to the previous one add nothing visible.
constexpr double kMinStep = 0.35;
// Cities whose dot lies this far outside the tile may still reach into it
// with their label; they take part in label placement so that neighbouring
// tiles agree on which labels are shown.
constexpr double kLabelReachX = 256.0;
constexpr double kLabelReachY = 48.0;
constexpr int kLabelPixelSize = 11;

using Points = std::vector<QPointF>;

// Sutherland–Hodgman against one edge of the clip square.
template<int Axis, bool Upper>
void clipPass(const Points &in, Points &out, double bound)
{
    out.clear();
    if (in.empty())
        return;
    const auto coord = [](const QPointF &p) { return Axis == 0 ? p.x() : p.y(); };
    const auto inside = [&](const QPointF &p) { return Upper ? coord(p) <= bound : coord(p) >= bound; };
    QPointF prev = in.back();
    bool prevIn = inside(prev);
    for (const QPointF &cur : in) {
        const bool curIn = inside(cur);
        if (curIn != prevIn) {
            const double t = (bound - coord(prev)) / (coord(cur) - coord(prev));
            QPointF cut = prev + (cur - prev) * t;
            if (Axis == 0)
                cut.setX(bound);
            else
                cut.setY(bound);
            out.push_back(cut);
        }
        if (curIn)
            out.push_back(cur);
        prev = cur;
        prevIn = curIn;
    }
}

// Liang–Barsky: clips the segment a-b to [lo, hi]²; false when nothing is left.
bool clipSegment(QPointF &a, QPointF &b, double lo, double hi)
{
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    double t0 = 0.0;
    double t1 = 1.0;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x() - lo, hi - a.x(), a.y() - lo, hi - a.y()};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0.0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    const QPointF start = a;
    if (t1 < 1.0)
        b = start + QPointF(dx, dy) * t1;
    if (t0 > 0.0)
        a = start + QPointF(dx, dy) * t0;
    return true;
}

} // namespace

struct OfflineBasemapRenderer::Frame
{
    int z = 0;
    double scale = 0; // pixels per fixed-point unit
    double originX = 0; // the tile's top left in world pixels
    double originY = 0;
    OfflineBasemap::Box query; // the tile plus kMargin, fixed point
    OfflineBasemap::Lod lod = OfflineBasemap::Low;

    QPointF toPixel(quint32 x, quint32 y) const { return {x * scale - originX, y * scale - originY}; }
    OfflineBasemap::Box boxAround(double left, double top, double right, double bottom) const
    {
        const auto fixed = [this](double px) {
            return quint32(std::clamp(std::floor(px / scale), 0.0, double(OfflineBasemap::kFixedOne)));
        };
        return {fixed(originX + left), fixed(originY + top), fixed(originX + right) + 1, fixed(originY + bottom) + 1};
    }
    // The part's points in pixels, without those too close to their predecessor.
    void pixels(const OfflineBasemap::Layer &layer, const OfflineBasemap::Part &part, Points &out) const
    {
        out.clear();
        const quint32 *xy = layer.xy.data() + size_t(part.firstPoint) * 2;
        for (quint32 i = 0; i < part.pointCount; ++i) {
            const QPointF p = toPixel(xy[2 * i], xy[2 * i + 1]);
            if (!out.empty() && i + 1 < part.pointCount && std::abs(p.x() - out.back().x()) < kMinStep
                && std::abs(p.y() - out.back().y()) < kMinStep)
                continue;
            out.push_back(p);
        }
    }
    bool insideClip(const OfflineBasemap::Box &b) const
    {
        const QPointF tl = toPixel(b.minX, b.minY);
        const QPointF br = toPixel(b.maxX, b.maxY);
        return tl.x() >= -kMargin && tl.y() >= -kMargin && br.x() <= kTileSize + kMargin
            && br.y() <= kTileSize + kMargin;
    }
};

OfflineBasemapStyle OfflineBasemapStyle::light()
{
    return {QColor(0xaa, 0xd3, 0xdf), QColor(0xf2, 0xef, 0xe9),      QColor(0x7f, 0xa8, 0xbb),
            QColor(0xb0, 0x93, 0xb9), QColor(0x4a, 0x4a, 0x4a),      QColor(0xff, 0xff, 0xff),
            QColor(0x33, 0x33, 0x33), QColor(0xff, 0xff, 0xff, 0xd8)};
}

OfflineBasemapStyle OfflineBasemapStyle::dark()
{
    return {QColor(0x17, 0x23, 0x30), QColor(0x2d, 0x31, 0x38),      QColor(0x3f, 0x5a, 0x70),
            QColor(0x6e, 0x5f, 0x7c), QColor(0xc9, 0xcd, 0xd3),      QColor(0x1a, 0x1c, 0x20),
            QColor(0xd6, 0xd9, 0xde), QColor(0x15, 0x17, 0x1b, 0xd8)};
}

OfflineBasemapRenderer::OfflineBasemapRenderer(std::shared_ptr<const OfflineBasemap> data)
    : m_data(data ? std::move(data) : std::make_shared<const OfflineBasemap>())
{ }

OfflineBasemap::Lod OfflineBasemapRenderer::lodForZoom(int z)
{
    return z < 3 ? OfflineBasemap::Low : OfflineBasemap::High;
}

int OfflineBasemapRenderer::minZoomForRank(int rank)
{
    // World cities from z 2, the next tier from z 3, the rest from z 5.
    return rank <= 1 ? 2 : rank == 2 ? 3 : rank + 2;
}

QImage OfflineBasemapRenderer::render(TileId tile, const OfflineBasemapStyle &style) const
{
    if (!tile.isValid())
        return {};
    QImage image(kTileSize, kTileSize, QImage::Format_ARGB32_Premultiplied);
    image.fill(style.sea);
    if (!m_data->isValid())
        return image;

    Frame frame;
    frame.z = tile.z;
    frame.scale = std::ldexp(1.0, tile.z + 8 - 31); // 2^(z+8) pixels across kFixedOne == 2^31
    frame.originX = double(tile.x) * kTileSize;
    frame.originY = double(tile.y) * kTileSize;
    frame.query = frame.boxAround(-kMargin, -kMargin, kTileSize + kMargin, kTileSize + kMargin);
    frame.lod = lodForZoom(tile.z);

    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    fillLand(painter, frame, style);
    const double lineWidth = tile.z < 5 ? 0.8 : 1.0;
    strokeLines(painter, frame, m_data->coastlines(frame.lod), QPen(style.coastline, lineWidth));
    strokeLines(painter, frame, m_data->borders(frame.lod),
                QPen(style.border, lineWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    drawCities(painter, frame, style);
    return image;
}

void OfflineBasemapRenderer::fillLand(QPainter &painter, const Frame &frame, const OfflineBasemapStyle &style) const
{
    thread_local Points a;
    thread_local Points b;
    const OfflineBasemap::Layer &layer = m_data->land(frame.lod);
    const double lo = -kMargin;
    const double hi = kTileSize + kMargin;
    // One path for all of it: even-odd makes the holes, and polygons that
    // touch get no antialiased seam between them.
    QPainterPath path;
    path.setFillRule(Qt::OddEvenFill);
    for (const OfflineBasemap::Feature &feature : layer.features) {
        if (!feature.box.intersects(frame.query))
            continue;
        for (quint32 i = feature.firstPart; i < feature.firstPart + feature.partCount; ++i) {
            const OfflineBasemap::Part &part = layer.parts[i];
            if (!part.box.intersects(frame.query))
                continue;
            frame.pixels(layer, part, a);
            if (!frame.insideClip(part.box)) {
                clipPass<0, false>(a, b, lo);
                clipPass<0, true>(b, a, hi);
                clipPass<1, false>(a, b, lo);
                clipPass<1, true>(b, a, hi);
            }
            if (a.size() < 3)
                continue;
            path.moveTo(a.front());
            for (size_t k = 1; k < a.size(); ++k)
                path.lineTo(a[k]);
            path.closeSubpath();
        }
    }
    if (!path.isEmpty())
        painter.fillPath(path, style.land);
}

void OfflineBasemapRenderer::strokeLines(QPainter &painter, const Frame &frame, const OfflineBasemap::Layer &layer,
                                         const QPen &pen) const
{
    thread_local Points points;
    const double lo = -kMargin;
    const double hi = kTileSize + kMargin;
    QPainterPath path;
    for (const OfflineBasemap::Feature &feature : layer.features) {
        if (!feature.box.intersects(frame.query))
            continue;
        for (quint32 i = feature.firstPart; i < feature.firstPart + feature.partCount; ++i) {
            const OfflineBasemap::Part &part = layer.parts[i];
            if (!part.box.intersects(frame.query))
                continue;
            frame.pixels(layer, part, points);
            bool connected = false; // the path's current point is this segment's start
            for (size_t k = 1; k < points.size(); ++k) {
                QPointF s = points[k - 1];
                QPointF e = points[k];
                if (!clipSegment(s, e, lo, hi)) {
                    connected = false;
                    continue;
                }
                if (!connected || s != points[k - 1])
                    path.moveTo(s);
                path.lineTo(e);
                connected = e == points[k];
            }
        }
    }
    if (!path.isEmpty())
        painter.strokePath(path, pen);
}

void OfflineBasemapRenderer::drawCities(QPainter &painter, const Frame &frame, const OfflineBasemapStyle &style) const
{
    if (frame.z < minZoomForRank(1))
        return;
    thread_local std::vector<QRectF> taken;
    taken.clear();
    const OfflineBasemap::Box reach = frame.boxAround(-kLabelReachX, -kLabelReachY, kTileSize + kLabelReachX,
                                                      kTileSize + kLabelReachY);
    const QRectF tileRect(0, 0, kTileSize, kTileSize);

    QFont font;
    font.setPixelSize(kLabelPixelSize);
    const QFontMetricsF metrics(font);
    QPen halo(style.cityHalo, 3.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);

    const auto isFree = [](const QRectF &r) {
        return std::none_of(taken.begin(), taken.end(), [&r](const QRectF &t) { return t.intersects(r); });
    };
    for (const OfflineBasemap::City &city : m_data->cities()) {
        if (minZoomForRank(city.rank) > frame.z)
            continue;
        if (city.x < reach.minX || city.x > reach.maxX || city.y < reach.minY || city.y > reach.maxY)
            continue;
        const QPointF at = frame.toPixel(city.x, city.y);
        const double radius = city.rank == 1 ? 3.0 : 2.5;
        const QRectF dot(at.x() - radius, at.y() - radius, 2 * radius, 2 * radius);
        if (!isFree(dot))
            continue;
        const double width = metrics.horizontalAdvance(city.name);
        const double height = metrics.height();
        const QRectF right(at.x() + radius + 3, at.y() - height / 2, width, height);
        const QRectF left(at.x() - radius - 3 - width, at.y() - height / 2, width, height);
        const QRectF *label = isFree(right) ? &right : isFree(left) ? &left : nullptr;
        taken.push_back(dot.adjusted(-2, -2, 2, 2));
        if (label)
            taken.push_back(label->adjusted(-3, -1, 3, 1));

        if (dot.intersects(tileRect)) {
            painter.setPen(QPen(style.cityOutline, 1.0));
            painter.setBrush(style.cityDot);
            painter.drawEllipse(dot);
        }
        if (label && label->adjusted(-2, -2, 2, 2).intersects(tileRect)) {
            QPainterPath text;
            text.addText(label->left(), label->top() + metrics.ascent(), font, city.name);
            painter.strokePath(text, halo);
            painter.fillPath(text, style.cityText);
        }
    }
}

} // namespace Fleet::Map
