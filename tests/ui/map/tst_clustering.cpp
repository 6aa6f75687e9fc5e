#include "map/clustering.h"
#include "map/geomath.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <map>
#include <set>

using namespace Fleet;
using namespace Fleet::Map;

namespace {

constexpr double kCell = 64;

std::pair<int, int> cellOf(QPointF world, double scale)
{
    return {int(std::floor(world.x() * scale / kCell)), int(std::floor(world.y() * scale / kCell))};
}

// A world point inside cell (cx, cy), at fraction (fx, fy) of the cell.
QPointF inCell(int cx, int cy, double fx, double fy, double scale)
{
    return {(cx + fx) * kCell / scale, (cy + fy) * kCell / scale};
}

struct Input
{
    std::vector<QPointF> world;
    std::vector<VehicleStatus> status;

    void add(QPointF p, VehicleStatus s = VehicleStatus::Moving)
    {
        world.push_back(p);
        status.push_back(s);
    }
};

} // namespace

class tst_Clustering : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyInput()
    {
        GridClusters out;
        clusterByGrid({}, {}, worldSizePx(10), kCell, out);
        QVERIFY(out.clusters.empty());
        QVERIFY(out.clusterOf.empty());
    }

    void singleStaysAlonePairClusters()
    {
        const double scale = worldSizePx(10);
        Input in;
        in.add(inCell(100, 200, 0.2, 0.2, scale));
        in.add(inCell(100, 200, 0.8, 0.7, scale)); // same cell
        in.add(inCell(101, 200, 0.1, 0.5, scale)); // neighbour cell, alone
        GridClusters out;
        clusterByGrid(in.world, in.status, scale, kCell, out);
        QCOMPARE(out.clusters.size(), std::size_t(1));
        QCOMPARE(out.clusters[0].count, 2);
        QCOMPARE(out.clusters[0].cellX, 100);
        QCOMPARE(out.clusters[0].cellY, 200);
        QCOMPARE(out.clusterOf, (std::vector<int>{0, 0, -1}));
    }

    void everyPointAccountedForOnce()
    {
        const double scale = worldSizePx(9);
        QRandomGenerator rng(7);
        Input in;
        const QPointF origin = project(48.85, 2.35);
        for (int i = 0; i < 5000; ++i) {
            const QPointF offset(rng.bounded(2000.0) / scale, rng.bounded(1200.0) / scale);
            in.add(origin + offset, VehicleStatus(rng.bounded(kVehicleStatusCount)));
        }
        GridClusters out;
        clusterByGrid(in.world, in.status, scale, kCell, out);
        QCOMPARE(out.clusterOf.size(), in.world.size());

        // Ground truth: points per cell.
        std::map<std::pair<int, int>, int> perCell;
        for (const QPointF &p : in.world)
            ++perCell[cellOf(p, scale)];

        std::vector<int> members(out.clusters.size(), 0);
        int singles = 0;
        for (std::size_t i = 0; i < in.world.size(); ++i) {
            const int c = out.clusterOf[i];
            const auto cell = cellOf(in.world[i], scale);
            if (c < 0) {
                ++singles;
                QCOMPARE(perCell[cell], 1);
                continue;
            }
            QVERIFY(c < int(out.clusters.size()));
            ++members[std::size_t(c)];
            QCOMPARE(out.clusters[std::size_t(c)].cellX, cell.first);
            QCOMPARE(out.clusters[std::size_t(c)].cellY, cell.second);
        }
        int clustered = 0;
        std::set<std::pair<int, int>> cells;
        for (std::size_t c = 0; c < out.clusters.size(); ++c) {
            const Cluster &cluster = out.clusters[c];
            QVERIFY(cluster.count >= 2);
            QCOMPARE(members[c], cluster.count);
            QCOMPARE(perCell[std::make_pair(cluster.cellX, cluster.cellY)], cluster.count);
            int statusTotal = 0;
            for (const int n : cluster.statusCounts)
                statusTotal += n;
            QCOMPARE(statusTotal, cluster.count);
            // One cluster per cell.
            QVERIFY(cells.insert({cluster.cellX, cluster.cellY}).second);
            clustered += cluster.count;
        }
        QCOMPARE(clustered + singles, int(in.world.size()));
    }

    void cellsStableUnderPanning()
    {
        // The grid belongs to the world, not the screen: whatever else is in
        // view (a pan culls different points), a cell's cluster is the same.
        const double scale = worldSizePx(11.3);
        QRandomGenerator rng(11);
        Input in;
        for (int i = 0; i < 3000; ++i)
            in.add(QPointF(0.3 + rng.bounded(3000.0) / scale, 0.4 + rng.bounded(3000.0) / scale));
        GridClusters all;
        clusterByGrid(in.world, in.status, scale, kCell, all);

        // "Pan": keep only the points whose cells lie in the right half.
        const int splitCell = int(std::floor((0.3 * scale + 1500) / kCell));
        Input right;
        for (std::size_t i = 0; i < in.world.size(); ++i) {
            if (cellOf(in.world[i], scale).first >= splitCell)
                right.add(in.world[i], in.status[i]);
        }
        GridClusters panned;
        clusterByGrid(right.world, right.status, scale, kCell, panned);

        std::map<std::pair<int, int>, const Cluster *> before;
        for (const Cluster &c : all.clusters)
            before[{c.cellX, c.cellY}] = &c;
        QVERIFY(!panned.clusters.empty());
        for (const Cluster &c : panned.clusters) {
            const Cluster *b = before[{c.cellX, c.cellY}];
            QVERIFY(b);
            QCOMPARE(c.count, b->count);
            QCOMPARE(c.centroid, b->centroid);
            QCOMPARE(c.worldBounds, b->worldBounds);
        }
    }

    void statusPrecedence()
    {
        const double scale = worldSizePx(8);
        Input in;
        in.add(inCell(5, 5, 0.1, 0.1, scale), VehicleStatus::Parked);
        in.add(inCell(5, 5, 0.2, 0.1, scale), VehicleStatus::Alarm);
        in.add(inCell(5, 5, 0.3, 0.1, scale), VehicleStatus::Moving);
        in.add(inCell(9, 5, 0.1, 0.1, scale), VehicleStatus::Idle);
        in.add(inCell(9, 5, 0.2, 0.1, scale), VehicleStatus::Offline);
        in.add(inCell(12, 5, 0.1, 0.1, scale), VehicleStatus::Alarm);
        in.add(inCell(12, 5, 0.2, 0.1, scale), VehicleStatus::Expired);
        GridClusters out;
        clusterByGrid(in.world, in.status, scale, kCell, out);
        QCOMPARE(out.clusters.size(), std::size_t(3));
        QCOMPARE(out.clusters[0].status, VehicleStatus::Alarm);
        QCOMPARE(out.clusters[0].alarmCount(), 1);
        QCOMPARE(out.clusters[1].status, VehicleStatus::Offline);
        QCOMPARE(out.clusters[1].alarmCount(), 0);
        // Expired precedes Alarm in the domain's order; the alarm count still shows it.
        QCOMPARE(out.clusters[2].status, VehicleStatus::Expired);
        QCOMPARE(out.clusters[2].alarmCount(), 1);
        QCOMPARE(out.clusters[2].statusCounts[int(VehicleStatus::Expired)], 1);
    }

    void boundsAndCentroid()
    {
        const double scale = worldSizePx(12);
        Input in;
        const QPointF a = inCell(3, 4, 0.1, 0.9, scale);
        const QPointF b = inCell(3, 4, 0.7, 0.2, scale);
        const QPointF c = inCell(3, 4, 0.4, 0.5, scale);
        in.add(a);
        in.add(b);
        in.add(c);
        GridClusters out;
        clusterByGrid(in.world, in.status, scale, kCell, out);
        QCOMPARE(out.clusters.size(), std::size_t(1));
        const Cluster &cluster = out.clusters[0];
        QCOMPARE(cluster.worldBounds.left(), a.x());
        QCOMPARE(cluster.worldBounds.right(), b.x());
        QCOMPARE(cluster.worldBounds.top(), b.y());
        QCOMPARE(cluster.worldBounds.bottom(), a.y());
        QVERIFY(std::abs(cluster.centroid.x() - (a.x() + b.x() + c.x()) / 3) < 1e-15);
        QVERIFY(std::abs(cluster.centroid.y() - (a.y() + b.y() + c.y()) / 3) < 1e-15);
    }

    void coincidentPointsHaveEmptyBounds()
    {
        const double scale = worldSizePx(15);
        Input in;
        const QPointF p = inCell(7, 7, 0.5, 0.5, scale);
        in.add(p);
        in.add(p);
        GridClusters out;
        clusterByGrid(in.world, in.status, scale, kCell, out);
        QCOMPARE(out.clusters.size(), std::size_t(1));
        QCOMPARE(out.clusters[0].worldBounds, QRectF(p, QSizeF(0, 0)));
    }

    void wrappedCopiesSplitAtZero()
    {
        // Copies of the world left of x = 0 have cells of their own.
        const double scale = worldSizePx(6);
        Input in;
        in.add(QPointF(-1e-6, 0.5));
        in.add(QPointF(1e-6, 0.5));
        in.add(QPointF(-2e-6, 0.5));
        GridClusters out;
        clusterByGrid(in.world, in.status, scale, kCell, out);
        QCOMPARE(out.clusters.size(), std::size_t(1));
        QCOMPARE(out.clusters[0].cellX, -1);
        QCOMPARE(out.clusterOf, (std::vector<int>{0, -1, 0}));
    }

    void reuseAcrossCalls()
    {
        const double scale = worldSizePx(10);
        Input big;
        for (int i = 0; i < 100; ++i)
            big.add(inCell(i % 5, 0, 0.5, 0.5, scale));
        Input small;
        small.add(inCell(1, 1, 0.1, 0.1, scale));
        small.add(inCell(1, 1, 0.2, 0.2, scale));
        GridClusters out;
        clusterByGrid(big.world, big.status, scale, kCell, out);
        QCOMPARE(out.clusters.size(), std::size_t(5));
        clusterByGrid(small.world, small.status, scale, kCell, out);
        QCOMPARE(out.clusters.size(), std::size_t(1));
        QCOMPARE(out.clusters[0].count, 2);
        QCOMPARE(out.clusterOf.size(), std::size_t(2));
    }
};

QTEST_GUILESS_MAIN(tst_Clustering)
#include "tst_clustering.moc"
