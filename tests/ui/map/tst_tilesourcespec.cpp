// TileSourceSpec, the tile source setting, and createTileSource().

#include "map/mbtilessource.h"
#include "map/offlinebasemapsource.h"
#include "map/tilesourcespec.h"
#include "map/xyztilesource.h"

#include <QBuffer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Fleet::Map;
using Kind = TileSourceSpec::Kind;

class tst_TileSourceSpec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void namedSpecs();
    void roundTrip_data();
    void roundTrip();
    void storedFormatIsStable();
    void rejectsWhatItDidNotWrite_data();
    void rejectsWhatItDidNotWrite();
    void createsOffline();
    void createsXyz();
    void badUrlTemplateIsAnError();
    void createsMbTiles();
    void missingMbTilesIsAnError();
};

void tst_TileSourceSpec::namedSpecs()
{
    QCOMPARE(TileSourceSpec::offline().kind, Kind::Offline);
    QVERIFY(TileSourceSpec::offline().urlOrPath.isEmpty());
    const TileSourceSpec osm = TileSourceSpec::openStreetMap();
    QCOMPARE(osm.kind, Kind::Xyz);
    QCOMPARE(osm.urlOrPath, QStringLiteral("https://tile.openstreetmap.org/{z}/{x}/{y}.png"));
    QCOMPARE(osm.name, QStringLiteral("OpenStreetMap"));
    QCOMPARE(TileSourceSpec::mbTiles(QStringLiteral("/data/x.mbtiles")).kind, Kind::MbTiles);
    QCOMPARE(TileSourceSpec::xyz(QStringLiteral("https://t/{z}/{x}/{y}"), QStringLiteral("T")).name,
             QStringLiteral("T"));
    QVERIFY(TileSourceSpec::offline() != osm);
}

void tst_TileSourceSpec::roundTrip_data()
{
    QTest::addColumn<TileSourceSpec>("spec");
    QTest::newRow("offline") << TileSourceSpec::offline();
    QTest::newRow("osm") << TileSourceSpec::openStreetMap();
    QTest::newRow("xyz odd name") << TileSourceSpec::xyz(QStringLiteral(
                                                             "https://{s}.t.example.org/{z}/{x}/{y}.png?a=1&b=\"2\""),
                                                         QString::fromUtf8("Karte \"Süd\" | {z}"));
    QTest::newRow("mbtiles") << TileSourceSpec::mbTiles(QStringLiteral("C:\\Users\\Jo Ann\\Karten\\süd.mbtiles"));
    QTest::newRow("mbtiles named") << TileSourceSpec::mbTiles(QStringLiteral("/srv/tiles/hk.mbtiles"),
                                                              QStringLiteral("Hong Kong"));
}

void tst_TileSourceSpec::roundTrip()
{
    QFETCH(TileSourceSpec, spec);
    QString error;
    const std::optional<TileSourceSpec> back = TileSourceSpec::fromString(spec.toString(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, spec);
    QVERIFY(!spec.toString().contains(QLatin1Char('\n')));
}

void tst_TileSourceSpec::storedFormatIsStable()
{
    // Settings written by earlier versions must keep reading.
    QCOMPARE(TileSourceSpec::offline().toString(), QStringLiteral("{\"kind\":\"offline\"}"));
    const auto osm = TileSourceSpec::fromString(QStringLiteral(
        "{\"kind\":\"xyz\",\"name\":\"OpenStreetMap\",\"url\":\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\"}"));
    QVERIFY(osm);
    QCOMPARE(*osm, TileSourceSpec::openStreetMap());
    const auto file = TileSourceSpec::fromString(QStringLiteral("{\"kind\":\"mbtiles\",\"path\":\"/a/b.mbtiles\"}"));
    QVERIFY(file);
    QCOMPARE(*file, TileSourceSpec::mbTiles(QStringLiteral("/a/b.mbtiles")));
}

void tst_TileSourceSpec::rejectsWhatItDidNotWrite_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QString() << QStringLiteral("not a tile source setting");
    QTest::newRow("not json") << QStringLiteral("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
                              << QStringLiteral("not a tile source setting");
    QTest::newRow("array") << QStringLiteral("[1,2]") << QStringLiteral("not a tile source setting");
    QTest::newRow("no kind") << QStringLiteral("{}") << QStringLiteral("unknown kind");
    QTest::newRow("unknown kind") << QStringLiteral("{\"kind\":\"wms\",\"url\":\"x\"}")
                                  << QStringLiteral("unknown kind of tile source: \"wms\"");
    QTest::newRow("xyz without url") << QStringLiteral("{\"kind\":\"xyz\"}") << QStringLiteral("has no URL");
    QTest::newRow("xyz blank url") << QStringLiteral("{\"kind\":\"xyz\",\"url\":\"  \"}")
                                   << QStringLiteral("has no URL");
    QTest::newRow("mbtiles without path")
        << QStringLiteral("{\"kind\":\"mbtiles\",\"url\":\"/x\"}") << QStringLiteral("has no file path");
}

void tst_TileSourceSpec::rejectsWhatItDidNotWrite()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!TileSourceSpec::fromString(text, &message));
    QVERIFY2(message.contains(error), qPrintable(message));
    QVERIFY(!TileSourceSpec::fromString(text)); // no error pointer: fine too
}

void tst_TileSourceSpec::createsOffline()
{
    QString error;
    const std::unique_ptr<TileSource> source = createTileSource(TileSourceSpec::offline(), &error);
    QVERIFY2(source, qPrintable(error));
    QVERIFY(qobject_cast<OfflineBasemapSource *>(source.get()));
    QCOMPARE(source->attribution(), QStringLiteral("Natural Earth"));
}

void tst_TileSourceSpec::createsXyz()
{
    std::unique_ptr<TileSource> source = createTileSource(TileSourceSpec::openStreetMap());
    auto *xyz = qobject_cast<XyzTileSource *>(source.get());
    QVERIFY(xyz);
    QCOMPARE(xyz->urlTemplate(), XyzTileSource::openStreetMapUrl());
    QCOMPARE(xyz->attribution(), QStringLiteral("© OpenStreetMap contributors"));
    source = createTileSource(
        TileSourceSpec::xyz(QStringLiteral("https://t.example.org/{z}/{x}/{y}.png"), QStringLiteral("Mine")));
    QVERIFY(source);
    QCOMPARE(source->name(), QStringLiteral("Mine"));
}

void tst_TileSourceSpec::badUrlTemplateIsAnError()
{
    QString error;
    QVERIFY(!createTileSource(TileSourceSpec::xyz(QStringLiteral("https://t.example.org/tiles.png")), &error));
    QVERIFY2(error.contains(QLatin1String("no {z}")), qPrintable(error));
}

void tst_TileSourceSpec::createsMbTiles()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("one.mbtiles"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst_spec"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")));
        QImage image(kTileSize, kTileSize, QImage::Format_RGB32);
        image.fill(Qt::red);
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        q.prepare(QStringLiteral("INSERT INTO tiles VALUES (0, 0, 0, ?)"));
        q.addBindValue(bytes);
        QVERIFY(q.exec());
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst_spec"));
    QString error;
    std::unique_ptr<TileSource> source = createTileSource(TileSourceSpec::mbTiles(path, QStringLiteral("Named")),
                                                          &error);
    QVERIFY2(source, qPrintable(error));
    QVERIFY(qobject_cast<MbTilesSource *>(source.get()));
    QCOMPARE(source->name(), QStringLiteral("Named"));
    source = createTileSource(TileSourceSpec::mbTiles(path), &error);
    QCOMPARE(source->name(), QStringLiteral("one"));
}

void tst_TileSourceSpec::missingMbTilesIsAnError()
{
    QString error;
    QVERIFY(!createTileSource(TileSourceSpec::mbTiles(QStringLiteral("/nonexistent/x.mbtiles")), &error));
    QVERIFY2(error.contains(QLatin1String("does not exist")), qPrintable(error));
}

QTEST_MAIN(tst_TileSourceSpec)
#include "tst_tilesourcespec.moc"
