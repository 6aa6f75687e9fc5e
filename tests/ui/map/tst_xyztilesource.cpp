// XyzTileSource against a tile server in the test (Fleet::Http::Server over
// loopback): URL templates, the User-Agent, the disk cache, HTTP errors, the
// limit of two requests at once, cancellation.

#include "map/xyztilesource.h"
#include "net/httpserver.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Fleet::Map;
using Fleet::Http::Request;
using Fleet::Http::Responder;
using Fleet::Http::Response;

namespace {

QColor colourFor(TileId t)
{
    return QColor(30 + t.z * 10, 30 + t.x * 7 % 200, 30 + t.y * 11 % 200);
}

QByteArray png(const QColor &colour)
{
    QImage image(kTileSize, kTileSize, QImage::Format_RGB32);
    image.fill(colour);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

// "/a/3/4/2.png" → 3/4/2
TileId tileOfPath(const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() < 3)
        return TileId{-1, 0, 0};
    const int n = int(parts.size());
    QString last = parts[n - 1];
    last.chop(4);
    return TileId{parts[n - 3].toInt(), parts[n - 2].toInt(), last.toInt()};
}

// Serves PNG tiles whose colour encodes z/x/y; answers can be held back and
// errors configured per tile.
class TileServer
{
public:
    TileServer()
        : m_server([this](const Request &r, const Responder &a) { handle(r, a); })
    { }

    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    void stop() { m_server.close(); }
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString &pathTemplate = QStringLiteral("/{s}/{z}/{x}/{y}.png")) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(pathTemplate);
    }

    int hits(TileId t) const { return m_hits.value(t); }
    int totalHits() const { return m_paths.size(); }
    // Held answers whose client is still connected.
    int openHeld() const
    {
        return int(
            std::count_if(m_held.begin(), m_held.end(), [](const auto &h) { return h.second.context() != nullptr; }));
    }
    void releaseFirst()
    {
        if (m_held.isEmpty())
            return;
        const auto [path, responder] = m_held.takeFirst();
        responder.answer(response(path));
    }
    void releaseAll()
    {
        while (!m_held.isEmpty())
            releaseFirst();
    }

    bool hold = false;
    QHash<TileId, int> status; // other than 200
    QHash<TileId, QByteArray> body; // other than a PNG
    QList<QByteArray> userAgents;
    QStringList m_paths;
    int maxOpen = 0;

private:
    void handle(const Request &request, const Responder &responder)
    {
        m_paths << request.path;
        userAgents << request.header("user-agent");
        ++m_hits[tileOfPath(request.path)];
        if (hold) {
            m_held.append({request.path, responder});
            maxOpen = std::max(maxOpen, openHeld());
            return;
        }
        responder.answer(response(request.path));
    }

    Response response(const QString &path) const
    {
        const TileId t = tileOfPath(path);
        Response r;
        r.status = status.value(t, 200);
        if (r.status == 200) {
            r.contentType = "image/png";
            r.body = body.contains(t) ? body.value(t) : png(colourFor(t));
            r.headers.emplaceBack(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("max-age=86400"));
        } else {
            r.contentType = "text/plain";
            r.body = "no";
        }
        return r;
    }

    Fleet::Http::Server m_server;
    QHash<TileId, int> m_hits;
    QList<std::pair<QString, Responder>> m_held;
};

TileFailure failureOf(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(1).value<TileFailure>();
}

} // namespace

class tst_XyzTileSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void substitutesTheTemplate();
    void rejectsBadTemplates_data();
    void rejectsBadTemplates();
    void openStreetMapDefaults();
    void userAgentNamesTheVersion();
    void fetchesAndDecodes();
    void diskCacheAnswersTheSecondRequest();
    void notFound_data();
    void notFound();
    void serverErrorsAreRetryable_data();
    void serverErrorsAreRetryable();
    void otherAnswersArePermanent();
    void connectionRefusedIsRetryable();
    void timeoutIsRetryable();
    void undecodableBodyIsPermanent();
    void neverMoreThanTwoInFlight();
    void cancelInFlightAndQueued();
    void cancelAllDropsEverything();
    void zoomOutsideTheRangeIsNotFound();
    void askingTwiceAnswersOnce();

private:
    std::unique_ptr<XyzTileSource> makeSource(const QString &urlTemplate);

    std::unique_ptr<TileServer> m_server;
    std::unique_ptr<QTemporaryDir> m_cacheDir;
};

void tst_XyzTileSource::initTestCase()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
}

void tst_XyzTileSource::init()
{
    m_server = std::make_unique<TileServer>();
    QVERIFY(m_server->start());
    m_cacheDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_cacheDir->isValid());
}

void tst_XyzTileSource::cleanup()
{
    m_server.reset();
    m_cacheDir.reset();
}

std::unique_ptr<XyzTileSource> tst_XyzTileSource::makeSource(const QString &urlTemplate)
{
    auto source = std::make_unique<XyzTileSource>(urlTemplate);
    source->setCacheDirectory(m_cacheDir->path());
    return source;
}

void tst_XyzTileSource::substitutesTheTemplate()
{
    XyzTileSource source(QStringLiteral("https://{s}.tiles.example.org/base/{z}/{x}/{y}@2x.png?key=1"));
    QVERIFY2(source.isValid(), qPrintable(source.errorString()));
    QCOMPARE(source.tileUrl({3, 4, 2}), QUrl(QStringLiteral("https://a.tiles.example.org/base/3/4/2@2x.png?key=1")));
    // The subdomain follows the tile, so one tile always has one URL (and one cache entry).
    QCOMPARE(source.tileUrl({3, 4, 3}).host(), QStringLiteral("b.tiles.example.org"));
    QCOMPARE(source.tileUrl({3, 5, 3}).host(), QStringLiteral("c.tiles.example.org"));
    QCOMPARE(source.tileUrl({3, 4, 3}), source.tileUrl({3, 4, 3}));
    source.setSubdomains({QStringLiteral("t0"), QStringLiteral("t1")});
    QCOMPARE(source.tileUrl({3, 4, 3}).host(), QStringLiteral("t1.tiles.example.org"));
    QCOMPARE(source.name(), QStringLiteral("a.tiles.example.org"));
    QCOMPARE(source.attribution(), QStringLiteral("Map tiles: a.tiles.example.org"));

    XyzTileSource tms(QStringLiteral("http://tms.example.org/{z}/{x}/{-y}.jpg"));
    QVERIFY(tms.isValid());
    QCOMPARE(tms.tileUrl({3, 1, 0}), QUrl(QStringLiteral("http://tms.example.org/3/1/7.jpg")));
    QCOMPARE(tms.urlTemplate(), QStringLiteral("http://tms.example.org/{z}/{x}/{-y}.jpg"));
}

void tst_XyzTileSource::rejectsBadTemplates_data()
{
    QTest::addColumn<QString>("urlTemplate");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QString() << QStringLiteral("empty");
    QTest::newRow("no z") << QStringLiteral("https://t.example.org/{x}/{y}.png") << QStringLiteral("no {z}");
    QTest::newRow("no x") << QStringLiteral("https://t.example.org/{z}/{y}.png") << QStringLiteral("no {x}");
    QTest::newRow("no y") << QStringLiteral("https://t.example.org/{z}/{x}.png") << QStringLiteral("no {y}");
    QTest::newRow("unknown placeholder") << QStringLiteral("https://t.example.org/{z}/{x}/{y}.png?k={apikey}")
                                         << QStringLiteral("unknown placeholder {apikey}");
    QTest::newRow("ftp") << QStringLiteral("ftp://t.example.org/{z}/{x}/{y}.png")
                         << QStringLiteral("http:// or https://");
    QTest::newRow("no scheme") << QStringLiteral("t.example.org/{z}/{x}/{y}.png")
                               << QStringLiteral("http:// or https://");
    QTest::newRow("no host") << QStringLiteral("http:///{z}/{x}/{y}.png") << QStringLiteral("no host");
    QTest::newRow("bad url") << QStringLiteral("http://exa mple.org/{z}/{x}/{y}.png")
                             << QStringLiteral("not a valid URL");
}

void tst_XyzTileSource::rejectsBadTemplates()
{
    QFETCH(QString, urlTemplate);
    QFETCH(QString, error);
    QVERIFY2(XyzTileSource::checkTemplate(urlTemplate).contains(error),
             qPrintable(XyzTileSource::checkTemplate(urlTemplate)));
    XyzTileSource source(urlTemplate);
    QVERIFY(!source.isValid());
    QVERIFY(source.errorString().contains(error));
    // Every request fails with that reason, later, without touching the network.
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({1, 0, 0});
    QCOMPARE(failed.size(), 0);
    QVERIFY(failed.wait(5000));
    QCOMPARE(failureOf(failed, 0), TileFailure::Permanent);
    QCOMPARE(failed.at(0).at(2).toString(), source.errorString());
}

void tst_XyzTileSource::openStreetMapDefaults()
{
    XyzTileSource source;
    QVERIFY(source.isValid());
    QCOMPARE(source.urlTemplate(), QStringLiteral("https://tile.openstreetmap.org/{z}/{x}/{y}.png"));
    QCOMPARE(source.name(), QStringLiteral("OpenStreetMap"));
    QCOMPARE(source.attribution(), QStringLiteral("© OpenStreetMap contributors"));
    QCOMPARE(source.minZoom(), 0);
    QCOMPARE(source.maxZoom(), 19);
    QCOMPARE(source.cacheDirectory(),
             QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/tiles"));
    QCOMPARE(source.cacheDirectory(), XyzTileSource::defaultCacheDirectory());
    QCOMPARE(source.cacheSize(), 200LL * 1024 * 1024);
    source.setCacheSize(10 * 1024 * 1024);
    QCOMPARE(source.cacheSize(), 10LL * 1024 * 1024);
    QCOMPARE(XyzTileSource::kMaxConcurrentRequests, 2);
    source.setZoomRange(-3, 40);
    QCOMPARE(source.minZoom(), 0);
    QCOMPARE(source.maxZoom(), kMaxZoom);
    QVERIFY(!source.supportsDarkStyle());
}

void tst_XyzTileSource::userAgentNamesTheVersion()
{
    QCOMPARE(XyzTileSource::userAgent(), QByteArray("FleetDesk/9.8.7 (+https://fleetdesk.example.org)"));
    QCoreApplication::setApplicationVersion(QString());
    QCOMPARE(XyzTileSource::userAgent(), QByteArray("FleetDesk/unknown (+https://fleetdesk.example.org)"));
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
}

void tst_XyzTileSource::fetchesAndDecodes()
{
    auto source = makeSource(m_server->url());
    QSignalSpy ready(source.get(), &TileSource::tileReady);
    const TileId tile{3, 4, 2};
    source->requestTile(tile);
    QCOMPARE(ready.size(), 0);
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.at(0).at(0).value<TileId>(), tile);
    const QImage image = ready.at(0).at(1).value<QImage>();
    QCOMPARE(image.format(), QImage::Format_ARGB32_Premultiplied);
    QCOMPARE(image.size(), QSize(kTileSize, kTileSize));
    QCOMPARE(image.pixelColor(10, 10), colourFor(tile));
    QCOMPARE(m_server->m_paths, QStringList{QStringLiteral("/a/3/4/2.png")}); // {s}: (4 + 2) % 3 → "a"
    QCOMPARE(m_server->userAgents.value(0), QByteArray("FleetDesk/9.8.7 (+https://fleetdesk.example.org)"));
    QCOMPARE(source->pendingCount(), 0);
}

void tst_XyzTileSource::diskCacheAnswersTheSecondRequest()
{
    const TileId tile{5, 10, 12};
    {
        auto source = makeSource(m_server->url());
        QSignalSpy ready(source.get(), &TileSource::tileReady);
        source->requestTile(tile);
        QVERIFY(ready.wait(10000));
        QCOMPARE(m_server->hits(tile), 1);
        source->requestTile(tile);
        QVERIFY(ready.wait(10000));
        QCOMPARE(ready.at(1).at(1).value<QImage>().pixelColor(3, 3), colourFor(tile));
        QCOMPARE(m_server->hits(tile), 1); // from the disk cache
    }
    // A new source (the next run of the application) finds it on disk too.
    auto later = makeSource(m_server->url());
    QSignalSpy ready(later.get(), &TileSource::tileReady);
    later->requestTile(tile);
    QVERIFY(ready.wait(10000));
    QCOMPARE(m_server->hits(tile), 1);
    QVERIFY(!QDir(m_cacheDir->path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
}

void tst_XyzTileSource::notFound_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("404") << 404;
    QTest::newRow("410") << 410;
}

void tst_XyzTileSource::notFound()
{
    QFETCH(int, status);
    const TileId tile{4, 1, 1};
    m_server->status.insert(tile, status);
    auto source = makeSource(m_server->url());
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    source->requestTile(tile);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.at(0).at(0).value<TileId>(), tile);
    QCOMPARE(failureOf(failed, 0), TileFailure::NotFound);
    QVERIFY(failed.at(0).at(2).toString().contains(QString::number(status)));
}

void tst_XyzTileSource::serverErrorsAreRetryable_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("500") << 500;
    QTest::newRow("503") << 503;
    QTest::newRow("429") << 429;
    QTest::newRow("408") << 408;
}

void tst_XyzTileSource::serverErrorsAreRetryable()
{
    QFETCH(int, status);
    const TileId tile{4, 2, 1};
    m_server->status.insert(tile, status);
    auto source = makeSource(m_server->url());
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    source->requestTile(tile);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failureOf(failed, 0), TileFailure::Retryable);
    QVERIFY(failed.at(0).at(2).toString().contains(QString::number(status)));
    // A failure is not cached: the next request goes to the server again.
    m_server->status.remove(tile);
    QSignalSpy ready(source.get(), &TileSource::tileReady);
    source->requestTile(tile);
    QVERIFY(ready.wait(10000));
    QCOMPARE(m_server->hits(tile), 2);
}

void tst_XyzTileSource::otherAnswersArePermanent()
{
    const TileId tile{4, 3, 1};
    m_server->status.insert(tile, 403);
    auto source = makeSource(m_server->url());
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    source->requestTile(tile);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failureOf(failed, 0), TileFailure::Permanent);
    QVERIFY(failed.at(0).at(2).toString().contains(QLatin1String("403")));
}

void tst_XyzTileSource::connectionRefusedIsRetryable()
{
    const QString url = m_server->url();
    m_server->stop(); // nothing listens on that port now
    auto source = makeSource(url);
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    source->requestTile({2, 1, 1});
    QVERIFY(failed.wait(10000));
    QCOMPARE(failureOf(failed, 0), TileFailure::Retryable);
    QVERIFY(!failed.at(0).at(2).toString().isEmpty());
}

void tst_XyzTileSource::timeoutIsRetryable()
{
    m_server->hold = true;
    auto source = makeSource(m_server->url());
    source->setTransferTimeout(300);
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    source->requestTile({2, 1, 1});
    QVERIFY(failed.wait(10000));
    QCOMPARE(failureOf(failed, 0), TileFailure::Retryable);
    QCOMPARE(source->requestsInFlight(), 0);
}

void tst_XyzTileSource::undecodableBodyIsPermanent()
{
    const TileId tile{4, 4, 4};
    m_server->body.insert(tile, QByteArray("<html>Sorry</html>"));
    auto source = makeSource(m_server->url());
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    source->requestTile(tile);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failureOf(failed, 0), TileFailure::Permanent);
    QVERIFY2(failed.at(0).at(2).toString().contains(QLatin1String("not a PNG or JPEG")),
             qPrintable(failed.at(0).at(2).toString()));
}

void tst_XyzTileSource::neverMoreThanTwoInFlight()
{
    m_server->hold = true;
    auto source = makeSource(m_server->url());
    QSignalSpy ready(source.get(), &TileSource::tileReady);
    for (int x = 0; x < 7; ++x)
        source->requestTile({6, x, 9});
    QCOMPARE(source->pendingCount(), 7);
    QCOMPARE(source->requestsInFlight(), 2);
    QTRY_COMPARE(m_server->openHeld(), 2);
    QCOMPARE(m_server->totalHits(), 2);
    // A third request before an answer went back would find both held answers
    // open: the server notes the most it saw at once (maxOpen, checked below
    // once all seven have come in).
    // One answer lets exactly one more request out.
    int answered = 0;
    while (answered < 7) {
        m_server->releaseFirst();
        ++answered;
        QTRY_COMPARE(ready.size(), answered);
        QTRY_COMPARE(m_server->totalHits(), std::min(7, answered + 2));
        QVERIFY(source->requestsInFlight() <= 2);
    }
    QCOMPARE(m_server->maxOpen, 2);
    QCOMPARE(source->pendingCount(), 0);
    // In the order asked for.
    for (int i = 0; i < 7; ++i)
        QCOMPARE(ready.at(i).at(0).value<TileId>(), (TileId{6, i, 9}));
}

void tst_XyzTileSource::cancelInFlightAndQueued()
{
    m_server->hold = true;
    auto source = makeSource(m_server->url());
    QSignalSpy ready(source.get(), &TileSource::tileReady);
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    const TileId a{6, 1, 1}, b{6, 2, 1}, c{6, 3, 1}, d{6, 4, 1};
    for (const TileId t : {a, b, c, d})
        source->requestTile(t);
    QTRY_COMPARE(m_server->totalHits(), 2); // a and b on the wire
    source->cancelTile(a); // on the wire: aborted, c goes out
    source->cancelTile(d); // queued: never asked for
    source->cancelTile({9, 9, 9}); // unknown: ignored
    QCOMPARE(source->pendingCount(), 2);
    QTRY_COMPARE(m_server->hits(c), 1);
    QTRY_COMPARE(m_server->openHeld(), 2);
    m_server->releaseAll();
    QTRY_COMPARE(ready.size(), 2);
    // With b and c answered nothing is under way (a's aborted request is
    // disconnected), so nothing more can come; what was posted is delivered now.
    QCOMPARE(source->pendingCount(), 0);
    QCoreApplication::sendPostedEvents();
    QCOMPARE(ready.size(), 2);
    QCOMPARE(failed.size(), 0);
    // Decoding runs on two threads: either may finish first.
    const QSet<TileId> answered{ready.at(0).at(0).value<TileId>(), ready.at(1).at(0).value<TileId>()};
    QCOMPARE(answered, (QSet<TileId>{b, c}));
    QCOMPARE(m_server->hits(d), 0);
}

void tst_XyzTileSource::cancelAllDropsEverything()
{
    m_server->hold = true;
    auto source = makeSource(m_server->url());
    QSignalSpy ready(source.get(), &TileSource::tileReady);
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    for (int x = 0; x < 5; ++x)
        source->requestTile({5, x, 3});
    QTRY_COMPARE(m_server->totalHits(), 2);
    source->requestTile({25, 0, 0}); // beyond the zoom range: a failure on its way
    source->cancelAll();
    QCOMPARE(source->pendingCount(), 0);
    QCOMPARE(source->requestsInFlight(), 0);
    m_server->releaseAll();
    // The failure was already posted: delivered now, it is dropped.
    QCoreApplication::sendPostedEvents();
    QCOMPARE(failed.size(), 0);
    // Nothing is under way (above): the aborted requests are disconnected and
    // the queue is empty, so nothing else can be asked for or answered. A
    // request now is served alone: the server's third, the only answer.
    m_server->hold = false;
    const TileId next{5, 9, 3};
    source->requestTile(next);
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.size(), 1);
    QCOMPARE(ready.at(0).at(0).value<TileId>(), next);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(m_server->totalHits(), 3);
    QCOMPARE(m_server->hits(next), 1);
}

void tst_XyzTileSource::zoomOutsideTheRangeIsNotFound()
{
    auto source = makeSource(m_server->url());
    source->setZoomRange(2, 5);
    QSignalSpy failed(source.get(), &TileSource::tileFailed);
    source->requestTile({6, 0, 0});
    source->requestTile({1, 0, 0});
    QTRY_COMPARE(failed.size(), 2);
    QCOMPARE(failureOf(failed, 0), TileFailure::NotFound);
    QCOMPARE(failureOf(failed, 1), TileFailure::NotFound);
    QCOMPARE(m_server->totalHits(), 0);
}

void tst_XyzTileSource::askingTwiceAnswersOnce()
{
    auto source = makeSource(m_server->url());
    QSignalSpy ready(source.get(), &TileSource::tileReady);
    source->requestTile({3, 1, 1});
    source->requestTile({3, 1, 1});
    QCOMPARE(source->pendingCount(), 1);
    QVERIFY(ready.wait(10000));
    // Nothing else is under way, so nothing else can be asked for or answered.
    QCOMPARE(source->pendingCount(), 0);
    QCoreApplication::sendPostedEvents();
    QCOMPARE(ready.size(), 1);
    QCOMPARE(m_server->totalHits(), 1);
}

QTEST_MAIN(tst_XyzTileSource)
#include "tst_xyztilesource.moc"
