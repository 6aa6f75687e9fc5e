// The webhook receiver end to end: real HTTP(S) requests over loopback into a
// real store. Every error path answers a clear JSON error, stores nothing it
// should not and leaves the listener serving.

#include "push/pushendpoint.h"
#include "push/pushinbox.h"
#include "push/pushreceiver.h"
#include "store/storeconnection.h"
#include "store/storereader.h"
#include "store/storewriter.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Push;

namespace {

const QByteArray kToken = QByteArrayLiteral("s3cr3t-T0ken");
const QString kImei = QStringLiteral("868120246598152");

// The /pushgps example of the field notes (§3.2), one item.
QByteArray gpsItem(const QString &imei = kImei, const QString &gpsTime = QStringLiteral("2023-01-13 02:24:37"),
                   double lat = 22.576539)
{
    return QStringLiteral(R"({"deviceImei":"%1","gpsTime":"%2","gateTime":"2023-01-13 02:24:38","satelliteNum":7,)"
                          R"("lng":113.942885,"lat":%3,"gpsMode":0,"gpsSpeed":0,"direction":155,"acc":1,)"
                          R"("postType":1,"altitude":0,"distance":698,"status":262147})")
        .arg(imei, gpsTime)
        .arg(lat, 0, 'f', 6)
        .toUtf8();
}

QByteArray form(const QByteArray &token, const QByteArray &dataList)
{
    // Percent-encode everything a form value may not carry raw.
    return "token=" + QUrl::toPercentEncoding(QString::fromUtf8(token))
        + "&data_list=" + QUrl::toPercentEncoding(QString::fromUtf8(dataList));
}

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

} // namespace

class TestPushReceiver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void gpsPushIsStoredAndAnsweredSuccess();
    void answerComesOnlyAfterTheInboxCommit();
    void repeatedPushIsIdempotent();
    void everyEndpointPathIsServed();
    void wrongOrMissingTokenIs401AndStoresNothing_data();
    void wrongOrMissingTokenIs401AndStoresNothing();
    void officialAlarmPushAtAnyPath_data();
    void officialAlarmPushAtAnyPath();
    void unknownPathIs404AndCounted();
    void wrongMethodIs405();
    void wrongContentTypeIs415();
    void malformedEnvelope_data();
    void malformedEnvelope();
    void unreadableItemsAreQuarantined();
    void deviceWithoutFixIsNotBadContent();
    void notAnArrayIsQuarantined();
    void tooManyItemsAreRefusedAndKept();
    void tenThousandItemsInOneRequest();
    void bodyOverTheLimitIs413BeforeItIsRead();
    void refusedOnTheHeadBeforeTheBodyIsRead_data();
    void refusedOnTheHeadBeforeTheBodyIsRead();
    void controlCharactersFromTheClientAreEscapedInTheLog();
    void slowClientIsCutOffAndOthersAreServed();
    void sqlMetacharactersAreStoredVerbatim();
    void closedStoreAnswers503();
    void inboxLeftByACrashIsFinishedOnStart();
    void tls();

private:
    bool startReceiver(ReceiverConfig config = {});
    Reply post(const QString &path, const QByteArray &body,
               const QByteArray &contentType = QByteArrayLiteral("application/x-www-form-urlencoded"),
               const QByteArray &method = QByteArrayLiteral("POST"));
    QByteArray raw(const QByteArray &request, int waitMs = 5000);
    QHash<QString, qint64> counts();
    qint64 inboxCount();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<Receiver> m_receiver;
    QNetworkAccessManager m_nam;
    QString m_scheme = QStringLiteral("http");
};

void TestPushReceiver::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(QStringLiteral("fleet.db"));
    m_writer = std::make_unique<StoreWriter>();
    QVERIFY2(m_writer->open(m_db), qPrintable(m_writer->errorString()));
    m_scheme = QStringLiteral("http");
    QVERIFY(startReceiver());
}

void TestPushReceiver::cleanup()
{
    m_receiver.reset();
    m_writer.reset();
    m_dir.reset();
}

bool TestPushReceiver::startReceiver(ReceiverConfig config)
{
    m_receiver.reset();
    config.token = config.token.isEmpty() ? kToken : config.token;
    m_receiver = std::make_unique<Receiver>(m_writer.get(), config);
    QString error;
    if (!m_receiver->start(&error)) {
        qWarning() << error;
        return false;
    }
    return true;
}

Reply TestPushReceiver::post(const QString &path, const QByteArray &body, const QByteArray &contentType,
                             const QByteArray &method)
{
    QNetworkRequest request(
        QUrl(QStringLiteral("%1://127.0.0.1:%2%3").arg(m_scheme).arg(m_receiver->port()).arg(path)));
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    if (m_scheme == QLatin1String("https")) {
        const QList<QSslCertificate> certs = QSslCertificate::fromPath(
            QStringLiteral(FLEET_TEST_DATA_DIR "/tls/localhost.crt"));
        reply->ignoreSslErrors({QSslError(QSslError::SelfSignedCertificate, certs.value(0))});
    }
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(15000);
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    reply->deleteLater();
    return r;
}

QByteArray TestPushReceiver::raw(const QByteArray &request, int waitMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < waitMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        socket.waitForReadyRead(20);
        out += socket.readAll();
    }
    return out + socket.readAll();
}

QHash<QString, qint64> TestPushReceiver::counts()
{
    m_writer->flush();
    StoreReader reader;
    if (!reader.open(m_db))
        return {};
    return reader.rowCounts();
}

qint64 TestPushReceiver::inboxCount()
{
    qint64 n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inbox-count"));
        db.setDatabaseName(Inbox::pathFor(m_db));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM push_inbox")) && q.next())
                n = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inbox-count"));
    return n;
}

void TestPushReceiver::gpsPushIsStoredAndAnsweredSuccess()
{
    const Reply r = post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArrayLiteral(R"({"code":0,"msg":"success"})"));
    const auto rows = counts();
    QCOMPARE(rows.value(QStringLiteral("position_history")), 1);
    QCOMPARE(rows.value(QStringLiteral("push_quarantine")), 0);
    QTRY_COMPARE_WITH_TIMEOUT(inboxCount(), 0, 5000); // let go once the rows are stored

    StoreReader reader;
    QVERIFY(reader.open(m_db));
    const QList<Position> latest = reader.latestPositions({kImei});
    QCOMPARE(latest.size(), 1);
    QCOMPARE(latest.first().gpsTime, QDateTime(QDate(2023, 1, 13), QTime(2, 24, 37), Qt::UTC));
    QCOMPARE(latest.first().lat, 22.576539);
    QCOMPARE(latest.first().satellites, 7);
    const QList<DeviceLocation> states = reader.deviceStates({kImei});
    QCOMPARE(states.size(), 1);
    QCOMPARE(m_receiver->stats().accepted, 1);
    QCOMPARE(m_receiver->stats().itemsAccepted, 1);
    QCOMPARE(m_receiver->stats().itemsByEndpoint.value(QStringLiteral("pushgps")), 1);
}

void TestPushReceiver::answerComesOnlyAfterTheInboxCommit()
{
    QSignalSpy answered(m_receiver.get(), &Receiver::answered);
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/pushgps").arg(m_receiver->port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));

    // While another connection holds the inbox file's write lock, the raw
    // request cannot commit, and the answer must wait for it.
    {
        QSqlDatabase blocker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inbox-blocker"));
        blocker.setDatabaseName(Inbox::pathFor(m_db));
        blocker.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
        QVERIFY(blocker.open());
        QSqlQuery lock(blocker);
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
        const qint64 before = m_receiver->stats().requests;
        QNetworkReply *reply = m_nam.post(request, form(kToken, "[" + gpsItem() + "]"));
        // The request is in and checked; the answer (answered() is emitted as
        // it is sent) waits for the inbox's commit, which the lock holds up.
        QTRY_COMPARE(m_receiver->stats().requests, before + 1);
        QCOMPARE(answered.size(), 0);
        QCOMPARE(m_receiver->stats().accepted, qint64(0));
        QVERIFY(!reply->isFinished());
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        lock.finish();
        blocker.close();
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
        QCOMPARE(counts().value(QStringLiteral("position_history")), 1);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inbox-blocker"));

    // The database's write lock, held by bulk writes, does not hold up the
    // answer: the request is safe in the inbox, its rows follow later.
    StoreConnection blocker;
    QVERIFY(blocker.open(m_db));
    QVERIFY(blocker.exec(QStringLiteral("BEGIN IMMEDIATE")));
    QNetworkReply *reply = m_nam.post(request,
                                      form(kToken, "[" + gpsItem(kImei, QStringLiteral("2023-01-13 02:40:00")) + "]"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 3000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
    QVERIFY(blocker.exec(QStringLiteral("ROLLBACK")));
    blocker.close();
    QCOMPARE(counts().value(QStringLiteral("position_history")), 2);
    QTRY_COMPARE_WITH_TIMEOUT(inboxCount(), 0, 5000);
}

void TestPushReceiver::repeatedPushIsIdempotent()
{
    const QByteArray body = form(kToken,
                                 "[" + gpsItem() + "," + gpsItem(kImei, QStringLiteral("2023-01-13 02:25:07")) + "]");
    QCOMPARE(post(QStringLiteral("/pushgps"), body).status, 200);
    const auto first = counts();
    QCOMPARE(post(QStringLiteral("/pushgps"), body).status, 200);
    QCOMPARE(post(QStringLiteral("/pushgps"), body).status, 200);
    const auto again = counts();
    QCOMPARE(again.value(QStringLiteral("position_history")), 2);
    QCOMPARE(again, first);
}

void TestPushReceiver::everyEndpointPathIsServed()
{
    // An empty data_list is a valid push on every endpoint, at any prefix.
    for (const Endpoint e : allEndpoints()) {
        const QString path = QStringLiteral("/jimi/") + endpointName(e);
        const Reply r = post(path, form(kToken, "[]"));
        QVERIFY2(r.status == 200, qPrintable(path + QStringLiteral(": ") + QString::fromUtf8(r.body)));
    }
    QCOMPARE(m_receiver->stats().accepted, allEndpoints().size());
}

void TestPushReceiver::wrongOrMissingTokenIs401AndStoresNothing_data()
{
    QTest::addColumn<QByteArray>("body");
    const QByteArray items = "[" + gpsItem() + "]";
    QTest::newRow("wrong") << form("nope", items);
    QTest::newRow("prefix") << form(kToken.left(kToken.size() - 1), items);
    QTest::newRow("longer") << form(kToken + "x", items);
    QTest::newRow("case") << form(kToken.toLower(), items);
    QTest::newRow("empty") << form("", items);
    QTest::newRow("missing") << QByteArray("data_list=" + QUrl::toPercentEncoding(QString::fromUtf8(items)));
}

void TestPushReceiver::wrongOrMissingTokenIs401AndStoresNothing()
{
    QFETCH(QByteArray, body);
    const Reply r = post(QStringLiteral("/pushgps"), body);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json().value(QStringLiteral("code")).toInt(), 401);
    QVERIFY(r.json().value(QStringLiteral("msg")).toString().contains(QLatin1String("token")));
    const auto rows = counts();
    for (auto it = rows.begin(); it != rows.end(); ++it)
        QVERIFY2(it.value() == 0, qPrintable(it.key()));
    QCOMPARE(m_receiver->stats().unauthorized, 1);
    // Still serving.
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]")).status, 200);
}

void TestPushReceiver::officialAlarmPushAtAnyPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("the base URL") << QStringLiteral("/");
    QTest::newRow("a prefix") << QStringLiteral("/jimi/");
    QTest::newRow("a path of its own") << QStringLiteral("/callback/alarms");
    QTest::newRow("another endpoint's") << QStringLiteral("/pushgps");
    QTest::newRow("the alarm endpoint") << QStringLiteral("/pushalarm");
}

void TestPushReceiver::officialAlarmPushAtAnyPath()
{
    // Jimi sends the Open API's alarm push to the one URL a customer gave:
    // it is recognised by its shape (msgType jimi.* + data), not its path.
    // It carries no token of its own: the URL's query gives it.
    QFETCH(QString, path);
    const QByteArray data = R"({"imei":"868120145233604","deviceName":"868120145233604","alarmType":"2",)"
                            R"("alarmName":"Power off alarm","lat":40.656154,"lng":109.898940,)"
                            R"("alarmTime":"2017-05-08 12:00:00"})";
    const QByteArray body = "msgType=jimi.push.device.alarm&data=" + QUrl::toPercentEncoding(QString::fromUtf8(data));
    QCOMPARE(post(path, body).status, 401); // no token: still refused
    const Reply r = post(path + QStringLiteral("?token=") + QString::fromUtf8(kToken), body);
    QCOMPARE(r.status, 200);
    m_writer->flush();
    StoreReader reader;
    QVERIFY(reader.open(m_db));
    const QList<Alarm> alarms = reader.alarms({}, QDateTime(QDate(2017, 1, 1), QTime(0, 0), Qt::UTC),
                                              QDateTime(QDate(2018, 1, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(alarms.size(), 1);
    QCOMPARE(alarms.first().imei, QStringLiteral("868120145233604"));
    QCOMPARE(alarms.first().typeName, QStringLiteral("Power off alarm"));
    // Raw data by the same route is kept as a message.
    const QByteArray raw = "msgType=jimi.open.instruction.raw.receive&data="
        + QUrl::toPercentEncoding(QStringLiteral(R"({"imei":"868120145233604","deviceName":"x","raw_data":"0A0C"})"));
    QCOMPARE(post(path + QStringLiteral("?token=") + QString::fromUtf8(kToken), raw).status, 200);
    // What is not the Open API's push is still routed by its path.
    QCOMPARE(post(QStringLiteral("/"), form(kToken, "[]")).status, 404);
}

void TestPushReceiver::unknownPathIs404AndCounted()
{
    const Reply r = post(QStringLiteral("/pushnothing"), form(kToken, "[]"));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value(QStringLiteral("code")).toInt(), 404);
    QCOMPARE(post(QStringLiteral("/"), form(kToken, "[]")).status, 404);
    QCOMPARE(m_receiver->stats().notFound, 2);
}

void TestPushReceiver::wrongMethodIs405()
{
    const Reply r = post(QStringLiteral("/pushgps"), {}, {}, QByteArrayLiteral("GET"));
    QCOMPARE(r.status, 405);
    QCOMPARE(m_receiver->stats().wrongMethod, 1);
}

void TestPushReceiver::wrongContentTypeIs415()
{
    const Reply r = post(QStringLiteral("/pushgps"), "[" + gpsItem() + "]", QByteArrayLiteral("application/json"));
    QCOMPARE(r.status, 415);
    QVERIFY(r.json().value(QStringLiteral("msg")).toString().contains(QLatin1String("x-www-form-urlencoded")));
    // With a charset parameter it is fine.
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, "[]"),
                  QByteArrayLiteral("application/x-www-form-urlencoded; charset=UTF-8"))
                 .status,
             200);
    QCOMPARE(m_receiver->stats().wrongContentType, 1);
}

void TestPushReceiver::malformedEnvelope_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("quarantined");
    QTest::newRow("bad escape") << QByteArray("token=" + kToken + "&data_list=%G1") << 400 << false;
    QTest::newRow("invalid utf-8") << QByteArray("token=" + kToken + "&data_list=%5B%22%FF%FE%22%5D") << 400 << false;
    QTest::newRow("no data_list") << QByteArray("token=" + kToken) << 422 << false;
    QTest::newRow("not json") << form(kToken, "[{") << 422 << true;
    QTest::newRow("deep nesting") << form(kToken, QByteArray(5000, '[') + QByteArray(5000, ']')) << 422 << true;
    QTest::newRow("huge number") << form(kToken, "[1e99999]") << 422 << true;
}

void TestPushReceiver::malformedEnvelope()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(bool, quarantined);
    const Reply r = post(QStringLiteral("/pushgps"), body);
    QCOMPARE(r.status, status);
    QCOMPARE(r.json().value(QStringLiteral("code")).toInt(), status);
    QVERIFY(!r.json().value(QStringLiteral("msg")).toString().isEmpty());
    const auto rows = counts();
    QCOMPARE(rows.value(QStringLiteral("push_quarantine")), quarantined ? 1 : 0);
    QCOMPARE(rows.value(QStringLiteral("position_history")), 0);
    QTRY_COMPARE_WITH_TIMEOUT(inboxCount(), 0, 5000);
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]")).status, 200);
}

void TestPushReceiver::unreadableItemsAreQuarantined()
{
    const QByteArray items = "[" + gpsItem() + R"(,{"deviceImei":"868120246598152","gpsTime":"not a time"},42])";
    const Reply r = post(QStringLiteral("/pushgps"), form(kToken, items));
    QCOMPARE(r.status, 422);
    QVERIFY2(r.json().value(QStringLiteral("msg")).toString().contains(QLatin1String("2 of 3 items")),
             r.body.constData());
    const auto rows = counts();
    QCOMPARE(rows.value(QStringLiteral("position_history")), 1); // the good item is stored
    QCOMPARE(rows.value(QStringLiteral("push_quarantine")), 2);
    QTRY_COMPARE_WITH_TIMEOUT(inboxCount(), 0, 5000);

    StoreReader reader;
    QVERIFY(reader.open(m_db));
    const QList<QuarantineRow> q = reader.quarantine();
    QCOMPARE(q.size(), 2);
    QSet<int> indexes;
    for (const QuarantineRow &row : q) {
        indexes.insert(row.itemIndex);
        QCOMPARE(row.endpoint, QStringLiteral("pushgps"));
        QVERIFY(!row.reason.isEmpty());
        QVERIFY(!row.content.isEmpty());
    }
    QCOMPARE(indexes, (QSet<int>{1, 2}));

    // The cloud's retry of the same request adds nothing new.
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, items)).status, 422);
    QCOMPARE(counts().value(QStringLiteral("push_quarantine")), 2);
    QVERIFY(reader.open(m_db));
    QCOMPARE(reader.quarantine().first().timesReceived, 2);
}

void TestPushReceiver::deviceWithoutFixIsNotBadContent()
{
    // Devices without a fix report 0,0: no position, but a good request.
    const Reply r =
        post(QStringLiteral("/pushgps"),
             form(kToken,
                  "[" + gpsItem() + ","
                      + gpsItem(kImei, QStringLiteral("2023-01-13 02:30:00"), 0.0).replace("113.942885", "0") + "]"));
    QCOMPARE(r.status, 200);
    const auto rows = counts();
    QCOMPARE(rows.value(QStringLiteral("position_history")), 1);
    QCOMPARE(rows.value(QStringLiteral("push_quarantine")), 0);
}

void TestPushReceiver::notAnArrayIsQuarantined()
{
    const Reply r = post(QStringLiteral("/pushhb"), form(kToken, R"({"deviceImei":"1"})"));
    QCOMPARE(r.status, 422);
    QVERIFY(r.json().value(QStringLiteral("msg")).toString().contains(QLatin1String("kept for review")));
    StoreReader reader;
    m_writer->flush();
    QVERIFY(reader.open(m_db));
    const QList<QuarantineRow> q = reader.quarantine();
    QCOMPARE(q.size(), 1);
    QCOMPARE(q.first().itemIndex, -1);
    QCOMPARE(q.first().content, QByteArrayLiteral(R"({"deviceImei":"1"})"));
}

void TestPushReceiver::tooManyItemsAreRefusedAndKept()
{
    QByteArrayList items;
    for (int i = 0; i < 51; ++i)
        items.append(gpsItem(kImei,
                             QDateTime(QDate(2023, 1, 13), QTime(2, 0), Qt::UTC)
                                 .addSecs(i * 10)
                                 .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
    const Reply r = post(QStringLiteral("/pushgps"), form(kToken, "[" + items.join(',') + "]"));
    QCOMPARE(r.status, 422);
    QVERIFY(r.json().value(QStringLiteral("msg")).toString().contains(QLatin1String("51")));
    const auto rows = counts();
    QCOMPARE(rows.value(QStringLiteral("position_history")), 0);
    QCOMPARE(rows.value(QStringLiteral("push_quarantine")), 1);
    items.removeLast();
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, "[" + items.join(',') + "]")).status, 200);
    QCOMPARE(counts().value(QStringLiteral("position_history")), 50);
}

void TestPushReceiver::tenThousandItemsInOneRequest()
{
    QByteArrayList items;
    for (int i = 0; i < 10000; ++i)
        items.append(R"({"deviceImei":"868120246598152","type":"LOGIN","gateTime":"2023-01-13 02:24:38"})");
    const QByteArray body = form(kToken, "[" + items.join(',') + "]");
    // Over the default body limit: refused before it is read.
    QVERIFY(body.size() > ReceiverConfig::defaultLimits().maxBodyBytes);
    QCOMPARE(post(QStringLiteral("/pushevent"), body).status, 413);
    // Under a larger limit it reaches the item check.
    ReceiverConfig config;
    config.http.maxBodyBytes = 8 * 1024 * 1024;
    QVERIFY(startReceiver(config));
    const Reply r = post(QStringLiteral("/pushevent"), body);
    QCOMPARE(r.status, 422);
    QVERIFY(r.json().value(QStringLiteral("msg")).toString().contains(QLatin1String("10000")));
    QCOMPARE(counts().value(QStringLiteral("device_events")), 0);
    QCOMPARE(post(QStringLiteral("/pushevent"), form(kToken, "[" + items.first() + "]")).status, 200);
}

void TestPushReceiver::bodyOverTheLimitIs413BeforeItIsRead()
{
    // Only the head is sent: the refusal cannot depend on reading the body.
    const QByteArray head = "POST /pushgps HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                            "Content-Length: 1073741824\r\n\r\n";
    const QByteArray answer = raw(head);
    QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
    QVERIFY(answer.contains("\"code\":413"));
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]")).status, 200);
}

void TestPushReceiver::refusedOnTheHeadBeforeTheBodyIsRead_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("status");
    const QByteArray rest =
        "Host: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\n";
    QTest::newRow("no endpoint") << QByteArray("PUT /nothing HTTP/1.1\r\n" + rest) << 404;
    QTest::newRow("wrong method") << QByteArray("PUT /pushgps HTTP/1.1\r\n" + rest) << 405;
    QTest::newRow("wrong content type") << QByteArray(
        "POST /pushgps HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n")
                                        << 415;
    QTest::newRow("wrong token in the URL") << QByteArray("POST /pushgps?token=guess HTTP/1.1\r\n" + rest) << 401;
    QTest::newRow("wrong token, official push at /") << QByteArray("POST /?token=guess HTTP/1.1\r\n" + rest) << 401;
}

void TestPushReceiver::refusedOnTheHeadBeforeTheBodyIsRead()
{
    // A megabyte announced, not a byte of it sent, and a request clock of a
    // minute: the answer can only come from the head.
    QFETCH(QByteArray, head);
    QFETCH(int, status);
    ReceiverConfig config;
    config.http.requestTimeoutMs = 60000;
    QVERIFY(startReceiver(config));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(head);
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("\r\n\r\n"), 10000);
    QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status)), answer.constData());
    QCOMPARE(m_receiver->stats().requests, 1);
    // Meanwhile another client is served.
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]")).status, 200);
}

void TestPushReceiver::controlCharactersFromTheClientAreEscapedInTheLog()
{
    // A path with CR LF in it must not write a line of its own into the log.
    static QStringList logged;
    logged.clear();
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &context, const QString &text) {
            if (QLatin1String(context.category) == QLatin1String("fleet.push"))
                logged.append(text);
        });
    const QByteArray answer = raw("GET /x%0D%0A2026-12-06%20push%20accepted%20from%20admin%E2%80%AE HTTP/1.1\r\n"
                                  "Host: x\r\nConnection: close\r\n\r\n");
    qInstallMessageHandler(previous);
    QVERIFY2(answer.startsWith("HTTP/1.1 404"), answer.constData());
    QCOMPARE(logged.size(), 1);
    const QString line = logged.first();
    QVERIFY2(!line.contains(QLatin1Char('\n')) && !line.contains(QLatin1Char('\r')), qPrintable(line));
    QVERIFY2(line.contains(QLatin1String("/x\\x0d\\x0a2026-12-06 push accepted from admin\\u202e")), qPrintable(line));
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]")).status, 200);
}

void TestPushReceiver::slowClientIsCutOffAndOthersAreServed()
{
    ReceiverConfig config;
    config.http.requestTimeoutMs = 400;
    QVERIFY(startReceiver(config));
    QTcpSocket slow;
    slow.connectToHost(QHostAddress::LocalHost, m_receiver->port());
    QVERIFY(slow.waitForConnected(5000));
    slow.write("POST /pushgps HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               "Content-Length: 100\r\n\r\ntoken=");
    slow.flush();
    // Meanwhile another client is served at once.
    QCOMPARE(post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]")).status, 200);
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += slow.readAll()).startsWith("HTTP/1.1 408"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(slow.state(), QAbstractSocket::UnconnectedState, 5000);
}

void TestPushReceiver::sqlMetacharactersAreStoredVerbatim()
{
    const QString evil = QStringLiteral("'; DROP TABLE alarms;-- \" \\ %");
    const QByteArray item = QJsonDocument(
                                QJsonObject{{QStringLiteral("deviceImei"), kImei},
                                            {QStringLiteral("alarmType"), QStringLiteral("1")},
                                            {QStringLiteral("alarmName"), evil},
                                            {QStringLiteral("gateTime"), QStringLiteral("2024-05-01 10:00:00")}})
                                .toJson(QJsonDocument::Compact);
    QCOMPARE(post(QStringLiteral("/pushalarm"), form(kToken, "[" + item + "]")).status, 200);
    m_writer->flush();
    StoreReader reader;
    QVERIFY(reader.open(m_db));
    const QList<Alarm> alarms = reader.alarms({kImei}, QDateTime(QDate(2024, 5, 1), QTime(0, 0), Qt::UTC),
                                              QDateTime(QDate(2024, 5, 2), QTime(0, 0), Qt::UTC));
    QCOMPARE(alarms.size(), 1);
    QCOMPARE(alarms.first().typeName, evil);
}

void TestPushReceiver::closedStoreAnswers503()
{
    m_writer->close();
    const Reply r = post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]"));
    QCOMPARE(r.status, 503);
    QCOMPARE(m_receiver->stats().unavailable, 1);
}

void TestPushReceiver::inboxLeftByACrashIsFinishedOnStart()
{
    m_receiver.reset();
    // What a crash right after the answer leaves: the raw request, committed,
    // and none of its rows.
    {
        Inbox inbox;
        QString error;
        QVERIFY2(inbox.open(Inbox::pathFor(m_db), &error), qPrintable(error));
        inbox.append(InboxRecord{7,
                                 QStringLiteral("pushgps"),
                                 QDateTime(QDate(2026, 12, 2), QTime(9, 0), QTimeZone::utc()),
                                 {},
                                 qCompress("[" + gpsItem() + "]"),
                                 1,
                                 QStringLiteral("127.0.0.1")},
                     {});
        // A damaged row is kept for review, not lost and not fatal.
        inbox.append(InboxRecord{8,
                                 QStringLiteral("pushgps"),
                                 QDateTime(QDate(2026, 12, 2), QTime(9, 0), QTimeZone::utc()),
                                 {},
                                 QByteArrayLiteral("not compressed"),
                                 1,
                                 QStringLiteral("127.0.0.1")},
                     {});
        QVERIFY(inbox.flush());
    }
    QCOMPARE(inboxCount(), 2);

    QVERIFY(startReceiver());
    const auto rows = counts();
    QCOMPARE(inboxCount(), 0);
    QCOMPARE(rows.value(QStringLiteral("position_history")), 1);
    QCOMPARE(rows.value(QStringLiteral("push_quarantine")), 1);
    QCOMPARE(m_receiver->stats().recovered, 2);
    StoreReader reader;
    QVERIFY(reader.open(m_db));
    QCOMPARE(reader.quarantine().first().reason, QStringLiteral("the stored request cannot be decompressed"));
    QCOMPARE(reader.quarantine().first().content, QByteArrayLiteral("not compressed"));
    // New requests take ids after the recovered ones.
    QCOMPARE(post(QStringLiteral("/pushgps"),
                  form(kToken, "[" + gpsItem(kImei, QStringLiteral("2023-01-13 03:00:00")) + "]"))
                 .status,
             200);
    QCOMPARE(counts().value(QStringLiteral("position_history")), 2);
}

void TestPushReceiver::tls()
{
    QFile certFile(QStringLiteral(FLEET_TEST_DATA_DIR "/tls/localhost.crt"));
    QFile keyFile(QStringLiteral(FLEET_TEST_DATA_DIR "/tls/localhost.key"));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
    tls.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
    ReceiverConfig config;
    config.tls = tls;
    QVERIFY(startReceiver(config));
    QVERIFY(m_receiver->isTls());
    m_scheme = QStringLiteral("https");
    const Reply r = post(QStringLiteral("/pushgps"), form(kToken, "[" + gpsItem() + "]"));
    QCOMPARE(r.status, 200);
    QCOMPARE(counts().value(QStringLiteral("position_history")), 1);
    // Plain HTTP to the TLS port gets no answer.
    const QByteArray plain = raw("POST /pushgps HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 2000);
    QVERIFY(!plain.startsWith("HTTP/1.1"));
}

QTEST_GUILESS_MAIN(TestPushReceiver)
#include "tst_pushreceiver.moc"
