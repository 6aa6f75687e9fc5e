#pragma once

#include "store/writerthread.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <deque>
#include <functional>
#include <memory>

namespace Fleet::Push {

// A push request as received, kept from before it is answered until its
// items are in the database. The webhook token is never part of it.
struct InboxRecord
{
    qint64 id = 0; // Inbox::nextId()
    QString endpoint; // endpoint name, "pushgps"
    QDateTime received; // UTC
    QString msgType; // the form's msgType, where sent
    QByteArray payload; // data_list (or data) as received, qCompress'ed
    int itemCount = 0;
    QString remote; // peer address, for the log

    friend bool operator==(const InboxRecord &, const InboxRecord &) = default;
};

// The webhook's durable inbox: an SQLite file of its own beside the
// database (<database>.inbox), written by a thread and connection of its
// own. It exists apart from the database so that acknowledging a push never
// waits for SQLite's one write lock of the database, which the store writer
// holds for whole transactions of bulk data: an append commits in its own
// small transaction (appends queued meanwhile share it: group commit), a
// removal rides along with the next one.
//
// A removal follows the commit of the request's rows in the database, so a
// crash between the two leaves a row that the next start applies once more;
// every push write is keyed, so that adds nothing.
//
// Completions are called on the thread that owns the Inbox.
class Inbox : public QObject
{
    Q_OBJECT
public:
    using Completion = std::function<void(bool committed)>;

    explicit Inbox(QObject *parent = nullptr);
    ~Inbox() override; // close()

    // Opens (creating) the file and starts the worker. A file that is not a
    // FleetDesk inbox is refused untouched.
    bool open(const QString &path, QString *error);
    // Commits what is queued, then stops.
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }

    // Ids grow from the highest stored one; any thread.
    qint64 nextId();

    // Queues a record; onCommitted(true) once it is committed, false if it
    // cannot be (the file cannot be written: nothing is retried, the caller
    // answers that the push was not taken). False, and nothing queued, when
    // the inbox is not open.
    bool append(InboxRecord record, Completion onCommitted);
    // Queues the removal of a record whose items are stored; committed with
    // the next append or within a moment.
    void remove(qint64 id);
    // Blocks until everything queued before the call has been written (true:
    // committed, or failed and reported to its completion), or timeoutMs
    // passed (false).
    bool flush(int timeoutMs = -1);

    // Records still held, oldest first (on a connection of the caller's).
    QList<InboxRecord> pending(int limit, QString *error) const;
    // How many are held; -1 when the file cannot be read.
    qint64 count() const;

    // The inbox file of a database.
    static QString pathFor(const QString &databasePath);

private:
    struct Append
    {
        InboxRecord record;
        Completion onCommitted;
    };
    struct Connection; // the worker's
    bool openOnWorker(QString *error);
    void run();
    void closeOnWorker();

    QString m_path;
    WriterThread m_worker{this}; // its mutex guards what follows
    std::deque<Append> m_appends;
    QList<qint64> m_removals;
    qint64 m_nextId = 1;
    std::unique_ptr<Connection> m_connection;
};

} // namespace Fleet::Push
