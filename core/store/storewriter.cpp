#include "storewriter.h"

#include "ingestwriter.h"
#include "storeconnection.h"
#include "storelog.h"

#include "util/clock.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QThread>

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
        std::lock_guard lock(m_mutex);
        m_options = options;
        if (!m_options.clock)
            m_options.clock = Clock::system();
        m_options.maxTransactionRows = qMax(1, m_options.maxTransactionRows);
        m_path = path;
        m_state = State::Opening;
        m_error.clear();
        m_stop = false;
        m_paused = false;
        m_failing = false;
        m_retryRequested = false;
        m_failedCount = 0;
        m_stats = StoreStats();
    }
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("fleet.store.writer"));
    m_thread->start();

    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_state != State::Opening; });
    if (m_state == State::Open)
        return true;
    lock.unlock();
    m_thread->wait();
    m_thread.reset();
    return false;
}

void StoreWriter::close()
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
    deliverEvents();
    QList<Completion> lost;
    std::unique_lock lock(m_mutex);
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
    m_state = State::Closed;
    lock.unlock();
    for (const Completion &c : std::as_const(lost))
        c(false);
}

bool StoreWriter::isOpen() const
{
    std::lock_guard lock(m_mutex);
    return m_state == State::Open;
}

QString StoreWriter::errorString() const
{
    std::lock_guard lock(m_mutex);
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
        std::lock_guard lock(m_mutex);
        if (m_state != State::Open || m_stop) {
            qCWarning(lcStore) << "store not open; refused a batch of" << rows << "rows";
            return false;
        }
        m_queuedJumps += jumpQueue ? 1 : 0;
        m_queue.push_back(Entry{++m_lastSeq, std::move(batch), rows, SteadyClock::now(), std::move(onDone), jumpQueue});
        m_queuedRows += rows;
    }
    m_wake.notify_one();
    return true;
}

bool StoreWriter::flush(int timeoutMs)
{
    bool ok = false;
    {
        std::unique_lock lock(m_mutex);
        const qint64 target = m_lastSeq;
        if (m_state == State::Open && m_doneSeq < target) {
            m_flushTarget = qMax(m_flushTarget, target);
            m_wake.notify_one();
            const auto finished = [&] { return m_doneSeq >= target || m_paused || m_state != State::Open; };
            if (timeoutMs < 0)
                m_done.wait(lock, finished);
            else
                m_done.wait_for(lock, std::chrono::milliseconds(timeoutMs), finished);
        }
        ok = m_doneSeq >= target;
    }
    if (QThread::currentThread() == thread())
        deliverEvents();
    return ok;
}

StoreStats StoreWriter::stats() const
{
    std::lock_guard lock(m_mutex);
    StoreStats s = m_stats;
    s.pendingBatches = qint64(m_queue.size());
    s.pendingRows = m_queuedRows;
    s.paused = m_paused;
    return s;
}

void StoreWriter::retry()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_paused)
            return;
        m_retryRequested = true;
    }
    m_wake.notify_one();
}

QList<IngestBatch> StoreWriter::takeFailedBatches()
{
    QList<IngestBatch> out;
    QList<Completion> handedBack;
    {
        std::lock_guard lock(m_mutex);
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
    m_wake.notify_one();
    m_done.notify_all();
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

void StoreWriter::runCheckpoints(qint64 pageSize)
{
    // Fold the WAL back into the database file: during a burst whenever it
    // passes checkpointPages, and once the writer has been quiet for a
    // moment when it is longer than idleCheckpointPages. PASSIVE: never waits
    // for readers or the writer; what it cannot copy yet, the next one does.
    Options options;
    QString path;
    {
        std::lock_guard lock(m_mutex);
        options = m_options;
        path = m_path;
    }
    StoreConnection connection;
    StoreConnection::Options connectionOptions;
    connectionOptions.migrate = false;
    connectionOptions.busyTimeoutMs = 0;
    connectionOptions.extraConnectOptions = options.extraConnectOptions;
    if (!connection.open(path, connectionOptions)) {
        qCWarning(lcStore).noquote() << "no checkpoints: cannot open a second connection:" << connection.errorString();
        return;
    }
    const QString walPath = path + QStringLiteral("-wal");
    const qint64 burstBytes = qint64(qMax(1, options.checkpointPages)) * pageSize;
    const qint64 idleBytes = qint64(options.idleCheckpointPages) * pageSize;
    const auto quiet = std::chrono::milliseconds(qMax(1, options.idleCheckpointQuietMs));
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
        const bool due = wal > burstBytes || (idle && options.idleCheckpointPages > 0 && wal > idleBytes);
        if (due) {
            QSqlQuery q(connection.database());
            q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        }
        lock.lock();
        if (due || idle)
            m_committedSinceCheckpoint = false;
    }
    lock.unlock();
    connection.close();
}

void StoreWriter::updateDoneSeq()
{
    // The queue is in order but for jumping entries, which are taken (and
    // so leave it) first: whatever precedes its first entry is done.
    qint64 first = m_lastSeq + 1;
    for (const Entry &e : m_queue)
        first = qMin(first, e.seq);
    m_doneSeq = first - 1;
}

void StoreWriter::post(Event event)
{
    m_events.append(std::move(event));
    if (!m_deliveryPosted) {
        m_deliveryPosted = true;
        QMetaObject::invokeMethod(this, &StoreWriter::deliverEvents, Qt::QueuedConnection);
    }
}

void StoreWriter::deliverEvents()
{
    QList<Event> events;
    {
        std::lock_guard lock(m_mutex);
        events.swap(m_events);
        m_deliveryPosted = false;
    }
    for (const Event &e : std::as_const(events)) {
        switch (e.kind) {
        case Event::Changed: Q_EMIT changed(e.change); break;
        case Event::Failed: Q_EMIT writeFailed(e.message); break;
        case Event::Recovered: Q_EMIT writeRecovered(); break;
        case Event::Completed:
            for (const Completion &c : e.completions)
                c(true);
            break;
        }
    }
}

void StoreWriter::run()
{
    Options options;
    QString path;
    {
        std::lock_guard lock(m_mutex);
        options = m_options;
        path = m_path;
    }
    StoreConnection connection;
    StoreConnection::Options connectionOptions;
    connectionOptions.busyTimeoutMs = options.busyTimeoutMs;
    connectionOptions.cacheSizeKiB = options.cacheSizeKiB;
    connectionOptions.extraConnectOptions = options.extraConnectOptions;
    bool opened = connection.open(path, connectionOptions);
    qint64 pageSize = 4096;
    if (opened) {
        QSqlQuery q(connection.database());
        if (q.exec(QStringLiteral("PRAGMA page_size")) && q.next())
            pageSize = qMax<qint64>(512, q.value(0).toLongLong());
    }
    opened = opened && connection.exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0"))
        && connection.exec(
            QStringLiteral("PRAGMA journal_size_limit = %1").arg(qint64(qMax(1, options.checkpointPages)) * pageSize));
    QString error = connection.errorString();
    std::unique_ptr<IngestWriter> writer;
    if (opened) {
        writer = std::make_unique<IngestWriter>(connection.database(), options.positionsPerStatement);
        opened = writer->prepare(&error);
    }
    {
        std::lock_guard lock(m_mutex);
        m_state = opened ? State::Open : State::OpenFailed;
        m_error = opened ? QString() : error;
    }
    m_done.notify_all();
    if (!opened) {
        qCWarning(lcStore).noquote() << "cannot open the store:" << error;
        writer.reset();
        connection.close();
        return;
    }
    qCInfo(lcStore).noquote() << "store writer open:" << path;
    {
        std::lock_guard lock(m_mutex);
        m_checkpointStop = false;
        m_committedSinceCheckpoint = false;
    }
    std::unique_ptr<QThread> checkpointer(QThread::create([this, pageSize] { runCheckpoints(pageSize); }));
    checkpointer->setObjectName(QStringLiteral("fleet.store.checkpoint"));
    checkpointer->start();

    const QString walPath = path + QStringLiteral("-wal");
    const auto retryAfter = std::chrono::milliseconds(options.retryIntervalMs);
    SteadyClock::time_point retryAt;
    bool lastWasJumpOnly = false;

    for (;;) {
        QList<IngestBatch> batches;
        qsizetype taken = 0;
        qsizetype rows = 0;
        bool jumpOnlyTaken = false;
        {
            std::unique_lock lock(m_mutex);
            bool attempt = false;
            bool jumpOnly = false;
            while (!attempt) {
                if (m_stop && (m_queue.empty() || m_paused))
                    break;
                if (m_paused) {
                    if (m_retryRequested || (options.retryIntervalMs > 0 && SteadyClock::now() >= retryAt)) {
                        m_retryRequested = false;
                        m_paused = false;
                        attempt = true;
                    } else if (options.retryIntervalMs > 0) {
                        m_wake.wait_until(lock, retryAt);
                    } else {
                        m_wake.wait(lock);
                    }
                    continue;
                }
                if (m_queue.empty()) {
                    m_wake.wait(lock);
                    continue;
                }
                const bool urgent = m_stop || m_flushTarget > m_doneSeq || m_queuedRows >= options.maxTransactionRows
                    || options.coalesceMs <= 0;
                // The oldest queued batch waits at most coalesceMs for company.
                const auto due = m_queue.front().queuedAt + std::chrono::milliseconds(options.coalesceMs);
                const bool dueNow = urgent || SteadyClock::now() >= due;
                if (m_queuedJumps > 0 && !m_stop && !(dueNow && lastWasJumpOnly)) {
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
                        m_wake.wait_until(lock, gathered);
                        continue;
                    }
                    jumpOnly = true;
                    attempt = true;
                    continue;
                }
                if (!dueNow) {
                    m_wake.wait_until(lock, due);
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
            const qsizetype rowLimit = !jumpOnly && m_queuedJumps > 0 && !m_stop
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
        const bool ok = writer->write(batches, now, &change, &why);
        lastWasJumpOnly = jumpOnlyTaken;
        std::vector<Entry> committed; // freed after the lock is released
        {
            std::lock_guard lock(m_mutex);
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
                m_lastCommit = SteadyClock::now();
                m_committedSinceCheckpoint = true;
                m_stats.batches += taken;
                for (std::size_t t = 0; t < kStoreTableCount; ++t)
                    m_stats.tables[t] += change.counts[t];
                if (m_failing) {
                    m_failing = false;
                    qCInfo(lcStore) << "store writes recovered";
                    post(Event{Event::Recovered, {}, {}, {}});
                }
                if (!change.isEmpty())
                    post(Event{Event::Changed, std::move(change), {}, {}});
                if (!completions.isEmpty())
                    post(Event{Event::Completed, {}, {}, std::move(completions)});
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
                post(Event{Event::Failed, {}, message, {}});
                retryAt = SteadyClock::now() + retryAfter;
            }
        }
        m_done.notify_all();
        if (ok)
            m_checkpointWake.notify_one();
        committed.clear();
        batches.clear();
    }
    {
        std::lock_guard lock(m_mutex);
        m_checkpointStop = true;
    }
    m_checkpointWake.notify_one();
    checkpointer->wait();
    checkpointer.reset();
    {
        std::lock_guard lock(m_mutex);
        m_state = State::Closed;
    }
    m_done.notify_all();
    writer.reset();
    connection.close();
}

} // namespace Fleet
