#include "map/geomath.h"
#include "map/mapviewport.h"

#include <QTest>

using namespace Fleet::Map;

class tst_GeoMath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void projectKnownPoints()
    {
        QCOMPARE(project(0, 0), QPointF(0.5, 0.5));
        QCOMPARE(project(0, -180).x(), 0.0);
        QCOMPARE(project(0, 180).x(), 1.0);
        QVERIFY(qAbs(project(kMaxLatitude, 0).y()) < 1e-9);
        QVERIFY(qAbs(project(-kMaxLatitude, 0).y() - 1.0) < 1e-9);
        // Beyond the Mercator limit latitude is clamped, never infinite.
        QCOMPARE(project(90, 0).y(), project(kMaxLatitude, 0).y());
        QCOMPARE(project(-90, 0).y(), project(-kMaxLatitude, 0).y());
    }
    void tileOfBerlin()
    {
        // OSM wiki "Slippy map tilenames": Berlin (52.52, 13.405) at z 10 is tile 550/335.
        const QPointF w = project(52.52, 13.405);
        const int n = 1 << 10;
        QCOMPARE(int(w.x() * n), 550);
        QCOMPARE(int(w.y() * n), 335);
    }
    void roundTrip_data()
    {
        QTest::addColumn<double>("lat");
        QTest::addColumn<double>("lng");
        QTest::newRow("origin") << 0.0 << 0.0;
        QTest::newRow("hong kong") << 22.3193 << 114.1694;
        QTest::newRow("sydney") << -33.8688 << 151.2093;
        QTest::newRow("near antimeridian") << 64.2 << -179.999;
        QTest::newRow("far north") << 84.9 << 10.0;
    }
    void roundTrip()
    {
        QFETCH(double, lat);
        QFETCH(double, lng);
        const QPointF back = unproject(project(lat, lng));
        QVERIFY2(qAbs(back.y() - lat) < 1e-9, qPrintable(QString::number(back.y(), 'f', 12)));
        QVERIFY2(qAbs(back.x() - lng) < 1e-9, qPrintable(QString::number(back.x(), 'f', 12)));
    }
    void metresPerPixelAtEquator()
    {
        // 156543.03 m/px at z 0 on the equator (OSM wiki "Zoom levels").
        QVERIFY(qAbs(metresPerPixel(0, 0) - 156543.034) < 0.01);
        QVERIFY(qAbs(metresPerPixel(60, 1) - 156543.034 / 2 / 2) < 0.01);
    }
    void tileRectAndParent()
    {
        const TileId t{3, 5, 2};
        QCOMPARE(t.worldRect(), QRectF(5 / 8.0, 2 / 8.0, 1 / 8.0, 1 / 8.0));
        QCOMPARE(t.parent(), (TileId{2, 2, 1}));
        QVERIFY(!(TileId{0, 0, 0}.parent().isValid()));
        QVERIFY(!(TileId{2, 4, 0}.isValid()));
        QCOMPARE(t.toString(), QStringLiteral("3/5/2"));
    }
    void scaleBarIsRound_data()
    {
        QTest::addColumn<double>("mpp");
        QTest::addColumn<double>("metres");
        QTest::addColumn<QString>("label");
        QTest::newRow("street") << 0.3 << 20.0 << QStringLiteral("20 m");
        QTest::newRow("city") << 10.0 << 1000.0 << QStringLiteral("1 km");
        QTest::newRow("country") << 1000.0 << 100000.0 << QStringLiteral("100 km");
        QTest::newRow("world") << 40000.0 << 5000000.0 << QStringLiteral("5000 km");
    }
    void scaleBarIsRound()
    {
        QFETCH(double, mpp);
        QFETCH(double, metres);
        QFETCH(QString, label);
        const ScaleBar bar = scaleBar(mpp, 150);
        QCOMPARE(bar.metres, metres);
        QCOMPARE(bar.label, label);
        QVERIFY(bar.pixels <= 150 && bar.pixels > 150 / 5.0 - 1);
        QCOMPARE(scaleBar(0, 150).pixels, 0.0);
    }
    void viewportRoundTrip()
    {
        MapViewport v(project(22.3, 114.2), 12.3, QSize(1920, 1080));
        const QPointF world = project(22.31, 114.18);
        const QPointF screen = v.worldToScreen(world);
        QVERIFY((v.screenToWorld(screen) - world).manhattanLength() < 1e-12);
        QVERIFY(v.visibleWorld().contains(world));
        QCOMPARE(v.worldToScreen(v.centre()), QPointF(960, 540));
    }
    void zoomAroundKeepsAnchor()
    {
        MapViewport v(project(51.5, -0.12), 10, QSize(800, 600));
        const QPointF anchor(100, 450);
        const QPointF before = v.screenToWorld(anchor);
        v.zoomAround(anchor, 13.7);
        QCOMPARE(v.zoom(), 13.7);
        QVERIFY((v.screenToWorld(anchor) - before).manhattanLength() < 1e-12);
        v.zoomAround(anchor, 40);
        QCOMPARE(v.zoom(), double(kMaxZoom));
        v.zoomAround(anchor, -3);
        QCOMPARE(v.zoom(), double(kMinZoom));
    }
    void panFollowsPointerAndWraps()
    {
        MapViewport v(QPointF(0.001, 0.5), 5, QSize(800, 600));
        v.panBy(QPointF(100, 0)); // drag right: the view moves west, across 180°
        QVERIFY(qAbs(v.centre().x() - (1.001 - 100.0 / worldSizePx(5))) < 1e-12);
        // The world always fills the view vertically.
        v.panBy(QPointF(0, 1e9));
        QCOMPARE(v.visibleWorld().top(), 0.0);
        MapViewport small(QPointF(0.5, 0.1), 1, QSize(800, 2000));
        QCOMPARE(small.centre().y(), 0.5);
    }
    void tileZoomRounds()
    {
        MapViewport v(QPointF(0.5, 0.5), 5.0, QSize(800, 600));
        QCOMPARE(v.tileZoom(), 5);
        v.setZoom(5.5);
        QCOMPARE(v.tileZoom(), 5);
        v.setZoom(5.6);
        QCOMPARE(v.tileZoom(), 6);
    }
};

QTEST_GUILESS_MAIN(tst_GeoMath)
#include "tst_geomath.moc"
