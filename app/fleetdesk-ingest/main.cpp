// fleetdesk-ingest: the sync engine without a window. Polls a Tracksolid Pro
// account into the local store until SIGINT/SIGTERM (then flushes and exits
// 0), or with --once runs every job once over the back-fill window and exits
// 0 only if all of them succeeded. Progress and a summary go to stderr.

#include "api/accesstoken.h"
#include "api/apiclient.h"
#include "api/jimiapi.h"
#include "store/storereader.h"
#include "store/storetable.h"
#include "store/storewriter.h"
#include "sync/ingestconfig.h"
#include "sync/storesink.h"
#include "sync/syncengine.h"
#include "util/quitonsignal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>

using namespace Fleet;

namespace {

void say(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}

void summary(const ApiClient &client, const StoreWriter &writer, const SyncEngine &engine, qint64 elapsedMs)
{
    const ApiClient::Stats &api = client.stats();
    say(QStringLiteral("summary: %1 s, %2 API requests (%3 token.get, %4 refreshes, %5 retries, %6 failed calls)")
            .arg(elapsedMs / 1000.0, 0, 'f', 1)
            .arg(api.requestsSent)
            .arg(api.tokenGets)
            .arg(api.tokenRefreshes)
            .arg(api.retries)
            .arg(api.failures));
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
    for (int j = 0; j < SyncEngine::kJobCount; ++j) {
        const SyncEngine::JobStats &js = engine.stats(SyncEngine::Job(j));
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
    p.setApplicationDescription(QStringLiteral("Polls a Tracksolid Pro account into FleetDesk's local store "
                                               "(see docs/CONFIG.md)."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("config"), QStringLiteral("The INI configuration file."), QStringLiteral("FILE")},
        {QStringLiteral("once"), QStringLiteral("Run every job once over the back-fill window, then exit.")},
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

    QDir().mkpath(QFileInfo(config->databasePath).absolutePath());
    StoreWriter writer;
    if (!writer.open(config->databasePath)) {
        say(QStringLiteral("store: %1").arg(writer.errorString()));
        return 1;
    }
    StoreReader reader;
    if (!reader.open(config->databasePath)) {
        say(QStringLiteral("store: %1").arg(reader.errorString()));
        return 1;
    }
    QObject::connect(&writer, &StoreWriter::writeFailed, &app, [](const QString &message) {
        say(QStringLiteral("store: write failed, held for retry: %1").arg(message));
    });

    // The access token lives beside the database, readable by its owner only.
    FileTokenStore tokens(config->databasePath + QStringLiteral(".tokens.json"));
    ApiClient client(config->account, &tokens, nullptr);
    JimiApi api(&client);
    StoreSink sink(&writer, &reader);
    SyncEngine engine(&api, &sink, config->schedule, config->target);
    QObject::connect(&engine, &SyncEngine::jobFinished, &app, [](SyncEngine::Job job, bool ok, const QString &detail) {
        say(QStringLiteral("%1: %2, %3").arg(SyncEngine::jobName(job), ok ? QStringLiteral("ok") : QStringLiteral("FAILED"), detail));
    });

    QElapsedTimer elapsed;
    elapsed.start();
    say(QStringLiteral("fleetdesk-ingest: %1 → %2%3")
            .arg(config->account.baseUrl.toString(), config->databasePath,
                 p.isSet(QStringLiteral("once")) ? QStringLiteral(" (once)") : QString()));

    int rc = 0;
    if (p.isSet(QStringLiteral("once"))) {
        QObject::connect(&engine, &SyncEngine::onceFinished, &app, [&rc](bool ok) {
            rc = ok ? 0 : 1;
            QCoreApplication::quit();
        });
        quitOnTerminationSignals(&app);
        engine.runOnce();
        app.exec();
    } else {
        quitOnTerminationSignals(&app);
        engine.start();
        app.exec();
        engine.stop();
    }
    client.cancelAll();
    if (!writer.flush(60000)) {
        say(QStringLiteral("store: not everything could be written: %1").arg(writer.stats().lastError));
        rc = 1;
    }
    summary(client, writer, engine, elapsed.elapsed());
    writer.close();
    return rc;
}
