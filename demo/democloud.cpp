#include "democloud.h"

#include "sim/roadnetwork.h"

#include "sim/fleetstart.h"
#include "sim/simpusher.h"
#include "sim/simserver.h"
#include "util/utc.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QThread>

namespace Fleet::Demo {

DemoCloud::DemoCloud(const DemoSettings &settings, Clock *realClock)
    : m_settings(settings)
{
    Clock *real = realClock ? realClock : Clock::system();
    const QDateTime realNow = real->nowUtc();
    if (!m_settings.realStart.isValid())
        m_settings.realStart = realNow;
    if (!m_settings.fleetStart.isValid())
        m_settings.fleetStart = Sim::demoFleetStart(realNow, Sim::SimFleetConfig().utcOffsetSecs);
    // Whole seconds, as the simulated cloud keeps it.
    m_settings.fleetStart = Utc::fromSecs(m_settings.fleetStart.toSecsSinceEpoch());
    m_clock = std::make_unique<ScaledClock>(real, m_settings.realStart, m_settings.fleetStart, m_settings.speedup);
}

DemoCloud::~DemoCloud() = default;

QByteArray DemoCloud::mapOverlay() const
{
    // The simulated cloud's network is a function of its seed and centre
    // (SimServer gives the fleet its own seed), so it is made here without
    // touching the cloud, which lives on the session's thread.
    const Sim::SimFleetConfig fleet;
    return Sim::RoadNetwork(m_settings.seed, fleet.centreLat, fleet.centreLng).toGeoJson();
}

std::optional<ApiAccount> DemoCloud::start(Failure *failure)
{
    Sim::SimServerConfig sim;
    sim.vehicles = m_settings.vehicles;
    sim.seed = m_settings.seed;
    sim.speedup = m_settings.speedup;
    sim.fleetStart = m_settings.fleetStart;
    sim.realStart = m_settings.realStart;
    sim.commandResultLagSecs = m_settings.commandResultLagSecs;
    m_sim = std::make_unique<Sim::SimServer>(sim);
    if (m_sim->listen(QHostAddress::LocalHost, 0) == 0) {
        m_sim.reset();
        if (failure)
            *failure = Failure::CannotListen;
        return std::nullopt;
    }
    m_running = m_sim.get();
    return m_sim->account();
}

bool DemoCloud::raiseAlarm(const QString &imei, const QString &typeId)
{
    Sim::SimServer *sim = m_running;
    if (!sim)
        return false;
    // The fleet is the server thread's; the call waits for it there.
    return QMetaObject::invokeMethod(
        sim, [sim, imei, typeId] { sim->raiseAlarm(imei, typeId); }, Qt::QueuedConnection);
}

QJsonObject DemoCloud::simState()
{
    Sim::SimServer *sim = m_running;
    if (!sim)
        return {};
    QJsonObject state;
    QMetaObject::invokeMethod(
        sim, [sim, &state] { state = sim->stateJson(); },
        sim->thread() == QThread::currentThread() ? Qt::DirectConnection : Qt::BlockingQueuedConnection);
    return state;
}

void DemoCloud::dropStreams()
{
    if (Sim::SimServer *sim = m_running)
        QMetaObject::invokeMethod(sim, [sim] { sim->dropStreams(); }, Qt::QueuedConnection);
}

void DemoCloud::startPushing(const QUrl &url, const QByteArray &token)
{
    if (!m_sim)
        return;
    m_pusher = std::make_unique<Sim::SimPusher>(*m_sim, url, token);
    m_pusher->start();
}

void DemoCloud::stopPushing()
{
    if (m_pusher)
        m_pusher->stop();
    m_pusher.reset();
}

void DemoCloud::stop()
{
    m_running = nullptr;
    stopPushing();
    m_sim.reset();
}

} // namespace Fleet::Demo
