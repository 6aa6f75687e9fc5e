#include "clicommands.h"
#include "cli.h"
#include "clisession.h"

#include "history/trackexport.h"

#include <QBuffer>
#include <QCommandLineParser>

namespace Fleet::Cli {

namespace {

// Both exports: the arguments, the history brought in, the file written.
int exportHistory(Session &session, const QCommandLineParser &parser, bool trips)
{
    const std::optional<TrackExport::Format> format =
        TrackExport::formatFromName(parser.value(QStringLiteral("format")));
    if (!format || (trips && (*format == TrackExport::Format::Gpx || *format == TrackExport::Format::Kml))) {
        session.say(QStringLiteral("--format: expected %1, got \"%2\"")
                        .arg(trips ? QStringLiteral("csv or geojson") : QStringLiteral("gpx, kml, csv or geojson"),
                             parser.value(QStringLiteral("format"))));
        return Usage;
    }
    const bool byGroup = parser.isSet(QStringLiteral("group"));
    if (byGroup == parser.isSet(QStringLiteral("imei"))) {
        session.say(QStringLiteral("export needs either --imei or --group (a local group's vehicles)"));
        return Usage;
    }
    std::optional<QStringList> imeis =
        byGroup ? std::optional<QStringList>(QStringList()) : imeiList(session, parser.value(QStringLiteral("imei")));
    const std::optional<TimeSpan> span = timeRange(session, parser);
    if (!imeis || !span)
        return Usage;
    const std::optional<int> timeout = timeoutOption(session, parser, 600);
    if (!timeout)
        return Usage;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (byGroup) {
        imeis = localGroupImeis(session, parser.value(QStringLiteral("group")));
        if (!imeis)
            return Usage;
    }
    if (const int rc = session.requireDevices(*imeis); rc != Success)
        return rc;
    if (const int rc = session.ensureTracks(*imeis, *span, *timeout); rc != Success)
        return rc;

    QList<TrackExport::Vehicle> vehicles;
    for (const QString &imei : *imeis) {
        VehicleHistory h = VehicleHistory::load(session.reader(), imei, *span);
        if (h.fixes.isEmpty() && h.trips.isEmpty())
            session.say(QStringLiteral("%1 (%2): nothing recorded from %3 to %4")
                            .arg(h.name, imei, TrackExport::utcText(span->from), TrackExport::utcText(span->to)));
        vehicles.append(TrackExport::prepare(std::move(h)));
    }
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    const bool written = trips ? TrackExport::writeTrips(vehicles, *format, &buffer, &error)
                               : TrackExport::writeTrack(vehicles, *format, &buffer, &error);
    if (!written) {
        session.say(QStringLiteral("export: %1").arg(error));
        return Failure;
    }
    return session.writeResult(parser.value(QStringLiteral("output")), buffer.data());
}

} // namespace

int exportTrack(Session &session, const QCommandLineParser &parser)
{
    return exportHistory(session, parser, false);
}

int exportTrips(Session &session, const QCommandLineParser &parser)
{
    return exportHistory(session, parser, true);
}

} // namespace Fleet::Cli
