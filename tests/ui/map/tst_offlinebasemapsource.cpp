// OfflineBasemapSource: asynchronous rendering on its thread pool, one answer
// per request, cancellation, the dark style, bad data.

#include "map/offlinebasemapsource.h"

#include <QCoreApplication>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace Fleet::Map;

namespace {

TileId tileAt(const QList<QVariant> &signalArguments)
{
    return signalArguments.at(0).value<TileId>();
}

} // namespace

class tst_OfflineBasemapSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void describesItself();
    void rendersAsynchronously();
    void askingTwiceAnswersOnce();
    void cancelledTilesGetNoAnswer();
    void cancelAllDropsEverything();
    void darkStyleAppliesToPendingTiles();
    void invalidTileFails();
    void badDataFailsEveryRequest();
    void destroyedWhileRendering();
};

void tst_OfflineBasemapSource::describesItself()
{
    OfflineBasemapSource source;
    QVERIFY(source.isValid());
    QVERIFY(source.errorString().isEmpty());
    QCOMPARE(source.attribution(), QStringLiteral("Natural Earth"));
    QVERIFY(!source.name().isEmpty());
    QCOMPARE(source.minZoom(), 0);
    QCOMPARE(source.maxZoom(), kMaxZoom);
    QVERIFY(source.supportsDarkStyle());
    QVERIFY(!source.isDarkStyle());
}

void tst_OfflineBasemapSource::rendersAsynchronously()
{
    OfflineBasemapSource source;
    QSignalSpy ready(&source, &TileSource::tileReady);
    QSignalSpy failed(&source, &TileSource::tileFailed);
    const TileId tile{4, 8, 5};
    source.requestTile(tile);
    QCOMPARE(ready.size(), 0); // never from within requestTile()
    QCOMPARE(source.pendingCount(), 1);
    QVERIFY(ready.wait(10000));
    QCOMPARE(tileAt(ready.at(0)), tile);
    const QImage image = ready.at(0).at(1).value<QImage>();
    QCOMPARE(image.size(), QSize(kTileSize, kTileSize));
    QCOMPARE(image.format(), QImage::Format_ARGB32_Premultiplied);
    QCOMPARE(image, OfflineBasemapRenderer().render(tile, OfflineBasemapStyle::light()));
    QCOMPARE(source.pendingCount(), 0);
    QCOMPARE(failed.size(), 0);
}

void tst_OfflineBasemapSource::askingTwiceAnswersOnce()
{
    OfflineBasemapSource source;
    QSignalSpy ready(&source, &TileSource::tileReady);
    source.requestTile({3, 4, 2});
    source.requestTile({3, 4, 2});
    source.requestTile({3, 4, 3});
    QTRY_COMPARE(ready.size(), 2);
    QCOMPARE(source.pendingCount(), 0);
    // With every render done and what it handed back delivered: one answer a tile.
    source.waitForRenders();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(ready.size(), 2);
    QCOMPARE((QSet<TileId>{tileAt(ready.at(0)), tileAt(ready.at(1))}),
             (QSet<TileId>{TileId{3, 4, 2}, TileId{3, 4, 3}}));
}

void tst_OfflineBasemapSource::cancelledTilesGetNoAnswer()
{
    OfflineBasemapSource source;
    QSignalSpy ready(&source, &TileSource::tileReady);
    const TileId cancelled{5, 16, 10};
    const TileId wanted{5, 17, 10};
    for (int x = 0; x < 8; ++x)
        source.requestTile({5, x, 10});
    source.requestTile(cancelled);
    source.requestTile(wanted);
    source.cancelTile(cancelled);
    for (int x = 0; x < 8; ++x)
        source.cancelTile({5, x, 10});
    source.cancelTile({9, 1, 1}); // unknown: ignored
    QCOMPARE(source.pendingCount(), 1);
    QVERIFY(ready.wait(10000));
    QCOMPARE(tileAt(ready.at(0)), wanted);
    // Jobs already running for the cancelled tiles finish but say nothing:
    // once they are all done, whatever they handed back is delivered.
    source.waitForRenders();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(ready.size(), 1);
}

void tst_OfflineBasemapSource::cancelAllDropsEverything()
{
    OfflineBasemapSource source;
    QSignalSpy ready(&source, &TileSource::tileReady);
    QSignalSpy failed(&source, &TileSource::tileFailed);
    for (int x = 0; x < 6; ++x)
        source.requestTile({6, 30 + x, 20});
    source.requestTile({2, 9, 9}); // invalid: a failure is due
    source.cancelAll();
    QCOMPARE(source.pendingCount(), 0);
    // The renders under way finish and the failure was already posted: all
    // of it is delivered, and none of it is emitted.
    source.waitForRenders();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(ready.size(), 0);
    QCOMPARE(failed.size(), 0);
}

void tst_OfflineBasemapSource::darkStyleAppliesToPendingTiles()
{
    OfflineBasemapSource source;
    QSignalSpy ready(&source, &TileSource::tileReady);
    const TileId tile{4, 8, 5};
    source.requestTile(tile);
    source.setDarkStyle(true); // before the answer: it comes in the new style
    QVERIFY(source.isDarkStyle());
    QCOMPARE(source.style().sea, OfflineBasemapStyle::dark().sea);
    QVERIFY(ready.wait(10000));
    // The light render it replaced finishes too; nothing comes of it.
    source.waitForRenders();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(ready.size(), 1);
    QCOMPARE(ready.at(0).at(1).value<QImage>(), OfflineBasemapRenderer().render(tile, OfflineBasemapStyle::dark()));
}

void tst_OfflineBasemapSource::invalidTileFails()
{
    OfflineBasemapSource source;
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({2, 4, 0});
    QCOMPARE(failed.size(), 0);
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(1).value<TileFailure>(), TileFailure::Permanent);
    QVERIFY(failed.at(0).at(2).toString().contains(QLatin1String("2/4/0")));
    source.requestTile({20, 0, 0}); // deeper than the basemap goes
    QVERIFY(failed.wait(5000));
}

void tst_OfflineBasemapSource::badDataFailsEveryRequest()
{
    OfflineBasemapSource source(std::make_shared<const OfflineBasemap>(OfflineBasemap::fromData("FDBM")));
    QVERIFY(!source.isValid());
    QVERIFY(source.errorString().contains(QLatin1String("truncated")));
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({1, 0, 0});
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(1).value<TileFailure>(), TileFailure::Permanent);
    QCOMPARE(failed.at(0).at(2).toString(), source.errorString());
    // Cancelling a failure on its way stops it.
    source.requestTile({1, 1, 0});
    source.cancelTile({1, 1, 0});
    // The failure was already posted: delivered now, it is dropped.
    QCoreApplication::sendPostedEvents();
    QCOMPARE(failed.size(), 1);
}

void tst_OfflineBasemapSource::destroyedWhileRendering()
{
    auto source = std::make_unique<OfflineBasemapSource>();
    for (int x = 0; x < 16; ++x)
        source->requestTile({7, 60 + x, 40});
    source.reset(); // waits for the jobs under way, drops their results
    QCoreApplication::processEvents();
}

QTEST_MAIN(tst_OfflineBasemapSource)
#include "tst_offlinebasemapsource.moc"
