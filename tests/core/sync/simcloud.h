#pragma once

// What the sync tests share: the simulated cloud on a free port with its
// fleet pinned to a fixed Thursday afternoon, a signed client of it, and a
// store (writer and reader) of the test function's own.

#include "api/apiclient.h"
#include "api/jimiapi.h"
#include "domain/camera.h"
#include "sim/simfleet.h"
#include "sim/simserver.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <memory>

namespace SimCloudTest {

// Fleet time "now" of the tests, and where the fleets' history starts.
inline QDateTime thursday()
{
    return QDateTime(QDate(2026, 12, 3), QTime(15, 0), QTimeZone::utc());
}
inline QDateTime epoch()
{
    return QDateTime(QDate(2026, 10, 1), QTime(0, 0), QTimeZone::utc());
}

// A fleet of `vehicles` (seed `seed`) whose now is the clock's.
inline Fleet::Sim::SimServerConfig fleet(int vehicles, int seed, const Fleet::Clock &clock)
{
    Fleet::Sim::SimServerConfig config;
    config.vehicles = vehicles;
    config.seed = seed;
    config.fleetStart = clock.nowUtc();
    config.fleetEpoch = epoch();
    return config;
}

// A dashcam online at the server's fleet time: its IMEI and first channel
// (false when the fleet has none).
inline bool onlineDashcam(const Fleet::Sim::SimServer &server, QString *imei, int *firstChannel)
{
    const Fleet::Sim::SimFleet &fleet = server.fleet();
    for (int i = 0; i < fleet.size(); ++i) {
        if (fleet.device(i).dashcam && fleet.isOnline(i, server.fleetNow())) {
            *imei = fleet.device(i).imei;
            *firstChannel = Fleet::cameraLayout(fleet.device(i).model).first;
            return true;
        }
    }
    return false;
}

// The simulator and the client: start() again replaces both.
struct Cloud
{
    Fleet::MemoryTokenStore tokens;
    std::unique_ptr<Fleet::Sim::SimServer> server;
    std::unique_ptr<Fleet::ApiClient> client;
    std::unique_ptr<Fleet::JimiApi> api;

    // One attempt per call, quick back-off: a test sees the cloud's answer.
    bool start(const Fleet::Sim::SimServerConfig &config, Fleet::Clock *clock)
    {
        stop();
        server = std::make_unique<Fleet::Sim::SimServer>(config, clock);
        if (server->listen() == 0)
            return false;
        Fleet::ApiClientOptions o;
        o.backoffBaseMs = 10;
        o.maxAttempts = 1;
        tokens = Fleet::MemoryTokenStore();
        client = std::make_unique<Fleet::ApiClient>(server->account(), &tokens, clock, o);
        api = std::make_unique<Fleet::JimiApi>(client.get());
        return true;
    }
    void stop()
    {
        api.reset();
        client.reset();
        server.reset();
    }
};

// A database file per test function, its writer (no coalescing) and a reader.
struct Store
{
    QTemporaryDir dir;
    std::unique_ptr<Fleet::StoreWriter> writer;
    std::unique_ptr<Fleet::StoreReader> reader;

    bool open(Fleet::Clock *clock)
    {
        const QString path = dir.filePath(
            QStringLiteral("fleet-%1.db").arg(QString::fromLatin1(QTest::currentTestFunction())));
        writer = std::make_unique<Fleet::StoreWriter>();
        Fleet::StoreWriter::Options wo;
        wo.clock = clock;
        wo.coalesceMs = 0;
        if (!writer->open(path, wo))
            return false;
        reader = std::make_unique<Fleet::StoreReader>();
        return reader->open(path);
    }
    void close()
    {
        reader.reset();
        writer.reset();
    }
};

} // namespace SimCloudTest
