// Fences in GeoJSON and KML files: what map editors write is read (circles
// as points with a radius, rectangles, several polygons), what cannot be a
// fence is skipped and named, broken files are refused whole, and what
// FleetDesk writes reads back the same.

#include "fencetestdata.h"
#include "fences/fencefiles.h"

#include <QtTest>

using namespace Fleet;
using namespace FenceTest;

namespace {

const GeoPoint kDepot{41.3874, 2.1686}; // Barcelona

QList<NamedFence> someFences()
{
    NamedFence yard;
    yard.name = QStringLiteral("Yard «Nord», gate 2");
    yard.shape = FenceShape::polygon({offset(kDepot, 0, 0), offset(kDepot, 400, 0), offset(kDepot, 400, 300),
                                      offset(kDepot, 100, 500)}); // counter-clockwise
    yard.color = QStringLiteral("#3b7aff");
    yard.description = QStringLiteral("Trucks only <after 22:00> & on Sundays");
    yard.properties.insert(QStringLiteral("owner"), QStringLiteral("logistics"));
    NamedFence client;
    client.name = QStringLiteral("Client 17");
    client.shape = FenceShape::circle(offset(kDepot, 3000, 1000), 250);
    NamedFence zone;
    zone.name = QStringLiteral("Low-emission zone");
    zone.shape = FenceShape::rectangle(offset(kDepot, -2000, -1000), offset(kDepot, 2000, 1500));
    return {yard, client, zone};
}

} // namespace

class TestFenceFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void geoJsonRoundTrip();
    void kmlRoundTrip();
    void geoJsonAsEditorsWriteIt();
    void unsupportedFeaturesAreNamed();
    void kmlAsGoogleEarthWritesIt();
    void brokenFilesAreRefusedWhole_data();
    void brokenFilesAreRefusedWhole();
    void byExtension();
};

void TestFenceFiles::geoJsonRoundTrip()
{
    const FenceImport back = FenceFiles::readGeoJson(FenceFiles::writeGeoJson(someFences()));
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QVERIFY(back.skipped.isEmpty());
    QCOMPARE(back.fences, someFences());
}

void TestFenceFiles::kmlRoundTrip()
{
    const QByteArray kml = FenceFiles::writeKml(someFences());
    QVERIFY(kml.contains("<kml xmlns=\"http://www.opengis.net/kml/2.2\">"));
    QVERIFY(kml.contains("&lt;after 22:00&gt; &amp; on Sundays"));
    const FenceImport back = FenceFiles::readKml(kml);
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QVERIFY(back.skipped.isEmpty());
    QCOMPARE(back.fences, someFences());
}

void TestFenceFiles::geoJsonAsEditorsWriteIt()
{
    // geojson.io / Leaflet.draw: a closed ring, clockwise; a circle as a point with a radius; a bare Feature.
    const QByteArray file = R"({"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"Depot","radius":120.5,"stroke":"#555"},
         "geometry":{"type":"Point","coordinates":[2.1686,41.3874]}},
        {"type":"Feature","properties":{"name":"Port"},
         "geometry":{"type":"Polygon","coordinates":[[[2.17,41.37],[2.17,41.38],[2.19,41.38],[2.19,41.37],[2.17,41.37]]]}},
        {"type":"Feature","properties":null,
         "geometry":{"type":"MultiPolygon","coordinates":[
            [[[2.0,41.0],[2.1,41.0],[2.1,41.1],[2.0,41.0]]],
            [[[2.2,41.0],[2.3,41.0],[2.3,41.1],[2.2,41.0]]]]}}]})";
    const FenceImport in = FenceFiles::readGeoJson(file);
    QVERIFY2(in.error.isEmpty(), qPrintable(in.error));
    QVERIFY2(in.skipped.isEmpty(), qPrintable(in.skipped.join(u'\n')));
    QCOMPARE(in.fences.size(), 4);
    QCOMPARE(in.fences.at(0).shape, FenceShape::circle(kDepot, 120.5));
    QCOMPARE(in.fences.at(0).properties.value(QStringLiteral("stroke")).toString(), QStringLiteral("#555"));
    QCOMPARE(in.fences.at(1).shape.kind, FenceShape::Kind::Polygon);
    QCOMPARE(in.fences.at(1).shape.points.size(), 4); // the closing point dropped
    QCOMPARE(in.fences.at(2).name, QStringLiteral("(1)"));
    QCOMPARE(in.fences.at(3).name, QStringLiteral("(2)"));

    // A bare geometry is one fence.
    const FenceImport bare = FenceFiles::readGeoJson(
        R"({"type":"Polygon","coordinates":[[[2,41],[2.1,41],[2.1,41.1]]]})");
    QCOMPARE(bare.fences.size(), 1);
}

void TestFenceFiles::unsupportedFeaturesAreNamed()
{
    const QByteArray file = R"({"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"River"},"geometry":{"type":"LineString","coordinates":[[2,41],[2.1,41.1]]}},
        {"type":"Feature","properties":{"name":"Pin"},"geometry":{"type":"Point","coordinates":[2,41]}},
        {"type":"Feature","properties":{"name":"Donut"},"geometry":{"type":"Polygon","coordinates":[
            [[2,41],[2.1,41],[2.1,41.1],[2,41.1],[2,41]],[[2.04,41.04],[2.06,41.04],[2.06,41.06],[2.04,41.04]]]}},
        {"type":"Feature","properties":{"name":"Bow tie"},"geometry":{"type":"Polygon","coordinates":[
            [[2,41],[2.1,41.1],[2.1,41],[2,41.1],[2,41]]]}},
        {"type":"Feature","properties":{"name":"Out of range"},"geometry":{"type":"Polygon","coordinates":[
            [[2,41],[200,41],[2.1,41.1],[2,41]]]}},
        {"type":"Feature","properties":{"name":"Kept"},"geometry":{"type":"Polygon","coordinates":[
            [[2,41],[2.1,41],[2.1,41.1],[2,41]]]}},
        {"type":"Feature","properties":{},"geometry":null}]})";
    const FenceImport in = FenceFiles::readGeoJson(file);
    QVERIFY2(in.error.isEmpty(), qPrintable(in.error));
    QCOMPARE(in.fences.size(), 1);
    QCOMPARE(in.fences.constFirst().name, QStringLiteral("Kept"));
    const QStringList expected{
        QStringLiteral("feature 1 \"River\": a LineString is not an area"),
        QStringLiteral("feature 2 \"Pin\": a point without a radius"),
        QStringLiteral("feature 3 \"Donut\": a polygon with holes (a fence has none)"),
        QStringLiteral("feature 4 \"Bow tie\": its border crosses itself at 41.050000, 2.050000"),
        QStringLiteral("feature 5 \"Out of range\": a position that is not [longitude, latitude] in range"),
        QStringLiteral("feature 7: no geometry"),
    };
    QCOMPARE(in.skipped, expected);
}

void TestFenceFiles::kmlAsGoogleEarthWritesIt()
{
    const QByteArray file = R"(<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>
  <Placemark><name>Warehouse</name><Style><PolyStyle><color>7f00ff00</color></PolyStyle></Style>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>
      2.17,41.37,0 2.19,41.37,0 2.19,41.38,0 2.17,41.38,0 2.17,41.37,0
    </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
  <Placemark><name>Road</name><LineString><coordinates>2,41 2.1,41.1</coordinates></LineString></Placemark>
  <Placemark><name>Islands</name><MultiGeometry>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>2,41 2.1,41 2.1,41.1 2,41</coordinates></LinearRing></outerBoundaryIs></Polygon>
    <Point><coordinates>2.5,41.5</coordinates></Point>
  </MultiGeometry></Placemark>
  <Placemark><name>Hub</name><ExtendedData><Data name="radius"><value>300</value></Data></ExtendedData>
    <Point><coordinates>2.1686,41.3874</coordinates></Point></Placemark>
</Folder></Document></kml>)";
    const FenceImport in = FenceFiles::readKml(file);
    QVERIFY2(in.error.isEmpty(), qPrintable(in.error));
    QCOMPARE(in.fences.size(), 3);
    QCOMPARE(in.fences.at(0).name, QStringLiteral("Warehouse"));
    QCOMPARE(in.fences.at(0).color, QStringLiteral("#00ff00"));
    QCOMPARE(in.fences.at(0).shape.points.size(), 4);
    QCOMPARE(in.fences.at(1).name, QStringLiteral("Islands (1)"));
    QCOMPARE(in.fences.at(2).shape, FenceShape::circle(kDepot, 300));
    QCOMPARE(in.skipped,
             (QStringList{QStringLiteral("feature 2 \"Road\": a LineString is not an area"),
                          QStringLiteral("feature 3 \"Islands (2)\": a point without a radius")}));
}

void TestFenceFiles::brokenFilesAreRefusedWhole_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::newRow("truncated JSON") << QStringLiteral("a.geojson") << QByteArray(R"({"type":"FeatureCollection","feat)")
                                    << QStringLiteral("not JSON");
    QTest::newRow("not GeoJSON") << QStringLiteral("a.geojson") << QByteArray(R"({"hello":1})")
                                 << QStringLiteral("not GeoJSON: no \"type\"");
    QTest::newRow("features not a list") << QStringLiteral("a.json")
                                         << QByteArray(R"({"type":"FeatureCollection","features":{}})")
                                         << QStringLiteral("a FeatureCollection without features");
    QTest::newRow("broken XML") << QStringLiteral("a.kml") << QByteArray("<kml><Placemark><name>x</Placemark></kml>")
                                << QStringLiteral("not KML");
    QTest::newRow("not KML") << QStringLiteral("a.kml") << QByteArray("<gpx></gpx>")
                             << QStringLiteral("not KML: no <kml> element");
    QTest::newRow("entity bomb") << QStringLiteral("a.kml")
                                 << QByteArray("<?xml version=\"1.0\"?><!DOCTYPE kml [<!ENTITY a \"aaaaaaaaaa\">"
                                               "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                                               "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                                               "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                                               "<kml><Placemark><name>&d;</name></Placemark></kml>")
                                 << QStringLiteral("not KML");
    QTest::newRow("other file") << QStringLiteral("fences.shp") << QByteArray("x")
                                << QStringLiteral("fences.shp: not a .geojson, .json or .kml file");
}

void TestFenceFiles::brokenFilesAreRefusedWhole()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    const FenceImport in = FenceFiles::read(name, bytes);
    QVERIFY2(in.error.startsWith(error), qPrintable(in.error));
    QVERIFY(in.fences.isEmpty());
}

void TestFenceFiles::byExtension()
{
    const QList<NamedFence> fences = someFences();
    QCOMPARE(FenceFiles::read(QStringLiteral("x.GeoJSON"), FenceFiles::writeGeoJson(fences)).fences, fences);
    QCOMPARE(FenceFiles::read(QStringLiteral("x.kml"), FenceFiles::writeKml(fences)).fences, fences);
}

QTEST_GUILESS_MAIN(TestFenceFiles)
#include "tst_fencefiles.moc"
