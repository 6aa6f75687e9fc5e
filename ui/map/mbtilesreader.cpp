#include "mbtilesreader.h"

#include <QSqlDatabase>
#include <QSqlError>

namespace Fleet::Map {

void MbTilesReader::Wanted::add(TileId tile)
{
    QMutexLocker lock(&mutex);
    tiles.insert(tile);
}

void MbTilesReader::Wanted::remove(TileId tile)
{
    QMutexLocker lock(&mutex);
    tiles.remove(tile);
}

void MbTilesReader::Wanted::clear()
{
    QMutexLocker lock(&mutex);
    tiles.clear();
}

bool MbTilesReader::Wanted::take(TileId tile)
{
    QMutexLocker lock(&mutex);
    return tiles.remove(tile);
}

MbTilesReader::MbTilesReader(const QString &path, const QString &connectionName, std::shared_ptr<Wanted> wanted,
                             Deliver deliver)
    : m_path(path)
    , m_connectionName(connectionName)
    , m_wanted(std::move(wanted))
    , m_deliver(std::move(deliver))
{ }

MbTilesReader::~MbTilesReader()
{
    if (!m_connectionAdded)
        return;
    m_query.reset();
    QSqlDatabase::database(m_connectionName, false).close();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool MbTilesReader::ensureOpen(QString *error)
{
    if (m_query)
        return true;
    if (!m_connectionAdded) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        m_connectionAdded = true;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen() && !db.open()) {
        *error = tr("cannot open %1: %2").arg(m_path, db.lastError().text());
        return false;
    }
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(
            QStringLiteral("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?"))) {
        *error = tr("cannot read tiles from %1: %2").arg(m_path, query.lastError().text());
        return false;
    }
    m_query = std::move(query);
    return true;
}

void MbTilesReader::read(TileId tile)
{
    if (!m_wanted->take(tile))
        return; // cancelled while queued
    QString error;
    if (!ensureOpen(&error)) {
        m_deliver(tile, {}, TileFailure::Retryable, error);
        return;
    }
    QSqlQuery &query = *m_query;
    query.bindValue(0, tile.z);
    query.bindValue(1, tile.x);
    query.bindValue(2, (1 << tile.z) - 1 - tile.y); // MBTiles rows count from the south (TMS)
    if (!query.exec()) {
        const QString reason = tr("cannot read tile %1: %2").arg(tile.toString(), query.lastError().text());
        m_deliver(tile, {}, TileFailure::Retryable, reason);
        return;
    }
    if (!query.next()) {
        query.finish();
        m_deliver(tile, {}, TileFailure::NotFound, tr("the file has no tile %1").arg(tile.toString()));
        return;
    }
    const QByteArray blob = query.value(0).toByteArray();
    query.finish();
    if (blob.isEmpty()) {
        m_deliver(tile, {}, TileFailure::NotFound, tr("tile %1 is empty in the file").arg(tile.toString()));
        return;
    }
    QImage image = QImage::fromData(blob);
    if (image.isNull()) {
        m_deliver(tile, {}, TileFailure::Permanent,
                  tr("tile %1 holds %2 bytes that are not a PNG or JPEG image").arg(tile.toString()).arg(blob.size()));
        return;
    }
    image.convertTo(QImage::Format_ARGB32_Premultiplied);
    m_deliver(tile, image, TileFailure::NotFound, QString());
}

} // namespace Fleet::Map
