#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace Fleet {

// The engine of a writer that is the only one to write an SQLite file: the
// store writer and the push inbox run on it, each with a queue and a policy
// of its own.
//
// - A worker thread, started with a handshake: start() returns once the
//   worker has opened its database (or failed to, and stopped).
// - One mutex, for the owner's queue as well as for this class's state; the
//   worker sleeps on wakeCondition().
// - Sequence numbers: each queued item takes one (enqueued()), the worker
//   says how far it got (setDone()), and flush() waits for exactly what was
//   queued before it.
// - Callbacks the worker post()s run on the owner's thread, in order.
// - A second thread with a connection of its own folds the WAL back into the
//   database (PRAGMA wal_checkpoint(PASSIVE)), so that its fsync never holds
//   up a commit: while busy once the WAL is longer than burstBytes, and once
//   the writer has been quiet for a moment when it is longer than idleBytes.
//
// Methods marked "lock held" are called with mutex() locked.
class WriterThread : public QObject
{
    Q_OBJECT
public:
    struct Checkpoints
    {
        qint64 burstBytes = 0; // 0: no checkpoint thread
        qint64 idleBytes = 0; // 0: only burst checkpoints
        std::chrono::milliseconds quiet{250}; // "quiet": no commit for this long; also how often it looks
        bool lookOnCommit = false; // also look after every commit (a burst is caught at once)
        QString connectOptions; // extra QSQLITE options of its connection
    };
    // What the worker thread runs: open(), then loop() until it returns (it
    // returns once stopRequested() and it has nothing left it can write),
    // then close().
    struct Work
    {
        std::function<bool(QString *error)> open;
        std::function<void()> loop;
        std::function<void()> close;
    };

    explicit WriterThread(QObject *parent = nullptr);
    ~WriterThread() override; // stop()

    // Starts the worker for the database at path, and waits until work.open
    // has returned. False, with *error, when it failed (the thread has ended).
    bool start(const QString &threadName, const QString &path, Work work, const Checkpoints &checkpoints,
               QString *error);
    // Asks the loop to end, waits for the worker and the checkpoint thread,
    // then runs what is still posted. Owner's thread.
    void stop();
    bool isStarted() const { return bool(m_thread); }
    // From work.open, where the sizes may depend on the file: replaces the
    // checkpoints given to start().
    void setCheckpoints(const Checkpoints &checkpoints);

    std::mutex &mutex() const { return m_mutex; }
    std::condition_variable &wakeCondition() { return m_wake; }
    void wake() { m_wake.notify_all(); }

    // Lock held. Between a successful start() and the end of loop(), until
    // stop() is asked for: new work is welcome.
    bool accepting() const { return m_running && !m_stop; }
    bool running() const { return m_running; }
    bool stopRequested() const { return m_stop; }

    // Lock held: the sequence number of an item being queued.
    qint64 enqueued() { return ++m_queued; }
    qint64 lastQueued() const { return m_queued; }
    // Lock held: everything up to seq is done (written, or given up and
    // reported). Wakes those who flush.
    void setDone(qint64 seq);
    qint64 done() const { return m_done; }
    // Lock held: something that flush()'s stalled() looks at has changed.
    void notifyFlushers() { m_doneCondition.notify_all(); }
    // Lock held: the highest sequence number a flush() waits for; the worker
    // may take that as a reason to hurry.
    qint64 flushTarget() const { return m_flushTarget; }

    // Any thread but the worker's. Waits until everything queued before the
    // call is done (true), or stalled() says it will not be for now, the
    // worker has ended, or timeoutMs passed (false). stalled is called with
    // the lock held. Called on the owner's thread, it also runs what is
    // posted before returning.
    bool flush(int timeoutMs = -1, const std::function<bool()> &stalled = {});

    // Lock held: fn runs on the owner's thread, after what was posted before.
    void post(std::function<void()> fn);
    // Runs what is posted now. Owner's thread.
    void deliver();

    // Lock held: the worker committed; the checkpoint thread takes a look.
    void noteCommit();
    // Checkpoints run so far.
    qint64 checkpointCount() const;

private:
    void runWorker(Work work);
    void runCheckpoints();

    QString m_path;
    Checkpoints m_checkpoints;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QThread> m_checkpointer;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake; // the worker waits here
    std::condition_variable m_doneCondition; // start() and flush() wait here
    std::condition_variable m_checkpointWake;
    bool m_opening = false;
    bool m_running = false;
    bool m_stop = false;
    QString m_openError;
    qint64 m_queued = 0;
    qint64 m_done = 0;
    qint64 m_flushTarget = 0;
    QList<std::function<void()>> m_posted;
    bool m_deliveryPosted = false;
    std::chrono::steady_clock::time_point m_lastCommit;
    bool m_committedSinceCheckpoint = false;
    bool m_checkpointStop = false;
    qint64 m_checkpointCount = 0;
};

} // namespace Fleet
