// The offline basemap data (the embedded Natural Earth file and its strict
// reader) and its tile renderer.

#include "map/geomath.h"
#include "map/offlinebasemap.h"
#include "map/offlinebasemaprenderer.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace Fleet::Map;

namespace {

constexpr double kFixed = double(OfflineBasemap::kFixedOne);

QByteArray le32(quint32 v)
{
    QByteArray b(4, Qt::Uninitialized);
    qToLittleEndian(v, b.data());
    return b;
}

QByteArray le16(quint16 v)
{
    QByteArray b(2, Qt::Uninitialized);
    qToLittleEndian(v, b.data());
    return b;
}

void put32(QByteArray &data, qsizetype at, quint32 v)
{
    qToLittleEndian(v, data.data() + at);
}

using Part = QList<QPoint>; // fixed-point coordinates as ints (small test values)
using Feature = QList<Part>;

QByteArray geometry(const QList<Feature> &features)
{
    QByteArray table, counts, points;
    quint32 parts = 0;
    quint32 pointCount = 0;
    for (const Feature &f : features) {
        int minX = INT_MAX, minY = INT_MAX, maxX = 0, maxY = 0;
        for (const Part &p : f) {
            for (const QPoint &pt : p) {
                minX = std::min(minX, pt.x());
                minY = std::min(minY, pt.y());
                maxX = std::max(maxX, pt.x());
                maxY = std::max(maxY, pt.y());
                points += le32(quint32(pt.x())) + le32(quint32(pt.y()));
            }
            counts += le32(quint32(p.size()));
            ++parts;
            pointCount += quint32(p.size());
        }
        table += le32(quint32(minX)) + le32(quint32(minY)) + le32(quint32(maxX)) + le32(quint32(maxY))
            + le32(quint32(f.size()));
    }
    return le32(quint32(features.size())) + le32(parts) + le32(pointCount) + table + counts + points;
}

struct TestCity
{
    quint32 x, y;
    quint8 rank;
    QByteArray name;
};

QByteArray cities(const QList<TestCity> &list)
{
    QByteArray table, names;
    for (const TestCity &c : list) {
        table += le32(c.x) + le32(c.y) + le32(quint32(names.size())) + le16(quint16(c.name.size())) + char(c.rank)
            + char(0);
        names += c.name;
    }
    QByteArray section = le32(quint32(list.size())) + le32(quint32(names.size())) + table + names;
    section.append((4 - section.size() % 4) % 4, '\0');
    return section;
}

struct Section
{
    quint32 kind;
    quint32 lod;
    QByteArray payload;
};

void fixChecksum(QByteArray &file)
{
    put32(file, 12, OfflineBasemap::checksum(QByteArrayView(file).sliced(16)));
}

QByteArray build(const QList<Section> &sections)
{
    QByteArray directory, body;
    const quint32 first = 20 + 16 * quint32(sections.size());
    for (const Section &s : sections) {
        directory += le32(s.kind) + le32(s.lod) + le32(first + quint32(body.size())) + le32(quint32(s.payload.size()));
        body += s.payload;
    }
    QByteArray file = QByteArray("FDBM") + le16(1) + le16(0) + le32(0) + le32(0) + le32(quint32(sections.size()))
        + directory + body;
    put32(file, 8, quint32(file.size()));
    fixChecksum(file);
    return file;
}

const int kQ = 1 << 24; // a convenient coordinate step

QList<Section> minimalSections()
{
    const Feature square{{QPoint(kQ, kQ), QPoint(2 * kQ, kQ), QPoint(2 * kQ, 2 * kQ), QPoint(kQ, 2 * kQ)}};
    const Feature line{{QPoint(kQ, kQ), QPoint(2 * kQ, 2 * kQ)}};
    return {{OfflineBasemap::Land, 0, geometry({square})},
            {OfflineBasemap::Coastline, 0, geometry({line})},
            {OfflineBasemap::Border, 0, geometry({line})},
            {OfflineBasemap::Cities, 0, cities({{quint32(kQ), quint32(kQ), 1, "Testville"}})}};
}

QByteArray minimalFile()
{
    return build(minimalSections());
}

QPoint pixelOf(double lat, double lng, int z, TileId *tile)
{
    const QPointF w = project(lat, lng);
    const double n = std::exp2(z);
    *tile = TileId{z, int(w.x() * n), int(w.y() * n)};
    return QPoint(int((w.x() * n - tile->x) * kTileSize), int((w.y() * n - tile->y) * kTileSize));
}

QColor colourAt(const OfflineBasemapRenderer &renderer, double lat, double lng, int z, const OfflineBasemapStyle &style)
{
    TileId tile;
    const QPoint p = pixelOf(lat, lng, z, &tile);
    const QImage image = renderer.render(tile, style);
    return image.pixelColor(p);
}

} // namespace

class tst_OfflineBasemap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void embeddedResourceLoads();
    void countsAreSane();
    void citiesAreRankedAndNamed();
    void landAtParisSeaInTheAtlantic_data();
    void landAtParisSeaInTheAtlantic();
    void citiesAppearWithZoom();
    void darkStyleDiffers();
    void everyZoomRenders();
    void invalidTileGivesNullImage();
    void renderIsFast();
    void minimalFileLoads();
    void highFallsBackToLow();
    void emptyData();
    void truncatedAtEveryLength();
    void flippedBytesAreCaught();
    void randomDamageBehindAValidChecksum();
    void structuralErrors_data();
    void structuralErrors();
    void missingFile();
    void invalidDataRendersSea();
    void checksumIsCrc32();
};

void tst_OfflineBasemap::embeddedResourceLoads()
{
    const auto map = OfflineBasemap::embedded();
    QVERIFY(map);
    QVERIFY2(map->isValid(), qPrintable(map->errorString()));
    QVERIFY(map->errorString().isEmpty());
    // Loaded once.
    QCOMPARE(OfflineBasemap::embedded().get(), map.get());
}

void tst_OfflineBasemap::countsAreSane()
{
    const auto map = OfflineBasemap::embedded();
    QVERIFY(map->isValid());
    const auto &lowLand = map->land(OfflineBasemap::Low);
    const auto &highLand = map->land(OfflineBasemap::High);
    QVERIFY2(lowLand.features.size() > 100 && lowLand.features.size() < 1000,
             qPrintable(QString::number(lowLand.features.size())));
    QVERIFY(highLand.features.size() > 1000);
    QVERIFY(highLand.pointCount() > 5 * lowLand.pointCount());
    QVERIFY(map->coastlines(OfflineBasemap::Low).features.size() > 50);
    QVERIFY(map->coastlines(OfflineBasemap::High).pointCount() > 40000);
    QVERIFY(map->borders(OfflineBasemap::Low).features.size() > 100);
    QVERIFY(map->borders(OfflineBasemap::High).pointCount() > map->borders(OfflineBasemap::Low).pointCount());
    QVERIFY(map->cities().size() > 200);
    for (const auto *layer : {&lowLand, &highLand}) {
        for (const auto &f : layer->features) {
            QVERIFY(f.box.minX <= f.box.maxX && f.box.minY <= f.box.maxY);
            QVERIFY(f.box.maxX <= OfflineBasemap::kFixedOne && f.box.maxY <= OfflineBasemap::kFixedOne);
        }
    }
}

void tst_OfflineBasemap::citiesAreRankedAndNamed()
{
    const auto &cities = OfflineBasemap::embedded()->cities();
    QVERIFY(!cities.empty());
    QCOMPARE(cities.front().rank, 1);
    int lastRank = 1;
    QStringList worldCities;
    for (const auto &c : cities) {
        QVERIFY(c.rank >= lastRank);
        lastRank = c.rank;
        QVERIFY(!c.name.isEmpty());
        QVERIFY2(!c.name.contains(QLatin1Char('?')), qPrintable(c.name));
        if (c.rank == 1)
            worldCities << c.name;
    }
    for (const char *name : {"Paris", "Tokyo", "London", "New York", "São Paulo", "Hong Kong"})
        QVERIFY2(worldCities.contains(QString::fromUtf8(name)), name);
    const auto paris = std::find_if(cities.begin(), cities.end(),
                                    [](const auto &c) { return c.name == QLatin1String("Paris"); });
    const QPointF w = project(48.8566, 2.3522);
    QVERIFY(std::abs(paris->x / kFixed - w.x()) < 0.001);
    QVERIFY(std::abs(paris->y / kFixed - w.y()) < 0.001);
    // Names the Latin-1 .dbf lost letters of are restored.
    QVERIFY(std::any_of(cities.begin(), cities.end(),
                        [](const auto &c) { return c.name == QString::fromUtf8("Chișinău"); }));
}

void tst_OfflineBasemap::landAtParisSeaInTheAtlantic_data()
{
    QTest::addColumn<int>("z");
    for (const int z : {1, 2, 3, 4, 6, 8, 10, 13})
        QTest::addRow("z%d", z) << z;
}

void tst_OfflineBasemap::landAtParisSeaInTheAtlantic()
{
    QFETCH(int, z);
    const OfflineBasemapRenderer renderer;
    const OfflineBasemapStyle style = OfflineBasemapStyle::light();
    if (z < OfflineBasemapRenderer::minZoomForRank(1)) {
        QCOMPARE(colourAt(renderer, 48.8566, 2.3522, z, style), style.land); // Paris, before its dot is drawn
    } else {
        QCOMPARE(colourAt(renderer, 46.5, 2.5, z, style), style.land); // central France, clear of labels
    }
    QCOMPARE(colourAt(renderer, 45.0, -30.0, z, style), style.sea); // mid-Atlantic
    QCOMPARE(colourAt(renderer, 0.0, -140.0, z, style), style.sea); // mid-Pacific
    QCOMPARE(colourAt(renderer, -15.0, -55.0, z, style), style.land); // Mato Grosso
    QCOMPARE(colourAt(renderer, -80.0, 30.0, z, style), style.land); // Antarctica
    if (z >= 3)
        QCOMPARE(colourAt(renderer, 42.0, 50.5, z, style), style.sea); // the Caspian Sea, a hole in the land
}

void tst_OfflineBasemap::citiesAppearWithZoom()
{
    const OfflineBasemapRenderer renderer;
    const OfflineBasemapStyle style = OfflineBasemapStyle::light();
    // z 1: no cities. From z 2 Paris (a world city) has its dot.
    QCOMPARE(OfflineBasemapRenderer::minZoomForRank(1), 2);
    QCOMPARE(colourAt(renderer, 48.8566, 2.3522, 1, style), style.land);
    for (const int z : {2, 5, 9}) {
        TileId tile;
        const QPoint p = pixelOf(48.8566, 2.3522, z, &tile);
        const QImage image = renderer.render(tile, style);
        QVERIFY2(image.pixelColor(p) != style.land, qPrintable(QString::number(z)));
        // The label: dark text pixels to the right or left of the dot.
        int textPixels = 0;
        for (int dx = -80; dx < 80; ++dx) {
            for (int dy = -6; dy <= 6; ++dy) {
                const QPoint q = p + QPoint(dx, dy);
                if (std::abs(dx) > 6 && image.rect().contains(q) && image.pixelColor(q).lightness() < 100)
                    ++textPixels;
            }
        }
        QVERIFY2(textPixels > 10, qPrintable(QStringLiteral("z %1: %2").arg(z).arg(textPixels)));
    }
}

void tst_OfflineBasemap::darkStyleDiffers()
{
    const OfflineBasemapRenderer renderer;
    const TileId europe{4, 8, 5};
    const QImage light = renderer.render(europe, OfflineBasemapStyle::light());
    const QImage dark = renderer.render(europe, OfflineBasemapStyle::dark());
    QCOMPARE(dark.size(), light.size());
    QVERIFY(light != dark);
    QVERIFY(OfflineBasemapStyle::dark().sea.lightness() < OfflineBasemapStyle::light().sea.lightness());
    QCOMPARE(colourAt(renderer, 45.0, -30.0, 4, OfflineBasemapStyle::dark()), OfflineBasemapStyle::dark().sea);
    QCOMPARE(colourAt(renderer, 46.5, 2.5, 4, OfflineBasemapStyle::dark()), OfflineBasemapStyle::dark().land);
}

void tst_OfflineBasemap::everyZoomRenders()
{
    const OfflineBasemapRenderer renderer;
    const OfflineBasemapStyle style = OfflineBasemapStyle::light();
    // Hong Kong harbour, Antarctica, the antimeridian, the world's corners.
    for (int z = 0; z <= kMaxZoom; ++z) {
        for (const QPointF &geo :
             {QPointF(22.29, 114.17), QPointF(-80, 0), QPointF(65.0, 179.99), QPointF(85, -180), QPointF(-85, 180)}) {
            TileId tile;
            pixelOf(geo.x(), geo.y(), z, &tile);
            tile.x = std::min(tile.x, (1 << z) - 1);
            tile.y = std::min(tile.y, (1 << z) - 1);
            const QImage image = renderer.render(tile, style);
            QCOMPARE(image.size(), QSize(kTileSize, kTileSize));
            QCOMPARE(image.format(), QImage::Format_ARGB32_Premultiplied);
        }
    }
    // Deep inside a continent a high-zoom tile is all land, in the sea all sea.
    TileId tile;
    pixelOf(50.0, 20.0, 17, &tile);
    QImage image = renderer.render(tile, style);
    QCOMPARE(image.pixelColor(0, 0), style.land);
    QCOMPARE(image.pixelColor(255, 255), style.land);
    pixelOf(30.0, -40.0, 19, &tile);
    image = renderer.render(tile, style);
    QCOMPARE(image.pixelColor(128, 128), style.sea);
}

void tst_OfflineBasemap::invalidTileGivesNullImage()
{
    const OfflineBasemapRenderer renderer;
    QVERIFY(renderer.render(TileId{2, 4, 0}, OfflineBasemapStyle::light()).isNull());
    QVERIFY(renderer.render(TileId{-1, 0, 0}, OfflineBasemapStyle::light()).isNull());
}

void tst_OfflineBasemap::renderIsFast()
{
    const OfflineBasemapRenderer renderer;
    const OfflineBasemapStyle style = OfflineBasemapStyle::light();
    renderer.render(TileId{5, 16, 10}, style); // fonts, caches
    QElapsedTimer timer;
    timer.start();
    int tiles = 0;
    // Europe and East Asia, coast-heavy, at the zooms a dispatcher uses.
    for (const int z : {2, 3, 4, 5, 6, 8, 10}) {
        for (const QPointF &geo :
             {QPointF(50.0, 5.0), QPointF(60.0, 10.0), QPointF(22.3, 114.2), QPointF(35.7, 139.7)}) {
            TileId tile;
            pixelOf(geo.x(), geo.y(), z, &tile);
            renderer.render(tile, style);
            ++tiles;
        }
    }
    const double msPerTile = double(timer.nsecsElapsed()) / 1e6 / tiles;
    qInfo("offline basemap: %.2f ms per tile (%d tiles)", msPerTile, tiles);
    // Generous for a debug build on a loaded machine; a few ms in practice.
    QVERIFY2(msPerTile < 60, qPrintable(QString::number(msPerTile)));
}

void tst_OfflineBasemap::minimalFileLoads()
{
    const OfflineBasemap map = OfflineBasemap::fromData(minimalFile());
    QVERIFY2(map.isValid(), qPrintable(map.errorString()));
    QCOMPARE(map.land(OfflineBasemap::Low).features.size(), size_t(1));
    QCOMPARE(map.land(OfflineBasemap::Low).parts.front().pointCount, 4u);
    QCOMPARE(map.cities().size(), size_t(1));
    QCOMPARE(map.cities().front().name, QStringLiteral("Testville"));
}

void tst_OfflineBasemap::highFallsBackToLow()
{
    QList<Section> sections = minimalSections();
    const Feature big{{QPoint(0, 0), QPoint(kQ, 0), QPoint(kQ, kQ)}, {QPoint(10, 10), QPoint(20, 10), QPoint(20, 20)}};
    sections.append({OfflineBasemap::Land, 1, geometry({big})});
    const OfflineBasemap map = OfflineBasemap::fromData(build(sections));
    QVERIFY2(map.isValid(), qPrintable(map.errorString()));
    QCOMPARE(map.land(OfflineBasemap::High).parts.size(), size_t(2));
    QCOMPARE(map.land(OfflineBasemap::Low).parts.size(), size_t(1));
    QCOMPARE(&map.coastlines(OfflineBasemap::High), &map.coastlines(OfflineBasemap::Low));
}

void tst_OfflineBasemap::emptyData()
{
    const OfflineBasemap map = OfflineBasemap::fromData(QByteArray());
    QVERIFY(!map.isValid());
    QVERIFY2(map.errorString().contains(QLatin1String("empty")), qPrintable(map.errorString()));
    QVERIFY(!OfflineBasemap().isValid());
    QVERIFY(!OfflineBasemap().errorString().isEmpty());
    QVERIFY(OfflineBasemap().land(OfflineBasemap::High).features.empty());
}

void tst_OfflineBasemap::truncatedAtEveryLength()
{
    QFile file(OfflineBasemap::kResourcePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray real = file.readAll();
    const QByteArray small = minimalFile();
    for (const QByteArray &data : {small, real}) {
        QList<qsizetype> lengths;
        for (qsizetype n = 0; n < std::min<qsizetype>(data.size(), 200); ++n)
            lengths << n;
        for (qsizetype n = 200; n < data.size(); n += std::max<qsizetype>(1, data.size() / 300))
            lengths << n;
        lengths << data.size() - 1;
        for (const qsizetype n : std::as_const(lengths)) {
            const OfflineBasemap map = OfflineBasemap::fromData(QByteArrayView(data).first(n));
            QVERIFY2(!map.isValid(), qPrintable(QString::number(n)));
            QVERIFY(map.errorString().startsWith(QLatin1String("offline basemap: ")));
            if (n >= 20)
                QVERIFY2(map.errorString().contains(QLatin1String("truncated")), qPrintable(map.errorString()));
        }
        // Too long is an error too.
        const OfflineBasemap longer = OfflineBasemap::fromData(data + QByteArray(3, '\0'));
        QVERIFY(!longer.isValid());
        QVERIFY(longer.errorString().contains(QLatin1String("after the end")));
    }
}

void tst_OfflineBasemap::flippedBytesAreCaught()
{
    QFile file(OfflineBasemap::kResourcePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray real = file.readAll();
    QList<qsizetype> positions;
    for (qsizetype i = 0; i < 200; ++i)
        positions << i;
    for (qsizetype i = 200; i < real.size(); i += 4099)
        positions << i;
    positions << real.size() - 1;
    for (const qsizetype at : std::as_const(positions)) {
        QByteArray data = real;
        data[at] = char(data[at] ^ 0x5A);
        const OfflineBasemap map = OfflineBasemap::fromData(data);
        QVERIFY2(!map.isValid(), qPrintable(QString::number(at)));
        QVERIFY(!map.errorString().isEmpty());
    }
    QByteArray data = real;
    data[real.size() / 2] = char(data[real.size() / 2] ^ 1);
    QVERIFY(OfflineBasemap::fromData(data).errorString().contains(QLatin1String("checksum mismatch")));
    data = real;
    data[0] = 'X';
    QVERIFY(OfflineBasemap::fromData(data).errorString().contains(QLatin1String("bad magic")));
}

void tst_OfflineBasemap::randomDamageBehindAValidChecksum()
{
    // A checksum does not make data trustworthy: the structure is checked
    // on its own. Damage that still parses must render safely.
    QFile file(OfflineBasemap::kResourcePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray real = file.readAll();
    const QByteArray small = minimalFile();
    QRandomGenerator random(20240611);
    int parsed = 0;
    for (int round = 0; round < 1200; ++round) {
        QByteArray data = round % 6 == 0 ? real : small;
        const int flips = 1 + int(random.bounded(4));
        for (int i = 0; i < flips; ++i) {
            const qsizetype at = 16 + random.bounded(data.size() - 16);
            data[at] = char(random.bounded(256));
        }
        fixChecksum(data);
        const OfflineBasemap map = OfflineBasemap::fromData(data);
        if (!map.isValid()) {
            QVERIFY(!map.errorString().isEmpty());
            continue;
        }
        ++parsed;
        const OfflineBasemapRenderer renderer(std::make_shared<const OfflineBasemap>(map));
        QCOMPARE(renderer
                     .render(TileId{3, int(random.bounded(8)), int(random.bounded(8))}, OfflineBasemapStyle::light())
                     .size(),
                 QSize(kTileSize, kTileSize));
    }
    qInfo("%d of 1200 damaged files still parsed (and rendered)", parsed);
}

void tst_OfflineBasemap::structuralErrors_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error");

    QByteArray d = minimalFile();
    put32(d, 4, 2); // version 2, reserved 0
    fixChecksum(d);
    QTest::newRow("version") << d << QStringLiteral("unsupported format version 2");

    d = minimalFile();
    d[6] = 1;
    fixChecksum(d);
    QTest::newRow("reserved") << d << QStringLiteral("reserved header field");

    d = minimalFile();
    put32(d, 16, 1000);
    fixChecksum(d);
    QTest::newRow("too many sections") << d << QStringLiteral("at most 64");

    d = minimalFile();
    put32(d, 16, 60);
    fixChecksum(d);
    QTest::newRow("section table past the end") << d << QStringLiteral("section table");

    d = minimalFile();
    put32(d, 20, 9);
    fixChecksum(d);
    QTest::newRow("unknown kind") << d << QStringLiteral("unknown kind 9");

    d = minimalFile();
    put32(d, 24, 2);
    fixChecksum(d);
    QTest::newRow("bad lod") << d << QStringLiteral("invalid level of detail");

    d = minimalFile();
    put32(d, 20 + 16 * 3 + 4, 1); // cities at LOD 1
    fixChecksum(d);
    QTest::newRow("cities lod") << d << QStringLiteral("invalid level of detail");

    d = minimalFile();
    put32(d, 20 + 16, OfflineBasemap::Land); // coastlines relabelled as a second land section
    fixChecksum(d);
    QTest::newRow("duplicate") << d << QStringLiteral("appears twice");

    d = minimalFile();
    put32(d, 28, 0xFFFFFFF0u); // land section offset far away
    fixChecksum(d);
    QTest::newRow("offset past end") << d << QStringLiteral("lies outside the data");

    d = minimalFile();
    put32(d, 32, 0xFFFFFFFCu); // land section size huge: offset + size overflows 32 bits
    fixChecksum(d);
    QTest::newRow("size overflow") << d << QStringLiteral("lies outside the data");

    d = minimalFile();
    put32(d, 28, 4); // inside the header
    fixChecksum(d);
    QTest::newRow("offset in header") << d << QStringLiteral("lies outside the data");

    d = minimalFile();
    put32(d, 28, 21 + 16 * 4);
    fixChecksum(d);
    QTest::newRow("misaligned") << d << QStringLiteral("lies outside the data");

    d = minimalFile();
    put32(d, 20 + 16 + 8, qFromLittleEndian<quint32>(d.constData() + 28)); // coastlines at the land offset
    fixChecksum(d);
    QTest::newRow("overlap") << d << QStringLiteral("overlaps");

    QList<Section> s = minimalSections();
    s.removeAt(2);
    QTest::newRow("no borders") << build(s) << QStringLiteral("borders section (LOD 0) is missing");

    s = minimalSections();
    s.removeAt(3);
    QTest::newRow("no cities") << build(s) << QStringLiteral("cities section (LOD 0) is missing");

    s = minimalSections();
    put32(s[0].payload, 0, 0xFFFFFFFFu); // 4 billion features in 60 bytes
    QTest::newRow("huge feature count") << build(s) << QStringLiteral("need");

    s = minimalSections();
    put32(s[0].payload, 8, 3); // 3 points announced, 4 stored
    QTest::newRow("point count mismatch") << build(s) << QStringLiteral("need");

    s = minimalSections();
    s[0].payload = geometry({Feature{{QPoint(0, 0), QPoint(1, 1)}}});
    QTest::newRow("two-point ring") << build(s) << QStringLiteral("at least 3 needed");

    s = minimalSections();
    s[1].payload = geometry({Feature{{QPoint(0, 0)}}, Feature{{QPoint(1, 1), QPoint(2, 2), QPoint(3, 3)}}});
    QTest::newRow("one-point line") << build(s) << QStringLiteral("at least 2 needed");

    s = minimalSections();
    s[0].payload = geometry({Feature{{QPoint(0, 0), QPoint(1, 0), QPoint(int((1u << 31) - 1), 5)}}});
    put32(s[0].payload, 12 + 20 + 4 + 16, (1u << 31) + 1); // third point's x beyond the world
    put32(s[0].payload, 12 + 8, (1u << 31) + 1); // and the bbox says so too
    QTest::newRow("outside world") << build(s) << QStringLiteral("outside the world");

    s = minimalSections();
    put32(s[0].payload, 12 + 8, kQ + 5); // bbox maxX smaller than the square's 2kQ
    QTest::newRow("bbox") << build(s) << QStringLiteral("bounding box does not hold");

    s = minimalSections();
    put32(s[0].payload, 12 + 16, 0); // feature with no parts
    QTest::newRow("no parts") << build(s) << QStringLiteral("has no parts");

    s = minimalSections();
    s[0].payload = geometry(
        {Feature{{QPoint(0, 0), QPoint(1, 0), QPoint(1, 1)}}, Feature{{QPoint(0, 0), QPoint(1, 0), QPoint(1, 1)}}});
    put32(s[0].payload, 12 + 16, 2); // first feature claims both parts, second claims one more
    QTest::newRow("parts overused") << build(s) << QStringLiteral("more parts");

    s = minimalSections();
    s[0].payload = geometry(
        {Feature{{QPoint(0, 0), QPoint(1, 0), QPoint(1, 1)}, {QPoint(0, 0), QPoint(1, 0), QPoint(1, 1)}}});
    put32(s[0].payload, 12 + 16, 1); // two parts stored, one used
    QTest::newRow("parts unused") << build(s) << QStringLiteral("use 1 of the 2 parts");

    s = minimalSections();
    s[0].payload = geometry(
        {Feature{{QPoint(0, 0), QPoint(1, 0), QPoint(1, 1)}, {QPoint(0, 0), QPoint(1, 0), QPoint(1, 1)}}});
    put32(s[0].payload, 12 + 20, 4); // first ring claims 4 of the 6 points, second 3
    QTest::newRow("points overused") << build(s) << QStringLiteral("more points");

    s = minimalSections();
    s[1].payload = geometry({Feature{{QPoint(0, 0), QPoint(1, 0), QPoint(1, 1)}}});
    put32(s[1].payload, 12 + 20, 2); // a line of 3 points stored, 2 used
    QTest::newRow("points unused") << build(s) << QStringLiteral("hold 2 of the 3 points");

    s = minimalSections();
    s[3].payload = cities({{1, 1, 1, "A"}});
    put32(s[3].payload, 8 + 8, 5); // name offset beyond the one byte of names
    QTest::newRow("name outside") << build(s) << QStringLiteral("name lies outside");

    s = minimalSections();
    s[3].payload = cities({{1, 1, 1, "A"}});
    s[3].payload[8 + 12] = 0; // empty name
    QTest::newRow("empty name") << build(s) << QStringLiteral("name lies outside");

    s = minimalSections();
    s[3].payload = cities({{1, 1, 1, "\xC3\x28"}});
    QTest::newRow("bad utf-8") << build(s) << QStringLiteral("not valid UTF-8");

    s = minimalSections();
    s[3].payload = cities({{1, 1, 0, "A"}});
    QTest::newRow("rank 0") << build(s) << QStringLiteral("rank 0");

    s = minimalSections();
    s[3].payload = cities({{(1u << 31) + 1, 1, 1, "A"}});
    QTest::newRow("city outside") << build(s) << QStringLiteral("outside the world");

    s = minimalSections();
    s[3].payload = cities({{1, 1, 1, "A"}});
    put32(s[3].payload, 0, 0x10000000u); // city count far beyond the data
    QTest::newRow("huge city count") << build(s) << QStringLiteral("need");

    s = minimalSections();
    s[3].payload = cities({{1, 1, 1, "A"}});
    s[3].payload[s[3].payload.size() - 1] = 7; // padding must be zero
    QTest::newRow("padding") << build(s) << QStringLiteral("need");

    s = minimalSections();
    s[0].payload = QByteArray(8, '\0');
    QTest::newRow("short geometry") << build(s) << QStringLiteral("truncated (8 bytes)");

    s = minimalSections();
    s[3].payload = QByteArray(4, '\0');
    QTest::newRow("short cities") << build(s) << QStringLiteral("truncated (4 bytes)");
}

void tst_OfflineBasemap::structuralErrors()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    const OfflineBasemap map = OfflineBasemap::fromData(data);
    QVERIFY(!map.isValid());
    QVERIFY2(map.errorString().contains(error), qPrintable(map.errorString()));
    QVERIFY(map.cities().empty());
    QVERIFY(map.land(OfflineBasemap::Low).features.empty());
}

void tst_OfflineBasemap::missingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("nope.bin"));
    const OfflineBasemap map = OfflineBasemap::fromFile(path);
    QVERIFY(!map.isValid());
    QVERIFY(map.errorString().contains(path));
    QVERIFY(map.errorString().contains(QLatin1String("cannot open")));
}

void tst_OfflineBasemap::invalidDataRendersSea()
{
    const OfflineBasemapRenderer renderer(std::make_shared<const OfflineBasemap>(OfflineBasemap::fromData("junk")));
    const OfflineBasemapStyle style = OfflineBasemapStyle::light();
    const QImage image = renderer.render(TileId{3, 4, 2}, style);
    QCOMPARE(image.size(), QSize(kTileSize, kTileSize));
    QCOMPARE(image.pixelColor(100, 100), style.sea);
    const OfflineBasemapRenderer none(nullptr);
    QCOMPARE(none.render(TileId{0, 0, 0}, style).pixelColor(0, 0), style.sea);
}

void tst_OfflineBasemap::checksumIsCrc32()
{
    // The standard check value of CRC-32 (the one zlib.crc32 computes).
    QCOMPARE(OfflineBasemap::checksum("123456789"), 0xCBF43926u);
    QCOMPARE(OfflineBasemap::checksum(QByteArrayView()), 0u);
}

QTEST_MAIN(tst_OfflineBasemap)
#include "tst_offlinebasemap.moc"
