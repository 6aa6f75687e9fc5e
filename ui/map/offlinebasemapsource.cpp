#include "offlinebasemapsource.h"

#include <QMetaObject>
#include <QRunnable>

namespace Fleet::Map {

OfflineBasemapSource::OfflineBasemapSource(QObject *parent)
    : OfflineBasemapSource(OfflineBasemap::embedded(), parent)
{ }

OfflineBasemapSource::OfflineBasemapSource(std::shared_ptr<const OfflineBasemap> data, QObject *parent)
    : TileSource(parent)
    , m_renderer(std::make_shared<const OfflineBasemapRenderer>(std::move(data)))
{
    m_pool.setObjectName(QStringLiteral("fleet.map.basemap"));
}

OfflineBasemapSource::~OfflineBasemapSource()
{
    OfflineBasemapSource::cancelAll(); // this class's own: no virtual dispatch in a destructor
    m_pool.waitForDone();
}

QString OfflineBasemapSource::name() const
{
    return tr("Offline basemap (Natural Earth)");
}

QString OfflineBasemapSource::attribution() const
{
    return tr("Natural Earth");
}

void OfflineBasemapSource::requestTile(TileId tile)
{
    if (m_pending.contains(tile) || isDeferred(tile))
        return;
    if (!isValid())
        failLater(tile, TileFailure::Permanent, errorString());
    else if (!tile.isValid() || tile.z > maxZoom())
        failLater(tile, TileFailure::Permanent, tr("no such tile: %1").arg(tile.toString()));
    else
        startRender(tile);
}

void OfflineBasemapSource::startRender(TileId tile)
{
    const CancelFlag job = std::make_shared<std::atomic_bool>(false);
    m_pending.insert(tile, job);
    const OfflineBasemapStyle style = m_style;
    std::shared_ptr<const OfflineBasemapRenderer> renderer = m_renderer;
    m_pool.start([this, renderer, tile, job, style] {
        if (job->load())
            return;
        const QImage image = renderer->render(tile, style);
        if (job->load())
            return;
        // Posted to this object: dropped if it is gone (its destructor waits for the pool first).
        QMetaObject::invokeMethod(
            this, [this, tile, job, image] { rendered(tile, job, image); }, Qt::QueuedConnection);
    });
}

void OfflineBasemapSource::rendered(TileId tile, const CancelFlag &job, const QImage &image)
{
    if (m_pending.value(tile) != job)
        return; // cancelled, or replaced by a render in another style
    m_pending.remove(tile);
    Q_EMIT tileReady(tile, image);
}

void OfflineBasemapSource::cancelTile(TileId tile)
{
    cancelDeferred(tile);
    if (const CancelFlag job = m_pending.take(tile))
        job->store(true);
}

void OfflineBasemapSource::cancelAll()
{
    cancelAllDeferred();
    for (const CancelFlag &job : std::as_const(m_pending))
        job->store(true);
    m_pending.clear();
}

void OfflineBasemapSource::setDarkStyle(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    m_style = dark ? OfflineBasemapStyle::dark() : OfflineBasemapStyle::light();
    const QList<TileId> waiting = m_pending.keys();
    for (const CancelFlag &job : std::as_const(m_pending))
        job->store(true);
    m_pending.clear();
    for (const TileId &tile : waiting)
        requestTile(tile);
}

} // namespace Fleet::Map
