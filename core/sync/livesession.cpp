#include "livesession.h"

#include "sim/fleetstart.h"
#include "sim/simserverconfig.h"

namespace Fleet {

LiveSession::LiveSession(const SessionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_thread.setObjectName(QStringLiteral("fleet-session"));
    if (m_settings.demo) {
        const QDateTime realNow = Clock::system()->nowUtc();
        if (!m_settings.demoRealStart.isValid())
            m_settings.demoRealStart = realNow;
        if (!m_settings.demoFleetStart.isValid())
            m_settings.demoFleetStart = Sim::demoFleetStart(realNow, Sim::SimFleetConfig().utcOffsetSecs);
        // Whole seconds, as the simulated cloud keeps it.
        m_settings.demoFleetStart = Utc::fromSecs(m_settings.demoFleetStart.toSecsSinceEpoch());
        m_clock = std::make_unique<ScaledClock>(Clock::system(), m_settings.demoRealStart, m_settings.demoFleetStart,
                                                m_settings.demoSpeedup);
    }
}

LiveSession::~LiveSession()
{
    stop();
}

void LiveSession::start()
{
    if (m_thread.isRunning())
        return;
    m_worker = new SessionWorker(m_settings, clock());
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SessionWorker::started, this, &LiveSession::started);
    connect(m_worker, &SessionWorker::failed, this, &LiveSession::failed);
    connect(m_worker, &SessionWorker::vehiclesLoaded, this, &LiveSession::vehiclesLoaded);
    connect(m_worker, &SessionWorker::vehiclesChanged, this, &LiveSession::vehiclesChanged);
    connect(m_worker, &SessionWorker::statusChanged, this, &LiveSession::statusChanged);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &SessionWorker::start, Qt::QueuedConnection);
}

void LiveSession::stop()
{
    if (!m_thread.isRunning())
        return;
    // The worker's objects (sockets, timers, the writer) must end on their own thread.
    QMetaObject::invokeMethod(m_worker, &SessionWorker::stop, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

} // namespace Fleet
