#pragma once

// What the video benchmarks share: the process's CPU time, a wait that
// runs the event loop, and the simulated cloud with its dashcams.

#include "api/apiclient.h"
#include "api/jimiapi.h"
#include "sim/simmediaapi.h"
#include "sim/simserver.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimeZone>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

namespace VideoBench {

using namespace Fleet;

inline double cpuSeconds()
{
#ifdef Q_OS_UNIX
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
#else
    return -1;
#endif
}

// Runs the event loop (sleeping between events, so that the process's CPU
// time is its work) until done() or ms have passed.
inline bool waitFor(const std::function<bool()> &done, int ms)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    poll.start(5);
    if (!done())
        loop.exec();
    return done();
}

inline void wait(int ms)
{
    waitFor([] { return false; }, ms);
}

struct Cloud
{
    ManualClock clock{QDateTime(QDate(2026, 12, 3), QTime(15, 0), QTimeZone::utc())};
    MemoryTokenStore tokens;
    std::unique_ptr<Sim::SimServer> server;
    std::unique_ptr<ApiClient> client;
    std::unique_ptr<JimiApi> api;
    QStringList cameras; // imei/channel of every online dashcam's channels
    int opened = 0;

    bool start(bool gopCache)
    {
        Sim::SimServerConfig config;
        config.videoGopCache = gopCache;
        config.vehicles = 40;
        config.seed = 3;
        config.fleetStart = clock.nowUtc();
        config.fleetEpoch = QDateTime(QDate(2026, 10, 1), QTime(0, 0), QTimeZone::utc());
        server = std::make_unique<Sim::SimServer>(config, &clock);
        if (server->listen() == 0)
            return false;
        client = std::make_unique<ApiClient>(server->account(), &tokens, &clock);
        api = std::make_unique<JimiApi>(client.get());
        const Sim::SimFleet &fleet = server->fleet();
        for (int i = 0; i < fleet.size(); ++i) {
            if (!fleet.device(i).dashcam || !fleet.isOnline(i, server->fleetNow()))
                continue;
            const int first = Sim::SimMediaApi::firstChannel(fleet.device(i).model);
            for (int ch = first; ch < first + 2; ++ch)
                cameras.append(fleet.device(i).imei + QLatin1Char('/') + QString::number(ch));
        }
        return !cameras.isEmpty();
    }

    // What the cloud answers a call that hands out a URL (waits for it).
    QUrl answered(const std::function<void(JimiApi::Callback<QUrl>)> &call)
    {
        std::optional<Result<QUrl>> answer;
        call([&answer](const Result<QUrl> &r) { answer = r; });
        waitFor([&answer] { return answer.has_value(); }, 10000);
        return answer && answer->ok() ? answer->value() : QUrl();
    }

    // A fresh live URL of camera i (a new appId each time, as a new tile has).
    QUrl liveUrl(int i)
    {
        const QStringList parts = cameras.at(i % cameras.size()).split(QLatin1Char('/'));
        std::optional<Result<QUrl>> answer;
        api->liveStream(parts.at(0), parts.at(1).toInt(), QStringLiteral("bench%1").arg(++opened, 10, 10, QLatin1Char('0')),
                        server.get(), [&answer](const Result<QUrl> &r) { answer = r; });
        waitFor([&answer] { return answer.has_value(); }, 10000);
        return answer && answer->ok() ? answer->value() : QUrl();
    }
};

} // namespace VideoBench
