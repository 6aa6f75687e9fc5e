#include "clustering.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace Fleet::Map {

namespace {

constexpr qint64 kEmptyKey = std::numeric_limits<qint64>::min();

quint64 mix(quint64 x)
{
    // splitmix64 finaliser: neighbouring cells land far apart in the table.
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

int cellIndex(double worldCoord, double cellsPerWorld)
{
    const double c = std::floor(worldCoord * cellsPerWorld);
    constexpr int kLimit = std::numeric_limits<int>::max() / 2; // room for neighbour offsets
    return int(std::clamp(c, double(-kLimit), double(kLimit)));
}

} // namespace

void clusterByGrid(std::span<const QPointF> world, std::span<const VehicleStatus> statuses, double pixelsPerWorld,
                   double cellPx, GridClusters &out)
{
    const std::size_t n = std::min(world.size(), statuses.size());
    out.clusters.clear();
    out.cells.clear();
    out.clusterOf.assign(n, -1);
    out.cellOf.resize(n);
    if (n == 0 || !(pixelsPerWorld > 0) || !(cellPx > 0))
        return;

    // Open addressing, at most half full: O(1) per point without allocating
    // per frame (the table is cleared, not freed).
    const std::size_t tableSize = std::bit_ceil(std::max<std::size_t>(16, n * 2));
    const std::size_t mask = tableSize - 1;
    out.tableKeys.assign(tableSize, kEmptyKey);
    out.tableCells.resize(tableSize);

    const double cellsPerWorld = pixelsPerWorld / cellPx;
    for (std::size_t i = 0; i < n; ++i) {
        const QPointF p = world[i];
        const int cx = cellIndex(p.x(), cellsPerWorld);
        const int cy = cellIndex(p.y(), cellsPerWorld);
        const qint64 key = (qint64(cx) << 32) | qint64(quint32(cy));
        std::size_t slot = mix(quint64(key)) & mask;
        while (out.tableKeys[slot] != kEmptyKey && out.tableKeys[slot] != key)
            slot = (slot + 1) & mask;
        int cell;
        if (out.tableKeys[slot] == kEmptyKey) {
            out.tableKeys[slot] = key;
            cell = int(out.cells.size());
            out.tableCells[slot] = cell;
            Cluster c;
            c.cellX = cx;
            c.cellY = cy;
            c.status = statuses[i];
            c.worldBounds = QRectF(p, QSizeF(0, 0));
            out.cells.push_back(c);
        } else {
            cell = out.tableCells[slot];
        }
        out.cellOf[i] = cell;

        Cluster &c = out.cells[std::size_t(cell)];
        ++c.count;
        // The centroid accumulates the sum here; divided below.
        c.centroid += p;
        const int s = int(statuses[i]);
        if (s >= 0 && s < kVehicleStatusCount)
            ++c.statusCounts[std::size_t(s)];
        c.status = std::min(c.status, statuses[i]);
        QRectF &b = c.worldBounds;
        if (p.x() < b.left())
            b.setLeft(p.x());
        else if (p.x() > b.right())
            b.setRight(p.x());
        if (p.y() < b.top())
            b.setTop(p.y());
        else if (p.y() > b.bottom())
            b.setBottom(p.y());
    }

    // Reuse tableCells' first entries as the cell → cluster map: every
    // lookup is done.
    std::vector<int> &clusterOfCell = out.tableCells;
    for (std::size_t k = 0; k < out.cells.size(); ++k) {
        Cluster &c = out.cells[k];
        if (c.count < 2) {
            clusterOfCell[k] = -1;
            continue;
        }
        c.centroid /= double(c.count);
        clusterOfCell[k] = int(out.clusters.size());
        out.clusters.push_back(c);
    }
    for (std::size_t i = 0; i < n; ++i)
        out.clusterOf[i] = clusterOfCell[std::size_t(out.cellOf[i])];
}

} // namespace Fleet::Map
