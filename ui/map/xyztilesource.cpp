#include "xyztilesource.h"

#include "maplog.h"

#include <QCoreApplication>
#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkDiskCache>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

namespace Fleet::Map {

namespace {

QString substitute(QString text, TileId tile, const QStringList &subdomains)
{
    text.replace(QLatin1String("{z}"), QString::number(tile.z));
    text.replace(QLatin1String("{x}"), QString::number(tile.x));
    text.replace(QLatin1String("{-y}"), QString::number((1 << tile.z) - 1 - tile.y));
    text.replace(QLatin1String("{y}"), QString::number(tile.y));
    if (!subdomains.isEmpty())
        text.replace(QLatin1String("{s}"), subdomains.at((tile.x + tile.y) % subdomains.size()));
    return text;
}

bool isOpenStreetMapHost(const QString &host)
{
    return host == QLatin1String("openstreetmap.org") || host.endsWith(QLatin1String(".openstreetmap.org"));
}

} // namespace

QString XyzTileSource::openStreetMapUrl()
{
    return QStringLiteral("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
}

QString XyzTileSource::openStreetMapAttribution()
{
    return QStringLiteral("© OpenStreetMap contributors");
}

QByteArray XyzTileSource::userAgent()
{
    QString version = QCoreApplication::applicationVersion();
    if (version.isEmpty())
        version = QStringLiteral("unknown");
    return QStringLiteral("FleetDesk/%1 (+https://fleetdesk.example.org)").arg(version).toUtf8();
}

QString XyzTileSource::defaultCacheDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/tiles");
}

QString XyzTileSource::checkTemplate(const QString &urlTemplate, const QStringList &subdomains)
{
    if (urlTemplate.trimmed().isEmpty())
        return tr("the tile URL is empty");
    for (const QLatin1String placeholder : {QLatin1String("{z}"), QLatin1String("{x}")}) {
        if (!urlTemplate.contains(placeholder))
            return tr("the tile URL has no %1").arg(placeholder);
    }
    if (!urlTemplate.contains(QLatin1String("{y}")) && !urlTemplate.contains(QLatin1String("{-y}")))
        return tr("the tile URL has no {y}");
    if (urlTemplate.contains(QLatin1String("{s}")) && subdomains.isEmpty())
        return tr("the tile URL has {s} but no subdomains are set");
    const QString sample = substitute(urlTemplate, TileId{1, 1, 1},
                                      subdomains.isEmpty() ? QStringList{QStringLiteral("a")} : subdomains);
    static const QRegularExpression unknown(QStringLiteral("\\{[^}]*\\}"));
    if (const QRegularExpressionMatch m = unknown.match(sample); m.hasMatch())
        return tr("the tile URL has an unknown placeholder %1").arg(m.captured());
    const QUrl url(sample, QUrl::StrictMode);
    if (!url.isValid())
        return tr("the tile URL is not a valid URL: %1").arg(url.errorString());
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return tr("the tile URL must start with http:// or https://");
    if (url.host().isEmpty())
        return tr("the tile URL has no host");
    return {};
}

XyzTileSource::XyzTileSource(const QString &urlTemplate, QObject *parent)
    : TileSource(parent)
    , m_template(urlTemplate.trimmed())
    , m_subdomains{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}
    , m_network(new QNetworkAccessManager(this))
    , m_cache(new QNetworkDiskCache(this))
{
    m_error = checkTemplate(m_template, m_subdomains);
    const QString host = QUrl(substitute(m_template, TileId{0, 0, 0}, m_subdomains)).host();
    if (isOpenStreetMapHost(host)) {
        m_name = QStringLiteral("OpenStreetMap");
        m_attribution = openStreetMapAttribution();
    } else {
        m_name = host.isEmpty() ? m_template : host;
        m_attribution = host.isEmpty() ? QString() : tr("Map tiles: %1").arg(host);
    }
    m_cache->setCacheDirectory(defaultCacheDirectory());
    m_cache->setMaximumCacheSize(kDefaultCacheSize);
    m_network->setCache(m_cache);
    m_decoders.setMaxThreadCount(2);
    m_decoders.setObjectName(QStringLiteral("fleet.map.decode"));
}

XyzTileSource::~XyzTileSource()
{
    XyzTileSource::cancelAll(); // this class's own: no virtual dispatch in a destructor
    m_decoders.waitForDone();
}

QUrl XyzTileSource::tileUrl(TileId tile) const
{
    return QUrl(substitute(m_template, tile, m_subdomains));
}

void XyzTileSource::setZoomRange(int minZoom, int maxZoom)
{
    m_minZoom = std::clamp(minZoom, 0, kMaxZoom);
    m_maxZoom = std::clamp(maxZoom, m_minZoom, kMaxZoom);
}

void XyzTileSource::setSubdomains(const QStringList &subdomains)
{
    m_subdomains = subdomains;
    m_error = checkTemplate(m_template, m_subdomains);
}

void XyzTileSource::setCacheDirectory(const QString &directory)
{
    m_cache->setCacheDirectory(directory);
}

QString XyzTileSource::cacheDirectory() const
{
    return QDir::cleanPath(m_cache->cacheDirectory());
}

void XyzTileSource::setCacheSize(qint64 bytes)
{
    m_cache->setMaximumCacheSize(bytes);
}

qint64 XyzTileSource::cacheSize() const
{
    return m_cache->maximumCacheSize();
}

int XyzTileSource::pendingCount() const
{
    return int(m_queue.size() + m_loading.size() + m_decoding.size()) + deferredCount();
}

void XyzTileSource::requestTile(TileId tile)
{
    if (isDeferred(tile) || m_loading.contains(tile) || m_decoding.contains(tile)
        || std::find(m_queue.begin(), m_queue.end(), tile) != m_queue.end())
        return;
    if (!isValid()) {
        failLater(tile, TileFailure::Permanent, m_error);
        return;
    }
    if (!tile.isValid()) {
        failLater(tile, TileFailure::Permanent, tr("no such tile: %1").arg(tile.toString()));
        return;
    }
    if (tile.z < m_minZoom || tile.z > m_maxZoom) {
        failLater(tile, TileFailure::NotFound,
                  tr("zoom %1 is outside the source's range %2–%3").arg(tile.z).arg(m_minZoom).arg(m_maxZoom));
        return;
    }
    m_queue.push_back(tile);
    startNext();
}

void XyzTileSource::startNext()
{
    while (m_loading.size() < kMaxConcurrentRequests && !m_queue.empty()) {
        const TileId tile = m_queue.front();
        m_queue.pop_front();
        QNetworkRequest request(tileUrl(tile));
        request.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
        request.setRawHeader("Accept", "image/png,image/jpeg;q=0.9,image/*;q=0.8");
        request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::PreferCache);
        request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, true);
        request.setTransferTimeout(m_transferTimeoutMs);
        QNetworkReply *reply = m_network->get(request);
        m_loading.insert(tile, reply);
        connect(reply, &QNetworkReply::finished, this, [this, tile, reply] { loaded(tile, reply); });
    }
}

void XyzTileSource::loaded(TileId tile, QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_loading.value(tile) != reply)
        return;
    m_loading.remove(tile);

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    const bool fromCache = reply->attribute(QNetworkRequest::SourceIsFromCacheAttribute).toBool();
    qCDebug(lcMap) << "tile" << tile.toString() << "HTTP" << status << error << (fromCache ? "(cache)" : "");

    if (error == QNetworkReply::NoError && status >= 200 && status < 300) {
        const QByteArray bytes = reply->readAll();
        const CancelFlag job = std::make_shared<std::atomic_bool>(false);
        m_decoding.insert(tile, job);
        m_decoders.start([this, tile, job, bytes] {
            if (job->load())
                return;
            QImage image = QImage::fromData(bytes);
            if (!image.isNull())
                image.convertTo(QImage::Format_ARGB32_Premultiplied);
            if (job->load())
                return;
            const qsizetype size = bytes.size();
            // The destructor waits for the pool, so `this` outlives the job.
            QMetaObject::invokeMethod(
                this, [this, tile, job, image, size] { decoded(tile, job, image, size); }, Qt::QueuedConnection);
        });
        startNext();
        return;
    }

    TileFailure failure = TileFailure::Permanent;
    QString reason;
    if (status == 404 || status == 410) {
        failure = TileFailure::NotFound;
        reason = tr("HTTP %1: no such tile").arg(status);
    } else if (status >= 500 || status == 408 || status == 429) {
        failure = TileFailure::Retryable;
        reason = tr("HTTP %1 from the tile server").arg(status);
    } else if (status != 0) {
        reason = tr("HTTP %1 from the tile server").arg(status);
    } else {
        // No HTTP answer at all: connection refused, DNS, timeout, TLS.
        failure = TileFailure::Retryable;
        reason = reply->errorString();
    }
    qCDebug(lcMap) << "tile" << tile.toString() << "failed:" << reason;
    startNext();
    Q_EMIT tileFailed(tile, failure, reason);
}

void XyzTileSource::decoded(TileId tile, const CancelFlag &job, const QImage &image, qsizetype bytes)
{
    if (m_decoding.value(tile) != job)
        return;
    m_decoding.remove(tile);
    if (image.isNull())
        Q_EMIT tileFailed(tile, TileFailure::Permanent,
                          tr("the tile server sent %1 bytes that are not a PNG or JPEG image").arg(bytes));
    else
        Q_EMIT tileReady(tile, image);
}

void XyzTileSource::cancelTile(TileId tile)
{
    cancelDeferred(tile);
    if (const auto it = std::find(m_queue.begin(), m_queue.end(), tile); it != m_queue.end())
        m_queue.erase(it);
    if (const CancelFlag job = m_decoding.take(tile))
        job->store(true);
    if (QNetworkReply *reply = m_loading.take(tile)) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
        startNext();
    }
}

void XyzTileSource::cancelAll()
{
    cancelAllDeferred();
    m_queue.clear();
    for (const CancelFlag &job : std::as_const(m_decoding))
        job->store(true);
    m_decoding.clear();
    const QList<QNetworkReply *> replies = m_loading.values();
    m_loading.clear();
    for (QNetworkReply *reply : replies) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace Fleet::Map
