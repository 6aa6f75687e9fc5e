#include "livesession.h"

namespace Fleet {

LiveSession::LiveSession(const SessionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_thread.setObjectName(QStringLiteral("fleet-session"));
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
