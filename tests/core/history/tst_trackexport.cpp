#include "history/trackexport.h"

#include "historytestdata.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTemporaryFile>
#include <QXmlStreamReader>
#include <QtTest>

using namespace Fleet;
using namespace HistoryTest;

namespace {

QByteArray exported(TrackExport::Format format, const QList<TrackExport::Vehicle> &vehicles, bool trips = false)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    const bool ok = trips ? TrackExport::writeTrips(vehicles, format, &buffer, &error)
                          : TrackExport::writeTrack(vehicles, format, &buffer, &error);
    if (!ok)
        qWarning() << error;
    return ok ? buffer.data() : QByteArray();
}

TrackExport::Vehicle van()
{
    VehicleHistory h = history();
    h.name = QStringLiteral("VAN-042, \"blue\" <&>"); // needs quoting and escaping everywhere
    return TrackExport::prepare(h);
}

} // namespace

class TestTrackExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void formatNames();
    void gpxHasEverySegmentAndPoint();
    void kmlHasLinesTimesAndStops();
    void csvIsLocaleFreeWithAHeader();
    void geoJsonIsAFeatureCollection();
    void tripsAsCsvAndGeoJson();
    void aDeviceThatFailsIsAnError();
};

void TestTrackExport::initTestCase()
{
    // A decimal comma must not reach any file.
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
}

void TestTrackExport::formatNames()
{
    QCOMPARE(TrackExport::formatFromName(QStringLiteral("GPX")), TrackExport::Format::Gpx);
    QCOMPARE(TrackExport::formatFromName(QStringLiteral("geojson")), TrackExport::Format::GeoJson);
    QCOMPARE(TrackExport::formatFromName(QStringLiteral("shp")), std::nullopt);
    QCOMPARE(TrackExport::utcText(at(0)), QStringLiteral("2026-05-28T20:26:40Z"));
    QCOMPARE(TrackExport::coordinateText(2.5), QStringLiteral("2.500000"));
}

void TestTrackExport::gpxHasEverySegmentAndPoint()
{
    const TrackExport::Vehicle v = van();
    const QByteArray gpx = exported(TrackExport::Format::Gpx, {v});
    QXmlStreamReader xml(gpx);
    int segments = 0;
    int points = 0;
    int waypoints = 0;
    bool sawTrack = false;
    QStringList times;
    QString trackName;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = xml.name();
        if (name == QLatin1String("gpx")) {
            QCOMPARE(xml.namespaceUri().toString(), QStringLiteral("http://www.topografix.com/GPX/1/1"));
            QCOMPARE(xml.attributes().value(QLatin1String("version")).toString(), QStringLiteral("1.1"));
        } else if (name == QLatin1String("wpt")) {
            QVERIFY2(!sawTrack, "GPX 1.1 puts waypoints before tracks");
            ++waypoints;
        } else if (name == QLatin1String("trk")) {
            sawTrack = true;
        } else if (name == QLatin1String("name") && sawTrack && trackName.isEmpty()) {
            trackName = xml.readElementText();
        } else if (name == QLatin1String("trkseg")) {
            ++segments;
        } else if (name == QLatin1String("trkpt")) {
            ++points;
            QVERIFY(xml.attributes().value(QLatin1String("lat")).toString().contains(QLatin1Char('.')));
        } else if (name == QLatin1String("time") && sawTrack) {
            times.append(xml.readElementText());
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString() + QString::fromUtf8(gpx.right(200))));
    QCOMPARE(trackName, v.history.name);
    QCOMPARE(waypoints, 2); // the parking and the idling
    QCOMPARE(segments, 2); // split at the tunnel
    QCOMPARE(points, v.history.fixes.size());
    QCOMPARE(times.first(), QStringLiteral("2026-05-28T20:26:40Z"));
    QCOMPARE(times.size(), v.history.fixes.size());
}

void TestTrackExport::kmlHasLinesTimesAndStops()
{
    const TrackExport::Vehicle v = van();
    QXmlStreamReader xml(exported(TrackExport::Format::Kml, {v}));
    int lines = 0;
    int whens = 0;
    int coords = 0;
    int stops = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("kml"))
            QCOMPARE(xml.namespaceUri().toString(), QStringLiteral("http://www.opengis.net/kml/2.2"));
        if (xml.name() == QLatin1String("LineString"))
            ++lines;
        if (xml.name() == QLatin1String("when"))
            ++whens;
        if (xml.name() == QLatin1String("coord"))
            ++coords;
        if (xml.name() == QLatin1String("TimeSpan"))
            ++stops;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(lines, 2);
    QCOMPARE(whens, v.history.fixes.size());
    QCOMPARE(coords, v.history.fixes.size());
    QCOMPARE(stops, 2);
}

void TestTrackExport::csvIsLocaleFreeWithAHeader()
{
    const TrackExport::Vehicle v = van();
    const QList<QByteArray> lines = exported(TrackExport::Format::Csv, {v}).split('\n');
    QCOMPARE(lines.first(), QByteArray("imei,vehicle_name,time_utc,lat,lng,speed_kmh,course_deg,altitude_m,satellites,"
                                       "acc,position_type,reuploaded,segment"));
    QCOMPARE(lines.size(), v.history.fixes.size() + 2); // header, rows, the final newline
    QCOMPARE(lines.at(1), QByteArray("860000000000042,\"VAN-042, \"\"blue\"\" <&>\",2026-05-28T20:26:40Z,48.850000,"
                                     "2.350000,36.0,90.0,,9,1,GPS,,1"));
    QVERIFY(lines.at(lines.size() - 2).endsWith(",2"));
}

void TestTrackExport::geoJsonIsAFeatureCollection()
{
    const TrackExport::Vehicle v = van();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(exported(TrackExport::Format::GeoJson, {v}), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(doc.object().value(QLatin1String("type")).toString(), QStringLiteral("FeatureCollection"));
    const QJsonArray features = doc.object().value(QLatin1String("features")).toArray();
    QCOMPARE(features.size(), 1 + v.history.fixes.size() + 2);
    const QJsonObject track = features.at(0).toObject();
    QCOMPARE(track.value(QLatin1String("geometry")).toObject().value(QLatin1String("type")).toString(),
             QStringLiteral("MultiLineString"));
    const QJsonArray first = track.value(QLatin1String("geometry"))
                                 .toObject()
                                 .value(QLatin1String("coordinates"))
                                 .toArray()
                                 .at(0)
                                 .toArray()
                                 .at(0)
                                 .toArray();
    // Longitude first (RFC 7946).
    QCOMPARE(first.at(0).toDouble(), 2.35);
    QCOMPARE(first.at(1).toDouble(), 48.85);
    QCOMPARE(track.value(QLatin1String("properties")).toObject().value(QLatin1String("vehicle_name")).toString(),
             v.history.name);
}

void TestTrackExport::tripsAsCsvAndGeoJson()
{
    const TrackExport::Vehicle v = van();
    const QList<QByteArray> lines = exported(TrackExport::Format::Csv, {v}, true).split('\n');
    QCOMPARE(lines.first(), QByteArray("imei,vehicle_name,start_time_utc,end_time_utc,start_lat,start_lng,end_lat,"
                                       "end_lng,duration_s,distance_km,max_speed_kmh,avg_speed_kmh,idle_s,source"));
    QCOMPARE(lines.size(), 3 + 2);
    // 600 s, about 6 km (the test day's metres along the parallel), 36 km/h at most and on average.
    QVERIFY2(QString::fromUtf8(lines.at(1)).contains(QRegularExpression(QStringLiteral(",600,(5\\.99\\d|6\\.00\\d),36\\.0,36\\.0,0,derived$"))),
             lines.at(1).constData());

    const QJsonDocument doc = QJsonDocument::fromJson(exported(TrackExport::Format::GeoJson, {v}, true));
    const QJsonArray features = doc.object().value(QLatin1String("features")).toArray();
    QCOMPARE(features.size(), 3);
    QVERIFY(qAbs(features.at(2).toObject().value(QLatin1String("properties")).toObject().value(QLatin1String("distance_km")).toDouble()
                 - 18.3) < 0.05);

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    QVERIFY(!TrackExport::writeTrips({v}, TrackExport::Format::Gpx, &buffer, &error));
    QVERIFY(!error.isEmpty());
}

void TestTrackExport::aDeviceThatFailsIsAnError()
{
    // A device opened for reading takes no bytes: every format says so.
    QTemporaryFile file;
    QVERIFY(file.open());
    file.close();
    QFile readOnly(file.fileName());
    QVERIFY(readOnly.open(QIODevice::ReadOnly));
    for (const auto format : {TrackExport::Format::Gpx, TrackExport::Format::Kml, TrackExport::Format::Csv,
                              TrackExport::Format::GeoJson}) {
        QString error;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("QIODevice::write.*ReadOnly")));
        QVERIFY(!TrackExport::writeTrack({van()}, format, &readOnly, &error));
        QVERIFY2(!error.isEmpty(), qPrintable(TrackExport::formatName(format)));
    }
}

QTEST_GUILESS_MAIN(TestTrackExport)
#include "tst_trackexport.moc"
