#include "mbtilessource.h"

#include "maplog.h"

#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextDocumentFragment>
#include <QThread>

#include <atomic>

namespace Fleet::Map {

namespace {

QString nextConnectionName(const char *purpose)
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("fleet.map.mbtiles.%1.%2").arg(QLatin1String(purpose)).arg(++counter);
}

// "left,bottom,right,top" in degrees → world rectangle; null if malformed.
QRectF parseBounds(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() != 4)
        return {};
    double v[4];
    for (int i = 0; i < 4; ++i) {
        bool ok = false;
        v[i] = parts[i].trimmed().toDouble(&ok);
        if (!ok)
            return {};
    }
    const double west = v[0], south = v[1], east = v[2], north = v[3];
    if (west < -180 || east > 180 || west >= east || south < -90 || north > 90 || south >= north)
        return {};
    return QRectF(project(north, west), project(south, east));
}

} // namespace

MbTilesSource::MbTilesSource(QObject *parent)
    : TileSource(parent)
{ }

MbTilesSource::~MbTilesSource()
{
    close();
}

void MbTilesSource::close()
{
    MbTilesSource::cancelAll(); // also called by the destructor, where there is no virtual dispatch
    if (m_thread) {
        // The reader is deleted in its thread as the thread finishes
        // (deleteLater below), which removes its connection.
        m_thread->quit();
        m_thread->wait();
        m_thread.reset();
    }
    m_reader = nullptr;
    m_wanted.reset();
    ++m_generation;
}

bool MbTilesSource::open(const QString &path)
{
    close();
    m_path = path;
    m_error.clear();
    m_metadata.clear();
    m_format.clear();
    m_bounds = QRectF();
    if (!inspect(path)) {
        qCWarning(lcMap).noquote() << "MBTiles:" << m_error;
        return false;
    }

    m_wanted = std::make_shared<MbTilesReader::Wanted>();
    const quint64 generation = m_generation;
    // Runs in the worker thread: hand the result to this object's thread.
    // close() stops the thread before this object goes, so `this` is alive.
    auto deliver = [this, generation](TileId tile, const QImage &image, TileFailure failure, const QString &reason) {
        QMetaObject::invokeMethod(
            this, [=, this] { delivered(generation, tile, image, failure, reason); }, Qt::QueuedConnection);
    };
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("fleet.map.mbtiles"));
    m_reader = new MbTilesReader(path, nextConnectionName("reader"), m_wanted, deliver);
    m_reader->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_reader, &QObject::deleteLater);
    m_thread->start();
    qCInfo(lcMap).noquote() << "MBTiles" << path << "open:" << m_name << m_format << "zoom" << m_minZoom << "to"
                            << m_maxZoom;
    return true;
}

bool MbTilesSource::inspect(const QString &path)
{
    const QFileInfo info(path);
    if (path.isEmpty() || !info.exists()) {
        m_error = tr("%1 does not exist").arg(path.isEmpty() ? tr("(no path)") : path);
        return false;
    }
    if (!info.isFile()) {
        m_error = tr("%1 is not a file").arg(path);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = tr("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.read(16) != QByteArrayView("SQLite format 3\0", 16)) {
        m_error = tr("%1 is not an SQLite database, so not an MBTiles file").arg(path);
        return false;
    }
    file.close();

    const QString connection = nextConnectionName("inspect");
    bool usable = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        const bool result = [&]() -> bool {
            if (!db.open()) {
                m_error = tr("cannot open %1: %2").arg(path, db.lastError().text());
                return false;
            }
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'tiles' AND type IN ('table', 'view')"))
                || !query.next()) {
                m_error = tr("cannot read %1: %2").arg(path, query.lastError().text());
                return false;
            }
            if (query.value(0).toInt() == 0) {
                m_error = tr("%1 has no tiles table, so it is not an MBTiles file").arg(path);
                return false;
            }
            if (!query.exec(QStringLiteral("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1"))) {
                m_error = tr("the tiles table of %1 lacks the MBTiles columns: %2").arg(path, query.lastError().text());
                return false;
            }
            query.finish();
            if (query.exec(QStringLiteral("SELECT name, value FROM metadata"))) {
                while (query.next())
                    m_metadata.insert(query.value(0).toString().trimmed(), query.value(1).toString().trimmed());
            }
            // Without zoom metadata, the tiles say (the MBTiles index makes this quick).
            if (!query.exec(QStringLiteral("SELECT min(zoom_level), max(zoom_level) FROM tiles")) || !query.next()) {
                m_error = tr("cannot read %1: %2").arg(path, query.lastError().text());
                return false;
            }
            if (query.value(0).isNull()) {
                m_error = tr("%1 holds no tiles").arg(path);
                return false;
            }
            const int tilesMin = query.value(0).toInt();
            const int tilesMax = query.value(1).toInt();
            query.finish();
            bool okMin = false, okMax = false;
            const int metaMin = m_metadata.value(QStringLiteral("minzoom")).toInt(&okMin);
            const int metaMax = m_metadata.value(QStringLiteral("maxzoom")).toInt(&okMax);
            m_minZoom = std::clamp(okMin ? metaMin : tilesMin, 0, kMaxZoom);
            m_maxZoom = std::clamp(okMax ? metaMax : tilesMax, m_minZoom, kMaxZoom);
            return true;
        }();
        db.close();
        usable = result;
    }
    QSqlDatabase::removeDatabase(connection);
    if (!usable)
        return false;

    m_format = m_metadata.value(QStringLiteral("format")).toLower();
    if (!m_format.isEmpty()) {
        const QByteArray format = (m_format == QLatin1String("jpeg") ? QStringLiteral("jpg") : m_format).toLatin1();
        const bool raster = format == "png" || format == "jpg" || format == "webp";
        if (!raster) {
            m_error = tr("%1 holds %2 tiles; only raster tiles (png, jpg) can be shown").arg(path, m_format);
            return false;
        }
        if (!QImageReader::supportedImageFormats().contains(format == "jpg" ? QByteArray("jpeg") : format)) {
            m_error = tr("%1 holds %2 tiles, which this system cannot decode").arg(path, m_format);
            return false;
        }
    }
    const QString bounds = m_metadata.value(QStringLiteral("bounds"));
    if (!bounds.isEmpty()) {
        m_bounds = parseBounds(bounds);
        if (m_bounds.isNull())
            qCWarning(lcMap).noquote() << "MBTiles" << path << "has malformed bounds, ignored:" << bounds;
    }
    m_name = m_metadata.value(QStringLiteral("name"));
    if (m_name.isEmpty())
        m_name = info.completeBaseName();
    m_attribution = m_metadata.value(QStringLiteral("attribution"));
    if (m_attribution.contains(QLatin1Char('<')))
        m_attribution = QTextDocumentFragment::fromHtml(m_attribution).toPlainText().simplified();
    return true;
}

void MbTilesSource::requestTile(TileId tile)
{
    if (m_pending.contains(tile) || isDeferred(tile))
        return;
    if (!isOpen()) {
        failLater(tile, TileFailure::Permanent, m_error.isEmpty() ? tr("no MBTiles file is open") : m_error);
        return;
    }
    if (!tile.isValid()) {
        failLater(tile, TileFailure::Permanent, tr("no such tile: %1").arg(tile.toString()));
        return;
    }
    if (tile.z < m_minZoom || tile.z > m_maxZoom || (!m_bounds.isNull() && !tile.worldRect().intersects(m_bounds))) {
        failLater(tile, TileFailure::NotFound, tr("tile %1 lies outside the file's coverage").arg(tile.toString()));
        return;
    }
    m_pending.insert(tile);
    m_wanted->add(tile);
    MbTilesReader *reader = m_reader;
    QMetaObject::invokeMethod(
        reader, [reader, tile] { reader->read(tile); }, Qt::QueuedConnection);
}

void MbTilesSource::delivered(quint64 generation, TileId tile, const QImage &image, TileFailure failure,
                              const QString &reason)
{
    if (generation != m_generation || !m_pending.remove(tile))
        return;
    if (image.isNull())
        Q_EMIT tileFailed(tile, failure, reason);
    else
        Q_EMIT tileReady(tile, image);
}

void MbTilesSource::cancelTile(TileId tile)
{
    cancelDeferred(tile);
    if (m_pending.remove(tile) && m_wanted)
        m_wanted->remove(tile);
}

void MbTilesSource::cancelAll()
{
    cancelAllDeferred();
    m_pending.clear();
    if (m_wanted)
        m_wanted->clear();
}

} // namespace Fleet::Map
