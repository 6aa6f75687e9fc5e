// fleetdesk-cli: FleetDesk's data for scripts. The same store, INI file and
// code paths as the desktop and fleetdesk-ingest (docs/CLI.md).

#include "cli/cli.h"
#include "recordingsaver.h"
#include "streamprobe.h"

#include <QCoreApplication>
#include <QLoggingCategory>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fleetdesk-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEETDESK_VERSION_STRING));
    // Standard error is for the command's own messages; the libraries' notes
    // (QT_LOGGING_RULES="fleet.*.info=true" brings them back) would bury them.
    QLoggingCategory::setFilterRules(QStringLiteral("fleet.*.info=false\nfleet.*.debug=false"));
    // The video commands play through the desktop's player (core has none).
    const auto prober = [](const QUrl &url, int timeoutMs, const QString &snapshotPath) {
        const Fleet::Player::ProbeResult r = Fleet::Player::probe(url, timeoutMs, snapshotPath);
        return Fleet::Cli::VideoProbe{r.ok, r.firstFrameMs, r.size.width(), r.size.height(), r.codec, r.error};
    };
    const auto saver = [](const QUrl &url, const QString &path) { return Fleet::Player::saveStream(url, path); };
    return Fleet::Cli::run(QCoreApplication::arguments(), stdout, stderr, prober, saver);
}
