#pragma once

#include "offlinebasemaprenderer.h"
#include "tilesource.h"

#include <QHash>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace Fleet::Map {

// The offline basemap as a tile source: tiles are rendered on a thread pool
// of its own (OfflineBasemapRenderer is reentrant) and handed back on the
// GUI thread. Never needs the network; a render takes a few milliseconds.
class OfflineBasemapSource : public TileSource
{
    Q_OBJECT
public:
    // The embedded Natural Earth basemap.
    explicit OfflineBasemapSource(QObject *parent = nullptr);
    explicit OfflineBasemapSource(std::shared_ptr<const OfflineBasemap> data, QObject *parent = nullptr);
    ~OfflineBasemapSource() override;

    QString name() const override;
    QString attribution() const override;
    int minZoom() const override { return 0; }
    int maxZoom() const override { return kMaxZoom; }

    void requestTile(TileId tile) override;
    void cancelTile(TileId tile) override;
    void cancelAll() override;
    int pendingCount() const override { return int(m_pending.size()) + deferredCount(); }
    // Blocks until no render is running or waiting to run; what they handed
    // back is then posted to this object, for the event loop to deliver.
    // Lets a test see what comes of renders that were cancelled.
    void waitForRenders() { m_pool.waitForDone(); }

    bool supportsDarkStyle() const override { return true; }
    // Tiles still to come are rendered in the new style.
    void setDarkStyle(bool dark) override;
    bool isDarkStyle() const { return m_dark; }
    const OfflineBasemapStyle &style() const { return m_style; }

    // Whether the basemap data loaded; without it every request fails.
    bool isValid() const { return m_renderer->data().isValid(); }
    QString errorString() const { return m_renderer->data().errorString(); }

private:
    using CancelFlag = std::shared_ptr<std::atomic_bool>;
    void startRender(TileId tile);
    void rendered(TileId tile, const CancelFlag &job, const QImage &image);

    std::shared_ptr<const OfflineBasemapRenderer> m_renderer;
    QThreadPool m_pool;
    QHash<TileId, CancelFlag> m_pending;
    bool m_dark = false;
    OfflineBasemapStyle m_style = OfflineBasemapStyle::light();
};

} // namespace Fleet::Map
