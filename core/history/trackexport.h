#pragma once

#include "trackanalysis.h"
#include "vehiclehistory.h"

#include <QList>
#include <QString>

class QIODevice;

namespace Fleet {

// The one export path of the GUI and fleetdesk-cli: tracks as GPX 1.1, KML
// 2.2, CSV or GeoJSON (RFC 7946), and trip lists as CSV or GeoJSON. Times are
// UTC with Z, numbers use '.', coordinates WGS-84 with six decimals (what the
// cloud sends), CSV has a snake_case header. Gaps (TrackAnalysis::Gap) start
// a new segment, so no GIS tool draws a straight line across them.
namespace TrackExport {

enum class Format { Gpx, Kml, Csv, GeoJson };

// "gpx", "kml", "csv", "geojson" (any case); nullopt otherwise.
std::optional<Format> formatFromName(const QString &name);
QString formatName(Format format); // also the file suffix

// One vehicle's replay as exported: its history and what analyse() made of it.
struct Vehicle
{
    VehicleHistory history;
    TrackAnalysis::Summary summary;
};

Vehicle prepare(VehicleHistory history, const TrackAnalysis::Settings &settings = {});

// False, with *error, when the device fails to take the bytes.
bool writeTrack(const QList<Vehicle> &vehicles, Format format, QIODevice *out, QString *error);
// Csv or GeoJson only.
bool writeTrips(const QList<Vehicle> &vehicles, Format format, QIODevice *out, QString *error);

// Text forms shared with the views.
QString utcText(const QDateTime &t); // 2026-12-04T09:15:00Z
QString coordinateText(double degrees); // 6 decimals
// RFC 4180: quoted when it holds a separator, a quote or a line break.
QString csvField(const QString &s);
// A text field (a name, a note): csvField(), and a leading ' when it would
// start with = + - @ or a tab, which a spreadsheet would run as a formula.
QString csvText(const QString &s);

} // namespace TrackExport

} // namespace Fleet
