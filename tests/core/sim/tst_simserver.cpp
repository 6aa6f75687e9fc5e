// Drives Fleet::Sim::SimServer over real HTTP with requests signed by hand
// (ApiSigner + FormCodec), not with the product's ApiClient: this checks the
// simulated cloud against the documented behaviour of the real one.

#include "api/apisigner.h"
#include "util/apitime.h"
#include "sim/faultinjector.h"
#include "sim/simfleet.h"
#include "sim/simserver.h"
#include "sim/simstate.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QNetworkInterface>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;
using Fleet::ApiParams;
using Fleet::ManualClock;
using Fleet::Sim::SimServer;
using Fleet::Sim::SimServerConfig;

namespace {

struct HttpResult
{
    bool finished = false; // false: no answer in time (the reply was aborted)
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QJsonObject json;
};

const QDateTime kStart(QDate(2026, 3, 16), QTime(14, 30, 0), QTimeZone::utc());
constexpr int kAnswerTimeoutMs = 15000;

// One response as read off a raw socket.
struct RawResponse
{
    int status = 0;
    QByteArray head; // status line and headers, lower case
    QByteArray body;
    QJsonObject json;
};

// HTTP over a plain socket, for what QNetworkAccessManager does not do:
// pipelining, hostile heads and bodies, hanging up at will. Every wait spins
// the event loop (the server runs in this thread) and has a deadline.
class RawClient
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                               kAnswerTimeoutMs);
    }

    void send(const QByteArray &bytes) { m_socket.write(bytes); }

    // The next complete response, or nullopt when none came in time.
    std::optional<RawResponse> read(int timeoutMs = kAnswerTimeoutMs)
    {
        std::optional<RawResponse> out;
        const bool settled = QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                out = parse();
                return out.has_value() || m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        if (!settled || !out) {
            m_buffer += m_socket.readAll();
            out = parse();
        }
        return out;
    }

    // True once the server has closed the connection.
    bool waitForClose(int timeoutMs = kAnswerTimeoutMs)
    {
        return QTest::qWaitFor(
            [this] {
                m_buffer += m_socket.readAll();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }

    QTcpSocket &socket() { return m_socket; }

private:
    std::optional<RawResponse> parse()
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return std::nullopt;
        RawResponse r;
        r.head = m_buffer.left(end).toLower();
        const QList<QByteArray> lines = r.head.split('\n');
        const QList<QByteArray> statusLine = lines.first().split(' ');
        if (statusLine.size() < 2)
            return std::nullopt;
        r.status = statusLine.at(1).toInt();
        qsizetype length = 0;
        for (const QByteArray &line : lines) {
            if (line.startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (m_buffer.size() < end + 4 + length)
            return std::nullopt;
        r.body = m_buffer.mid(end + 4, length);
        r.json = QJsonDocument::fromJson(r.body).object();
        m_buffer.remove(0, end + 4 + length);
        return r;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace

class TestSimServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void tokenGetAnswersTheDocumentedShape();
    void tokenGetTwiceWithinAMinuteIs1006();
    void tokenGetWithWrongPasswordIsRejected();
    void tokenMethodsRequireExpiresIn();
    void secondTokenGetLeavesTheFirstTokenValid();
    void revokeOnIssueInvalidatesThePreviousToken();
    void wrongSignIsRejected();
    void staleTimestampIsRejected();
    void missingCommonParameterIs1001();
    void unknownMethodIsRejected();
    void unknownAppKeyIs1002();
    void version09SkipsTheSignCheck();
    void expiredTokenIs1004();
    void refreshIssuesANewTokenAndInvalidatesTheOld();
    void refreshTokenOutlivesTheAccessTokenByADay();
    void getOnRouteRestIs1007();
    void unknownPathIs404();
    void deviceListChecksTheTarget();
    void unknownImeiIsIllegalDevice();
    void moreThan50ImeisIs1001_data();
    void moreThan50ImeisIs1001();
    void alarmRangeOverAMonthIs1001();
    void alarmListPages();
    void parkingWithoutAccTypeHasNoRows();
    void parkingMatchesTheGroundTruth();
    void locationListOmitsNeverFixedAndZeroesExpired();
    void trackListLimits();
    void trackMileageMatchesTheGroundTruth();
    void commandsAreExecutedAndReported();
    void commandListsDifferByModelAndLateAnswers();
    void platformFenceNamesAreUnique();
    void historyListIsNotReadyAtFirst();
    void instructionGatewayChecksTheToken();
    void injectedErrorRate();
    void failNextCountsDown();
    void dropRateClosesTheConnection();
    void latencyDelaysTheAnswer();
    void truthAndStateEndpoints();

    // Hostile and odd requests.
    void hostilePagingIs1001_data();
    void hostilePagingIs1001();
    void rangesAreBoundedAndClipped();
    void truthIsClippedToTheFleetsHistory();
    void simFaultsRefusesNonFiniteNumbers();
    void locationGetTakes50ImeisCountedAsSent();
    void unknownMethodsAreCountedTogether();
    void stateContainersAreBounded();
    void faultSequenceIsPortable();

    // The HTTP layer.
    void pipelinedRequestsAreAnsweredInOrder();
    void clientDisconnectDuringLatency();
    void dropAfterProcessingLosesOnlyTheAnswer();
    void oversizedBodyIs413();
    void chunkedBodyIs411();
    void oversizedHeadIs431();
    void connectionHeaderIsHonoured();
    void idleAndSlowClientsTimeOut();
    void listenDefaultsToLoopback();

private:
    HttpResult postForm(const QUrl &url, const QByteArray &body);
    HttpResult get(const QUrl &url);
    HttpResult send(QNetworkReply *reply);
    ApiParams common(const QString &method) const;
    QJsonObject signedCall(ApiParams params);
    QJsonObject call(const QString &method, const ApiParams &privateParams = {});
    QJsonObject tokenGet(int expiresIn = 7200);
    QString token();
    QString imei(int index) const { return m_server->fleet().device(index).imei; }
    QStringList imeis(int count) const;
    int firstDashcam(bool mustHaveTripsOn = false, const QDate &day = {}) const;
    int onlineDevice(const std::function<bool(const Fleet::Sim::SimDevice &)> &fits) const;
    QByteArray rawRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                          const QByteArray &extraHeaders = {}) const;
    void restartServer(const SimServerConfig &config);

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<SimServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    SimServerConfig m_config;
    QString m_token;
};

void TestSimServer::init()
{
    m_clock = std::make_unique<ManualClock>(kStart);
    m_config = SimServerConfig();
    m_config.vehicles = 60;
    m_config.seed = 7;
    // Enough expired and offline devices that every test finds some.
    m_config.fleet.expiredShare = 0.1;
    m_config.fleet.offlineShare = 0.15;
    m_server = std::make_unique<SimServer>(m_config, m_clock.get());
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0) != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_token.clear();
}

void TestSimServer::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_clock.reset();
}

HttpResult TestSimServer::send(QNetworkReply *reply)
{
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult r;
    r.finished = reply->isFinished() || finished.wait(kAnswerTimeoutMs);
    if (!r.finished) {
        // Reported here, where it happened; the caller then sees no answer.
        QTest::qFail("the simulator did not answer within 15 s", __FILE__, __LINE__);
        reply->abort();
    }
    r.error = reply->error();
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    reply->deleteLater();
    return r;
}

HttpResult TestSimServer::postForm(const QUrl &url, const QByteArray &body)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded;charset=UTF-8"));
    return send(m_nam->post(request, body));
}

HttpResult TestSimServer::get(const QUrl &url)
{
    return send(m_nam->get(QNetworkRequest(url)));
}

ApiParams TestSimServer::common(const QString &method) const
{
    return ApiParams{
        {u"method"_s, method},
        {u"app_key"_s, m_config.appKey},
        {u"timestamp"_s, Fleet::ApiTime::format(m_clock->nowUtc())},
        {u"sign_method"_s, u"md5"_s},
        {u"v"_s, u"1.0"_s},
        {u"format"_s, u"json"_s},
    };
}

QJsonObject TestSimServer::signedCall(ApiParams params)
{
    params.insert(u"sign"_s, Fleet::ApiSigner::sign(params, m_config.appSecret));
    return postForm(m_server->baseUrl(), Fleet::FormCodec::encode(params)).json;
}

QJsonObject TestSimServer::call(const QString &method, const ApiParams &privateParams)
{
    ApiParams params = common(method);
    for (auto it = privateParams.cbegin(); it != privateParams.cend(); ++it)
        params.insert(it.key(), it.value());
    if (!params.contains(u"access_token"_s))
        params.insert(u"access_token"_s, token());
    return signedCall(params);
}

QJsonObject TestSimServer::tokenGet(int expiresIn)
{
    ApiParams params = common(u"jimi.oauth.token.get"_s);
    params.insert(u"user_id"_s, m_config.userId);
    params.insert(u"user_pwd_md5"_s, m_server->passwordMd5());
    params.insert(u"expires_in"_s, QString::number(expiresIn));
    return signedCall(params);
}

QString TestSimServer::token()
{
    if (m_token.isEmpty()) {
        const QJsonObject answer = tokenGet();
        m_token = answer.value(u"result"_s).toObject().value(u"accessToken"_s).toString();
    }
    return m_token;
}

QStringList TestSimServer::imeis(int count) const
{
    QStringList list;
    for (int i = 0; i < count; ++i)
        list << imei(i);
    return list;
}

int TestSimServer::firstDashcam(bool mustHaveTripsOn, const QDate &day) const
{
    const Fleet::Sim::SimFleet &fleet = m_server->fleet();
    const QDateTime now = m_server->fleetNow();
    for (int i = 0; i < fleet.size(); ++i) {
        if (!fleet.device(i).dashcam || !fleet.isOnline(i, now))
            continue;
        if (mustHaveTripsOn) {
            const QDateTime start(day, QTime(0, 0), QTimeZone::utc());
            if (fleet.trips(i, start, start.addDays(1)).isEmpty())
                continue;
        }
        return i;
    }
    return -1;
}

QByteArray TestSimServer::rawRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body,
                                     const QByteArray &extraHeaders) const
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders;
    if (!body.isEmpty() || method == "POST") {
        out += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n";
    }
    return out + "\r\n" + body;
}

void TestSimServer::restartServer(const SimServerConfig &config)
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_server.reset();
    m_config = config;
    m_server = std::make_unique<SimServer>(m_config, m_clock.get());
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0) != 0);
    m_token.clear();
}

void TestSimServer::tokenGetAnswersTheDocumentedShape()
{
    const QJsonObject answer = tokenGet(3600);
    QCOMPARE(answer.value(u"code"_s).toInt(-99), 0);
    const QJsonObject result = answer.value(u"result"_s).toObject();
    static const QRegularExpression hex32(u"^[0-9a-f]{32}$"_s);
    QVERIFY(hex32.match(result.value(u"accessToken"_s).toString()).hasMatch());
    QVERIFY(hex32.match(result.value(u"refreshToken"_s).toString()).hasMatch());
    QVERIFY(result.value(u"expiresIn"_s).isDouble());
    QCOMPARE(result.value(u"expiresIn"_s).toInt(), 3600);
    QCOMPARE(result.value(u"account"_s).toString(), m_config.userId);
    QCOMPARE(result.value(u"appKey"_s).toString(), m_config.appKey);
    QCOMPARE(result.value(u"time"_s).toString(), u"2026-03-16 14:30:00"_s);
    QCOMPARE(m_server->tokensIssued(), 1);
}

void TestSimServer::tokenGetTwiceWithinAMinuteIs1006()
{
    QCOMPARE(tokenGet().value(u"code"_s).toInt(), 0);
    m_clock->advanceSecs(59);
    const QJsonObject again = tokenGet();
    QCOMPARE(again.value(u"code"_s).toInt(), 1006);
    QCOMPARE(again.value(u"message"_s).toString(), u"Too frequent, please try again later"_s);
    QCOMPARE(m_server->tokensIssued(), 1);
    m_clock->advanceSecs(1);
    QCOMPARE(tokenGet().value(u"code"_s).toInt(), 0);
    QCOMPARE(m_server->tokensIssued(), 2);
}

void TestSimServer::tokenGetWithWrongPasswordIsRejected()
{
    ApiParams params = common(u"jimi.oauth.token.get"_s);
    params.insert(u"user_id"_s, m_config.userId);
    params.insert(u"user_pwd_md5"_s, u"21218cca77804d2ba1922c33e0151105"_s);
    params.insert(u"expires_in"_s, u"7200"_s);
    const QJsonObject answer = signedCall(params);
    QCOMPARE(answer.value(u"code"_s).toInt(), 1002);
    QCOMPARE(answer.value(u"message"_s).toString(), u"Incorrect user name or password"_s);

    // The MD5 is compared case-insensitively.
    params.insert(u"user_pwd_md5"_s, m_server->passwordMd5().toUpper());
    params.insert(u"timestamp"_s, Fleet::ApiTime::format(m_clock->nowUtc()));
    QCOMPARE(signedCall(params).value(u"code"_s).toInt(), 0);
}

void TestSimServer::tokenMethodsRequireExpiresIn()
{
    ApiParams get = common(u"jimi.oauth.token.get"_s);
    get.insert(u"user_id"_s, m_config.userId);
    get.insert(u"user_pwd_md5"_s, m_server->passwordMd5());
    const QJsonObject noLifetime = signedCall(get);
    QCOMPARE(noLifetime.value(u"code"_s).toInt(), 1001);
    QVERIFY(noLifetime.value(u"message"_s).toString().contains(u"expires_in"_s));
    QCOMPARE(m_server->tokensIssued(), 0);

    const QJsonObject issued = tokenGet().value(u"result"_s).toObject();
    ApiParams refresh = common(u"jimi.oauth.token.refresh"_s);
    refresh.insert(u"access_token"_s, issued.value(u"accessToken"_s).toString());
    refresh.insert(u"refresh_token"_s, issued.value(u"refreshToken"_s).toString());
    QCOMPARE(signedCall(refresh).value(u"code"_s).toInt(), 1001);
    refresh.insert(u"expires_in"_s, u"abc"_s);
    QCOMPARE(signedCall(refresh).value(u"code"_s).toInt(), 1001);
}

void TestSimServer::secondTokenGetLeavesTheFirstTokenValid()
{
    // Several workstations share one account: each token.get must not log
    // the others out.
    const QString first = tokenGet(600).value(u"result"_s).toObject().value(u"accessToken"_s).toString();
    QVERIFY(!first.isEmpty());
    m_clock->advanceSecs(61);
    const QString second = tokenGet(7200).value(u"result"_s).toObject().value(u"accessToken"_s).toString();
    QVERIFY(!second.isEmpty());
    QVERIFY(second != first);
    const ApiParams list{{u"target"_s, m_config.userId}};
    const auto codeWith = [&](const QString &accessToken) {
        ApiParams p = list;
        p.insert(u"access_token"_s, accessToken);
        return call(u"jimi.user.device.list"_s, p).value(u"code"_s).toInt();
    };
    QCOMPARE(codeWith(first), 0);
    QCOMPARE(codeWith(second), 0);
    // The first one still ends at its own expiry.
    m_clock->advanceSecs(600 - 61);
    QCOMPARE(codeWith(first), 1004);
    QCOMPARE(codeWith(second), 0);
}

void TestSimServer::revokeOnIssueInvalidatesThePreviousToken()
{
    SimServerConfig config = m_config;
    config.revokeTokensOnIssue = true;
    restartServer(config);
    const QString first = token();
    m_clock->advanceSecs(61);
    m_token.clear();
    const QString second = token();
    QVERIFY(second != first);
    const QJsonObject old = call(u"jimi.user.device.list"_s,
                                 {{u"target"_s, m_config.userId}, {u"access_token"_s, first}});
    QCOMPARE(old.value(u"code"_s).toInt(), 1004);
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), 0);
}

void TestSimServer::wrongSignIsRejected()
{
    ApiParams params = common(u"jimi.user.device.list"_s);
    params.insert(u"target"_s, m_config.userId);
    params.insert(u"access_token"_s, token());
    params.insert(u"sign"_s, Fleet::ApiSigner::sign(params, u"not-the-secret"_s));
    HttpResult r = postForm(m_server->baseUrl(), Fleet::FormCodec::encode(params));
    QVERIFY(r.finished);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"code"_s).toInt(), 1001);
    QCOMPARE(r.json.value(u"message"_s).toString(), u"Illegal sign"_s);

    // A lower-case signature is not the official signer's output either.
    params.insert(u"sign"_s, Fleet::ApiSigner::sign(params, m_config.appSecret).toLower());
    QCOMPARE(postForm(m_server->baseUrl(), Fleet::FormCodec::encode(params)).json.value(u"code"_s).toInt(), 1001);

    // A parameter changed after signing.
    params.insert(u"sign"_s, Fleet::ApiSigner::sign(params, m_config.appSecret));
    params.insert(u"target"_s, u"someone-else"_s);
    QCOMPARE(postForm(m_server->baseUrl(), Fleet::FormCodec::encode(params)).json.value(u"message"_s).toString(),
             u"Illegal sign"_s);
}

void TestSimServer::staleTimestampIsRejected()
{
    const QString accessToken = token();
    for (int minutes : {-11, 11}) {
        ApiParams params = common(u"jimi.user.device.list"_s);
        params.insert(u"target"_s, m_config.userId);
        params.insert(u"access_token"_s, accessToken);
        params.insert(u"timestamp"_s, Fleet::ApiTime::format(m_clock->nowUtc().addSecs(minutes * 60)));
        const QJsonObject answer = signedCall(params);
        QCOMPARE(answer.value(u"code"_s).toInt(), 1001);
        QVERIFY2(answer.value(u"message"_s).toString().contains(u"timestamp"_s),
                 qPrintable(answer.value(u"message"_s).toString()));
    }
    // Nine minutes off is tolerated; an ISO timestamp is not the API format.
    ApiParams params = common(u"jimi.user.device.list"_s);
    params.insert(u"target"_s, m_config.userId);
    params.insert(u"access_token"_s, accessToken);
    params.insert(u"timestamp"_s, Fleet::ApiTime::format(m_clock->nowUtc().addSecs(-9 * 60)));
    QCOMPARE(signedCall(params).value(u"code"_s).toInt(), 0);
    params.insert(u"timestamp"_s, m_clock->nowUtc().toString(Qt::ISODate));
    QCOMPARE(signedCall(params).value(u"code"_s).toInt(), 1001);
}

void TestSimServer::missingCommonParameterIs1001()
{
    for (const QString &key : {u"method"_s, u"app_key"_s, u"timestamp"_s, u"sign_method"_s, u"v"_s, u"format"_s}) {
        ApiParams params = common(u"jimi.oauth.token.get"_s);
        params.insert(u"user_id"_s, m_config.userId);
        params.insert(u"user_pwd_md5"_s, m_server->passwordMd5());
        params.remove(key);
        const QJsonObject answer = signedCall(params);
        QCOMPARE(answer.value(u"code"_s).toInt(), 1001);
        QVERIFY2(answer.value(u"message"_s).toString().contains(key),
                 qPrintable(answer.value(u"message"_s).toString()));
    }
    ApiParams params = common(u"jimi.oauth.token.get"_s);
    const QJsonObject unsignedAnswer = postForm(m_server->baseUrl(), Fleet::FormCodec::encode(params)).json;
    QCOMPARE(unsignedAnswer.value(u"code"_s).toInt(), 1001);
    QVERIFY(unsignedAnswer.value(u"message"_s).toString().contains(u"sign"_s));

    // A form that does not decode, and a repeated parameter.
    QCOMPARE(postForm(m_server->baseUrl(), "method=%zz").json.value(u"code"_s).toInt(), 1001);
    QCOMPARE(postForm(m_server->baseUrl(), "v=1.0&v=0.9").json.value(u"code"_s).toInt(), 1001);
    // A missing private parameter.
    QCOMPARE(call(u"jimi.user.device.list"_s).value(u"code"_s).toInt(), 1001);
}

void TestSimServer::unknownMethodIsRejected()
{
    const QJsonObject answer = call(u"jimi.no.such.method"_s);
    QCOMPARE(answer.value(u"code"_s).toInt(), 1001);
    QCOMPARE(answer.value(u"message"_s).toString(), u"Invalid method"_s);
}

void TestSimServer::unknownAppKeyIs1002()
{
    ApiParams params = common(u"jimi.oauth.token.get"_s);
    params.insert(u"app_key"_s, u"8FB345B8693CCD00CE073CAB5F094009339A22A4105B6558"_s);
    params.insert(u"user_id"_s, m_config.userId);
    params.insert(u"user_pwd_md5"_s, m_server->passwordMd5());
    QCOMPARE(signedCall(params).value(u"code"_s).toInt(), 1002);
}

void TestSimServer::version09SkipsTheSignCheck()
{
    ApiParams params = common(u"jimi.oauth.token.get"_s);
    params.insert(u"v"_s, u"0.9"_s);
    params.insert(u"user_id"_s, m_config.userId);
    params.insert(u"user_pwd_md5"_s, m_server->passwordMd5());
    params.insert(u"expires_in"_s, u"7200"_s);
    const QJsonObject noSign = postForm(m_server->baseUrl(), Fleet::FormCodec::encode(params)).json;
    QCOMPARE(noSign.value(u"code"_s).toInt(), 0);
    const QString accessToken = noSign.value(u"result"_s).toObject().value(u"accessToken"_s).toString();

    ApiParams list = common(u"jimi.user.device.list"_s);
    list.insert(u"v"_s, u"0.9"_s);
    list.insert(u"target"_s, m_config.userId);
    list.insert(u"access_token"_s, accessToken);
    list.insert(u"sign"_s, u"GARBAGE"_s);
    QCOMPARE(postForm(m_server->baseUrl(), Fleet::FormCodec::encode(list)).json.value(u"code"_s).toInt(), 0);

    // Other versions are refused.
    list.insert(u"v"_s, u"2.0"_s);
    QCOMPARE(postForm(m_server->baseUrl(), Fleet::FormCodec::encode(list)).json.value(u"code"_s).toInt(), 1001);
}

void TestSimServer::expiredTokenIs1004()
{
    const QJsonObject answer = tokenGet(30); // clamped to the 60 s minimum
    QCOMPARE(answer.value(u"result"_s).toObject().value(u"expiresIn"_s).toInt(), 60);
    m_token = answer.value(u"result"_s).toObject().value(u"accessToken"_s).toString();
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), 0);
    m_clock->advanceSecs(61);
    const QJsonObject expired = call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}});
    QCOMPARE(expired.value(u"code"_s).toInt(), 1004);
    QCOMPARE(expired.value(u"message"_s).toString(), u"Illegal access, token exception!"_s);
    // No token at all is the same token exception.
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}, {u"access_token"_s, QString()}})
                 .value(u"code"_s)
                 .toInt(),
             1004);
}

void TestSimServer::refreshIssuesANewTokenAndInvalidatesTheOld()
{
    const QJsonObject first = tokenGet().value(u"result"_s).toObject();
    const QString oldAccess = first.value(u"accessToken"_s).toString();
    ApiParams params = common(u"jimi.oauth.token.refresh"_s);
    params.insert(u"access_token"_s, oldAccess);
    params.insert(u"refresh_token"_s, first.value(u"refreshToken"_s).toString());
    params.insert(u"expires_in"_s, u"7200"_s);
    const QJsonObject refreshed = signedCall(params);
    QCOMPARE(refreshed.value(u"code"_s).toInt(), 0);
    const QString newAccess = refreshed.value(u"result"_s).toObject().value(u"accessToken"_s).toString();
    QVERIFY(!newAccess.isEmpty());
    QVERIFY(newAccess != oldAccess);

    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}, {u"access_token"_s, oldAccess}})
                 .value(u"code"_s)
                 .toInt(),
             1004);
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}, {u"access_token"_s, newAccess}})
                 .value(u"code"_s)
                 .toInt(),
             0);

    // The old pair cannot be refreshed twice.
    params.insert(u"timestamp"_s, Fleet::ApiTime::format(m_clock->nowUtc()));
    const QJsonObject again = signedCall(params);
    QCOMPARE(again.value(u"code"_s).toInt(), 1004);
    QCOMPARE(again.value(u"message"_s).toString(), u"Illegal request\uff0ctoken is invalid"_s);
}

void TestSimServer::refreshTokenOutlivesTheAccessTokenByADay()
{
    QJsonObject current = tokenGet(3600).value(u"result"_s).toObject();
    const auto refresh = [this](const QJsonObject &t) {
        ApiParams params = common(u"jimi.oauth.token.refresh"_s);
        params.insert(u"access_token"_s, t.value(u"accessToken"_s).toString());
        params.insert(u"refresh_token"_s, t.value(u"refreshToken"_s).toString());
        params.insert(u"expires_in"_s, u"7200"_s);
        return signedCall(params);
    };
    m_clock->advanceSecs(3600 + 23 * 3600); // expired, but within the day of grace
    const QJsonObject ok = refresh(current);
    QCOMPARE(ok.value(u"code"_s).toInt(), 0);
    current = ok.value(u"result"_s).toObject();
    QCOMPARE(current.value(u"expiresIn"_s).toInt(), 7200);
    m_clock->advanceSecs(7200 + 24 * 3600 + 1);
    QCOMPARE(refresh(current).value(u"code"_s).toInt(), 1004);
}

void TestSimServer::getOnRouteRestIs1007()
{
    const HttpResult r = get(m_server->baseUrl());
    QVERIFY(r.finished);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"code"_s).toInt(), 1007);
    QCOMPARE(r.json.value(u"message"_s).toString(), u"Wrong request method"_s);
}

void TestSimServer::unknownPathIs404()
{
    QUrl url = m_server->baseUrl();
    url.setPath(u"/no/such/path"_s);
    const HttpResult r = get(url);
    QVERIFY(r.finished);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json.value(u"code"_s).toInt(), 404);
    QCOMPARE(postForm(url, "a=b").status, 404);
}

void TestSimServer::deviceListChecksTheTarget()
{
    const QJsonObject answer = call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}});
    QCOMPARE(answer.value(u"code"_s).toInt(), 0);
    const QJsonArray rows = answer.value(u"result"_s).toArray();
    QCOMPARE(rows.size(), 60);
    const QJsonObject first = rows.first().toObject();
    QCOMPARE(first.value(u"imei"_s).toString(), imei(0));
    QVERIFY(first.value(u"enabledFlag"_s).isDouble());
    QVERIFY(first.contains(u"deviceGroupId"_s));

    const QJsonObject other = call(u"jimi.user.device.list"_s, {{u"target"_s, u"nobody"_s}});
    QCOMPARE(other.value(u"code"_s).toInt(), 1001);
    QCOMPARE(other.value(u"message"_s).toString(), u"Account queried doesn\u2019t exist"_s);
}

void TestSimServer::unknownImeiIsIllegalDevice()
{
    const QJsonObject answer = call(u"jimi.device.location.get"_s, {{u"imeis"_s, u"000000000000000"_s}});
    QCOMPARE(answer.value(u"code"_s).toInt(), 1002);
    QCOMPARE(answer.value(u"message"_s).toString(), u"Illegal device"_s);
    const QJsonObject track = call(u"jimi.device.track.list"_s,
                                   {{u"imei"_s, u"000000000000000"_s},
                                    {u"begin_time"_s, u"2026-03-16 10:00:00"_s},
                                    {u"end_time"_s, u"2026-03-16 11:00:00"_s}});
    QCOMPARE(track.value(u"message"_s).toString(), u"IMEI does not exist{000000000000000}"_s);
}

void TestSimServer::moreThan50ImeisIs1001_data()
{
    QTest::addColumn<QString>("method");
    QTest::newRow("track.mileage") << u"jimi.device.track.mileage"_s;
    QTest::newRow("alarm.list") << u"jimi.device.alarm.list"_s;
    QTest::newRow("report.parking") << u"jimi.open.platform.report.parking"_s;
    QTest::newRow("location.get") << u"jimi.device.location.get"_s;
    QTest::newRow("media.event.URL") << u"jimi.device.media.event.URL"_s;
}

void TestSimServer::moreThan50ImeisIs1001()
{
    QFETCH(QString, method);
    // Every method gets the parameters any of them needs; each reads its own.
    ApiParams params{
        {u"account"_s, m_config.userId},
        {u"begin_time"_s, u"2026-03-15 00:00:00"_s},
        {u"start_time"_s, u"2026-03-15 00:00:00"_s},
        {u"end_time"_s, u"2026-03-16 00:00:00"_s},
        {u"start_row"_s, u"0"_s},
        {u"page_size"_s, u"50"_s},
        {u"acc_type"_s, u"0"_s},
    };
    params.insert(u"imeis"_s, imeis(51).join(u','));
    QCOMPARE(call(method, params).value(u"code"_s).toInt(), 1001);
    // Counted as sent: 50 devices and one of them twice are 51.
    params.insert(u"imeis"_s, (imeis(50) << imei(0)).join(u','));
    QCOMPARE(call(method, params).value(u"code"_s).toInt(), 1001);
    params.insert(u"imeis"_s, imeis(50).join(u','));
    QCOMPARE(call(method, params).value(u"code"_s).toInt(), 0);
}

void TestSimServer::alarmRangeOverAMonthIs1001()
{
    ApiParams params{{u"imeis"_s, imei(0)},
                     {u"begin_time"_s, u"2026-02-10 00:00:00"_s},
                     {u"end_time"_s, u"2026-03-10 00:00:01"_s}};
    const QJsonObject tooLong = call(u"jimi.device.alarm.list"_s, params);
    QCOMPARE(tooLong.value(u"code"_s).toInt(), 1001);
    params.insert(u"end_time"_s, u"2026-03-10 00:00:00"_s);
    QCOMPARE(call(u"jimi.device.alarm.list"_s, params).value(u"code"_s).toInt(), 0);
    params.insert(u"page_size"_s, u"101"_s);
    QCOMPARE(call(u"jimi.device.alarm.list"_s, params).value(u"code"_s).toInt(), 1001);
    params.insert(u"page_size"_s, u"10"_s);
    params.insert(u"page_no"_s, u"0"_s);
    QCOMPARE(call(u"jimi.device.alarm.list"_s, params).value(u"code"_s).toInt(), 1001);
}

void TestSimServer::alarmListPages()
{
    const QString all = imeis(50).join(u',');
    const QDateTime begin = kStart.addDays(-20);
    const QDateTime end = kStart.addDays(-1);
    int expected = 0;
    for (int i = 0; i < 50; ++i)
        expected += int(m_server->fleet().alarms(i, begin, end).size());
    QVERIFY2(expected > 0, "the fleet raises alarms");

    QSet<QString> seen;
    int total = 0;
    for (int page = 1; page <= 20; ++page) {
        const QJsonObject answer = call(u"jimi.device.alarm.list"_s,
                                        {{u"imeis"_s, all},
                                         {u"begin_time"_s, Fleet::ApiTime::format(begin)},
                                         {u"end_time"_s, Fleet::ApiTime::format(end)},
                                         {u"page_no"_s, QString::number(page)},
                                         {u"page_size"_s, u"100"_s}});
        QCOMPARE(answer.value(u"code"_s).toInt(), 0);
        const QJsonArray rows = answer.value(u"result"_s).toArray();
        for (const QJsonValue v : rows) {
            const QJsonObject row = v.toObject();
            QVERIFY(row.value(u"speed"_s).isString());
            QVERIFY(row.value(u"lat"_s).isDouble());
            QVERIFY(!row.value(u"alertTypeId"_s).toString().isEmpty());
            seen.insert(row.value(u"imei"_s).toString() + row.value(u"alertTime"_s).toString()
                        + row.value(u"alertTypeId"_s).toString());
        }
        total += int(rows.size());
        if (rows.size() < 100)
            break;
    }
    // Every alarm once, capped at 1000 rows per query.
    QCOMPARE(total, qMin(expected, 1000));
}

void TestSimServer::parkingWithoutAccTypeHasNoRows()
{
    const QJsonObject answer = call(u"jimi.open.platform.report.parking"_s,
                                    {{u"account"_s, m_config.userId},
                                     {u"imeis"_s, imeis(10).join(u',')},
                                     {u"start_time"_s, u"2026-03-10 00:00:00"_s},
                                     {u"end_time"_s, u"2026-03-16 00:00:00"_s},
                                     {u"start_row"_s, u"0"_s},
                                     {u"page_size"_s, u"100"_s}});
    QCOMPARE(answer.value(u"code"_s).toInt(), 0);
    QVERIFY(answer.value(u"result"_s).isNull());
    const QJsonObject data = answer.value(u"data"_s).toObject();
    QCOMPARE(data.value(u"dataTotalRows"_s).toString(), u"0"_s);
    QCOMPARE(data.value(u"rows"_s).toArray().size(), 0);
}

void TestSimServer::parkingMatchesTheGroundTruth()
{
    const QDateTime begin(QDate(2026, 3, 10), QTime(0, 0), QTimeZone::utc());
    const QDateTime end(QDate(2026, 3, 12), QTime(0, 0), QTimeZone::utc());
    int parked = 0;
    int idled = 0;
    for (const Fleet::Sim::SimStop &s : m_server->fleet().stops(3, begin, end))
        (s.accOn ? idled : parked) += 1;
    const auto rowsFor = [&](const QString &accType) {
        const QJsonObject answer = call(u"jimi.open.platform.report.parking"_s,
                                        {{u"account"_s, m_config.userId},
                                         {u"imeis"_s, imei(3)},
                                         {u"start_time"_s, Fleet::ApiTime::format(begin)},
                                         {u"end_time"_s, Fleet::ApiTime::format(end)},
                                         {u"start_row"_s, u"0"_s},
                                         {u"page_size"_s, u"100"_s},
                                         {u"acc_type"_s, accType}});
        return answer.value(u"data"_s).toObject();
    };
    const QJsonObject all = rowsFor(u"0"_s);
    QCOMPARE(all.value(u"dataTotalRows"_s).toString().toInt(), parked + idled);
    QCOMPARE(rowsFor(u"off"_s).value(u"dataTotalRows"_s).toString().toInt(), parked);
    QCOMPARE(rowsFor(u"1"_s).value(u"dataTotalRows"_s).toString().toInt(), parked);
    QCOMPARE(rowsFor(u"on"_s).value(u"dataTotalRows"_s).toString().toInt(), idled);
    const QJsonArray rows = all.value(u"rows"_s).toArray();
    if (!rows.isEmpty()) {
        const QJsonObject row = rows.first().toObject();
        static const QRegularExpression iso(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z$"_s);
        QVERIFY(iso.match(row.value(u"startTime"_s).toString()).hasMatch());
        QVERIFY(row.value(u"durSecond"_s).isString());
        QVERIFY(row.value(u"stopSecond"_s).isString());
        QVERIFY(row.value(u"acc"_s).toString() == u"on"_s || row.value(u"acc"_s).toString() == u"off"_s);
    }
}

void TestSimServer::locationListOmitsNeverFixedAndZeroesExpired()
{
    const QJsonObject answer = call(u"jimi.user.device.location.list"_s, {{u"target"_s, m_config.userId}});
    QCOMPARE(answer.value(u"code"_s).toInt(), 0);
    QHash<QString, QJsonObject> byImei;
    for (const QJsonValue v : answer.value(u"result"_s).toArray())
        byImei.insert(v.toObject().value(u"imei"_s).toString(), v.toObject());

    const Fleet::Sim::SimFleet &fleet = m_server->fleet();
    const QDateTime now = m_server->fleetNow();
    int neverFixed = 0;
    int expired = 0;
    for (int i = 0; i < fleet.size(); ++i) {
        const Fleet::Sim::SimDevice &d = fleet.device(i);
        const bool hasFix = fleet.lastFix(i, now).has_value();
        QCOMPARE(byImei.contains(d.imei), hasFix);
        if (!hasFix) {
            neverFixed += d.neverFixed ? 1 : 0;
            continue;
        }
        const QJsonObject row = byImei.value(d.imei);
        QVERIFY(row.value(u"speed"_s).isString());
        QVERIFY(row.value(u"gpsNum"_s).isString());
        QVERIFY(row.value(u"direction"_s).isString());
        QVERIFY(row.value(u"locDesc"_s).isNull());
        QCOMPARE(row.value(u"posType"_s).toString(), u"GPS"_s);
        QCOMPARE(row.value(u"status"_s).toString(), fleet.isOnline(i, now) ? u"1"_s : u"0"_s);
        if (d.expired) {
            ++expired;
            QCOMPARE(row.value(u"lat"_s).toDouble(), 0.0);
            QCOMPARE(row.value(u"lng"_s).toDouble(), 0.0);
            QCOMPARE(row.value(u"expireFlag"_s).toString(), u"0"_s);
        } else {
            QVERIFY(row.value(u"lat"_s).toDouble() != 0.0);
            QCOMPARE(row.value(u"expireFlag"_s).toString(), u"1"_s);
        }
    }
    QVERIFY2(neverFixed > 0, "the fleet has devices that never had a fix");
    QVERIFY2(expired > 0, "the fleet has expired devices with a fix");
}

void TestSimServer::trackListLimits()
{
    int index = 0;
    while (m_server->fleet().device(index).expired || m_server->fleet().device(index).neverFixed)
        ++index;
    const auto track = [&](const QString &begin, const QString &end) {
        return call(u"jimi.device.track.list"_s,
                    {{u"imei"_s, imei(index)}, {u"begin_time"_s, begin}, {u"end_time"_s, end}});
    };
    QCOMPARE(track(u"2026-03-01 00:00:00"_s, u"2026-03-08 00:00:01"_s).value(u"code"_s).toInt(), 1001);
    QCOMPARE(track(u"2026-03-16 14:00:00"_s, u"2026-03-16 15:00:00"_s).value(u"code"_s).toInt(), 1001);
    const QJsonObject ok = track(u"2026-03-16 06:00:00"_s, u"2026-03-16 14:00:00"_s);
    QCOMPARE(ok.value(u"code"_s).toInt(), 0);
    const QJsonArray points = ok.value(u"result"_s).toArray();
    const QDateTime from(QDate(2026, 3, 16), QTime(6, 0), QTimeZone::utc());
    const QDateTime to(QDate(2026, 3, 16), QTime(14, 0), QTimeZone::utc());
    QCOMPARE(points.size(), m_server->fleet().fixes(index, from, to).size());
    QVERIFY(ok.value(u"data"_s).toObject().contains(u"mileage"_s));
    if (!points.isEmpty()) {
        const QJsonObject p = points.first().toObject();
        QCOMPARE(p.value(u"posType"_s).toInt(), 1);
        QVERIFY(p.value(u"ignition"_s).toString() == u"ON"_s || p.value(u"ignition"_s).toString() == u"OFF"_s);
        QVERIFY(p.value(u"gpsSpeed"_s).isDouble());
    }
}

void TestSimServer::trackMileageMatchesTheGroundTruth()
{
    const QDateTime begin(QDate(2026, 3, 9), QTime(0, 0), QTimeZone::utc());
    const QDateTime end(QDate(2026, 3, 12), QTime(0, 0), QTimeZone::utc());
    int expected = 0;
    for (int i = 0; i < 5; ++i)
        expected += int(m_server->fleet().trips(i, begin, end).size());
    int total = 0;
    for (int startRow = 0; startRow < 2000; startRow += 20) {
        const QJsonObject answer = call(u"jimi.device.track.mileage"_s,
                                        {{u"imeis"_s, imeis(5).join(u',')},
                                         {u"begin_time"_s, Fleet::ApiTime::format(begin)},
                                         {u"end_time"_s, Fleet::ApiTime::format(end)},
                                         {u"start_row"_s, QString::number(startRow)},
                                         {u"page_size"_s, u"20"_s}});
        QCOMPARE(answer.value(u"code"_s).toInt(), 0);
        QCOMPARE(answer.value(u"data"_s).toArray().size(), 5);
        const QJsonArray rows = answer.value(u"result"_s).toArray();
        for (const QJsonValue v : rows)
            QVERIFY(v.toObject().value(u"distance"_s).isDouble());
        total += int(rows.size());
        if (rows.size() < 20)
            break;
    }
    QCOMPARE(total, expected);
}

int TestSimServer::onlineDevice(const std::function<bool(const Fleet::Sim::SimDevice &)> &fits) const
{
    const QDateTime now = m_server->fleetNow();
    for (int i = 0; i < m_server->fleet().size(); ++i) {
        if (m_server->fleet().isOnline(i, now) && fits(m_server->fleet().device(i)))
            return i;
    }
    return -1;
}

void TestSimServer::commandsAreExecutedAndReported()
{
    // A GT06-family tracker that answers within seconds.
    const int online = onlineDevice([](const Fleet::Sim::SimDevice &d) {
        return !d.dashcam && !d.model.startsWith(u"VL"_s) && d.index % 8 != 5;
    });
    QVERIFY(online >= 0);
    const QJsonObject list = call(u"jimi.open.instruction.list"_s, {{u"imei"_s, imei(online)}});
    bool has163 = false;
    for (const QJsonValue v : list.value(u"result"_s).toArray())
        has163 = has163
            || (v.toObject().value(u"id"_s).toInt() == 163
                && v.toObject().value(u"orderContent"_s).toString() == u"RELAY,{0}#"_s);
    QVERIFY(has163);

    const QString json =
        u"{\"inst_id\":\"163\",\"inst_template\":\"RELAY,{0}#\",\"params\":[\"1\"],\"is_cover\":\"true\"}"_s;
    const QJsonObject sent = call(u"jimi.open.instruction.send"_s,
                                  {{u"imei"_s, imei(online)}, {u"inst_param_json"_s, json}});
    QCOMPARE(sent.value(u"code"_s).toInt(), 0);
    QCOMPARE(call(u"jimi.open.instruction.send"_s, {{u"imei"_s, imei(online)}, {u"inst_param_json"_s, u"RELAY,1#"_s}})
                 .value(u"code"_s)
                 .toInt(),
             1001);

    const auto results = [&] {
        return call(u"jimi.open.instruction.result"_s, {{u"imei"_s, imei(online)}}).value(u"result"_s).toArray();
    };
    // The cloud's list lags a minute behind.
    QCOMPARE(results().size(), 0);
    m_clock->advanceSecs(m_config.commandResultLagSecs + 1);
    QCOMPARE(results().size(), 1);
    const QJsonObject r = results().first().toObject();
    QCOMPARE(r.value(u"code"_s).toString(), u"RELAY,1#"_s);
    QCOMPARE(r.value(u"isExecute"_s).toString(), u"1"_s);
    QCOMPARE(r.value(u"content"_s).toString(), u"Cut off the fuel supply: Success!"_s);
}

void TestSimServer::commandListsDifferByModelAndLateAnswers()
{
    const auto ids = [&](int index) {
        QList<int> out;
        for (const QJsonValue v :
             call(u"jimi.open.instruction.list"_s, {{u"imei"_s, imei(index)}}).value(u"result"_s).toArray())
            out.append(v.toObject().value(u"id"_s).toInt());
        return out;
    };
    const int vl = onlineDevice([](const Fleet::Sim::SimDevice &d) { return d.model.startsWith(u"VL"_s); });
    const int dvr = onlineDevice([](const Fleet::Sim::SimDevice &d) { return d.dashcam; });
    QVERIFY(vl >= 0 && dvr >= 0);
    QVERIFY(ids(vl).contains(96) && ids(vl).contains(113) && !ids(vl).contains(99));
    QVERIFY(!ids(dvr).contains(99) && !ids(dvr).contains(96) && !ids(dvr).contains(163));

    // A device that answers minutes later: listed as waiting until then.
    const int late = onlineDevice([](const Fleet::Sim::SimDevice &d) {
        return !d.dashcam && !d.model.startsWith(u"VL"_s) && d.index % 8 == 5;
    });
    QVERIFY2(late >= 0, "the seeded fleet has a slow device online");
    const QString where = u"{\"inst_id\":\"15\",\"inst_template\":\"WHERE#\",\"params\":[],\"is_cover\":\"true\"}"_s;
    QCOMPARE(call(u"jimi.open.instruction.send"_s, {{u"imei"_s, imei(late)}, {u"inst_param_json"_s, where}})
                 .value(u"code"_s)
                 .toInt(),
             0);
    const auto first = [&] {
        return call(u"jimi.open.instruction.result"_s, {{u"imei"_s, imei(late)}})
            .value(u"result"_s)
            .toArray()
            .first()
            .toObject();
    };
    m_clock->advanceSecs(m_config.commandResultLagSecs + 1);
    QCOMPARE(first().value(u"isExecute"_s).toString(), u"3"_s);
    QCOMPARE(first().value(u"isOffLine"_s).toString(), u"0"_s);
    QCOMPARE(first().value(u"content"_s).toString(), QString());
    m_clock->advanceSecs(240);
    QCOMPARE(first().value(u"isExecute"_s).toString(), u"1"_s);
    QVERIFY(first().value(u"content"_s).toString().startsWith(u"Current position!"_s));
}

void TestSimServer::platformFenceNamesAreUnique()
{
    const ApiParams fence{{u"account"_s, m_config.userId},
                          {u"fence_name"_s, u"Depot"_s},
                          {u"fence_type"_s, u"circle"_s},
                          {u"geom"_s, u"48.8566,2.3522"_s},
                          {u"radius"_s, u"500"_s}};
    const QJsonObject created = call(u"jimi.open.platform.fence.create"_s, fence);
    QCOMPARE(created.value(u"code"_s).toInt(), 0);
    const QString id = created.value(u"data"_s).toString();
    QCOMPARE(id.size(), 32);
    const QJsonObject duplicate = call(u"jimi.open.platform.fence.create"_s, fence);
    QCOMPARE(duplicate.value(u"code"_s).toInt(), 1114);
    QCOMPARE(duplicate.value(u"message"_s).toString(), u"That name already exists "_s);
    const QJsonObject bound =
        call(u"jimi.open.platform.fence.bind"_s,
             {{u"fence_id"_s, id}, {u"imeis"_s, imeis(3).join(u',')}, {u"alert_type"_s, u"in,out"_s}});
    QCOMPARE(bound.value(u"data"_s).toString(), u"3"_s);
    QCOMPARE(call(u"jimi.open.platform.fence.delete"_s, {{u"account"_s, m_config.userId}, {u"fence_id"_s, id}})
                 .value(u"code"_s)
                 .toInt(),
             0);
    QCOMPARE(call(u"jimi.open.platform.fence.delete"_s, {{u"account"_s, m_config.userId}, {u"fence_id"_s, id}})
                 .value(u"code"_s)
                 .toInt(),
             1100);
}

void TestSimServer::historyListIsNotReadyAtFirst()
{
    const Fleet::Sim::SimFleet &fleet = m_server->fleet();
    int tracker = -1;
    for (int i = 0; i < fleet.size() && tracker < 0; ++i) {
        if (!fleet.device(i).dashcam)
            tracker = i;
    }
    QVERIFY2(tracker >= 0, "the seeded fleet has plain trackers");
    const QJsonObject notDvr =
        call(u"jimi.device.media.live.stream"_s,
             {{u"imei"_s, imei(tracker)}, {u"channel"_s, u"1"_s}, {u"appId"_s, u"W1g3vp27z06a486"_s}});
    QCOMPARE(notDvr.value(u"code"_s).toInt(), 243);

    // The seeded fleet has an online dashcam that drove on Friday 13 March.
    const QDate day(2026, 3, 13);
    const int dvr = firstDashcam(true, day);
    QVERIFY2(dvr >= 0, "the seeded fleet has an online dashcam with trips on 2026-03-13");
    const bool concox = fleet.device(dvr).model.startsWith(u"JC400"_s)
        || fleet.device(dvr).model.startsWith(u"JC261"_s);
    const int channel = concox ? 0 : 1;
    const QJsonObject live =
        call(u"jimi.device.media.live.stream"_s,
             {{u"imei"_s, imei(dvr)}, {u"channel"_s, QString::number(channel)}, {u"appId"_s, u"W1g3vp27z06a486"_s}});
    QCOMPARE(live.value(u"code"_s).toInt(), 0);
    const QString url = live.value(u"result"_s).toString();
    QVERIFY2(url.startsWith(u"http://127.0.0.1:"_s) && url.contains(u".flv"_s), qPrintable(url));
    // Served by the media server on a port of its own (tst_simstreamserver plays it).
    QVERIFY(QUrl(url).port() != m_server->serverPort());

    const ApiParams cmd{{u"imei"_s, imei(dvr)},
                        {u"channel"_s, QString::number(channel)},
                        {u"dateTime"_s, day.toString(Qt::ISODate)},
                        {u"instructionId"_s, u"0f8fad5b-d9cb-469f-a165-70867728950e"_s},
                        {u"appId"_s, u"W1g3vp27z06a486"_s}};
    QCOMPARE(call(u"jimi.device.media.history.list.cmd"_s, cmd).value(u"code"_s).toInt(), 0);
    const ApiParams get{{u"instructionId"_s, u"0f8fad5b-d9cb-469f-a165-70867728950e"_s}};
    QCOMPARE(call(u"jimi.device.media.history.list.get"_s, get).value(u"code"_s).toInt(), 1207);
    m_clock->advanceSecs(2);
    const QJsonObject ready = call(u"jimi.device.media.history.list.get"_s, get);
    QCOMPARE(ready.value(u"code"_s).toInt(), 0);

    // One file per minute (Concox) or three (JT/T 1078) of every trip that day.
    const QDateTime dayStart(day, QTime(0, 0), QTimeZone::utc());
    const QDateTime dayEnd = dayStart.addDays(1);
    const qint64 piece = concox ? 60 : 180;
    qint64 expected = 0;
    const QList<Fleet::Sim::SimTrip> trips = fleet.trips(dvr, dayStart, dayEnd);
    for (const Fleet::Sim::SimTrip &t : trips) {
        const qint64 secs = qMax(t.start, dayStart).secsTo(qMin(t.end, dayEnd));
        expected += (secs + piece - 1) / piece;
    }
    const QJsonArray rows = ready.value(u"result"_s).toArray();
    QVERIFY(expected > 0);
    QCOMPARE(qint64(rows.size()), qMin<qint64>(expected, 500));
    const QJsonObject first = rows.first().toObject();
    QCOMPARE(first.value(u"beginTime"_s).toString(), Fleet::ApiTime::format(qMax(trips.first().start, dayStart)));
    QCOMPARE(first.value(u"channel"_s).toString(), QString::number(channel));

    // Asked again after the list's lifetime: gone.
    m_clock->advanceSecs(Fleet::Sim::SimState::kHistoryListLifetimeSecs + 1);
    m_token.clear();
    QCOMPARE(call(u"jimi.device.media.history.list.get"_s, get).value(u"code"_s).toInt(), 1001);
}

void TestSimServer::instructionGatewayChecksTheToken()
{
    QUrl url = m_server->instructionUrl();
    url.setPath(u"/api/device/sendInstruct"_s);
    const ApiParams bad{{u"deviceImei"_s, imei(0)},
                        {u"proNo"_s, u"128"_s},
                        {u"cmdContent"_s, u"{\"cmdContent\":\"WHERE#\"}"_s},
                        {u"token"_s, u"0123456789abcdef0123456789abcdef"_s}};
    QCOMPARE(postForm(url, Fleet::FormCodec::encode(bad)).json.value(u"code"_s).toInt(), 1004);
    ApiParams good = bad;
    good.insert(u"token"_s, token());
    const QJsonObject answer = postForm(url, Fleet::FormCodec::encode(good)).json;
    QCOMPARE(answer.value(u"code"_s).toInt(), 0);
    const QString code = answer.value(u"data"_s).toObject().value(u"_code"_s).toString();
    QCOMPARE(code, m_server->fleet().isOnline(0, m_server->fleetNow()) ? u"100"_s : u"300"_s);
    QCOMPARE(answer.value(u"data"_s).toObject().value(u"_imei"_s).toString(), imei(0));
}

void TestSimServer::injectedErrorRate()
{
    const QString accessToken = token();
    m_server->setErrorRate(1.0, 1006);
    const QJsonObject answer = call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}});
    QCOMPARE(answer.value(u"code"_s).toInt(), 1006);
    // Token methods are spared.
    m_clock->advanceSecs(61);
    QCOMPARE(tokenGet().value(u"code"_s).toInt(), 0);
    m_server->setErrorRate(0.0);
    m_token.clear();
    m_clock->advanceSecs(61);
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), 0);
    QVERIFY(m_server->codeCount(1006) >= 1);
}

void TestSimServer::failNextCountsDown()
{
    token();
    m_server->failNext(2, -1);
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), -1);
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), -1);
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), 0);

    // Through /sim/faults, aimed at one method.
    QUrl url = m_server->instructionUrl();
    url.setPath(u"/sim/faults"_s);
    const HttpResult set = postForm(url, "fail_next=1&fail_next_code=1004&fail_next_method=jimi.device.location.get");
    QVERIFY(set.finished);
    QCOMPARE(set.status, 200);
    QCOMPARE(set.json.value(u"failNextPending"_s).toInt(), 1);
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), 0);
    QCOMPARE(call(u"jimi.device.location.get"_s, {{u"imeis"_s, imei(0)}}).value(u"code"_s).toInt(), 1004);
}

void TestSimServer::dropRateClosesTheConnection()
{
    token();
    m_server->setDropRate(1.0);
    QSignalSpy dropped(m_server.get(), &SimServer::connectionDropped);
    ApiParams params = common(u"jimi.user.device.list"_s);
    params.insert(u"target"_s, m_config.userId);
    params.insert(u"access_token"_s, token());
    params.insert(u"sign"_s, Fleet::ApiSigner::sign(params, m_config.appSecret));
    const HttpResult r = postForm(m_server->baseUrl(), Fleet::FormCodec::encode(params));
    QVERIFY(r.finished);
    QVERIFY2(r.error != QNetworkReply::NoError, "the connection was closed without an answer");
    QVERIFY(r.body.isEmpty());
    QVERIFY(dropped.count() >= 1);
    QVERIFY(m_server->droppedConnections() >= 1);

    m_server->setDropRate(0.0);
    QCOMPARE(signedCall(common(u"jimi.user.device.list"_s)).value(u"code"_s).toInt(), 1004);
}

void TestSimServer::latencyDelaysTheAnswer()
{
    token();
    m_server->setLatency(300);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), 0);
    QVERIFY(timer.elapsed() >= 290);
}

void TestSimServer::truthAndStateEndpoints()
{
    token();
    QUrl url = m_server->instructionUrl();
    url.setPath(u"/sim/state"_s);
    const HttpResult state = get(url);
    QVERIFY(state.finished);
    QCOMPARE(state.status, 200);
    QCOMPARE(state.json.value(u"deviceCount"_s).toInt(), 60);
    QCOMPARE(state.json.value(u"tokensIssued"_s).toInt(), 1);
    QCOMPARE(state.json.value(u"requestsByMethod"_s).toObject().value(u"jimi.oauth.token.get"_s).toInt(), 1);
    QCOMPARE(state.json.value(u"fleetTime"_s).toString(), u"2026-03-16T14:30:00Z"_s);

    url.setPath(u"/sim/truth"_s);
    url.setQuery(u"imei="_s + imei(2) + u"&from=2026-03-15%2000:00:00&to=2026-03-16%2000:00:00&parts=trips,stops"_s);
    const HttpResult truth = get(url);
    QVERIFY(truth.finished);
    QCOMPARE(truth.status, 200);
    QCOMPARE(truth.json.value(u"imei"_s).toString(), imei(2));
    const QDateTime from(QDate(2026, 3, 15), QTime(0, 0), QTimeZone::utc());
    const QDateTime to(QDate(2026, 3, 16), QTime(0, 0), QTimeZone::utc());
    QCOMPARE(truth.json.value(u"trips"_s).toArray().size(), m_server->fleet().trips(2, from, to).size());
    QVERIFY(!truth.json.contains(u"fixes"_s));
}

void TestSimServer::hostilePagingIs1001_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("code");
    const QString mileage = u"jimi.device.track.mileage"_s;
    const QString parking = u"jimi.open.platform.report.parking"_s;
    const QString alarms = u"jimi.device.alarm.list"_s;
    const QString events = u"jimi.device.media.event.URL"_s;
    const QString media = u"jimi.device.jimi.media.URL"_s;
    QTest::newRow("mileage start_row INT_MAX") << mileage << u"start_row"_s << u"2147483647"_s << 1001;
    QTest::newRow("mileage start_row 1e6+1") << mileage << u"start_row"_s << u"1000001"_s << 1001;
    QTest::newRow("mileage start_row -1") << mileage << u"start_row"_s << u"-1"_s << 1001;
    QTest::newRow("mileage start_row 1e6") << mileage << u"start_row"_s << u"1000000"_s << 0;
    QTest::newRow("mileage page_size 0") << mileage << u"page_size"_s << u"0"_s << 1001;
    QTest::newRow("mileage page_size 1e9") << mileage << u"page_size"_s << u"1000000000"_s << 1001;
    QTest::newRow("mileage page_size 1001") << mileage << u"page_size"_s << u"1001"_s << 1001;
    QTest::newRow("mileage page_size 1000") << mileage << u"page_size"_s << u"1000"_s << 0;
    QTest::newRow("mileage page_size 2^63") << mileage << u"page_size"_s << u"9223372036854775808"_s << 1001;
    QTest::newRow("parking start_row INT_MAX") << parking << u"start_row"_s << u"2147483647"_s << 1001;
    QTest::newRow("parking page_size 0") << parking << u"page_size"_s << u"0"_s << 1001;
    QTest::newRow("parking page_size 101") << parking << u"page_size"_s << u"101"_s << 1001;
    QTest::newRow("alarms page_no INT_MAX") << alarms << u"page_no"_s << u"2147483647"_s << 1001;
    QTest::newRow("alarms page_no 1e6") << alarms << u"page_no"_s << u"1000000"_s << 0;
    QTest::newRow("alarms page_size 0") << alarms << u"page_size"_s << u"0"_s << 1001;
    QTest::newRow("events page_no INT64_MAX") << events << u"page_no"_s << u"9223372036854775807"_s << 1001;
    QTest::newRow("events page_no 1e6") << events << u"page_no"_s << u"1000000"_s << 0;
    QTest::newRow("media page_no 2^31") << media << u"page_no"_s << u"2147483648"_s << 1001;
    QTest::newRow("media page_no 1e6") << media << u"page_no"_s << u"1000000"_s << 0;
}

void TestSimServer::hostilePagingIs1001()
{
    QFETCH(QString, method);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(int, code);
    const int dvr = firstDashcam();
    QVERIFY(dvr >= 0);
    ApiParams params{
        {u"account"_s, m_config.userId},
        {u"imeis"_s, (imeis(5) << imei(dvr)).join(u',')},
        {u"imei"_s, imei(dvr)},
        {u"begin_time"_s, u"2026-03-15 00:00:00"_s},
        {u"start_time"_s, u"2026-03-15 00:00:00"_s},
        {u"end_time"_s, u"2026-03-16 00:00:00"_s},
        {u"start_row"_s, u"0"_s},
        {u"page_size"_s, u"50"_s},
        {u"acc_type"_s, u"0"_s},
    };
    params.insert(key, value);
    const QJsonObject answer = call(method, params);
    QCOMPARE(answer.value(u"code"_s).toInt(-99), code);
    if (code == 0 && key != u"page_size"_s) {
        // So far past the last row: an empty page.
        const QJsonValue rows = answer.value(u"result"_s).isArray()
            ? answer.value(u"result"_s)
            : answer.value(u"data"_s).toObject().value(
                answer.value(u"data"_s).toObject().contains(u"rows"_s) ? u"rows"_s : u"result"_s);
        QVERIFY(rows.isArray());
        QCOMPARE(rows.toArray().size(), 0);
    }
}

void TestSimServer::rangesAreBoundedAndClipped()
{
    const int dvr = firstDashcam();
    QVERIFY(dvr >= 0);
    QElapsedTimer timer;
    timer.start();
    const auto mileage = [&](const QString &begin, const QString &end) {
        return call(u"jimi.device.track.mileage"_s,
                    {{u"imeis"_s, imeis(10).join(u',')}, {u"begin_time"_s, begin}, {u"end_time"_s, end}});
    };
    // Longer than the simulator's 31 days: refused.
    const QJsonObject tenYears = mileage(u"2016-03-15 00:00:00"_s, u"2026-03-15 00:00:00"_s);
    QCOMPARE(tenYears.value(u"code"_s).toInt(), 1001);
    QVERIFY(tenYears.value(u"message"_s).toString().contains(u"too long"_s));
    QCOMPARE(mileage(u"2026-02-10 00:00:00"_s, u"2026-03-13 00:00:01"_s).value(u"code"_s).toInt(), 1001);
    QCOMPARE(mileage(u"2026-02-10 00:00:00"_s, u"2026-03-13 00:00:00"_s).value(u"code"_s).toInt(), 0);
    // Far in the future or the past: nothing happened there.
    for (const auto &[begin, end] : {std::pair{u"9999-12-30 00:00:00"_s, u"9999-12-31 00:00:00"_s},
                                     std::pair{u"2000-01-01 00:00:00"_s, u"2000-01-20 00:00:00"_s}}) {
        const QJsonObject answer = mileage(begin, end);
        QCOMPARE(answer.value(u"code"_s).toInt(), 0);
        QCOMPARE(answer.value(u"result"_s).toArray().size(), 0);
        for (const QJsonValue total : answer.value(u"data"_s).toArray())
            QCOMPARE(total.toObject().value(u"totalMileage"_s).toDouble(), 0.0);
        const QJsonObject alarms =
            call(u"jimi.device.alarm.list"_s,
                 {{u"imeis"_s, imeis(10).join(u',')}, {u"begin_time"_s, begin}, {u"end_time"_s, end}});
        QCOMPARE(alarms.value(u"code"_s).toInt(), 0);
        QCOMPARE(alarms.value(u"result"_s).toArray().size(), 0);
    }
    const ApiParams parking{{u"account"_s, m_config.userId},
                            {u"imeis"_s, imei(0)},
                            {u"start_time"_s, u"2026-02-10 00:00:00"_s},
                            {u"end_time"_s, u"2026-03-14 00:00:00"_s},
                            {u"start_row"_s, u"0"_s},
                            {u"page_size"_s, u"100"_s},
                            {u"acc_type"_s, u"0"_s}};
    QCOMPARE(call(u"jimi.open.platform.report.parking"_s, parking).value(u"code"_s).toInt(), 1001);
    const ApiParams media{{u"imei"_s, imei(dvr)},
                          {u"start_time"_s, u"2026-02-10 00:00:00"_s},
                          {u"end_time"_s, u"2026-03-14 00:00:00"_s}};
    QCOMPARE(call(u"jimi.device.jimi.media.URL"_s, media).value(u"code"_s).toInt(), 1001);
    ApiParams events = media;
    events.insert(u"imeis"_s, imei(dvr));
    QCOMPARE(call(u"jimi.device.media.event.URL"_s, events).value(u"code"_s).toInt(), 1001);
    events.insert(u"start_time"_s, u"2026-02-11 00:00:00"_s);
    QCOMPARE(call(u"jimi.device.media.event.URL"_s, events).value(u"code"_s).toInt(), 0);
    // None of this may cost the simulator noticeable time.
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
}

void TestSimServer::truthIsClippedToTheFleetsHistory()
{
    QUrl url = m_server->instructionUrl();
    url.setPath(u"/sim/truth"_s);
    const auto truth = [&](const QString &from, const QString &to) {
        QUrlQuery query;
        query.addQueryItem(u"imei"_s, imei(1));
        query.addQueryItem(u"parts"_s, u"trips,alarms"_s);
        if (!from.isEmpty())
            query.addQueryItem(u"from"_s, from);
        if (!to.isEmpty())
            query.addQueryItem(u"to"_s, to);
        QUrl u = url;
        u.setQuery(query);
        return get(u);
    };
    const QDateTime epoch = m_server->config().fleetEpoch;
    const QString nowIso = m_server->fleetNow().toString(Qt::ISODate);
    QElapsedTimer timer;
    timer.start();

    const HttpResult future = truth(u"9999-12-30 00:00:00"_s, u"9999-12-31 00:00:00"_s);
    QVERIFY(future.finished);
    QCOMPARE(future.status, 400);
    const HttpResult toFuture = truth({}, u"9999-12-31 00:00:00"_s);
    QVERIFY(toFuture.finished);
    QCOMPARE(toFuture.status, 200);
    QCOMPARE(toFuture.json.value(u"to"_s).toString(), nowIso);
    QCOMPARE(toFuture.json.value(u"from"_s).toString(), m_server->fleetNow().addDays(-1).toString(Qt::ISODate));

    const HttpResult past = truth(u"2000-01-01 00:00:00"_s, u"2000-01-02 00:00:00"_s);
    QVERIFY(past.finished);
    QCOMPARE(past.status, 400);
    const HttpResult fromPast = truth(u"2000-01-01 00:00:00"_s, epoch.addDays(1).toString(Qt::ISODate));
    QVERIFY(fromPast.finished);
    QCOMPARE(fromPast.status, 200);
    QCOMPARE(fromPast.json.value(u"from"_s).toString(), epoch.toString(Qt::ISODate));

    const HttpResult tooLong = truth(epoch.toString(Qt::ISODate), epoch.addDays(32).toString(Qt::ISODate));
    QVERIFY(tooLong.finished);
    QCOMPARE(tooLong.status, 400);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
}

void TestSimServer::simFaultsRefusesNonFiniteNumbers()
{
    QUrl url = m_server->instructionUrl();
    url.setPath(u"/sim/faults"_s);
    const QList<QByteArray> bodies = {"latency_ms=nan",  "jitter_ms=inf",      "drop_rate=nan",
                                      "error_rate=-inf", "error_code=nan",     "seed=nan",
                                      "fail_next=inf",   "fail_next_code=NaN", "drop_rate=1e400",
                                      "seed=-1",         "latency_ms=600001",  "drop_after_processing=maybe"};
    for (const QByteArray &body : bodies) {
        const HttpResult r = postForm(url, body);
        QVERIFY(r.finished);
        QVERIFY2(r.status == 400, body.constData());
    }
    const HttpResult current = get(url);
    QVERIFY(current.finished);
    QCOMPARE(current.status, 200);
    QCOMPARE(current.json.value(u"latencyMs"_s).toInt(), 0);
    QCOMPARE(current.json.value(u"dropRate"_s).toDouble(), 0.0);
    QCOMPARE(current.json.value(u"errorRate"_s).toDouble(), 0.0);
    QCOMPARE(current.json.value(u"failNextPending"_s).toInt(), 0);
    QCOMPARE(m_server->faults().seed, quint64(1));

    // Only GET and POST there.
    QNetworkRequest request(url);
    const HttpResult put = send(m_nam->put(request, QByteArray("latency_ms=5")));
    QVERIFY(put.finished);
    QCOMPARE(put.status, 405);
    QCOMPARE(m_server->faults().latencyMs, 0);
}

void TestSimServer::locationGetTakes50ImeisCountedAsSent()
{
    const auto codeFor = [&](const QString &list) {
        return call(u"jimi.device.location.get"_s, {{u"imeis"_s, list}}).value(u"code"_s).toInt();
    };
    QCOMPARE(codeFor(imeis(51).join(u',')), 1001);
    QCOMPARE(codeFor((imeis(50) << imei(3)).join(u',')), 1001);
    QCOMPARE(codeFor(imeis(50).join(u',')), 0);
    // Empty entries do not count; duplicates collapse in the answer.
    const QJsonObject some = call(u"jimi.device.location.get"_s,
                                  {{u"imeis"_s, imei(0) + u",,"_s + imei(1) + u","_s + imei(0)}});
    QCOMPARE(some.value(u"code"_s).toInt(), 0);
    QVERIFY(some.value(u"result"_s).toArray().size() <= 2);
    // Ten thousand of them are refused at once.
    QStringList many;
    for (int i = 0; i < 10000; ++i)
        many << imei(i % 50);
    QCOMPARE(codeFor(many.join(u',')), 1001);
}

void TestSimServer::unknownMethodsAreCountedTogether()
{
    token();
    QSignalSpy handled(m_server.get(), &SimServer::requestHandled);
    QCOMPARE(call(u"jimi.made.up.one"_s).value(u"code"_s).toInt(), 1001);
    QCOMPARE(call(u"jimi.made.up.two"_s).value(u"code"_s).toInt(), 1001);
    // Unsigned, with a long made-up method: still one key.
    const QByteArray junk = "method=" + QByteArray(4000, 'x');
    QCOMPARE(postForm(m_server->baseUrl(), junk).json.value(u"code"_s).toInt(), 1001);
    QCOMPARE(m_server->requestCount(u"(unknown)"_s), 3);
    QCOMPARE(m_server->requestCount(u"jimi.made.up.one"_s), 0);
    QCOMPARE(handled.count(), 3);
    QCOMPARE(handled.first().first().toString(), u"(unknown)"_s);
    const QJsonObject byMethod = m_server->stateJson().value(u"requestsByMethod"_s).toObject();
    QCOMPARE(byMethod.value(u"(unknown)"_s).toInt(), 3);
    QCOMPARE(byMethod.size(), 2); // token.get and the unknown ones
    QCOMPARE(m_server->requestCount(u"jimi.oauth.token.get"_s), 1);
}

void TestSimServer::stateContainersAreBounded()
{
    using Fleet::Sim::SimState;
    Fleet::Sim::SimFleetConfig fleetConfig;
    fleetConfig.vehicles = 3;
    const Fleet::Sim::SimFleet fleet(fleetConfig);
    SimState state(fleet, 1);

    for (int i = 0; i < SimState::kMaxMedia + 10; ++i) {
        Fleet::Sim::SimMediaFile f;
        f.fileKey = QString::number(i);
        state.addMedia(f);
    }
    QCOMPARE(state.media.size(), SimState::kMaxMedia);
    QCOMPARE(state.media.first().fileKey, u"10"_s);

    for (int i = 0; i < SimState::kMaxCommands + 5; ++i) {
        Fleet::Sim::SimCommandRecord c;
        c.codeId = QString::number(i);
        state.addCommand(c);
    }
    QCOMPARE(state.commands.size(), SimState::kMaxCommands);
    QCOMPARE(state.commands.first().codeId, u"5"_s);
    QCOMPARE(state.commandsSent, SimState::kMaxCommands + 5);

    const QDateTime t0 = kStart;
    for (int i = 0; i < SimState::kMaxHistoryLists + 5; ++i)
        state.addHistoryList(QString::number(i), {u"x"_s, 1, QDate(2026, 3, 1), t0.addMSecs(i)});
    QCOMPARE(state.historyLists.size(), SimState::kMaxHistoryLists);
    QVERIFY(!state.historyLists.contains(u"0"_s));
    QVERIFY(state.historyLists.contains(u"5"_s));
    // Lists outlive their lifetime only until the next one comes.
    state.addHistoryList(u"late"_s, {u"x"_s, 1, QDate(2026, 3, 1), t0.addSecs(SimState::kHistoryListLifetimeSecs + 5)});
    QCOMPARE(state.historyLists.size(), 1);

    for (int i = 0; i < SimState::kMaxOpenStreams + 5; ++i)
        state.openStream(QString::number(i));
    QCOMPARE(state.openStreams.size(), SimState::kMaxOpenStreams);
    QCOMPARE(state.openStreams.first(), u"5"_s);
    state.openStream(u"5"_s);
    QCOMPARE(state.openStreams.last(), u"5"_s);
    QCOMPARE(state.openStreams.size(), SimState::kMaxOpenStreams);
    state.closeStream(u"5"_s);
    QCOMPARE(state.openStreams.size(), SimState::kMaxOpenStreams - 1);

    // The fleet's own groups stay; the API's oldest go.
    const QList<Fleet::Sim::SimGroup> own = state.groups;
    QVERIFY(!own.isEmpty());
    for (int i = 0; i < SimState::kMaxGroups + 2; ++i)
        state.addGroup({QString::number(i), QString::number(i), u"demo"_s});
    QCOMPARE(state.groups.size(), own.size() + SimState::kMaxGroups);
    for (int i = 0; i < own.size(); ++i)
        QCOMPARE(state.groups.at(i).id, own.at(i).id);
    QCOMPARE(state.groups.at(own.size()).id, u"2"_s);

    int added = 0;
    for (int i = 0; i < SimState::kMaxAccounts + 5; ++i)
        added += state.addAccount(u"sub"_s + QString::number(i)) ? 1 : 0;
    QCOMPARE(state.accounts.size(), SimState::kMaxAccounts);
    QCOMPARE(added, SimState::kMaxAccounts - 1); // the fleet's account was there first

    for (int i = 0; i < SimState::kMaxDeviceFences + 3; ++i)
        state.addDeviceFence(u"860000000000001"_s, {QString::number(i), {}, {}, {}, 0, 0, 1});
    QCOMPARE(state.deviceFences.value(u"860000000000001"_s).size(), SimState::kMaxDeviceFences);
    for (int i = 0; i < SimState::kMaxPlatformFences + 3; ++i) {
        Fleet::Sim::SimPlatformFence f;
        f.id = QString::number(i);
        state.addPlatformFence(f);
    }
    QCOMPARE(state.platformFences.size(), SimState::kMaxPlatformFences);
    QCOMPARE(state.platformFences.first().id, u"3"_s);
}

void TestSimServer::faultSequenceIsPortable()
{
    // SimRandom's sequence is ours, not a standard library's: these numbers
    // are the same with libstdc++, libc++ and MSVC.
    Fleet::Sim::SimFaultConfig config;
    config.seed = 42;
    config.latencyMs = 100;
    config.latencyJitterMs = 1000;
    config.dropRate = 0.25;
    Fleet::Sim::FaultInjector a(config);
    Fleet::Sim::FaultInjector b(config);
    QList<int> sequence;
    for (int i = 0; i < 8; ++i) {
        const bool dropped = a.shouldDrop();
        const int delay = a.delayMs();
        QCOMPARE(b.shouldDrop(), dropped);
        QCOMPARE(b.delayMs(), delay);
        sequence << (dropped ? -delay : delay);
    }
    // Negative: dropped (the delay is still drawn, as the server draws it).
    const QList<int> expected = {260, 444, -969, -901, 719, -593, 620, 303};
    QCOMPARE(sequence, expected);
    // Reseeding starts the same sequence again.
    a.reseed(42);
    QCOMPARE(a.shouldDrop(), sequence.first() < 0);
    QCOMPARE(a.delayMs(), qAbs(sequence.first()));
}

void TestSimServer::pipelinedRequestsAreAnsweredInOrder()
{
    m_server->setLatency(0, 400);
    // The delays the server is about to draw, from an injector with the same
    // seed: a later request gets a shorter delay than one before it, so
    // without the per-connection queue its answer would overtake.
    Fleet::Sim::FaultInjector preview(m_server->faults());
    QList<int> delays;
    for (int i = 0; i < 8; ++i)
        delays << preview.delayMs();
    QVERIFY2(!std::is_sorted(delays.begin(), delays.end()), "the jitter reorders the raw delays");

    // Eight requests in one write; each names a different parameter twice,
    // which the answer's message repeats.
    QByteArray batch;
    for (int i = 0; i < 8; ++i) {
        const QByteArray key = "k" + QByteArray::number(i);
        batch += rawRequest("POST", "/route/rest?" + key + "=1", key + "=2");
    }
    RawClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.send(batch);
    for (int i = 0; i < 8; ++i) {
        const std::optional<RawResponse> r = client.read();
        QVERIFY2(r.has_value(), qPrintable(QString::number(i)));
        QCOMPARE(r->status, 200);
        QVERIFY(r->head.contains("connection: keep-alive"));
        const QString message = r->json.value(u"message"_s).toString();
        QVERIFY2(message.contains(u"'k%1'"_s.arg(i)), qPrintable(message));
    }
    QCOMPARE(m_server->requestCount(), 8);
    QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
}

void TestSimServer::clientDisconnectDuringLatency()
{
    const QString accessToken = token();
    m_server->setLatency(300);
    QSignalSpy handled(m_server.get(), &SimServer::requestHandled);
    ApiParams params = common(u"jimi.user.device.list"_s);
    params.insert(u"target"_s, m_config.userId);
    params.insert(u"access_token"_s, accessToken);
    params.insert(u"sign"_s, Fleet::ApiSigner::sign(params, m_config.appSecret));

    const int before = m_server->openConnections();
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->serverPort()));
        QTRY_COMPARE(m_server->openConnections(), before + 1);
        client.send(rawRequest("POST", "/route/rest", Fleet::FormCodec::encode(params)));
        QVERIFY(handled.wait(kAnswerTimeoutMs));
        // Gone while its answer waits out the latency.
        client.socket().abort();
    }
    QTRY_COMPARE(m_server->openConnections(), before);

    // The server carries on: the next answer comes after the same latency,
    // well after the abandoned one was due.
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), 0);
    QVERIFY(timer.elapsed() >= 290);
    QCOMPARE(handled.count(), 2);
}

void TestSimServer::dropAfterProcessingLosesOnlyTheAnswer()
{
    const QString accessToken = token();
    QSignalSpy dropped(m_server.get(), &SimServer::connectionDropped);
    const auto rename = [&](const QString &name, bool afterProcessing) {
        Fleet::Sim::SimFaultConfig f = m_server->faults();
        f.dropRate = 1.0;
        f.dropAfterProcessing = afterProcessing;
        m_server->setFaults(f);
        ApiParams params = common(u"jimi.open.device.update"_s);
        params.insert(u"imei"_s, imei(0));
        params.insert(u"device_name"_s, name);
        params.insert(u"access_token"_s, accessToken);
        params.insert(u"sign"_s, Fleet::ApiSigner::sign(params, m_config.appSecret));
        RawClient client;
        const bool connected = client.connectTo(m_server->serverPort());
        client.send(rawRequest("POST", "/route/rest", Fleet::FormCodec::encode(params)));
        const bool closed = connected && client.waitForClose();
        const bool unanswered = !client.read(0).has_value();
        f.dropRate = 0.0;
        m_server->setFaults(f);
        return closed && unanswered;
    };
    const auto nameOfFirst = [&] {
        const QJsonObject detail = call(u"jimi.track.device.detail"_s, {{u"imei"_s, imei(0)}});
        return detail.value(u"result"_s).toObject().value(u"deviceName"_s).toString();
    };
    QVERIFY(rename(u"Renamed"_s, true));
    QCOMPARE(dropped.count(), 1);
    QCOMPARE(m_server->requestCount(u"jimi.open.device.update"_s), 1);
    QCOMPARE(nameOfFirst(), u"Renamed"_s);

    // Dropped before processing: the request never took effect.
    QVERIFY(rename(u"Other"_s, false));
    QCOMPARE(dropped.count(), 2);
    QCOMPARE(m_server->requestCount(u"jimi.open.device.update"_s), 1);
    QCOMPARE(nameOfFirst(), u"Renamed"_s);
    QCOMPARE(m_server->droppedConnections(), 2);
}

void TestSimServer::oversizedBodyIs413()
{
    RawClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    const QByteArray body(10 * 1024 * 1024, 'a');
    client.send("POST /route/rest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(body.size())
                + "\r\n\r\n" + body);
    const std::optional<RawResponse> r = client.read();
    QVERIFY(r.has_value());
    QCOMPARE(r->status, 413);
    QVERIFY(r->head.contains("connection: close"));
    QCOMPARE(r->json.value(u"code"_s).toInt(), 413);
    QVERIFY(client.waitForClose());
    QCOMPARE(m_server->requestCount(), 0);

    // At the limit: read, and refused by the API, not the transport.
    RawClient atLimit;
    QVERIFY(atLimit.connectTo(m_server->serverPort()));
    atLimit.send(rawRequest("POST", "/route/rest", "x=" + QByteArray(1024 * 1024 - 2, 'a')));
    const std::optional<RawResponse> ok = atLimit.read();
    QVERIFY(ok.has_value());
    QCOMPARE(ok->status, 200);
    QCOMPARE(ok->json.value(u"code"_s).toInt(), 1001);
}

void TestSimServer::chunkedBodyIs411()
{
    RawClient chunked;
    QVERIFY(chunked.connectTo(m_server->serverPort()));
    chunked.send("POST /route/rest HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5\r\nv=1.0\r\n0\r\n\r\n");
    const std::optional<RawResponse> r = chunked.read();
    QVERIFY(r.has_value());
    QCOMPARE(r->status, 411);
    QCOMPARE(r->json.value(u"code"_s).toInt(), 411);
    QVERIFY(chunked.waitForClose());

    RawClient gzip;
    QVERIFY(gzip.connectTo(m_server->serverPort()));
    gzip.send("POST /route/rest HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n");
    const std::optional<RawResponse> other = gzip.read();
    QVERIFY(other.has_value());
    QCOMPARE(other->status, 501);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestSimServer::oversizedHeadIs431()
{
    RawClient big;
    QVERIFY(big.connectTo(m_server->serverPort()));
    big.send("GET /sim/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + QByteArray(20 * 1024, 'a') + "\r\n\r\n");
    std::optional<RawResponse> r = big.read();
    QVERIFY(r.has_value());
    QCOMPARE(r->status, 431);
    QVERIFY(big.waitForClose());

    // A head that never ends is refused as soon as it is too long.
    RawClient endless;
    QVERIFY(endless.connectTo(m_server->serverPort()));
    endless.send("GET /sim/faults HTTP/1.1\r\nHost: 127.0.0.1\r\n" + QByteArray(17 * 1024, 'a'));
    r = endless.read();
    QVERIFY(r.has_value());
    QCOMPARE(r->status, 431);

    QByteArray many = "GET /sim/faults HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 120; ++i)
        many += "X-H" + QByteArray::number(i) + ": 1\r\n";
    RawClient manyHeaders;
    QVERIFY(manyHeaders.connectTo(m_server->serverPort()));
    manyHeaders.send(many + "\r\n");
    r = manyHeaders.read();
    QVERIFY(r.has_value());
    QCOMPARE(r->status, 431);
}

void TestSimServer::connectionHeaderIsHonoured()
{
    // HTTP/1.1 keeps the connection by default, for request after request.
    RawClient keep;
    QVERIFY(keep.connectTo(m_server->serverPort()));
    for (int i = 0; i < 3; ++i) {
        keep.send(rawRequest("GET", "/sim/faults"));
        const std::optional<RawResponse> r = keep.read();
        QVERIFY(r.has_value());
        QCOMPARE(r->status, 200);
        QVERIFY(r->head.contains("connection: keep-alive"));
    }
    QCOMPARE(keep.socket().state(), QAbstractSocket::ConnectedState);

    // Header names and the close token in any case.
    RawClient close;
    QVERIFY(close.connectTo(m_server->serverPort()));
    close.send("POST /route/rest HTTP/1.1\r\nhOsT: 127.0.0.1\r\nCONNECTION: Close\r\ncontent-LENGTH: 5\r\n\r\nv=1.0");
    std::optional<RawResponse> r = close.read();
    QVERIFY(r.has_value());
    QCOMPARE(r->status, 200);
    QCOMPARE(r->json.value(u"code"_s).toInt(), 1001); // parsed, body included
    QVERIFY(r->head.contains("connection: close"));
    QVERIFY(close.waitForClose());

    // HTTP/1.0 closes unless asked to keep the connection.
    RawClient old;
    QVERIFY(old.connectTo(m_server->serverPort()));
    old.send("GET /sim/faults HTTP/1.0\r\n\r\n");
    r = old.read();
    QVERIFY(r.has_value());
    QVERIFY(r->head.contains("connection: close"));
    QVERIFY(old.waitForClose());
    RawClient oldKeep;
    QVERIFY(oldKeep.connectTo(m_server->serverPort()));
    oldKeep.send("GET /sim/faults HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
    r = oldKeep.read();
    QVERIFY(r.has_value());
    QVERIFY(r->head.contains("connection: keep-alive"));
    QCOMPARE(oldKeep.socket().state(), QAbstractSocket::ConnectedState);

    // Malformed or unsupported: refused, connection closed.
    const QList<std::pair<QByteArray, int>> bad = {
        {"GET /sim/faults HTTP/1.1\r\n\r\n", 400}, // no Host
        {"GET /sim/faults HTTP/2.0\r\nHost: a\r\n\r\n", 505},
        {"GET  /sim/faults HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"GET /sim/faults HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400},
        {"POST /route/rest HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
        {"POST /route/rest HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", 400},
        {"PUT /sim/state HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 405},
    };
    for (const auto &[request, status] : bad) {
        RawClient client;
        QVERIFY(client.connectTo(m_server->serverPort()));
        client.send(request);
        r = client.read();
        QVERIFY2(r.has_value(), request.constData());
        QVERIFY2(r->status == status, request.constData());
    }
}

void TestSimServer::idleAndSlowClientsTimeOut()
{
    SimServerConfig config = m_config;
    config.http.idleTimeoutMs = 200;
    config.http.requestTimeoutMs = 300;
    restartServer(config);

    RawClient idle;
    QVERIFY(idle.connectTo(m_server->serverPort()));
    QVERIFY(idle.waitForClose(5000));

    RawClient slow;
    QVERIFY(slow.connectTo(m_server->serverPort()));
    slow.send("GET /sim/state HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const std::optional<RawResponse> r = slow.read(5000);
    QVERIFY(r.has_value());
    QCOMPARE(r->status, 408);
    QVERIFY(slow.waitForClose(5000));

    // An answer the server delays is no idle time of the client's.
    m_server->setLatency(600);
    RawClient patient;
    QVERIFY(patient.connectTo(m_server->serverPort()));
    patient.send(rawRequest("GET", "/route/rest"));
    const std::optional<RawResponse> late = patient.read(5000);
    QVERIFY(late.has_value());
    QCOMPARE(late->json.value(u"code"_s).toInt(), 1007);
}

void TestSimServer::listenDefaultsToLoopback()
{
    SimServer server(m_config, m_clock.get());
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    QCOMPARE(server.serverPort(), port);
    QCOMPARE(server.hostPort(), u"127.0.0.1:%1"_s.arg(port));
    RawClient local;
    QVERIFY(local.connectTo(port));
    // Not reachable on another address of this host, if it has one.
    const QList<QHostAddress> addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : addresses) {
        if (address.isLoopback() || address.protocol() != QAbstractSocket::IPv4Protocol)
            continue;
        QTcpSocket outside;
        outside.connectToHost(address, port);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return outside.state() == QAbstractSocket::UnconnectedState
                    || outside.state() == QAbstractSocket::ConnectedState;
            },
            kAnswerTimeoutMs));
        QCOMPARE(outside.state(), QAbstractSocket::UnconnectedState);
        break;
    }
}

QTEST_GUILESS_MAIN(TestSimServer)
#include "tst_simserver.moc"
