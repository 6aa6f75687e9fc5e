#pragma once

#include "geomath.h"
#include "mapviewport.h"
#include "tilesource.h"

#include <QCache>
#include <QColor>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <limits>

#include <memory>

class QPainter;

namespace Fleet {
class Clock;
}

namespace Fleet::Map {

// The map's base layer. Owns the chosen tile source (none: the offline
// basemap alone) and the offline basemap as a fallback, an in-memory LRU
// cache of their tiles, and the bookkeeping of requests, failures and retries.
//
// paint() draws the tiles that cover the viewport at its tile zoom, scaled to
// the fractional zoom and repeated around the antimeridian. A tile not there
// yet is stood in for by the nearest cached ancestor, else the offline
// basemap's tile, else the sea colour: never a hole. Tiles the source does
// not have (or sent broken) show the offline basemap; tiles that failed for
// a passing reason are asked for again after a back-off that doubles from
// 30 s up to 10 min. Requests for tiles that left the view are cancelled.
class TileLayer : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kDefaultCacheBytes = 48LL * 1024 * 1024;
    static constexpr qint64 kDefaultFirstRetryMs = 30'000;
    static constexpr qint64 kDefaultMaxRetryMs = 600'000;

    // The embedded offline basemap as fallback.
    explicit TileLayer(QObject *parent = nullptr);
    // A fallback of one's own (tests); null: none, holes are sea.
    explicit TileLayer(std::unique_ptr<TileSource> fallback, QObject *parent = nullptr);
    ~TileLayer() override;

    // Replaces the source; its cached tiles and pending requests go, the old
    // source is deleted later. Null: the offline basemap alone. An
    // OfflineBasemapSource as source is used as it is, without a second copy
    // as fallback.
    void setSource(std::unique_ptr<TileSource> source);
    TileSource *source() const { return m_source.get(); }
    TileSource *fallbackSource() const { return m_fallback.get(); }
    // The current source's attribution (the offline basemap's without one).
    // The source's credit, and the offline basemap's when the last frame drew some of it.
    QString attribution() const;

    void setDarkStyle(bool dark);
    bool isDarkStyle() const { return m_dark; }
    // What is drawn where no tile is: the offline basemap's sea.
    QColor backgroundColor() const;

    // Draws, and asks the sources for what is missing.
    void paint(QPainter *painter, const MapViewport &viewport);

    void setCacheLimit(qint64 bytes);
    qint64 cacheLimit() const { return m_cache.maxCost(); }
    qint64 cacheCost() const { return m_cache.totalCost(); }
    int cachedTileCount() const { return int(m_cache.count()); }

    void setRetryDelays(qint64 firstMs, qint64 maxMs);
    // Null: the system clock. Not owned.
    void setClock(const Clock *clock);

Q_SIGNALS:
    // Something new can be painted (a tile arrived, a retry is due, the
    // source or style changed).
    void updated();

private:
    struct CacheKey
    {
        TileId tile;
        bool fallback = false;
        friend bool operator==(const CacheKey &, const CacheKey &) = default;
        friend size_t qHash(const CacheKey &k, size_t seed = 0) noexcept
        {
            return qHashMulti(seed, k.tile, k.fallback);
        }
    };
    struct Failure
    {
        bool retryable = false;
        int attempts = 0;
        qint64 retryAt = 0; // monotonic ms
    };

    void connectSource(TileSource *source, bool fallback);
    void compose(QPainter *painter, const MapViewport &viewport, qint64 time);
    void drawTile(QPainter *painter, TileId tile, const QRect &target, bool useSource, qint64 now);
    bool drawCached(QPainter *painter, const CacheKey &key, const QRect &target);
    bool drawAncestor(QPainter *painter, TileId tile, bool fallback, const QRect &target);
    void requestFromSource(TileId tile);
    void requestFromFallback(TileId tile);
    void cancelUnwanted();
    void dropCached(bool fallback);
    void sourceTileReady(TileId tile, const QImage &image);
    void sourceTileFailed(TileId tile, TileFailure failure, const QString &reason);
    void recordFailure(TileId tile, TileFailure failure, const QString &reason);
    void fallbackTileReady(TileId tile, const QImage &image);
    void fallbackTileFailed(TileId tile, TileFailure failure, const QString &reason);
    void scheduleRetry();
    qint64 now() const;

    std::unique_ptr<TileSource> m_source;
    std::unique_ptr<TileSource> m_fallback;
    bool m_useFallback = true; // false while the source is itself the offline basemap
    bool m_dark = false;

    QCache<CacheKey, QImage> m_cache;
    // Requests under way → the frame that last wanted them.
    QHash<TileId, quint64> m_sourcePending;
    QHash<TileId, quint64> m_fallbackPending;
    QHash<TileId, Failure> m_failures;
    QSet<TileId> m_fallbackFailed;
    quint64 m_frame = 0;
    // The tiles of the last view, composed (see paint()).
    QImage m_composed;
    MapViewport m_composedViewport;
    qreal m_composedDpr = 0;
    qint64 m_composedUntil = 0; // a retry falls due: compose again
    bool m_composedValid = false;
    quint64 m_fallbackDrawnFrame = std::numeric_limits<quint64>::max(); // the last frame that drew the fallback

    qint64 m_firstRetryMs = kDefaultFirstRetryMs;
    qint64 m_maxRetryMs = kDefaultMaxRetryMs;
    const Clock *m_clock;
    QTimer m_retryTimer;
};

} // namespace Fleet::Map
