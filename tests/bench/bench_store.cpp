// Benchmark of the store writer. Prints each figure next to the baseline it
// is measured against; run a Release build (cmake --preset release).
//
//   positions/s through StoreWriter (queue, coalescing, validation, change
//   notices, commit) vs. a raw prepared-statement INSERT loop over the same
//   rows in ONE transaction, on the same schema and connection settings,
//   measured in the same run.
//   targets: at least 70% of the baseline, and at least 150,000 positions/s.
//   For information: one 60 s fleet sweep (device states, 5% of them moved),
//   milliseconds from write() to commit.
//
// Options: --positions N (1000000) --devices N (10000) --batch N (500)
//          --rounds N (2; the best round of each side counts)
//          --tx-rows N, --per-statement N, --checkpoint-pages N (StoreWriter::Options, for tuning)

#include "store/storeconnection.h"
#include "store/storewriter.h"
#include "util/utc.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Fleet;

namespace {

// A fleet reporting in rounds, the way fixes arrive: every device once per
// round, rounds 30 s apart; realistic optional fields.
std::vector<Position> fleetFixes(int positions, int devices)
{
    std::vector<Position> out;
    out.reserve(std::size_t(positions));
    QList<QString> imeis;
    for (int d = 0; d < devices; ++d)
        imeis.append(QStringLiteral("8601210%1").arg(d, 8, 10, QLatin1Char('0')));
    const qint64 t0 = 1'780'000'000;
    for (int i = 0; i < positions; ++i) {
        const int d = i % devices;
        const int round = i / devices;
        Position p;
        p.imei = imeis.at(d);
        p.gpsTime = Utc::fromSecs(t0 + qint64(round) * 30 + d % 29);
        p.lat = 48.0 + (d % 100) * 0.01 + round * 1e-4;
        p.lng = 2.0 + (d / 100) * 0.01 + round * 1e-4;
        p.speedKmh = double((d + round) % 90);
        p.courseDeg = double((d * 7 + round) % 360);
        p.acc = (round / 20) % 2 == 0;
        p.satellites = 8 + d % 5;
        p.type = PositionType::Gps;
        out.push_back(std::move(p));
    }
    return out;
}

QVariant real(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

bool tune(StoreConnection &c, const StoreWriter::Options &o)
{
    return c.exec(QStringLiteral("PRAGMA cache_size = -%1").arg(o.cacheSizeKiB))
        && c.exec(QStringLiteral("PRAGMA wal_autocheckpoint = %1").arg(o.checkpointPages))
        && c.exec(QStringLiteral("PRAGMA journal_size_limit = %1").arg(qint64(o.checkpointPages) * 4096));
}

// The baseline: what a straightforward ingest loop does. One prepared
// single-row INSERT, every value bound for every row, one transaction.
double baselineSeconds(const std::vector<Position> &fixes, qint64 *stored)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("baseline.db"));
    StoreConnection c;
    if (!c.open(path) || !tune(c, StoreWriter::Options())) {
        std::fprintf(stderr, "baseline: %s\n", qPrintable(c.errorString()));
        return -1;
    }
    QSqlQuery q(c.database());
    if (!q.prepare(QStringLiteral("INSERT INTO position_history (imei, gps_time, lat, lng, speed_kmh, direction_deg, "
                                  "acc, satellites, altitude_m, confidence, pos_type, reuploaded, source, received_at) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"))) {
        std::fprintf(stderr, "baseline: %s\n", qPrintable(q.lastError().text()));
        return -1;
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QElapsedTimer timer;
    timer.start();
    c.exec(QStringLiteral("BEGIN"));
    for (const Position &p : fixes) {
        q.bindValue(0, p.imei);
        q.bindValue(1, p.gpsTime.toSecsSinceEpoch());
        q.bindValue(2, p.lat);
        q.bindValue(3, p.lng);
        q.bindValue(4, real(p.speedKmh));
        q.bindValue(5, real(p.courseDeg));
        q.bindValue(6, p.acc ? QVariant(*p.acc ? 1 : 0) : QVariant());
        q.bindValue(7, p.satellites ? QVariant(*p.satellites) : QVariant());
        q.bindValue(8, real(p.altitudeM));
        q.bindValue(9, p.confidence ? QVariant(*p.confidence) : QVariant());
        q.bindValue(10, positionTypeName(p.type));
        q.bindValue(11, p.reuploaded ? QVariant(*p.reuploaded ? 1 : 0) : QVariant());
        q.bindValue(12, QStringLiteral("push"));
        q.bindValue(13, now);
        if (!q.exec()) {
            std::fprintf(stderr, "baseline: %s\n", qPrintable(q.lastError().text()));
            return -1;
        }
    }
    if (!c.exec(QStringLiteral("COMMIT"))) {
        std::fprintf(stderr, "baseline: %s\n", qPrintable(c.errorString()));
        return -1;
    }
    const double secs = double(timer.nsecsElapsed()) / 1e9;
    q.finish();
    QSqlQuery n(c.database());
    n.exec(QStringLiteral("SELECT count(*) FROM position_history"));
    *stored = n.next() ? n.value(0).toLongLong() : -1;
    return secs;
}

struct WriterRun
{
    double seconds = -1; // everything written and committed
    double againSeconds = -1; // the same batches again: all duplicates
    qint64 stored = 0;
    StoreStats stats;
    int notices = 0;
};

WriterRun writerRun(const QList<IngestBatch> &batches, qint64 rows, const StoreWriter::Options &options)
{
    WriterRun run;
    QTemporaryDir dir;
    StoreWriter writer;
    if (!writer.open(dir.filePath(QStringLiteral("writer.db")), options)) {
        std::fprintf(stderr, "writer: %s\n", qPrintable(writer.errorString()));
        return run;
    }
    QObject::connect(&writer, &StoreWriter::changed, &writer, [&run](const StoreChange &) { ++run.notices; });
    QElapsedTimer timer;
    timer.start();
    for (const IngestBatch &b : batches)
        writer.write(b);
    if (!writer.flush())
        return run;
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    run.stats = writer.stats();
    run.stored = run.stats.table(StoreTable::PositionHistory).inserted;

    timer.restart();
    for (const IngestBatch &b : batches)
        writer.write(b);
    if (!writer.flush())
        return run;
    run.againSeconds = double(timer.nsecsElapsed()) / 1e9;
    const qint64 duplicates = writer.stats().table(StoreTable::PositionHistory).duplicates;
    if (duplicates != rows)
        std::fprintf(stderr, "writer: %lld duplicates of %lld\n", qlonglong(duplicates), qlonglong(rows));
    return run;
}

// The 60 s fleet sweep: every device's state and fix, most of them parked
// on the fix they already had. Milliseconds per sweep, write to commit.
double sweepMs(int devices, int sweeps, int *noticed)
{
    QTemporaryDir dir;
    StoreWriter writer;
    if (!writer.open(dir.filePath(QStringLiteral("sweep.db"))))
        return -1;
    QList<QString> imeis;
    for (int d = 0; d < devices; ++d)
        imeis.append(QStringLiteral("8601210%1").arg(d, 8, 10, QLatin1Char('0')));
    const auto sweep = [&](int round) {
        IngestBatch b;
        for (int d = 0; d < devices; ++d) {
            const int moves = d % 20 == round % 20 ? round : 0; // 5% of the fleet moved since
            DeviceLocation l;
            l.imei = imeis.at(d);
            l.name = QStringLiteral("VAN-%1").arg(d);
            l.online = true;
            l.heartbeatTime = Utc::fromSecs(1'780'000'000 + d % 60);
            Position p;
            p.imei = l.imei;
            p.gpsTime = Utc::fromSecs(1'780'000'000 + moves * 60 + d % 60);
            p.lat = 48.0 + d * 1e-4 + moves * 1e-3;
            p.lng = 2.0 + d * 1e-4;
            p.speedKmh = 0.0;
            p.type = PositionType::Gps;
            l.fix = p;
            b.deviceStates.append(l);
        }
        return b;
    };
    writer.write(sweep(0));
    writer.flush();
    QObject::connect(&writer, &StoreWriter::changed, &writer,
                     [noticed](const StoreChange &c) { *noticed += int(c.imeis.size()); });
    QElapsedTimer timer;
    timer.start();
    for (int round = 1; round <= sweeps; ++round) {
        writer.write(sweep(round));
        writer.flush();
    }
    return double(timer.nsecsElapsed()) / 1e6 / sweeps;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("fleet.store.info=false"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption positionsOpt(QStringLiteral("positions"), QStringLiteral("Positions."),
                                          QStringLiteral("n"), QStringLiteral("1000000"));
    const QCommandLineOption devicesOpt(QStringLiteral("devices"), QStringLiteral("Devices."), QStringLiteral("n"),
                                        QStringLiteral("10000"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"), QStringLiteral("Positions per batch."),
                                      QStringLiteral("n"), QStringLiteral("500"));
    const QCommandLineOption roundsOpt(QStringLiteral("rounds"), QStringLiteral("Rounds per side."),
                                       QStringLiteral("n"), QStringLiteral("2"));
    const StoreWriter::Options defaults;
    const QCommandLineOption txOpt(QStringLiteral("tx-rows"), QStringLiteral("StoreWriter maxTransactionRows."),
                                   QStringLiteral("n"), QString::number(defaults.maxTransactionRows));
    const QCommandLineOption widthOpt(QStringLiteral("per-statement"),
                                      QStringLiteral("StoreWriter positionsPerStatement."), QStringLiteral("n"),
                                      QString::number(defaults.positionsPerStatement));
    const QCommandLineOption checkpointOpt(QStringLiteral("checkpoint-pages"),
                                           QStringLiteral("StoreWriter checkpointPages."), QStringLiteral("n"),
                                           QString::number(defaults.checkpointPages));
    parser.addOptions({positionsOpt, devicesOpt, batchOpt, roundsOpt, txOpt, widthOpt, checkpointOpt});
    parser.process(app);
    const int positions = qMax(1, parser.value(positionsOpt).toInt());
    const int devices = qMax(1, parser.value(devicesOpt).toInt());
    const int batchSize = qMax(1, parser.value(batchOpt).toInt());
    const int rounds = qMax(1, parser.value(roundsOpt).toInt());
    StoreWriter::Options options;
    options.maxTransactionRows = qMax(1, parser.value(txOpt).toInt());
    options.positionsPerStatement = qMax(1, parser.value(widthOpt).toInt());
    options.checkpointPages = qMax(1, parser.value(checkpointOpt).toInt());

    const std::vector<Position> fixes = fleetFixes(positions, devices);
    QList<IngestBatch> batches;
    for (std::size_t i = 0; i < fixes.size(); i += std::size_t(batchSize)) {
        IngestBatch b;
        const std::size_t end = std::min(fixes.size(), i + std::size_t(batchSize));
        b.positions.reserve(qsizetype(end - i));
        for (std::size_t k = i; k < end; ++k)
            b.positions.append(PositionRecord{fixes[k], PositionSource::Push});
        batches.append(std::move(b));
    }

    double baseline = 1e99;
    qint64 baselineRows = 0;
    WriterRun best;
    for (int r = 0; r < rounds; ++r) {
        const double b = baselineSeconds(fixes, &baselineRows);
        const WriterRun w = writerRun(batches, positions, options);
        if (b < 0 || w.seconds < 0)
            return 1;
        baseline = std::min(baseline, b);
        if (best.seconds < 0 || w.seconds < best.seconds)
            best = w;
    }
    const double baseRate = positions / baseline;
    const double rate = positions / best.seconds;
    const double ratio = rate / baseRate;
    const bool ratioMet = ratio >= 0.70;
    const bool rateMet = rate >= 150000.0;

    std::printf("store: %d positions for %d devices in batches of %d, best of %d round(s); writer: up to %d rows "
                "per transaction, %d positions per statement\n",
                positions, devices, batchSize, rounds, options.maxTransactionRows, options.positionsPerStatement);
    std::printf("baseline (prepared single-row INSERT, every value bound, one transaction): %.0f positions/s "
                "(%.2f s, %lld rows)\n",
                baseRate, baseline, qlonglong(baselineRows));
    std::printf("StoreWriter (queue, validation, %lld transactions, change notices): %.0f positions/s (%.2f s, "
                "%lld rows, %d notices) = %.0f%% of the baseline\n",
                qlonglong(best.stats.transactions), rate, best.seconds, qlonglong(best.stored), best.notices,
                ratio * 100.0);
    std::printf("StoreWriter, the same batches again (all duplicates): %.0f positions/s (%.2f s)\n",
                positions / best.againSeconds, best.againSeconds);
    int noticed = 0;
    const int sweeps = 10;
    const double perSweep = sweepMs(devices, sweeps, &noticed);
    std::printf("fleet sweep of %d device states (5%% moved): %.0f ms per sweep, write to commit; %d devices "
                "named by its change notice (of %d that moved)\n",
                devices, perSweep, noticed / sweeps, devices / 20);
    std::printf("targets: >= 70%% of the baseline: %s; >= 150,000 positions/s: %s\n", ratioMet ? "met" : "MISSED",
                rateMet ? "met" : "MISSED");
    return best.stored == positions && baselineRows == positions ? 0 : 1;
}
