// Benchmarks of the video player (issue 14), each printed beside its
// baseline. Run a Release build with QT_QPA_PLATFORM=offscreen. The
// simulated cloud runs in this process; its media server serves the live
// HTTP-FLV (640x360, 15 fps H.264 and AAC) on the loopback.
//
//   first frame: live.stream asked for a fresh URL, then the URL opened
//                and timed to its first decoded picture, 10 times; from a
//                server with a GOP cache (the picture group up to now at
//                once) and from one without (the next keyframe, in real
//                time: up to a second of waiting is the stream's, not the
//                player's).
//                baseline: Qt Multimedia's default player (QMediaPlayer
//                with its GStreamer backend) on the same kind of URLs, in
//                the same run. target: < 1.5 s median, < 2 s worst.
//   nine:        nine live streams at once into nine QVideoSinks for 10 s:
//                the process's CPU time (decoding and delivery; nothing is
//                drawn), and its memory per stream.
//                baseline: the same nine streams read and thrown away (the
//                simulator's own share of the process).
//                target: < 1 core for decoding and delivery; < 60 MB a stream.

#include "api/apiclient.h"
#include "api/jimiapi.h"
#include "benchstats.h"
#include "videobench.h"
#include "sim/simmediaapi.h"
#include "sim/simserver.h"
#include "util/clock.h"
#include "videostream.h"

#include <QGuiApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QMediaPlayer>
#include <QTimeZone>
#include <QTcpSocket>
#include <QTimer>
#include <QVideoSink>

#include <cstdio>
#include <optional>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

using namespace Fleet;
using namespace VideoBench;

namespace {

// ms to the first picture with Qt Multimedia's default player; -1 with the
// reason in *error when none came.
double qtMultimediaFirstFrame(const QUrl &url, QString *error)
{
    QMediaPlayer player;
    QVideoSink sink;
    player.setVideoSink(&sink);
    bool got = false;
    QObject::connect(&sink, &QVideoSink::videoFrameChanged, &sink, [&got](const QVideoFrame &f) { got |= f.isValid(); });
    QElapsedTimer t;
    t.start();
    player.setSource(url);
    player.play();
    waitFor([&] { return got || player.error() != QMediaPlayer::NoError; }, 20000);
    const double ms = double(t.nsecsElapsed()) / 1e6;
    if (!got)
        *error = player.error() != QMediaPlayer::NoError ? player.errorString() : QStringLiteral("no picture in 20 s");
    player.stop();
    return got ? ms : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    std::printf("bench_video (Release build expected)\n");
    std::printf("first decoded frame of a live HTTP-FLV stream from the local simulator (10 runs each)\n");
    for (const bool gopCache : {true, false}) {
        Cloud cloud;
        if (!cloud.start(gopCache)) {
            std::printf("cannot start the simulated cloud\n");
            return 1;
        }
        std::vector<double> ours, qt;
        QString qtError;
        for (int run = 0; run < 10; ++run) {
            // Opened at another moment of the picture group each time (a
            // run right after the one before would wait a whole group).
            wait(97 * run % 1000);
            Player::VideoStream stream;
            stream.open(cloud.liveUrl(run));
            waitFor([&] { return stream.firstFrameMs() >= 0 || stream.state() == Player::VideoStream::State::Failed; },
                    20000);
            if (stream.firstFrameMs() < 0) {
                std::printf("  run %d: no picture: %s\n", run, qPrintable(stream.errorString()));
                continue;
            }
            ours.push_back(double(stream.firstFrameMs()));
        }
        for (int run = 0; run < 10 && qtError.isEmpty(); ++run) {
            wait(97 * run % 1000);
            const double ms = qtMultimediaFirstFrame(cloud.liveUrl(run), &qtError);
            if (ms >= 0)
                qt.push_back(ms);
        }
        std::printf(" %s\n", gopCache ? "server with a GOP cache" : "server without a GOP cache (next keyframe)");
        const BenchStats::Stats q = BenchStats::stats(qt);
        if (qt.empty())
            std::printf("  %-40s %s\n", "baseline: Qt Multimedia (QMediaPlayer)",
                        qPrintable(QStringLiteral("no picture: ") + qtError));
        else
            std::printf("  %-40s median %7.1f  worst %7.1f ms   (%zu runs)\n",
                        "baseline: Qt Multimedia (QMediaPlayer)", q.median, q.max, qt.size());
        const BenchStats::Stats o = BenchStats::stats(ours);
        std::printf("  %-40s median %7.1f  worst %7.1f ms   (%zu runs; target < 1500 median, < 2000 worst)\n",
                    "FleetDesk's player (VideoStream)", o.median, o.max, ours.size());
    }

    Cloud cloud;
    if (!cloud.start(true)) {
        std::printf("cannot start the simulated cloud\n");
        return 1;
    }
    // --- a tile to the other camera, and seeking inside a recording: from
    // the user's action (the cloud asked, the player opened) to the new picture
    {
        const auto firstFrame = [](const QUrl &url, const Player::StreamOptions &options) {
            Player::VideoStream stream;
            stream.open(url, options);
            waitFor([&] { return stream.firstFrameMs() >= 0 || stream.state() == Player::VideoStream::State::Failed; },
                    20000);
            return stream.firstFrameMs() >= 0;
        };
        const QStringList camera = cloud.cameras.first().split(QLatin1Char('/'));
        const QString imei = camera.at(0);
        const int channel = camera.at(1).toInt();
        Player::StreamOptions paced;
        paced.mode = Player::PlayMode::Paced;
        std::vector<double> fresh, switched, byTime, byFile;
        const QDateTime recording = cloud.server->fleetNow().addSecs(-7200);
        for (int run = 0; run < 10; ++run) {
            wait(97 * run % 1000);
            const QString appId = QStringLiteral("seek%1").arg(run, 11, 10, QLatin1Char('0'));
            QElapsedTimer t;
            // Baseline: a recording opened at its beginning.
            t.start();
            QUrl url = cloud.answered([&](auto done) {
                cloud.api->historyStream(imei, channel, appId, recording, recording.addSecs(180), {}, cloud.server.get(),
                                         done);
            });
            if (firstFrame(url, paced))
                fresh.push_back(double(t.nsecsElapsed()) / 1e6);
            // By time: asked anew from 90 s in.
            t.start();
            url = cloud.answered([&](auto done) {
                cloud.api->historyStream(imei, channel, appId, recording.addSecs(90), recording.addSecs(180), {},
                                         cloud.server.get(), done);
            });
            if (firstFrame(url, paced))
                byTime.push_back(double(t.nsecsElapsed()) / 1e6);
            // By file: the one-minute file from its start, skipped 40.5 s into.
            t.start();
            url = cloud.answered([&](auto done) {
                cloud.api->historyStream(imei, channel, appId, {}, {}, {QStringLiteral("2026_12_03_13_00_00_01.mp4")},
                                         cloud.server.get(), done);
            });
            Player::StreamOptions skip = paced;
            skip.startAtMs = 40500;
            if (firstFrame(url, skip))
                byFile.push_back(double(t.nsecsElapsed()) / 1e6);
            // The other camera: the old stream closed (not waited for), the other asked for.
            t.start();
            cloud.api->closeStream(imei, channel, StreamKind::History, appId, cloud.server.get(), [](const Result<Done> &) {});
            const int other = channel + 1; // cameras: a dashcam's first channel, then its second
            url = cloud.answered([&](auto done) { cloud.api->liveStream(imei, other, appId, cloud.server.get(), done); });
            if (firstFrame(url, {}))
                switched.push_back(double(t.nsecsElapsed()) / 1e6);
            cloud.api->closeStream(imei, other, StreamKind::Live, appId, cloud.server.get(), [](const Result<Done> &) {});
        }
        std::printf("seeking inside a recording, and a tile to the other camera: action to the new picture (10 runs)\n");
        const auto line = [](const char *what, const std::vector<double> &v, const char *target) {
            const BenchStats::Stats st = BenchStats::stats(v);
            std::printf("  %-40s median %7.1f  worst %7.1f ms   (%zu runs%s)\n", what, st.median, st.max, v.size(), target);
        };
        line("baseline: a recording from its start", fresh, "");
        line("seek by time (asked anew from 90 s in)", byTime, "; target < 500");
        line("seek by file (skipped 40.5 s into it)", byFile, "; target < 500");
        std::printf("  %-40s %.0f ms, the recording's time that reading in real time would take\n",
                    "baseline: playing up to 40.5 s", 40500.0);
        line("switch to the other camera (live)", switched, "; target < 1000");
    }

    // --- the baseline: nine streams read and thrown away
    double baselineCores = 0;
    {
        std::vector<std::unique_ptr<QTcpSocket>> readers;
        for (int i = 0; i < 9; ++i) {
            const QUrl url = cloud.liveUrl(i);
            auto socket = std::make_unique<QTcpSocket>();
            QObject::connect(socket.get(), &QTcpSocket::readyRead, socket.get(), [s = socket.get()] { s->readAll(); });
            socket->connectToHost(url.host(), quint16(url.port()));
            socket->write("GET " + url.path().toLatin1() + '?' + url.query().toLatin1() + " HTTP/1.1\r\nHost: "
                          + url.host().toLatin1() + "\r\n\r\n");
            readers.push_back(std::move(socket));
        }
        wait(2000);
        const double cpuBefore = cpuSeconds();
        QElapsedTimer wall;
        wall.start();
        wait(10000);
        baselineCores = (cpuSeconds() - cpuBefore) / (double(wall.nsecsElapsed()) / 1e9);
    }

    // --- nine at once
    const qint64 rssBefore = BenchStats::rssKiB();
    std::vector<std::unique_ptr<QVideoSink>> sinks;
    std::vector<std::unique_ptr<Player::VideoStream>> streams;
    for (int i = 0; i < 9; ++i) {
        sinks.push_back(std::make_unique<QVideoSink>());
        streams.push_back(std::make_unique<Player::VideoStream>());
        streams.back()->setVideoSink(sinks.back().get());
        streams.back()->open(cloud.liveUrl(i));
    }
    const bool allPlaying = waitFor(
        [&] {
            return std::all_of(streams.cbegin(), streams.cend(), [](const auto &s) { return s->firstFrameMs() >= 0; });
        },
        20000);
    wait(2000); // past the start's picture-group bursts
    qint64 deliveredBefore = 0;
    for (const auto &s : streams)
        deliveredBefore += s->framesDelivered();
    const double cpuBefore = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    wait(10000);
    const double cpu = cpuSeconds() - cpuBefore;
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    qint64 delivered = 0, dropped = 0;
    for (const auto &s : streams) {
        delivered += s->framesDelivered();
        dropped += s->framesDropped();
    }
    const qint64 rssAfter = BenchStats::rssKiB();
    std::printf("nine live 640x360 streams at once, 10 s (%s)\n", allPlaying ? "all nine playing" : "NOT all playing");
    std::printf("  %-40s %.2f cores\n", "baseline: the nine read, thrown away", baselineCores);
    std::printf("  %-40s %.2f cores (%.2f with the simulator; %.1f s of CPU in %.1f s)   (target < 1 core)\n",
                "decoding and delivery to the sinks", cpu / seconds - baselineCores, cpu / seconds, cpu, seconds);
    std::printf("  %-40s %.1f a second a stream (the streams send 15); %lld dropped in all\n",
                "pictures delivered", double(delivered - deliveredBefore) / seconds / 9, qlonglong(dropped));
    std::printf("  %-40s %.1f MB a stream (%lld KiB before, %lld with nine)   (target < 60 MB)\n",
                "memory", double(rssAfter - rssBefore) / 1024 / 9, qlonglong(rssBefore), qlonglong(rssAfter));
    streams.clear();
    return 0;
}
