#include "pushinbox.h"

#include "util/logging.h"
#include "util/utc.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Fleet::Push {

namespace {

constexpr int kApplicationId = 0x464c4449; // "FLDI"
constexpr int kSchemaVersion = 1;
// Removals wait this long for an append to share its commit.
constexpr auto kRemovalDelay = std::chrono::milliseconds(200);
// The checkpoint thread folds the WAL back once it is this long.
constexpr qint64 kCheckpointBytes = 4 * 1024 * 1024;

QString connectionName(const void *owner, const char *role)
{
    return QStringLiteral("fleet-inbox-%1-%2").arg(quintptr(owner), 0, 16).arg(QLatin1String(role));
}

// Opens the file with the inbox's settings; creates the table in a new
// file; refuses a file that is not an inbox.
bool openFile(QSqlDatabase &db, const QString &path, bool create, QString *error)
{
    db.setDatabaseName(path);
    db.setConnectOptions(create ? QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000")
                                : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000;QSQLITE_OPEN_READONLY"));
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery q(db);
    const auto pragma = [&q](const QString &name) -> qint64 {
        return q.exec(QStringLiteral("PRAGMA %1").arg(name)) && q.next() ? q.value(0).toLongLong() : -1;
    };
    const qint64 appId = pragma(QStringLiteral("application_id"));
    const qint64 version = pragma(QStringLiteral("user_version"));
    if (appId != 0 && appId != kApplicationId) {
        *error = QStringLiteral("%1 is not a FleetDesk push inbox").arg(path);
        return false;
    }
    if (version > kSchemaVersion) {
        *error = QStringLiteral("push inbox version %1 is newer than this FleetDesk (supports up to %2)")
                     .arg(version)
                     .arg(kSchemaVersion);
        return false;
    }
    if (!create)
        return true;
    const QStringList setup = {
        QStringLiteral("PRAGMA journal_mode = WAL"),
        QStringLiteral("PRAGMA synchronous = NORMAL"),
        QStringLiteral("PRAGMA temp_store = MEMORY"),
        // Checkpoints (and their fsync) are the checkpoint thread's, never in
        // the way of an append; the WAL is cut back to this size when reset.
        QStringLiteral("PRAGMA wal_autocheckpoint = 0"),
        QStringLiteral("PRAGMA journal_size_limit = %1").arg(kCheckpointBytes),
        QStringLiteral("PRAGMA application_id = %1").arg(kApplicationId),
        QStringLiteral("CREATE TABLE IF NOT EXISTS push_inbox (id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, "
                       "received_at INTEGER NOT NULL, msg_type TEXT, payload BLOB NOT NULL, "
                       "item_count INTEGER NOT NULL, remote TEXT)"),
        QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion),
    };
    for (const QString &sql : setup) {
        if (!q.exec(sql)) {
            *error = QStringLiteral("%1: %2").arg(sql, q.lastError().text());
            return false;
        }
    }
    return true;
}

QString nonNull(const QString &text)
{
    return text.isNull() ? QLatin1String("") : text;
}

} // namespace

struct Inbox::Connection
{
    QString name;
    QSqlDatabase db;
    QSqlQuery insert;
    QSqlQuery erase;
};

Inbox::Inbox(QObject *parent)
    : QObject(parent)
{ }

Inbox::~Inbox()
{
    close();
}

QString Inbox::pathFor(const QString &databasePath)
{
    return databasePath + QStringLiteral(".inbox");
}

bool Inbox::open(const QString &path, QString *error)
{
    close();
    m_path = path;
    WriterThread::Checkpoints checkpoints;
    checkpoints.burstBytes = kCheckpointBytes;
    return m_worker.start(QStringLiteral("fleet.push.inbox"), path,
                          WriterThread::Work{[this](QString *e) { return openOnWorker(e); }, [this] { run(); },
                                             [this] { closeOnWorker(); }},
                          checkpoints, error);
}

void Inbox::close()
{
    m_worker.stop();
}

bool Inbox::isOpen() const
{
    std::lock_guard lock(m_worker.mutex());
    return m_worker.running();
}

qint64 Inbox::nextId()
{
    std::lock_guard lock(m_worker.mutex());
    return m_nextId++;
}

bool Inbox::append(InboxRecord record, Completion onCommitted)
{
    {
        std::lock_guard lock(m_worker.mutex());
        if (!m_worker.accepting())
            return false;
        m_appends.push_back(Append{std::move(record), std::move(onCommitted)});
        m_worker.enqueued();
    }
    m_worker.wake();
    return true;
}

void Inbox::remove(qint64 id)
{
    {
        std::lock_guard lock(m_worker.mutex());
        if (!m_worker.running())
            return;
        m_removals.append(id);
        m_worker.enqueued();
    }
    m_worker.wake();
}

bool Inbox::flush(int timeoutMs)
{
    return m_worker.flush(timeoutMs);
}

QList<InboxRecord> Inbox::pending(int limit, QString *error) const
{
    QList<InboxRecord> out;
    const QString name = connectionName(this, "read");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        if (openFile(db, m_path, false, error)) {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            if (!q.exec(QStringLiteral("SELECT id, endpoint, received_at, msg_type, payload, item_count, remote "
                                       "FROM push_inbox ORDER BY id LIMIT %1")
                            .arg(limit < 0 ? -1 : limit))) {
                *error = q.lastError().text();
            }
            while (q.next()) {
                out.append(InboxRecord{q.value(0).toLongLong(), q.value(1).toString(),
                                       Utc::fromSecs(q.value(2).toLongLong()), q.value(3).toString(),
                                       q.value(4).toByteArray(), q.value(5).toInt(), q.value(6).toString()});
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

qint64 Inbox::count() const
{
    qint64 n = -1;
    const QString name = connectionName(this, "count");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        QString error;
        if (openFile(db, m_path, false, &error)) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM push_inbox")) && q.next())
                n = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return n;
}

bool Inbox::openOnWorker(QString *error)
{
    m_connection = std::make_unique<Connection>();
    Connection &c = *m_connection;
    c.name = connectionName(this, "write");
    c.db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), c.name);
    bool opened = openFile(c.db, m_path, true, error);
    qint64 maxId = 0;
    if (opened) {
        QSqlQuery q(c.db);
        c.insert = QSqlQuery(c.db);
        c.erase = QSqlQuery(c.db);
        opened = q.exec(QStringLiteral("SELECT coalesce(max(id), 0) FROM push_inbox")) && q.next();
        maxId = opened ? q.value(0).toLongLong() : 0;
        opened = opened
            && c.insert.prepare(QStringLiteral("INSERT OR IGNORE INTO push_inbox (id, endpoint, received_at, msg_type, "
                                               "payload, item_count, remote) VALUES (?, ?, ?, ?, ?, ?, ?)"))
            && c.erase.prepare(QStringLiteral("DELETE FROM push_inbox WHERE id = ?"));
        if (!opened)
            *error = q.lastError().text() + c.insert.lastError().text() + c.erase.lastError().text();
    }
    if (!opened) {
        *error = QStringLiteral("cannot open the push inbox %1: %2").arg(m_path, *error);
        closeOnWorker();
        return false;
    }
    std::lock_guard lock(m_worker.mutex());
    m_nextId = maxId + 1;
    return true;
}

void Inbox::closeOnWorker()
{
    if (!m_connection)
        return;
    const QString name = m_connection->name;
    m_connection->insert.finish();
    m_connection->erase.finish();
    m_connection->db.close();
    m_connection.reset();
    QSqlDatabase::removeDatabase(name);
}

void Inbox::run()
{
    QSqlDatabase &db = m_connection->db;
    QSqlQuery &insert = m_connection->insert;
    QSqlQuery &erase = m_connection->erase;
    for (;;) {
        std::deque<Append> appends;
        QList<qint64> removals;
        qint64 seq = 0;
        {
            std::unique_lock lock(m_worker.mutex());
            for (;;) {
                if (!m_appends.empty() || m_worker.stopRequested())
                    break;
                if (m_removals.isEmpty()) {
                    m_worker.wakeCondition().wait(lock);
                } else if (m_worker.wakeCondition().wait_for(lock, kRemovalDelay) == std::cv_status::timeout) {
                    break;
                }
            }
            if (m_appends.empty() && m_removals.isEmpty())
                break; // stopping, nothing left
            appends.swap(m_appends);
            removals.swap(m_removals);
            seq = m_worker.lastQueued();
        }

        bool ok = db.transaction();
        for (const Append &a : appends) {
            if (!ok)
                break;
            const InboxRecord &r = a.record;
            insert.bindValue(0, r.id);
            insert.bindValue(1, r.endpoint);
            insert.bindValue(2, r.received.toSecsSinceEpoch());
            insert.bindValue(3, r.msgType.isEmpty() ? QVariant() : QVariant(r.msgType));
            insert.bindValue(4, r.payload.isNull() ? QByteArray("") : r.payload);
            insert.bindValue(5, r.itemCount);
            insert.bindValue(6, nonNull(r.remote));
            ok = insert.exec();
        }
        for (const qint64 id : std::as_const(removals)) {
            if (!ok)
                break;
            erase.bindValue(0, id);
            ok = erase.exec();
        }
        if (ok)
            ok = db.commit();
        if (!ok) {
            const QString why = db.lastError().text() + insert.lastError().text() + erase.lastError().text();
            db.rollback();
            qCWarning(lcPush).noquote() << "push inbox write failed:" << why;
        }
        const bool onlyRemovals = appends.empty();
        {
            std::lock_guard lock(m_worker.mutex());
            if (ok)
                m_worker.noteCommit();
            if (!onlyRemovals) {
                m_worker.post([appends = std::move(appends), ok]() {
                    for (const Append &a : appends) {
                        if (a.onCommitted)
                            a.onCommitted(ok);
                    }
                });
            }
            if (!ok && !m_worker.stopRequested()) {
                // A removal is only housekeeping: kept for the next try
                // (and if the process stops first, the next start
                // applies the record once more, which adds nothing).
                m_removals = removals + m_removals;
            }
            m_worker.setDone(seq);
        }
        if (!ok && onlyRemovals) {
            // Only removals failed: do not spin on them.
            std::unique_lock lock(m_worker.mutex());
            m_worker.wakeCondition().wait_for(lock, kRemovalDelay);
        }
    }
}

} // namespace Fleet::Push
