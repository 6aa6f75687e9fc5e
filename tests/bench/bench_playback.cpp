// Benchmarks of trip and track playback (issue 12), each printed beside the
// baseline it includes or compares against. Run a Release build (cmake
// --preset release) with QT_QPA_PLATFORM=offscreen.
//
//   load:    one vehicle × 7 days (40,320 fixes, one every 15 s) from the
//            store into the playback model (read, analyse, project).
//            baseline: the same rows read with a bare query, no values made.
//            target: under 150 ms.
//   draw:    a 1,000,000-point track on a 1600×900 map at every zoom from 4
//            to 18, the simplification of each level made once beforehand
//            (printed apart); median frame time over the levels, panning.
//            baseline: the same frame with the raw polyline (no
//            simplification, no culling) at one mid zoom.
//            target: median under 8 ms.
//   seek:    the playhead moved to a random time, then the frame drawn
//            (map layer and timeline). target: max under 16.7 ms.
//   play:    10 vehicles × 1 day at 3600×, 60 frames a second of advance()
//            and a full frame (map layer and timeline). target: no frame
//            over 16.7 ms.
//   gpx:     one vehicle × 7 days exported as GPX. target: under 1 s.
//
// Options: --save DIR (writes the last frame of draw and play as PNG)

#include "benchstats.h"
#include "history/trackexport.h"
#include "map/geomath.h"
#include "map/mapviewport.h"
#include "playback/playbackmodel.h"
#include "playback/timelinewidget.h"
#include "playback/tracklayer.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"
#include "util/utc.h"

#include <QApplication>
#include <QBuffer>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <random>

using namespace Fleet;

namespace {

const QSize kFrame(1600, 900);
constexpr qint64 kT0 = 1'780'000'000;

// A vehicle that drives as vehicles do: along straight streets, turning at
// crossings every few hundred metres, with GPS noise of a few metres; 0 to
// 110 km/h, parked at night; a fix every `step` seconds.
QList<Position> drive(const QString &imei, qint64 from, qint64 count, qint64 step, quint32 seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> leg(150, 900);
    std::uniform_int_distribution<int> turn(-1, 1);
    std::normal_distribution<double> noise(0, 3);
    QList<Position> out;
    out.reserve(count);
    double north = 0, east = 0; // metres from the start
    const double lat0 = 48.85 + (seed % 7) * 0.01;
    const double lng0 = 2.35 + (seed % 5) * 0.01;
    double heading = 90.0 * (seed % 4);
    double left = leg(rng);
    for (qint64 i = 0; i < count; ++i) {
        const qint64 t = from + i * step;
        const int hour = int((t / 3600) % 24);
        const double speed = (hour < 6 || hour > 20) ? 0.0 : 20.0 + 45.0 * (1 + std::sin(double(i) / 40.0));
        double metres = speed / 3.6 * double(step);
        while (metres > 0) {
            const double d = std::min(metres, left);
            north += d * std::cos(heading * M_PI / 180);
            east += d * std::sin(heading * M_PI / 180);
            metres -= d;
            left -= d;
            if (left <= 0) {
                heading += 90.0 * turn(rng);
                left = leg(rng);
            }
        }
        Position p;
        p.imei = imei;
        p.gpsTime = Utc::fromSecs(t);
        p.lat = lat0 + (north + noise(rng)) / 111320.0;
        p.lng = lng0 + (east + noise(rng)) / (111320.0 * std::cos(lat0 * M_PI / 180));
        p.speedKmh = speed;
        p.courseDeg = std::fmod(heading + 3600, 360);
        p.acc = speed > 0;
        p.satellites = 9;
        p.type = PositionType::Gps;
        out.append(p);
    }
    return out;
}

void row(const char *name, const BenchStats::Stats &s, const char *target)
{
    std::printf("  %-34s median %7.2f  p95 %7.2f  max %7.2f ms   (%s)\n", name, s.median, s.p95, s.max, target);
}

double elapsedMs(QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("save"), QStringLiteral("Write the last frames as PNG to DIR."),
                      QStringLiteral("DIR")});
    parser.addHelpOption();
    parser.process(app);
    const QString saveDir = parser.value(QStringLiteral("save"));
    std::printf("bench_playback (Release build expected)\n");

    // --- load: a week of one vehicle through the store.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.db"));
    const QString imei = QStringLiteral("860000000000042");
    const qint64 weekFixes = 7 * 86400 / 15;
    {
        StoreWriter writer;
        if (!writer.open(path)) {
            std::printf("cannot open the store: %s\n", qPrintable(writer.errorString()));
            return 1;
        }
        IngestBatch b;
        b.addPositions(drive(imei, kT0, weekFixes, 15, 1), PositionSource::TrackList);
        writer.write(b);
        writer.flush();
    }
    const TimeSpan week{Utc::fromSecs(kT0), Utc::fromSecs(kT0 + 7 * 86400)};
    std::vector<double> baseline, load;
    for (int run = 0; run < 7; ++run) {
        QElapsedTimer t;
        t.start();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bare"));
            db.setDatabaseName(path);
            db.open();
            QSqlQuery q(db);
            q.setForwardOnly(true);
            q.exec(QStringLiteral("SELECT gps_time, lat, lng, speed_kmh, direction_deg, acc, satellites, altitude_m, "
                                  "confidence, pos_type, reuploaded FROM position_history WHERE imei = '%1' "
                                  "ORDER BY gps_time")
                       .arg(imei));
            qint64 rows = 0;
            while (q.next())
                rows += q.value(0).toLongLong() > 0;
            if (rows != weekFixes)
                std::printf("baseline read %lld rows\n", rows);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bare"));
        baseline.push_back(elapsedMs(t));

        t.restart();
        PlaybackModel model;
        StoreReader reader;
        reader.open(path);
        model.setRange(week);
        model.setVehicles({TrackExport::prepare(VehicleHistory::load(reader, imei, week))});
        load.push_back(elapsedMs(t));
        if (model.vehicles().first().data.history.fixes.size() != weekFixes)
            std::printf("loaded %lld fixes\n", qint64(model.vehicles().first().data.history.fixes.size()));
    }
    std::printf("load: one vehicle x 7 days (%lld fixes), 7 runs\n", weekFixes);
    row("baseline: bare query", BenchStats::stats(baseline), "baseline");
    row("store -> playback model", BenchStats::stats(load), "target: median < 150 ms");

    // --- gpx: the same week exported.
    {
        StoreReader reader;
        reader.open(path);
        const TrackExport::Vehicle v = TrackExport::prepare(VehicleHistory::load(reader, imei, week));
        std::vector<double> gpx;
        qint64 bytes = 0;
        for (int run = 0; run < 5; ++run) {
            QBuffer buffer;
            buffer.open(QIODevice::WriteOnly);
            QElapsedTimer t;
            t.start();
            QString error;
            TrackExport::writeTrack({v}, TrackExport::Format::Gpx, &buffer, &error);
            gpx.push_back(elapsedMs(t));
            bytes = buffer.size();
        }
        std::printf("gpx: one vehicle x 7 days, %.1f MB, 5 runs\n", double(bytes) / 1e6);
        row("export as GPX", BenchStats::stats(gpx), "target: median < 1000 ms");
    }

    // --- draw: a million points.
    {
        PlaybackModel model;
        const qint64 count = 1'000'000;
        VehicleHistory h;
        h.imei = imei;
        h.name = QStringLiteral("VAN-042");
        h.fixes = drive(imei, kT0, count, 5, 2);
        h.span = {h.fixes.first().gpsTime, h.fixes.last().gpsTime};
        model.setRange(h.span);
        model.setVehicles({TrackExport::prepare(h)});
        TrackLayer layer(&model);
        layer.setFocused(imei);
        QRectF bounds;
        for (const QPointF &w : model.vehicles().first().world)
            bounds = bounds.united(QRectF(w, QSizeF(1e-12, 1e-12)));
        QElapsedTimer prep;
        prep.start();
        for (int z = 4; z <= 18; ++z)
            layer.simplified(0, z);
        const double prepMs = elapsedMs(prep);
        QImage frame(kFrame, QImage::Format_ARGB32_Premultiplied);
        std::vector<double> frames, cold;
        for (int z = 4; z <= 18; ++z) {
            // A view on the track at this zoom, then panned 3 px a frame, as a drag does.
            const QPointF start = z <= 8 ? bounds.center() : model.vehicles().first().world[std::size_t((z * 7919) % count)];
            Map::MapViewport view(start, z, kFrame);
            for (int f = 0; f < 21; ++f) {
                QElapsedTimer t;
                t.start();
                frame.fill(QColor(0xf2, 0xef, 0xe9));
                QPainter p(&frame);
                layer.paint(&p, view);
                p.end();
                (f == 0 ? cold : frames).push_back(elapsedMs(t));
                view.panBy(QPointF(3, 2));
            }
        }        // Baseline: every point drawn as one polyline, at zoom 12.
        std::vector<double> raw;
        {
            const auto &world = model.vehicles().first().world;
            for (int f = 0; f < 3; ++f) {
                Map::MapViewport view(world[std::size_t(f * 300000)], 12, kFrame);
                QElapsedTimer t;
                t.start();
                frame.fill(Qt::white);
                QPainter p(&frame);
                p.setRenderHint(QPainter::Antialiasing);
                p.setPen(QPen(Qt::blue, 4));
                QPolygonF line;
                line.reserve(qsizetype(world.size()));
                for (const QPointF &w : world)
                    line.append(view.worldToScreen(w));
                p.drawPolyline(line);
                p.end();
                raw.push_back(elapsedMs(t));
            }
        }
        std::printf("draw: 1,000,000 points, zoom 4..18, a new view then 20 frames panning 3 px each;\n"
                    "      simplification of the 15 levels: %.0f ms, once\n",
                    prepMs);
        row("baseline: raw polyline, zoom 12", BenchStats::stats(raw), "baseline");
        row("track layer, first frame of a view", BenchStats::stats(cold), "information: the kept image drawn");
        row("track layer, panning, every zoom", BenchStats::stats(frames), "target: median < 8 ms");
        if (!saveDir.isEmpty())
            frame.save(saveDir + QStringLiteral("/bench_playback_draw.png"));
    }

    // --- seek and play: 10 vehicles, one day each.
    {
        PlaybackModel model;
        ManualClock clock(Utc::fromSecs(kT0));
        model.setClock(&clock);
        QList<TrackExport::Vehicle> vehicles;
        for (int i = 0; i < 10; ++i) {
            VehicleHistory h;
            h.imei = QStringLiteral("8600000000001%1").arg(i, 2, 10, QLatin1Char('0'));
            h.name = QStringLiteral("VAN-%1").arg(i + 1, 3, 10, QLatin1Char('0'));
            h.fixes = drive(h.imei, kT0, 86400 / 10, 10, quint32(10 + i));
            h.span = {Utc::fromSecs(kT0), Utc::fromSecs(kT0 + 86400)};
            vehicles.append(TrackExport::prepare(h));
        }
        model.setRange({Utc::fromSecs(kT0), Utc::fromSecs(kT0 + 86400)});
        model.setVehicles(vehicles);
        TrackLayer layer(&model);
        layer.setFocused(vehicles.first().history.imei);
        TimelineWidget timeline(&model);
        timeline.resize(1600, 330);
        QRectF bounds;
        for (const PlaybackModel::Vehicle &v : model.vehicles())
            for (const QPointF &w : v.world)
                bounds = bounds.united(QRectF(w, QSizeF(1e-12, 1e-12)));
        Map::MapViewport view(bounds.center(), 12, kFrame);
        for (int z = 10; z <= 14; ++z)
            layer.simplified(0, z);
        QImage frame(kFrame, QImage::Format_ARGB32_Premultiplied);
        QImage strip(timeline.size(), QImage::Format_ARGB32_Premultiplied);
        std::vector<double> mapPart, timelinePart;
        const auto drawFrame = [&] {
            QElapsedTimer part;
            part.start();
            frame.fill(QColor(0xf2, 0xef, 0xe9));
            QPainter p(&frame);
            layer.paint(&p, view);
            p.end();
            mapPart.push_back(elapsedMs(part));
            part.restart();
            timeline.render(&strip);
            timelinePart.push_back(elapsedMs(part));
        };
        drawFrame(); // warm: glyphs, and the kept images of the map layer and the timeline
        mapPart.clear();
        timelinePart.clear();
        std::mt19937 rng(5);
        std::uniform_int_distribution<qint64> anywhere(kT0 * 1000, (kT0 + 86400) * 1000);
        std::vector<double> seeks;
        for (int i = 0; i < 200; ++i) {
            QElapsedTimer t;
            t.start();
            model.setPlayheadMs(anywhere(rng));
            drawFrame();
            seeks.push_back(elapsedMs(t));
        }
        std::printf("seek: 10 vehicles x 1 day, 200 random playhead moves, each to a drawn frame\n");
        row("seek + frame", BenchStats::stats(seeks), "target: max < 16.7 ms");

        model.setPlayheadMs(kT0 * 1000);
        model.setSpeed(3600);
        model.play();
        std::vector<double> play;
        for (int i = 0; i < 60 * 20 && model.isPlaying(); ++i) {
            clock.advanceMs(16);
            QElapsedTimer t;
            t.start();
            model.advance();
            drawFrame();
            play.push_back(elapsedMs(t));
        }
        std::printf("play: 10 vehicles x 1 day at 3600x, %zu frames\n", play.size());
        row("advance + frame", BenchStats::stats(play), "target: max < 16.7 ms");
        row("  of which the map layer", BenchStats::stats(mapPart), "seek and play frames");
        row("  of which the timeline", BenchStats::stats(timelinePart), "seek and play frames");
        if (!saveDir.isEmpty()) {
            frame.save(saveDir + QStringLiteral("/bench_playback_play.png"));
            strip.save(saveDir + QStringLiteral("/bench_playback_timeline.png"));
        }
    }
    return 0;
}
