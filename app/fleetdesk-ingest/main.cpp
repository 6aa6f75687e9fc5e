// fleetdesk-ingest: the sync engine and the webhook receiver without a
// window. Polls a Tracksolid Pro account ([api]) and/or receives its data
// pushes ([webhook]) into the local store until SIGINT/SIGTERM (then flushes
// and exits 0). With --once it runs every poll job once over the back-fill
// window and exits 0 only if all of them succeeded (no listener). Progress
// and a summary go to stderr.

#include "api/apiclient.h"
#include "push/pushreceiver.h"
#include "store/storetable.h"
#include "store/storewriter.h"
#include "sync/ingestconfig.h"
#include "sync/ingestservice.h"
#include "sync/syncengine.h"
#include "util/quitonsignal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace Fleet;

namespace {

void say(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}

void summary(const ApiClient *client, const Push::Receiver *receiver, const StoreWriter &writer,
             const SyncEngine *engine, qint64 elapsedMs)
{
    say(QStringLiteral("summary: %1 s").arg(elapsedMs / 1000.0, 0, 'f', 1));
    if (client) {
        const ApiClient::Stats &api = client->stats();
        say(QStringLiteral("  API: %1 requests (%2 token.get, %3 refreshes, %4 retries, %5 failed calls)")
                .arg(api.requestsSent)
                .arg(api.tokenGets)
                .arg(api.tokenRefreshes)
                .arg(api.retries)
                .arg(api.failures));
    }
    if (receiver) {
        const Push::ReceiverStats r = receiver->stats();
        say(QStringLiteral("  webhook: %1 requests, %2 accepted with %3 items; refused: %4 token, %5 unknown path, "
                           "%6 method, %7 content type, %8 malformed, %9 busy")
                .arg(r.requests)
                .arg(r.accepted)
                .arg(r.itemsAccepted)
                .arg(r.unauthorized)
                .arg(r.notFound)
                .arg(r.wrongMethod)
                .arg(r.wrongContentType)
                .arg(r.malformed)
                .arg(r.unavailable)
            + QStringLiteral("; %1 items quarantined, %2 finished from the inbox")
                  .arg(r.quarantinedItems)
                  .arg(r.recovered));
    }
    const StoreStats s = writer.stats();
    for (std::size_t i = 0; i < kStoreTableCount; ++i) {
        const TableCounts &c = s.tables[i];
        if (c.inserted + c.updated + c.duplicates + c.rejected == 0)
            continue;
        say(QStringLiteral("  %1: %2 new, %3 updated, %4 already stored, %5 rejected")
                .arg(storeTableName(StoreTable(i)), -16)
                .arg(c.inserted)
                .arg(c.updated)
                .arg(c.duplicates)
                .arg(c.rejected));
    }
    for (int j = 0; engine && j < SyncEngine::kJobCount; ++j) {
        const SyncEngine::JobStats &js = engine->stats(SyncEngine::Job(j));
        if (js.failures > 0)
            say(QStringLiteral("  %1 failed %2 of %3 runs; last error: %4")
                    .arg(SyncEngine::jobName(SyncEngine::Job(j)))
                    .arg(js.failures)
                    .arg(js.runs)
                    .arg(js.lastError));
    }
    if (!s.lastError.isEmpty())
        say(QStringLiteral("  store error: %1").arg(s.lastError));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fleetdesk-ingest"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEETDESK_VERSION_STRING));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Polls a Tracksolid Pro account and receives its data pushes into "
                                               "FleetDesk's local store (see docs/CONFIG.md)."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("config"), QStringLiteral("The INI configuration file."), QStringLiteral("FILE")},
        {QStringLiteral("once"),
         QStringLiteral("Run every poll job once over the back-fill window, then exit "
                        "(needs [api]; the webhook is not started).")},
    });
    p.process(app);
    if (!p.isSet(QStringLiteral("config"))) {
        say(QStringLiteral("fleetdesk-ingest: --config FILE is required (see --help)"));
        return 2;
    }
    QString error;
    const std::optional<IngestConfig> config = IngestConfig::load(p.value(QStringLiteral("config")), &error);
    if (!config) {
        say(error);
        return 2;
    }

    const bool once = p.isSet(QStringLiteral("once"));
    if (once && !config->hasApi) {
        say(QStringLiteral("fleetdesk-ingest: --once runs the poll jobs, and the config has no [api]"));
        return 2;
    }

    IngestServiceConfig sc;
    sc.databasePath = config->databasePath;
    // A service nobody watches row by row: fewer, bigger transactions (a
    // pushed fix touches its device's corner of the positions index, so
    // rows that share a commit share its page writes). Acknowledging a push
    // does not wait for them: the webhook's inbox is a file of its own.
    sc.writer.coalesceMs = 250;
    if (config->hasApi) {
        sc.account = config->account;
        sc.target = config->target;
        sc.schedule = config->schedule;
    }
    if (config->webhook.enabled && !once) {
        const WebhookSettings &w = config->webhook;
        for (const QString &warning : w.warnings)
            say(QStringLiteral("config: warning: %1").arg(warning));
        Push::ReceiverConfig rc;
        rc.address = w.address;
        rc.port = w.port;
        rc.token = w.token;
        rc.http.maxConnectionsPerAddress = w.maxConnectionsPerAddress;
        if (!w.certificatePath.isEmpty()) {
            rc.tls = Push::ReceiverConfig::tlsFromFiles(w.certificatePath, w.keyPath, &error);
            if (!rc.tls) {
                say(QStringLiteral("webhook: %1").arg(error));
                return 2;
            }
        }
        sc.webhook = rc;
    }
    // Before the webhook listens: a SIGTERM that arrives as soon as the port
    // answers must end in a flush and exit 0, not in the default action. A
    // signal before app.exec() waits in the pipe and quits the loop at once.
    quitOnTerminationSignals(&app);
    IngestService service;
    if (!service.start(sc, &error)) {
        say(error);
        return 1;
    }
    StoreWriter &writer = *service.writer();
    QObject::connect(&writer, &StoreWriter::writeFailed, &app, [](const QString &message) {
        say(QStringLiteral("store: write failed, held for retry: %1").arg(message));
    });
    ApiClient *client = service.client();
    SyncEngine *engine = service.engine();
    Push::Receiver *receiver = service.receiver();
    if (engine) {
        QObject::connect(engine, &SyncEngine::jobFinished, &app,
                         [](SyncEngine::Job job, bool ok, const QString &detail) {
                             say(QStringLiteral("%1: %2, %3")
                                     .arg(SyncEngine::jobName(job),
                                          ok ? QStringLiteral("ok") : QStringLiteral("FAILED"), detail));
                         });
    }

    QElapsedTimer elapsed;
    elapsed.start();
    QStringList sources;
    if (client)
        sources.append(config->account.baseUrl.toString());
    if (receiver)
        sources.append(QStringLiteral("webhook ") + receiver->url().toString());
    say(QStringLiteral("fleetdesk-ingest: %1 → %2%3")
            .arg(sources.join(QLatin1String(" + ")), config->databasePath,
                 once ? QStringLiteral(" (once)") : QString()));

    int rc = 0;
    if (once) {
        QObject::connect(engine, &SyncEngine::onceFinished, &app, [&rc](bool ok) {
            rc = ok ? 0 : 1;
            QCoreApplication::quit();
        });
        engine->runOnce();
    } else {
        service.startPolling();
    }
    app.exec();
    if (!service.stop(60000)) {
        say(QStringLiteral("store: not everything could be written: %1").arg(writer.stats().lastError));
        rc = 1;
    }
    summary(client, receiver, writer, engine, elapsed.elapsed());
    return rc;
}
