// Benchmarks of device commands (issue 15), each printed beside its baseline.
// Run a Release build (cmake --preset release) with QT_QPA_PLATFORM=offscreen.
//
//   list:    the Commands dock over 100,000 stored commands (1,000 vehicles,
//            30 days): open the database, the first page, the first painted
//            frame; then each filter (state, text, vehicle).
//            baseline: reading every row at once.
//            target: the list opens under 200 ms.
//   locate:  "Locate now" for one vehicle against the simulated cloud, from
//            the call to its new position committed in the store (what the
//            map reads). baseline: the sweep's interval, which is what a
//            dispatcher waits without it. target: under 1 s.
//   send:    STATUS# sent to 500 vehicles of the simulated cloud (20 ms per
//            answer), from send() to every vehicle's answer from the cloud;
//            the longest the sending thread's event loop was held (the UI
//            runs beside it, on its own thread, in the window).
//            baseline: the same sends one at a time. target: batched within
//            the cloud's limits (4 at once), progress for every vehicle,
//            no loop held over 50 ms.

#include "benchstats.h"
#include "api/apiclient.h"
#include "api/jimiapi.h"
#include "commands/commandspanel.h"
#include "commands/commandlistmodel.h"
#include "domain/commandcatalog.h"
#include "sim/simserver.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "sync/commandsender.h"
#include "sync/ingestconfig.h"
#include "sync/locatenow.h"
#include "util/clock.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace Fleet;
using BenchStats::elapsedMs;

namespace {

constexpr qint64 kT0 = 1'780'000'000;
constexpr int kRows = 100'000;
constexpr int kVehicles = 1000;

QString imeiOf(int v)
{
    return QStringLiteral("86%1").arg(v, 13, 10, QLatin1Char('0'));
}

// The rows in one transaction of plain INSERTs, after the writer made the schema.
bool fill(const QString &path)
{
    {
        StoreWriter writer;
        if (!writer.open(path))
            return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fill"));
    db.setDatabaseName(path);
    if (!db.open())
        return false;
    {
        QSqlQuery q(db);
        q.exec(QStringLiteral("BEGIN"));
        q.prepare(QStringLiteral("INSERT INTO commands (imei, client_key, batch_key, origin, route, template_id, "
                                 "template_name, command_text, operator, sent_time, state, state_time, reply_content, "
                                 "reply_time, updated_at) VALUES (?, ?, ?, 'fleetdesk', 'template', '16', "
                                 "'Device status', ?, 'dispatcher', ?, ?, ?, ?, ?, ?)"));
        static const char *const texts[] = {"STATUS#", "WHERE#", "RELAY,1#", "RELAY,0#", "PARAM#"};
        static const char *const states[] = {"answered", "answered", "answered", "failed", "timed_out", "queued"};
        for (int i = 0; i < kRows; ++i) {
            const qint64 t = kT0 + qint64(i) * 26; // 30 days
            q.addBindValue(imeiOf(i % kVehicles));
            q.addBindValue(QStringLiteral("key-%1").arg(i));
            q.addBindValue(QStringLiteral("batch-%1").arg(i));
            q.addBindValue(QString::fromLatin1(texts[i % 5]));
            q.addBindValue(t);
            q.addBindValue(QString::fromLatin1(states[i % 6]));
            q.addBindValue(t + 30);
            q.addBindValue(QStringLiteral("Battery:100%,GPRS:Link Up,GSM Signal Level:Strong"));
            q.addBindValue(t + 30);
            q.addBindValue(t + 30);
            if (!q.exec())
                return false;
        }
        q.exec(QStringLiteral("COMMIT"));
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("fill"));
    return true;
}

void benchList(const QString &path)
{
    std::vector<double> open, baseline;
    for (int run = 0; run < 7; ++run) {
        QElapsedTimer t;
        t.start();
        CommandsPanel panel;
        panel.resize(1200, 400);
        panel.open(path);
        panel.show();
        (void)panel.grab(); // the first painted frame
        open.push_back(elapsedMs(t));

        QElapsedTimer b;
        b.start();
        StoreReader reader;
        reader.open(path);
        const QList<CommandRecord> all = reader.commands({}, {}, kRows);
        baseline.push_back(elapsedMs(b));
        if (all.size() != kRows)
            std::printf("  (read %lld rows)\n", qlonglong(all.size()));
    }
    const auto o = BenchStats::stats(open);
    const auto b = BenchStats::stats(baseline);
    std::printf("list: %d commands\n", kRows);
    std::printf("  open, first page painted:   median %7.1f ms, worst %7.1f ms   (target < 200 ms)\n", o.median, o.max);
    std::printf("  baseline, every row read:   median %7.1f ms, worst %7.1f ms\n", b.median, b.max);

    CommandsPanel panel;
    panel.resize(1200, 400);
    panel.open(path);
    panel.show();
    const auto timed = [&](const char *what, const std::function<void()> &change) {
        std::vector<double> ms;
        for (int run = 0; run < 5; ++run) {
            panel.setStateFilter(CommandsPanel::StateFilter::All);
            panel.searchField()->clear();
            QElapsedTimer t;
            t.start();
            change();
            (void)panel.grab();
            ms.push_back(elapsedMs(t));
        }
        const auto s = BenchStats::stats(ms);
        std::printf("  filter %-22s median %7.1f ms, worst %7.1f ms, %d rows shown\n", what, s.median, s.max,
                    panel.model()->rowCount());
    };
    timed("state failed/timed out:", [&] { panel.setStateFilter(CommandsPanel::StateFilter::Problems); });
    timed("text \"RELAY,1\":", [&] { panel.searchField()->setText(QStringLiteral("RELAY,1")); });
    timed("text (rare IMEI):", [&] { panel.searchField()->setText(imeiOf(777)); });
}

struct Cloud
{
    MemoryTokenStore tokens;
    std::unique_ptr<Sim::SimServer> server;
    std::unique_ptr<ApiClient> client;
    std::unique_ptr<JimiApi> api;

    bool start(int vehicles, int latencyMs)
    {
        Sim::SimServerConfig c;
        c.vehicles = vehicles;
        c.seed = 11;
        c.faults.latencyMs = latencyMs;
        server = std::make_unique<Sim::SimServer>(c);
        if (server->listen() == 0)
            return false;
        ApiClientOptions o;
        o.maxAttempts = 1;
        client = std::make_unique<ApiClient>(server->account(), &tokens, nullptr, o);
        api = std::make_unique<JimiApi>(client.get());
        return true;
    }
};

bool waitFor(const std::function<bool()> &done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return done();
}

void benchLocate(const QString &dir)
{
    Cloud cloud;
    if (!cloud.start(50, 0))
        return;
    StoreWriter writer;
    StoreWriter::Options o;
    o.coalesceMs = 0;
    writer.open(dir + QStringLiteral("/locate.db"), o);
    const QString imei = cloud.server->fleet().device(3).imei;
    // The token first, as a running session has it.
    bool warm = false;
    locateNow(cloud.api.get(), &writer, {imei}, &writer, [&](const LocateOutcome &) { warm = true; });
    waitFor([&] { return warm; }, 30000);
    std::vector<double> ms;
    int located = 0;
    for (int run = 0; run < 20; ++run) {
        bool done = false;
        QElapsedTimer t;
        t.start();
        locateNow(cloud.api.get(), &writer, {imei}, &writer, [&](const LocateOutcome &out) {
            located += out.located;
            done = true;
        });
        waitFor([&] { return done; }, 10000);
        ms.push_back(elapsedMs(t));
    }
    const auto s = BenchStats::stats(ms);
    std::printf("locate now: one vehicle, call to its position committed (%d of 20 located)\n", located);
    std::printf("  FleetDesk:                  median %7.1f ms, worst %7.1f ms   (target < 1000 ms)\n", s.median, s.max);
    std::printf("  baseline, the sweep:        up to %d s between positions\n", SyncSchedule().fleetSweepSecs);
}

void benchSend(const QString &dir, int concurrency, const char *label)
{
    Cloud cloud;
    if (!cloud.start(500, 20))
        return;
    StoreWriter writer;
    writer.open(dir + QStringLiteral("/send-%1.db").arg(concurrency));
    CommandSender::Options o;
    o.concurrency = concurrency;
    o.pollIntervalMs = 3600 * 1000; // sending is measured, not following
    CommandSender sender(cloud.api.get(), &writer, nullptr, o);
    // The token first.
    bool warm = false;
    cloud.api->commandTemplates(cloud.server->fleet().device(0).imei, &sender,
                                [&](const Result<ApiList<CommandTemplate>> &) { warm = true; });
    waitFor([&] { return warm; }, 30000);
    CommandOrder order;
    CommandTemplate status;
    status.id = QStringLiteral("16");
    status.name = QStringLiteral("Device status");
    status.content = QStringLiteral("STATUS#");
    order.entry = commandEntry(status);
    order.operatorName = QStringLiteral("bench");
    for (int i = 0; i < 500; ++i)
        order.imeis.append(cloud.server->fleet().device(i).imei);
    int done = 0, updates = 0;
    QObject::connect(&sender, &CommandSender::progress, &sender, [&](const QString &, int d, int) {
        done = d;
        ++updates;
    });
    // The longest the loop was held, by a 5 ms probe.
    double held = 0;
    QElapsedTimer gap;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, &sender, [&] {
        held = std::max(held, elapsedMs(gap) - 5);
        gap.restart();
    });
    QElapsedTimer t;
    t.start();
    gap.start();
    probe.start();
    sender.send(order);
    waitFor([&] { return done >= 500; }, 600000);
    const double total = elapsedMs(t);
    probe.stop();
    writer.flush();
    std::printf("  %-27s %7.0f ms for 500 vehicles (%d answered, %d progress updates), loop held at most %.1f ms%s\n",
                label, total, done, updates, held, concurrency > 1 ? "   (target < 50 ms)" : "");
    std::printf("  %-27s %d sends reached the cloud\n", "",
                cloud.server->requestCount(QStringLiteral("jimi.open.instruction.send")));
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("commands.db"));
    QElapsedTimer fillTime;
    fillTime.start();
    if (!fill(path)) {
        std::fprintf(stderr, "cannot fill %s\n", qPrintable(path));
        return 1;
    }
    std::printf("(%d commands stored in %.1f s)\n", kRows, elapsedMs(fillTime) / 1000);
    benchList(path);
    benchLocate(dir.path());
    std::printf("send: STATUS# to 500 vehicles, the cloud answering each in 20 ms\n");
    benchSend(dir.path(), 4, "FleetDesk, 4 at once:");
    benchSend(dir.path(), 1, "baseline, one at a time:");
    return 0;
}
