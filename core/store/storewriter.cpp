#include "storewriter.h"

#include "ingestwriter.h"
#include "storeconnection.h"
#include "storelog.h"

#include "util/clock.h"

#include <QSqlQuery>

#include <algorithm>
#include <vector>

namespace Fleet {

using SteadyClock = std::chrono::steady_clock;

StoreWriter::StoreWriter(QObject *parent)
    : QObject(parent)
{ }

StoreWriter::~StoreWriter()
{
    close();
}

bool StoreWriter::open(const QString &path, const Options &options)
{
    close();
    {
        std::lock_guard lock(m_worker.mutex());
        m_options = options;
        if (!m_options.clock)
            m_options.clock = Clock::system();
        m_options.maxTransactionRows = qMax(1, m_options.maxTransactionRows);
        m_path = path;
        m_error.clear();
        m_paused = false;
        m_failing = false;
        m_retryRequested = false;
        m_failedCount = 0;
        m_stats = StoreStats();
    }
    // The checkpoints' sizes are set by openOnWorker(), which knows the page size.
    QString error;
    const bool opened = m_worker.start(QStringLiteral("fleet.store.writer"), path,
                                       WriterThread::Work{[this](QString *e) { return openOnWorker(e); },
                                                          [this] { run(); }, [this] { closeOnWorker(); }},
                                       WriterThread::Checkpoints(), &error);
    std::lock_guard lock(m_worker.mutex());
    m_error = opened ? QString() : error;
    return opened;
}

bool StoreWriter::openOnWorker(QString *error)
{
    Options options;
    QString path;
    {
        std::lock_guard lock(m_worker.mutex());
        options = m_options;
        path = m_path;
    }
    m_connection = std::make_unique<StoreConnection>();
    StoreConnection::Options connectionOptions;
    connectionOptions.busyTimeoutMs = options.busyTimeoutMs;
    connectionOptions.cacheSizeKiB = options.cacheSizeKiB;
    connectionOptions.extraConnectOptions = options.extraConnectOptions;
    bool opened = m_connection->open(path, connectionOptions);
    qint64 pageSize = 4096;
    if (opened) {
        QSqlQuery q(m_connection->database());
        if (q.exec(QStringLiteral("PRAGMA page_size")) && q.next())
            pageSize = qMax<qint64>(512, q.value(0).toLongLong());
    }
    const qint64 burstBytes = qint64(qMax(1, options.checkpointPages)) * pageSize;
    opened = opened && m_connection->exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0"))
        && m_connection->exec(QStringLiteral("PRAGMA journal_size_limit = %1").arg(burstBytes));
    *error = m_connection->errorString();
    // Fold the WAL back into the database file: during a burst whenever it
    // passes checkpointPages, and once the writer has been quiet for a
    // moment when it is longer than idleCheckpointPages.
    WriterThread::Checkpoints checkpoints;
    checkpoints.burstBytes = burstBytes;
    checkpoints.idleBytes = qint64(qMax(0, options.idleCheckpointPages)) * pageSize;
    checkpoints.quiet = std::chrono::milliseconds(qMax(1, options.idleCheckpointQuietMs));
    checkpoints.lookOnCommit = true;
    checkpoints.connectOptions = options.extraConnectOptions;
    m_worker.setCheckpoints(checkpoints);
    if (opened) {
        m_writer = std::make_unique<IngestWriter>(m_connection->database(), options.positionsPerStatement,
                                                  options.alarmFoldSeconds);
        opened = m_writer->prepare(error);
    }
    if (!opened) {
        qCWarning(lcStore).noquote() << "cannot open the store:" << *error;
        closeOnWorker();
        return false;
    }
    qCInfo(lcStore).noquote() << "store writer open:" << path;
    return true;
}

void StoreWriter::closeOnWorker()
{
    m_writer.reset();
    if (m_connection)
        m_connection->close();
    m_connection.reset();
}

void StoreWriter::close()
{
    if (!m_worker.isStarted())
        return;
    m_worker.stop();
    QList<Completion> lost;
    std::unique_lock lock(m_worker.mutex());
    if (!m_queue.empty()) {
        // Only a writer paused by a failure stops with work left.
        qCCritical(lcStore).noquote() << "closing with uncommitted data, which is lost:"
                                      << describe(m_queue, qsizetype(m_queue.size()));
        for (const Entry &e : m_queue) {
            if (e.onDone)
                lost.append(e.onDone);
        }
        m_queue.clear();
        m_queuedRows = 0;
        m_queuedJumps = 0;
    }
    lock.unlock();
    for (const Completion &c : std::as_const(lost))
        c(false);
}

bool StoreWriter::isOpen() const
{
    std::lock_guard lock(m_worker.mutex());
    return m_worker.running();
}

QString StoreWriter::errorString() const
{
    std::lock_guard lock(m_worker.mutex());
    return m_error;
}

bool StoreWriter::write(IngestBatch batch)
{
    return write(std::move(batch), Completion());
}

bool StoreWriter::write(IngestBatch batch, Completion onDone, bool jumpQueue)
{
    Q_ASSERT(!jumpQueue || batch.rowCount() == batch.quarantine.size());
    const qsizetype rows = batch.rowCount();
    if (rows == 0) {
        if (onDone)
            QMetaObject::invokeMethod(
                this, [onDone] { onDone(true); }, Qt::QueuedConnection);
        return true;
    }
    {
        std::lock_guard lock(m_worker.mutex());
        if (!m_worker.accepting()) {
            qCWarning(lcStore) << "store not open; refused a batch of" << rows << "rows";
            return false;
        }
        m_queuedJumps += jumpQueue ? 1 : 0;
        m_queue.push_back(
            Entry{m_worker.enqueued(), std::move(batch), rows, SteadyClock::now(), std::move(onDone), jumpQueue});
        m_queuedRows += rows;
    }
    m_worker.wake();
    return true;
}

bool StoreWriter::flush(int timeoutMs)
{
    return m_worker.flush(timeoutMs, [this] { return m_paused; });
}

StoreStats StoreWriter::stats() const
{
    std::lock_guard lock(m_worker.mutex());
    StoreStats s = m_stats;
    s.pendingBatches = qint64(m_queue.size());
    s.pendingRows = m_queuedRows;
    s.paused = m_paused;
    return s;
}

void StoreWriter::retry()
{
    {
        std::lock_guard lock(m_worker.mutex());
        if (!m_paused)
            return;
        m_retryRequested = true;
    }
    m_worker.wake();
}

QList<IngestBatch> StoreWriter::takeFailedBatches()
{
    QList<IngestBatch> out;
    QList<Completion> handedBack;
    {
        std::lock_guard lock(m_worker.mutex());
        if (!m_paused)
            return out;
        qCWarning(lcStore).noquote() << "handing back uncommitted data to the caller:"
                                     << describe(m_queue, m_failedCount);
        for (qsizetype i = 0; i < m_failedCount && !m_queue.empty(); ++i) {
            Entry &e = m_queue.front();
            m_queuedRows -= e.rows;
            m_queuedJumps -= e.jump ? 1 : 0;
            if (e.onDone)
                handedBack.append(std::move(e.onDone));
            out.append(std::move(e.batch));
            m_queue.pop_front();
        }
        updateDoneSeq();
        m_failedCount = 0;
        m_paused = false;
        m_failing = false;
    }
    m_worker.wake();
    for (const Completion &c : std::as_const(handedBack))
        c(false);
    return out;
}

QString StoreWriter::describe(const std::deque<Entry> &queue, qsizetype count)
{
    qsizetype devices = 0, groups = 0, states = 0, positions = 0, trips = 0, alarms = 0, stops = 0, marks = 0;
    qsizetype tokens = 0, push = 0;
    qsizetype n = 0;
    for (const Entry &e : queue) {
        if (n++ >= count)
            break;
        const IngestBatch &b = e.batch;
        devices += b.devices.size();
        groups += b.groups.size();
        states += b.deviceStates.size();
        positions += b.positions.size();
        trips += b.trips.size();
        alarms += b.alarms.size();
        stops += b.stops.size();
        marks += b.watermarks.size();
        tokens += b.tokens.size();
        push += b.rowCount() - b.devices.size() - b.groups.size() - b.deviceStates.size() - b.positions.size()
            - b.trips.size() - b.alarms.size() - b.stops.size() - b.watermarks.size() - b.tokens.size();
    }
    return QStringLiteral("%1 batch(es): %2 devices, %3 groups, %4 device states, %5 positions, %6 trips, "
                          "%7 alarms, %8 stops, %9 watermarks")
               .arg(qMin(count, qsizetype(queue.size())))
               .arg(devices)
               .arg(groups)
               .arg(states)
               .arg(positions)
               .arg(trips)
               .arg(alarms)
               .arg(stops)
               .arg(marks)
        + (tokens > 0 ? QStringLiteral(", %1 token states").arg(tokens) : QString())
        + (push > 0 ? QStringLiteral(", %1 push rows").arg(push) : QString());
}

void StoreWriter::updateDoneSeq()
{
    // The queue is in order but for jumping entries, which are taken (and
    // so leave it) first: whatever precedes its first entry is done.
    qint64 first = m_worker.lastQueued() + 1;
    for (const Entry &e : m_queue)
        first = qMin(first, e.seq);
    m_worker.setDone(first - 1);
}

void StoreWriter::run()
{
    Options options;
    {
        std::lock_guard lock(m_worker.mutex());
        options = m_options;
    }
    const auto retryAfter = std::chrono::milliseconds(options.retryIntervalMs);
    SteadyClock::time_point retryAt;
    bool lastWasJumpOnly = false;

    for (;;) {
        QList<IngestBatch> batches;
        qsizetype taken = 0;
        qsizetype rows = 0;
        bool jumpOnlyTaken = false;
        {
            std::unique_lock lock(m_worker.mutex());
            bool attempt = false;
            bool jumpOnly = false;
            while (!attempt) {
                const bool stopping = m_worker.stopRequested();
                if (stopping && (m_queue.empty() || m_paused))
                    break;
                if (m_paused) {
                    if (m_retryRequested || (options.retryIntervalMs > 0 && SteadyClock::now() >= retryAt)) {
                        m_retryRequested = false;
                        m_paused = false;
                        attempt = true;
                    } else if (options.retryIntervalMs > 0) {
                        m_worker.wakeCondition().wait_until(lock, retryAt);
                    } else {
                        m_worker.wakeCondition().wait(lock);
                    }
                    continue;
                }
                if (m_queue.empty()) {
                    m_worker.wakeCondition().wait(lock);
                    continue;
                }
                const bool urgent = stopping || m_worker.flushTarget() > m_worker.done()
                    || m_queuedRows >= options.maxTransactionRows || options.coalesceMs <= 0;
                // The oldest queued batch waits at most coalesceMs for company.
                const auto due = m_queue.front().queuedAt + std::chrono::milliseconds(options.coalesceMs);
                const bool dueNow = urgent || SteadyClock::now() >= due;
                if (m_queuedJumps > 0 && !stopping && !(dueNow && lastWasJumpOnly)) {
                    // Someone waits for these: they go first, alone, after a
                    // moment for more to join (group commit: one commit per
                    // waiting request costs more than the wait), unless the
                    // rest is due. Jumps and due data then take turns, and a
                    // data transaction stays short while anyone waits, so
                    // neither starves the other.
                    auto gathered = SteadyClock::now();
                    if (!dueNow) {
                        for (const Entry &e : m_queue) {
                            if (e.jump) {
                                gathered = qMin(due, e.queuedAt + std::chrono::milliseconds(options.jumpGatherMs));
                                break;
                            }
                        }
                    }
                    if (SteadyClock::now() < gathered) {
                        m_worker.wakeCondition().wait_until(lock, gathered);
                        continue;
                    }
                    jumpOnly = true;
                    attempt = true;
                    continue;
                }
                if (!dueNow) {
                    m_worker.wakeCondition().wait_until(lock, due);
                    continue;
                }
                attempt = true;
            }
            if (!attempt)
                break;
            jumpOnlyTaken = jumpOnly;
            if (jumpOnly) {
                // The jumping entries move to the front, in their order, and
                // make up this transaction alone.
                std::stable_partition(m_queue.begin(), m_queue.end(), [](const Entry &e) { return e.jump; });
            }
            // Whole batches, in order, up to the row limit (at least one).
            const qsizetype rowLimit = !jumpOnly && m_queuedJumps > 0 && !m_worker.stopRequested()
                ? qMin<qsizetype>(options.maxTransactionRows, options.rowsWhileWaited)
                : options.maxTransactionRows;
            for (const Entry &e : m_queue) {
                if ((taken > 0 && rows + e.rows > rowLimit) || (jumpOnly && !e.jump))
                    break;
                batches.append(e.batch);
                rows += e.rows;
                ++taken;
            }
        }

        StoreChange change;
        QString why;
        const qint64 now = options.clock->nowUtc().toSecsSinceEpoch();
        const bool ok = m_writer->write(batches, now, &change, &why);
        lastWasJumpOnly = jumpOnlyTaken;
        std::vector<Entry> committed; // freed after the lock is released
        {
            std::lock_guard lock(m_worker.mutex());
            if (ok) {
                committed.reserve(std::size_t(taken));
                QList<Completion> completions;
                for (qsizetype i = 0; i < taken; ++i) {
                    m_queuedRows -= m_queue.front().rows;
                    m_queuedJumps -= m_queue.front().jump ? 1 : 0;
                    if (m_queue.front().onDone)
                        completions.append(std::move(m_queue.front().onDone));
                    committed.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                }
                updateDoneSeq();
                m_failedCount = 0;
                ++m_stats.transactions;
                m_worker.noteCommit();
                m_stats.batches += taken;
                for (std::size_t t = 0; t < kStoreTableCount; ++t)
                    m_stats.tables[t] += change.counts[t];
                if (m_failing) {
                    m_failing = false;
                    qCInfo(lcStore) << "store writes recovered";
                    m_worker.post([this] { Q_EMIT writeRecovered(); });
                }
                if (!change.isEmpty())
                    m_worker.post([this, change = std::move(change)] { Q_EMIT changed(change); });
                if (!completions.isEmpty())
                    m_worker.post([completions = std::move(completions)] {
                        for (const Completion &c : completions)
                            c(true);
                    });
            } else {
                m_paused = true;
                m_failing = true;
                m_failedCount = taken;
                ++m_stats.failedTransactions;
                const QString message = QStringLiteral("store write failed, nothing of it was written; holding %1 "
                                                       "for retry: %2")
                                            .arg(describe(m_queue, taken), why);
                m_stats.lastError = message;
                qCWarning(lcStore).noquote() << message;
                m_worker.post([this, message] { Q_EMIT writeFailed(message); });
                m_worker.notifyFlushers(); // they stop waiting for a paused writer
                retryAt = SteadyClock::now() + retryAfter;
            }
        }
        committed.clear();
        batches.clear();
    }
}

} // namespace Fleet
