#include "tilelayer.h"

#include "maplog.h"
#include "mapviewport.h"
#include "offlinebasemaprenderer.h"
#include "offlinebasemapsource.h"
#include "util/clock.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace Fleet::Map {

namespace {

// A scaled-up ancestor further up than this is a blur not worth drawing.
constexpr int kMaxAncestorLevels = 8;
// Failure records kept before the older half is forgotten.
constexpr qsizetype kMaxFailureRecords = 4096;

} // namespace

TileLayer::TileLayer(QObject *parent)
    : TileLayer(std::make_unique<OfflineBasemapSource>(), parent)
{ }

TileLayer::TileLayer(std::unique_ptr<TileSource> fallback, QObject *parent)
    : QObject(parent)
    , m_fallback(std::move(fallback))
    , m_clock(Clock::system())
{
    m_cache.setMaxCost(kDefaultCacheBytes);
    // Anything new to paint makes the composed view stale.
    connect(this, &TileLayer::updated, this, [this] { m_composedValid = false; });
    if (m_fallback) {
        m_fallback->setParent(this);
        connectSource(m_fallback.get(), true);
    }
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setTimerType(Qt::PreciseTimer); // never early: a due tile is asked for at once
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        Q_EMIT updated(); // the repaint asks for the tiles that are due
        scheduleRetry();
    });
}

TileLayer::~TileLayer()
{
    if (m_source)
        m_source->disconnect(this);
    if (m_fallback)
        m_fallback->disconnect(this);
}

void TileLayer::connectSource(TileSource *source, bool fallback)
{
    if (fallback) {
        connect(source, &TileSource::tileReady, this, &TileLayer::fallbackTileReady);
        connect(source, &TileSource::tileFailed, this, &TileLayer::fallbackTileFailed);
    } else {
        connect(source, &TileSource::tileReady, this, &TileLayer::sourceTileReady);
        connect(source, &TileSource::tileFailed, this, &TileLayer::sourceTileFailed);
    }
}

void TileLayer::setSource(std::unique_ptr<TileSource> source)
{
    m_composedValid = false;
    m_fallbackDrawnFrame = std::numeric_limits<quint64>::max();
    if (m_source) {
        m_source->disconnect(this);
        m_source->cancelAll();
        // Later: this may run inside one of the old source's own signals.
        m_source.release()->deleteLater();
    }
    m_sourcePending.clear();
    m_failures.clear();
    m_retryTimer.stop();
    dropCached(false);

    m_source = std::move(source);
    m_useFallback = !qobject_cast<OfflineBasemapSource *>(m_source.get());
    if (m_source) {
        m_source->setParent(this);
        connectSource(m_source.get(), false);
        if (m_source->supportsDarkStyle())
            m_source->setDarkStyle(m_dark);
        qCInfo(lcMap).noquote() << "tile source:" << m_source->name();
    }
    if (!m_useFallback && m_fallback) {
        m_fallback->cancelAll();
        m_fallbackPending.clear();
    }
    Q_EMIT updated();
}

QString TileLayer::attribution() const
{
    QString fallback = m_fallback ? m_fallback->attribution() : QString();
    if (!m_source)
        return fallback;
    // Credit what is on screen: the offline basemap stands in where the
    // source had nothing (offline, or a tile it lacks).
    if (m_fallbackDrawnFrame == m_frame && !fallback.isEmpty() && m_fallback.get() != m_source.get())
        return m_source->attribution() + QStringLiteral(" · ") + fallback;
    return m_source->attribution();
}

void TileLayer::setDarkStyle(bool dark)
{
    m_composedValid = false;
    if (dark == m_dark)
        return;
    m_dark = dark;
    // Pending renders come back in the new style (the sources' contract).
    if (m_fallback && m_fallback->supportsDarkStyle()) {
        m_fallback->setDarkStyle(dark);
        dropCached(true);
        m_fallbackFailed.clear();
    }
    if (m_source && m_source->supportsDarkStyle()) {
        m_source->setDarkStyle(dark);
        dropCached(false);
    }
    Q_EMIT updated();
}

QColor TileLayer::backgroundColor() const
{
    return m_dark ? OfflineBasemapStyle::dark().sea : OfflineBasemapStyle::light().sea;
}

void TileLayer::setCacheLimit(qint64 bytes)
{
    m_composedValid = false;
    m_cache.setMaxCost(qsizetype(std::max<qint64>(bytes, 0)));
}

void TileLayer::setRetryDelays(qint64 firstMs, qint64 maxMs)
{
    m_firstRetryMs = std::max<qint64>(firstMs, 1);
    m_maxRetryMs = std::max(maxMs, m_firstRetryMs);
}

void TileLayer::setClock(const Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
}

qint64 TileLayer::now() const
{
    return m_clock->monotonicMs();
}

void TileLayer::paint(QPainter *painter, const MapViewport &viewport)
{
    if (!painter || viewport.size().isEmpty())
        return;
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    const qint64 time = now();
    // Live updates repaint the map many times a second over the same view:
    // the tiles are composed once per view and blitted until something
    // changes (a tile arrives, the view moves, a retry falls due).
    if (!m_composedValid || !(m_composedViewport == viewport) || m_composedDpr != dpr || time >= m_composedUntil) {
        const QSize pixels = (QSizeF(viewport.size()) * dpr).toSize();
        if (m_composed.size() != pixels)
            m_composed = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
        m_composed.setDevicePixelRatio(dpr);
        m_composedUntil = std::numeric_limits<qint64>::max();
        QPainter composer(&m_composed);
        compose(&composer, viewport, time);
        m_composedValid = true;
        m_composedViewport = viewport;
        m_composedDpr = dpr;
    }
    painter->drawImage(QPointF(0, 0), m_composed);
}

void TileLayer::compose(QPainter *painter, const MapViewport &viewport, qint64 time)
{
    const QSize size = viewport.size();
    ++m_frame;

    const int tileZoom = viewport.tileZoom();
    const bool useSource = m_source && tileZoom >= m_source->minZoom();
    int z = tileZoom;
    if (useSource)
        z = std::min(z, m_source->maxZoom());
    else if (m_fallback)
        z = std::min(z, m_fallback->maxZoom());
    z = std::clamp(z, 0, kMaxZoom);
    const qint64 n = qint64(1) << z;

    const double scale = viewport.scale();
    const QPointF centre = viewport.centre();
    const double halfWidth = size.width() / 2.0;
    const double halfHeight = size.height() / 2.0;
    // Tile edges are rounded once, so neighbours share them: no seams.
    const auto screenX = [&](qint64 column) {
        return int(std::lround((double(column) / n - centre.x()) * scale + halfWidth));
    };
    const auto screenY = [&](qint64 row) {
        return int(std::lround((double(row) / n - centre.y()) * scale + halfHeight));
    };

    const QRectF world = viewport.visibleWorld();
    const qint64 x0 = qint64(std::floor(world.left() * n));
    const qint64 x1 = std::max(x0, qint64(std::ceil(world.right() * n)) - 1);
    const qint64 y0 = std::max<qint64>(0, qint64(std::floor(world.top() * n)));
    const qint64 y1 = std::min<qint64>(n - 1, qint64(std::ceil(world.bottom() * n)) - 1);

    // A view taller than the world: the world does not repeat vertically.
    const int worldTop = screenY(0);
    const int worldBottom = screenY(n);
    if (worldTop > 0)
        painter->fillRect(0, 0, size.width(), worldTop, backgroundColor());
    if (worldBottom < size.height())
        painter->fillRect(0, worldBottom, size.width(), size.height() - worldBottom, backgroundColor());

    const bool scaled = std::abs(scale / double(n) - kTileSize) > 1e-6;
    const bool wasSmooth = painter->testRenderHint(QPainter::SmoothPixmapTransform);
    painter->setRenderHint(QPainter::SmoothPixmapTransform, scaled);
    for (qint64 row = y0; row <= y1; ++row) {
        const int top = screenY(row);
        const int bottom = screenY(row + 1);
        for (qint64 column = x0; column <= x1; ++column) {
            const int left = screenX(column);
            const int right = screenX(column + 1);
            if (right <= left || bottom <= top)
                continue;
            const TileId tile{z, int(((column % n) + n) % n), int(row)};
            drawTile(painter, tile, QRect(left, top, right - left, bottom - top), useSource, time);
        }
    }
    painter->setRenderHint(QPainter::SmoothPixmapTransform, wasSmooth);
    cancelUnwanted();
}

void TileLayer::drawTile(QPainter *painter, TileId tile, const QRect &target, bool useSource, qint64 time)
{
    if (useSource) {
        if (drawCached(painter, {tile, false}, target))
            return;
        bool failed = false;
        if (const auto pending = m_sourcePending.find(tile); pending != m_sourcePending.end()) {
            *pending = m_frame;
        } else if (const auto f = m_failures.find(tile); f != m_failures.end()) {
            if (f->retryable && time >= f->retryAt) {
                requestFromSource(tile);
            } else {
                failed = true;
                if (f->retryable)
                    m_composedUntil = std::min(m_composedUntil, f->retryAt);
            }
        } else {
            requestFromSource(tile);
        }
        // A tile the source lacks shows the offline basemap, not a blurred ancestor.
        if (!failed && drawAncestor(painter, tile, false, target))
            return;
    }
    if (m_fallback && m_useFallback) {
        m_fallbackDrawnFrame = m_frame;
        if (drawCached(painter, {tile, true}, target))
            return;
        requestFromFallback(tile);
        if (drawAncestor(painter, tile, true, target))
            return;
    }
    painter->fillRect(target, backgroundColor());
}

bool TileLayer::drawCached(QPainter *painter, const CacheKey &key, const QRect &target)
{
    const QImage *image = m_cache.object(key);
    if (!image)
        return false;
    if (image->size() == target.size())
        painter->drawImage(target.topLeft(), *image);
    else
        painter->drawImage(QRectF(target), *image, QRectF(image->rect()));
    return true;
}

bool TileLayer::drawAncestor(QPainter *painter, TileId tile, bool fallback, const QRect &target)
{
    for (int dz = 1; dz <= std::min(tile.z, kMaxAncestorLevels); ++dz) {
        const QImage *image = m_cache.object({TileId{tile.z - dz, tile.x >> dz, tile.y >> dz}, fallback});
        if (!image)
            continue;
        const int parts = 1 << dz;
        const double w = double(image->width()) / parts;
        const double h = double(image->height()) / parts;
        const QRectF piece((tile.x & (parts - 1)) * w, (tile.y & (parts - 1)) * h, w, h);
        const bool wasSmooth = painter->testRenderHint(QPainter::SmoothPixmapTransform);
        painter->setRenderHint(QPainter::SmoothPixmapTransform, true);
        painter->drawImage(QRectF(target), *image, piece);
        painter->setRenderHint(QPainter::SmoothPixmapTransform, wasSmooth);
        return true;
    }
    return false;
}

void TileLayer::requestFromSource(TileId tile)
{
    m_sourcePending.insert(tile, m_frame);
    m_source->requestTile(tile);
}

void TileLayer::requestFromFallback(TileId tile)
{
    if (const auto pending = m_fallbackPending.find(tile); pending != m_fallbackPending.end()) {
        *pending = m_frame;
        return;
    }
    if (m_fallbackFailed.contains(tile))
        return;
    m_fallbackPending.insert(tile, m_frame);
    m_fallback->requestTile(tile);
}

void TileLayer::cancelUnwanted()
{
    for (auto it = m_sourcePending.begin(); it != m_sourcePending.end();) {
        if (it.value() != m_frame) {
            m_source->cancelTile(it.key());
            it = m_sourcePending.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = m_fallbackPending.begin(); it != m_fallbackPending.end();) {
        if (it.value() != m_frame) {
            m_fallback->cancelTile(it.key());
            it = m_fallbackPending.erase(it);
        } else {
            ++it;
        }
    }
    if (m_failures.size() > kMaxFailureRecords) {
        // Forget the older half; a forgotten tile is simply asked for again.
        std::vector<std::pair<qint64, TileId>> byAge;
        byAge.reserve(size_t(m_failures.size()));
        for (auto it = m_failures.cbegin(); it != m_failures.cend(); ++it)
            byAge.emplace_back(it->retryAt, it.key());
        const auto middle = byAge.begin() + ptrdiff_t(byAge.size() / 2);
        std::nth_element(byAge.begin(), middle, byAge.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        for (auto it = byAge.begin(); it != middle; ++it)
            m_failures.remove(it->second);
    }
}

void TileLayer::dropCached(bool fallback)
{
    const QList<CacheKey> keys = m_cache.keys();
    for (const CacheKey &key : keys) {
        if (key.fallback == fallback)
            m_cache.remove(key);
    }
}

void TileLayer::sourceTileReady(TileId tile, const QImage &image)
{
    if (!m_sourcePending.remove(tile))
        return;
    if (image.isNull()) {
        recordFailure(tile, TileFailure::Permanent, tr("empty image"));
        return;
    }
    m_failures.remove(tile);
    auto *copy = new QImage(image.format() == QImage::Format_ARGB32_Premultiplied
                                ? image
                                : image.convertToFormat(QImage::Format_ARGB32_Premultiplied));
    m_cache.insert({tile, false}, copy, qsizetype(copy->sizeInBytes()));
    Q_EMIT updated();
}

void TileLayer::sourceTileFailed(TileId tile, TileFailure failure, const QString &reason)
{
    if (!m_sourcePending.remove(tile))
        return;
    recordFailure(tile, failure, reason);
}

void TileLayer::recordFailure(TileId tile, TileFailure failure, const QString &reason)
{
    Failure &f = m_failures[tile];
    f.retryable = failure == TileFailure::Retryable;
    ++f.attempts;
    qint64 delay = m_firstRetryMs;
    for (int i = 1; i < f.attempts && delay < m_maxRetryMs; ++i)
        delay *= 2;
    delay = std::min(delay, m_maxRetryMs);
    f.retryAt = now() + delay;
    if (f.retryable) {
        qCDebug(lcMap).noquote() << "tile" << tile.toString() << "failed:" << reason << "- retry in" << delay / 1000
                                 << "s";
        scheduleRetry();
    } else {
        qCDebug(lcMap).noquote() << "tile" << tile.toString() << tileFailureName(failure) << ":" << reason;
    }
    Q_EMIT updated();
}

void TileLayer::fallbackTileReady(TileId tile, const QImage &image)
{
    if (!m_fallbackPending.remove(tile))
        return;
    if (image.isNull()) {
        m_fallbackFailed.insert(tile);
        return;
    }
    auto *copy = new QImage(image.format() == QImage::Format_ARGB32_Premultiplied
                                ? image
                                : image.convertToFormat(QImage::Format_ARGB32_Premultiplied));
    m_cache.insert({tile, true}, copy, qsizetype(copy->sizeInBytes()));
    Q_EMIT updated();
}

void TileLayer::fallbackTileFailed(TileId tile, TileFailure failure, const QString &reason)
{
    if (!m_fallbackPending.remove(tile))
        return;
    qCWarning(lcMap).noquote() << "offline basemap tile" << tile.toString() << tileFailureName(failure) << ":"
                               << reason;
    m_fallbackFailed.insert(tile);
}

void TileLayer::scheduleRetry()
{
    const qint64 time = now();
    qint64 next = -1;
    for (auto it = m_failures.cbegin(); it != m_failures.cend(); ++it) {
        // Due ones wait for the next paint; only the future needs the timer.
        if (it->retryable && it->retryAt > time && !m_sourcePending.contains(it.key())
            && (next < 0 || it->retryAt < next))
            next = it->retryAt;
    }
    if (next < 0)
        return;
    const qint64 delay = next - time;
    if (!m_retryTimer.isActive() || m_retryTimer.remainingTime() > delay)
        m_retryTimer.start(int(std::min<qint64>(delay, std::numeric_limits<int>::max())));
}

} // namespace Fleet::Map
