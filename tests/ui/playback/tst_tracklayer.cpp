#include "map/geomath.h"
#include "map/mapviewport.h"
#include "playback/playbackmodel.h"
#include "playback/tracklayer.h"

#include "playbacktestdata.h"

#include <QPainter>
#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;
using namespace PlaybackTest;

class TestTrackLayer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void simplifyKeepsCornersAndEnds();
    void simplifiedOncePerZoomAndKeepsGapEnds();
    void drawsTheTrackInSpeedColours();
    void repaintsWhenThePlayheadMoves();
    void keptImageServesPanningAndPlaying();
};

void TestTrackLayer::simplifyKeepsCornersAndEnds()
{
    // A straight line of 1,000 points is two; an L keeps its corner.
    std::vector<QPointF> line;
    for (int i = 0; i < 1000; ++i)
        line.emplace_back(i, 0);
    std::vector<int> kept;
    simplifyLine(line, 0, 999, 0.5, kept);
    QCOMPARE(kept, (std::vector<int>{0, 999}));
    for (int i = 1; i <= 500; ++i)
        line.emplace_back(999, i);
    kept.clear();
    simplifyLine(line, 0, int(line.size()) - 1, 0.5, kept);
    QCOMPARE(kept, (std::vector<int>{0, 999, int(line.size()) - 1}));
    // Wiggles under the tolerance go, those over it stay.
    std::vector<QPointF> zigzag;
    for (int i = 0; i < 100; ++i)
        zigzag.emplace_back(i, (i % 2) ? 0.2 : 0.0);
    kept.clear();
    simplifyLine(zigzag, 0, 99, 0.5, kept);
    QCOMPARE(kept.size(), std::size_t(2));
    kept.clear();
    simplifyLine(zigzag, 0, 99, 0.1, kept);
    QCOMPARE(kept.size(), std::size_t(100));
}

void TestTrackLayer::simplifiedOncePerZoomAndKeepsGapEnds()
{
    PlaybackModel model;
    model.setRange({at(0), at(4000)});
    model.setVehicles({vehicle(QStringLiteral("860000000000001"), QStringLiteral("VAN-001"))});
    TrackLayer layer(&model);
    const std::vector<int> &z10 = layer.simplified(0, 10);
    QCOMPARE(&layer.simplified(0, 10), &z10); // cached: the same list
    // A straight road: the ends of each stretch, and both sides of the gap.
    QVERIFY(std::find(z10.begin(), z10.end(), 30) != z10.end());
    QVERIFY(std::find(z10.begin(), z10.end(), 31) != z10.end());
    QCOMPARE(z10.front(), 0);
    QCOMPARE(z10.back(), 39);
    QVERIFY(z10.size() < 10);
    // New vehicles: the cache goes.
    model.setVehicles({vehicle(QStringLiteral("860000000000002"), QStringLiteral("VAN-002"), 0, 80)});
    QCOMPARE(layer.simplified(0, 10).back(), 79);
}

void TestTrackLayer::drawsTheTrackInSpeedColours()
{
    PlaybackModel model;
    model.setRange({at(0), at(4000)});
    const TrackExport::Vehicle v = vehicle(QStringLiteral("860000000000001"), QStringLiteral("VAN-001"));
    model.setVehicles({v});
    TrackLayer layer(&model);
    // The first stretch in the middle of a 600×300 view at zoom 14.
    const QPointF a = model.vehicles().first().world[0];
    const QPointF b = model.vehicles().first().world[20];
    Map::MapViewport view((a + b) / 2, 14, QSize(600, 300));
    QImage image(600, 300, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        layer.paint(&p, view);
    }
    const QPointF mid = view.worldToScreen(model.vehicles().first().world[10]);
    // 36 km/h is the 30–50 band, on the line.
    int hits = 0;
    for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -20; dx <= 20; ++dx)
            hits += image.pixelColor(int(mid.x()) + dx, int(mid.y()) + dy) == TrackLayer::speedColour(36);
    }
    if (hits <= 10)
        image.save(QStringLiteral("tracklayer-failed.png"));
    QVERIFY2(hits > 10, qPrintable(QString::number(hits)));
    QCOMPARE(TrackLayer::speedColour(36), TrackLayer::bands().at(2).colour);
    QCOMPARE(TrackLayer::speedColour(5), TrackLayer::bands().at(0).colour);
    QCOMPARE(TrackLayer::speedColour(200), TrackLayer::bands().last().colour);
}

void TestTrackLayer::repaintsWhenThePlayheadMoves()
{
    PlaybackModel model;
    model.setRange({at(0), at(4000)});
    model.setVehicles({vehicle(QStringLiteral("860000000000001"), QStringLiteral("VAN-001"))});
    TrackLayer layer(&model);
    QSignalSpy changed(&layer, &Map::MapOverlay::changed);
    model.setPlayhead(at(100));
    QCOMPARE(changed.size(), 1);
    layer.setFocused(QStringLiteral("860000000000001"));
    QCOMPARE(changed.size(), 2);
}

void TestTrackLayer::keptImageServesPanningAndPlaying()
{
    PlaybackModel model;
    model.setRange({at(0), at(4000)});
    model.setVehicles({vehicle(QStringLiteral("860000000000001"), QStringLiteral("VAN-001"))});
    TrackLayer layer(&model);
    Map::MapViewport view(model.vehicles().first().world[10], 14, QSize(400, 300));
    QImage image(400, 300, QImage::Format_ARGB32_Premultiplied);
    const auto frame = [&] {
        image.fill(Qt::white);
        QPainter p(&image);
        layer.paint(&p, view);
    };
    frame();
    QCOMPARE(layer.staticRenders(), 1);
    // The playhead moves, the map pans by less than half a view: the kept image serves.
    model.setPlayhead(at(300));
    view.panBy(QPointF(150, -100));
    frame();
    QCOMPARE(layer.staticRenders(), 1);
    const QImage panned = image;
    // The same view drawn afresh looks the same.
    layer.clearCache();
    frame();
    QCOMPARE(layer.staticRenders(), 2);
    QCOMPARE(image, panned);
    // Beyond the margin, another zoom, or another focus: drawn again.
    view.panBy(QPointF(300, 0));
    frame();
    QCOMPARE(layer.staticRenders(), 3);
    view.setZoom(15);
    frame();
    QCOMPARE(layer.staticRenders(), 4);
    layer.setFocused(QStringLiteral("860000000000001"));
    frame();
    QCOMPARE(layer.staticRenders(), 5);
}

QTEST_MAIN(TestTrackLayer)
#include "tst_tracklayer.moc"
