// fleetdesk-cli as a script runs it, against fleetdesk-sim in another process
// with its fleet time pinned: exit codes and one-line errors, an exported day
// that equals what the simulator drove point for point, a second export that
// asks the cloud nothing, store-only exports, an unreachable cloud, and two
// processes writing one database at once; the alarm desk's list, ack and
// resolve.

#include "domain/camera.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/utc.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QXmlStreamReader>
#include <QFileInfo>
#include <QtTest>

namespace {

const QString kSim = QStringLiteral(FLEETDESK_SIM_PATH);
const QString kCli = QStringLiteral(FLEETDESK_CLI_PATH);
// Tuesday, two days before the simulated cloud's "now" (a Thursday afternoon).
const QString kFleetStart = QStringLiteral("2026-12-03T15:00:00Z");
const QString kFrom = QStringLiteral("2026-12-01T00:00:00Z");
const QString kTo = QStringLiteral("2026-12-01T23:59:59Z");

struct Run
{
    int code = -1;
    QByteArray out;
    QString err;
};

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void usageErrorsAreOneLineWithCode2_data();
    void usageErrorsAreOneLineWithCode2();
    void exportedDayEqualsGroundTruth();
    void secondExportAsksTheCloudNothing();
    void storeOnlyExportsWithDatabase();
    void tripsExport();
    void unreachableCloudIsExit1AndNoFile();
    void twoProcessesWriteOneDatabase();
    void alarmsListAckResolve();
    void alarmsDeviceAck();
    void alarmsMedia();
    void videoProbeAndSnapshot();
    void videoLiveOpensAndClosesInTheCloud();
    void videoCaptureMediaAndSave();
    void commandsAndLocate();
    void fleetAdministration();

private:
    Run cli(const QStringList &args, const QByteArray &extraEnv = {});
    QJsonObject truth(const QString &query, const QString &baseUrl = {});
    static QJsonObject getJson(const QUrl &url);
    // fakeStart: the simulator runs under libfaketime from that UTC time, its
    // fleet time its own clock (for clients that run under it too).
    static bool startSim(QProcess &sim, int vehicles, int seed, QHash<QString, QString> *values,
                         const QStringList &extra = {}, const QDateTime &fakeStart = {});
    static QProcessEnvironment cliEnvironment(const QHash<QString, QString> &simValues);
    // A process that starts at utc (libfaketime preloaded, the clock running
    // on from there) in UTC.
    static QProcessEnvironment fakeTimeEnvironment(QProcessEnvironment env, const QDateTime &utc)
    {
#ifdef FLEET_LIBFAKETIME
        env.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral(FLEET_LIBFAKETIME));
#endif
        env.insert(QStringLiteral("FAKETIME"),
                   QLatin1Char('@') + utc.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
        return env;
    }
    // A simulator of a test's own, stopped when the test ends.
    struct OwnSim
    {
        QProcess process;
        QHash<QString, QString> values;
        QDateTime fakeStart; // its pinned fleet time, running on from there
        QElapsedTimer sinceStart;
        ~OwnSim()
        {
            process.terminate();
            process.waitForFinished(10000);
        }
    };
    // A simulator under libfaketime from kFleetStart, and fleetdesk-cli run in its time.
    static bool startInFleetTime(OwnSim &sim, int vehicles, int seed, const QStringList &extra = {});
    static Run runInFleetTime(const OwnSim &sim, const QString &config, const QStringList &args);
    // extraApi: more "key = value" lines of [api].
    QString writeConfig(const QString &name, const QString &baseUrl, const QString &database,
                        const QString &extraApi = {});

    QTemporaryDir m_dir;
    QProcess m_sim;
    QHash<QString, QString> m_simValues;
    QString m_config;
    QStringList m_imeis; // by fixes on the Tuesday, most first
};

// The secrets of a simulator's account, as fleetdesk-cli reads them.
QProcessEnvironment TestCli::cliEnvironment(const QHash<QString, QString> &simValues)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLEETDESK_APP_SECRET"), simValues.value(QStringLiteral("FLEETDESK_SIM_APP_SECRET")));
    env.insert(QStringLiteral("FLEETDESK_PASSWORD_MD5"), simValues.value(QStringLiteral("FLEETDESK_SIM_PASSWORD_MD5")));
    return env;
}

// fleetdesk-sim with a fleet of its own; its account and URLs, as it prints them.
bool TestCli::startSim(QProcess &sim, int vehicles, int seed, QHash<QString, QString> *values,
                       const QStringList &extra, const QDateTime &fakeStart)
{
    const QStringList args = QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                         QStringLiteral("--vehicles"), QString::number(vehicles),
                                         QStringLiteral("--seed"), QString::number(seed)}
        + extra;
    if (fakeStart.isValid()) {
        sim.setProcessEnvironment(fakeTimeEnvironment(QProcessEnvironment::systemEnvironment(), fakeStart));
        sim.start(kSim, args);
    } else {
        sim.start(kSim, args + QStringList{QStringLiteral("--fleet-start"), kFleetStart});
    }
    if (!sim.waitForStarted())
        return false;
    while (!values->contains(QStringLiteral("FLEETDESK_SIM_INSTRUCT_URL"))) {
        if (!sim.canReadLine() && !sim.waitForReadyRead(30000))
            return false; // it printed no account
        while (sim.canReadLine()) {
            const QString line = QString::fromUtf8(sim.readLine()).trimmed();
            const qsizetype eq = line.indexOf(QLatin1Char('='));
            if (line.startsWith(QLatin1String("FLEETDESK_SIM_")) && eq > 0)
                values->insert(line.left(eq), line.mid(eq + 1));
        }
    }
    return true;
}

void TestCli::initTestCase()
{
    QVERIFY(startSim(m_sim, 6, 5, &m_simValues));
    m_config = writeConfig(QStringLiteral("cli.ini"), m_simValues.value(QStringLiteral("FLEETDESK_SIM_URL")),
                           m_dir.filePath(QStringLiteral("fleet.db")));

    const QJsonArray devices = truth(QString()).value(QLatin1String("devices")).toArray();
    QList<std::pair<qsizetype, QString>> ranked;
    for (const QJsonValue &d : devices) {
        const QString imei = d.toObject().value(QLatin1String("imei")).toString();
        const qsizetype n = truth(QStringLiteral("imei=%1&from=%2&to=%3&parts=fixes").arg(imei, kFrom, kTo))
                                .value(QLatin1String("fixes"))
                                .toArray()
                                .size();
        ranked.append({n, imei});
    }
    std::sort(ranked.begin(), ranked.end(), std::greater<>());
    for (const auto &r : ranked)
        m_imeis.append(r.second);
    QVERIFY(ranked.size() >= 3);
    QVERIFY(ranked.at(2).first > 100);
}

void TestCli::cleanupTestCase()
{
    m_sim.terminate();
    m_sim.waitForFinished(10000);
}

QString TestCli::writeConfig(const QString &name, const QString &baseUrl, const QString &database,
                             const QString &extraApi)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QStringLiteral("[api]\nbase_url = %1\napp_key = %2\nuser_id = %3\n%5[store]\ndatabase = %4\n")
                .arg(baseUrl, m_simValues.value(QStringLiteral("FLEETDESK_SIM_APP_KEY")),
                     m_simValues.value(QStringLiteral("FLEETDESK_SIM_USER_ID")), database, extraApi)
                .toUtf8());
    return path;
}

Run TestCli::cli(const QStringList &args, const QByteArray &)
{
    QProcess p;
    p.setProcessEnvironment(cliEnvironment(m_simValues));
    p.start(kCli, args);
    Run r;
    if (!p.waitForFinished(240000))
        return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QJsonObject TestCli::truth(const QString &query, const QString &baseUrl)
{
    QUrl url(baseUrl.isEmpty() ? m_simValues.value(QStringLiteral("FLEETDESK_SIM_URL")) : baseUrl);
    url.setPath(QStringLiteral("/sim/truth"));
    url.setQuery(query);
    return getJson(url);
}

QJsonObject TestCli::getJson(const QUrl &url)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(url));
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void TestCli::usageErrorsAreOneLineWithCode2_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString db = QStringLiteral("--database=") + QDir::temp().filePath(QStringLiteral("no-such-fleetdesk.db"));
    const QStringList track{QStringLiteral("export"), QStringLiteral("track"), QStringLiteral("--imei"),
                            QStringLiteral("860000000000001"), QStringLiteral("--from"), kFrom,
                            QStringLiteral("--to"), kTo, QStringLiteral("--format"), QStringLiteral("gpx")};
    QTest::newRow("no command") << QStringList{} << QStringLiteral("no command given");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("export"), QStringLiteral("lunch")}
                                     << QStringLiteral("unknown command: export lunch");
    QTest::newRow("missing option") << QStringList{QStringLiteral("export"), QStringLiteral("track")}
                                    << QStringLiteral("export track needs --from");
    QTest::newRow("vehicles twice") << QStringList(track) + QStringList{QStringLiteral("--group"), QStringLiteral("Vans")}
                                    << QStringLiteral("export needs either --imei or --group");
    QTest::newRow("time without offset")
        << QStringList(track).replaceInStrings(kFrom, QStringLiteral("2026-12-01T00:00:00"))
        << QStringLiteral("--from: expected ISO 8601 with an offset or Z");
    QTest::newRow("reversed range") << QStringList(track).replaceInStrings(kTo, QStringLiteral("2026-11-30T00:00:00Z"))
                                    << QStringLiteral("--to is before --from");
    QTest::newRow("format") << QStringList(track).replaceInStrings(QStringLiteral("gpx"), QStringLiteral("shp"))
                            << QStringLiteral("--format: expected gpx, kml, csv or geojson");
    QTest::newRow("trips as gpx")
        << QStringList(track).replaceInStrings(QStringLiteral("track"), QStringLiteral("trips"))
        << QStringLiteral("--format: expected csv or geojson");
    QTest::newRow("not an imei") << QStringList(track).replaceInStrings(QStringLiteral("860000000000001"),
                                                                        QStringLiteral("12ab"))
                                 << QStringLiteral("--imei: not an IMEI");
    QTest::newRow("no store") << QStringList(track) << QStringLiteral("give either --config FILE or --database FILE");
    QTest::newRow("no such database") << (QStringList{db} + track) << QStringLiteral("--database: no such file");
    QTest::newRow("unknown imei") << (QStringList{QStringLiteral("--config"), QStringLiteral("CONFIG")} + track)
                                  << QStringLiteral("unknown IMEI: 860000000000001");
    QTest::newRow("probe without a url") << QStringList{QStringLiteral("video"), QStringLiteral("probe")}
                                         << QStringLiteral("video probe needs --url");
    QTest::newRow("snapshot not to png")
        << QStringList{QStringLiteral("video"), QStringLiteral("snapshot"), QStringLiteral("--url"),
                       QStringLiteral("http://127.0.0.1:1/a.flv"), QStringLiteral("--output"), QStringLiteral("a.jpg")}
        << QStringLiteral("--output must name a .png file");
    QTest::newRow("probe timeout")
        << QStringList{QStringLiteral("video"), QStringLiteral("probe"), QStringLiteral("--url"),
                       QStringLiteral("http://127.0.0.1:1/a.flv"), QStringLiteral("--timeout"), QStringLiteral("0")}
        << QStringLiteral("--timeout: expected a number of seconds");
    QTest::newRow("option of another command")
        << QStringList{QStringLiteral("export"), QStringLiteral("trips"), QStringLiteral("--bogus")}
        << QStringLiteral("Unknown option 'bogus'");
}

void TestCli::usageErrorsAreOneLineWithCode2()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    args.replaceInStrings(QStringLiteral("CONFIG"), m_config);
    const Run r = cli(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    // One line; on failure the whole of what was said, to see what else spoke.
    QVERIFY2(r.err.trimmed().count(QLatin1Char('\n')) == 0, qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::exportedDayEqualsGroundTruth()
{
    const QString imei = m_imeis.at(0);
    const QString gpx = m_dir.filePath(QStringLiteral("day.gpx"));
    const Run r = cli({QStringLiteral("--config"), m_config, QStringLiteral("export"), QStringLiteral("track"),
                       QStringLiteral("--imei"), imei, QStringLiteral("--from"), kFrom, QStringLiteral("--to"), kTo,
                       QStringLiteral("--format"), QStringLiteral("gpx"), QStringLiteral("--output"), gpx});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("fetching history: 1 of 1 windows")), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());

    QFile file(gpx);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    struct Point
    {
        double lat, lng;
        QString time;
    };
    QList<Point> points;
    bool inPoint = false;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement && xml.name() == QLatin1String("trkpt")) {
            points.append({xml.attributes().value(QLatin1String("lat")).toDouble(),
                           xml.attributes().value(QLatin1String("lon")).toDouble(), {}});
            inPoint = true;
        } else if (token == QXmlStreamReader::StartElement && inPoint && xml.name() == QLatin1String("time")) {
            points.last().time = xml.readElementText();
            inPoint = false;
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    const QJsonArray fixes = truth(QStringLiteral("imei=%1&from=%2&to=%3&parts=fixes").arg(imei, kFrom, kTo))
                                 .value(QLatin1String("fixes"))
                                 .toArray();
    QCOMPARE(points.size(), fixes.size());
    for (qsizetype i = 0; i < fixes.size(); ++i) {
        const QJsonObject f = fixes.at(i).toObject();
        QCOMPARE(points[i].time, f.value(QLatin1String("time")).toString());
        QVERIFY(qAbs(points[i].lat - f.value(QLatin1String("lat")).toDouble()) < 1e-6);
        QVERIFY(qAbs(points[i].lng - f.value(QLatin1String("lng")).toDouble()) < 1e-6);
    }
}

void TestCli::secondExportAsksTheCloudNothing()
{
    // After exportedDayEqualsGroundTruth: the same day, to standard output.
    const QString imei = m_imeis.at(0);
    const Run r = cli({QStringLiteral("--config"), m_config, QStringLiteral("export"), QStringLiteral("track"),
                       QStringLiteral("--imei"), imei, QStringLiteral("--from"), kFrom, QStringLiteral("--to"), kTo,
                       QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(!r.err.contains(QStringLiteral("fetching history")), qPrintable(r.err));
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QVERIFY(lines.first().startsWith("imei,vehicle_name,time_utc,lat,lng,speed_kmh"));
    QVERIFY(lines.size() > 100);
    QVERIFY(lines.at(1).startsWith(imei.toUtf8() + ','));
}

void TestCli::storeOnlyExportsWithDatabase()
{
    const QString imei = m_imeis.at(0);
    const QStringList args{QStringLiteral("export"), QStringLiteral("track"), QStringLiteral("--imei"), imei,
                           QStringLiteral("--from"), kFrom, QStringLiteral("--to"), kTo, QStringLiteral("--format"),
                           QStringLiteral("geojson")};
    const Run fromConfig = cli(QStringList{QStringLiteral("--config"), m_config} + args);
    const Run fromStore = cli(QStringList{QStringLiteral("--database"), m_dir.filePath(QStringLiteral("fleet.db"))} + args);
    QVERIFY2(fromStore.code == 0, qPrintable(fromStore.err));
    QCOMPARE(fromStore.out, fromConfig.out);
    QVERIFY(QJsonDocument::fromJson(fromStore.out).isObject());
    // A range the store was never given: exported as far as it goes, and said.
    const Run older = cli(QStringList{QStringLiteral("--database"), m_dir.filePath(QStringLiteral("fleet.db"))}
                          + QStringList(args).replaceInStrings(kFrom, QStringLiteral("2026-11-30T00:00:00Z")));
    QCOMPARE(older.code, 0);
    QVERIFY2(older.err.contains(QStringLiteral("note: %1: the store may not hold every fix from 2026-11-30T00:00:00Z "
                                               "to 2026-11-30T23:59:59Z").arg(imei)),
             qPrintable(older.err));
}

void TestCli::tripsExport()
{
    const QString out = m_dir.filePath(QStringLiteral("trips.csv"));
    const Run r = cli({QStringLiteral("--config"), m_config, QStringLiteral("export"), QStringLiteral("trips"),
                       QStringLiteral("--imei"), m_imeis.at(0) + QLatin1Char(',') + m_imeis.at(1),
                       QStringLiteral("--from"), QStringLiteral("2026-12-01T01:00:00+01:00"), QStringLiteral("--to"),
                       kTo, QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--output"), out});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.first(), QByteArray("imei,vehicle_name,start_time_utc,end_time_utc,start_lat,start_lng,end_lat,"
                                       "end_lng,duration_s,distance_km,max_speed_kmh,avg_speed_kmh,idle_s,source"));
    QVERIFY(lines.size() >= 3);
    bool both[2] = {false, false};
    for (const QByteArray &line : lines.mid(1)) {
        both[0] = both[0] || line.startsWith(m_imeis.at(0).toUtf8());
        both[1] = both[1] || line.startsWith(m_imeis.at(1).toUtf8());
        QVERIFY(line.split(',').at(2).endsWith('Z'));
    }
    QVERIFY(both[0] && both[1]);
}

void TestCli::unreachableCloudIsExit1AndNoFile()
{
    // A port that was just free: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const QString config = writeConfig(QStringLiteral("nowhere.ini"),
                                       QStringLiteral("http://127.0.0.1:%1/route/rest").arg(port),
                                       m_dir.filePath(QStringLiteral("nowhere.db")));
    const QString out = m_dir.filePath(QStringLiteral("nowhere.gpx"));
    const Run r = cli({QStringLiteral("--config"), config, QStringLiteral("export"), QStringLiteral("track"),
                       QStringLiteral("--imei"), m_imeis.at(0), QStringLiteral("--from"), kFrom,
                       QStringLiteral("--to"), kTo, QStringLiteral("--format"), QStringLiteral("gpx"),
                       QStringLiteral("--output"), out});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("device list")), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
}

void TestCli::twoProcessesWriteOneDatabase()
{
    // Two exports at once, each fetching another vehicle's day into the same file.
    const QStringList common{QStringLiteral("--config"), m_config, QStringLiteral("export"), QStringLiteral("track"),
                             QStringLiteral("--from"), QStringLiteral("2026-11-24T00:00:00Z"), QStringLiteral("--to"),
                             QStringLiteral("2026-11-30T23:59:59Z"), QStringLiteral("--format"), QStringLiteral("csv")};
    QProcess a, b;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLEETDESK_APP_SECRET"), m_simValues.value(QStringLiteral("FLEETDESK_SIM_APP_SECRET")));
    env.insert(QStringLiteral("FLEETDESK_PASSWORD_MD5"),
               m_simValues.value(QStringLiteral("FLEETDESK_SIM_PASSWORD_MD5")));
    a.setProcessEnvironment(env);
    b.setProcessEnvironment(env);
    a.start(kCli, common + QStringList{QStringLiteral("--imei"), m_imeis.at(1)});
    b.start(kCli, common + QStringList{QStringLiteral("--imei"), m_imeis.at(2)});
    QVERIFY(a.waitForFinished(240000));
    QVERIFY(b.waitForFinished(240000));
    QVERIFY2(a.exitCode() == 0, a.readAllStandardError().constData());
    QVERIFY2(b.exitCode() == 0, b.readAllStandardError().constData());
    // Both are in the store: a store-only export of each has all of the week's fixes.
    for (int i = 1; i <= 2; ++i) {
        const Run r = cli({QStringLiteral("--database"), m_dir.filePath(QStringLiteral("fleet.db")),
                           QStringLiteral("export"), QStringLiteral("track"), QStringLiteral("--imei"), m_imeis.at(i),
                           QStringLiteral("--from"), QStringLiteral("2026-11-24T00:00:00Z"), QStringLiteral("--to"),
                           QStringLiteral("2026-11-30T23:59:59Z"), QStringLiteral("--format"), QStringLiteral("csv")});
        QCOMPARE(r.code, 0);
        QVERIFY2(!r.err.contains(QStringLiteral("note:")), qPrintable(r.err));
        const qsizetype expected =
            truth(QStringLiteral("imei=%1&from=2026-11-24T00:00:00Z&to=2026-11-30T23:59:59Z&parts=fixes").arg(m_imeis.at(i)))
                .value(QLatin1String("fixes"))
                .toArray()
                .size();
        QCOMPARE(r.out.trimmed().count('\n'), expected);
    }
}

void TestCli::alarmsListAckResolve()
{
    using namespace Fleet;
    const QString db = m_dir.filePath(QStringLiteral("alarms.db"));
    {
        StoreWriter writer;
        StoreWriter::Options o;
        o.coalesceMs = 0;
        QVERIFY(writer.open(db, o));
        IngestBatch b;
        const auto make = [](const QString &imei, const QString &type, const QString &name, qint64 t) {
            Alarm a;
            a.imei = imei;
            a.typeId = type;
            a.typeName = name;
            a.time = Utc::fromSecs(t);
            a.lat = 48.85;
            a.lng = 2.35;
            return a;
        };
        // An SOS repeated twice within the fold window, a harsh braking, and
        // a type the appendix lacks, with a name that is not to be run.
        b.addAlarms({make(QStringLiteral("860000000000001"), QStringLiteral("1"), QStringLiteral("SOS"), 1'780'000'000),
                     make(QStringLiteral("860000000000001"), QStringLiteral("1"), QStringLiteral("SOS"), 1'780'000'030),
                     make(QStringLiteral("860000000000002"), QStringLiteral("48"), QStringLiteral("x"), 1'780'000'100),
                     make(QStringLiteral("860000000000002"), QStringLiteral("777"), QStringLiteral("=HYPERLINK(1)"),
                          1'780'000'200)},
                    ReportSource::Push);
        QVERIFY(writer.write(b));
        QVERIFY(writer.flush(10000));
    }
    const QStringList base{QStringLiteral("--database"), db, QStringLiteral("alarms")};
    Run r = cli(base + QStringList{QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray rows = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(rows.size(), 3);
    const QJsonObject unknown = rows.at(0).toObject();
    QCOMPARE(unknown.value(QLatin1String("type_code")).toString(), QStringLiteral("777"));
    QCOMPARE(unknown.value(QLatin1String("type_name")).toString(), QStringLiteral("=HYPERLINK(1)"));
    QCOMPARE(unknown.value(QLatin1String("known_device")).toBool(), false);
    const QJsonObject sos = rows.at(2).toObject();
    QCOMPARE(sos.value(QLatin1String("type_name")).toString(), QStringLiteral("SOS"));
    QCOMPARE(sos.value(QLatin1String("severity")).toString(), QStringLiteral("critical"));
    QCOMPARE(sos.value(QLatin1String("count")).toInt(), 2);
    QCOMPARE(sos.value(QLatin1String("time")).toString(), QStringLiteral("2026-05-28T20:26:40Z"));
    QCOMPARE(sos.value(QLatin1String("state")).toString(), QStringLiteral("new"));
    const QString sosId = QString::number(sos.value(QLatin1String("id")).toInteger());

    // CSV: a header, and a cell a spreadsheet would run is defused.
    r = cli(base + QStringList{QStringLiteral("list"), QStringLiteral("--imei"), QStringLiteral("860000000000002")});
    QCOMPARE(r.code, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith("id,imei,vehicle,"));
    QVERIFY2(lines.at(1).contains(",'=HYPERLINK(1),"), lines.at(1).constData());

    r = cli(base + QStringList{QStringLiteral("ack"), QStringLiteral("--id"), sosId, QStringLiteral("--note"),
                               QStringLiteral("<b>calling</b> the driver"), QStringLiteral("--operator"),
                               QStringLiteral("ana")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QString::fromUtf8(r.out).trimmed(), QStringLiteral("alarm %1 acknowledged by ana (2 alarm(s))").arg(sosId));
    r = cli(base + QStringList{QStringLiteral("ack"), QStringLiteral("--id"), sosId});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains(QStringLiteral("already acknowledged (by ana)")), qPrintable(r.err));
    r = cli(base + QStringList{QStringLiteral("list"), QStringLiteral("--state"), QStringLiteral("acknowledged"),
                               QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.code, 0);
    const QJsonArray acked = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(acked.size(), 1);
    QCOMPARE(acked.at(0).toObject().value(QLatin1String("operator")).toString(), QStringLiteral("ana"));
    QCOMPARE(acked.at(0).toObject().value(QLatin1String("note")).toString(), QStringLiteral("<b>calling</b> the driver"));

    r = cli(base + QStringList{QStringLiteral("resolve"), QStringLiteral("--id"), sosId, QStringLiteral("--operator"),
                               QStringLiteral("bo")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = cli(base + QStringList{QStringLiteral("ack"), QStringLiteral("--id"), sosId});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("is resolved: it cannot be acknowledged")), qPrintable(r.err));
    {
        StoreReader reader;
        QVERIFY(reader.open(db));
        const QList<AlarmActionRecord> story = reader.alarmActions(sosId.toLongLong());
        QCOMPARE(story.size(), 4); // two alarms, two steps each
        QCOMPARE(story.constLast().operatorName, QStringLiteral("bo"));
        QCOMPARE(story.constLast().to, AlarmState::Resolved);
    }

    // An id that does not exist: exit 2, one clear line.
    r = cli(base + QStringList{QStringLiteral("resolve"), QStringLiteral("--id"), QStringLiteral("999999")});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err.trimmed(), QStringLiteral("alarm 999999 does not exist"));
    r = cli(base + QStringList{QStringLiteral("ack"), QStringLiteral("--id"), QStringLiteral("x1")});
    QCOMPARE(r.code, 2);
    r = cli(base + QStringList{QStringLiteral("list"), QStringLiteral("--state"), QStringLiteral("closed")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--state")), qPrintable(r.err));
}

void TestCli::alarmsDeviceAck()
{
    using namespace Fleet;
    // Alarms of the simulator's first vehicle (a plain tracker, which knows
    // no acknowledge instruction), one with the device's serial number. In
    // the database of the cloud tests: its token is fresh, so no sign-in
    // waits for the cloud's minute.
    const QString db = m_dir.filePath(QStringLiteral("fleet.db"));
    const QString imei = m_imeis.constFirst();
    {
        StoreWriter writer;
        StoreWriter::Options o;
        o.coalesceMs = 0;
        QVERIFY(writer.open(db, o));
        Alarm numbered;
        numbered.imei = imei;
        numbered.typeId = QStringLiteral("1");
        numbered.time = Utc::fromSecs(1'780'000'000);
        numbered.serialNo = 4242;
        Alarm plain = numbered;
        plain.typeId = QStringLiteral("2");
        plain.serialNo.reset();
        IngestBatch b;
        b.addAlarms({numbered, plain}, ReportSource::Push);
        QVERIFY(writer.write(b));
        QVERIFY(writer.flush(10000));
    }
    StoreReader reader;
    QVERIFY(reader.open(db));
    const QList<AlarmDeskRow> rows = reader.alarmDesk(AlarmFilter{});
    QCOMPARE(rows.size(), 2); // the first alarms of this database
    const QString numberedId = QString::number(rows.at(0).alarm.serialNo ? rows.at(0).id : rows.at(1).id);
    const QString plainId = QString::number(rows.at(0).alarm.serialNo ? rows.at(1).id : rows.at(0).id);

    // Without the gateway in the config: exit 2, nothing sent.
    const QString noGateway = writeConfig(QStringLiteral("no-gateway.ini"),
                                          m_simValues.value(QStringLiteral("FLEETDESK_SIM_URL")), db);
    Run r = cli({QStringLiteral("--config"), noGateway, QStringLiteral("alarms"), QStringLiteral("device-ack"),
                 QStringLiteral("--id"), numberedId});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("instruct_url")), qPrintable(r.err));

    const QString withGateway = writeConfig(
        QStringLiteral("gateway.ini"), m_simValues.value(QStringLiteral("FLEETDESK_SIM_URL")), db,
        QStringLiteral("instruct_url = %1\n").arg(m_simValues.value(QStringLiteral("FLEETDESK_SIM_INSTRUCT_URL"))));
    const QStringList base{QStringLiteral("--config"), withGateway, QStringLiteral("alarms"),
                           QStringLiteral("device-ack")};
    // An alarm without a serial number: exit 2, one line.
    r = cli(base + QStringList{QStringLiteral("--id"), plainId});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("carries no serial number")), qPrintable(r.err));
    r = cli(base + QStringList{QStringLiteral("--id"), QStringLiteral("999999")});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err.trimmed(), QStringLiteral("alarm 999999 does not exist"));

    // Sent for real: the tracker's gateway answer is a refusal, exit 1, and
    // the story keeps it.
    r = cli(base + QStringList{QStringLiteral("--id"), numberedId, QStringLiteral("--operator"), QStringLiteral("ana")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("serial 4242: refused (200) Invalid parameter")), qPrintable(r.err));
    const QList<AlarmActionRecord> story = reader.alarmActions(numberedId.toLongLong());
    QCOMPARE(story.size(), 1);
    QCOMPARE(story.at(0).kind, AlarmActionKind::DeviceAck);
    QCOMPARE(story.at(0).deviceResult, DeviceAckResult::Refused);
    QCOMPARE(story.at(0).resultCode, 200);
    QCOMPARE(story.at(0).operatorName, QStringLiteral("ana"));
}

void TestCli::alarmsMedia()
{
    using namespace Fleet;
    // The first fleet has no dashcam: a fleet of eight with two (seed 3),
    // in a simulator of its own, and a database of its own.
    OwnSim sim;
    QVERIFY(startSim(sim.process, 8, 3, &sim.values));
    const QHash<QString, QString> &values = sim.values;
    const QString simUrl = values.value(QStringLiteral("FLEETDESK_SIM_URL"));
    // A dashcam's alarm on the Tuesday, as the simulator raised it: its push
    // named the clip the camera took.
    QJsonObject filmed;
    QString cam;
    const QJsonArray devices = truth(QString(), simUrl).value(QLatin1String("devices")).toArray();
    for (const QJsonValue &d : devices) {
        const QString imei = d.toObject().value(QLatin1String("imei")).toString();
        const QJsonArray alarms = truth(QStringLiteral("imei=%1&from=%2&to=%3&parts=alarms").arg(imei, kFrom, kTo), simUrl)
                                      .value(QLatin1String("alarms"))
                                      .toArray();
        for (const QJsonValue &a : alarms) {
            if (!a.toObject().value(QLatin1String("mediaFile")).toString().isEmpty() && filmed.isEmpty()) {
                filmed = a.toObject();
                cam = imei;
            }
        }
    }
    QVERIFY2(!filmed.isEmpty(), "the simulated fleet has a dashcam that raised an alarm on the Tuesday");
    const QString db = m_dir.filePath(QStringLiteral("media.db"));
    const QString config = writeConfig(QStringLiteral("media.ini"), simUrl, db);
    {
        StoreWriter writer;
        StoreWriter::Options o;
        o.coalesceMs = 0;
        QVERIFY(writer.open(db, o));
        Alarm a;
        a.imei = cam;
        a.typeId = filmed.value(QLatin1String("typeId")).toString();
        a.time = QDateTime::fromString(filmed.value(QLatin1String("time")).toString(), Qt::ISODate);
        a.mediaFile = filmed.value(QLatin1String("mediaFile")).toString();
        IngestBatch b;
        b.addAlarms({a}, ReportSource::Push);
        QVERIFY(writer.write(b));
        QVERIFY(writer.flush(10000));
    }
    StoreReader reader;
    QVERIFY(reader.open(db));
    AlarmFilter filter;
    filter.imeis = {cam};
    const QList<AlarmDeskRow> rows = reader.alarmDesk(filter);
    QVERIFY(!rows.isEmpty());
    const QString id = QString::number(rows.constFirst().id);

    // Listed by the cloud, kept, and saved.
    const QString folder = m_dir.filePath(QStringLiteral("media"));
    Run r = cli({QStringLiteral("--config"), config, QStringLiteral("alarms"), QStringLiteral("media"),
                 QStringLiteral("--id"), id, QStringLiteral("--download"), folder, QStringLiteral("--format"),
                 QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray listed = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(listed.size(), 2);
    QStringList types;
    for (const QJsonValue &v : listed) {
        const QJsonObject m = v.toObject();
        types << m.value(QLatin1String("media_type")).toString();
        QCOMPARE(m.value(QLatin1String("imei")).toString(), cam);
        QCOMPARE(m.value(QLatin1String("alarm_time")).toString(), filmed.value(QLatin1String("time")).toString());
        QFile saved(m.value(QLatin1String("saved_as")).toString());
        QVERIFY2(saved.open(QIODevice::ReadOnly), qPrintable(saved.fileName()));
        QCOMPARE(QFileInfo(saved).absolutePath(), QFileInfo(folder).absoluteFilePath());
        const QByteArray bytes = saved.readAll();
        if (m.value(QLatin1String("media_type")).toString() == QLatin1String("video")) {
            QCOMPARE(m.value(QLatin1String("file_key")).toString(), filmed.value(QLatin1String("mediaFile")).toString());
            QCOMPARE(bytes.mid(4, 4), QByteArray("ftyp")); // an MP4
        } else {
            QVERIFY(bytes.startsWith("\xFF\xD8")); // a JPEG
        }
    }
    types.sort();
    QCOMPARE(types, (QStringList{QStringLiteral("photo"), QStringLiteral("video")}));

    // Saved again into the same folder: beside the first files, never over them.
    r = cli({QStringLiteral("--config"), config, QStringLiteral("alarms"), QStringLiteral("media"),
             QStringLiteral("--id"), id, QStringLiteral("--download"), folder, QStringLiteral("--format"),
             QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray again = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(again.size(), 2);
    for (const QJsonValue &v : again) {
        const QString path = v.toObject().value(QLatin1String("saved_as")).toString();
        QVERIFY2(QFileInfo(path).completeBaseName().endsWith(QStringLiteral("-2")), qPrintable(path));
        QVERIFY(QFileInfo::exists(path));
    }
    QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 4);

    // From the store alone, afterwards: the same two, as CSV.
    r = cli({QStringLiteral("--database"), db, QStringLiteral("alarms"), QStringLiteral("media"), QStringLiteral("--id"), id});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.constFirst(),
             QByteArray("alarm_id,imei,file_key,media_type,mime_type,camera,alarm_time,file_size,file_url,thumb_url,saved_as,"
                        "created"));

    r = cli({QStringLiteral("--database"), db, QStringLiteral("alarms"), QStringLiteral("media"), QStringLiteral("--id"),
             QStringLiteral("999999")});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err.trimmed(), QStringLiteral("alarm 999999 does not exist"));
}

void TestCli::videoProbeAndSnapshot()
{
    // The simulator's live clip as a file: the same player path as a stream.
    const QString clip = QStringLiteral(FLEET_TEST_DATA_DIR "/../../resources/simmedia/live-road.flv");
    QVERIFY(QFile::exists(clip));
    const Run probe = cli({QStringLiteral("video"), QStringLiteral("probe"), QStringLiteral("--url"), clip});
    QVERIFY2(probe.code == 0, qPrintable(probe.err));
    static const QRegularExpression line(QStringLiteral("^first_frame_ms=\\d+ size=640x360 codec=h264\n$"));
    QVERIFY2(line.match(QString::fromUtf8(probe.out)).hasMatch(), probe.out.constData());

    const QString png = m_dir.filePath(QStringLiteral("snapshot.png"));
    const Run snap = cli({QStringLiteral("video"), QStringLiteral("snapshot"), QStringLiteral("--url"),
                          QUrl::fromLocalFile(clip).toString(), QStringLiteral("--output"), png});
    QVERIFY2(snap.code == 0, qPrintable(snap.err));
    QVERIFY(line.match(QString::fromUtf8(snap.out)).hasMatch());
    // A PNG of the picture's size (the IHDR chunk's width and height).
    QFile file(png);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("\x89PNG\r\n\x1a\n"));
    QCOMPARE(bytes.mid(12, 4), QByteArray("IHDR"));
    QCOMPARE(bytes.mid(16, 8).toHex(), QByteArray("0000028000000168"));

    // No picture: exit 1, one line that names the URL (without its query,
    // where the cloud puts the stream's secret) and the reason; no file.
    const QString none = m_dir.filePath(QStringLiteral("none.png"));
    const Run ws = cli({QStringLiteral("video"), QStringLiteral("snapshot"), QStringLiteral("--url"),
                        QStringLiteral("mms://127.0.0.1:1/1/860000000000001.flv?secret=abc"), QStringLiteral("--output"),
                        none});
    QCOMPARE(ws.code, 1);
    QVERIFY2(ws.err.contains(QStringLiteral("cannot play mms:// streams")), qPrintable(ws.err));
    QVERIFY(!ws.err.contains(QStringLiteral("secret")));
    QVERIFY(!QFile::exists(none));
    const Run refused = cli({QStringLiteral("video"), QStringLiteral("probe"), QStringLiteral("--url"),
                             QStringLiteral("http://127.0.0.1:1/1/860000000000001.flv")});
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("cannot open the stream")), qPrintable(refused.err));
    QCOMPARE(refused.err.trimmed().count(QLatin1Char('\n')), 0);
}

void TestCli::videoLiveOpensAndClosesInTheCloud()
{
    // A fleet with dashcams (seed 3), in a simulator of its own.
    OwnSim sim;
    QVERIFY(startSim(sim.process, 8, 3, &sim.values));
    const QHash<QString, QString> &values = sim.values;
    const QString simUrl = values.value(QStringLiteral("FLEETDESK_SIM_URL"));
    const auto openStreams = [&simUrl] {
        QUrl url(simUrl);
        url.setPath(QStringLiteral("/sim/state"));
        return getJson(url).value(QLatin1String("openStreams")).toInt(-1);
    };
    QString cam, tracker, model;
    const QJsonArray devices = truth(QString(), simUrl).value(QLatin1String("devices")).toArray();
    for (const QJsonValue &d : devices) {
        const QJsonObject o = d.toObject();
        if (o.value(QLatin1String("dashcam")).toBool() && !o.value(QLatin1String("offline")).toBool() && cam.isEmpty()) {
            cam = o.value(QLatin1String("imei")).toString();
            model = o.value(QLatin1String("model")).toString();
        } else if (!o.value(QLatin1String("dashcam")).toBool()) {
            tracker = o.value(QLatin1String("imei")).toString();
        }
    }
    QVERIFY2(!cam.isEmpty() && !tracker.isEmpty(), "the fleet has an online dashcam and a plain tracker");
    const QString config =
        writeConfig(QStringLiteral("video.ini"), simUrl, m_dir.filePath(QStringLiteral("video.db")));

    const auto startLive = [&](QProcess &p) {
        p.setProcessEnvironment(cliEnvironment(values));
        p.start(kCli, {QStringLiteral("--config"), config, QStringLiteral("video"), QStringLiteral("live"),
                       QStringLiteral("--imei"), cam});
        // The URL, on a line of its own, once the cloud opened the stream.
        while (!p.canReadLine()) {
            if (!p.waitForReadyRead(60000))
                return QUrl();
        }
        return QUrl(QString::fromUtf8(p.readLine()).trimmed());
    };

    // Open, then the end of standard input closes it.
    QProcess live;
    const QUrl url = startLive(live);
    QVERIFY2(url.isValid() && url.path().endsWith(QLatin1String(".flv")), live.readAllStandardError().constData());
    QCOMPARE(openStreams(), 1);
    live.closeWriteChannel();
    QVERIFY(live.waitForFinished(60000));
    const QString said = QString::fromUtf8(live.readAllStandardError());
    QVERIFY2(live.exitStatus() == QProcess::NormalExit && live.exitCode() == 0, qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("the stream is closed in the cloud")), qPrintable(said));
    QCOMPARE(openStreams(), 0);

    // SIGTERM does the same.
    QProcess again;
    QVERIFY(startLive(again).isValid());
    QCOMPARE(openStreams(), 1);
    again.terminate();
    QVERIFY(again.waitForFinished(60000));
    QCOMPARE(again.exitCode(), 0);
    QCOMPARE(openStreams(), 0);

    // The recordings of the day on its card: the device's list, waited for.
    QProcess list;
    list.setProcessEnvironment(cliEnvironment(values));
    list.start(kCli, {QStringLiteral("--config"), config, QStringLiteral("video"), QStringLiteral("recordings"),
                      QStringLiteral("--imei"), cam, QStringLiteral("--date"), kFleetStart.left(10)});
    QVERIFY(list.waitForFinished(120000));
    const QString listSaid = QString::fromUtf8(list.readAllStandardError());
    QVERIFY2(list.exitCode() == 0, qPrintable(listSaid));
    QVERIFY2(listSaid.contains(QStringLiteral("waiting for the device to upload its list")), qPrintable(listSaid));
    const QList<QByteArray> rows = list.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(rows.first(), QByteArray("channel,begin,end,duration_s,file_name,file_size"));
    QVERIFY(rows.size() > 1);
    QVERIFY(rows.at(1).startsWith(QByteArray::number(Fleet::cameraLayout(model).first) + ','));

    // A camera the model does not have, and a tracker without one: exit 2, nothing opened.
    const auto run = [&](const QStringList &args) {
        QProcess p;
        p.setProcessEnvironment(cliEnvironment(values));
        p.start(kCli, QStringList{QStringLiteral("--config"), config, QStringLiteral("video"), QStringLiteral("live")} + args);
        p.closeWriteChannel();
        p.waitForFinished(60000);
        return std::pair{p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
    };
    const auto [badChannel, badChannelSaid] = run({QStringLiteral("--imei"), cam, QStringLiteral("--channel"), QStringLiteral("7")});
    QCOMPARE(badChannel, 2);
    QVERIFY2(badChannelSaid.contains(QStringLiteral("--channel: the %1 counts its cameras").arg(model)),
             qPrintable(badChannelSaid));
    const auto [noCamera, noCameraSaid] = run({QStringLiteral("--imei"), tracker});
    QCOMPARE(noCamera, 2);
    QVERIFY2(noCameraSaid.contains(QStringLiteral("has no camera")), qPrintable(noCameraSaid));
    QCOMPARE(openStreams(), 0);
}

void TestCli::videoCaptureMediaAndSave()
{
    OwnSim sim;
    QVERIFY(startSim(sim.process, 8, 3, &sim.values));
    const QHash<QString, QString> &values = sim.values;
    const QString simUrl = values.value(QStringLiteral("FLEETDESK_SIM_URL"));
    QString cam;
    const QJsonArray devices = truth(QString(), simUrl).value(QLatin1String("devices")).toArray();
    for (const QJsonValue &d : devices) {
        const QJsonObject o = d.toObject();
        if (o.value(QLatin1String("dashcam")).toBool() && !o.value(QLatin1String("offline")).toBool() && cam.isEmpty())
            cam = o.value(QLatin1String("imei")).toString();
    }
    QVERIFY(!cam.isEmpty());
    const QString config =
        writeConfig(QStringLiteral("capture.ini"), simUrl, m_dir.filePath(QStringLiteral("capture.db")));
    const auto video = [&](const QStringList &args) {
        QProcess p;
        p.setProcessEnvironment(cliEnvironment(values));
        p.start(kCli, QStringList{QStringLiteral("--config"), config, QStringLiteral("video")} + args);
        p.closeWriteChannel();
        p.waitForFinished(180000);
        struct
        {
            int code;
            QByteArray out;
            QString err;
        } r{p.exitCode(), p.readAllStandardOutput(), QString::fromUtf8(p.readAllStandardError())};
        return r;
    };

    // A photo now: the device takes the command, the new file is listed and kept.
    const auto photo = video({QStringLiteral("capture"), QStringLiteral("--imei"), cam});
    QVERIFY2(photo.code == 0, qPrintable(photo.err));
    QVERIFY2(photo.err.contains(QStringLiteral("waiting for its file")), qPrintable(photo.err));
    QList<QByteArray> rows = photo.out.trimmed().split('\n');
    QCOMPARE(rows.size(), 2);
    QVERIFY(rows.first().startsWith("alarm_id,imei,file_key,media_type,mime_type,camera,"));
    QVERIFY2(rows.at(1).contains(",image/jpeg,1,"), rows.at(1).constData());
    // A 3 s clip of both cameras, downloaded.
    const QString folder = m_dir.filePath(QStringLiteral("captured"));
    const auto clip = video({QStringLiteral("capture"), QStringLiteral("--imei"), cam, QStringLiteral("--kind"),
                             QStringLiteral("clip"), QStringLiteral("--camera"), QStringLiteral("both"),
                             QStringLiteral("--seconds"), QStringLiteral("3"), QStringLiteral("--download"), folder,
                             QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(clip.code == 0, qPrintable(clip.err));
    const QJsonArray clips = QJsonDocument::fromJson(clip.out).array();
    QCOMPARE(clips.size(), 2);
    for (const QJsonValue &c : clips) {
        QCOMPARE(c.toObject().value(QLatin1String("mime_type")).toString(), QStringLiteral("video/mp4"));
        QVERIFY(QFileInfo::exists(c.toObject().value(QLatin1String("saved_as")).toString()));
    }
    // The vehicle's gallery, from the store: the photo and the two clips, newest first.
    const auto media = video({QStringLiteral("media"), QStringLiteral("--imei"), cam});
    QVERIFY2(media.code == 0, qPrintable(media.err));
    rows = media.out.trimmed().split('\n');
    QCOMPARE(rows.size(), 4);
    QVERIFY(rows.at(1).contains(",video/mp4,"));
    QVERIFY(rows.at(3).contains(",image/jpeg,"));
    // Usage errors: exit 2.
    QCOMPARE(video({QStringLiteral("capture"), QStringLiteral("--imei"), cam, QStringLiteral("--seconds"),
                    QStringLiteral("5")}).code,
             2);
    QCOMPARE(video({QStringLiteral("capture"), QStringLiteral("--imei"), cam, QStringLiteral("--camera"),
                    QStringLiteral("roof")}).code,
             2);

    // A recording saved to an MP4 file: 5 s of it, an hour before the fleet's start.
    const QDateTime start = QDateTime::fromString(kFleetStart, Qt::ISODate);
    const QString mp4 = m_dir.filePath(QStringLiteral("saved.mp4"));
    const auto save = video({QStringLiteral("save"), QStringLiteral("--imei"), cam, QStringLiteral("--from"),
                             start.addSecs(-3600).toString(Qt::ISODate), QStringLiteral("--to"),
                             start.addSecs(-3595).toString(Qt::ISODate), QStringLiteral("--output"), mp4});
    QVERIFY2(save.code == 0, qPrintable(save.err));
    QVERIFY2(save.out.startsWith("saved "), save.out.constData());
    QFile file(mp4);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(8).mid(4), QByteArray("ftyp"));
    QVERIFY(file.size() > 50000);
    // The stream it read is closed in the cloud.
    QUrl state(simUrl);
    state.setPath(QStringLiteral("/sim/state"));
    QCOMPARE(getJson(state).value(QLatin1String("openStreams")).toInt(-1), 0);
    QCOMPARE(video({QStringLiteral("save"), QStringLiteral("--imei"), cam, QStringLiteral("--file"),
                    QStringLiteral("a.mp4"), QStringLiteral("--output"), m_dir.filePath(QStringLiteral("x.avi"))})
                 .code,
             2);
    QCOMPARE(video({QStringLiteral("save"), QStringLiteral("--imei"), cam, QStringLiteral("--output"), mp4}).code, 2);
}

bool TestCli::startInFleetTime(OwnSim &sim, int vehicles, int seed, const QStringList &extra)
{
    sim.fakeStart = QDateTime::fromString(kFleetStart, Qt::ISODate);
    sim.sinceStart.start();
    return startSim(sim.process, vehicles, seed, &sim.values, extra, sim.fakeStart);
}

Run TestCli::runInFleetTime(const OwnSim &sim, const QString &config, const QStringList &args)
{
    QProcess p;
    p.setProcessEnvironment(
        fakeTimeEnvironment(cliEnvironment(sim.values), sim.fakeStart.addMSecs(sim.sinceStart.elapsed())));
    p.start(kCli, QStringList{QStringLiteral("--config"), config} + args);
    p.waitForFinished(180000);
    return Run{p.exitCode(), p.readAllStandardOutput(), QString::fromUtf8(p.readAllStandardError())};
}

void TestCli::commandsAndLocate()
{
    // A cloud whose result list does not lag, so that --wait ends in seconds.
    // The cloud's result rows carry its time, which matches a command to what
    // was sent: the simulator and the CLI both live in the pinned fleet time
    // (libfaketime), as a real cloud and workstation share the real one.
#ifndef FLEET_LIBFAKETIME
    QSKIP("needs libfaketime (Debian's faketime package)");
#endif
    OwnSim sim;
    QVERIFY(startInFleetTime(sim, 8, 3, {QStringLiteral("--command-result-lag"), QStringLiteral("0")}));
    const QString simUrl = sim.values.value(QStringLiteral("FLEETDESK_SIM_URL"));
    QString van, cam;
    const QJsonArray devices = truth(QString(), simUrl).value(QLatin1String("devices")).toArray();
    for (const QJsonValue &d : devices) {
        const QJsonObject o = d.toObject();
        if (o.value(QLatin1String("offline")).toBool())
            continue;
        const bool dashcam = o.value(QLatin1String("dashcam")).toBool();
        if (dashcam && cam.isEmpty())
            cam = o.value(QLatin1String("imei")).toString();
        if (!dashcam && !o.value(QLatin1String("model")).toString().startsWith(QLatin1String("VL")) && van.isEmpty())
            van = o.value(QLatin1String("imei")).toString();
    }
    QVERIFY(!van.isEmpty() && !cam.isEmpty());
    const QString db = m_dir.filePath(QStringLiteral("commands.db"));
    const QString config = writeConfig(
        QStringLiteral("commands.ini"), simUrl, db,
        QStringLiteral("instruct_url = %1\n").arg(sim.values.value(QStringLiteral("FLEETDESK_SIM_INSTRUCT_URL"))));
    const auto run = [&](const QStringList &args) { return runInFleetTime(sim, config, args); };

    // The model's list, with FleetDesk's own commands marked.
    Run r = run({QStringLiteral("command"), QStringLiteral("templates"), QStringLiteral("--imei"), van});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.startsWith("id,name,template,params,offline,source,route,danger,description\n"));
    QVERIFY(r.out.contains("163,Fuel/Power Remote Control,\"RELAY,{0}#\",Relay (1|0),1,cloud,template,,"));
    QVERIFY(r.out.contains("reset,Restart the device,RESET#,,1,fleetdesk,template,reboot,"));

    // A fuel cut without --yes: refused, nothing sent, nothing stored.
    const QStringList cut{QStringLiteral("command"), QStringLiteral("send"), QStringLiteral("--imei"), van,
                          QStringLiteral("--template"), QStringLiteral("Fuel/Power Remote Control"),
                          QStringLiteral("--param"), QStringLiteral("1")};
    r = run(cut);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("needs confirmation (--yes)")), qPrintable(r.err));
    {
        Fleet::StoreReader reader;
        QVERIFY(reader.open(db));
        QCOMPARE(reader.commandCount({}), 0);
    }
    // Bad usage: both kinds, an unknown template, a value out of range.
    r = run({QStringLiteral("command"), QStringLiteral("send"), QStringLiteral("--imei"), van,
             QStringLiteral("--template"), QStringLiteral("16"), QStringLiteral("--raw"), QStringLiteral("0B02")});
    QCOMPARE(r.code, 2);
    r = run({QStringLiteral("command"), QStringLiteral("send"), QStringLiteral("--imei"), van,
             QStringLiteral("--template"), QStringLiteral("nope")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("has no command \"nope\"")), qPrintable(r.err));
    r = run({QStringLiteral("command"), QStringLiteral("send"), QStringLiteral("--imei"), van,
             QStringLiteral("--template"), QStringLiteral("32"), QStringLiteral("--param"), QStringLiteral("1"),
             QStringLiteral("--param"), QStringLiteral("600")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("must be at least 5 s")), qPrintable(r.err));

    // Confirmed and followed to the device's answer.
    r = run(cut + QStringList{QStringLiteral("--yes"), QStringLiteral("--wait"), QStringLiteral("60"),
                              QStringLiteral("--operator"), QStringLiteral("dana")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("accepted #1 RELAY,1#")), qPrintable(r.err));
    QList<QByteArray> rows = r.out.trimmed().split('\n');
    QCOMPARE(rows.size(), 2);
    QVERIFY2(rows.at(1).startsWith("1," + van.toLatin1()), rows.at(1).constData());
    QVERIFY2(rows.at(1).endsWith(",answered,\"RELAY,1#\",,Cut off the fuel supply: Success!"), rows.at(1).constData());
    r = run({QStringLiteral("command"), QStringLiteral("status"), QStringLiteral("--id"), QStringLiteral("1"),
             QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject status = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(status.value(QLatin1String("state")).toString(), QStringLiteral("answered"));
    QCOMPARE(status.value(QLatin1String("operator")).toString(), QStringLiteral("dana"));
    QCOMPARE(status.value(QLatin1String("danger")).toString(), QStringLiteral("fuel_cut"));
    r = run({QStringLiteral("command"), QStringLiteral("status"), QStringLiteral("--id"), QStringLiteral("99")});
    QCOMPARE(r.code, 2);

    // A dashcam has no user-defined template: our WHERE# goes through the gateway.
    r = run({QStringLiteral("command"), QStringLiteral("send"), QStringLiteral("--imei"), cam,
             QStringLiteral("--template"), QStringLiteral("where"), QStringLiteral("--wait"), QStringLiteral("60")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(",answered,WHERE#,success,\"Current position!"), r.out.constData());

    // A device's record changed in the cloud, then stored as the cloud has it.
    r = run({QStringLiteral("device"), QStringLiteral("update"), QStringLiteral("--imei"), van, QStringLiteral("--name"),
             QStringLiteral("Van 7 (Lyon)"), QStringLiteral("--plate"), QStringLiteral("AB-123-CD")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    {
        Fleet::StoreReader reader;
        QVERIFY(reader.open(db));
        QCOMPARE(reader.device(van)->name, QStringLiteral("Van 7 (Lyon)"));
        QCOMPARE(reader.device(van)->plate, QStringLiteral("AB-123-CD"));
    }
    r = run({QStringLiteral("device"), QStringLiteral("update"), QStringLiteral("--imei"), van});
    QCOMPARE(r.code, 2); // nothing to change
    r = run({QStringLiteral("device"), QStringLiteral("update"), QStringLiteral("--imei"), van, QStringLiteral("--mileage"),
             QStringLiteral("-5")});
    QCOMPARE(r.code, 2);

    // The desk's own groups, store only.
    const QStringList group{QStringLiteral("--database"), db, QStringLiteral("group")};
    const auto store = [&](const QStringList &args) {
        QProcess p;
        p.start(kCli, group + args);
        p.waitForFinished(60000);
        return Run{p.exitCode(), p.readAllStandardOutput(), QString::fromUtf8(p.readAllStandardError())};
    };
    r = store({QStringLiteral("create"), QStringLiteral("--group"), QStringLiteral("Night shift"), QStringLiteral("--imei"), van});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(store({QStringLiteral("create"), QStringLiteral("--group"), QStringLiteral("night SHIFT")}).code, 2);
    QCOMPARE(store({QStringLiteral("add"), QStringLiteral("--group"), QStringLiteral("Nowhere"), QStringLiteral("--imei"), van})
                 .code,
             2);
    r = store({QStringLiteral("add"), QStringLiteral("--group"), QStringLiteral("Night shift"), QStringLiteral("--imei"), cam});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = store({QStringLiteral("rename"), QStringLiteral("--group"), QStringLiteral("Night shift"),
               QStringLiteral("--new-name"), QStringLiteral("Late shift")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = store({QStringLiteral("list")});
    QCOMPARE(r.code, 0);
    QStringList expected{QStringLiteral("Late shift,") + van, QStringLiteral("Late shift,") + cam};
    expected.sort();
    QCOMPARE(QString::fromUtf8(r.out), QStringLiteral("group,imei\n") + expected.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    QCOMPARE(store({QStringLiteral("delete"), QStringLiteral("--group"), QStringLiteral("Late shift")}).code, 0);
    QCOMPARE(store({QStringLiteral("list")}).out, QByteArray("group,imei\n"));

    // Locate now: stored as the sweep stores it, printed.
    r = run({QStringLiteral("locate"), QStringLiteral("--imei"), van + QLatin1Char(',') + cam});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    rows = r.out.trimmed().split('\n');
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0), QByteArray("imei,gps_time_utc,lat,lng,speed_kmh,course_deg"));
    QVERIFY2(rows.at(1).startsWith(van.toLatin1() + ",2026-12-0"), rows.at(1).constData());
}

void TestCli::fleetAdministration()
{
    // device expiring reads the time: the CLI runs in the simulator's pinned fleet time.
#ifndef FLEET_LIBFAKETIME
    QSKIP("needs libfaketime (Debian's faketime package)");
#endif
    OwnSim sim;
    QVERIFY(startInFleetTime(sim, 6, 5));
    const QString simUrl = sim.values.value(QStringLiteral("FLEETDESK_SIM_URL"));
    const QString db = m_dir.filePath(QStringLiteral("admin.db"));
    const QString config = writeConfig(QStringLiteral("admin.ini"), simUrl, db);
    const auto run = [&](const QStringList &args) { return runInFleetTime(sim, config, args); };
    const auto word = [](const char *w) { return QString::fromLatin1(w); };

    // The cloud's groups: listed, created (its id said), renamed, deleted.
    Run r = run({word("cloud-group"), word("list")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.startsWith("id,name,devices\n"));
    const qsizetype groupsBefore = r.out.count('\n');
    QVERIFY(groupsBefore >= 2);
    r = run({word("cloud-group"), word("create"), word("--name"), QStringLiteral("Depot \"B\", north")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QRegularExpressionMatch created = QRegularExpression(QStringLiteral("group (\\S+) created")).match(r.err);
    QVERIFY2(created.hasMatch(), qPrintable(r.err));
    const QString id = created.captured(1);
    r = run({word("cloud-group"), word("list")});
    QVERIFY2(r.out.contains(QStringLiteral("%1,\"Depot \"\"B\"\", north\",0\n").arg(id).toUtf8()), r.out.constData());
    r = run({word("cloud-group"), word("create"), word("--name"), QStringLiteral("Depot \"B\", north")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("already exists (1003)")), qPrintable(r.err));
    QCOMPARE(run({word("cloud-group"), word("create"), word("--name"), word(" ")}).code, 2);
    r = run({word("cloud-group"), word("rename"), word("--id"), id, word("--name"), word("Depot C")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run({word("cloud-group"), word("delete"), word("--id"), id});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run({word("cloud-group"), word("list"), word("--format"), word("json")});
    QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), groupsBefore - 1);
    QCOMPARE(run({word("cloud-group"), word("delete"), word("--id"), id}).code, 1);

    // Expiry: every device within ten years, soonest first; extended as the cloud lists it.
    r = run({word("device"), word("expiring"), word("--days"), word("3650"), word("--format"), word("json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray expiring = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(expiring.size(), 6);
    const QString van = expiring.at(0).toObject().value(QLatin1String("imei")).toString();
    const QString cam = expiring.at(1).toObject().value(QLatin1String("imei")).toString();
    QCOMPARE(run({word("device"), word("expiring"), word("--days"), word("soon")}).code, 2);
    r = run({word("device"), word("extend"), word("--imei"), van, word("--date"), word("2031-06-30")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run({word("device"), word("expiring"), word("--days"), word("3650")});
    QVERIFY2(r.out.trimmed().endsWith(QStringLiteral(",2031-06-30,no").toUtf8()), r.out.constData());
    QVERIFY(r.out.trimmed().split('\n').constLast().startsWith(van.toLatin1()));
    QCOMPARE(run({word("device"), word("extend"), word("--imei"), van, word("--date"), word("2031-13-01")}).code, 2);

    // App users: bound, a second time refused by the cloud, unbound.
    const QString both = van + QLatin1Char(',') + cam;
    r = run({word("device"), word("bind"), word("--imei"), both, word("--user"), word("app-user-9")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run({word("device"), word("bind"), word("--imei"), van, word("--user"), word("app-user-9")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(van + QStringLiteral(": refused: The device is already bound to this user")),
             qPrintable(r.err));
    r = run({word("device"), word("unbind"), word("--imei"), both, word("--user"), word("app-user-9")});
    QVERIFY2(r.code == 0, qPrintable(r.err));

    // Local groups filter the reports: a group's trips are its vehicles' rows of all trips.
    const QStringList everyone{van, cam, expiring.at(2).toObject().value(QLatin1String("imei")).toString()};
    r = run({word("export"), word("trips"), word("--imei"), everyone.join(QLatin1Char(',')), word("--from"), kFrom,
             word("--to"), kTo, word("--format"), word("csv")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QList<QByteArray> all = r.out.trimmed().split('\n');
    QString member;
    for (const QByteArray &row : all.mid(1)) {
        for (const QString &imei : everyone)
            if (member.isEmpty() && row.contains(imei.toLatin1()))
                member = imei;
    }
    QVERIFY2(!member.isEmpty(), r.out.constData());
    QProcess local;
    local.start(kCli, {word("--database"), db, word("group"), word("create"), word("--group"), word("Vans"),
                       word("--imei"), member});
    QVERIFY(local.waitForFinished(60000) && local.exitCode() == 0);
    r = run({word("export"), word("trips"), word("--group"), word("vans"), word("--from"), kFrom, word("--to"), kTo,
             word("--format"), word("csv")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QList<QByteArray> expectedTrips{all.constFirst()};
    for (const QByteArray &row : all.mid(1))
        if (row.contains(member.toLatin1()))
            expectedTrips.append(row);
    QCOMPARE(r.out.trimmed().split('\n'), expectedTrips);
    r = run({word("export"), word("trips"), word("--group"), word("Nowhere"), word("--from"), kFrom, word("--to"), kTo,
             word("--format"), word("csv")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("there is no group called Nowhere")), qPrintable(r.err));

    // A move needs --yes, then the device leaves this account's view.
    r = run({word("device"), word("move"), word("--imei"), van, word("--to-account"), word("acme-north")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QStringLiteral("add --yes")), qPrintable(r.err));
    r = run({word("device"), word("move"), word("--imei"), van, word("--to-account"), word("acme-north"), word("--yes")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    Fleet::StoreReader reader;
    QVERIFY(reader.open(db));
    QCOMPARE(reader.departures().size(), 1);
    QCOMPARE(reader.departures().constFirst().imei, van);
    QCOMPARE(reader.departures().constFirst().toAccount, QStringLiteral("acme-north"));
    QCOMPARE(reader.devices().size(), 5);
    r = run({word("device"), word("move"), word("--imei"), van, word("--to-account"), word("acme-north"), word("--yes")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(van + QStringLiteral(": refused: The device already exists")), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
