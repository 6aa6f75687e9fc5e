// fleetdesk-sim: the simulated Tracksolid Pro cloud as a stand-alone server,
// for demos, training and tests that drive FleetDesk end to end.
//
// The first lines on stdout are machine-readable KEY=VALUE pairs (URL and
// credentials), flushed at once so that a parent process can read them.

#include "sim/fleetstart.h"
#include "sim/simserver.h"
#include "sim/simfleet.h"
#include "sim/simpusher.h"
#include "util/logging.h"
#include "util/quitonsignal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

namespace {

using Fleet::Sim::SimServer;
using Fleet::Sim::SimServerConfig;

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "fleetdesk-sim: %s (see --help)\n", qPrintable(message));
    std::exit(2);
}

void printLine(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

struct ListenAddress
{
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;
};

// "PORT", "HOST:PORT" or "[IPv6]:PORT".
std::optional<ListenAddress> parseListen(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(?:(\\[[^\\]]+\\]|[^:\\[\\]]+):)?(\\d{1,5})$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    ListenAddress a;
    QString host = m.captured(1);
    if (host.startsWith(QLatin1Char('[')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    if (!host.isEmpty() && !a.host.setAddress(host))
        return std::nullopt;
    const int port = m.captured(2).toInt();
    if (port > 65535)
        return std::nullopt;
    a.port = quint16(port);
    return a;
}

// A flag, else the environment variable (keeps a secret out of argv and
// shell history), else the built-in demo value.
QString flagOrEnvironment(const QCommandLineParser &parser, const QCommandLineOption &option, const char *variable)
{
    if (parser.isSet(option))
        return parser.value(option);
    const QString fromEnvironment = qEnvironmentVariable(variable);
    return fromEnvironment.isEmpty() ? parser.value(option) : fromEnvironment;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fleetdesk-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEETDESK_VERSION_STRING));

    const SimServerConfig defaults;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Simulated Tracksolid Pro (Jimi IoT) cloud: the signed Open API on /route/rest, the instruction "
                       "gateway, and a seeded fleet that drives, parks and raises alarms."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption
        listenOpt(QStringLiteral("listen"),
                  QStringLiteral("Address to listen on: [HOST:]PORT (default 127.0.0.1:0, 0 = any free port)."),
                  QStringLiteral("host:port"), QStringLiteral("127.0.0.1:0"));
    const QCommandLineOption vehiclesOpt(QStringLiteral("vehicles"), QStringLiteral("Number of vehicles (1-10000)."),
                                         QStringLiteral("n"), QString::number(defaults.vehicles));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Seed of the fleet and of the faults."),
                                     QStringLiteral("s"), QString::number(defaults.seed));
    const QCommandLineOption speedupOpt(QStringLiteral("speedup"),
                                        QStringLiteral("Fleet time runs this many times faster than real time."),
                                        QStringLiteral("x"), QStringLiteral("1"));
    const QCommandLineOption fleetStartOpt(QStringLiteral("fleet-start"),
                                           QStringLiteral("Fleet time at start: now, or an ISO 8601 time such as "
                                                          "2026-12-02T10:00:00Z (default: now)."),
                                           QStringLiteral("time"));
    const QCommandLineOption appKeyOpt(QStringLiteral("app-key"), QStringLiteral("App key."), QStringLiteral("key"),
                                       defaults.appKey);
    const QCommandLineOption appSecretOpt(QStringLiteral("app-secret"),
                                          QStringLiteral(
                                              "App secret (or the environment variable FLEETDESK_SIM_APP_SECRET)."),
                                          QStringLiteral("secret"), defaults.appSecret);
    const QCommandLineOption userOpt(QStringLiteral("user-id"), QStringLiteral("Account (user_id)."),
                                     QStringLiteral("user"), defaults.userId);
    const QCommandLineOption passwordOpt(QStringLiteral("password"),
                                         QStringLiteral(
                                             "Account password (or the environment variable FLEETDESK_SIM_PASSWORD)."),
                                         QStringLiteral("password"), defaults.password);
    const QCommandLineOption latencyOpt(QStringLiteral("latency"), QStringLiteral("Delay every answer by ms."),
                                        QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption jitterOpt(QStringLiteral("jitter"), QStringLiteral("Add up to ms of random delay."),
                                       QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption dropOpt(QStringLiteral("drop-rate"),
                                     QStringLiteral("Share of requests whose connection is closed unanswered (0-1)."),
                                     QStringLiteral("r"), QStringLiteral("0"));
    const QCommandLineOption errorRateOpt(QStringLiteral("error-rate"),
                                          QStringLiteral("Share of API calls answered with --error-code (0-1)."),
                                          QStringLiteral("r"), QStringLiteral("0"));
    const QCommandLineOption errorCodeOpt(QStringLiteral("error-code"),
                                          QStringLiteral("Code of injected errors (e.g. -1, 1004, 1006)."),
                                          QStringLiteral("code"), QStringLiteral("-1"));
    const QCommandLineOption tokenIntervalOpt(QStringLiteral("token-interval"),
                                              QStringLiteral("Seconds between two token.get of a user (default 60)."),
                                              QStringLiteral("s"), QString::number(defaults.tokenGetIntervalSecs));
    const QCommandLineOption tokenLifetimeOpt(QStringLiteral("token-lifetime"),
                                              QStringLiteral(
                                                  "Seconds every token lives, whatever the client asks "
                                                  "(0 = as asked, within 60-7200; the official sample grants 60)."),
                                              QStringLiteral("s"), QStringLiteral("0"));
    const QCommandLineOption strictTokenOpt(QStringLiteral("strict-token-limit"),
                                            QStringLiteral("The token.get interval starts at every answer, refused "
                                                           "ones included, and is checked before the password."));
    const QCommandLineOption ignorePageOpt(QStringLiteral("ignore-page-no"),
                                           QStringLiteral(
                                               "jimi.device.alarm.list answers page 1 whatever page_no says."));
    const QCommandLineOption alarmDelayOpt(QStringLiteral("alarm-delay"),
                                           QStringLiteral("Alarms reach the cloud this many seconds after they were "
                                                          "raised (alarm.list serves them only then)."),
                                           QStringLiteral("s"), QStringLiteral("0"));
    const QCommandLineOption commandLagOpt(QStringLiteral("command-result-lag"),
                                           QStringLiteral("jimi.open.instruction.result lists a command only this "
                                                          "many seconds after it was sent (default 60)."),
                                           QStringLiteral("s"), QStringLiteral("60"));
    const QCommandLineOption noGatewayOpt(QStringLiteral("no-instruct-gateway"),
                                          QStringLiteral("Do not serve /api/device/sendInstruct."));
    const QCommandLineOption noGopCacheOpt(QStringLiteral("no-gop-cache"),
                                           QStringLiteral("Live video starts at the next keyframe, not with the "
                                                          "picture group up to now."));
    const QCommandLineOption pushUrlOpt(QStringLiteral("push-url"),
                                        QStringLiteral("Push the fleet's data to this webhook base URL (the endpoint "
                                                       "name is appended, e.g. URL/pushgps)."),
                                        QStringLiteral("url"));
    const QCommandLineOption pushTokenOpt(QStringLiteral("push-token"),
                                          QStringLiteral(
                                              "Webhook token sent with every push (or the environment "
                                              "variable FLEETDESK_SIM_PUSH_TOKEN); required with --push-url."),
                                          QStringLiteral("token"));
    parser.addOptions({listenOpt,     vehiclesOpt,  seedOpt,          speedupOpt,       fleetStartOpt,  appKeyOpt,
                       appSecretOpt,  userOpt,      passwordOpt,      latencyOpt,       jitterOpt,      dropOpt,
                       errorRateOpt,  errorCodeOpt, tokenIntervalOpt, tokenLifetimeOpt, strictTokenOpt, ignorePageOpt,
                       alarmDelayOpt, commandLagOpt, noGatewayOpt, noGopCacheOpt,    pushUrlOpt,       pushTokenOpt});

    if (!parser.parse(QCoreApplication::arguments()))
        usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

    const auto intValue = [&parser](const QCommandLineOption &opt, qint64 min, qint64 max) {
        bool ok = false;
        const qint64 v = parser.value(opt).toLongLong(&ok);
        if (!ok || v < min || v > max)
            usageError(
                QStringLiteral("--%1 must be an integer in [%2, %3]").arg(opt.names().first()).arg(min).arg(max));
        return v;
    };
    const auto realValue = [&parser](const QCommandLineOption &opt, double min, double max) {
        bool ok = false;
        const double v = parser.value(opt).toDouble(&ok);
        // NaN passes no range check; it and inf are refused outright.
        if (!ok || !std::isfinite(v) || v < min || v > max)
            usageError(QStringLiteral("--%1 must be a number in [%2, %3]").arg(opt.names().first()).arg(min).arg(max));
        return v;
    };
    const auto textValue = [](const QCommandLineOption &opt, const QString &v) {
        if (v.isEmpty())
            usageError(QStringLiteral("--%1 must not be empty").arg(opt.names().first()));
        return v;
    };

    const std::optional<ListenAddress> listen = parseListen(parser.value(listenOpt));
    if (!listen)
        usageError(QStringLiteral("--listen must be [HOST:]PORT, got '%1'").arg(parser.value(listenOpt)));

    SimServerConfig config;
    config.vehicles = int(intValue(vehiclesOpt, 1, 10000));
    bool seedOk = false;
    config.seed = parser.value(seedOpt).toULongLong(&seedOk);
    if (!seedOk)
        usageError(QStringLiteral("--seed must be a non-negative integer"));
    config.speedup = realValue(speedupOpt, 0.001, 10000);
    if (parser.isSet(fleetStartOpt)) {
        QString why;
        const std::optional<QDateTime> start = Fleet::Sim::parseFleetStart(parser.value(fleetStartOpt),
                                                                           QDateTime::currentDateTimeUtc(), &why);
        if (!start)
            usageError(QStringLiteral("--fleet-start: %1").arg(why));
        config.fleetStart = *start;
    }
    config.appKey = textValue(appKeyOpt, parser.value(appKeyOpt));
    config.appSecret = textValue(appSecretOpt, flagOrEnvironment(parser, appSecretOpt, "FLEETDESK_SIM_APP_SECRET"));
    config.userId = textValue(userOpt, parser.value(userOpt));
    config.password = textValue(passwordOpt, flagOrEnvironment(parser, passwordOpt, "FLEETDESK_SIM_PASSWORD"));
    config.tokenGetIntervalSecs = int(intValue(tokenIntervalOpt, 0, 86400));
    config.tokenLifetimeSecs = int(intValue(tokenLifetimeOpt, 0, 86400));
    if (config.tokenLifetimeSecs > 0 && config.tokenLifetimeSecs < 10)
        usageError(QStringLiteral("--token-lifetime must be 0 or at least 10 seconds"));
    config.strictTokenLimit = parser.isSet(strictTokenOpt);
    config.ignorePageNo = parser.isSet(ignorePageOpt);
    config.alarmDelaySecs = int(intValue(alarmDelayOpt, 0, 7 * 86400));
    config.commandResultLagSecs = int(intValue(commandLagOpt, 0, 3600));
    config.instructionGateway = !parser.isSet(noGatewayOpt);
    config.videoGopCache = !parser.isSet(noGopCacheOpt);
    config.faults.latencyMs = int(intValue(latencyOpt, 0, 600000));
    config.faults.latencyJitterMs = int(intValue(jitterOpt, 0, 600000));
    config.faults.dropRate = realValue(dropOpt, 0, 1);
    config.faults.errorRate = realValue(errorRateOpt, 0, 1);
    config.faults.errorCode = int(intValue(errorCodeOpt, -1000000, 1000000));
    config.faults.seed = config.seed;

    QUrl pushUrl;
    QString pushToken;
    if (parser.isSet(pushUrlOpt)) {
        pushUrl = QUrl(parser.value(pushUrlOpt), QUrl::StrictMode);
        const QString scheme = pushUrl.scheme();
        if (!pushUrl.isValid() || pushUrl.host().isEmpty()
            || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            usageError(QStringLiteral("--push-url must be an http:// or https:// URL, got '%1'")
                           .arg(parser.value(pushUrlOpt)));
        pushToken = flagOrEnvironment(parser, pushTokenOpt, "FLEETDESK_SIM_PUSH_TOKEN");
        if (pushToken.isEmpty())
            usageError(QStringLiteral("--push-url needs --push-token (or FLEETDESK_SIM_PUSH_TOKEN)"));
    } else if (parser.isSet(pushTokenOpt)) {
        usageError(QStringLiteral("--push-token needs --push-url"));
    }

    // Before it listens: a client may send SIGTERM as soon as the port answers.
    Fleet::quitOnTerminationSignals(&app);
    SimServer server(config);
    if (server.listen(listen->host, listen->port) == 0) {
        std::fprintf(stderr, "fleetdesk-sim: cannot listen on %s\n", qPrintable(parser.value(listenOpt)));
        return 1;
    }

    printLine(QStringLiteral("FLEETDESK_SIM_URL=") + server.baseUrl().toString());
    printLine(QStringLiteral("FLEETDESK_SIM_APP_KEY=") + config.appKey);
    printLine(QStringLiteral("FLEETDESK_SIM_APP_SECRET=") + config.appSecret);
    printLine(QStringLiteral("FLEETDESK_SIM_USER_ID=") + config.userId);
    printLine(QStringLiteral("FLEETDESK_SIM_PASSWORD=") + config.password);
    printLine(QStringLiteral("FLEETDESK_SIM_PASSWORD_MD5=") + server.passwordMd5());
    printLine(QStringLiteral("FLEETDESK_SIM_INSTRUCT_URL=")
              + (config.instructionGateway ? server.instructionUrl().toString() : QString()));
    printLine(QStringLiteral("fleetdesk-sim: %1 vehicles (seed %2, speedup %3), fleet time %4; "
                             "ground truth on %5/sim/state; Ctrl+C to stop")
                  .arg(server.fleet().size())
                  .arg(config.seed)
                  .arg(config.speedup)
                  .arg(server.fleetNow().toUTC().toString(Qt::ISODate), server.instructionUrl().toString()));

    std::unique_ptr<Fleet::Sim::SimPusher> pusher;
    if (pushUrl.isValid()) {
        pusher = std::make_unique<Fleet::Sim::SimPusher>(server, pushUrl, pushToken.toUtf8());
        pusher->start();
        const QString gpsUrl =
            pusher->endpointUrl(Fleet::Push::Endpoint::Gps).toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
        printLine(QStringLiteral("fleetdesk-sim: pushing the fleet's data to %1 and the other push endpoints "
                                 "beside it, from fleet time %2")
                      .arg(gpsUrl, pusher->stats().pushedUntil.toUTC().toString(Qt::ISODate)));
    }

    const int rc = QCoreApplication::exec();
    qCInfo(lcSim) << "fleetdesk-sim stopped";
    return rc;
}
