// MbTilesSource over MBTiles files the test writes: metadata, the TMS row
// flip, PNG and JPEG tiles, and every way a file or a tile can be wrong.

#include "map/mbtilessource.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Fleet::Map;

namespace {

QByteArray encoded(const QColor &colour, const char *format)
{
    QImage image(kTileSize, kTileSize, QImage::Format_RGB32);
    image.fill(colour);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format, 95);
    return bytes;
}

struct Row
{
    int z, column, tmsRow;
    QByteArray data;
};

// Writes an MBTiles file; an empty metadata map leaves the table out.
bool writeMbTiles(const QString &path, const QList<Row> &rows, const QList<std::pair<QString, QString>> &metadata,
                  bool withMetadataTable = true)
{
    const QString name = QStringLiteral("tst_mbtiles_writer");
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery q(db);
        const auto exec = [&](const QString &sql) {
            if (!q.exec(sql)) {
                qWarning() << sql << q.lastError().text();
                ok = false;
            }
        };
        if (withMetadataTable)
            exec(QStringLiteral("CREATE TABLE metadata (name text, value text)"));
        exec(QStringLiteral(
            "CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)"));
        exec(QStringLiteral("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)"));
        for (const auto &[key, value] : metadata) {
            q.prepare(QStringLiteral("INSERT INTO metadata VALUES (?, ?)"));
            q.addBindValue(key);
            q.addBindValue(value);
            ok = q.exec() && ok;
        }
        for (const Row &r : rows) {
            q.prepare(QStringLiteral("INSERT INTO tiles VALUES (?, ?, ?, ?)"));
            q.addBindValue(r.z);
            q.addBindValue(r.column);
            q.addBindValue(r.tmsRow);
            q.addBindValue(r.data);
            ok = q.exec() && ok;
        }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

const QList<std::pair<QString, QString>> kMetadata = {
    {QStringLiteral("name"), QStringLiteral("Test Tiles")},
    {QStringLiteral("format"), QStringLiteral("png")},
    {QStringLiteral("minzoom"), QStringLiteral("0")},
    {QStringLiteral("maxzoom"), QStringLiteral("3")},
    {QStringLiteral("attribution"), QStringLiteral("<a href=\"https://example.org\">&copy; Test Maps</a>")},
    {QStringLiteral("bounds"), QStringLiteral("-180,-85.0511,180,85.0511")},
};

bool sameColour(const QColor &a, const QColor &b, int tolerance = 0)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

QStringList ourConnections()
{
    return QSqlDatabase::connectionNames().filter(QStringLiteral("fleet.map.mbtiles"));
}

} // namespace

class tst_MbTilesSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void readsMetadata();
    void flipsRowsTms();
    void decodesJpeg();
    void missingTileIsNotFound();
    void corruptBlobIsPermanent();
    void emptyBlobIsNotFound();
    void outsideZoomOrBoundsIsNotFound();
    void zoomRangeFromTilesWithoutMetadata();
    void missingFile();
    void directoryIsNotAFile();
    void notSqlite();
    void sqliteWithoutTilesTable();
    void tilesTableWithoutColumns();
    void noTiles();
    void vectorTilesAreRefused();
    void malformedBoundsAreIgnored();
    void requestWithoutOpenFileFails();
    void cancelledTilesGetNoAnswer();
    void reopeningDropsOldAnswers();
    void readsInAWorkerConnectionAndWritesNothing();

private:
    QString writeDefault();
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_MbTilesSource::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_MbTilesSource::writeDefault()
{
    QString path = m_dir->filePath(QStringLiteral("test.mbtiles"));
    const QList<Row> rows = {
        {0, 0, 0, encoded(Qt::blue, "PNG")},
        // z 2, column 1, TMS row 0: the southernmost row, XYZ y = 3.
        {2, 1, 0, encoded(Qt::red, "PNG")},
        {2, 1, 3, encoded(Qt::green, "PNG")},
        {3, 0, 0, encoded(QColor(200, 120, 40), "JPEG")},
        {3, 1, 1, QByteArray("this is not an image at all")},
        {3, 2, 2, QByteArray()},
    };
    if (!writeMbTiles(path, rows, kMetadata))
        return {};
    return path;
}

void tst_MbTilesSource::readsMetadata()
{
    const QString path = writeDefault();
    MbTilesSource source;
    QVERIFY2(source.open(path), qPrintable(source.errorString()));
    QVERIFY(source.isOpen());
    QCOMPARE(source.path(), path);
    QCOMPARE(source.name(), QStringLiteral("Test Tiles"));
    QCOMPARE(source.format(), QStringLiteral("png"));
    QCOMPARE(source.minZoom(), 0);
    QCOMPARE(source.maxZoom(), 3);
    QCOMPARE(source.attribution(), QStringLiteral("© Test Maps")); // HTML made plain
    QVERIFY(source.worldBounds().contains(QPointF(0.5, 0.5)));
    QVERIFY(std::abs(source.worldBounds().width() - 1.0) < 1e-9);
    QCOMPARE(source.metadata().value(QStringLiteral("maxzoom")), QStringLiteral("3"));
    source.setName(QStringLiteral("Mine"));
    QCOMPARE(source.name(), QStringLiteral("Mine"));
}

void tst_MbTilesSource::flipsRowsTms()
{
    MbTilesSource source;
    QVERIFY(source.open(writeDefault()));
    QSignalSpy ready(&source, &TileSource::tileReady);
    source.requestTile({2, 1, 3});
    QCOMPARE(ready.size(), 0);
    QVERIFY(ready.wait(5000));
    QCOMPARE(ready.at(0).at(0).value<TileId>(), (TileId{2, 1, 3}));
    QImage image = ready.at(0).at(1).value<QImage>();
    QCOMPARE(image.format(), QImage::Format_ARGB32_Premultiplied);
    QCOMPARE(image.pixelColor(100, 100), QColor(Qt::red));
    source.requestTile({2, 1, 0});
    QVERIFY(ready.wait(5000));
    QCOMPARE(ready.at(1).at(1).value<QImage>().pixelColor(5, 5), QColor(Qt::green));
    source.requestTile({0, 0, 0});
    QVERIFY(ready.wait(5000));
    QCOMPARE(ready.at(2).at(1).value<QImage>().pixelColor(5, 5), QColor(Qt::blue));
}

void tst_MbTilesSource::decodesJpeg()
{
    MbTilesSource source;
    QVERIFY(source.open(writeDefault()));
    QSignalSpy ready(&source, &TileSource::tileReady);
    source.requestTile({3, 0, 7});
    QVERIFY(ready.wait(5000));
    const QColor c = ready.at(0).at(1).value<QImage>().pixelColor(128, 128);
    QVERIFY2(sameColour(c, QColor(200, 120, 40), 6), qPrintable(c.name()));
}

void tst_MbTilesSource::missingTileIsNotFound()
{
    MbTilesSource source;
    QVERIFY(source.open(writeDefault()));
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({2, 0, 0});
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(0).value<TileId>(), (TileId{2, 0, 0}));
    QCOMPARE(failed.at(0).at(1).value<TileFailure>(), TileFailure::NotFound);
    QVERIFY(failed.at(0).at(2).toString().contains(QLatin1String("2/0/0")));
}

void tst_MbTilesSource::corruptBlobIsPermanent()
{
    MbTilesSource source;
    QVERIFY(source.open(writeDefault()));
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({3, 1, 6});
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(1).value<TileFailure>(), TileFailure::Permanent);
    QVERIFY2(failed.at(0).at(2).toString().contains(QLatin1String("not a PNG or JPEG")),
             qPrintable(failed.at(0).at(2).toString()));
}

void tst_MbTilesSource::emptyBlobIsNotFound()
{
    MbTilesSource source;
    QVERIFY(source.open(writeDefault()));
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({3, 2, 5});
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(1).value<TileFailure>(), TileFailure::NotFound);
    QVERIFY(failed.at(0).at(2).toString().contains(QLatin1String("empty")));
}

void tst_MbTilesSource::outsideZoomOrBoundsIsNotFound()
{
    const QString path = m_dir->filePath(QStringLiteral("europe.mbtiles"));
    QVERIFY(writeMbTiles(path, {{4, 8, 10, encoded(Qt::red, "PNG")}},
                         {{QStringLiteral("format"), QStringLiteral("png")},
                          {QStringLiteral("bounds"), QStringLiteral("-10,35,30,60")}}));
    MbTilesSource source;
    QVERIFY(source.open(path));
    QCOMPARE(source.minZoom(), 4);
    QCOMPARE(source.maxZoom(), 4);
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({5, 16, 10}); // deeper than the file goes
    source.requestTile({4, 0, 0}); // outside the bounds: not even looked up
    source.requestTile({2, 9, 9}); // not a tile
    QCOMPARE(failed.size(), 0);
    QTRY_COMPARE(failed.size(), 3);
    QCOMPARE(failed.at(0).at(1).value<TileFailure>(), TileFailure::NotFound);
    QCOMPARE(failed.at(1).at(1).value<TileFailure>(), TileFailure::NotFound);
    QCOMPARE(failed.at(2).at(1).value<TileFailure>(), TileFailure::Permanent);
}

void tst_MbTilesSource::zoomRangeFromTilesWithoutMetadata()
{
    const QString path = m_dir->filePath(QStringLiteral("bare-name.mbtiles"));
    QVERIFY(writeMbTiles(path, {{5, 1, 1, encoded(Qt::red, "PNG")}, {9, 1, 1, encoded(Qt::red, "PNG")}}, {}, false));
    MbTilesSource source;
    QVERIFY2(source.open(path), qPrintable(source.errorString()));
    QCOMPARE(source.minZoom(), 5);
    QCOMPARE(source.maxZoom(), 9);
    QCOMPARE(source.name(), QStringLiteral("bare-name"));
    QVERIFY(source.attribution().isEmpty());
    QVERIFY(source.format().isEmpty());
    QVERIFY(source.worldBounds().isNull());
    QVERIFY(source.metadata().isEmpty());
}

void tst_MbTilesSource::missingFile()
{
    MbTilesSource source;
    const QString path = m_dir->filePath(QStringLiteral("nothing.mbtiles"));
    QVERIFY(!source.open(path));
    QVERIFY(!source.isOpen());
    QVERIFY2(source.errorString().contains(QLatin1String("does not exist")), qPrintable(source.errorString()));
    QVERIFY(source.errorString().contains(path));
    QVERIFY(!source.open(QString()));
    QVERIFY(source.errorString().contains(QLatin1String("does not exist")));
}

void tst_MbTilesSource::directoryIsNotAFile()
{
    MbTilesSource source;
    QVERIFY(!source.open(m_dir->path()));
    QVERIFY2(source.errorString().contains(QLatin1String("is not a file")), qPrintable(source.errorString()));
}

void tst_MbTilesSource::notSqlite()
{
    const QString path = m_dir->filePath(QStringLiteral("text.mbtiles"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("just some text, not a database\n");
    file.close();
    MbTilesSource source;
    QVERIFY(!source.open(path));
    QVERIFY2(source.errorString().contains(QLatin1String("not an SQLite database")), qPrintable(source.errorString()));
    // Empty file: the same.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.close();
    QVERIFY(!source.open(path));
    QVERIFY(source.errorString().contains(QLatin1String("not an SQLite database")));
    QVERIFY(ourConnections().isEmpty());
}

void tst_MbTilesSource::sqliteWithoutTilesTable()
{
    const QString path = m_dir->filePath(QStringLiteral("other.sqlite"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst_other"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE vehicles (imei text)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst_other"));
    MbTilesSource source;
    QVERIFY(!source.open(path));
    QVERIFY2(source.errorString().contains(QLatin1String("no tiles table")), qPrintable(source.errorString()));
    QVERIFY(ourConnections().isEmpty());
}

void tst_MbTilesSource::tilesTableWithoutColumns()
{
    const QString path = m_dir->filePath(QStringLiteral("odd.mbtiles"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst_odd"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE tiles (a integer, b blob)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst_odd"));
    MbTilesSource source;
    QVERIFY(!source.open(path));
    QVERIFY2(source.errorString().contains(QLatin1String("lacks the MBTiles columns")),
             qPrintable(source.errorString()));
}

void tst_MbTilesSource::noTiles()
{
    const QString path = m_dir->filePath(QStringLiteral("empty.mbtiles"));
    QVERIFY(writeMbTiles(path, {}, {{QStringLiteral("format"), QStringLiteral("png")}}));
    MbTilesSource source;
    QVERIFY(!source.open(path));
    QVERIFY2(source.errorString().contains(QLatin1String("holds no tiles")), qPrintable(source.errorString()));
}

void tst_MbTilesSource::vectorTilesAreRefused()
{
    const QString path = m_dir->filePath(QStringLiteral("vector.mbtiles"));
    QVERIFY(writeMbTiles(path, {{0, 0, 0, QByteArray("\x1a\x02pbf", 5)}},
                         {{QStringLiteral("format"), QStringLiteral("pbf")}}));
    MbTilesSource source;
    QVERIFY(!source.open(path));
    QVERIFY2(source.errorString().contains(QLatin1String("only raster tiles")), qPrintable(source.errorString()));
}

void tst_MbTilesSource::malformedBoundsAreIgnored()
{
    const QString path = m_dir->filePath(QStringLiteral("bounds.mbtiles"));
    QVERIFY(writeMbTiles(path, {{1, 0, 0, encoded(Qt::red, "PNG")}},
                         {{QStringLiteral("bounds"), QStringLiteral("west,south,east,north")},
                          {QStringLiteral("format"), QStringLiteral("jpg")}}));
    MbTilesSource source;
    QVERIFY(source.open(path));
    QVERIFY(source.worldBounds().isNull());
    // The metadata says jpg, the blob is a PNG: decoding goes by the data.
    QSignalSpy ready(&source, &TileSource::tileReady);
    source.requestTile({1, 0, 1});
    QVERIFY(ready.wait(5000));
}

void tst_MbTilesSource::requestWithoutOpenFileFails()
{
    MbTilesSource source;
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({1, 0, 0});
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(1).value<TileFailure>(), TileFailure::Permanent);
    QVERIFY(failed.at(0).at(2).toString().contains(QLatin1String("no MBTiles file is open")));
    QVERIFY(!source.open(m_dir->filePath(QStringLiteral("gone.mbtiles"))));
    source.requestTile({1, 0, 0});
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(1).at(2).toString(), source.errorString());
}

void tst_MbTilesSource::cancelledTilesGetNoAnswer()
{
    MbTilesSource source;
    QVERIFY(source.open(writeDefault()));
    QSignalSpy ready(&source, &TileSource::tileReady);
    QSignalSpy failed(&source, &TileSource::tileFailed);
    source.requestTile({2, 1, 3});
    source.requestTile({2, 1, 3}); // asked twice: answered once
    source.requestTile({2, 0, 0});
    source.requestTile({0, 0, 0});
    QCOMPARE(source.pendingCount(), 3);
    source.cancelTile({2, 1, 3});
    source.cancelTile({2, 0, 0});
    QCOMPARE(source.pendingCount(), 1);
    QVERIFY(ready.wait(5000));
    QCOMPARE(ready.at(0).at(0).value<TileId>(), (TileId{0, 0, 0}));
    // The reader takes its requests one at a time in the order asked and
    // posts each answer to this thread's queue: once the answer to a tile
    // asked for later is in, an answer to a cancelled tile would be too.
    source.requestTile({2, 1, 0});
    QVERIFY(ready.wait(5000));
    QCOMPARE(ready.size(), 2);
    QCOMPARE(ready.at(1).at(0).value<TileId>(), (TileId{2, 1, 0}));
    QCOMPARE(failed.size(), 0);

    source.requestTile({2, 1, 3});
    source.requestTile({5, 0, 0}); // out of range: a failure on its way
    source.cancelAll();
    QCOMPARE(source.pendingCount(), 0);
    // The cancelled read and the failure were both queued ahead of the answer
    // to a tile asked for now.
    source.requestTile({0, 0, 0});
    QVERIFY(ready.wait(5000));
    QCOMPARE(ready.size(), 3);
    QCOMPARE(ready.at(2).at(0).value<TileId>(), (TileId{0, 0, 0}));
    QCOMPARE(failed.size(), 0);
}

void tst_MbTilesSource::reopeningDropsOldAnswers()
{
    const QString first = writeDefault();
    const QString second = m_dir->filePath(QStringLiteral("second.mbtiles"));
    QVERIFY(writeMbTiles(second, {{0, 0, 0, encoded(Qt::yellow, "PNG")}},
                         {{QStringLiteral("format"), QStringLiteral("png")}}));
    MbTilesSource source;
    QVERIFY(source.open(first));
    QSignalSpy ready(&source, &TileSource::tileReady);
    source.requestTile({0, 0, 0});
    QVERIFY(source.open(second));
    QCOMPARE(source.pendingCount(), 0);
    source.requestTile({0, 0, 0});
    QVERIFY(ready.wait(5000));
    // open() waited for the first file's reader to finish, so an answer from
    // it was queued before this one: it came first, and was dropped.
    QCOMPARE(ready.size(), 1);
    QCOMPARE(ready.at(0).at(1).value<QImage>().pixelColor(1, 1), QColor(Qt::yellow));
    source.close();
    QVERIFY(!source.isOpen());
}

void tst_MbTilesSource::readsInAWorkerConnectionAndWritesNothing()
{
    const QString path = writeDefault();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    file.close();
    {
        MbTilesSource source;
        QVERIFY(source.open(path));
        QVERIFY(ourConnections().isEmpty()); // the check's connection is gone; the reader's opens lazily
        QSignalSpy ready(&source, &TileSource::tileReady);
        source.requestTile({0, 0, 0});
        QVERIFY(ready.wait(5000));
        QCOMPARE(ourConnections().size(), 1);
    }
    // The reader closed and removed its connection in its own thread.
    QCOMPARE(ourConnections().size(), 0);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256), before);
}

QTEST_MAIN(tst_MbTilesSource)
#include "tst_mbtilessource.moc"
