#pragma once

#include "ingestbatch.h"
#include "storechange.h"
#include "storestats.h"
#include "writerthread.h"

#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>

namespace Fleet {

class Clock;
class IngestWriter;
class StoreConnection;

// The one writer of the store. Owns a worker thread with its own connection
// (which runs the migrations when it opens). write() may be called from any
// thread; queued batches are coalesced into one transaction (up to
// maxTransactionRows, waiting at most coalesceMs for company) and committed
// in the order they were queued. After each commit, changed() says which
// devices, span and tables changed.
//
// A failed transaction is rolled back and nothing is dropped: its batches
// stay at the head of the queue, writeFailed() reports why, and the writer
// pauses until retry() (or the automatic retry after retryIntervalMs), or
// until takeFailedBatches() hands them back to the caller. Order is kept, so
// a stale state never overwrites a newer one.
//
// Signals are emitted in the thread that owns the StoreWriter.
class StoreWriter : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int maxTransactionRows = 100000;
        int coalesceMs = 50; // how long the first queued batch waits for others
        int jumpGatherMs = 2; // how long a batch that jumps the queue waits for others
        int rowsWhileWaited = 2500; // row limit of a transaction while jumping batches wait
        int busyTimeoutMs = 5000; // waiting for another process's lock
        int retryIntervalMs = 10000; // automatic retry after a failure; 0: only retry()
        int positionsPerStatement = 32;
        int alarmFoldSeconds = 60; // repeats of an unresolved alarm within this fold into it; 0: none
        int cacheSizeKiB = 65536;
        int checkpointPages = 16384; // WAL pages before a checkpoint during a burst
        int idleCheckpointPages = 1000; // checkpoint when the writer is idle and the WAL is this long
        int idleCheckpointQuietMs = 250; // "idle": no commit for this long
        QString extraConnectOptions; // QSQLITE options, e.g. QSQLITE_OPEN_READONLY
        Clock *clock = nullptr; // received_at / updated_at; system clock when null
    };

    explicit StoreWriter(QObject *parent = nullptr);
    ~StoreWriter() override; // close()

    // Starts the worker and waits until it has opened (and migrated) the
    // database. False, with errorString(), when it could not.
    bool open(const QString &path, const Options &options);
    bool open(const QString &path) { return open(path, Options()); }
    // Commits what is queued (unless paused by a failure), then stops.
    void close();
    bool isOpen() const;
    QString errorString() const;
    QString path() const { return m_path; }

    // Queues a batch; any thread. False (and nothing queued) when the writer
    // is not open.
    bool write(IngestBatch batch);
    // Called on the writer's owner thread with true once the batch is
    // committed, or with false when it never will be: the writer was closed
    // with it queued, or takeFailedBatches() handed it back.
    //
    // jumpQueue: someone waits for this batch (the webhook answers a push
    // whose items could not be read only once they are in quarantine), so it
    // goes into the next transaction, ahead of batches that still wait for
    // company (coalesceMs). Only for batches of push quarantine rows, which
    // no other row depends on; everything else keeps its order.
    using Completion = std::function<void(bool committed)>;
    bool write(IngestBatch batch, Completion onDone, bool jumpQueue = false);

    // Blocks until everything queued before the call is committed (true), or
    // the writer is paused by a failure or timeoutMs passed (false). Safe on
    // the owner's thread: the worker never waits for it. Called there, it
    // also emits the pending changed() signals before returning.
    bool flush(int timeoutMs = -1);

    StoreStats stats() const;

    // After a failure: try the held batches again now.
    void retry();
    // After a failure: hand the batches of the failed transaction back to the
    // caller, who now owns them; writing resumes with the rest of the queue.
    QList<IngestBatch> takeFailedBatches();

Q_SIGNALS:
    void changed(const Fleet::StoreChange &change);
    void writeFailed(const QString &message);
    void writeRecovered();

private:
    struct Entry
    {
        qint64 seq = 0;
        IngestBatch batch;
        qsizetype rows = 0;
        std::chrono::steady_clock::time_point queuedAt;
        Completion onDone;
        bool jump = false;
    };

    bool openOnWorker(QString *error);
    void run();
    void closeOnWorker();
    void updateDoneSeq(); // lock held: done is everything before the first queued entry
    static QString describe(const std::deque<Entry> &queue, qsizetype count);

    Options m_options;
    QString m_path;
    WriterThread m_worker{this}; // its mutex guards what follows
    QString m_error;
    std::deque<Entry> m_queue;
    qsizetype m_queuedRows = 0;
    qsizetype m_queuedJumps = 0; // queued entries that jump the queue
    bool m_paused = false; // held after a failure, no attempt in flight
    bool m_failing = false; // since the last failure, no commit yet
    bool m_retryRequested = false;
    qsizetype m_failedCount = 0; // entries at the head that the failed transaction held
    StoreStats m_stats;
    // The worker's own: its connection and the SQL half.
    std::unique_ptr<StoreConnection> m_connection;
    std::unique_ptr<IngestWriter> m_writer;
};

} // namespace Fleet
