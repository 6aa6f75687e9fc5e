#include "map/geojsonlayer.h"
#include "map/geomath.h"
#include "map/mapviewport.h"

#include <QPainter>
#include <QSignalSpy>
#include <QtTest>

using namespace Fleet::Map;

namespace {

const QByteArray kRoads = R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"Ring Road 1"},
  "geometry":{"type":"LineString","coordinates":[[2.30,48.85],[2.40,48.85]]}},
 {"type":"Feature","properties":{"name":"Harbour Avenue"},
  "geometry":{"type":"MultiLineString","coordinates":[[[2.35,48.80],[2.35,48.90]]]}},
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[2.36,48.86]}},
 {"type":"Feature","properties":{"name":"nowhere"},"geometry":null}]})";

} // namespace

class TestGeoJsonLayer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsLinesAndPoints();
    void drawsRoadsDueEastAndNorth();
    void refusesWhatIsNotGeoJson_data();
    void refusesWhatIsNotGeoJson();
};

void TestGeoJsonLayer::loadsLinesAndPoints()
{
    GeoJsonLayer layer;
    QSignalSpy changed(&layer, &MapOverlay::changed);
    QString error;
    QVERIFY2(layer.load(kRoads, &error), qPrintable(error));
    QCOMPARE(layer.featureCount(), 3); // the feature without geometry is kept out
    QCOMPARE(changed.size(), 1);
    const QRectF b = layer.worldBounds();
    QVERIFY(b.contains(project(48.85, 2.35)));
}

void TestGeoJsonLayer::drawsRoadsDueEastAndNorth()
{
    GeoJsonLayer layer;
    QVERIFY(layer.load(kRoads));
    layer.setColour(QColor(200, 0, 0));
    MapViewport view(project(48.85, 2.35), 13, QSize(400, 400));
    QImage image(400, 400, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        layer.paint(&p, view);
    }
    // Both roads cross the middle: one along the row, one along the column.
    const auto reddish = [&](int x, int y) {
        const QColor c = image.pixelColor(x, y);
        return c.red() > 200 && c.green() < 180 && c.blue() < 180;
    };
    QVERIFY(reddish(50, 200));
    QVERIFY(reddish(200, 50));
    QVERIFY(!reddish(50, 50));
    // Hidden: nothing drawn.
    layer.setVisible(false);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        layer.paint(&p, view);
    }
    QVERIFY(!reddish(50, 200));
}

void TestGeoJsonLayer::refusesWhatIsNotGeoJson_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("{\"type\":") << QStringLiteral("not JSON");
    QTest::newRow("not a feature") << QByteArray(R"({"type":"Topology"})")
                                   << QStringLiteral("not a GeoJSON Feature or FeatureCollection");
    QTest::newRow("latitude out of range")
        << QByteArray(R"({"type":"Feature","geometry":{"type":"Point","coordinates":[2.3,91]}})")
        << QStringLiteral("feature 0: unreadable geometry");
    QTest::newRow("unknown geometry")
        << QByteArray(R"({"type":"Feature","geometry":{"type":"Circle","coordinates":[2.3,45]}})")
        << QStringLiteral("feature 0: unreadable geometry");
    QTest::newRow("coordinates as text")
        << QByteArray(R"({"type":"Feature","geometry":{"type":"LineString","coordinates":[["2.3","45"],[2,45]]}})")
        << QStringLiteral("feature 0: unreadable geometry");
}

void TestGeoJsonLayer::refusesWhatIsNotGeoJson()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    GeoJsonLayer layer;
    QVERIFY(layer.load(kRoads));
    QString why;
    QVERIFY(!layer.load(text, &why));
    QVERIFY2(why.startsWith(error), qPrintable(why));
    QCOMPARE(layer.featureCount(), 3); // unchanged
}

QTEST_MAIN(TestGeoJsonLayer)
#include "tst_geojsonlayer.moc"
