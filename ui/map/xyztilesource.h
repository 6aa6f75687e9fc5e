#pragma once

#include "tilesource.h"

#include <QHash>
#include <QStringList>
#include <QThreadPool>
#include <QUrl>

#include <atomic>
#include <deque>
#include <memory>

class QNetworkAccessManager;
class QNetworkDiskCache;
class QNetworkReply;

namespace Fleet::Map {

// Raster tiles from a web server by URL template: {z} {x} {y}, {-y} (TMS row)
// and {s} (one of the subdomains, chosen by tile so each URL stays the same).
// Follows the OpenStreetMap tile usage policy: an identifying User-Agent,
// an on-disk HTTP cache that is preferred over the network, at most
// kMaxConcurrentRequests requests at once, only tiles that are asked for (no
// prefetching) and cancellation of tiles no longer wanted. Owns its network
// access manager (GUI thread, asynchronous) and a thread pool that decodes
// the images. 404/410 is NotFound; network errors, timeouts, 408, 429 and
// 5xx are Retryable; other answers and undecodable images are Permanent.
class XyzTileSource : public TileSource
{
    Q_OBJECT
public:
    static constexpr int kMaxConcurrentRequests = 2;
    static constexpr qint64 kDefaultCacheSize = 200LL * 1024 * 1024;
    static constexpr int kDefaultTransferTimeoutMs = 30000;

    static QString openStreetMapUrl();
    static QString openStreetMapAttribution();
    // "FleetDesk/<application version> (+https://fleetdesk.example.org)".
    static QByteArray userAgent();
    // <QStandardPaths::CacheLocation>/tiles
    static QString defaultCacheDirectory();
    // Why a template cannot work (no {z}, not http(s), unknown placeholder,
    // ...); empty when it can.
    static QString checkTemplate(const QString &urlTemplate,
                                 const QStringList &subdomains = {QStringLiteral("a"), QStringLiteral("b"),
                                                                  QStringLiteral("c")});

    explicit XyzTileSource(const QString &urlTemplate = openStreetMapUrl(), QObject *parent = nullptr);
    ~XyzTileSource() override;

    // A source with an unusable template fails every request with errorString().
    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    QString urlTemplate() const { return m_template; }
    QUrl tileUrl(TileId tile) const;

    QString name() const override { return m_name; }
    QString attribution() const override { return m_attribution; }
    int minZoom() const override { return m_minZoom; }
    int maxZoom() const override { return m_maxZoom; }
    void setName(const QString &name) { m_name = name; }
    void setAttribution(const QString &attribution) { m_attribution = attribution; }
    // Clamped to 0..kMaxZoom.
    void setZoomRange(int minZoom, int maxZoom);
    // Default a, b, c.
    void setSubdomains(const QStringList &subdomains);
    QStringList subdomains() const { return m_subdomains; }

    void setCacheDirectory(const QString &directory);
    QString cacheDirectory() const;
    void setCacheSize(qint64 bytes);
    qint64 cacheSize() const;
    void setTransferTimeout(int ms) { m_transferTimeoutMs = ms; }

    void requestTile(TileId tile) override;
    void cancelTile(TileId tile) override;
    void cancelAll() override;
    int pendingCount() const override;
    // Requests on the wire now (at most kMaxConcurrentRequests).
    int requestsInFlight() const { return int(m_loading.size()); }

private:
    using CancelFlag = std::shared_ptr<std::atomic_bool>;
    void startNext();
    void loaded(TileId tile, QNetworkReply *reply);
    void decoded(TileId tile, const CancelFlag &job, const QImage &image, qsizetype bytes);

    QString m_template;
    QString m_error;
    QString m_name;
    QString m_attribution;
    QStringList m_subdomains;
    int m_minZoom = 0;
    int m_maxZoom = kMaxZoom;
    int m_transferTimeoutMs = kDefaultTransferTimeoutMs;

    QNetworkAccessManager *m_network;
    QNetworkDiskCache *m_cache;
    std::deque<TileId> m_queue;
    QHash<TileId, QNetworkReply *> m_loading;
    QHash<TileId, CancelFlag> m_decoding;
    QThreadPool m_decoders;
};

} // namespace Fleet::Map
