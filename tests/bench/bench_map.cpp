// Benchmark of the map's vehicle layer, painting offscreen into a 1920×1080
// raster image as the map widget would. Prints median/p95/p99/max frame
// times next to the baseline they include; run a Release build (cmake
// --preset release) with QT_QPA_PLATFORM=offscreen.
//
//   baseline: the empty frame, drawBackground() alone.
//   10k: 10,000 vehicles over a city, zoomed in so that every one is drawn
//        as a marker (with labels), panning 1 px a frame.
//        target: median under 8 ms, background included.
//   50k clustered: 50,000 vehicles over a metro area below the clustering
//        zoom, panning. target: median under 16 ms.
//   live: the 10k scene taking 10,000 position updates per second at
//        60 fps: 167 upserts, then a paint, per frame.
//        target: every frame (max) under 16.7 ms.
//   For information: 2,000 vehicles with full trails and labels, and the
//   first (cold) frame of each scene, which renders the sprites.
//
// Options: --frames N (300), --save DIR (writes each scene's last frame as PNG)

#include "benchstats.h"
#include "map/geomath.h"
#include "map/mapviewport.h"
#include "map/vehiclelayer.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

using namespace Fleet;
using namespace Fleet::Map;

namespace {

const QSize kFrameSize(1920, 1080);
const QPointF kCity = project(48.8566, 2.3522);

// What the map draws under the vehicles. Today one full-frame blit of a
// pre-rendered basemap-like image; the tile layer goes here.
void drawBackground(QPainter &painter, const QImage &basemap)
{
    painter.drawImage(QPoint(0, 0), basemap);
}

QImage makeBasemap()
{
    QImage image(kFrameSize, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&image);
    QLinearGradient g(0, 0, kFrameSize.width(), kFrameSize.height());
    g.setColorAt(0, QColor(0xf2, 0xef, 0xe9));
    g.setColorAt(1, QColor(0xe4, 0xe9, 0xdf));
    p.fillRect(image.rect(), g);
    p.setPen(QPen(QColor(0xff, 0xff, 0xff), 3));
    for (int x = 0; x < kFrameSize.width(); x += 97)
        p.drawLine(x, 0, x + 300, kFrameSize.height());
    for (int y = 0; y < kFrameSize.height(); y += 83)
        p.drawLine(0, y, kFrameSize.width(), y + 120);
    return image;
}

using BenchStats::Stats;
using BenchStats::stats;

void print(const char *name, const Stats &s, const char *extra = "")
{
    std::printf("%-44s median %6.2f  p95 %6.2f  p99 %6.2f  max %6.2f ms%s\n", name, s.median, s.p95, s.p99, s.max,
                extra);
}

// A fleet with a plausible mix of statuses, headings and labels, spread
// uniformly over `extentPx` (screen px at `zoom`) around the city centre.
QList<std::pair<QString, VehicleMarker>> makeFleet(int n, double zoom, QSizeF extentPx, std::mt19937 &rng)
{
    const double scale = worldSizePx(zoom);
    std::uniform_real_distribution<double> ux(-extentPx.width() / 2, extentPx.width() / 2);
    std::uniform_real_distribution<double> uy(-extentPx.height() / 2, extentPx.height() / 2);
    std::uniform_int_distribution<int> pct(0, 99);
    std::uniform_real_distribution<double> heading(0, 360);
    QList<std::pair<QString, VehicleMarker>> fleet;
    fleet.reserve(n);
    for (int i = 0; i < n; ++i) {
        VehicleMarker m;
        m.world = kCity + QPointF(ux(rng), uy(rng)) / scale;
        const int p = pct(rng);
        m.status = p < 40 ? VehicleStatus::Moving
            : p < 55      ? VehicleStatus::Idle
            : p < 85      ? VehicleStatus::Parked
            : p < 95      ? VehicleStatus::Offline
            : p < 97      ? VehicleStatus::Alarm
            : p < 98      ? VehicleStatus::Expired
                          : VehicleStatus::NoFix;
        if (m.status == VehicleStatus::NoFix)
            m.world = VehicleMarker().world;
        else if (m.status != VehicleStatus::Offline)
            m.headingDeg = heading(rng);
        m.label = i % 3 == 0 ? QStringLiteral("VAN-%1").arg(i, 5, 10, QLatin1Char('0'))
                             : QStringLiteral("AB-%1-CD").arg(i % 1000, 3, 10, QLatin1Char('0'));
        m.fixTime = QDateTime::currentDateTimeUtc();
        fleet.append({QStringLiteral("86012100%1").arg(i, 7, 10, QLatin1Char('0')), m});
    }
    return fleet;
}

struct SceneResult
{
    double coldMs = 0;
    Stats frames;
    VehicleLayer::FrameStats drawn;
};

// Paints `frames` frames (after the cold one and a few warm-ups); `step`
// runs before each frame, inside the timed span.
SceneResult runScene(VehicleLayer &layer, MapViewport viewport, int frames, const QImage &basemap, QImage &target,
                     const std::function<void(int, MapViewport &)> &step)
{
    SceneResult r;
    QElapsedTimer timer;
    std::vector<double> ms;
    ms.reserve(std::size_t(frames));
    constexpr int kWarmup = 10;
    for (int f = -kWarmup - 1; f < frames; ++f) {
        timer.start();
        if (step)
            step(f, viewport);
        QPainter p(&target);
        drawBackground(p, basemap);
        layer.paint(&p, viewport);
        p.end();
        const double elapsed = double(timer.nsecsElapsed()) / 1e6;
        if (f == -kWarmup - 1)
            r.coldMs = elapsed;
        else if (f >= 0)
            ms.push_back(elapsed);
    }
    r.frames = stats(std::move(ms));
    r.drawn = layer.lastFrameStats();
    return r;
}

void save(const QString &dir, const char *name, const QImage &image)
{
    if (!dir.isEmpty())
        image.save(QDir(dir).filePath(QString::fromLatin1(name) + QStringLiteral(".png")));
}

const char *verdict(bool met)
{
    return met ? "met" : "MISSED";
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption framesOpt(QStringLiteral("frames"), QStringLiteral("Frames per scene."),
                                       QStringLiteral("n"), QStringLiteral("300"));
    const QCommandLineOption saveOpt(QStringLiteral("save"), QStringLiteral("Write each scene's last frame here."),
                                     QStringLiteral("dir"));
    parser.addOptions({framesOpt, saveOpt});
    parser.process(app);
    const int frames = std::max(10, parser.value(framesOpt).toInt());
    const QString saveDir = parser.value(saveOpt);
    if (!saveDir.isEmpty())
        QDir().mkpath(saveDir);

    const QImage basemap = makeBasemap();
    QImage target(kFrameSize, QImage::Format_ARGB32_Premultiplied);
    std::printf("map vehicle layer: %dx%d ARGB32_Premultiplied, %d frames per scene (after 10 warm-up frames)\n",
                kFrameSize.width(), kFrameSize.height(), frames);

    // Baseline: the background alone.
    std::vector<double> baseMs;
    QElapsedTimer timer;
    for (int f = 0; f < frames; ++f) {
        timer.start();
        QPainter p(&target);
        drawBackground(p, basemap);
        p.end();
        baseMs.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    const Stats baseline = stats(baseMs);
    print("baseline (drawBackground only)", baseline);

    // Panning back and forth, 1 px a frame: every frame is laid out afresh,
    // and the scene stays in view.
    const auto pan = [](int f, MapViewport &v) { v.panBy(QPointF((f + 1000) / 20 % 2 == 0 ? 1 : -1, 0)); };
    std::mt19937 rng(20240601);

    // 10k vehicles at zoom 13: the screen covers ~24 × 14 km of Paris.
    const double cityZoom = 13;
    const QList<std::pair<QString, VehicleMarker>> city = makeFleet(10000, cityZoom, QSizeF(1900, 1060), rng);
    VehicleLayer cityLayer;
    cityLayer.upsertMany(city);
    const SceneResult r10k = runScene(cityLayer, MapViewport(kCity, cityZoom, kFrameSize), frames, basemap, target,
                                      pan);
    save(saveDir, "10k", target);
    char extra[160];
    std::snprintf(extra, sizeof extra, "  (%d markers, %d labels; cold %.0f ms)", r10k.drawn.markers, r10k.drawn.labels,
                  r10k.coldMs);
    print("10k vehicles, individually, labels", r10k.frames, extra);

    VehicleLayer plainLayer;
    plainLayer.setLabelsVisible(false);
    plainLayer.upsertMany(city);
    const SceneResult r10kPlain = runScene(plainLayer, MapViewport(kCity, cityZoom, kFrameSize), frames, basemap,
                                           target, pan);
    std::snprintf(extra, sizeof extra, "  (%d markers)", r10kPlain.drawn.markers);
    print("10k vehicles, individually, no labels", r10kPlain.frames, extra);

    // 50k vehicles over ~90 × 50 km at zoom 11 (clustered below 12), and the
    // same fleet at 11.9, where cells are smaller and more vehicles stand alone.
    const QList<std::pair<QString, VehicleMarker>> metro = makeFleet(50000, 11, QSizeF(1800, 1000), rng);
    VehicleLayer metroLayer;
    metroLayer.upsertMany(metro);
    const SceneResult r50k = runScene(metroLayer, MapViewport(kCity, 11, kFrameSize), frames, basemap, target, pan);
    save(saveDir, "50k-z11", target);
    std::snprintf(extra, sizeof extra, "  (%d clusters, %d markers, %d labels)", r50k.drawn.clusters,
                  r50k.drawn.markers, r50k.drawn.labels);
    print("50k vehicles, clustered, zoom 11", r50k.frames, extra);
    const SceneResult r50kClose = runScene(metroLayer, MapViewport(kCity, 11.9, kFrameSize), frames, basemap, target,
                                           pan);
    save(saveDir, "50k-z11.9", target);
    std::snprintf(extra, sizeof extra, "  (%d clusters, %d markers, %d labels)", r50kClose.drawn.clusters,
                  r50kClose.drawn.markers, r50kClose.drawn.labels);
    print("50k vehicles, clustered, zoom 11.9", r50kClose.frames, extra);

    // Live: 167 updates per frame (10,000/s at 60 fps) into the 10k scene.
    VehicleLayer liveLayer;
    liveLayer.upsertMany(city);
    QList<std::pair<QString, VehicleMarker>> moving = city;
    std::uniform_int_distribution<int> pick(0, int(moving.size()) - 1);
    std::normal_distribution<double> step(0, 3.0 / worldSizePx(cityZoom));
    // Prepared before timing: the updates arrive as values; applying them is timed.
    std::vector<std::array<int, 167>> picks(std::size_t(frames + 11));
    for (auto &frame : picks)
        for (int &i : frame)
            i = pick(rng);
    int updates = 0;
    const SceneResult rLive = runScene(liveLayer, MapViewport(kCity, cityZoom, kFrameSize), frames, basemap, target,
                                       [&](int f, MapViewport &) {
                                           for (const int i : picks[std::size_t(f + 11)]) {
                                               auto &[imei, m] = moving[i];
                                               m.world += QPointF(step(rng), step(rng));
                                               m.fixTime = m.fixTime.addSecs(1);
                                               liveLayer.upsert(imei, m);
                                               ++updates;
                                           }
                                       });
    std::snprintf(extra, sizeof extra, "  (%d upserts in total)", updates);
    print("live: 167 upserts + paint per frame, 10k", rLive.frames, extra);

    // For information: trails. 2,000 vehicles that each moved 20 times.
    QList<std::pair<QString, VehicleMarker>> trailFleet = makeFleet(2000, 15, QSizeF(1900, 1060), rng);
    VehicleLayer trailLayer;
    std::normal_distribution<double> drift(0, 12.0 / worldSizePx(15));
    for (int round = 0; round <= VehicleLayer::kDefaultTrailLength; ++round) {
        for (auto &[imei, m] : trailFleet)
            m.world += QPointF(drift(rng), drift(rng));
        trailLayer.upsertMany(trailFleet);
    }
    const SceneResult rTrails = runScene(trailLayer, MapViewport(kCity, 15, kFrameSize), frames, basemap, target, pan);
    save(saveDir, "2k-trails", target);
    std::snprintf(extra, sizeof extra, "  (%d markers, %d trails, %d labels)", rTrails.drawn.markers,
                  rTrails.drawn.trails, rTrails.drawn.labels);
    print("info: 2k vehicles with 20-point trails", rTrails.frames, extra);

    const bool met10k = r10k.frames.median < 8.0;
    const bool met50k = r50k.frames.median < 16.0 && r50kClose.frames.median < 16.0;
    const bool metLive = rLive.frames.max < 16.7;
    std::printf("targets: 10k median < 8 ms: %s; 50k clustered median < 16 ms: %s; live max < 16.7 ms: %s "
                "(live p99 %.2f ms)\n",
                verdict(met10k), verdict(met50k), verdict(metLive), rLive.frames.p99);
    const bool drew = r10k.drawn.markers > 9000 && r50k.drawn.clusters > 0;
    if (!drew)
        std::fprintf(stderr, "bench_map: the scenes did not draw what they should\n");
    return drew ? 0 : 1;
}
