// Start-up and memory of the desktop over a large store. Prints each figure
// with its target and baseline; run a Release build (cmake --preset release).
//
//   Start-up: from starting the process to the first painted map with the
//   whole fleet on it, over a store of 10,000 vehicles and 1,000,000 stored
//   positions (the process is this benchmark itself, started again with
//   --child, so loading the executable and its libraries counts).
//   Target: under 1.5 s. Baseline: the same process that quits as soon as
//   its QApplication exists (what any Qt program pays to start here).
//   Memory: resident set of that process once the map is painted and the
//   fleet list is filled. Target: under 300 MB.
//
// Options: --devices N (10000) --positions N (1000000) --runs N (5)
//          --database FILE (default: a cached file in the temp folder)

#include "app/mainwindow.h"
#include "map/mapwidget.h"
#include "map/vehiclelayer.h"
#include "models/fleettreemodel.h"
#include "settings/appsettings.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "sync/livesession.h"
#include "util/utc.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Fleet;

namespace {

QString imeiOf(int d)
{
    return QStringLiteral("8601220%1").arg(d, 8, 10, QLatin1Char('0'));
}

// A city fleet: 10,000 vehicles over about 20 × 20 km, each with its
// history (positions / devices fixes, 30 s apart) and its latest state.
bool buildStore(const QString &path, int devices, int positions)
{
    StoreWriter writer;
    StoreWriter::Options options;
    options.coalesceMs = 0;
    if (!writer.open(path, options)) {
        std::fprintf(stderr, "bench_startup: %s\n", qPrintable(writer.errorString()));
        return false;
    }
    const qint64 t0 = QDateTime::currentSecsSinceEpoch() - qint64(positions / devices) * 30;
    const auto fixOf = [&](int d, int round) {
        Position p;
        p.imei = imeiOf(d);
        p.gpsTime = Utc::fromSecs(t0 + qint64(round) * 30);
        p.lat = 22.20 + (d % 100) * 0.002 + round * 1e-5;
        p.lng = 114.05 + (d / 100) * 0.002 + round * 1e-5;
        p.speedKmh = double((d + round) % 70);
        p.courseDeg = double((d * 7 + round) % 360);
        p.acc = (d % 3) != 0;
        p.satellites = 8 + d % 5;
        p.type = PositionType::Gps;
        return p;
    };
    IngestBatch registry;
    for (int g = 0; g < 20; ++g)
        registry.groups.append(DeviceGroup{QStringLiteral("g%1").arg(g), QStringLiteral("Depot %1").arg(g + 1)});
    for (int d = 0; d < devices; ++d) {
        Device dev;
        dev.imei = imeiOf(d);
        dev.name = QStringLiteral("Vehicle %1").arg(d + 1);
        dev.plate = QStringLiteral("FD %1").arg(1000 + d);
        dev.driverName = QStringLiteral("Driver %1").arg(d % 700);
        dev.groupId = QStringLiteral("g%1").arg(d % 20);
        registry.devices.append(dev);
    }
    writer.write(registry);
    const int rounds = positions / devices;
    for (int round = 0; round < rounds; ++round) {
        IngestBatch batch;
        QList<Position> fixes;
        fixes.reserve(devices);
        for (int d = 0; d < devices; ++d)
            fixes.append(fixOf(d, round));
        batch.addPositions(fixes, PositionSource::Push);
        writer.write(std::move(batch));
        if (round % 10 == 9 && !writer.flush(600000))
            return false;
    }
    IngestBatch states;
    for (int d = 0; d < devices; ++d) {
        DeviceLocation l;
        l.imei = imeiOf(d);
        l.fix = fixOf(d, rounds - 1);
        l.online = true;
        l.heartbeatTime = l.fix->gpsTime;
        l.odometerKm = 1000 + d;
        l.batteryPercent = 80;
        states.deviceStates.append(l);
    }
    writer.write(states);
    const bool ok = writer.flush(600000);
    writer.close();
    return ok;
}

qint64 rssKiB(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// The measured process: the desktop's main window over the store, no
// account (the store alone), painted once the fleet is in.
int child(const QString &databasePath)
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QTemporaryDir settingsDir;
    AppSettings settings(
        std::make_unique<QSettings>(settingsDir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat));
    MainWindow window(&settings);
    window.resize(1920, 1080);
    window.show();
    SessionSettings s;
    s.databasePath = databasePath;
    LiveSession session(s);
    window.attachSession(&session, QStringLiteral("bench"));
    QObject::connect(&window, &MainWindow::fleetLoaded, &window, [&](int count) {
        const qint64 loaded = sinceMain.elapsed();
        const QPixmap painted = window.map()->grab();
        std::printf("painted %lld loaded %lld vehicles %d onmap %d size %dx%d\n", sinceMain.elapsed(), loaded, count,
                    window.map()->vehicleLayer()->count(), painted.width(), painted.height());
        std::fflush(stdout);
        // Memory once the views have settled (tiles rendered, list laid out).
        QTimer::singleShot(2000, &window, [&] {
            window.map()->grab();
            std::printf("rss %lld hwm %lld\n", rssKiB("VmRSS:"), rssKiB("VmHWM:"));
            std::fflush(stdout);
            QCoreApplication::quit();
        });
    });
    session.start();
    const int rc = QApplication::exec();
    session.stop();
    return rc;
}

struct ChildRun
{
    qint64 wallMs = -1; // start() to the "painted" line
    qint64 loadedMs = -1; // inside the child: main() to the fleet in the models
    qint64 rssKiB = -1;
    qint64 hwmKiB = -1;
    int vehicles = 0;
};

ChildRun runChild(const QStringList &args)
{
    ChildRun run;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer wall;
    wall.start();
    p.start(QCoreApplication::applicationFilePath(), args);
    QByteArray out;
    while (p.state() != QProcess::NotRunning || p.bytesAvailable() > 0) {
        p.waitForReadyRead(100);
        while (p.canReadLine()) {
            const QByteArray line = p.readLine().trimmed();
            const QList<QByteArray> f = line.split(' ');
            if (line.startsWith("painted")) {
                run.wallMs = wall.elapsed();
                run.loadedMs = f.value(3).toLongLong();
                run.vehicles = f.value(5).toInt();
            } else if (line.startsWith("rss")) {
                run.rssKiB = f.value(1).toLongLong();
                run.hwmKiB = f.value(3).toLongLong();
            } else if (line.startsWith("ready")) {
                run.wallMs = wall.elapsed();
            }
        }
        if (wall.elapsed() > 120000) {
            p.kill();
            break;
        }
    }
    p.waitForFinished();
    return run;
}

qint64 median(std::vector<qint64> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? -1 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    // The child and the baseline are this program too.
    if (argc >= 2 && qstrcmp(argv[1], "--baseline") == 0) {
        QApplication app(argc, argv);
        std::printf("ready\n");
        return 0;
    }
    if (argc >= 3 && qstrcmp(argv[1], "--child") == 0) {
        QApplication app(argc, argv);
        QLoggingCategory::setFilterRules(QStringLiteral("fleet.*.debug=false"));
        return child(QString::fromLocal8Bit(argv[2]));
    }

    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("devices"), QStringLiteral("Vehicles."), QStringLiteral("N"), QStringLiteral("10000")},
         {QStringLiteral("positions"), QStringLiteral("Stored positions."), QStringLiteral("N"),
          QStringLiteral("1000000")},
         {QStringLiteral("runs"), QStringLiteral("Start-ups measured."), QStringLiteral("N"), QStringLiteral("5")},
         {QStringLiteral("database"), QStringLiteral("Store file (built when missing)."), QStringLiteral("FILE")}});
    parser.process(app);
    const int devices = std::max(1, parser.value(QStringLiteral("devices")).toInt());
    const int positions = std::max(devices, parser.value(QStringLiteral("positions")).toInt());
    const int runs = std::max(1, parser.value(QStringLiteral("runs")).toInt());
    QString db = parser.value(QStringLiteral("database"));
    if (db.isEmpty())
        db = QDir::temp().filePath(QStringLiteral("fleetdesk-bench-startup-%1-%2.sqlite").arg(devices).arg(positions));

    if (!QFileInfo::exists(db)) {
        std::printf("building the store: %d vehicles, %d positions → %s\n", devices, positions,
                    qPrintable(QFileInfo(db).fileName()));
        std::fflush(stdout);
        QElapsedTimer t;
        t.start();
        if (!buildStore(db, devices, positions)) {
            QFile::remove(db);
            return 1;
        }
        std::printf("  built in %.1f s\n", t.elapsed() / 1000.0);
    }
    {
        StoreReader reader;
        reader.open(db);
        const auto counts = reader.rowCounts();
        std::printf("store: %lld devices, %lld positions\n", counts.value(QStringLiteral("devices")),
                    counts.value(QStringLiteral("position_history")));
    }

    std::vector<qint64> baseline;
    for (int i = 0; i < runs; ++i)
        baseline.push_back(runChild({QStringLiteral("--baseline")}).wallMs);
    std::vector<qint64> wall, loaded;
    qint64 rss = 0, hwm = 0;
    int vehicles = 0;
    for (int i = 0; i < runs; ++i) {
        const ChildRun r = runChild({QStringLiteral("--child"), db});
        if (r.wallMs < 0) {
            std::fprintf(stderr, "bench_startup: run %d never painted\n", i + 1);
            return 1;
        }
        wall.push_back(r.wallMs);
        loaded.push_back(r.loadedMs);
        rss = std::max(rss, r.rssKiB);
        hwm = std::max(hwm, r.hwmKiB);
        vehicles = r.vehicles;
    }
    const qint64 startMs = median(wall);
    std::printf("start-up to first painted map (%d vehicles, %d runs): median %lld ms, best %lld, worst %lld "
                "(target < 1500 ms: %s)\n",
                vehicles, runs, startMs, *std::min_element(wall.begin(), wall.end()),
                *std::max_element(wall.begin(), wall.end()), startMs < 1500 ? "met" : "NOT MET");
    std::printf("  of which in the process until the fleet is in the models: median %lld ms\n", median(loaded));
    std::printf("  baseline: an empty QApplication process starts in %lld ms (median)\n", median(baseline));
    std::printf("resident memory with the map painted: %.0f MB now, %.0f MB peak (target < 300 MB: %s)\n", rss / 1024.0,
                hwm / 1024.0, hwm < 300 * 1024 ? "met" : "NOT MET");
    return 0;
}
