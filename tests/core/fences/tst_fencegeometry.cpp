// Fence geometry: areas and perimeters against closed-form values, the
// point where a polygon crosses itself, and the signed distance to the
// border that the local engine's hysteresis works with.

#include "fencetestdata.h"
#include "fences/fencegeometry.h"
#include "fences/preparedfence.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <numbers>

using namespace Fleet;
using namespace FenceTest;

namespace {

const GeoPoint kDepot{48.8566, 2.3522}; // Paris

// A 1 km square around the depot, its corners counter-clockwise.
QList<GeoPoint> square(double sideM = 1000)
{
    const double h = sideM / 2;
    return {offset(kDepot, -h, -h), offset(kDepot, h, -h), offset(kDepot, h, h), offset(kDepot, -h, h)};
}

} // namespace

class TestFenceGeometry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void circleMeasures();
    void polygonMeasuresEitherWayRound();
    void rectangleFromTwoCorners();
    void selfCrossingIsFoundWhereItIs();
    void simpleShapesDoNotCross_data();
    void simpleShapesDoNotCross();
    void signedDistanceInsideAndOut();
    void circleDistanceIsAlongTheEarth();
    void unusableShapes_data();
    void unusableShapes();
    void boundsHoldTheShapeAndItsMargin();
};

void TestFenceGeometry::circleMeasures()
{
    const FenceShape c = FenceShape::circle(kDepot, 250);
    QVERIFY(FenceGeometry::isUsable(c));
    QCOMPARE(FenceGeometry::areaM2(c), std::numbers::pi * 250 * 250);
    QCOMPARE(FenceGeometry::perimeterM(c), 2 * std::numbers::pi * 250);
    QCOMPARE(FenceGeometry::centre(c), kDepot);
}

void TestFenceGeometry::polygonMeasuresEitherWayRound()
{
    QList<GeoPoint> ring = square();
    const FenceShape ccw = FenceShape::polygon(ring);
    std::reverse(ring.begin(), ring.end());
    const FenceShape cw = FenceShape::polygon(ring);
    for (const FenceShape &s : {ccw, cw}) {
        QVERIFY(FenceGeometry::isUsable(s));
        QVERIFY2(std::abs(FenceGeometry::areaM2(s) - 1e6) < 1e6 * 1e-6,
                 qPrintable(QString::number(FenceGeometry::areaM2(s))));
        QVERIFY(std::abs(FenceGeometry::perimeterM(s) - 4000) < 4000 * 1e-6);
        const GeoPoint c = FenceGeometry::centre(s);
        QVERIFY(std::abs(c.lat - kDepot.lat) < 1e-9 && std::abs(c.lng - kDepot.lng) < 1e-9);
    }
    // A closed ring (the first vertex repeated), as GeoJSON writes it, is the same fence.
    QList<GeoPoint> closed = square();
    closed.append(closed.constFirst());
    QCOMPARE(FenceGeometry::areaM2(FenceShape::polygon(closed)), FenceGeometry::areaM2(ccw));
    // An L-shape: 3 of 4 quarters of a 2 km square.
    const QList<GeoPoint> l{offset(kDepot, 0, 0),       offset(kDepot, 2000, 0),    offset(kDepot, 2000, 1000),
                            offset(kDepot, 1000, 1000), offset(kDepot, 1000, 2000), offset(kDepot, 0, 2000)};
    QVERIFY(std::abs(FenceGeometry::areaM2(FenceShape::polygon(l)) - 3e6) < 3e6 * 1e-3);
    QVERIFY(std::abs(FenceGeometry::perimeterM(FenceShape::polygon(l)) - 8000) < 8000 * 1e-3);
}

void TestFenceGeometry::rectangleFromTwoCorners()
{
    const GeoPoint a = offset(kDepot, 300, -200);
    const GeoPoint b = offset(kDepot, -300, 200);
    const FenceShape r = FenceShape::rectangle(a, b);
    QCOMPARE(r.kind, FenceShape::Kind::Rectangle);
    QCOMPARE(r.points.size(), 4);
    QCOMPARE(r.points.at(0).lat, b.lat); // north-west first
    QCOMPARE(r.points.at(0).lng, b.lng);
    QVERIFY(std::abs(FenceGeometry::areaM2(r) - 600 * 400) < 1);
    QVERIFY(!FenceGeometry::selfCrossing(r));
}

void TestFenceGeometry::selfCrossingIsFoundWhereItIs()
{
    // A bow tie: its two diagonals cross at the depot.
    const QList<GeoPoint> bowTie{offset(kDepot, -500, -500), offset(kDepot, 500, 500), offset(kDepot, 500, -500),
                                 offset(kDepot, -500, 500)};
    const std::optional<GeoPoint> at = FenceGeometry::selfCrossing(FenceShape::polygon(bowTie));
    QVERIFY(at);
    QVERIFY2(std::abs(at->lat - kDepot.lat) < 1e-7 && std::abs(at->lng - kDepot.lng) < 1e-7,
             qPrintable(QStringLiteral("%1,%2").arg(at->lat, 0, 'f', 7).arg(at->lng, 0, 'f', 7)));

    // A corner dragged across the far side of a square: the first crossing
    // along the edges is where the last edge now cuts the right side.
    QList<GeoPoint> dragged = square();
    dragged[0] = offset(kDepot, 900, 0);
    const std::optional<GeoPoint> first = FenceGeometry::selfCrossing(FenceShape::polygon(dragged));
    QVERIFY(first);
    const GeoPoint expected = offset(kDepot, 500, 500 - 500 * 1000.0 / 1400.0);
    QVERIFY(std::abs(first->lat - expected.lat) < 1e-7 && std::abs(first->lng - expected.lng) < 1e-7);

    // An edge folding back along the previous one.
    const QList<GeoPoint> fold{offset(kDepot, 0, 0), offset(kDepot, 1000, 0), offset(kDepot, 500, 0),
                               offset(kDepot, 500, 800)};
    QVERIFY(FenceGeometry::selfCrossing(FenceShape::polygon(fold)));
}

void TestFenceGeometry::simpleShapesDoNotCross_data()
{
    QTest::addColumn<FenceShape>("shape");
    QTest::newRow("square") << FenceShape::polygon(square());
    QTest::newRow("triangle") << FenceShape::polygon(
        {offset(kDepot, 0, 0), offset(kDepot, 900, 0), offset(kDepot, 0, 900)});
    QTest::newRow("concave") << FenceShape::polygon({offset(kDepot, 0, 0), offset(kDepot, 1000, 0),
                                                     offset(kDepot, 500, 300), offset(kDepot, 1000, 1000),
                                                     offset(kDepot, 0, 1000)});
    QTest::newRow("circle") << FenceShape::circle(kDepot, 100);
}

void TestFenceGeometry::simpleShapesDoNotCross()
{
    QFETCH(FenceShape, shape);
    QVERIFY(!FenceGeometry::selfCrossing(shape));
}

void TestFenceGeometry::signedDistanceInsideAndOut()
{
    const FenceShape s = FenceShape::polygon(square());
    QVERIFY(std::abs(FenceGeometry::signedDistanceM(s, kDepot) + 500) < 0.01); // 500 m in
    QVERIFY(std::abs(FenceGeometry::signedDistanceM(s, offset(kDepot, 480, 0)) + 20) < 0.01);
    QVERIFY(std::abs(FenceGeometry::signedDistanceM(s, offset(kDepot, 530, 0)) - 30) < 0.01);
    QVERIFY(std::abs(FenceGeometry::signedDistanceM(s, offset(kDepot, 800, 900)) - 500) < 0.05); // from the corner
    QVERIFY(FenceGeometry::contains(s, offset(kDepot, 499, 499)));
    QVERIFY(!FenceGeometry::contains(s, offset(kDepot, 501, 0)));
    // The same through a prepared fence, asked many times.
    const PreparedFence prepared(s);
    for (int m = -600; m <= 600; m += 50)
        QVERIFY(std::abs(prepared.signedDistanceM(offset(kDepot, m, 0)) - (std::abs(m) - 500)) < 0.01);
}

void TestFenceGeometry::circleDistanceIsAlongTheEarth()
{
    const FenceShape c = FenceShape::circle(kDepot, 1000);
    // One minute of latitude north: 1,853 m on this sphere.
    const GeoPoint north{kDepot.lat + 1.0 / 60, kDepot.lng};
    QVERIFY(std::abs(FenceGeometry::signedDistanceM(c, north) - (kMetresPerDegreeLat / 60 - 1000)) < 0.01);
    QCOMPARE(FenceGeometry::signedDistanceM(c, kDepot), -1000.0);
}

void TestFenceGeometry::unusableShapes_data()
{
    QTest::addColumn<FenceShape>("shape");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("no radius") << FenceShape::circle(kDepot, 0);
    QTest::newRow("NaN radius") << FenceShape::circle(kDepot, nan);
    QTest::newRow("circle without centre") << FenceShape{FenceShape::Kind::Circle, {}, 100};
    QTest::newRow("two vertices") << FenceShape::polygon({kDepot, offset(kDepot, 100, 0)});
    QTest::newRow("repeated vertices") << FenceShape::polygon({kDepot, kDepot, offset(kDepot, 100, 0), kDepot});
    QTest::newRow("a line") << FenceShape::polygon({kDepot, offset(kDepot, 100, 0), offset(kDepot, 200, 0)});
    QTest::newRow("NaN vertex") << FenceShape::polygon({kDepot, GeoPoint{nan, 2.0}, offset(kDepot, 0, 100)});
    QTest::newRow("latitude 91") << FenceShape::polygon({kDepot, GeoPoint{91, 2.0}, offset(kDepot, 0, 100)});
    QTest::newRow("astride the antimeridian") << FenceShape::polygon(
        {GeoPoint{-17, 179.5}, GeoPoint{-17, -179.5}, GeoPoint{-18, -179.5}, GeoPoint{-18, 179.5}});
}

void TestFenceGeometry::unusableShapes()
{
    QFETCH(FenceShape, shape);
    QVERIFY(!FenceGeometry::isUsable(shape));
    QCOMPARE(FenceGeometry::areaM2(shape), 0.0);
    QCOMPARE(FenceGeometry::perimeterM(shape), 0.0);
    QVERIFY(std::isinf(FenceGeometry::signedDistanceM(shape, kDepot)));
    QVERIFY(!FenceGeometry::contains(shape, kDepot));
}

void TestFenceGeometry::boundsHoldTheShapeAndItsMargin()
{
    const FenceShape s = FenceShape::polygon(square());
    const auto [sw, ne] = FenceGeometry::bounds(s, 100);
    const GeoPoint wantSw = offset(kDepot, -600, -600);
    const GeoPoint wantNe = offset(kDepot, 600, 600);
    QVERIFY(std::abs(sw.lat - wantSw.lat) < 1e-9 && std::abs(sw.lng - wantSw.lng) < 1e-9);
    QVERIFY(std::abs(ne.lat - wantNe.lat) < 1e-9 && std::abs(ne.lng - wantNe.lng) < 1e-9);
    const auto [csw, cne] = FenceGeometry::bounds(FenceShape::circle(kDepot, 1000), 0);
    QVERIFY(std::abs(cne.lat - kDepot.lat - 1000 / kMetresPerDegreeLat) < 1e-9);
    QVERIFY(csw.lng < kDepot.lng && cne.lng > kDepot.lng);
}

QTEST_GUILESS_MAIN(TestFenceGeometry)
#include "tst_fencegeometry.moc"
