// Benchmarks of fence geometry (issue 16), printed beside their baselines.
// Run a Release build (cmake --preset release).
//
//   index:  10,000 fences (circles, rectangles, polygons of 3-10 vertices,
//           100 m to 2 km) over a 100 km square; 100,000 positions in it,
//           each asked which fences are within 30 m or hold it (what the
//           local engine asks for every position from the poller and the
//           webhook). baseline: asking every fence for each position.
//           target: a position in well under 1 ms, so a sweep of 10,000
//           vehicles costs less than a second of one core.
//   build:  inserting the 10,000 fences (start-up, an import).
//   engine: the local fence engine over the same fences: 1,000 vehicles
//           driving 100 fixes each (every fix 100 m on), events counted.
//           target: a fix in well under 1 ms (the index's cost and the
//           per-vehicle state).

#include "benchstats.h"
#include "../core/fences/fencetestdata.h"
#include "fences/fenceengine.h"
#include "fences/fenceindex.h"
#include "fences/preparedfence.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTimeZone>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

using namespace Fleet;
using namespace FenceTest;

namespace {

constexpr int kFences = 10000;
constexpr int kPositions = 100000;
constexpr int kBaselinePositions = 200;
constexpr double kMarginM = 30;

const GeoPoint kCentre{52.52, 13.405}; // Berlin

GeoPoint somewhere(QRandomGenerator &random)
{
    return offset(kCentre, random.bounded(100000.0) - 50000, random.bounded(100000.0) - 50000);
}

} // namespace

int main()
{
    QRandomGenerator random(42);
    std::vector<FenceShape> shapes;
    shapes.reserve(kFences);
    for (int i = 0; i < kFences; ++i)
        shapes.push_back(someFence(random, somewhere(random)));
    std::vector<GeoPoint> positions;
    positions.reserve(kPositions);
    for (int i = 0; i < kPositions; ++i)
        positions.push_back(somewhere(random));

    FenceIndex index;
    QElapsedTimer build;
    build.start();
    for (int i = 0; i < kFences; ++i)
        index.insert(i, shapes[std::size_t(i)], kMarginM);
    const double buildMs = BenchStats::elapsedMs(build);

    QElapsedTimer query;
    query.start();
    qint64 found = 0;
    for (const GeoPoint &p : positions)
        found += index.near(p).size();
    const double queryMs = BenchStats::elapsedMs(query);

    // The baseline: every fence, prepared once, asked about each position.
    std::vector<PreparedFence> prepared;
    prepared.reserve(kFences);
    for (const FenceShape &s : shapes)
        prepared.emplace_back(s);
    QElapsedTimer all;
    all.start();
    qint64 foundAll = 0;
    for (int k = 0; k < kBaselinePositions; ++k) {
        for (const PreparedFence &f : prepared)
            foundAll += f.signedDistanceM(positions[std::size_t(k)]) <= kMarginM ? 1 : 0;
    }
    const double allMs = BenchStats::elapsedMs(all);
    qint64 foundIndexed = 0;
    for (int k = 0; k < kBaselinePositions; ++k)
        foundIndexed += index.near(positions[std::size_t(k)]).size();

    // The engine: vehicles driving east, a fix every 10 s, 100 m apart.
    FenceEngine engine(FenceEngine::Options{kMarginM / 2, kMarginM / 2});
    QList<FenceRule> rules;
    for (int i = 0; i < kFences; ++i) {
        FenceRule r;
        r.id = i;
        r.shape = shapes[std::size_t(i)];
        r.dwellSecs = 300;
        rules.append(r);
    }
    engine.setRules(rules);
    std::vector<GeoPoint> starts;
    for (int v = 0; v < 1000; ++v)
        starts.push_back(somewhere(random));
    const QDateTime t0(QDate(2026, 12, 3), QTime(8, 0), QTimeZone::utc());
    QElapsedTimer driving;
    driving.start();
    qint64 events = 0;
    for (int k = 0; k < 100; ++k) {
        for (int v = 0; v < 1000; ++v)
            events += engine
                          .evaluate(QString::number(860000000000000LL + v), t0.addSecs(k * 10),
                                    offset(starts[std::size_t(v)], k * 100.0, 0))
                          .size();
    }
    const double engineMs = BenchStats::elapsedMs(driving);

    std::printf("fences: %d fences, margin %.0f m, %d positions\n", kFences, kMarginM, kPositions);
    std::printf("  build the index:             %8.1f ms\n", buildMs);
    std::printf("  index, per position:         %8.4f ms   (target well under 1 ms; %lld fences met)\n",
                queryMs / kPositions, qlonglong(found));
    std::printf("  baseline, every fence:       %8.4f ms per position (%d positions)\n", allMs / kBaselinePositions,
                kBaselinePositions);
    std::printf("  same answers on the baseline's positions: %s (%lld / %lld)\n",
                foundAll == foundIndexed ? "yes" : "NO", qlonglong(foundIndexed), qlonglong(foundAll));
    std::printf("  engine, per fix:             %8.4f ms   (target well under 1 ms; 100,000 fixes of 1,000 vehicles, "
                "%lld events, %lld states held)\n",
                engineMs / 100000, qlonglong(events), qlonglong(engine.states().size()));
    return foundAll == foundIndexed ? 0 : 1;
}
