#include "storeconnection.h"

#include "storelog.h"

#include <QAtomicInt>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Fleet {

namespace {

QString uniqueName(StoreConnection::Mode mode)
{
    static QAtomicInt counter;
    return QStringLiteral("fleet.store.%1.%2")
        .arg(mode == StoreConnection::Mode::ReadOnly ? QLatin1String("ro") : QLatin1String("rw"))
        .arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

StoreConnection::~StoreConnection()
{
    close();
}

bool StoreConnection::fail(const QString &message)
{
    m_error = message;
    close();
    return false;
}

bool StoreConnection::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (q.exec(sql))
        return true;
    m_error = QStringLiteral("%1: %2").arg(sql, q.lastError().text());
    return false;
}

bool StoreConnection::open(const QString &path, const Options &options)
{
    close();
    m_error.clear();
    m_path = path;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));

    if (options.mode == Mode::ReadWrite) {
        // A first start: the application data folder may not exist yet.
        const QFileInfo file(path);
        if (!file.absoluteDir().exists() && !QDir().mkpath(file.absolutePath()))
            return fail(QStringLiteral("cannot create the folder %1").arg(file.absolutePath()));
    }
    m_name = uniqueName(options.mode);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(path);
    QString connect = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs);
    if (options.mode == Mode::ReadOnly)
        connect += QStringLiteral(";QSQLITE_OPEN_READONLY");
    if (!options.extraConnectOptions.isEmpty())
        connect += QLatin1Char(';') + options.extraConnectOptions;
    m_db.setConnectOptions(connect);
    if (!m_db.open())
        return fail(QStringLiteral("cannot open %1: %2").arg(path, m_db.lastError().text()));

    // Read-only checks first: a file we must refuse is left exactly as it was.
    const int supported = options.migrations.isEmpty() ? 0 : options.migrations.constLast().version;
    QString why;
    if (StoreSchema::refuse(m_db, supported, &why))
        return fail(QStringLiteral("%1: %2").arg(path, why));

    if (options.mode == Mode::ReadOnly) {
        const int current = StoreSchema::version(m_db, &why);
        if (current != supported) {
            return fail(QStringLiteral("%1: database schema version %2, this FleetDesk reads version %3; "
                                       "open it for writing first to upgrade it")
                            .arg(path)
                            .arg(current)
                            .arg(supported));
        }
        if (!exec(QStringLiteral("PRAGMA query_only = ON")))
            return fail(m_error);
    } else {
        // Only a new, empty file takes a page size; an existing one keeps its own.
        if (options.pageSize > 0 && StoreSchema::version(m_db) == 0
            && !exec(QStringLiteral("PRAGMA page_size = %1").arg(options.pageSize)))
            return fail(m_error);
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !q.next())
            return fail(QStringLiteral("%1: cannot switch to WAL: %2").arg(path, q.lastError().text()));
        const QString mode = q.value(0).toString();
        q.finish();
        if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            return fail(QStringLiteral("%1: cannot switch to WAL (journal mode stays %2)").arg(path, mode));
        // NORMAL: in WAL mode a commit survives an application crash; only a
        // power loss can lose the last transactions, never corrupt the file.
        if (!exec(QStringLiteral("PRAGMA synchronous = NORMAL")))
            return fail(m_error);
        // Statement journals and sorter spills in memory, not temporary files
        // opened and written for every multi-row statement.
        if (!exec(QStringLiteral("PRAGMA temp_store = MEMORY")))
            return fail(m_error);
    }
    if (!exec(QStringLiteral("PRAGMA foreign_keys = ON")))
        return fail(m_error);
    if (options.cacheSizeKiB > 0 && !exec(QStringLiteral("PRAGMA cache_size = -%1").arg(options.cacheSizeKiB)))
        return fail(m_error);

    if (options.mode == Mode::ReadWrite && options.migrate && !StoreSchema::migrate(m_db, options.migrations, &why)) {
        return fail(QStringLiteral("%1: %2").arg(path, why));
    }
    return true;
}

void StoreConnection::close()
{
    if (m_name.isEmpty())
        return;
    if (m_db.isOpen())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

} // namespace Fleet
