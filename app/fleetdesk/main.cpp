// fleetdesk: the dispatcher's desktop. With --demo it runs the simulated
// cloud in-process (no account, no network); otherwise it connects the
// account set up in the application (secrets in the OS keychain).

#include "app/desktoplauncher.h"
#include "democloud.h"
#include "settings/appsettings.h"
#include "settings/secretstore.h"
#include "sim/fleetstart.h"
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

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("fleetdesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("FleetDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEETDESK_VERSION_STRING));
}

// The command line, read before any window system is touched: --help,
// --version and a bad flag print and exit without a display.
LaunchOptions parseOptions(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    setIdentity();
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("FleetDesk: the live fleet of a Tracksolid Pro account on a map.\n"
                                               "--demo runs the simulated cloud in-process: no account, no network."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("demo"), QStringLiteral("Use the built-in simulated cloud.")},
        {QStringLiteral("vehicles"), QStringLiteral("Demo fleet size (default 300)."), QStringLiteral("N"),
         QStringLiteral("300")},
        {QStringLiteral("seed"), QStringLiteral("Demo fleet seed (default 1)."), QStringLiteral("S"),
         QStringLiteral("1")},
        {QStringLiteral("speedup"), QStringLiteral("Demo time speed-up (default 1)."), QStringLiteral("X"),
         QStringLiteral("1")},
        {QStringLiteral("fleet-start"),
         QStringLiteral("The demo fleet's time at start: now, or an ISO 8601 time such as 2026-12-02T10:00:00Z "
                        "(default: the most recent weekday, in working hours)."),
         QStringLiteral("TIME")},
        {QStringLiteral("database"),
         QStringLiteral("The database file (default: the account's in the user's data folder; a demo's in a temporary folder)."), QStringLiteral("FILE")},
        {QStringLiteral("screenshot"),
         QStringLiteral("Save the window as PNG after --screenshot-after seconds, then quit."), QStringLiteral("FILE")},
        {QStringLiteral("screenshot-after"), QStringLiteral("Seconds before the screenshot (default 8)."),
         QStringLiteral("S"), QStringLiteral("8")},
    });
    // QApplication's own options (-platform xcb, -style fusion, ...) are
    // QApplication's to take; here they are only let through.
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    for (const char *name :
         {"platform", "platformpluginpath", "platformtheme", "plugin", "qwindowgeometry", "qwindowicon", "qwindowtitle",
          "display", "geometry", "style", "stylesheet", "session", "title"}) {
        QCommandLineOption qtOption(QString::fromLatin1(name), QString(), QStringLiteral("value"));
        qtOption.setFlags(QCommandLineOption::HiddenFromHelp);
        p.addOption(qtOption);
    }
    for (const char *name : {"reverse", "widgetcount", "nograb", "dograb", "sync"}) {
        QCommandLineOption qtFlag(QString::fromLatin1(name));
        qtFlag.setFlags(QCommandLineOption::HiddenFromHelp);
        p.addOption(qtFlag);
    }
    p.process(app);
    if (!p.positionalArguments().isEmpty())
        usageError(QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()));

    LaunchOptions options;
    options.demo = p.isSet(QStringLiteral("demo"));
    Demo::DemoSettings demo;
    demo.vehicles = int(number(p, QStringLiteral("vehicles"), 1, 100000));
    demo.seed = quint64(number(p, QStringLiteral("seed"), 0, 1 << 30));
    demo.speedup = number(p, QStringLiteral("speedup"), 0.01, 3600);
    options.databasePath = p.value(QStringLiteral("database"));
    options.screenshotPath = p.value(QStringLiteral("screenshot"));
    options.screenshotAfterMs = int(number(p, QStringLiteral("screenshot-after"), 0, 3600) * 1000);
    if (p.isSet(QStringLiteral("fleet-start"))) {
        QString why;
        const std::optional<QDateTime> start = Sim::parseFleetStart(p.value(QStringLiteral("fleet-start")),
                                                                    QDateTime::currentDateTimeUtc(), &why);
        if (!start)
            usageError(QStringLiteral("--fleet-start: %1").arg(why));
        demo.fleetStart = *start;
    }
    // The demo's fleet time is settled when the demo starts (from the first
    // start's welcome too).
    options.makeDemo = [demo] { return std::make_shared<Demo::DemoCloud>(demo); };
    return options;
}

} // namespace

int main(int argc, char **argv)
{
    const LaunchOptions options = parseOptions(argc, argv);
    QApplication app(argc, argv);
    setIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("FleetDesk"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/fleetdesk.svg")));

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
