#include "labelplacer.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace Fleet::Map {

namespace {

constexpr std::array<LabelPlacer::Side, 4> kSides{LabelPlacer::Side::Right, LabelPlacer::Side::Left,
                                                  LabelPlacer::Side::Above, LabelPlacer::Side::Below};
// Counting sort up to this many distinct priorities, a comparison sort beyond.
constexpr int kMaxCountingRange = 4096;
// Coordinates far beyond any screen place nothing (and would overflow int).
constexpr double kMaxCoordinate = 1 << 28;

bool overlaps(const QRectF &a, const QRectF &b)
{
    // Touching edges do not overlap.
    return a.left() < b.right() && b.left() < a.right() && a.top() < b.bottom() && b.top() < a.bottom();
}

int whole(double v)
{
    return int(std::floor(v + 0.5));
}

QRectF rectOf(int x0, int y0, int x1, int y1)
{
    return QRectF(x0, y0, x1 - x0, y1 - y0);
}

} // namespace

bool LabelPlacer::candidates(const Label &label, std::array<Box, 4> &boxes)
{
    const double x = label.anchor.x();
    const double y = label.anchor.y();
    if (label.size.isEmpty() || !(std::abs(x) < kMaxCoordinate) || !(std::abs(y) < kMaxCoordinate)
        || !(label.size.width() < kMaxCoordinate) || !(label.size.height() < kMaxCoordinate)
        || !(std::abs(label.offset) < kMaxCoordinate))
        return false;
    const int w = int(std::ceil(label.size.width()));
    const int h = int(std::ceil(label.size.height()));
    const int ax = whole(x);
    const int ay = whole(y);
    const int off = whole(label.offset);
    const int midX = ax - w / 2;
    const int midY = ay - h / 2;
    boxes[0] = {ax + off, midY, ax + off + w, midY + h}; // right
    boxes[1] = {ax - off - w, midY, ax - off, midY + h}; // left
    boxes[2] = {midX, ay - off - h, midX + w, ay - off}; // above
    boxes[3] = {midX, ay + off, midX + w, ay + off + h}; // below
    return true;
}

QRectF LabelPlacer::candidate(const Label &label, Side side)
{
    std::array<Box, 4> boxes;
    if (!candidates(label, boxes))
        return {};
    const Box &b = boxes[std::size_t(side)];
    return rectOf(b.x0, b.y0, b.x1, b.y1);
}

LabelPlacer::Box LabelPlacer::clipped(const QRectF &r) const
{
    // Rounded out: a label clear of the box is clear of the rectangle.
    const auto clamp = [](double v, int lo, int hi) {
        // NaN lands on lo: an empty box.
        return v >= lo ? (v <= hi ? int(v) : hi) : lo;
    };
    return {clamp(std::floor(r.left()), m_originX, m_endX), clamp(std::floor(r.top()), m_originY, m_endY),
            clamp(std::ceil(r.right()), m_originX, m_endX), clamp(std::ceil(r.bottom()), m_originY, m_endY)};
}

LabelPlacer::CellRange LabelPlacer::cellsOf(const QRectF &r) const
{
    const auto col = [this](double x) {
        return int(std::clamp(std::floor((x - m_bounds.left()) * m_cellsPerPx), 0.0, double(m_cols - 1)));
    };
    const auto row = [this](double y) {
        return int(std::clamp(std::floor((y - m_bounds.top()) * m_cellsPerPx), 0.0, double(m_rows - 1)));
    };
    return {col(r.left()), row(r.top()), col(r.right()), row(r.bottom())};
}

bool LabelPlacer::any(const std::vector<quint64> &bits, const Box &b) const
{
    const int x0 = b.x0 - m_originX;
    const int x1 = b.x1 - m_originX;
    const int w0 = x0 >> 6;
    const int w1 = (x1 - 1) >> 6;
    const quint64 first = ~quint64(0) << (x0 & 63);
    const quint64 last = ~quint64(0) >> (63 - ((x1 - 1) & 63));
    for (int y = b.y0 - m_originY; y < b.y1 - m_originY; ++y) {
        const quint64 *row = bits.data() + std::size_t(y) * std::size_t(m_stride);
        if (w0 == w1) {
            if (row[w0] & first & last)
                return true;
            continue;
        }
        if ((row[w0] & first) || (row[w1] & last))
            return true;
        for (int w = w0 + 1; w < w1; ++w) {
            if (row[w])
                return true;
        }
    }
    return false;
}

void LabelPlacer::fill(std::vector<quint64> &bits, const Box &b)
{
    if (b.x1 <= b.x0 || b.y1 <= b.y0)
        return;
    const int x0 = b.x0 - m_originX;
    const int x1 = b.x1 - m_originX;
    const int w0 = x0 >> 6;
    const int w1 = (x1 - 1) >> 6;
    const quint64 first = ~quint64(0) << (x0 & 63);
    const quint64 last = ~quint64(0) >> (63 - ((x1 - 1) & 63));
    for (int y = b.y0 - m_originY; y < b.y1 - m_originY; ++y) {
        quint64 *row = bits.data() + std::size_t(y) * std::size_t(m_stride);
        if (w0 == w1) {
            row[w0] |= first & last;
            continue;
        }
        row[w0] |= first;
        row[w1] |= last;
        for (int w = w0 + 1; w < w1; ++w)
            row[w] = ~quint64(0);
    }
}

bool LabelPlacer::hitsObstacle(const Box &b, int own, std::span<const QRectF> obstacles)
{
    if (!any(m_obstacleBits, b))
        return false;
    bool ownReaches = false;
    if (own >= 0 && std::size_t(own) < obstacles.size()) {
        const Box o = clipped(obstacles[std::size_t(own)]);
        ownReaches = o.x0 < b.x1 && b.x0 < o.x1 && o.y0 < b.y1 && b.y0 < o.y1;
    }
    if (!ownReaches)
        return true;
    // The marked pixels may be the label's own icon alone: ask the exact grid.
    if (!m_bucketed)
        bucketObstacles(obstacles);
    const QRectF r = rectOf(b.x0, b.y0, b.x1, b.y1);
    const CellRange cells = cellsOf(r);
    for (int y = cells.y0; y <= cells.y1; ++y) {
        const std::size_t rowStart = std::size_t(y) * std::size_t(m_cols);
        // The cells of one grid row are contiguous in m_obstacles.
        const int end = m_obstacleStart[rowStart + std::size_t(cells.x1) + 1];
        for (int k = m_obstacleStart[rowStart + std::size_t(cells.x0)]; k < end; ++k) {
            const Obstacle &o = m_obstacles[std::size_t(k)];
            if (o.id != own && overlaps(r, o.rect))
                return true;
        }
    }
    return false;
}

void LabelPlacer::bucketObstacles(std::span<const QRectF> obstacles)
{
    m_bucketed = true;
    m_cols = std::max(1, int(std::ceil(m_bounds.width() * m_cellsPerPx)));
    m_rows = std::max(1, int(std::ceil(m_bounds.height() * m_cellsPerPx)));
    // Two counting passes: no per-cell lists to allocate.
    const std::size_t cells = std::size_t(m_cols) * std::size_t(m_rows);
    m_obstacleStart.assign(cells + 1, 0);
    for (const QRectF &o : obstacles) {
        if (!overlaps(o, m_bounds))
            continue;
        const CellRange c = cellsOf(o);
        for (int y = c.y0; y <= c.y1; ++y)
            for (int x = c.x0; x <= c.x1; ++x)
                ++m_obstacleStart[std::size_t(y * m_cols + x) + 1];
    }
    for (std::size_t c = 1; c <= cells; ++c)
        m_obstacleStart[c] += m_obstacleStart[c - 1];
    m_obstacles.resize(std::size_t(m_obstacleStart[cells]));
    // m_bucket serves as the fill cursor per cell.
    m_bucket.assign(m_obstacleStart.begin(), m_obstacleStart.end() - 1);
    for (std::size_t i = 0; i < obstacles.size(); ++i) {
        const QRectF &o = obstacles[i];
        if (!overlaps(o, m_bounds))
            continue;
        const CellRange c = cellsOf(o);
        for (int y = c.y0; y <= c.y1; ++y)
            for (int x = c.x0; x <= c.x1; ++x)
                m_obstacles[std::size_t(m_bucket[std::size_t(y) * std::size_t(m_cols) + std::size_t(x)]++)] = {o,
                                                                                                               int(i)};
    }
}

void LabelPlacer::order(std::span<const Label> labels)
{
    m_order.resize(labels.size());
    if (labels.empty())
        return;
    const auto [lo, hi] = std::minmax_element(labels.begin(), labels.end(),
                                              [](const Label &a, const Label &b) { return a.priority < b.priority; });
    const qint64 range = qint64(hi->priority) - lo->priority + 1;
    if (range > kMaxCountingRange) {
        for (std::size_t i = 0; i < labels.size(); ++i)
            m_order[i] = int(i);
        std::stable_sort(m_order.begin(), m_order.end(), [&labels](int a, int b) {
            return labels[std::size_t(a)].priority < labels[std::size_t(b)].priority;
        });
        return;
    }
    // Counting sort: stable, so equal priorities keep input order.
    const int base = lo->priority;
    m_bucket.assign(std::size_t(range) + 1, 0);
    for (const Label &l : labels)
        ++m_bucket[std::size_t(l.priority - base) + 1];
    for (std::size_t b = 1; b < m_bucket.size(); ++b)
        m_bucket[b] += m_bucket[b - 1];
    for (std::size_t i = 0; i < labels.size(); ++i)
        m_order[std::size_t(m_bucket[std::size_t(labels[i].priority - base)]++)] = int(i);
}

const std::vector<LabelPlacer::Placement> &LabelPlacer::place(std::span<const Label> labels,
                                                              std::span<const QRectF> obstacles)
{
    m_placed.clear();
    m_bucketed = false;
    if (labels.empty() || m_bounds.isEmpty())
        return m_placed;

    m_originX = int(std::ceil(std::max(m_bounds.left(), -kMaxCoordinate)));
    m_originY = int(std::ceil(std::max(m_bounds.top(), -kMaxCoordinate)));
    m_endX = std::max(m_originX, int(std::floor(std::min(m_bounds.right(), kMaxCoordinate))));
    m_endY = std::max(m_originY, int(std::floor(std::min(m_bounds.bottom(), kMaxCoordinate))));
    m_stride = (m_endX - m_originX + 63) / 64;
    const std::size_t words = std::size_t(m_stride) * std::size_t(m_endY - m_originY);
    m_labelBits.assign(words, 0);
    m_obstacleBits.assign(words, 0);
    for (const QRectF &o : obstacles)
        fill(m_obstacleBits, clipped(o));

    order(labels);
    std::array<Box, 4> boxes;
    for (const int index : m_order) {
        const Label &label = labels[std::size_t(index)];
        if (!candidates(label, boxes))
            continue;
        std::array<bool, 4> inBounds{};
        int chosen = -1;
        for (std::size_t s = 0; s < boxes.size() && chosen < 0; ++s) {
            const Box &b = boxes[s];
            inBounds[s] = b.x0 >= m_originX && b.y0 >= m_originY && b.x1 <= m_endX && b.y1 <= m_endY;
            if (inBounds[s] && !hitsObstacle(b, label.obstacle, obstacles) && !any(m_labelBits, b))
                chosen = int(s);
        }
        const bool coversIcon = chosen < 0;
        for (std::size_t s = 0; s < boxes.size() && chosen < 0 && label.mayCoverIcons; ++s) {
            if (inBounds[s] && !any(m_labelBits, boxes[s]))
                chosen = int(s);
        }
        if (chosen < 0)
            continue;
        const Box &b = boxes[std::size_t(chosen)];
        m_placed.push_back({index, rectOf(b.x0, b.y0, b.x1, b.y1), kSides[std::size_t(chosen)], coversIcon});
        fill(m_labelBits, b);
    }
    return m_placed;
}

} // namespace Fleet::Map
