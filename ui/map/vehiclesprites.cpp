#include "vehiclesprites.h"

#include "style/vehiclestyle.h"

#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace Fleet::Map {

namespace {

constexpr int kMarkersPerStatus = VehicleSprites::kHeadingSteps + 1; // the last one is the circle
constexpr double kMarkerExtent = 12; // logical px from the centre that a marker image covers
constexpr double kLabelPad = 2; // room for the halo around the text
constexpr qsizetype kLabelCacheBytes = 64 << 20;
constexpr qsizetype kClusterCacheBytes = 16 << 20;
const QColor kSelection(0x00, 0x9c, 0xc8);

// A square image whose centre is the middle of pixel `anchor`, `extent`
// logical px each way at `ratio`.
QImage centredCanvas(double extent, qreal ratio, QPoint *anchor)
{
    const int half = int(std::ceil(extent * ratio));
    *anchor = QPoint(half, half);
    QImage image(2 * half + 1, 2 * half + 1, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    return image;
}

// Crops the transparent border so that drawing touches no more pixels than needed.
VehicleSprites::Sprite trimmed(const QImage &image, QPoint anchor)
{
    int left = image.width(), right = -1, top = image.height(), bottom = -1;
    for (int y = 0; y < image.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if (qAlpha(line[x]) != 0) {
                left = std::min(left, x);
                right = std::max(right, x);
                top = std::min(top, y);
                bottom = std::max(bottom, y);
            }
        }
    }
    if (right < 0)
        return {image, anchor};
    return {image.copy(left, top, right - left + 1, bottom - top + 1), anchor - QPoint(left, top)};
}

bool showsHeading(VehicleStatus status)
{
    return status == VehicleStatus::Moving || status == VehicleStatus::Idle || status == VehicleStatus::Alarm;
}

QString countText(int count)
{
    if (count < 1000)
        return QString::number(count);
    if (count < 9950) // rounds to 9.9k at most
        return QString::number(count / 1000.0, 'f', 1) + QLatin1Char('k');
    return QString::number(count / 1000) + QLatin1Char('k');
}

} // namespace

VehicleSprites::VehicleSprites()
    : m_font(QGuiApplication::font())
    , m_metrics(m_font)
    , m_markers(std::size_t(kVehicleStatusCount * kMarkersPerStatus))
    , m_clusters(kClusterCacheBytes)
    , m_labels(kLabelCacheBytes)
{
    m_font.setPixelSize(11);
    m_font.setWeight(QFont::DemiBold);
    m_metrics = QFontMetricsF(m_font);
}

void VehicleSprites::setDevicePixelRatio(qreal ratio)
{
    if (!(ratio > 0) || ratio == m_ratio)
        return;
    m_ratio = ratio;
    clearImages();
}

void VehicleSprites::setDarkStyle(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    m_labels.clear();
}

void VehicleSprites::setLabelFont(const QFont &font)
{
    m_font = font;
    m_metrics = QFontMetricsF(m_font);
    m_labels.clear();
}

void VehicleSprites::clearImages()
{
    std::fill(m_markers.begin(), m_markers.end(), Sprite());
    m_halo = Sprite();
    m_clusters.clear();
    m_labels.clear();
}

int VehicleSprites::markerIndex(VehicleStatus status, std::optional<double> headingDeg)
{
    const int s = std::clamp(int(status), 0, kVehicleStatusCount - 1);
    int step = kHeadingSteps; // the circle
    if (headingDeg && std::isfinite(*headingDeg) && showsHeading(status)) {
        const double degrees = std::fmod(std::fmod(*headingDeg, 360.0) + 360.0, 360.0);
        step = int(std::lround(degrees / (360.0 / kHeadingSteps))) % kHeadingSteps;
    }
    return s * kMarkersPerStatus + step;
}

VehicleStatus VehicleSprites::markerStatus(int index)
{
    return VehicleStatus(index / kMarkersPerStatus);
}

const VehicleSprites::Sprite &VehicleSprites::marker(int index)
{
    Sprite &s = m_markers[std::size_t(index)];
    if (s.image.isNull())
        s = renderMarker(index);
    return s;
}

VehicleSprites::Sprite VehicleSprites::renderMarker(int index) const
{
    const VehicleStatus status = markerStatus(index);
    const int step = index % kMarkersPerStatus;
    QPoint anchor;
    QImage image = centredCanvas(kMarkerExtent, m_ratio, &anchor);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.translate(anchor.x() + 0.5, anchor.y() + 0.5);
    p.scale(m_ratio, m_ratio);

    QPainterPath shape;
    if (step == kHeadingSteps) {
        shape.addEllipse(QPointF(0, 0), 6.5, 6.5);
    } else {
        // A navigation arrow around the centre, pointing north before rotation.
        p.rotate(step * (360.0 / kHeadingSteps));
        shape.moveTo(0, -8.5);
        shape.lineTo(6.5, 7);
        shape.lineTo(0, 3.5);
        shape.lineTo(-6.5, 7);
        shape.closeSubpath();
    }
    // Dark rim, then white rim, then the colour: reads on light and dark
    // basemaps alike.
    p.strokePath(shape, QPen(QColor(0, 0, 0, 110), 4.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.strokePath(shape, QPen(Qt::white, 2.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.fillPath(shape, vehicleStatusColor(status));
    p.end();
    return trimmed(image, anchor);
}

const VehicleSprites::Sprite &VehicleSprites::selectionHalo()
{
    if (!m_halo.image.isNull())
        return m_halo;
    QPoint anchor;
    QImage image = centredCanvas(kHaloRadius + 2, m_ratio, &anchor);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.translate(anchor.x() + 0.5, anchor.y() + 0.5);
    p.scale(m_ratio, m_ratio);
    QColor fill = kSelection;
    fill.setAlpha(80);
    p.setBrush(fill);
    p.setPen(QPen(Qt::white, 4.5));
    p.drawEllipse(QPointF(0, 0), kHaloRadius - 1.5, kHaloRadius - 1.5);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(kSelection, 2.5));
    p.drawEllipse(QPointF(0, 0), kHaloRadius - 1.5, kHaloRadius - 1.5);
    p.end();
    m_halo = trimmed(image, anchor);
    return m_halo;
}

double VehicleSprites::clusterRadius(int count)
{
    return 12.0 + 6.0 * std::log10(double(std::max(count, 1)));
}

VehicleSprites::StatusCounts VehicleSprites::ringUnits(const StatusCounts &statusCounts)
{
    StatusCounts units{};
    qint64 total = 0;
    for (const int n : statusCounts)
        total += std::max(n, 0);
    if (total == 0)
        return units;
    // Largest remainder, with one unit at least for every status present so
    // that a single alarm in a thousand still shows.
    int used = 0;
    std::array<qint64, kVehicleStatusCount> remainder{};
    for (std::size_t s = 0; s < units.size(); ++s) {
        const qint64 n = std::max(statusCounts[s], 0);
        if (n == 0)
            continue;
        units[s] = std::max(1, int(n * kRingUnits / total));
        remainder[s] = n * kRingUnits % total;
        used += units[s];
    }
    while (used > kRingUnits) {
        // Take from the largest slice (the lowest status on ties).
        const auto it = std::max_element(units.begin(), units.end());
        --*it;
        --used;
    }
    while (used < kRingUnits) {
        std::size_t best = 0;
        for (std::size_t s = 1; s < units.size(); ++s) {
            if (remainder[s] > remainder[best])
                best = s;
        }
        if (remainder[best] <= 0) {
            best = std::size_t(std::max_element(units.begin(), units.end()) - units.begin());
        } else {
            remainder[best] = 0;
        }
        ++units[best];
        ++used;
    }
    return units;
}

const VehicleSprites::Sprite &VehicleSprites::cluster(int count, const StatusCounts &statusCounts)
{
    const StatusCounts units = ringUnits(statusCounts);
    const bool alarm = statusCounts[std::size_t(VehicleStatus::Alarm)] > 0;
    // 6 bits per slice (at most kRingUnits = 48), then the alarm flag, then the count.
    quint64 key = 0;
    for (const int u : units)
        key = (key << 6) | quint64(u);
    key |= (alarm ? 1ULL : 0ULL) << 42;
    key |= quint64(std::clamp(count, 0, 1 << 20)) << 43;
    if (const Sprite *cached = m_clusters.object(key))
        return *cached;
    Sprite rendered = renderCluster(count, units, alarm);
    const qsizetype cost = rendered.image.sizeInBytes();
    if (cost <= kClusterCacheBytes && m_clusters.insert(key, new Sprite(rendered), cost))
        return *m_clusters.object(key);
    m_lastCluster = std::move(rendered);
    return m_lastCluster;
}

VehicleSprites::Sprite VehicleSprites::renderCluster(int count, const StatusCounts &units, bool alarm) const
{
    const double r = clusterRadius(count);
    QPoint anchor;
    QImage image = centredCanvas(r + 5, m_ratio, &anchor);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.translate(anchor.x() + 0.5, anchor.y() + 0.5);
    p.scale(m_ratio, m_ratio);
    if (alarm) {
        p.setPen(QPen(vehicleStatusColor(VehicleStatus::Alarm), 3));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QPointF(0, 0), r + 2.5, r + 2.5);
    }
    // A soft dark edge so the badge reads on light basemaps.
    p.setPen(QPen(QColor(0, 0, 0, 90), 1.5));
    p.setBrush(Qt::white);
    p.drawEllipse(QPointF(0, 0), r, r);

    // The status ring, clockwise from twelve o'clock in precedence order.
    const QRectF ring(-r, -r, 2 * r, 2 * r);
    p.setPen(Qt::NoPen);
    int start = 90 * 16;
    for (std::size_t s = 0; s < units.size(); ++s) {
        if (units[s] == 0)
            continue;
        const int span = -units[s] * 360 * 16 / kRingUnits;
        p.setBrush(vehicleStatusColor(VehicleStatus(s)));
        p.drawPie(ring, start, span);
        start += span;
    }
    const double inner = r - std::max(3.5, r * 0.26);
    p.setBrush(Qt::white);
    p.drawEllipse(QPointF(0, 0), inner, inner);

    QFont font = m_font;
    font.setBold(true);
    font.setPixelSize(int(std::round(inner * (count >= 100 ? 0.85 : 1.0))));
    p.setFont(font);
    p.setPen(QColor(0x20, 0x21, 0x24));
    p.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt::AlignCenter, countText(count));
    p.end();
    return {image, anchor};
}

QSizeF VehicleSprites::labelSize(const QString &text) const
{
    if (text.isEmpty())
        return {};
    return {std::ceil(m_metrics.horizontalAdvance(text)) + 2 * kLabelPad,
            std::ceil(m_metrics.height()) + 2 * kLabelPad};
}

const QImage &VehicleSprites::label(const QString &text)
{
    if (const QImage *cached = m_labels.object(text))
        return *cached;
    QImage rendered = renderLabel(text);
    const qsizetype cost = rendered.sizeInBytes();
    if (cost <= kLabelCacheBytes && m_labels.insert(text, new QImage(rendered), cost))
        return *m_labels.object(text);
    m_lastLabel = std::move(rendered);
    return m_lastLabel;
}

QImage VehicleSprites::renderLabel(const QString &text) const
{
    const QSizeF size = labelSize(text);
    QImage image(int(std::ceil(size.width() * m_ratio)), int(std::ceil(size.height() * m_ratio)),
                 QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    if (image.isNull())
        return image;
    const QColor textColour = m_dark ? QColor(0xf1, 0xf3, 0xf4) : QColor(0x20, 0x21, 0x24);
    const QColor haloColour = m_dark ? QColor(0x20, 0x21, 0x24, 230) : QColor(255, 255, 255, 235);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(m_ratio, m_ratio);
    const QPointF baseline(kLabelPad, kLabelPad + m_metrics.ascent());
    QPainterPath path;
    path.addText(baseline, m_font, text);
    p.strokePath(path, QPen(haloColour, 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setFont(m_font);
    p.setPen(textColour);
    p.drawText(baseline, text);
    p.end();
    return image;
}

} // namespace Fleet::Map
