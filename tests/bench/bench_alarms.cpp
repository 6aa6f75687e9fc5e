// Benchmarks of the alarm desk (issue 13), each printed beside its baseline.
// Run a Release build (cmake --preset release) with QT_QPA_PLATFORM=offscreen.
//
//   open:    the desk over 1,000,000 stored alarms (1,000 vehicles, 90 days;
//            a control room that works its alarms: 0.2% new, 0.3%
//            acknowledged, the rest resolved): open the
//            database, the first page, the first painted frame of the list.
//            baseline: a bare query of the newest 200 rows.
//            target: first rows painted under 200 ms.
//   filter:  each of the dock's filters changed (state, severity, group,
//            text, period), the list repainted. target: each under 100 ms.
//   flood:   200 new alarms a second for 60 s through the store's writer
//            while the desk and the attention are live; every frame of the
//            GUI thread (notices applied, the list repainted) timed, and
//            the process's memory before and after.
//            target: every alarm listed, no frame over 16.7 ms, memory flat.
//   notice:  from a push batch handed to the writer to the row in the list,
//            the sound asked for and the tray notice asked for.
//            baseline: the writer's commit alone. target: under 100 ms.
//
// Options: --flood-seconds N (default 60)

#include "alarms/alarmattention.h"
#include "alarms/alarmdeskpanel.h"
#include "benchstats.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"
#include "util/utc.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

#ifdef Q_OS_UNIX
#include <ctime>
#endif

using namespace Fleet;
using BenchStats::elapsedMs;
using BenchStats::threadCpuMs;

namespace {

constexpr qint64 kT0 = 1'780'000'000;
constexpr int kVehicles = 1000;
constexpr int kStored = 1'000'000;

QString imeiOf(int v)
{
    return QStringLiteral("86%1").arg(v, 13, 10, QLatin1Char('0'));
}

const char *const kTypes[] = {"6", "48", "41", "3", "ACC_ON", "ACC_OFF", "14", "out", "in", "1", "2", "44"};


// The million rows, in one transaction of plain INSERTs (the writer's fold
// lookups are not what is measured here).
bool fill(const QString &path)
{
    {
        StoreWriter writer;
        if (!writer.open(path))
            return false;
        IngestBatch b;
        for (int v = 0; v < kVehicles; ++v) {
            Device d;
            d.imei = imeiOf(v);
            d.name = QStringLiteral("VAN-%1").arg(v, 4, 10, QLatin1Char('0'));
            d.plate = QStringLiteral("AB-%1").arg(v, 4, 10, QLatin1Char('0'));
            d.groupId = QStringLiteral("g%1").arg(v % 10);
            d.groupName = QStringLiteral("Depot %1").arg(v % 10);
            b.devices.append(d);
        }
        writer.write(b);
        writer.flush();
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fill"));
    db.setDatabaseName(path);
    if (!db.open())
        return false;
    QSqlQuery q(db);
    q.exec(QStringLiteral("BEGIN"));
    q.prepare(QStringLiteral("INSERT INTO alarms (imei, alarm_type, alarm_name, alarm_time, lat, lng, speed_kmh, "
                             "source, received_at, updated_at, fold_last, state, handled_by) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, 'poll', ?, ?, ?, ?, ?)"));
    std::mt19937 rng(13);
    std::uniform_int_distribution<int> vehicle(0, kVehicles - 1);
    std::uniform_int_distribution<int> type(0, int(std::size(kTypes)) - 1);
    std::uniform_int_distribution<int> state(0, 999);
    for (int i = 0; i < kStored; ++i) {
        const qint64 t = kT0 - 90 * 86400 + qint64(double(i) * (90.0 * 86400 / kStored));
        const int s = state(rng);
        const QString stateName = s < 2 ? QStringLiteral("new") : s < 5 ? QStringLiteral("acknowledged")
                                                                        : QStringLiteral("resolved");
        q.addBindValue(imeiOf(vehicle(rng)));
        q.addBindValue(QString::fromLatin1(kTypes[type(rng)]));
        q.addBindValue(QStringLiteral("alarm"));
        q.addBindValue(t);
        q.addBindValue(48.8 + double(i % 1000) / 10000);
        q.addBindValue(2.3 + double(i % 777) / 10000);
        q.addBindValue(40.0);
        q.addBindValue(t);
        q.addBindValue(t);
        q.addBindValue(t);
        q.addBindValue(stateName);
        q.addBindValue(s == 0 ? QVariant() : QVariant(QStringLiteral("ana")));
        if (!q.exec()) {
            std::printf("insert: %s\n", qPrintable(q.lastError().text()));
            return false;
        }
    }
    q.exec(QStringLiteral("COMMIT"));
    q.finish();
    db.close();
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("flood-seconds"), QStringLiteral("How long the flood lasts (default 60)."),
                      QStringLiteral("N"), QStringLiteral("60")});
    parser.addHelpOption();
    parser.process(app);
    const int floodSeconds = qMax(1, parser.value(QStringLiteral("flood-seconds")).toInt());
    std::printf("bench_alarms (Release build expected)\n");

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.db"));
    QElapsedTimer fillTimer;
    fillTimer.start();
    if (!fill(path)) {
        std::printf("cannot fill the store\n");
        return 1;
    }
    std::printf("  store: %d alarms of %d vehicles written in %.1f s\n", kStored, kVehicles,
                elapsedMs(fillTimer) / 1000);

    // --- open
    std::vector<double> baseline, open;
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer t;
        t.start();
        StoreReader r;
        r.open(path);
        const QList<AlarmDeskRow> rows = r.alarmDesk(AlarmFilter{}, {}, 200);
        baseline.push_back(elapsedMs(t));
        if (rows.size() != 200)
            std::printf("  baseline read %lld rows\n", qlonglong(rows.size()));
    }
    for (int run = 0; run < 5; ++run) {
        AlarmDeskPanel panel;
        panel.resize(1400, 400);
        panel.setView(QStringLiteral("all"), QStringLiteral("all"));
        panel.show();
        QElapsedTimer t;
        t.start();
        panel.open(path);
        panel.view()->viewport()->repaint();
        open.push_back(elapsedMs(t));
    }
    std::printf("open over %d alarms (5 runs)\n", kStored);
    std::printf("  %-34s median %7.2f ms\n", "baseline: bare query, 200 rows", BenchStats::stats(baseline).median);
    std::printf("  %-34s median %7.2f  max %7.2f ms   (target < 200 ms)\n", "open + first rows painted",
                BenchStats::stats(open).median, BenchStats::stats(open).max);

    // --- filters
    AlarmDeskPanel panel;
    panel.resize(1400, 400);
    // The session's time: just after the stored alarms (the period filters count back from it).
    ManualClock sessionClock(Utc::fromSecs(kT0 + 60));
    panel.setClock(&sessionClock);
    panel.setView(QStringLiteral("all"), QStringLiteral("all"));
    panel.show();
    panel.open(path);
    std::printf("filter changes (each: the model reloaded and the list painted)\n");
    // A text search reads its page off the GUI thread: the GUI is blocked
    // only for the change itself; its rows are painted when they come.
    const auto timed = [&panel](const char *name, const std::function<void()> &change) {
        QElapsedTimer t;
        t.start();
        change();
        const double blocked = elapsedMs(t);
        QElapsedTimer frame;
        double longestFrame = 0;
        while (panel.model()->isSearching()) {
            frame.start();
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            longestFrame = std::max(longestFrame, elapsedMs(frame));
        }
        panel.view()->viewport()->repaint();
        std::printf("  %-34s %7.2f ms  %6d rows loaded   (target < 100 ms)  GUI blocked %6.2f ms, longest "
                    "event-loop turn meanwhile %5.2f ms\n",
                    name, elapsedMs(t), panel.model()->rowCount(), blocked, longestFrame);
    };
    timed("state: new", [&] { panel.setView(QStringLiteral("new"), QStringLiteral("all")); });
    timed("state: unhandled", [&] { panel.setView(QStringLiteral("unhandled"), QStringLiteral("all")); });
    timed("state: resolved", [&] { panel.setView(QStringLiteral("resolved"), QStringLiteral("all")); });
    timed("period: last 24 h", [&] { panel.setView(QStringLiteral("all"), QStringLiteral("day")); });
    timed("text: a vehicle (VAN-0042)", [&] {
        panel.setView(QStringLiteral("all"), QStringLiteral("all"));
        panel.setSearchText(QStringLiteral("VAN-0042"));
    });
    timed("text: an alarm name (overspeed)", [&] { panel.setSearchText(QStringLiteral("overspeed")); });
    timed("text: nothing matches", [&] { panel.setSearchText(QStringLiteral("no such thing")); });
    timed("text cleared", [&] { panel.setSearchText({}); });
    // The dock's default period: a text search scans a week, not all time.
    timed("week: text VAN-0042", [&] {
        panel.setView(QStringLiteral("all"), QStringLiteral("week"));
        panel.setSearchText(QStringLiteral("VAN-0042"));
    });
    timed("week: text nothing matches", [&] { panel.setSearchText(QStringLiteral("no such thing")); });
    timed("week: text cleared", [&] { panel.setSearchText({}); });
    timed("severity: critical", [&] {
        panel.setView(QStringLiteral("all"), QStringLiteral("all"));
        panel.findChild<QComboBox *>(QStringLiteral("alarmSeverityFilter"))->setCurrentIndex(1);
    });
    timed("severity: any", [&] { panel.findChild<QComboBox *>(QStringLiteral("alarmSeverityFilter"))->setCurrentIndex(0); });

    // --- flood
    StoreWriter writer;
    StoreWriter::Options wo;
    wo.coalesceMs = 5;
    if (!writer.open(path, wo)) {
        std::printf("cannot open the writer: %s\n", qPrintable(writer.errorString()));
        return 1;
    }
    AlarmAttention attention;
    attention.open(path);
    QObject::connect(&writer, &StoreWriter::changed, panel.model(), &AlarmListModel::storeChanged);
    QObject::connect(&writer, &StoreWriter::changed, &attention, &AlarmAttention::storeChanged);
    panel.setView(QStringLiteral("all"), QStringLiteral("all"));
    QCoreApplication::processEvents();
    const qint64 rssBefore = BenchStats::rssKiB();
    StoreReader check;
    check.open(path);
    const qint64 idBefore = check.lastAlarmId();
    std::vector<double> frames;
    // The worst frames told apart: when (ms into the flood), the events
    // (notices, queries), the paint, and the CPU time the GUI thread had.
    struct Frame
    {
        double at, events, paint, cpu;
    };
    std::vector<Frame> split;
    int sent = 0;
    const int total = 200 * floodSeconds;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> vehicle(0, kVehicles - 1);
    QElapsedTimer clock;
    clock.start();
    qint64 rssMid = -1;
    qint64 rssWarm = -1;
    while (sent < total || clock.elapsed() < qint64(floodSeconds) * 1000 + 500) {
        // As many as are due by now, 200 a second, as the pushes bring them.
        const int due = std::min<qint64>(total, clock.elapsed() * 200 / 1000);
        if (due > sent) {
            IngestBatch b;
            QList<Alarm> list;
            for (; sent < due; ++sent) {
                Alarm a;
                a.imei = imeiOf(vehicle(rng));
                a.typeId = QString::fromLatin1(kTypes[sent % std::size(kTypes)]);
                a.time = Utc::fromSecs(kT0 + 1 + sent / 200); // the flood's second
                a.lat = 48.85;
                a.lng = 2.35;
                list.append(a);
            }
            b.addAlarms(list, ReportSource::Push);
            writer.write(b);
        }
        QElapsedTimer frame;
        frame.start();
        const double at = double(clock.nsecsElapsed()) / 1e6;
        const double cpuBefore = threadCpuMs();
        QCoreApplication::processEvents();
        const double events = elapsedMs(frame);
        panel.view()->viewport()->repaint();
        frames.push_back(elapsedMs(frame));
        split.push_back({at, events, frames.back() - events, threadCpuMs() - cpuBefore});
        if (rssWarm < 0 && clock.elapsed() > 5000)
            rssWarm = BenchStats::rssKiB();
        if (rssMid < 0 && clock.elapsed() > qint64(floodSeconds) * 500)
            rssMid = BenchStats::rssKiB();
        QThread::msleep(std::max<qint64>(0, 16 - qint64(frame.elapsed())));
    }
    writer.flush();
    QCoreApplication::processEvents();
    const qint64 stored = check.lastAlarmId() - idBefore;
    AlarmFilter since;
    since.minId = idBefore;
    const qsizetype runs = check.alarmDesk(since).size();
    const int held = panel.model()->rowCount();
    // Every one listed: scrolled down past the pinned rows and the flood, the
    // list has each of the flood's rows.
    const auto floodRows = [&panel] {
        int n = 0;
        for (int r = 0; r < panel.model()->rowCount(); ++r) {
            const QDateTime t = panel.model()->index(r, 0).data(AlarmListModel::SortTimeRole).toDateTime();
            n += t.toSecsSinceEpoch() > kT0;
        }
        const int last = panel.model()->rowCount() - 1;
        const QModelIndex end = panel.model()->index(last, 0);
        const bool past = last >= 0 && !end.data(AlarmListModel::PinnedRole).toBool()
            && end.data(AlarmListModel::SortTimeRole).toDateTime().toSecsSinceEpoch() <= kT0;
        return std::pair{n, past};
    };
    while (!floodRows().second && panel.model()->canFetchMore({})) {
        panel.model()->fetchMore({});
        QCoreApplication::processEvents();
    }
    const BenchStats::Stats fs = BenchStats::stats(frames);
    std::printf("flood: %d alarms in %d s (200/s), %zu frames\n", total, floodSeconds, frames.size());
    std::printf("  %-34s median %7.2f  p99 %7.2f  max %7.2f ms   (target: every frame < 16.7 ms)\n",
                "GUI frame (notices + list paint)", fs.median, fs.p99, fs.max);
    std::vector<std::size_t> worst(split.size());
    std::iota(worst.begin(), worst.end(), std::size_t(0));
    std::sort(worst.begin(), worst.end(),
              [&split](std::size_t a, std::size_t b) { return split[a].events + split[a].paint > split[b].events + split[b].paint; });
    const auto over = std::count_if(frames.cbegin(), frames.cend(), [](double f) { return f >= 16.7; });
    std::printf("  %-34s %lld of %zu; the worst:", "frames of 16.7 ms or more", qlonglong(over), frames.size());
    for (std::size_t i = 0; i < worst.size() && i < 5; ++i) {
        const Frame &f = split[worst[i]];
        std::printf(" %.1f ms at %.1f s (events %.1f, paint %.1f, on a core %.1f);", f.events + f.paint,
                    f.at / 1000, f.events, f.paint, f.cpu);
    }
    std::printf("\n");
    std::vector<double> cpu;
    for (const Frame &f : split)
        cpu.push_back(f.cpu);
    const BenchStats::Stats cs = BenchStats::stats(cpu);
    std::printf("  %-34s median %7.2f  p99 %7.2f  max %7.2f ms   (the rest of a frame is waiting for a core)\n",
                "GUI thread's CPU time per frame", cs.median, cs.p99, cs.max);
    std::printf("  %-34s %lld KiB before, %lld after 5 s, %lld at half time, %lld after   (target: flat)\n",
                "resident memory", qlonglong(rssBefore), qlonglong(rssWarm), qlonglong(rssMid), qlonglong(BenchStats::rssKiB()));
    std::printf("  %-34s %lld alarms stored as %lld rows (repeats folded); %d rows held during the flood, "
                "%d of the flood's rows listed when scrolled   (target: every one)\n",
                "stored / listed", qlonglong(stored), qlonglong(runs), held, floodRows().first);

    // --- notice: commit to row, sound and tray
    bool hidden = true;
    attention.setWindowHidden([&hidden] { return hidden; });
    std::vector<double> commit, toRow, toSound, toTray;
    for (int i = 0; i < 40; ++i) {
        QElapsedTimer t;
        double committed = -1, row = -1, sound = -1, tray = -1;
        const QMetaObject::Connection c1 =
            QObject::connect(&writer, &StoreWriter::changed, [&] { committed = committed < 0 ? elapsedMs(t) : committed; });
        const QMetaObject::Connection c2 = QObject::connect(panel.model(), &QAbstractItemModel::rowsInserted,
                                                           [&] { row = row < 0 ? elapsedMs(t) : row; });
        const QMetaObject::Connection c3 = QObject::connect(&attention, &AlarmAttention::soundRequested,
                                                           [&] { sound = sound < 0 ? elapsedMs(t) : sound; });
        const QMetaObject::Connection c4 = QObject::connect(&attention, &AlarmAttention::notificationRequested,
                                                           [&] { tray = tray < 0 ? elapsedMs(t) : tray; });
        Alarm a;
        a.imei = imeiOf(i);
        a.typeId = QStringLiteral("1");
        a.time = Utc::fromSecs(kT0 + 86400 + i);
        a.lat = 48.85;
        a.lng = 2.35;
        IngestBatch b;
        b.addAlarms({a}, ReportSource::Push);
        t.start();
        writer.write(b);
        while ((row < 0 || sound < 0 || tray < 0) && t.elapsed() < 5000) {
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        }
        QObject::disconnect(c1);
        QObject::disconnect(c2);
        QObject::disconnect(c3);
        QObject::disconnect(c4);
        commit.push_back(committed);
        toRow.push_back(row);
        toSound.push_back(sound);
        toTray.push_back(tray);
        // The repeat of unhandled criticals is not what is measured.
        attention.snooze(0);
    }
    std::printf("notice: an SOS from the writer to the desk (40 runs)\n");
    for (const auto &[name, v] : {std::pair{"baseline: committed (notice)", &commit}, std::pair{"row in the list", &toRow},
                                  std::pair{"sound asked for", &toSound}, std::pair{"tray notice asked for", &toTray}}) {
        const BenchStats::Stats s = BenchStats::stats(*v);
        std::printf("  %-34s median %7.2f  max %7.2f ms   (target < 100 ms)\n", name, s.median, s.max);
    }
    return 0;
}
