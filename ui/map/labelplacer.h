#pragma once

#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <array>
#include <span>
#include <vector>

namespace Fleet::Map {

// Places map labels next to their markers without overlaps, greedily by
// priority: each label tries right, left, above and below its anchor, first
// where it covers no marker icon ("obstacle"); a label allowed to
// (mayCoverIcons: the selected vehicle's, alarms) then takes the first side
// where it covers no other label. A label that fits nowhere inside the bounds
// is dropped. Rectangles are snapped to whole pixels (labels are drawn at
// whole pixels anyway).
//
// Each candidate costs bounded work, so a call is O(n): placed labels and
// obstacles (rounded out to whole pixels) are marked in one-bit-per-pixel
// occupancy grids, where 64 pixels of a row are one word, so a test is a few
// dozen AND operations and never walks a list. Only when a label's own icon
// reaches into a candidate does the exact test against the other obstacles
// go through a bucket grid of cellSize() px, built on first need. The result
// depends only on the input (ties keep input order). One instance is meant to
// be reused frame after frame: its buffers keep their capacity.
class LabelPlacer
{
public:
    enum class Side : quint8 { Right, Left, Above, Below };

    struct Label
    {
        QPointF anchor; // the marker's centre
        QSizeF size;
        // Distance from the anchor to the near edge of the label (the icon's
        // radius plus a gap).
        double offset = 12;
        int priority = 0; // lower is placed first
        int obstacle = -1; // this label's own icon among the obstacles, never avoided
        bool mayCoverIcons = false; // rather than be dropped
    };

    struct Placement
    {
        int label = -1; // index into the labels passed to place()
        QRectF rect;
        Side side = Side::Right;
        bool coversIcon = false;
    };

    // Labels must lie entirely inside the bounds.
    void setBounds(const QRectF &bounds) { m_bounds = bounds; }
    QRectF bounds() const { return m_bounds; }
    void setCellSize(double px)
    {
        m_cellSize = px > 1 ? px : 1;
        m_cellsPerPx = 1 / m_cellSize;
    }
    double cellSize() const { return m_cellSize; }

    // Returns the placed labels in placement order; valid until the next call.
    const std::vector<Placement> &place(std::span<const Label> labels, std::span<const QRectF> obstacles);

    // The rectangle a label takes on one side of its anchor, snapped to whole pixels.
    static QRectF candidate(const Label &label, Side side);

private:
    struct CellRange
    {
        int x0, y0, x1, y1;
    };
    // Whole pixels, half-open: [x0, x1) × [y0, y1).
    struct Box
    {
        int x0, y0, x1, y1;
    };
    struct Obstacle
    {
        QRectF rect;
        int id;
    };
    // All four sides, in kSides order; false when the label cannot be placed at all.
    static bool candidates(const Label &label, std::array<Box, 4> &boxes);
    Box clipped(const QRectF &r) const;
    CellRange cellsOf(const QRectF &r) const;
    bool any(const std::vector<quint64> &bits, const Box &b) const;
    void fill(std::vector<quint64> &bits, const Box &b);
    bool hitsObstacle(const Box &b, int own, std::span<const QRectF> obstacles);
    void bucketObstacles(std::span<const QRectF> obstacles);
    void order(std::span<const Label> labels);

    QRectF m_bounds;
    double m_cellSize = 48;
    double m_cellsPerPx = 1.0 / 48;
    int m_cols = 0;
    int m_rows = 0;

    std::vector<Placement> m_placed;
    std::vector<int> m_order;
    std::vector<int> m_bucket;
    // Occupancy of the whole pixels inside the bounds, from (m_originX,
    // m_originY) to (m_endX, m_endY): one bit per pixel, m_stride words per row.
    std::vector<quint64> m_labelBits;
    std::vector<quint64> m_obstacleBits;
    int m_stride = 0;
    int m_originX = 0;
    int m_originY = 0;
    int m_endX = 0;
    int m_endY = 0;
    // Obstacles by cell, compressed rows: m_obstacleStart[c] .. [c + 1]
    // index m_obstacles (rects copied in, so a test reads one array).
    bool m_bucketed = false;
    std::vector<int> m_obstacleStart;
    std::vector<Obstacle> m_obstacles;
};

} // namespace Fleet::Map
