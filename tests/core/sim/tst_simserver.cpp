// Drives Fleet::Sim::SimServer over real HTTP with requests signed by hand
// (ApiSigner + FormCodec), not with the product's ApiClient: this checks the
// simulated cloud against the documented behaviour of the real one.

#include "api/apisigner.h"
#include "api/apitime.h"
#include "sim/simfleet.h"
#include "sim/simserver.h"
#include "util/clock.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using Fleet::ApiParams;
using Fleet::ManualClock;
using Fleet::Sim::SimServer;
using Fleet::Sim::SimServerConfig;

namespace {

struct HttpResult
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QJsonObject json;
};

const QDateTime kStart(QDate(2026, 3, 16), QTime(14, 30, 0), QTimeZone::utc());

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
    void newTokenInvalidatesThePreviousOne();
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
    void platformFenceNamesAreUnique();
    void historyListIsNotReadyAtFirst();
    void instructionGatewayChecksTheToken();
    void injectedErrorRate();
    void failNextCountsDown();
    void dropRateClosesTheConnection();
    void latencyDelaysTheAnswer();
    void truthAndStateEndpoints();

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
    if (!reply->isFinished())
        finished.wait(15000);
    HttpResult r;
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
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded;charset=UTF-8"));
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
    const QJsonObject answer = signedCall(params);
    QCOMPARE(answer.value(u"code"_s).toInt(), 1002);
    QCOMPARE(answer.value(u"message"_s).toString(), u"Incorrect user name or password"_s);

    // The MD5 is compared case-insensitively.
    params.insert(u"user_pwd_md5"_s, m_server->passwordMd5().toUpper());
    params.insert(u"timestamp"_s, Fleet::ApiTime::format(m_clock->nowUtc()));
    QCOMPARE(signedCall(params).value(u"code"_s).toInt(), 0);
}

void TestSimServer::newTokenInvalidatesThePreviousOne()
{
    const QString first = token();
    QCOMPARE(call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}}).value(u"code"_s).toInt(), 0);
    m_clock->advanceSecs(61);
    m_token.clear();
    const QString second = token();
    QVERIFY(second != first);
    const QJsonObject old = call(u"jimi.user.device.list"_s, {{u"target"_s, m_config.userId}, {u"access_token"_s, first}});
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
        QVERIFY2(answer.value(u"message"_s).toString().contains(u"timestamp"_s), qPrintable(answer.value(u"message"_s).toString()));
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
        QVERIFY2(answer.value(u"message"_s).toString().contains(key), qPrintable(answer.value(u"message"_s).toString()));
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
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"code"_s).toInt(), 1007);
    QCOMPARE(r.json.value(u"message"_s).toString(), u"Wrong request method"_s);
}

void TestSimServer::unknownPathIs404()
{
    QUrl url = m_server->baseUrl();
    url.setPath(u"/no/such/path"_s);
    const HttpResult r = get(url);
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
    const QJsonObject track = call(u"jimi.device.track.list"_s, {{u"imei"_s, u"000000000000000"_s},
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
}

void TestSimServer::moreThan50ImeisIs1001()
{
    QFETCH(QString, method);
    ApiParams params{
        {u"account"_s, m_config.userId},
        {u"begin_time"_s, u"2026-03-15 00:00:00"_s}, {u"end_time"_s, u"2026-03-16 00:00:00"_s},
        {u"start_time"_s, u"2026-03-15 00:00:00"_s}, {u"end_time"_s, u"2026-03-16 00:00:00"_s},
        {u"start_row"_s, u"0"_s}, {u"page_size"_s, u"50"_s}, {u"acc_type"_s, u"0"_s},
    };
    params.insert(u"imeis"_s, imeis(51).join(u','));
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
        for (const QJsonValue &v : rows) {
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
    for (const QJsonValue &v : answer.value(u"result"_s).toArray())
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
        return call(u"jimi.device.track.list"_s, {{u"imei"_s, imei(index)}, {u"begin_time"_s, begin}, {u"end_time"_s, end}});
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
        for (const QJsonValue &v : rows)
            QVERIFY(v.toObject().value(u"distance"_s).isDouble());
        total += int(rows.size());
        if (rows.size() < 20)
            break;
    }
    QCOMPARE(total, expected);
}

void TestSimServer::commandsAreExecutedAndReported()
{
    const QDateTime now = m_server->fleetNow();
    int online = -1;
    for (int i = 0; i < m_server->fleet().size() && online < 0; ++i) {
        if (m_server->fleet().isOnline(i, now))
            online = i;
    }
    QVERIFY(online >= 0);
    const QJsonObject list = call(u"jimi.open.instruction.list"_s, {{u"imei"_s, imei(online)}});
    bool has163 = false;
    for (const QJsonValue &v : list.value(u"result"_s).toArray())
        has163 = has163 || (v.toObject().value(u"id"_s).toInt() == 163
                            && v.toObject().value(u"orderContent"_s).toString() == u"RELAY,{0}#"_s);
    QVERIFY(has163);

    const QString json = u"{\"inst_id\":\"163\",\"inst_template\":\"RELAY,{0}#\",\"params\":[\"1\"],\"is_cover\":\"true\"}"_s;
    const QJsonObject sent = call(u"jimi.open.instruction.send"_s, {{u"imei"_s, imei(online)}, {u"inst_param_json"_s, json}});
    QCOMPARE(sent.value(u"code"_s).toInt(), 0);
    QCOMPARE(call(u"jimi.open.instruction.send"_s, {{u"imei"_s, imei(online)}, {u"inst_param_json"_s, u"RELAY,1#"_s}})
                 .value(u"code"_s)
                 .toInt(),
             1001);

    const QJsonArray results = call(u"jimi.open.instruction.result"_s, {{u"imei"_s, imei(online)}}).value(u"result"_s).toArray();
    QCOMPARE(results.size(), 1);
    const QJsonObject r = results.first().toObject();
    QCOMPARE(r.value(u"code"_s).toString(), u"RELAY,1#"_s);
    QCOMPARE(r.value(u"isExecute"_s).toString(), u"1"_s);
    QCOMPARE(r.value(u"content"_s).toString(), u"Cut off the fuel supply: Success!"_s);
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
    const QJsonObject bound = call(u"jimi.open.platform.fence.bind"_s,
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
    const QDateTime now = m_server->fleetNow();
    int dvr = -1;
    int tracker = -1;
    for (int i = 0; i < fleet.size(); ++i) {
        if (dvr < 0 && fleet.device(i).dashcam && fleet.isOnline(i, now))
            dvr = i;
        if (tracker < 0 && !fleet.device(i).dashcam)
            tracker = i;
    }
    if (tracker >= 0) {
        const QJsonObject notDvr = call(u"jimi.device.media.live.stream"_s,
                                        {{u"imei"_s, imei(tracker)}, {u"channel"_s, u"1"_s}, {u"appId"_s, u"W1g3vp27z06a486"_s}});
        QVERIFY(notDvr.value(u"code"_s).toInt() != 0);
    }
    if (dvr < 0)
        QSKIP("no online dashcam in this fleet");
    const int channel = fleet.device(dvr).model.startsWith(u"JC400"_s) || fleet.device(dvr).model.startsWith(u"JC261"_s) ? 0 : 1;
    const QJsonObject live = call(u"jimi.device.media.live.stream"_s,
                                  {{u"imei"_s, imei(dvr)}, {u"channel"_s, QString::number(channel)}, {u"appId"_s, u"W1g3vp27z06a486"_s}});
    QCOMPARE(live.value(u"code"_s).toInt(), 0);
    const QString url = live.value(u"result"_s).toString();
    QVERIFY2(url.startsWith(u"http://127.0.0.1:"_s) && url.contains(u".flv"_s), qPrintable(url));
    const HttpResult flv = get(QUrl(url));
    QCOMPARE(flv.status, 200);
    QVERIFY(flv.body.startsWith("FLV"));

    const ApiParams cmd{{u"imei"_s, imei(dvr)},
                        {u"channel"_s, QString::number(channel)},
                        {u"dateTime"_s, u"2026-03-13"_s},
                        {u"instructionId"_s, u"0f8fad5b-d9cb-469f-a165-70867728950e"_s},
                        {u"appId"_s, u"W1g3vp27z06a486"_s}};
    QCOMPARE(call(u"jimi.device.media.history.list.cmd"_s, cmd).value(u"code"_s).toInt(), 0);
    const ApiParams get{{u"instructionId"_s, u"0f8fad5b-d9cb-469f-a165-70867728950e"_s}};
    QCOMPARE(call(u"jimi.device.media.history.list.get"_s, get).value(u"code"_s).toInt(), 1207);
    m_clock->advanceSecs(2);
    const QJsonObject ready = call(u"jimi.device.media.history.list.get"_s, get);
    QCOMPARE(ready.value(u"code"_s).toInt(), 0);
    QVERIFY(ready.value(u"result"_s).isArray());
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
    QCOMPARE(state.status, 200);
    QCOMPARE(state.json.value(u"deviceCount"_s).toInt(), 60);
    QCOMPARE(state.json.value(u"tokensIssued"_s).toInt(), 1);
    QCOMPARE(state.json.value(u"requestsByMethod"_s).toObject().value(u"jimi.oauth.token.get"_s).toInt(), 1);
    QCOMPARE(state.json.value(u"fleetTime"_s).toString(), u"2026-03-16T14:30:00Z"_s);

    url.setPath(u"/sim/truth"_s);
    url.setQuery(u"imei="_s + imei(2) + u"&from=2026-03-15%2000:00:00&to=2026-03-16%2000:00:00&parts=trips,stops"_s);
    const HttpResult truth = get(url);
    QCOMPARE(truth.status, 200);
    QCOMPARE(truth.json.value(u"imei"_s).toString(), imei(2));
    const QDateTime from(QDate(2026, 3, 15), QTime(0, 0), QTimeZone::utc());
    const QDateTime to(QDate(2026, 3, 16), QTime(0, 0), QTimeZone::utc());
    QCOMPARE(truth.json.value(u"trips"_s).toArray().size(), m_server->fleet().trips(2, from, to).size());
    QVERIFY(!truth.json.contains(u"fixes"_s));
}

QTEST_GUILESS_MAIN(TestSimServer)
#include "tst_simserver.moc"
