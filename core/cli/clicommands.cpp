#include "clicommands.h"

namespace Fleet::Cli {

QList<QCommandLineOption> options()
{
    return {
        {QStringLiteral("imei"), QStringLiteral("Device IMEI(s), comma-separated."), QStringLiteral("IMEI")},
        {QStringLiteral("from"), QStringLiteral("Start, ISO 8601 with an offset or Z."), QStringLiteral("TIME")},
        {QStringLiteral("to"), QStringLiteral("End, ISO 8601 with an offset or Z."), QStringLiteral("TIME")},
        {QStringLiteral("format"), QStringLiteral("Output format."), QStringLiteral("FORMAT")},
        {QStringLiteral("output"), QStringLiteral("Write to FILE instead of standard output."), QStringLiteral("FILE")},
        {QStringLiteral("timeout"), QStringLiteral("Give up waiting for the cloud after SECS (default 600)."),
         QStringLiteral("SECS")},
    };
}

const QList<Command> &commands()
{
    // Both exports take the same options; they differ in what they write.
    static const QStringList exportOptions{QStringLiteral("imei"),   QStringLiteral("from"),
                                           QStringLiteral("to"),     QStringLiteral("format"),
                                           QStringLiteral("output"), QStringLiteral("timeout")};
    static const QStringList exportRequired = exportOptions.mid(0, 4);
    static const QList<Command> table{
        {{QStringLiteral("export"), QStringLiteral("track")},
         QStringLiteral("--imei IMEI[,IMEI...] --from TIME --to TIME --format gpx|kml|csv|geojson [--output FILE]"),
         QStringLiteral("A vehicle's track: every fix, with stops; missing history is fetched from the cloud first."),
         exportOptions,
         exportRequired,
         &exportTrack},
        {{QStringLiteral("export"), QStringLiteral("trips")},
         QStringLiteral("--imei IMEI[,IMEI...] --from TIME --to TIME --format csv|geojson [--output FILE]"),
         QStringLiteral("Trips with distance, duration, speeds and idle time (the cloud's where it has them)."),
         exportOptions,
         exportRequired,
         &exportTrips},
    };
    return table;
}

} // namespace Fleet::Cli
