#pragma once

#include "domain/vehiclestatus.h"

#include <QPointF>
#include <QRectF>

#include <array>
#include <span>
#include <vector>

namespace Fleet::Map {

// Screen-space grid clustering of map points, O(n) per call.
//
// The grid is anchored to world pixel coordinates at the current zoom (cell
// (i, j) covers world pixels [i·cell, (i+1)·cell) × [j·cell, (j+1)·cell)), not
// to the screen, so panning never moves a point into another cell and
// clusters do not jump. Every cell that holds two or more points becomes one
// cluster; a point alone in its cell stays unclustered.

struct Cluster
{
    QPointF centroid; // world coordinates: the mean of the members
    QRectF worldBounds; // the members' bounding box (zero size when they coincide)
    int count = 0;
    // The highest-precedence status among the members (VehicleStatus is
    // declared in precedence order).
    VehicleStatus status = VehicleStatus::NoFix;
    // Members per status, indexed by int(VehicleStatus): lets a badge single
    // out alarms even when a higher-precedence status colours it.
    std::array<int, kVehicleStatusCount> statusCounts{};
    int cellX = 0;
    int cellY = 0;

    int alarmCount() const { return statusCounts[int(VehicleStatus::Alarm)]; }
};

// The output of clusterByGrid. Keep one across frames: its buffers keep their
// capacity, so clustering a frame allocates nothing once warmed up.
struct GridClusters
{
    // In the order of each cluster's first member in the input.
    std::vector<Cluster> clusters;
    // Per input point: the index of its cluster, or -1 when it is alone.
    std::vector<int> clusterOf;

    // Working storage of clusterByGrid, kept for reuse.
    std::vector<Cluster> cells;
    std::vector<int> cellOf;
    std::vector<qint64> tableKeys;
    std::vector<int> tableCells;
};

// Clusters `world` (normalised Mercator points, x may lie outside [0, 1) for
// wrapped copies of the world) at `pixelsPerWorld` (MapViewport::scale()) on a
// grid of `cellPx` pixels. `statuses` runs parallel to `world`.
void clusterByGrid(std::span<const QPointF> world, std::span<const VehicleStatus> statuses, double pixelsPerWorld,
                   double cellPx, GridClusters &out);

} // namespace Fleet::Map
