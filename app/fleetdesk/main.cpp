// fleetdesk: the dispatcher's desktop. With --demo it runs the simulated
// cloud in-process (no account, no network); otherwise it connects the
// account set up in the application (secrets in the OS keychain).

#include "app/desktoplauncher.h"
#include "settings/appsettings.h"
#include "settings/secretstore.h"
#include "util/quitonsignal.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>
#include <cstdlib>

using namespace Fleet;

namespace {

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "fleetdesk: %s (see --help)\n", qPrintable(message));
    std::exit(2);
}

double number(const QCommandLineParser &p, const QString &name, double min, double max)
{
    bool ok = false;
    const double v = p.value(name).toDouble(&ok);
    if (!ok || v < min || v > max)
        usageError(QStringLiteral("--%1 must be a number from %2 to %3").arg(name).arg(min).arg(max));
    return v;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("fleetdesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("FleetDesk"));
    QApplication::setOrganizationName(QStringLiteral("FleetDesk"));
    QApplication::setApplicationVersion(QStringLiteral(FLEETDESK_VERSION_STRING));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/fleetdesk.svg")));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "FleetDesk: the live fleet of a Tracksolid Pro account on a map.\n"
        "--demo runs the simulated cloud in-process: no account, no network."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("demo"), QStringLiteral("Use the built-in simulated cloud.")},
        {QStringLiteral("vehicles"), QStringLiteral("Demo fleet size (default 300)."), QStringLiteral("N"), QStringLiteral("300")},
        {QStringLiteral("seed"), QStringLiteral("Demo fleet seed (default 1)."), QStringLiteral("S"), QStringLiteral("1")},
        {QStringLiteral("speedup"), QStringLiteral("Demo time speed-up (default 1)."), QStringLiteral("X"), QStringLiteral("1")},
        {QStringLiteral("database"), QStringLiteral("The account's database file (default: in the user's data folder)."), QStringLiteral("FILE")},
        {QStringLiteral("screenshot"), QStringLiteral("Save the window as PNG after --screenshot-after seconds, then quit."), QStringLiteral("FILE")},
        {QStringLiteral("screenshot-after"), QStringLiteral("Seconds before the screenshot (default 8)."), QStringLiteral("S"), QStringLiteral("8")},
    });
    p.process(app);

    LaunchOptions options;
    options.demo = p.isSet(QStringLiteral("demo"));
    options.demoVehicles = int(number(p, QStringLiteral("vehicles"), 1, 100000));
    options.demoSeed = quint64(number(p, QStringLiteral("seed"), 0, 1 << 30));
    options.demoSpeedup = number(p, QStringLiteral("speedup"), 0.01, 3600);
    options.databasePath = p.value(QStringLiteral("database"));
    options.screenshotPath = p.value(QStringLiteral("screenshot"));
    options.screenshotAfterMs = int(number(p, QStringLiteral("screenshot-after"), 0, 3600) * 1000);

    AppSettings settings;
    SecretStore secrets;
    DesktopLauncher launcher(&settings, &secrets, options);
    QObject::connect(&launcher, &DesktopLauncher::finished, &app, &QCoreApplication::exit);
    quitOnTerminationSignals(&app);
    launcher.start();
    const int rc = app.exec();
    settings.sync();
    return rc;
}
