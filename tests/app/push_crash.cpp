// Crash test of the webhook receiver: fleetdesk-ingest (push-only) under a
// push load is killed with SIGKILL mid-load, then restarted. Every item that
// was answered with success before the kill must be in the database after
// the restart; the restart finishes what push_inbox holds.
//
// Usage: push_crash FLEETDESK_INGEST [KILL_AFTER_MS]. Exit 0 when nothing
// acknowledged is missing.

#include "ingestprocess.h"
#include "pushload.h"

#include <QCoreApplication>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

namespace {

const QByteArray kToken = QByteArrayLiteral("crash-test-token-0123456789");
constexpr int kItems = 50;
constexpr int kDevices = 500;

void say(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}

qint64 scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        say(QStringLiteral("usage: push_crash FLEETDESK_INGEST [KILL_AFTER_MS]"));
        return 2;
    }
    const int killAfterMs = args.size() > 2 ? args.at(2).toInt() : 1500;
    QTemporaryDir dir;
    const quint16 port = IngestProcess::freePort();
    auto ingest = std::make_unique<IngestProcess>(args.at(1), dir.path(), port, kToken);
    if (!ingest->start()) {
        say(QStringLiteral("fleetdesk-ingest did not start:\n%1").arg(ingest->output()));
        return 1;
    }

    QSet<int> acknowledged;
    PushLoad::Options load;
    load.port = port;
    load.connections = 16;
    load.requests = 1000 * 8; // 8 s at the rate below: the kill lands mid-load
    load.ratePerSec = 1000;
    load.timeoutMs = 5000;
    load.body = [](int request) { return PushLoad::gpsBody(kToken, request, kItems, kDevices); };
    load.onAnswer = [&acknowledged](int request, int status) {
        if (status == 200)
            acknowledged.insert(request);
    };
    QTimer::singleShot(killAfterMs, [&ingest] { ingest->kill(); });
    const PushLoad::Result result = PushLoad::run(load);
    if (acknowledged.isEmpty()) {
        say(QStringLiteral("no request was acknowledged before the kill; nothing was tested\n%1")
                .arg(ingest->output()));
        return 1;
    }

    qint64 inboxAfterKill = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(ingest->databasePath() + QStringLiteral(".inbox"));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open())
            inboxAfterKill = scalar(db, QStringLiteral("SELECT count(*) FROM push_inbox"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));

    // The restart finishes the inbox before it listens; then a clean stop.
    ingest = std::make_unique<IngestProcess>(args.at(1), dir.path(), port, kToken);
    if (!ingest->start()) {
        say(QStringLiteral("fleetdesk-ingest did not restart:\n%1").arg(ingest->output()));
        return 1;
    }
    const int rc = ingest->terminate();
    if (rc != 0) {
        say(QStringLiteral("fleetdesk-ingest exited with %1 after SIGTERM:\n%2").arg(rc).arg(ingest->output()));
        return 1;
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
    db.setDatabaseName(ingest->databasePath());
    if (!db.open()) {
        say(QStringLiteral("cannot open the database"));
        return 1;
    }
    QSet<QString> stored;
    {
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT imei, gps_time FROM position_history"));
        while (q.next())
            stored.insert(q.value(0).toString() + QLatin1Char('@') + q.value(1).toString());
    }
    qint64 missing = 0;
    for (const int request : std::as_const(acknowledged)) {
        for (int i = 0; i < kItems; ++i) {
            const QString key = PushLoad::gpsImei(request, i, kItems, kDevices) + QLatin1Char('@')
                + QString::number(PushLoad::gpsTime(request, i, kItems, kDevices));
            missing += stored.contains(key) ? 0 : 1;
        }
    }
    qint64 inboxLeft = -1;
    {
        QSqlDatabase inbox = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inbox"));
        inbox.setDatabaseName(ingest->databasePath() + QStringLiteral(".inbox"));
        if (inbox.open())
            inboxLeft = scalar(inbox, QStringLiteral("SELECT count(*) FROM push_inbox"));
        inbox.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inbox"));
    say(QStringLiteral("push crash: %1 requests sent, %2 acknowledged (%3 items) before SIGKILL at %4 ms; "
                       "%5 unanswered; push_inbox held %6 request(s) after the kill and %7 after the restart; "
                       "%8 items stored; %9 acknowledged items missing")
            .arg(result.sent)
            .arg(acknowledged.size())
            .arg(qint64(acknowledged.size()) * kItems)
            .arg(killAfterMs)
            .arg(result.sent - result.answered)
            .arg(inboxAfterKill)
            .arg(inboxLeft)
            .arg(stored.size())
            .arg(missing));
    return missing == 0 && inboxLeft == 0 ? 0 : 1;
}
