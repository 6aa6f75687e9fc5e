#include "store/writerthread.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <deque>
#include <utility>

using namespace Fleet;

namespace {

// A writer of numbers on a WriterThread: the worker takes what is queued,
// "writes" it (into written) unless held, and says how far it got.
class NumberWriter
{
public:
    WriterThread thread;
    std::deque<std::pair<qint64, int>> queue; // guarded by thread.mutex()
    QList<int> written; // the worker's until stop(), or read under the lock
    bool held = false; // guarded: the worker writes nothing while set
    QThread *workerThread = nullptr;
    bool closedOnWorker = false;

    bool start(QString *error, bool openOk = true)
    {
        return thread.start(QStringLiteral("test.writer"), QString(),
                            WriterThread::Work{[this, openOk](QString *e) {
                                                   workerThread = QThread::currentThread();
                                                   if (!openOk)
                                                       *e = QStringLiteral("the file is not there");
                                                   return openOk;
                                               },
                                               [this] { loop(); },
                                               [this] { closedOnWorker = QThread::currentThread() == workerThread; }},
                            WriterThread::Checkpoints(), error);
    }
    bool add(int n)
    {
        {
            std::lock_guard lock(thread.mutex());
            if (!thread.accepting())
                return false;
            queue.emplace_back(thread.enqueued(), n);
        }
        thread.wake();
        return true;
    }
    void setHeld(bool h)
    {
        {
            std::lock_guard lock(thread.mutex());
            held = h;
            thread.notifyFlushers();
        }
        thread.wake();
    }
    QList<int> writtenSoFar()
    {
        std::lock_guard lock(thread.mutex());
        return written;
    }

private:
    void loop()
    {
        std::unique_lock lock(thread.mutex());
        for (;;) {
            if (thread.stopRequested() && (queue.empty() || held))
                return;
            if (queue.empty() || held) {
                thread.wakeCondition().wait(lock);
                continue;
            }
            const qint64 seq = queue.front().first;
            const int n = queue.front().second;
            queue.pop_front();
            written.append(n);
            thread.post([this, n] { delivered.append({n, QThread::currentThread()}); });
            thread.setDone(seq);
        }
    }

public:
    QList<std::pair<int, QThread *>> delivered; // owner's thread only
};

} // namespace

class TestWriterThread : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void failedOpenIsReportedAndEndsTheThread();
    void flushWaitsForWhatWasQueuedBefore();
    void flushGivesUpWhenTheWriterIsStalled();
    void flushTimesOutWhileTheWorkerIsHeld();
    void postedCallbacksRunOnTheOwnersThreadInOrder();
    void stopFinishesTheQueueAndDeliversWhatIsPosted();
    void workIsRefusedOnceStopped();
    void burstCheckpointFoldsTheWalBack();
    void idleCheckpointFollowsAQuietMoment();
    void burstIsFoundByThePeriodicLook();
};

void TestWriterThread::failedOpenIsReportedAndEndsTheThread()
{
    NumberWriter w;
    QString error;
    QVERIFY(!w.start(&error, false));
    QCOMPARE(error, QStringLiteral("the file is not there"));
    QVERIFY(!w.thread.isStarted());
    QVERIFY(w.closedOnWorker);
    QVERIFY(!w.add(1));
}

void TestWriterThread::flushWaitsForWhatWasQueuedBefore()
{
    NumberWriter w;
    QString error;
    QVERIFY2(w.start(&error), qPrintable(error));
    for (int i = 0; i < 1000; ++i)
        QVERIFY(w.add(i));
    QVERIFY(w.thread.flush());
    QCOMPARE(w.writtenSoFar().size(), 1000);
    QCOMPARE(w.writtenSoFar().last(), 999);
    // The owner's flush also ran what the worker posted.
    QCOMPARE(w.delivered.size(), 1000);
    w.thread.stop();
}

void TestWriterThread::flushGivesUpWhenTheWriterIsStalled()
{
    NumberWriter w;
    QString error;
    QVERIFY2(w.start(&error), qPrintable(error));
    w.setHeld(true);
    QVERIFY(w.add(1));
    // Held counts as stalled: the flush returns at once, not done.
    QVERIFY(!w.thread.flush(-1, [&w] { return w.held; }));
    QVERIFY(w.writtenSoFar().isEmpty());
    w.setHeld(false);
    QVERIFY(w.thread.flush(-1, [&w] { return w.held; }));
    QCOMPARE(w.writtenSoFar(), QList<int>{1});
}

void TestWriterThread::flushTimesOutWhileTheWorkerIsHeld()
{
    NumberWriter w;
    QString error;
    QVERIFY2(w.start(&error), qPrintable(error));
    w.setHeld(true);
    QVERIFY(w.add(7));
    QVERIFY(!w.thread.flush(20));
    w.setHeld(false);
    QVERIFY(w.thread.flush());
    QCOMPARE(w.writtenSoFar(), QList<int>{7});
}

void TestWriterThread::postedCallbacksRunOnTheOwnersThreadInOrder()
{
    NumberWriter w;
    QString error;
    QVERIFY2(w.start(&error), qPrintable(error));
    for (int i = 0; i < 200; ++i)
        QVERIFY(w.add(i));
    // Delivered by the event loop, without a flush.
    QTRY_COMPARE_WITH_TIMEOUT(w.delivered.size(), 200, 20000);
    for (int i = 0; i < 200; ++i) {
        QCOMPARE(w.delivered.at(i).first, i);
        QCOMPARE(w.delivered.at(i).second, QThread::currentThread());
    }
    QVERIFY(w.workerThread != QThread::currentThread());
}

void TestWriterThread::stopFinishesTheQueueAndDeliversWhatIsPosted()
{
    NumberWriter w;
    QString error;
    QVERIFY2(w.start(&error), qPrintable(error));
    for (int i = 0; i < 500; ++i)
        QVERIFY(w.add(i));
    w.thread.stop();
    QVERIFY(!w.thread.isStarted());
    QCOMPARE(w.written.size(), 500);
    QCOMPARE(w.delivered.size(), 500);
    QVERIFY(w.closedOnWorker);
}

void TestWriterThread::workIsRefusedOnceStopped()
{
    NumberWriter w;
    QString error;
    QVERIFY2(w.start(&error), qPrintable(error));
    w.thread.stop();
    QVERIFY(!w.add(1));
    // A flush of a stopped writer does not wait.
    QVERIFY(w.thread.flush());
}

namespace {

// A WAL file written on the worker: each add() commits one row of
// rowBytes.
class WalWriter
{
public:
    WriterThread thread;
    QString path;
    int pending = 0; // guarded

    bool start(const WriterThread::Checkpoints &checkpoints, QString *error)
    {
        return thread.start(QStringLiteral("test.wal"), path,
                            WriterThread::Work{[this](QString *e) { return open(e); }, [this] { loop(); },
                                               [this] { close(); }},
                            checkpoints, error);
    }
    void add(int rows)
    {
        {
            std::lock_guard lock(thread.mutex());
            pending += rows;
            thread.enqueued();
        }
        thread.wake();
    }
    static qint64 walSize(const QString &path) { return QFileInfo(path + QStringLiteral("-wal")).size(); }

private:
    bool open(QString *error)
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("test-wal-writer"));
        m_db.setDatabaseName(path);
        QSqlQuery q(m_db);
        const bool ok = m_db.open() && q.exec(QStringLiteral("PRAGMA journal_mode = WAL"))
            && q.exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0"))
            && q.exec(QStringLiteral("CREATE TABLE t (b BLOB)"));
        if (!ok)
            *error = m_db.lastError().text() + q.lastError().text();
        return ok;
    }
    void loop()
    {
        std::unique_lock lock(thread.mutex());
        for (;;) {
            if (pending == 0) {
                if (thread.stopRequested())
                    return;
                thread.wakeCondition().wait(lock);
                continue;
            }
            const int rows = std::exchange(pending, 0);
            const qint64 seq = thread.lastQueued();
            lock.unlock();
            m_db.transaction();
            QSqlQuery q(m_db);
            q.prepare(QStringLiteral("INSERT INTO t VALUES (?)"));
            for (int i = 0; i < rows; ++i) {
                q.bindValue(0, QByteArray(4096, char('a' + i % 26)));
                q.exec();
            }
            m_db.commit();
            lock.lock();
            thread.noteCommit();
            thread.setDone(seq);
        }
    }
    void close()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("test-wal-writer"));
    }
    QSqlDatabase m_db;
};

} // namespace

void TestWriterThread::burstCheckpointFoldsTheWalBack()
{
    QTemporaryDir dir;
    WalWriter w;
    w.path = dir.filePath(QStringLiteral("burst.db"));
    WriterThread::Checkpoints checkpoints;
    checkpoints.burstBytes = 64 * 1024;
    checkpoints.quiet = std::chrono::hours(1); // never idle, and no periodic look: only the commit's
    checkpoints.lookOnCommit = true;
    QString error;
    QVERIFY2(w.start(checkpoints, &error), qPrintable(error));
    QCOMPARE(w.thread.checkpointCount(), 0);
    w.add(100); // ~400 KiB of WAL
    QVERIFY(w.thread.flush());
    QVERIFY(WalWriter::walSize(w.path) > checkpoints.burstBytes);
    // The commit woke the checkpoint thread: it folds the WAL back.
    QTRY_VERIFY_WITH_TIMEOUT(w.thread.checkpointCount() > 0, 20000);
    w.thread.stop();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
    {
        db.setDatabaseName(w.path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM t")) && q.next());
        QCOMPARE(q.value(0).toInt(), 100);
        db.close();
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

void TestWriterThread::idleCheckpointFollowsAQuietMoment()
{
    QTemporaryDir dir;
    WalWriter w;
    w.path = dir.filePath(QStringLiteral("idle.db"));
    WriterThread::Checkpoints checkpoints;
    checkpoints.burstBytes = qint64(1) << 40; // never by the burst rule
    checkpoints.idleBytes = 16 * 1024;
    checkpoints.quiet = std::chrono::milliseconds(20);
    QString error;
    QVERIFY2(w.start(checkpoints, &error), qPrintable(error));
    w.add(10); // ~40 KiB, over idleBytes
    QVERIFY(w.thread.flush());
    QTRY_VERIFY_WITH_TIMEOUT(w.thread.checkpointCount() > 0, 20000);
    w.thread.stop();
}

void TestWriterThread::burstIsFoundByThePeriodicLook()
{
    // A commit does not wake the checkpoint thread (the push inbox's
    // setting): it finds the long WAL on its next look.
    QTemporaryDir dir;
    WalWriter w;
    w.path = dir.filePath(QStringLiteral("periodic.db"));
    WriterThread::Checkpoints checkpoints;
    checkpoints.burstBytes = 64 * 1024;
    checkpoints.quiet = std::chrono::milliseconds(20);
    QString error;
    QVERIFY2(w.start(checkpoints, &error), qPrintable(error));
    w.add(100);
    QVERIFY(w.thread.flush());
    QTRY_VERIFY_WITH_TIMEOUT(w.thread.checkpointCount() > 0, 20000);
    w.thread.stop();
}

QTEST_GUILESS_MAIN(TestWriterThread)
#include "tst_writerthread.moc"
