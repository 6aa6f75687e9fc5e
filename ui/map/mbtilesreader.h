#pragma once

#include "tilesource.h"

#include <QMutex>
#include <QObject>
#include <QSet>
#include <QSqlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace Fleet::Map {

// The worker half of MbTilesSource: lives in the source's worker thread,
// owns that thread's SQLite connection (read-only, a connection name of its
// own) and reads and decodes tiles there. Deleted in its thread when the
// thread finishes, which closes and removes the connection.
class MbTilesReader : public QObject
{
    Q_OBJECT
public:
    // The tiles the source still wants; the reader skips the others.
    struct Wanted
    {
        QMutex mutex;
        QSet<TileId> tiles;
        void add(TileId tile);
        void remove(TileId tile);
        void clear();
        bool take(TileId tile);
    };
    // Called in the worker thread with each result; a null image comes with a failure.
    using Deliver = std::function<void(TileId tile, const QImage &image, TileFailure failure, const QString &reason)>;

    MbTilesReader(const QString &path, const QString &connectionName, std::shared_ptr<Wanted> wanted, Deliver deliver);
    ~MbTilesReader() override;

    // In the worker thread.
    void read(TileId tile);

private:
    bool ensureOpen(QString *error);

    QString m_path;
    QString m_connectionName;
    std::shared_ptr<Wanted> m_wanted;
    Deliver m_deliver;
    bool m_connectionAdded = false;
    std::optional<QSqlQuery> m_query;
};

} // namespace Fleet::Map
