#pragma once

#include "mbtilesreader.h"
#include "tilesource.h"

#include <QHash>
#include <QRectF>
#include <QSet>

#include <memory>

class QThread;

namespace Fleet::Map {

// Raster tiles from an MBTiles file (SQLite, spec 1.x): open() checks the
// file and reads its metadata on the calling thread; tiles are then read and
// decoded by an MbTilesReader in a worker thread with its own read-only
// connection. Rows are TMS (tile_row = 2^z − 1 − y). A missing tile is
// NotFound, an undecodable blob Permanent.
class MbTilesSource : public TileSource
{
    Q_OBJECT
public:
    explicit MbTilesSource(QObject *parent = nullptr);
    ~MbTilesSource() override;

    // False, with errorString(), for a missing or unreadable file, one that
    // is not SQLite, has no tiles table, holds no tiles or vector tiles.
    bool open(const QString &path);
    void close();
    bool isOpen() const { return m_reader != nullptr; }
    QString errorString() const { return m_error; }
    QString path() const { return m_path; }

    // The metadata table as read (empty without one).
    QHash<QString, QString> metadata() const { return m_metadata; }
    // "png", "jpg", ... as the metadata says; empty if it does not.
    QString format() const { return m_format; }
    // The metadata bounds in world coordinates; null: the whole world.
    QRectF worldBounds() const { return m_bounds; }

    QString name() const override { return m_name; }
    QString attribution() const override { return m_attribution; }
    // Overrides the metadata's name (until the next open()).
    void setName(const QString &name) { m_name = name; }
    int minZoom() const override { return m_minZoom; }
    int maxZoom() const override { return m_maxZoom; }

    void requestTile(TileId tile) override;
    void cancelTile(TileId tile) override;
    void cancelAll() override;
    int pendingCount() const override { return int(m_pending.size()) + deferredCount(); }

private:
    bool inspect(const QString &path);
    void delivered(quint64 generation, TileId tile, const QImage &image, TileFailure failure, const QString &reason);

    QString m_path;
    QString m_error;
    QString m_name;
    QString m_attribution;
    QString m_format;
    QHash<QString, QString> m_metadata;
    QRectF m_bounds;
    int m_minZoom = 0;
    int m_maxZoom = 0;

    std::unique_ptr<QThread> m_thread;
    MbTilesReader *m_reader = nullptr; // lives in m_thread
    std::shared_ptr<MbTilesReader::Wanted> m_wanted;
    QSet<TileId> m_pending;
    quint64 m_generation = 0; // which open() a late answer belongs to
};

} // namespace Fleet::Map
