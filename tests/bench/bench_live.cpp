// The GUI thread's cost of live updates, end to end, in the real main window
// (1920×1080, offscreen, the offline basemap, the fleet list docked and
// expanded, one vehicle selected). Run a Release build (cmake --preset
// release) with QT_QPA_PLATFORM=offscreen.
//
// 10,000 vehicles in 20 groups over a city (mixed statuses and headings).
// The feed delivers 10,000 position updates a second at 60 frames a second
// for 10 s: each frame MainWindow::updateFleet() takes ~167 changed
// snapshots (moved along their heading, new speed and heading, a few
// status changes), then the frame is painted. Frames are paced at 60 Hz and
// the event loop runs between them, as in the application; only the frame's
// own work is timed. Figures: per frame (update + paint) median/p95/p99/max,
// frames over the 16.7 ms budget, and updateFleet and paint alone.
//
//   1. individually: the map at a zoom where every vehicle is drawn as a
//      marker; paint = the map widget rendered into an image of its size.
//   2. clustered: the same zoomed out below the clustering zoom.
//   3. window: as 1, paint = window.grab(): map, fleet list, docks, status
//      bar (a new 1920×1080 pixmap each frame).
//   4. event loop (information): as 1, paint = processEvents(), which
//      repaints what the update made dirty through the window's backing
//      store, as the application does.
//   Baseline of each: the same frames without updates (paint only; in 4,
//   map->update() then processEvents()).
//   Target: every frame (max) under 16.7 ms in 1, 2 and 3.
//
// Options: --seconds N (10), --rate N updates/s (10000), --fps N (60),
//          --vehicles N (10000), --no-pace (frames back to back)

#include "benchstats.h"
#include "app/mainwindow.h"
#include "devices/fleetpanel.h"
#include "map/geomath.h"
#include "map/mapwidget.h"
#include "map/tilelayer.h"
#include "map/tilesource.h"
#include "map/tilesourcespec.h"
#include "map/vehiclelayer.h"
#include "models/fleettreemodel.h"
#include "settings/appsettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPixmap>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QWindow>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>
#include <random>
#include <vector>

using namespace Fleet;

namespace {

constexpr double kLat = 48.8566;
constexpr double kLng = 2.3522;
constexpr int kGroups = 20;
constexpr int kWarmupFrames = 30;
constexpr double kBudgetMs = 1000.0 / 60;
constexpr double kMetresPerDegree = 111'320;

using BenchStats::Stats;
using BenchStats::stats;

void print(const char *name, const Stats &s, const char *extra = "")
{
    std::printf("  %-42s median %6.2f  p95 %6.2f  p99 %6.2f  max %6.2f ms%s\n", name, s.median, s.p95, s.p99, s.max,
                extra);
}

const char *verdict(bool met)
{
    return met ? "met" : "MISSED";
}

QString imeiOf(int i)
{
    return QStringLiteral("8601230%1").arg(i, 8, 10, QLatin1Char('0'));
}

// A city fleet: 70 % spread evenly over the box, 30 % around the groups'
// depots; statuses mixed as in a working day.
QList<VehicleSnapshot> makeFleet(int n, double latSpan, double lngSpan, std::mt19937 &rng)
{
    std::uniform_real_distribution<double> unit(0, 1);
    std::normal_distribution<double> nearDepot(0, 0.06);
    std::uniform_int_distribution<int> pct(0, 999);
    std::uniform_int_distribution<int> group(0, kGroups - 1);
    std::array<QPointF, kGroups> depots; // (lng, lat)
    for (QPointF &d : depots)
        d = QPointF(kLng + (unit(rng) - 0.5) * lngSpan * 0.8, kLat + (unit(rng) - 0.5) * latSpan * 0.8);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    static const char *const kinds[] = {"Van", "Truck", "Car", "Bus"};
    QList<VehicleSnapshot> fleet;
    fleet.reserve(n);
    for (int i = 0; i < n; ++i) {
        const int g = group(rng);
        VehicleSnapshot v;
        v.device.imei = imeiOf(i);
        v.device.name = QStringLiteral("%1 %2").arg(QLatin1String(kinds[i % 4])).arg(i + 1);
        v.device.plate = QStringLiteral("%1%2-%3-%4%5")
                             .arg(QChar(u'A' + i % 26))
                             .arg(QChar(u'A' + i / 26 % 26))
                             .arg(i % 1000, 3, 10, QLatin1Char('0'))
                             .arg(QChar(u'A' + i / 676 % 26))
                             .arg(QChar(u'A' + i / 7 % 26));
        v.device.model = QStringLiteral("JC400");
        if (i % 5 != 0)
            v.device.driverName = QStringLiteral("Driver %1").arg(i * 7 % 9973);
        v.device.groupId = QStringLiteral("g%1").arg(g, 2, 10, QLatin1Char('0'));
        v.device.groupName = QStringLiteral("Depot %1").arg(g + 1);
        v.location.imei = v.device.imei;
        v.location.online = true;
        v.location.heartbeatTime = now;

        Position fix;
        fix.imei = v.device.imei;
        fix.gpsTime = now.addSecs(-pct(rng) % 60);
        if (unit(rng) < 0.3) {
            fix.lat = std::clamp(depots[std::size_t(g)].y() + nearDepot(rng) * latSpan, kLat - latSpan / 2,
                                 kLat + latSpan / 2);
            fix.lng = std::clamp(depots[std::size_t(g)].x() + nearDepot(rng) * lngSpan, kLng - lngSpan / 2,
                                 kLng + lngSpan / 2);
        } else {
            fix.lat = kLat + (unit(rng) - 0.5) * latSpan;
            fix.lng = kLng + (unit(rng) - 0.5) * lngSpan;
        }
        fix.courseDeg = std::floor(unit(rng) * 360);
        fix.satellites = 6 + i % 7;
        fix.type = PositionType::Gps;
        const int p = pct(rng);
        v.status = p < 400 ? VehicleStatus::Moving
            : p < 550      ? VehicleStatus::Idle
            : p < 850      ? VehicleStatus::Parked
            : p < 950      ? VehicleStatus::Offline
            : p < 970      ? VehicleStatus::Alarm
            : p < 980      ? VehicleStatus::Expired
                           : VehicleStatus::NoFix;
        fix.speedKmh = v.status == VehicleStatus::Moving ? 10 + unit(rng) * 80 : 0.0;
        fix.acc = v.status == VehicleStatus::Moving || v.status == VehicleStatus::Idle;
        switch (v.status) {
        case VehicleStatus::Offline:
            v.location.online = false;
            v.location.heartbeatTime = now.addSecs(-3600);
            fix.gpsTime = now.addSecs(-3600);
            break;
        case VehicleStatus::Alarm:
            v.lastAlarmTime = now.addSecs(-120);
            v.lastAlarmName = QStringLiteral("SOS");
            break;
        case VehicleStatus::Expired:
            v.location.expired = true;
            v.device.expiration = now.addDays(-3);
            break;
        default: break;
        }
        if (v.status != VehicleStatus::NoFix)
            v.location.fix = fix;
        fleet.append(v);
    }
    return fleet;
}

// The live feed: vehicles that report (not offline, expired or without a
// fix) in a shuffled round, each report moving the vehicle along its
// heading for a second at its speed, with a new speed and heading and now
// and then a new status.
class LiveFeed
{
public:
    LiveFeed(const QList<VehicleSnapshot> &fleet, double latSpan, double lngSpan, quint32 seed)
        : m_fleet(fleet.cbegin(), fleet.cend())
        , m_rng(seed)
        , m_latSpan(latSpan)
        , m_lngSpan(lngSpan)
    {
        for (int i = 0; i < int(m_fleet.size()); ++i) {
            const VehicleStatus s = m_fleet[std::size_t(i)].status;
            if (m_fleet[std::size_t(i)].location.fix && s != VehicleStatus::Offline && s != VehicleStatus::Expired)
                m_reporting.push_back(i);
        }
        std::shuffle(m_reporting.begin(), m_reporting.end(), m_rng);
    }

    int reportingCount() const { return int(m_reporting.size()); }
    int statusChanges() const { return m_statusChanges; }
    int updates() const { return m_updates; }

    QList<VehicleSnapshot> next(int count)
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<VehicleSnapshot> changed;
        changed.reserve(count);
        for (int k = 0; k < count; ++k) {
            if (m_cursor == m_reporting.size()) {
                std::shuffle(m_reporting.begin(), m_reporting.end(), m_rng);
                m_cursor = 0;
            }
            VehicleSnapshot &v = m_fleet[std::size_t(m_reporting[m_cursor++])];
            report(v, now);
            changed.append(v);
        }
        m_updates += count;
        return changed;
    }

private:
    void report(VehicleSnapshot &v, const QDateTime &now)
    {
        Position &fix = *v.location.fix;
        const int p = m_pct(m_rng);
        const VehicleStatus before = v.status;
        switch (v.status) {
        case VehicleStatus::Moving:
            if (p < 30)
                v.status = VehicleStatus::Idle;
            break;
        case VehicleStatus::Idle:
            v.status = p < 100 ? VehicleStatus::Moving : p < 150 ? VehicleStatus::Parked : v.status;
            break;
        case VehicleStatus::Parked:
            if (p < 30)
                v.status = VehicleStatus::Moving;
            break;
        case VehicleStatus::Alarm:
            if (p < 50) {
                v.status = VehicleStatus::Moving;
                v.lastAlarmTime = {};
                v.lastAlarmName.clear();
            }
            break;
        default: break;
        }
        if (v.status != VehicleStatus::Alarm && m_pct(m_rng) < 2) {
            v.status = VehicleStatus::Alarm;
            v.lastAlarmTime = now;
            v.lastAlarmName = QStringLiteral("Harsh braking");
        }
        m_statusChanges += v.status != before;

        const bool moving = v.status == VehicleStatus::Moving || v.status == VehicleStatus::Alarm;
        double speed = fix.speedKmh.value_or(0);
        speed = moving ? std::clamp(speed + m_jitter(m_rng) * 8, 8.0, 110.0) : 0.0;
        double heading = fix.courseDeg.value_or(0) + (moving ? m_jitter(m_rng) * 15 : 0);
        // A second at that speed, turned back at the edge of the city.
        const double metres = speed / 3.6;
        const double rad = heading * std::numbers::pi / 180;
        double lat = fix.lat + metres * std::cos(rad) / kMetresPerDegree;
        double lng = fix.lng + metres * std::sin(rad) / (kMetresPerDegree * std::cos(fix.lat * std::numbers::pi / 180));
        if (std::abs(lat - kLat) > m_latSpan / 2 || std::abs(lng - kLng) > m_lngSpan / 2) {
            heading += 180;
            lat = fix.lat;
            lng = fix.lng;
        }
        fix.lat = lat;
        fix.lng = lng;
        fix.speedKmh = speed;
        fix.courseDeg = std::fmod(heading + 360, 360);
        fix.acc = moving || v.status == VehicleStatus::Idle;
        fix.gpsTime = now;
        v.location.heartbeatTime = now;
    }

    std::vector<VehicleSnapshot> m_fleet;
    std::vector<int> m_reporting;
    std::size_t m_cursor = 0;
    std::mt19937 m_rng;
    std::uniform_int_distribution<int> m_pct{0, 999};
    std::normal_distribution<double> m_jitter{0, 1};
    double m_latSpan;
    double m_lngSpan;
    int m_statusChanges = 0;
    int m_updates = 0;
};

// Counts paint events on the widgets it watches.
class PaintCounter : public QObject
{
public:
    using QObject::QObject;
    int paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

// Lets the event loop run for `ms` (timers, posted events, tiles arriving).
void runEventLoop(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

// Paints until the basemap has no tile under way: timed frames should not
// include the start-up's tile renders.
bool settleTiles(MainWindow &window, QImage &mapImage)
{
    Map::TileSource *source = window.map()->tileLayer()->source();
    QElapsedTimer timeout;
    timeout.start();
    int quiet = 0;
    while (timeout.elapsed() < 30'000) {
        window.map()->render(&mapImage, QPoint(), QRegion(), QWidget::DrawChildren);
        runEventLoop(20);
        quiet = source && source->pendingCount() == 0 ? quiet + 1 : 0;
        if (quiet >= 3)
            return true;
    }
    return false;
}

enum class PaintMode { Map, Window, EventLoop };

struct RunResult
{
    std::vector<double> update, paint, frame;
    double firstMs = 0; // the first warm-up frame
    int over = 0; // frames over budget
    int mapPaints = 0; // EventLoop: paint events the map received within the frames
    int listPaints = 0; // EventLoop: paint events the list's viewport received
};

struct Rig
{
    MainWindow *window;
    QImage *mapImage;
    LiveFeed *feed;
    PaintCounter *mapCounter;
    PaintCounter *listCounter;
    int frames;
    int rate;
    int fps;
    bool pace;
    qint64 frameNo = 0; // across runs: the feed's rate stays exact
};

RunResult run(Rig &rig, PaintMode mode, bool updates)
{
    RunResult r;
    const std::size_t n = std::size_t(rig.frames);
    r.update.reserve(n);
    r.paint.reserve(n);
    r.frame.reserve(n);
    Map::MapWidget *map = rig.window->map();
    QElapsedTimer clock;
    clock.start();
    const qint64 periodNs = 1'000'000'000LL / rig.fps;
    qint64 due = 0;
    for (int f = -kWarmupFrames; f < rig.frames; ++f) {
        QList<VehicleSnapshot> changed;
        if (updates) {
            const qint64 g = rig.frameNo++;
            changed = rig.feed->next(int((g + 1) * rig.rate / rig.fps - g * rig.rate / rig.fps));
        }
        const int mapPaintsBefore = rig.mapCounter->paints;
        const int listPaintsBefore = rig.listCounter->paints;
        QElapsedTimer t;
        t.start();
        if (updates)
            rig.window->updateFleet(changed);
        const qint64 updated = t.nsecsElapsed();
        switch (mode) {
        case PaintMode::Map: map->render(rig.mapImage, QPoint(), QRegion(), QWidget::DrawChildren); break;
        case PaintMode::Window: {
            const QPixmap shot = rig.window->grab();
            Q_UNUSED(shot);
            break;
        }
        case PaintMode::EventLoop:
            if (!updates)
                map->update();
            QCoreApplication::processEvents();
            break;
        }
        const qint64 total = t.nsecsElapsed();
        if (f == -kWarmupFrames)
            r.firstMs = double(total) / 1e6;
        if (f >= 0) {
            r.update.push_back(double(updated) / 1e6);
            r.paint.push_back(double(total - updated) / 1e6);
            r.frame.push_back(double(total) / 1e6);
            r.over += double(total) / 1e6 > kBudgetMs;
            if (mode == PaintMode::EventLoop) {
                r.mapPaints += rig.mapCounter->paints > mapPaintsBefore;
                r.listPaints += rig.listCounter->paints > listPaintsBefore;
            }
        }
        // Between frames the application's event loop runs (untimed): in
        // modes Map and Window this includes the backing store's own repaint.
        due += periodNs;
        if (rig.pace) {
            const qint64 left = (due - clock.nsecsElapsed()) / 1'000'000;
            if (left > 0)
                runEventLoop(int(left));
            else
                QCoreApplication::processEvents();
        } else {
            QCoreApplication::processEvents();
        }
    }
    return r;
}

void report(const char *title, const RunResult &base, const RunResult &live, bool target)
{
    char extra[160];
    std::printf("%s\n", title);
    std::snprintf(extra, sizeof extra, "  (over %.1f ms: %d of %zu)", kBudgetMs, base.over, base.frame.size());
    print("baseline: paint only, no updates", stats(base.frame), extra);
    std::snprintf(extra, sizeof extra, "  (over %.1f ms: %d of %zu; the run's first %.1f ms)", kBudgetMs, live.over,
                  live.frame.size(), live.firstMs);
    print("frame: updateFleet + paint", stats(live.frame), extra);
    print("  updateFleet alone", stats(live.update));
    print("  paint alone", stats(live.paint));
    if (target)
        std::printf("  target: every frame under %.1f ms: %s\n", kBudgetMs, verdict(live.over == 0));
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"), QStringLiteral("Seconds of frames per run."),
                                        QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption rateOpt(QStringLiteral("rate"), QStringLiteral("Position updates per second."),
                                     QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption fpsOpt(QStringLiteral("fps"), QStringLiteral("Frames per second."), QStringLiteral("n"),
                                    QStringLiteral("60"));
    const QCommandLineOption vehiclesOpt(QStringLiteral("vehicles"), QStringLiteral("Fleet size."), QStringLiteral("n"),
                                         QStringLiteral("10000"));
    const QCommandLineOption noPaceOpt(QStringLiteral("no-pace"), QStringLiteral("Run frames back to back."));
    parser.addOptions({secondsOpt, rateOpt, fpsOpt, vehiclesOpt, noPaceOpt});
    parser.process(app);
    const int fps = std::clamp(parser.value(fpsOpt).toInt(), 1, 240);
    const int frames = std::max(10, parser.value(secondsOpt).toInt() * fps);
    const int rate = std::max(0, parser.value(rateOpt).toInt());
    const int vehicles = std::max(100, parser.value(vehiclesOpt).toInt());

    // The user's settings as a first start would leave them, except for
    // the offline basemap (no network here) and a saved view, so that live
    // updates do not refit the map to the fleet.
    QTemporaryDir dir;
    AppSettings settings(
        std::make_unique<QSettings>(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat));
    settings.setTileSource(Map::TileSourceSpec::offline().toString());
    constexpr double kIndividualZoom = 13;
    constexpr double kClusteredZoom = 11;
    const QPointF city = Map::project(kLat, kLng);
    settings.setMapView(city, kIndividualZoom);

    MainWindow window(&settings);
    window.resize(1920, 1080);
    window.show();
    QElapsedTimer exposed;
    exposed.start();
    while (!(window.windowHandle() && window.windowHandle()->isExposed()) && exposed.elapsed() < 5000)
        runEventLoop(10);
    runEventLoop(50);
    Map::MapWidget *map = window.map();
    QTreeView *list = window.fleetPanel()->view();
    if (!list->isVisible()) {
        std::fprintf(stderr, "bench_live: the fleet list is not visible\n");
        return 1;
    }

    // The fleet fills the map's view at the individual zoom: a city of
    // about 16 × 12 km here.
    const QRectF visible = map->viewport().visibleWorld();
    const QPointF nw = Map::unproject(visible.topLeft());
    const QPointF se = Map::unproject(visible.bottomRight());
    const double lngSpan = (se.x() - nw.x()) * 0.95;
    const double latSpan = (nw.y() - se.y()) * 0.95;
    std::mt19937 rng(20260318);
    const QList<VehicleSnapshot> fleet = makeFleet(vehicles, latSpan, lngSpan, rng);

    QElapsedTimer loadTimer;
    loadTimer.start();
    window.loadFleet(fleet);
    const double loadMs = double(loadTimer.nsecsElapsed()) / 1e6;
    // A dispatcher has a moving vehicle selected: its details follow the feed.
    for (const VehicleSnapshot &v : fleet) {
        if (v.status == VehicleStatus::Moving) {
            window.selectVehicle(v.imei(), false);
            break;
        }
    }
    map->setView(city, kIndividualZoom);

    QImage mapImage(map->size(), QImage::Format_ARGB32_Premultiplied);
    PaintCounter mapCounter;
    PaintCounter listCounter;
    map->installEventFilter(&mapCounter);
    list->viewport()->installEventFilter(&listCounter);
    LiveFeed feed(fleet, latSpan, lngSpan, 7);
    Rig rig{&window, &mapImage, &feed, &mapCounter, &listCounter, frames, rate, fps, !parser.isSet(noPaceOpt)};

    if (!settleTiles(window, mapImage))
        std::fprintf(stderr, "bench_live: basemap tiles still under way after 30 s\n");
    std::printf("live updates in the main window: %dx%d offscreen (%s), map %dx%d, fleet list %dx%d "
                "(%d vehicles in %d groups, expanded), %s\n",
                window.width(), window.height(), qPrintable(QGuiApplication::platformName()), map->width(),
                map->height(), list->viewport()->width(), list->viewport()->height(),
                window.fleetModel()->vehicleCount(), kGroups, rig.pace ? "paced at the frame rate" : "not paced");
    std::printf("%d updates/s (%d reporting vehicles) at %d fps: ~%d per frame; %d frames per run after %d "
                "warm-up frames; loadFleet %.0f ms\n",
                rate, feed.reportingCount(), fps, (rate + fps / 2) / fps, frames, kWarmupFrames, loadMs);

    // 1. Individually.
    const RunResult base1 = run(rig, PaintMode::Map, false);
    const RunResult live1 = run(rig, PaintMode::Map, true);
    const Map::VehicleLayer::FrameStats drawn1 = map->vehicleLayer()->lastFrameStats();
    char title[200];
    std::snprintf(title, sizeof title, "1. individually, zoom %.0f: updateFleet + map paint (%d markers, %d labels)",
                  kIndividualZoom, drawn1.markers, drawn1.labels);
    report(title, base1, live1, true);

    // 2. Clustered.
    map->setView(city, kClusteredZoom);
    settleTiles(window, mapImage);
    const RunResult base2 = run(rig, PaintMode::Map, false);
    const RunResult live2 = run(rig, PaintMode::Map, true);
    const Map::VehicleLayer::FrameStats drawn2 = map->vehicleLayer()->lastFrameStats();
    std::snprintf(title, sizeof title, "2. clustered, zoom %.0f: updateFleet + map paint (%d clusters, %d markers)",
                  kClusteredZoom, drawn2.clusters, drawn2.markers);
    report(title, base2, live2, true);

    // 3. The whole window.
    map->setView(city, kIndividualZoom);
    settleTiles(window, mapImage);
    const RunResult base3 = run(rig, PaintMode::Window, false);
    const RunResult live3 = run(rig, PaintMode::Window, true);
    std::snprintf(title, sizeof title, "3. whole window, zoom %.0f: updateFleet + window.grab()", kIndividualZoom);
    report(title, base3, live3, true);

    // 4. The event loop's own repaint.
    const RunResult base4 = run(rig, PaintMode::EventLoop, false);
    const RunResult live4 = run(rig, PaintMode::EventLoop, true);
    std::snprintf(title, sizeof title,
                  "4. info: event loop, zoom %.0f: updateFleet + processEvents (map repainted in %d, list in %d of "
                  "%zu frames)",
                  kIndividualZoom, live4.mapPaints, live4.listPaints, live4.frame.size());
    report(title, base4, live4, false);

    std::printf("%d updates applied, %d status changes among them\n", feed.updates(), feed.statusChanges());
    const Stats s1 = stats(live1.frame), s2 = stats(live2.frame), s3 = stats(live3.frame);
    std::printf("targets: every frame < %.1f ms: individually %s (max %.2f), clustered %s (max %.2f), "
                "whole window %s (max %.2f)\n",
                kBudgetMs, verdict(live1.over == 0), s1.max, verdict(live2.over == 0), s2.max, verdict(live3.over == 0),
                s3.max);

    const bool drew = drawn1.markers > vehicles * 8 / 10 && drawn2.clusters > 0 && live4.mapPaints > 0;
    if (!drew)
        std::fprintf(stderr, "bench_live: the scenes did not draw what they should\n");
    return drew ? 0 : 1;
}
