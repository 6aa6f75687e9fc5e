#include "writerthread.h"

#include "storelog.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

namespace Fleet {

using SteadyClock = std::chrono::steady_clock;

WriterThread::WriterThread(QObject *parent)
    : QObject(parent)
{ }

WriterThread::~WriterThread()
{
    stop();
}

bool WriterThread::start(const QString &threadName, const QString &path, Work work, const Checkpoints &checkpoints,
                         QString *error)
{
    stop();
    {
        std::lock_guard lock(m_mutex);
        m_path = path;
        m_checkpoints = checkpoints;
        m_opening = true;
        m_running = false;
        m_stop = false;
        m_openError.clear();
        m_queued = 0;
        m_done = 0;
        m_flushTarget = 0;
        m_committedSinceCheckpoint = false;
        m_checkpointStop = false;
    }
    m_thread.reset(QThread::create([this, work = std::move(work)]() mutable { runWorker(std::move(work)); }));
    m_thread->setObjectName(threadName);
    m_thread->start();

    std::unique_lock lock(m_mutex);
    m_doneCondition.wait(lock, [this] { return !m_opening; });
    if (m_running) {
        if (m_checkpoints.burstBytes > 0) {
            m_checkpointer.reset(QThread::create([this] { runCheckpoints(); }));
            m_checkpointer->setObjectName(threadName + QStringLiteral(".checkpoint"));
            m_checkpointer->start();
        }
        return true;
    }
    if (error)
        *error = m_openError;
    lock.unlock();
    m_thread->wait();
    m_thread.reset();
    return false;
}

void WriterThread::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread->wait();
    m_thread.reset();
    if (m_checkpointer) {
        {
            std::lock_guard lock(m_mutex);
            m_checkpointStop = true;
        }
        m_checkpointWake.notify_all();
        m_checkpointer->wait();
        m_checkpointer.reset();
    }
    deliver();
}

void WriterThread::setCheckpoints(const Checkpoints &checkpoints)
{
    std::lock_guard lock(m_mutex);
    m_checkpoints = checkpoints;
}

void WriterThread::setDone(qint64 seq)
{
    m_done = seq;
    m_doneCondition.notify_all();
}

bool WriterThread::flush(int timeoutMs, const std::function<bool()> &stalled)
{
    bool ok = false;
    {
        std::unique_lock lock(m_mutex);
        const qint64 target = m_queued;
        if (m_running && m_done < target) {
            m_flushTarget = qMax(m_flushTarget, target);
            m_wake.notify_all();
            const auto finished = [&] { return m_done >= target || !m_running || (stalled && stalled()); };
            if (timeoutMs < 0)
                m_doneCondition.wait(lock, finished);
            else
                m_doneCondition.wait_for(lock, std::chrono::milliseconds(timeoutMs), finished);
        }
        ok = m_done >= target;
    }
    if (QThread::currentThread() == thread())
        deliver();
    return ok;
}

void WriterThread::post(std::function<void()> fn)
{
    m_posted.append(std::move(fn));
    if (!m_deliveryPosted) {
        m_deliveryPosted = true;
        QMetaObject::invokeMethod(this, &WriterThread::deliver, Qt::QueuedConnection);
    }
}

void WriterThread::deliver()
{
    QList<std::function<void()>> posted;
    {
        std::lock_guard lock(m_mutex);
        posted.swap(m_posted);
        m_deliveryPosted = false;
    }
    for (const auto &fn : std::as_const(posted))
        fn();
}

void WriterThread::noteCommit()
{
    m_lastCommit = SteadyClock::now();
    m_committedSinceCheckpoint = true;
    if (m_checkpoints.lookOnCommit)
        m_checkpointWake.notify_all();
}

qint64 WriterThread::checkpointCount() const
{
    std::lock_guard lock(m_mutex);
    return m_checkpointCount;
}

void WriterThread::runWorker(Work work)
{
    QString error;
    const bool opened = work.open(&error);
    {
        std::lock_guard lock(m_mutex);
        m_running = opened;
        m_opening = false;
        m_openError = error;
    }
    m_doneCondition.notify_all();
    if (opened)
        work.loop();
    {
        std::lock_guard lock(m_mutex);
        m_running = false;
    }
    m_doneCondition.notify_all();
    if (work.close)
        work.close();
}

void WriterThread::runCheckpoints()
{
    Checkpoints options;
    {
        std::lock_guard lock(m_mutex);
        options = m_checkpoints;
    }
    const QString name = QStringLiteral("fleet-checkpoint-%1").arg(quintptr(this), 0, 16);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        // Never waits for a lock: what it cannot copy now, the next one does.
        db.setConnectOptions(
            QStringLiteral("QSQLITE_BUSY_TIMEOUT=0")
            + (options.connectOptions.isEmpty() ? QString() : QLatin1Char(';') + options.connectOptions));
        if (!db.open()) {
            qCWarning(lcStore).noquote() << "no checkpoints of" << m_path
                                         << ": cannot open a second connection:" << db.lastError().text();
        } else {
            const QString walPath = m_path + QStringLiteral("-wal");
            const auto quiet = std::max(options.quiet, std::chrono::milliseconds(1));
            std::unique_lock lock(m_mutex);
            for (;;) {
                m_checkpointWake.wait_for(lock, quiet);
                if (m_checkpointStop)
                    break;
                if (!m_committedSinceCheckpoint)
                    continue;
                const bool idle = SteadyClock::now() - m_lastCommit >= quiet;
                lock.unlock();
                const qint64 wal = QFileInfo(walPath).size();
                const bool due = wal > options.burstBytes || (idle && options.idleBytes > 0 && wal > options.idleBytes);
                if (due) {
                    QSqlQuery q(db);
                    q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
                }
                lock.lock();
                if (due)
                    ++m_checkpointCount;
                if (due || idle)
                    m_committedSinceCheckpoint = false;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace Fleet
