#pragma once

#include "sync/embeddedcloud.h"
#include "util/clock.h"

#include <QDateTime>
#include <QJsonObject>

#include <atomic>
#include <memory>

namespace Fleet {

namespace Sim {
class SimPusher;
class SimServer;
} // namespace Sim

namespace Demo {

// What `fleetdesk --demo` runs: the simulated fleet's size, seed and pace.
struct DemoSettings
{
    int vehicles = 300;
    quint64 seed = 1;
    double speedup = 1.0;
    // The simulated fleet's time when the demo starts. Invalid: the demo's
    // default (Sim::demoFleetStart: a weekday, in working hours).
    QDateTime fleetStart;
    // The real time at which the fleet is at fleetStart. Invalid: now.
    QDateTime realStart;
    // The cloud's instruction.result lists a command this long after it was
    // sent (fleet seconds), as the real one does.
    int commandResultLagSecs = 60;
};

// The simulated cloud as a desktop session's embedded cloud: it serves the
// Open API on 127.0.0.1 and pushes to the session's webhook, on the session's
// thread. The session lives in the fleet's time (clock()): its sync windows,
// statuses and "… ago" texts follow the fleet, while requests are still signed
// with the real clock.
class DemoCloud final : public EmbeddedCloud
{
public:
    // realClock: the real time (tests drive it); null: the system's.
    explicit DemoCloud(const DemoSettings &settings, Clock *realClock = nullptr);
    ~DemoCloud() override;

    // With fleetStart and realStart settled (whole seconds, UTC).
    const DemoSettings &settings() const { return m_settings; }

    Clock *clock() override { return m_clock.get(); }
    int vehicleCount() const override { return m_settings.vehicles; }
    // The simulated city's avenues and ring roads.
    QByteArray mapOverlay() const override;
    std::optional<ApiAccount> start(Failure *failure) override;
    void startPushing(const QUrl &url, const QByteArray &token) override;
    void stopPushing() override;
    void stop() override;
    bool raiseAlarm(const QString &imei, const QString &typeId) override;
    // For tests and training: the simulator's /sim/state (waits for its
    // thread; empty when it is not serving), and a network drop of every
    // video stream playing.
    QJsonObject simState();
    void dropStreams();

private:
    DemoSettings m_settings;
    std::unique_ptr<ScaledClock> m_clock;
    std::unique_ptr<Sim::SimServer> m_sim;
    std::atomic<Sim::SimServer *> m_running{nullptr}; // m_sim while serving, for other threads
    std::unique_ptr<Sim::SimPusher> m_pusher;
};

} // namespace Demo
} // namespace Fleet
