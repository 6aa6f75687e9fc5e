#include "trackexport.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamWriter>

namespace Fleet::TrackExport {

namespace {

QString number(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}

QString optionalNumber(const std::optional<double> &v, int decimals)
{
    return v ? number(*v, decimals) : QString();
}

QString flagText(const std::optional<bool> &v)
{
    return v ? (*v ? QStringLiteral("1") : QStringLiteral("0")) : QString();
}

QString typeText(PositionType t)
{
    return positionTypeName(t);
}

bool put(QIODevice *out, const QByteArray &bytes, QString *error)
{
    if (out->write(bytes) == bytes.size())
        return true;
    if (error)
        *error = out->errorString().isEmpty() ? QStringLiteral("cannot write") : out->errorString();
    return false;
}

bool finishXml(const QXmlStreamWriter &xml, QIODevice *out, QString *error)
{
    if (!xml.hasError())
        return true;
    if (error)
        *error = out->errorString().isEmpty() ? QStringLiteral("cannot write") : out->errorString();
    return false;
}

// The fix ranges between gaps: [first, last] index pairs.
QList<std::pair<qsizetype, qsizetype>> segments(const Vehicle &v)
{
    QList<std::pair<qsizetype, qsizetype>> out;
    const qsizetype n = v.history.fixes.size();
    qsizetype first = 0;
    for (const TrackAnalysis::Gap &g : v.summary.gaps) {
        out.append({first, g.before});
        first = g.before + 1;
    }
    if (first < n)
        out.append({first, n - 1});
    return out;
}

QString stopTitle(const TrackAnalysis::Stop &s)
{
    const qint64 m = s.seconds() / 60;
    const QString kind = s.kind == TrackAnalysis::StopKind::Parking ? QStringLiteral("Parking") : QStringLiteral("Idling");
    return QStringLiteral("%1 %2 min").arg(kind).arg(m);
}

QString stopKindName(TrackAnalysis::StopKind k)
{
    return k == TrackAnalysis::StopKind::Parking ? QStringLiteral("parking") : QStringLiteral("idling");
}

QString originName(TrackAnalysis::Origin o)
{
    return o == TrackAnalysis::Origin::Cloud ? QStringLiteral("cloud") : QStringLiteral("derived");
}

bool writeGpx(const QList<Vehicle> &vehicles, QIODevice *out, QString *error)
{
    QXmlStreamWriter x(out);
    x.setAutoFormatting(true);
    x.setAutoFormattingIndent(1);
    x.writeStartDocument();
    x.writeStartElement(QStringLiteral("gpx"));
    x.writeDefaultNamespace(QStringLiteral("http://www.topografix.com/GPX/1/1"));
    x.writeNamespace(QStringLiteral("http://www.w3.org/2001/XMLSchema-instance"), QStringLiteral("xsi"));
    x.writeNamespace(QStringLiteral("http://www.garmin.com/xmlschemas/TrackPointExtension/v2"),
                     QStringLiteral("gpxtpx"));
    x.writeAttribute(QStringLiteral("version"), QStringLiteral("1.1"));
    x.writeAttribute(QStringLiteral("creator"), QStringLiteral("FleetDesk"));
    x.writeAttribute(QStringLiteral("http://www.w3.org/2001/XMLSchema-instance"), QStringLiteral("schemaLocation"),
                     QStringLiteral("http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd "
                                    "http://www.garmin.com/xmlschemas/TrackPointExtension/v2 "
                                    "https://www8.garmin.com/xmlschemas/TrackPointExtensionv2.xsd"));
    // Waypoints come before tracks in GPX 1.1: the stops of every vehicle.
    for (const Vehicle &v : vehicles) {
        for (const TrackAnalysis::Stop &s : v.summary.stops) {
            x.writeStartElement(QStringLiteral("wpt"));
            x.writeAttribute(QStringLiteral("lat"), coordinateText(s.lat));
            x.writeAttribute(QStringLiteral("lon"), coordinateText(s.lng));
            x.writeTextElement(QStringLiteral("time"), utcText(s.from));
            x.writeTextElement(QStringLiteral("name"), QStringLiteral("%1: %2").arg(v.history.name, stopTitle(s)));
            x.writeTextElement(QStringLiteral("desc"), QStringLiteral("%1 to %2%3")
                                                           .arg(utcText(s.from), utcText(s.to),
                                                                s.address.isEmpty() ? QString()
                                                                                    : QStringLiteral(", ") + s.address));
            x.writeTextElement(QStringLiteral("type"), stopKindName(s.kind));
            x.writeEndElement();
        }
    }
    for (const Vehicle &v : vehicles) {
        x.writeStartElement(QStringLiteral("trk"));
        x.writeTextElement(QStringLiteral("name"), v.history.name);
        x.writeTextElement(QStringLiteral("desc"), QStringLiteral("IMEI %1").arg(v.history.imei));
        for (const auto &[first, last] : segments(v)) {
            x.writeStartElement(QStringLiteral("trkseg"));
            for (qsizetype i = first; i <= last; ++i) {
                const Position &p = v.history.fixes[i];
                x.writeStartElement(QStringLiteral("trkpt"));
                x.writeAttribute(QStringLiteral("lat"), coordinateText(p.lat));
                x.writeAttribute(QStringLiteral("lon"), coordinateText(p.lng));
                if (p.altitudeM)
                    x.writeTextElement(QStringLiteral("ele"), number(*p.altitudeM, 1));
                x.writeTextElement(QStringLiteral("time"), utcText(p.gpsTime));
                if (p.type == PositionType::Lbs || p.type == PositionType::Wifi)
                    x.writeTextElement(QStringLiteral("fix"), QStringLiteral("none"));
                if (p.satellites)
                    x.writeTextElement(QStringLiteral("sat"), QString::number(*p.satellites));
                if (p.speedKmh || p.courseDeg) {
                    x.writeStartElement(QStringLiteral("extensions"));
                    x.writeStartElement(QStringLiteral("gpxtpx:TrackPointExtension"));
                    if (p.speedKmh)
                        x.writeTextElement(QStringLiteral("gpxtpx:speed"), number(*p.speedKmh / 3.6, 2)); // m/s
                    if (p.courseDeg)
                        x.writeTextElement(QStringLiteral("gpxtpx:course"), number(*p.courseDeg, 1));
                    x.writeEndElement();
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeEndElement();
        }
        x.writeEndElement();
    }
    x.writeEndElement();
    x.writeEndDocument();
    return finishXml(x, out, error);
}

QString kmlCoordinate(const Position &p)
{
    return coordinateText(p.lng) + QLatin1Char(',') + coordinateText(p.lat)
        + (p.altitudeM ? QLatin1Char(',') + number(*p.altitudeM, 1) : QString());
}

bool writeKml(const QList<Vehicle> &vehicles, QIODevice *out, QString *error)
{
    QXmlStreamWriter x(out);
    x.setAutoFormatting(true);
    x.setAutoFormattingIndent(1);
    x.writeStartDocument();
    x.writeStartElement(QStringLiteral("kml"));
    x.writeDefaultNamespace(QStringLiteral("http://www.opengis.net/kml/2.2"));
    x.writeNamespace(QStringLiteral("http://www.google.com/kml/ext/2.2"), QStringLiteral("gx"));
    x.writeStartElement(QStringLiteral("Document"));
    x.writeTextElement(QStringLiteral("name"), QStringLiteral("FleetDesk tracks"));
    for (const Vehicle &v : vehicles) {
        x.writeStartElement(QStringLiteral("Folder"));
        x.writeTextElement(QStringLiteral("name"), v.history.name);
        x.writeTextElement(QStringLiteral("description"), QStringLiteral("IMEI %1").arg(v.history.imei));
        // The route as lines (every KML reader), one per segment between gaps.
        x.writeStartElement(QStringLiteral("Placemark"));
        x.writeTextElement(QStringLiteral("name"), v.history.name);
        x.writeStartElement(QStringLiteral("MultiGeometry"));
        for (const auto &[first, last] : segments(v)) {
            x.writeStartElement(QStringLiteral("LineString"));
            x.writeTextElement(QStringLiteral("tessellate"), QStringLiteral("1"));
            QStringList coords;
            for (qsizetype i = first; i <= last; ++i)
                coords.append(kmlCoordinate(v.history.fixes[i]));
            x.writeTextElement(QStringLiteral("coordinates"), coords.join(QLatin1Char(' ')));
            x.writeEndElement();
        }
        x.writeEndElement(); // MultiGeometry
        x.writeEndElement(); // Placemark
        // The same with its times (gx:Track: Google Earth's time slider, GDAL's LIBKML).
        x.writeStartElement(QStringLiteral("Placemark"));
        x.writeTextElement(QStringLiteral("name"), QStringLiteral("%1 (timed)").arg(v.history.name));
        x.writeStartElement(QStringLiteral("gx:MultiTrack"));
        for (const auto &[first, last] : segments(v)) {
            x.writeStartElement(QStringLiteral("gx:Track"));
            for (qsizetype i = first; i <= last; ++i)
                x.writeTextElement(QStringLiteral("when"), utcText(v.history.fixes[i].gpsTime));
            for (qsizetype i = first; i <= last; ++i) {
                const Position &p = v.history.fixes[i];
                x.writeTextElement(QStringLiteral("gx:coord"), QStringLiteral("%1 %2 %3")
                                                                   .arg(coordinateText(p.lng), coordinateText(p.lat),
                                                                        number(p.altitudeM.value_or(0.0), 1)));
            }
            x.writeEndElement();
        }
        x.writeEndElement(); // gx:MultiTrack
        x.writeEndElement(); // Placemark
        for (const TrackAnalysis::Stop &s : v.summary.stops) {
            x.writeStartElement(QStringLiteral("Placemark"));
            x.writeTextElement(QStringLiteral("name"), stopTitle(s));
            if (!s.address.isEmpty())
                x.writeTextElement(QStringLiteral("address"), s.address);
            x.writeStartElement(QStringLiteral("TimeSpan"));
            x.writeTextElement(QStringLiteral("begin"), utcText(s.from));
            x.writeTextElement(QStringLiteral("end"), utcText(s.to));
            x.writeEndElement();
            x.writeStartElement(QStringLiteral("Point"));
            x.writeTextElement(QStringLiteral("coordinates"), coordinateText(s.lng) + QLatin1Char(',') + coordinateText(s.lat));
            x.writeEndElement();
            x.writeEndElement();
        }
        x.writeEndElement(); // Folder
    }
    x.writeEndElement(); // Document
    x.writeEndElement(); // kml
    x.writeEndDocument();
    return finishXml(x, out, error);
}

bool writeTrackCsv(const QList<Vehicle> &vehicles, QIODevice *out, QString *error)
{
    QByteArray text = "imei,vehicle_name,time_utc,lat,lng,speed_kmh,course_deg,altitude_m,satellites,acc,"
                      "position_type,reuploaded,segment\n";
    for (const Vehicle &v : vehicles) {
        const QString name = csvField(v.history.name);
        int segment = 0;
        for (const auto &[first, last] : segments(v)) {
            ++segment;
            for (qsizetype i = first; i <= last; ++i) {
                const Position &p = v.history.fixes[i];
                const QStringList row{v.history.imei,
                                      name,
                                      utcText(p.gpsTime),
                                      coordinateText(p.lat),
                                      coordinateText(p.lng),
                                      optionalNumber(p.speedKmh, 1),
                                      optionalNumber(p.courseDeg, 1),
                                      optionalNumber(p.altitudeM, 1),
                                      p.satellites ? QString::number(*p.satellites) : QString(),
                                      flagText(p.acc),
                                      typeText(p.type),
                                      flagText(p.reuploaded),
                                      QString::number(segment)};
                text += row.join(QLatin1Char(',')).toUtf8();
                text += '\n';
            }
            if (text.size() > (1 << 20)) {
                if (!put(out, text, error))
                    return false;
                text.clear();
            }
        }
    }
    return put(out, text, error);
}

QJsonArray lngLat(double lat, double lng)
{
    // Six decimals as the other formats; QJsonDocument writes the shortest exact form.
    return QJsonArray{std::round(lng * 1e6) / 1e6, std::round(lat * 1e6) / 1e6};
}

QJsonValue optionalJson(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

bool writeJson(const QJsonObject &doc, QIODevice *out, QString *error)
{
    return put(out, QJsonDocument(doc).toJson(QJsonDocument::Compact) + '\n', error);
}

bool writeTrackGeoJson(const QList<Vehicle> &vehicles, QIODevice *out, QString *error)
{
    QJsonArray features;
    for (const Vehicle &v : vehicles) {
        QJsonArray lines;
        QJsonArray times;
        for (const auto &[first, last] : segments(v)) {
            QJsonArray line;
            QJsonArray lineTimes;
            for (qsizetype i = first; i <= last; ++i) {
                const Position &p = v.history.fixes[i];
                line.append(lngLat(p.lat, p.lng));
                lineTimes.append(utcText(p.gpsTime));
            }
            // A LineString needs two positions; a lone fix repeats itself.
            if (line.size() == 1) {
                line.append(line.at(0));
                lineTimes.append(lineTimes.at(0));
            }
            lines.append(line);
            times.append(lineTimes);
        }
        if (!lines.isEmpty()) {
            features.append(QJsonObject{
                {QStringLiteral("type"), QStringLiteral("Feature")},
                {QStringLiteral("geometry"),
                 QJsonObject{{QStringLiteral("type"), QStringLiteral("MultiLineString")},
                             {QStringLiteral("coordinates"), lines}}},
                {QStringLiteral("properties"),
                 QJsonObject{{QStringLiteral("kind"), QStringLiteral("track")},
                             {QStringLiteral("imei"), v.history.imei},
                             {QStringLiteral("vehicle_name"), v.history.name},
                             {QStringLiteral("coord_times"), times}}},
            });
        }
        for (const Position &p : v.history.fixes) {
            features.append(QJsonObject{
                {QStringLiteral("type"), QStringLiteral("Feature")},
                {QStringLiteral("geometry"),
                 QJsonObject{{QStringLiteral("type"), QStringLiteral("Point")},
                             {QStringLiteral("coordinates"), lngLat(p.lat, p.lng)}}},
                {QStringLiteral("properties"),
                 QJsonObject{{QStringLiteral("kind"), QStringLiteral("fix")},
                             {QStringLiteral("imei"), v.history.imei},
                             {QStringLiteral("time_utc"), utcText(p.gpsTime)},
                             {QStringLiteral("speed_kmh"), optionalJson(p.speedKmh)},
                             {QStringLiteral("course_deg"), optionalJson(p.courseDeg)},
                             {QStringLiteral("acc"), p.acc ? QJsonValue(*p.acc) : QJsonValue(QJsonValue::Null)},
                             {QStringLiteral("position_type"), typeText(p.type)},
                             {QStringLiteral("reuploaded"),
                              p.reuploaded ? QJsonValue(*p.reuploaded) : QJsonValue(QJsonValue::Null)}}},
            });
        }
        for (const TrackAnalysis::Stop &s : v.summary.stops) {
            features.append(QJsonObject{
                {QStringLiteral("type"), QStringLiteral("Feature")},
                {QStringLiteral("geometry"),
                 QJsonObject{{QStringLiteral("type"), QStringLiteral("Point")},
                             {QStringLiteral("coordinates"), lngLat(s.lat, s.lng)}}},
                {QStringLiteral("properties"),
                 QJsonObject{{QStringLiteral("kind"), stopKindName(s.kind)},
                             {QStringLiteral("imei"), v.history.imei},
                             {QStringLiteral("start_time_utc"), utcText(s.from)},
                             {QStringLiteral("end_time_utc"), utcText(s.to)},
                             {QStringLiteral("duration_s"), double(s.seconds())},
                             {QStringLiteral("source"), originName(s.origin)}}},
            });
        }
    }
    return writeJson(QJsonObject{{QStringLiteral("type"), QStringLiteral("FeatureCollection")},
                                 {QStringLiteral("features"), features}},
                     out, error);
}

QStringList tripRow(const Vehicle &v, const TrackAnalysis::TripSummary &t)
{
    return {v.history.imei,
            csvField(v.history.name),
            utcText(t.start),
            utcText(t.end),
            t.startLat ? coordinateText(*t.startLat) : QString(),
            t.startLng ? coordinateText(*t.startLng) : QString(),
            t.endLat ? coordinateText(*t.endLat) : QString(),
            t.endLng ? coordinateText(*t.endLng) : QString(),
            QString::number(t.seconds()),
            number(t.distanceKm, 3),
            number(t.maxSpeedKmh, 1),
            number(t.avgSpeedKmh, 1),
            QString::number(t.idleSecs),
            originName(t.origin)};
}

bool writeTripsCsv(const QList<Vehicle> &vehicles, QIODevice *out, QString *error)
{
    QByteArray text = "imei,vehicle_name,start_time_utc,end_time_utc,start_lat,start_lng,end_lat,end_lng,duration_s,"
                      "distance_km,max_speed_kmh,avg_speed_kmh,idle_s,source\n";
    for (const Vehicle &v : vehicles) {
        for (const TrackAnalysis::TripSummary &t : v.summary.trips)
            text += tripRow(v, t).join(QLatin1Char(',')).toUtf8() + '\n';
    }
    return put(out, text, error);
}

bool writeTripsGeoJson(const QList<Vehicle> &vehicles, QIODevice *out, QString *error)
{
    QJsonArray features;
    for (const Vehicle &v : vehicles) {
        for (const TrackAnalysis::TripSummary &t : v.summary.trips) {
            QJsonArray line;
            for (const Position &p : v.history.fixes) {
                if (p.gpsTime >= t.start && p.gpsTime <= t.end)
                    line.append(lngLat(p.lat, p.lng));
            }
            if (line.size() < 2 && t.startLat && t.startLng && t.endLat && t.endLng)
                line = QJsonArray{lngLat(*t.startLat, *t.startLng), lngLat(*t.endLat, *t.endLng)};
            const QJsonValue geometry = line.size() >= 2
                ? QJsonValue(QJsonObject{{QStringLiteral("type"), QStringLiteral("LineString")},
                                         {QStringLiteral("coordinates"), line}})
                : QJsonValue(QJsonValue::Null);
            features.append(QJsonObject{
                {QStringLiteral("type"), QStringLiteral("Feature")},
                {QStringLiteral("geometry"), geometry},
                {QStringLiteral("properties"),
                 QJsonObject{{QStringLiteral("imei"), v.history.imei},
                             {QStringLiteral("vehicle_name"), v.history.name},
                             {QStringLiteral("start_time_utc"), utcText(t.start)},
                             {QStringLiteral("end_time_utc"), utcText(t.end)},
                             {QStringLiteral("duration_s"), double(t.seconds())},
                             {QStringLiteral("distance_km"), std::round(t.distanceKm * 1000) / 1000},
                             {QStringLiteral("max_speed_kmh"), std::round(t.maxSpeedKmh * 10) / 10},
                             {QStringLiteral("avg_speed_kmh"), std::round(t.avgSpeedKmh * 10) / 10},
                             {QStringLiteral("idle_s"), double(t.idleSecs)},
                             {QStringLiteral("source"), originName(t.origin)}}},
            });
        }
    }
    return writeJson(QJsonObject{{QStringLiteral("type"), QStringLiteral("FeatureCollection")},
                                 {QStringLiteral("features"), features}},
                     out, error);
}

} // namespace

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n'))
        && !s.contains(QLatin1Char('\r')))
        return s;
    QString quoted = s;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvText(const QString &s)
{
    // A spreadsheet runs a cell that starts with one of these as a formula.
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (!s.isEmpty() && formulaStarts.contains(s.front()))
        return csvField(QLatin1Char('\'') + s);
    return csvField(s);
}

std::optional<Format> formatFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("gpx"))
        return Format::Gpx;
    if (n == QLatin1String("kml"))
        return Format::Kml;
    if (n == QLatin1String("csv"))
        return Format::Csv;
    if (n == QLatin1String("geojson") || n == QLatin1String("json"))
        return Format::GeoJson;
    return std::nullopt;
}

QString formatName(Format f)
{
    switch (f) {
    case Format::Gpx: return QStringLiteral("gpx");
    case Format::Kml: return QStringLiteral("kml");
    case Format::Csv: return QStringLiteral("csv");
    case Format::GeoJson: return QStringLiteral("geojson");
    }
    return {};
}

QString utcText(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate); // ends in Z for UTC
}

QString coordinateText(double degrees)
{
    return number(degrees, 6);
}

Vehicle prepare(VehicleHistory history, const TrackAnalysis::Settings &settings)
{
    Vehicle v;
    v.summary = TrackAnalysis::analyse(history, settings);
    v.history = std::move(history);
    return v;
}

bool writeTrack(const QList<Vehicle> &vehicles, Format format, QIODevice *out, QString *error)
{
    switch (format) {
    case Format::Gpx: return writeGpx(vehicles, out, error);
    case Format::Kml: return writeKml(vehicles, out, error);
    case Format::Csv: return writeTrackCsv(vehicles, out, error);
    case Format::GeoJson: return writeTrackGeoJson(vehicles, out, error);
    }
    return false;
}

bool writeTrips(const QList<Vehicle> &vehicles, Format format, QIODevice *out, QString *error)
{
    switch (format) {
    case Format::Csv: return writeTripsCsv(vehicles, out, error);
    case Format::GeoJson: return writeTripsGeoJson(vehicles, out, error);
    case Format::Gpx:
    case Format::Kml: break;
    }
    if (error)
        *error = QStringLiteral("trips are exported as csv or geojson");
    return false;
}

} // namespace Fleet::TrackExport
