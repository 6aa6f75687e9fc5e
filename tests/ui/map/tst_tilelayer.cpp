// TileLayer with fake tile sources: where tiles are drawn, what stands in for
// a missing one, requests, cancellation, back-off, the cache, switching.

#include "map/mapviewport.h"
#include "map/offlinebasemapsource.h"
#include "map/offlinebasemaprenderer.h"
#include "map/tilelayer.h"
#include "map/tilesource.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QPainter>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace Fleet::Map;

namespace {

QImage solid(const QColor &colour)
{
    QImage image(kTileSize, kTileSize, QImage::Format_ARGB32_Premultiplied);
    image.fill(colour);
    return image;
}

// Four quadrants of different colours: shows which part of an ancestor is drawn.
QImage quadrants()
{
    QImage image(kTileSize, kTileSize, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&image);
    p.fillRect(0, 0, 128, 128, Qt::red);
    p.fillRect(128, 0, 128, 128, Qt::green);
    p.fillRect(0, 128, 128, 128, Qt::blue);
    p.fillRect(128, 128, 128, 128, Qt::yellow);
    return image;
}

QColor colourFor(TileId t)
{
    return QColor(40 + t.x * 50 % 200, 40 + t.y * 70 % 200, 40 + t.z * 20 % 200);
}

class FakeSource : public TileSource
{
    Q_OBJECT
public:
    explicit FakeSource(QString name = QStringLiteral("Fake"), int minZoom = 0, int maxZoom = kMaxZoom)
        : m_name(std::move(name))
        , m_min(minZoom)
        , m_max(maxZoom)
    { }

    QString name() const override { return m_name; }
    QString attribution() const override { return QStringLiteral("© ") + m_name; }
    int minZoom() const override { return m_min; }
    int maxZoom() const override { return m_max; }
    void requestTile(TileId tile) override
    {
        QVERIFY2(!pending.contains(tile), "asked twice for a pending tile");
        requests << tile;
        pending.insert(tile);
    }
    void cancelTile(TileId tile) override
    {
        cancelled << tile;
        pending.remove(tile);
    }
    void cancelAll() override
    {
        ++cancelAllCount;
        if (cancelAllCounter)
            ++*cancelAllCounter;
        pending.clear();
    }
    int pendingCount() const override { return int(pending.size()); }
    bool supportsDarkStyle() const override { return styleable; }
    void setDarkStyle(bool d) override { dark = d; }

    void answer(TileId tile, const QImage &image)
    {
        QVERIFY(pending.remove(tile));
        Q_EMIT tileReady(tile, image);
    }
    void answer(TileId tile) { answer(tile, solid(colourFor(tile))); }
    void answerAll()
    {
        const QList<TileId> all = pending.values();
        for (const TileId &t : all)
            answer(t);
    }
    void fail(TileId tile, TileFailure failure)
    {
        QVERIFY(pending.remove(tile));
        Q_EMIT tileFailed(tile, failure, QStringLiteral("test failure"));
    }
    int requestCount(TileId tile) const { return int(requests.count(tile)); }

    QList<TileId> requests;
    QList<TileId> cancelled;
    QSet<TileId> pending;
    int cancelAllCount = 0;
    int *cancelAllCounter = nullptr;
    bool styleable = false;
    bool dark = false;

private:
    QString m_name;
    int m_min;
    int m_max;
};

const QColor kHole(255, 0, 255);

struct Rig
{
    FakeSource *source = nullptr;
    FakeSource *fallback = nullptr;
    std::unique_ptr<TileLayer> layer;
};

Rig makeRig(int minZoom = 0, int maxZoom = kMaxZoom)
{
    Rig rig;
    auto fallback = std::make_unique<FakeSource>(QStringLiteral("Offline"));
    rig.fallback = fallback.get();
    rig.layer = std::make_unique<TileLayer>(std::move(fallback));
    auto source = std::make_unique<FakeSource>(QStringLiteral("Primary"), minZoom, maxZoom);
    rig.source = source.get();
    rig.layer->setSource(std::move(source));
    return rig;
}

QImage paint(TileLayer &layer, const MapViewport &view)
{
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(kHole);
    QPainter p(&image);
    layer.paint(&p, view);
    return image;
}

// 512×512 around the world's centre at z 2: tiles x 1..2, y 1..2, unscaled.
MapViewport centreAtZ2()
{
    return MapViewport(QPointF(0.5, 0.5), 2.0, QSize(512, 512));
}

} // namespace

class tst_TileLayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestsAndDrawsVisibleTiles();
    void missingTileShowsFallbackThenSea();
    void ancestorStandsIn();
    void failedTilesShowTheOfflineBasemap_data();
    void failedTilesShowTheOfflineBasemap();
    void retryableFailureBacksOff();
    void retryTimerAsksForARepaint();
    void wrapsAroundTheAntimeridian();
    void worldRepeatsWhenNarrowerThanTheView();
    void viewTallerThanTheWorld();
    void cancelsTilesThatLeftTheView();
    void switchingSourceDropsItsTiles();
    void cacheHonoursItsLimit();
    void darkStyleReachesTheSources();
    void zoomBeyondTheSourceScalesItsDeepestTiles();
    void zoomBelowTheSourceUsesTheFallback();
    void offlineSourceIsNotDoubled();
    void noFallbackGivesSea();
    void fallbackFailureGivesSea();
    void emptyImageCountsAsFailure();
    void failureRecordsStayBounded();
    void defaultLayerDrawsTheOfflineBasemap();
    void fractionalZoomScalesTiles();
    void paintIsFast();
};

void tst_TileLayer::requestsAndDrawsVisibleTiles()
{
    Rig rig = makeRig();
    QSignalSpy updated(rig.layer.get(), &TileLayer::updated);
    paint(*rig.layer, centreAtZ2());
    QCOMPARE(rig.source->pending.size(), 4);
    for (const TileId t : {TileId{2, 1, 1}, TileId{2, 2, 1}, TileId{2, 1, 2}, TileId{2, 2, 2}})
        QVERIFY(rig.source->pending.contains(t));
    // Painting again asks for nothing new.
    paint(*rig.layer, centreAtZ2());
    QCOMPARE(rig.source->requests.size(), 4);

    rig.source->answerAll();
    QCOMPARE(updated.size(), 4);
    const QImage image = paint(*rig.layer, centreAtZ2());
    QCOMPARE(image.pixelColor(0, 0), colourFor({2, 1, 1}));
    QCOMPARE(image.pixelColor(255, 255), colourFor({2, 1, 1}));
    QCOMPARE(image.pixelColor(256, 0), colourFor({2, 2, 1}));
    QCOMPARE(image.pixelColor(0, 256), colourFor({2, 1, 2}));
    QCOMPARE(image.pixelColor(511, 511), colourFor({2, 2, 2}));
    QCOMPARE(rig.layer->cachedTileCount(), 4);
    QCOMPARE(rig.layer->attribution(), QStringLiteral("© Primary"));
}

void tst_TileLayer::missingTileShowsFallbackThenSea()
{
    Rig rig = makeRig();
    QImage image = paint(*rig.layer, centreAtZ2());
    // Nothing cached anywhere: the sea colour, never a hole; the fallback is asked.
    QCOMPARE(image.pixelColor(100, 100), rig.layer->backgroundColor());
    QCOMPARE(rig.layer->backgroundColor(), OfflineBasemapStyle::light().sea);
    QCOMPARE(rig.fallback->pending.size(), 4);

    rig.fallback->answer({2, 1, 1}, solid(Qt::darkGreen));
    image = paint(*rig.layer, centreAtZ2());
    QCOMPARE(image.pixelColor(100, 100), QColor(Qt::darkGreen));
    QCOMPARE(image.pixelColor(300, 300), rig.layer->backgroundColor());
    // What stands in is credited too.
    QCOMPARE(rig.layer->attribution(), QStringLiteral("© Primary · © Offline"));

    // The source's tile replaces the stand-in; the fallback request it no longer needs is cancelled.
    rig.source->answer({2, 2, 2});
    image = paint(*rig.layer, centreAtZ2());
    QCOMPARE(image.pixelColor(300, 300), colourFor({2, 2, 2}));
    QVERIFY(rig.fallback->cancelled.contains(TileId{2, 2, 2}));
    QVERIFY(!rig.fallback->pending.contains(TileId{2, 2, 2}));
}

void tst_TileLayer::ancestorStandsIn()
{
    Rig rig = makeRig();
    const MapViewport z1(QPointF(0.5, 0.5), 1.0, QSize(512, 512));
    paint(*rig.layer, z1);
    QCOMPARE(rig.source->pending.size(), 4);
    rig.source->answer({1, 0, 0}, quadrants());
    rig.source->answerAll();
    rig.fallback->requests.clear();

    // At z 2 the centre view shows tiles 1..2; tile (2,1,1) is the bottom-right
    // quarter of (1,0,0): yellow, drawn 256 px wide.
    const QImage image = paint(*rig.layer, centreAtZ2());
    QCOMPARE(rig.source->pending.size(), 4);
    QCOMPARE(image.pixelColor(128, 128), QColor(Qt::yellow));
    QCOMPARE(image.pixelColor(300, 300), colourFor({1, 1, 1}));
    // With an ancestor there, the offline basemap is not asked.
    QVERIFY(rig.fallback->requests.isEmpty());
}

void tst_TileLayer::failedTilesShowTheOfflineBasemap_data()
{
    QTest::addColumn<TileFailure>("failure");
    QTest::newRow("not found") << TileFailure::NotFound;
    QTest::newRow("permanent") << TileFailure::Permanent;
    QTest::newRow("retryable") << TileFailure::Retryable;
}

void tst_TileLayer::failedTilesShowTheOfflineBasemap()
{
    QFETCH(TileFailure, failure);
    Rig rig = makeRig();
    Fleet::ManualClock clock;
    rig.layer->setClock(&clock);
    // An ancestor is cached, but a failed tile shows the offline basemap instead.
    paint(*rig.layer, MapViewport(QPointF(0.5, 0.5), 1.0, QSize(512, 512)));
    rig.source->answerAll();
    paint(*rig.layer, centreAtZ2());
    QSignalSpy updated(rig.layer.get(), &TileLayer::updated);
    rig.source->fail({2, 1, 1}, failure);
    QCOMPARE(updated.size(), 1);
    rig.fallback->requests.clear();
    QImage image = paint(*rig.layer, centreAtZ2());
    QCOMPARE(rig.fallback->requests, (QList<TileId>{TileId{2, 1, 1}}));
    rig.fallback->answer({2, 1, 1}, solid(Qt::darkCyan));
    image = paint(*rig.layer, centreAtZ2());
    QCOMPARE(image.pixelColor(10, 10), QColor(Qt::darkCyan));
    // Not asked again (a retryable one not before its back-off).
    for (int i = 0; i < 5; ++i)
        paint(*rig.layer, centreAtZ2());
    QCOMPARE(rig.source->requestCount({2, 1, 1}), 1);
}

void tst_TileLayer::retryableFailureBacksOff()
{
    Rig rig = makeRig();
    Fleet::ManualClock clock;
    rig.layer->setClock(&clock);
    rig.layer->setRetryDelays(1000, 4000);
    const TileId tile{2, 1, 1};
    paint(*rig.layer, centreAtZ2());
    int asked = 1;
    // Back-off: 1 s, 2 s, 4 s, then 4 s (the cap).
    for (const qint64 delay : {1000, 2000, 4000, 4000}) {
        rig.source->fail(tile, TileFailure::Retryable);
        clock.advanceMs(delay - 1);
        paint(*rig.layer, centreAtZ2());
        QCOMPARE(rig.source->requestCount(tile), asked);
        clock.advanceMs(1);
        paint(*rig.layer, centreAtZ2());
        QCOMPARE(rig.source->requestCount(tile), ++asked);
    }
    rig.source->answer(tile);
    QCOMPARE(paint(*rig.layer, centreAtZ2()).pixelColor(10, 10), colourFor(tile));
    QCOMPARE(rig.source->requestCount(tile), asked);
}

void tst_TileLayer::retryTimerAsksForARepaint()
{
    Rig rig = makeRig();
    rig.layer->setRetryDelays(50, 1000);
    paint(*rig.layer, centreAtZ2());
    QSignalSpy updated(rig.layer.get(), &TileLayer::updated);
    rig.source->fail({2, 1, 1}, TileFailure::Retryable);
    QCOMPARE(updated.size(), 1);
    QVERIFY(updated.wait(5000)); // the back-off is over: repaint
    const auto askedAfterRepaint = [&] {
        paint(*rig.layer, centreAtZ2());
        return rig.source->requestCount({2, 1, 1});
    };
    QTRY_COMPARE(askedAfterRepaint(), 2);
}

void tst_TileLayer::wrapsAroundTheAntimeridian()
{
    Rig rig = makeRig();
    // Centred on 180°: the left half shows the world's east end (x = 3), the right half its west end (x = 0).
    const MapViewport view(QPointF(0.0, 0.5), 2.0, QSize(512, 512));
    paint(*rig.layer, view);
    QCOMPARE(rig.source->pending.size(), 4);
    for (const TileId t : {TileId{2, 3, 1}, TileId{2, 0, 1}, TileId{2, 3, 2}, TileId{2, 0, 2}})
        QVERIFY2(rig.source->pending.contains(t), qPrintable(t.toString()));
    rig.source->answerAll();
    const QImage image = paint(*rig.layer, view);
    QCOMPARE(image.pixelColor(10, 10), colourFor({2, 3, 1}));
    QCOMPARE(image.pixelColor(500, 10), colourFor({2, 0, 1}));
    QCOMPARE(image.pixelColor(10, 500), colourFor({2, 3, 2}));
    QCOMPARE(image.pixelColor(500, 500), colourFor({2, 0, 2}));
}

void tst_TileLayer::worldRepeatsWhenNarrowerThanTheView()
{
    Rig rig = makeRig();
    // z 1: the world is 512 px wide, the view 1500: three copies side by side.
    const MapViewport view(QPointF(0.5, 0.5), 1.0, QSize(1500, 512));
    paint(*rig.layer, view);
    QCOMPARE(rig.source->pending.size(), 4);
    rig.source->answerAll();
    const QImage image = paint(*rig.layer, view);
    for (int x = 0; x + 512 < 1500; x += 97) {
        QCOMPARE(image.pixelColor(x, 100), image.pixelColor(x + 512, 100));
        QVERIFY(image.pixelColor(x, 100) != kHole);
    }
}

void tst_TileLayer::viewTallerThanTheWorld()
{
    Rig rig = makeRig();
    const MapViewport view(QPointF(0.5, 0.5), 1.0, QSize(512, 800));
    paint(*rig.layer, view);
    rig.source->answerAll();
    const QImage image = paint(*rig.layer, view);
    QCOMPARE(image.pixelColor(10, 10), rig.layer->backgroundColor()); // above the world
    QCOMPARE(image.pixelColor(10, 790), rig.layer->backgroundColor()); // below it
    QCOMPARE(image.pixelColor(10, 400 - 200), colourFor({1, 0, 0}));
    QCOMPARE(image.pixelColor(500, 400 + 200), colourFor({1, 1, 1}));
}

void tst_TileLayer::cancelsTilesThatLeftTheView()
{
    Rig rig = makeRig();
    const MapViewport here(QPointF(0.5, 0.5), 6.0, QSize(512, 512));
    paint(*rig.layer, here);
    const QSet<TileId> first = rig.source->pending;
    QVERIFY(first.size() >= 4);
    const MapViewport there(QPointF(0.2, 0.3), 6.0, QSize(512, 512));
    paint(*rig.layer, there);
    for (const TileId &t : first) {
        QVERIFY(rig.source->cancelled.contains(t));
        QVERIFY(!rig.source->pending.contains(t));
    }
    for (const TileId &t : std::as_const(rig.source->pending))
        QVERIFY(!first.contains(t));
    // The fallback's requests for the old place went too.
    for (const TileId &t : first)
        QVERIFY(!rig.fallback->pending.contains(t));
}

void tst_TileLayer::switchingSourceDropsItsTiles()
{
    Rig rig = makeRig();
    int cancelAlls = 0;
    rig.source->cancelAllCounter = &cancelAlls;
    paint(*rig.layer, centreAtZ2());
    rig.source->answer({2, 1, 1});
    rig.fallback->answer({2, 2, 2}, solid(Qt::darkGreen));
    QCOMPARE(rig.layer->cachedTileCount(), 2);
    QPointer<TileSource> old = rig.source;

    QSignalSpy updated(rig.layer.get(), &TileLayer::updated);
    auto next = std::make_unique<FakeSource>(QStringLiteral("Next"));
    FakeSource *nextSource = next.get();
    rig.layer->setSource(std::move(next));
    QCOMPARE(updated.size(), 1);
    QCOMPARE(cancelAlls, 1); // its requests were cancelled
    QTRY_VERIFY(old.isNull()); // and it is deleted
    QCOMPARE(rig.layer->source(), nextSource);
    QCOMPARE(rig.layer->attribution(), QStringLiteral("© Next"));
    QCOMPARE(rig.layer->cachedTileCount(), 1); // only the offline tile stays

    const QImage image = paint(*rig.layer, centreAtZ2());
    QCOMPARE(nextSource->pending.size(), 4);
    QCOMPARE(image.pixelColor(10, 10), rig.layer->backgroundColor()); // the old tile is gone
    QCOMPARE(image.pixelColor(300, 300), QColor(Qt::darkGreen));

    // Null: the offline basemap alone.
    rig.layer->setSource(nullptr);
    QCOMPARE(rig.layer->source(), nullptr);
    QCOMPARE(rig.layer->attribution(), QStringLiteral("© Offline"));
    const QImage offlineOnly = paint(*rig.layer, centreAtZ2());
    QCOMPARE(offlineOnly.pixelColor(300, 300), QColor(Qt::darkGreen));
    QCOMPARE(rig.fallback->pending.size(), 3);
}

void tst_TileLayer::cacheHonoursItsLimit()
{
    Rig rig = makeRig();
    QCOMPARE(rig.layer->cacheLimit(), TileLayer::kDefaultCacheBytes);
    const qint64 tileBytes = solid(Qt::red).sizeInBytes();
    rig.layer->setCacheLimit(3 * tileBytes);
    paint(*rig.layer, centreAtZ2());
    const QList<TileId> order = rig.source->pending.values();
    for (const TileId &t : order)
        rig.source->answer(t);
    QCOMPARE(rig.layer->cachedTileCount(), 3);
    QVERIFY(rig.layer->cacheCost() <= 3 * tileBytes);
    // The evicted one (the least recently used: the first) is asked for again.
    rig.source->requests.clear();
    paint(*rig.layer, centreAtZ2());
    QCOMPARE(rig.source->requests, QList<TileId>{order.first()});
    // A limit smaller than a tile caches nothing and breaks nothing.
    rig.layer->setCacheLimit(10);
    QCOMPARE(rig.layer->cachedTileCount(), 0);
    rig.source->answer(order.first());
    QCOMPARE(rig.layer->cachedTileCount(), 0);
    QCOMPARE(paint(*rig.layer, centreAtZ2()).pixelColor(10, 10), rig.layer->backgroundColor());
}

void tst_TileLayer::darkStyleReachesTheSources()
{
    Rig rig = makeRig();
    rig.fallback->styleable = true;
    paint(*rig.layer, centreAtZ2());
    rig.fallback->answerAll();
    rig.source->answer({2, 1, 1});
    QCOMPARE(rig.layer->cachedTileCount(), 5);
    QSignalSpy updated(rig.layer.get(), &TileLayer::updated);
    rig.layer->setDarkStyle(true);
    QVERIFY(rig.layer->isDarkStyle());
    QCOMPARE(updated.size(), 1);
    QVERIFY(rig.fallback->dark);
    QVERIFY(!rig.source->dark); // a raster source has no dark variant
    QCOMPARE(rig.layer->cachedTileCount(), 1); // the light offline tiles went
    QCOMPARE(rig.layer->backgroundColor(), OfflineBasemapStyle::dark().sea);
    rig.layer->setDarkStyle(true);
    QCOMPARE(updated.size(), 1);

    // A source that draws its own tiles gets the style, now and when it is set.
    auto styled = std::make_unique<FakeSource>(QStringLiteral("Styled"));
    styled->styleable = true;
    FakeSource *s = styled.get();
    rig.layer->setSource(std::move(styled));
    QVERIFY(s->dark);
    rig.layer->setDarkStyle(false);
    QVERIFY(!s->dark);
}

void tst_TileLayer::zoomBeyondTheSourceScalesItsDeepestTiles()
{
    Rig rig = makeRig(0, 3);
    const MapViewport view(project(48.85, 2.35), 5.0, QSize(512, 512));
    paint(*rig.layer, view);
    QVERIFY(!rig.source->pending.isEmpty());
    for (const TileId &t : std::as_const(rig.source->pending))
        QCOMPARE(t.z, 3);
    rig.source->answerAll();
    const QImage image = paint(*rig.layer, view);
    QCOMPARE(image.pixelColor(256, 256).isValid(), true);
    QVERIFY(image.pixelColor(256, 256) != kHole);
    QVERIFY(image.pixelColor(256, 256) != rig.layer->backgroundColor());
}

void tst_TileLayer::zoomBelowTheSourceUsesTheFallback()
{
    Rig rig = makeRig(5, 12);
    paint(*rig.layer, centreAtZ2());
    QVERIFY(rig.source->requests.isEmpty());
    QCOMPARE(rig.fallback->pending.size(), 4);
    rig.fallback->answerAll();
    QCOMPARE(paint(*rig.layer, centreAtZ2()).pixelColor(10, 10), colourFor({2, 1, 1}));
}

void tst_TileLayer::offlineSourceIsNotDoubled()
{
    Rig rig = makeRig();
    auto offline = std::make_unique<OfflineBasemapSource>();
    TileSource *o = offline.get();
    rig.layer->setSource(std::move(offline));
    QCOMPARE(rig.layer->source(), o);
    QCOMPARE(rig.layer->attribution(), QStringLiteral("Natural Earth"));
    rig.fallback->requests.clear();
    QSignalSpy updated(rig.layer.get(), &TileLayer::updated);
    paint(*rig.layer, centreAtZ2());
    QVERIFY(rig.fallback->requests.isEmpty());
    QTRY_COMPARE(rig.layer->cachedTileCount(), 4);
    const QImage image = paint(*rig.layer, centreAtZ2());
    QVERIFY(image.pixelColor(10, 10) != kHole);
}

void tst_TileLayer::noFallbackGivesSea()
{
    TileLayer layer(std::unique_ptr<TileSource>{});
    QCOMPARE(layer.fallbackSource(), nullptr);
    QCOMPARE(layer.attribution(), QString());
    const QImage image = paint(layer, centreAtZ2());
    QCOMPARE(image.pixelColor(10, 10), layer.backgroundColor());
    QCOMPARE(image.pixelColor(511, 511), layer.backgroundColor());
}

void tst_TileLayer::fallbackFailureGivesSea()
{
    Rig rig = makeRig();
    paint(*rig.layer, centreAtZ2());
    rig.source->fail({2, 1, 1}, TileFailure::NotFound);
    paint(*rig.layer, centreAtZ2());
    rig.fallback->fail({2, 1, 1}, TileFailure::Permanent);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(paint(*rig.layer, centreAtZ2()).pixelColor(10, 10), rig.layer->backgroundColor());
    QCOMPARE(rig.fallback->requestCount({2, 1, 1}), 1); // not hammered
}

void tst_TileLayer::emptyImageCountsAsFailure()
{
    Rig rig = makeRig();
    Fleet::ManualClock clock;
    rig.layer->setClock(&clock);
    paint(*rig.layer, centreAtZ2());
    rig.source->answer({2, 1, 1}, QImage());
    QCOMPARE(rig.layer->cachedTileCount(), 0);
    rig.fallback->requests.clear();
    paint(*rig.layer, centreAtZ2());
    QCOMPARE(rig.source->requestCount({2, 1, 1}), 1);
    rig.fallback->answer({2, 1, 1}, solid(Qt::darkCyan));
    QCOMPARE(paint(*rig.layer, centreAtZ2()).pixelColor(10, 10), QColor(Qt::darkCyan));
}

void tst_TileLayer::failureRecordsStayBounded()
{
    Rig rig = makeRig();
    Fleet::ManualClock clock;
    rig.layer->setClock(&clock);
    // 100 tiles a frame, all missing, at 50 places: 5000 records.
    const auto place = [](int i) { return MapViewport(QPointF(0.02 * i + 0.01, 0.5), 12.0, QSize(2560, 2560)); };
    for (int i = 0; i < 50; ++i) {
        paint(*rig.layer, place(i));
        const QList<TileId> asked = rig.source->pending.values();
        for (const TileId &t : asked)
            rig.source->fail(t, TileFailure::NotFound);
        clock.advanceMs(10);
    }
    // The latest are remembered (not asked again), the oldest forgotten (asked again).
    rig.source->requests.clear();
    paint(*rig.layer, place(49));
    QVERIFY(rig.source->requests.isEmpty());
    paint(*rig.layer, place(0));
    QVERIFY(!rig.source->requests.isEmpty());
}

void tst_TileLayer::defaultLayerDrawsTheOfflineBasemap()
{
    TileLayer layer;
    QVERIFY(qobject_cast<OfflineBasemapSource *>(layer.fallbackSource()));
    QCOMPARE(layer.source(), nullptr);
    QCOMPARE(layer.attribution(), QStringLiteral("Natural Earth"));
    // Europe at z 4: land in France, sea west of Ireland, once rendered.
    const MapViewport view(project(48.0, -5.0), 4.0, QSize(400, 300));
    paint(layer, view);
    QTRY_VERIFY(layer.cachedTileCount() >= 2);
    QTRY_COMPARE(layer.fallbackSource()->pendingCount(), 0);
    const QImage image = paint(layer, view);
    const QPointF france = view.geoToScreen(46.5, 2.5);
    const QPointF atlantic = view.geoToScreen(50.0, -15.0);
    QCOMPARE(image.pixelColor(france.toPoint()), OfflineBasemapStyle::light().land);
    QCOMPARE(image.pixelColor(atlantic.toPoint()), OfflineBasemapStyle::light().sea);

    layer.setDarkStyle(true);
    paint(layer, view);
    QTRY_COMPARE(layer.fallbackSource()->pendingCount(), 0);
    const QImage dark = paint(layer, view);
    QCOMPARE(dark.pixelColor(france.toPoint()), OfflineBasemapStyle::dark().land);
}

void tst_TileLayer::fractionalZoomScalesTiles()
{
    Rig rig = makeRig();
    // z 2.4: tile zoom 2, each tile 256·2^0.4 ≈ 338 px.
    const MapViewport view(QPointF(0.5, 0.5), 2.4, QSize(600, 600));
    QCOMPARE(view.tileZoom(), 2);
    paint(*rig.layer, view);
    rig.source->answerAll();
    const QImage image = paint(*rig.layer, view);
    const double tilePx = kTileSize * std::exp2(0.4);
    // The centre is the corner of tiles 1 and 2.
    QCOMPARE(image.pixelColor(5, 5), colourFor({2, 1, 1}));
    QCOMPARE(image.pixelColor(590, 590), colourFor({2, 2, 2}));
    QVERIFY(300 + tilePx > 600); // one tile reaches past the view: it is scaled
    QCOMPARE(image.pixelColor(297, 297), colourFor({2, 1, 1}));
    QCOMPARE(image.pixelColor(303, 303), colourFor({2, 2, 2}));
    for (int x = 0; x < 600; x += 7)
        QVERIFY(image.pixelColor(x, 299) != kHole);
}

void tst_TileLayer::paintIsFast()
{
    Rig rig = makeRig();
    QImage frame(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    for (const double zoom : {10.0, 10.3}) {
        const MapViewport view(project(22.3, 114.2), zoom, frame.size());
        {
            QPainter p(&frame);
            rig.layer->paint(&p, view);
        }
        rig.source->answerAll();
        QElapsedTimer timer;
        const int frames = 50;
        timer.start();
        for (int i = 0; i < frames; ++i) {
            QPainter p(&frame);
            rig.layer->paint(&p, view);
        }
        const double ms = double(timer.nsecsElapsed()) / 1e6 / frames;
        qInfo("1920x1080 frame of cached tiles at zoom %.1f: %.2f ms", zoom, ms);
        QVERIFY(rig.source->pending.isEmpty());
        QVERIFY2(ms < 25, qPrintable(QString::number(ms)));
    }
}

QTEST_MAIN(tst_TileLayer)
#include "tst_tilelayer.moc"
