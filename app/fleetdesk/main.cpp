// fleetdesk: the dispatcher's console. Until the desktop window lands it
// shows the fleet's live positions in the terminal, from a Tracksolid Pro
// account or, with --demo, from the built-in simulated cloud.

#include "consolemonitor.h"

#include "api/accesstoken.h"
#include "api/apiclient.h"
#include "api/jimiapi.h"
#include "sim/simserver.h"
#include "util/quitonsignal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QRegularExpression>

#include <cstdio>
#include <cstdlib>

using namespace Fleet;

namespace {

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "fleetdesk: %s (see --help)\n", qPrintable(message));
    std::exit(2);
}

int positiveInt(const QCommandLineParser &p, const QString &name, int min, int max)
{
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v < min || v > max)
        usageError(QStringLiteral("--%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
    return v;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fleetdesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("FleetDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEETDESK_VERSION_STRING));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "FleetDesk: live fleet positions from Tracksolid Pro.\n"
        "Demo mode runs the simulated cloud in-process: no account, no network.\n"
        "For a real account, the app secret and password MD5 come from the environment:\n"
        "FLEETDESK_APP_SECRET and FLEETDESK_PASSWORD_MD5."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("demo"), QStringLiteral("Use the built-in simulated cloud.")},
        {QStringLiteral("vehicles"), QStringLiteral("Demo fleet size (default 300)."), QStringLiteral("N"), QStringLiteral("300")},
        {QStringLiteral("seed"), QStringLiteral("Demo fleet seed (default 1)."), QStringLiteral("S"), QStringLiteral("1")},
        {QStringLiteral("speedup"), QStringLiteral("Demo time speed-up (default 1)."), QStringLiteral("X"), QStringLiteral("1")},
        {QStringLiteral("interval"), QStringLiteral("Seconds between sweeps (default 5 in demo, 60 otherwise)."), QStringLiteral("S")},
        {QStringLiteral("sweeps"), QStringLiteral("Stop after N sweeps (default: run until Ctrl-C)."), QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("once"), QStringLiteral("One sweep, then exit (0 if it succeeded).")},
        {QStringLiteral("region"), QStringLiteral("Tracksolid Pro region: hk, eu, us or ts."), QStringLiteral("R")},
        {QStringLiteral("base-url"), QStringLiteral("Custom API base URL (…/route/rest)."), QStringLiteral("URL")},
        {QStringLiteral("app-key"), QStringLiteral("Open API app key."), QStringLiteral("KEY")},
        {QStringLiteral("user-id"), QStringLiteral("Account (user id)."), QStringLiteral("ID")},
    });
    p.process(app);

    const bool demo = p.isSet(QStringLiteral("demo"));
    const int sweeps = p.isSet(QStringLiteral("once")) ? 1 : positiveInt(p, QStringLiteral("sweeps"), 0, 1000000);
    const int interval = p.isSet(QStringLiteral("interval")) ? positiveInt(p, QStringLiteral("interval"), 1, 86400)
                                                             : (demo ? 5 : 60);

    std::unique_ptr<Sim::SimServer> sim;
    ApiAccount account;
    MemoryTokenStore demoTokens;
    std::unique_ptr<FileTokenStore> fileTokens;
    TokenStore *tokens = &demoTokens;

    if (demo) {
        Sim::SimServerConfig config;
        config.vehicles = positiveInt(p, QStringLiteral("vehicles"), 1, 100000);
        config.seed = quint64(positiveInt(p, QStringLiteral("seed"), 0, 1 << 30));
        bool ok = false;
        config.speedup = p.value(QStringLiteral("speedup")).toDouble(&ok);
        if (!ok || config.speedup <= 0 || config.speedup > 3600)
            usageError(QStringLiteral("--speedup must be a number above 0 and at most 3600"));
        sim = std::make_unique<Sim::SimServer>(config);
        if (sim->listen(QHostAddress::LocalHost, 0) == 0) {
            std::fprintf(stderr, "fleetdesk: cannot start the simulated cloud on 127.0.0.1\n");
            return 1;
        }
        account.baseUrl = sim->baseUrl();
        account.instructionUrl = sim->instructionUrl();
        account.appKey = config.appKey;
        account.appSecret = config.appSecret;
        account.userId = config.userId;
        account.passwordMd5 = sim->passwordMd5();
        std::printf("FleetDesk demo: %d simulated vehicles (seed %llu, speed-up x%g), simulated cloud at %s\n",
                    config.vehicles, qulonglong(config.seed), config.speedup, qPrintable(account.baseUrl.toString()));
    } else {
        if (p.isSet(QStringLiteral("base-url"))) {
            account.baseUrl = QUrl(p.value(QStringLiteral("base-url")), QUrl::StrictMode);
            if (!account.baseUrl.isValid() || (account.baseUrl.scheme() != QLatin1String("https") && account.baseUrl.scheme() != QLatin1String("http")))
                usageError(QStringLiteral("--base-url must be an http(s) URL"));
        } else if (p.isSet(QStringLiteral("region"))) {
            const std::optional<Region> region = regionFromName(p.value(QStringLiteral("region")));
            if (!region)
                usageError(QStringLiteral("--region must be hk, eu, us or ts"));
            account.baseUrl = regionBaseUrl(*region);
        } else {
            usageError(QStringLiteral("give --demo, or an account with --region or --base-url"));
        }
        account.appKey = p.value(QStringLiteral("app-key"));
        account.userId = p.value(QStringLiteral("user-id"));
        account.appSecret = qEnvironmentVariable("FLEETDESK_APP_SECRET");
        account.passwordMd5 = qEnvironmentVariable("FLEETDESK_PASSWORD_MD5").toLower();
        if (account.appKey.isEmpty())
            usageError(QStringLiteral("--app-key is required"));
        if (account.userId.isEmpty())
            usageError(QStringLiteral("--user-id is required"));
        if (account.appSecret.isEmpty())
            usageError(QStringLiteral("FLEETDESK_APP_SECRET is not set"));
        static const QRegularExpression md5(QStringLiteral("^[0-9a-f]{32}$"));
        if (!md5.match(account.passwordMd5).hasMatch())
            usageError(QStringLiteral("FLEETDESK_PASSWORD_MD5 must be the 32-digit MD5 of the password"));
        fileTokens = std::make_unique<FileTokenStore>(FileTokenStore::defaultPath());
        tokens = fileTokens.get();
    }

    ApiClient client(account, tokens, nullptr);
    JimiApi api(&client);
    ConsoleMonitor monitor(&api, interval * 1000, sweeps, stdout);
    QObject::connect(&monitor, &ConsoleMonitor::finished, &app, &QCoreApplication::quit);
    quitOnTerminationSignals(&app);
    monitor.start();
    const int rc = app.exec();
    if (rc != 0)
        return rc;
    return (sweeps > 0 && monitor.failedSweeps() > 0) ? 1 : 0;
}
