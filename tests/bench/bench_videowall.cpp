// The Cameras dock's frames with nine live tiles (issue 14): what the GUI
// thread spends per frame while nine 640x360 streams from the local
// simulator play into nine VideoTiles in a 3x3 grid. Run a Release build
// under Xvfb (xvfb-run -a -s "-screen 0 1600x1000x24"); offscreen works too.
//
//   per frame: the events (the sinks' new pictures, the tiles' updates),
//              then the grid painted (each tile's newest picture converted
//              from YUV by swscale and drawn scaled: without a GPU the
//              drawing is software, so it is measured apart), 10 s at
//              about 60 frames a second.
//   baseline:  the same grid painted with no stream playing (black tiles,
//              labels): what drawing nine tiles costs by itself.
//   target:    no frame over 16.7 ms.

#include "benchstats.h"
#include "video/videotile.h"
#include "videobench.h"
#include "videostream.h"

#include <QApplication>
#include <QGridLayout>
#include <QGuiApplication>
#include <QThread>
#include <QWidget>

#include <cstdio>
#include <ctime>

using namespace Fleet;
using BenchStats::elapsedMs;
using BenchStats::threadCpuMs;
using namespace VideoBench;

namespace {

struct Frames
{
    std::vector<double> events, paint, total, cpu;
};

// Frames for ms: the events, then the grid repainted, a frame every 16 ms.
Frames measure(QWidget &grid, int ms)
{
    Frames f;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < ms) {
        QElapsedTimer frame;
        frame.start();
        const double cpuBefore = threadCpuMs();
        QCoreApplication::processEvents();
        const double events = elapsedMs(frame);
        grid.repaint();
        const double total = elapsedMs(frame);
        f.events.push_back(events);
        f.paint.push_back(total - events);
        f.total.push_back(total);
        f.cpu.push_back(threadCpuMs() - cpuBefore);
        QThread::msleep(std::max<qint64>(0, 16 - qint64(frame.elapsed())));
    }
    return f;
}

void print(const char *what, const std::vector<double> &v, const char *note = "")
{
    const BenchStats::Stats s = BenchStats::stats(v);
    std::printf("  %-36s median %6.2f  p99 %6.2f  max %6.2f ms%s\n", what, s.median, s.p99, s.max, note);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    std::printf("bench_videowall (Release build expected), platform %s\n",
                qPrintable(QGuiApplication::platformName()));
    Cloud cloud;
    if (!cloud.start(true)) {
        std::printf("cannot start the simulated cloud\n");
        return 1;
    }
    QWidget grid;
    auto *layout = new QGridLayout(&grid);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    std::vector<VideoTile *> tiles;
    for (int i = 0; i < 9; ++i) {
        VideoTile::Camera camera;
        const QStringList parts = cloud.cameras.at(i % cloud.cameras.size()).split(QLatin1Char('/'));
        camera.imei = parts.at(0);
        camera.vehicle = QStringLiteral("Van %1").arg(i + 1);
        camera.channel = parts.at(1).toInt();
        auto *tile = new VideoTile(camera, &grid);
        layout->addWidget(tile, i / 3, i % 3);
        tiles.push_back(tile);
    }
    grid.resize(1280, 720);
    grid.show();
    wait(500);

    std::printf("nine tiles, 3x3 in 1280x720, 10 s a run\n");
    const Frames idle = measure(grid, 10000);
    std::printf(" baseline: no stream playing\n");
    print("GUI frame", idle.total);

    for (std::size_t i = 0; i < tiles.size(); ++i)
        tiles[i]->play(cloud.liveUrl(int(i)));
    const bool playing = waitFor(
        [&] {
            return std::all_of(tiles.cbegin(), tiles.cend(),
                               [](VideoTile *t) { return t->stream()->firstFrameMs() >= 0; });
        },
        20000);
    wait(2000); // past the start's picture-group bursts
    qint64 deliveredBefore = 0;
    for (VideoTile *t : tiles)
        deliveredBefore += t->stream()->framesDelivered();
    const Frames live = measure(grid, 10000);
    qint64 delivered = 0;
    for (VideoTile *t : tiles)
        delivered += t->stream()->framesDelivered();
    std::printf(" nine live streams (%s), %.1f pictures a second a tile delivered\n",
                playing ? "all playing" : "NOT all playing", double(delivered - deliveredBefore) / 10.0 / 9.0);
    print("events (new pictures, updates)", live.events);
    print("paint (convert + draw, software)", live.paint);
    print("GUI frame", live.total, "   (target: every frame < 16.7 ms)");
    print("GUI thread's CPU time per frame", live.cpu);
    const auto over = std::count_if(live.total.cbegin(), live.total.cend(), [](double f) { return f >= 16.7; });
    std::printf("  %-36s %lld of %zu\n", "frames of 16.7 ms or more", qlonglong(over), live.total.size());
    for (VideoTile *t : tiles)
        t->stream()->stop();
    return 0;
}
