#include "api/apisigner.h"

#include <QtTest>

using namespace Fleet;

namespace {

const QString kSecret = QStringLiteral("c0aa0226fddc4365a3c67fef45427f8a");
const QString kAppKey = QStringLiteral("8FB345B8693CCD00CE073CAB5F094009339A22A4105B6558");

ApiParams common(const QString &method)
{
    return {{QStringLiteral("app_key"), kAppKey},
            {QStringLiteral("format"), QStringLiteral("json")},
            {QStringLiteral("sign_method"), QStringLiteral("md5")},
            {QStringLiteral("v"), QStringLiteral("1.0")},
            {QStringLiteral("timestamp"), QStringLiteral("2025-11-13 14:00:00")},
            {QStringLiteral("access_token"), QStringLiteral("7da3330ec28e3996b6ef4a7e3390ba71")},
            {QStringLiteral("method"), method}};
}

} // namespace

class TestApiSigner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void officialVector();
    void vectors_data();
    void vectors();
    void ordinalOrderIsNotNaturalOrder();
    void emptyValuesAreSkipped();
    void signParameterIsIgnored();
};

void TestApiSigner::officialVector()
{
    // api-field-notes §1.3 A: the official Postman demo, verified.
    const ApiParams p{{QStringLiteral("app_key"), kAppKey},
                      {QStringLiteral("expires_in"), QStringLiteral("7200")},
                      {QStringLiteral("format"), QStringLiteral("json")},
                      {QStringLiteral("method"), QStringLiteral("jimi.oauth.token.get")},
                      {QStringLiteral("sign_method"), QStringLiteral("md5")},
                      {QStringLiteral("timestamp"), QStringLiteral("2025-05-19 10:23:00")},
                      {QStringLiteral("user_id"), QStringLiteral("JMTEST123")},
                      {QStringLiteral("user_pwd_md5"), QStringLiteral("21218cca77804d2ba1922c33e0151105")},
                      {QStringLiteral("v"), QStringLiteral("1.0")}};
    QCOMPARE(ApiSigner::stringToSign(p, kSecret),
             QByteArrayLiteral(
                 "c0aa0226fddc4365a3c67fef45427f8aapp_key8FB345B8693CCD00CE073CAB5F094009339A22A4105B6558"
                 "expires_in7200formatjsonmethodjimi.oauth.token.getsign_methodmd5timestamp2025-05-19 10:23:00"
                 "user_idJMTEST123user_pwd_md521218cca77804d2ba1922c33e0151105v1.0c0aa0226fddc4365a3c67fef45427f8a"));
    QCOMPARE(ApiSigner::sign(p, kSecret), QStringLiteral("4EE067D88EA65FF2AFD4890955E042CB"));
}

void TestApiSigner::vectors_data()
{
    QTest::addColumn<ApiParams>("params");
    QTest::addColumn<QString>("expected");

    // §1.3 B, derived with the official algorithm.
    ApiParams live = common(QStringLiteral("jimi.device.media.live.stream"));
    live.insert(QStringLiteral("imei"), QStringLiteral("862798051058689"));
    live.insert(QStringLiteral("channel"), QStringLiteral("1"));
    live.insert(QStringLiteral("appId"), QStringLiteral("W1g3vp27z06a486"));
    QTest::newRow("appId sorts before app_key") << live << QStringLiteral("498B5149962166BC3093CA7E20222531");

    ApiParams loc = common(QStringLiteral("jimi.device.location.get"));
    loc.insert(QStringLiteral("imeis"), QStringLiteral("868120145233604,862798051058689"));
    loc.insert(QStringLiteral("map_type"), QString());
    QTest::newRow("empty map_type skipped") << loc << QStringLiteral("6C6ED12AEF37F592154F456D7C7EEF6A");

    ApiParams cmd = common(QStringLiteral("jimi.open.instruction.send"));
    cmd.insert(QStringLiteral("imei"), QStringLiteral("862798051058689"));
    cmd.insert(QStringLiteral("inst_param_json"),
               QStringLiteral(R"({"inst_id":"99","inst_template":"{0}","params":["RELAY,1#"],"is_cover":"true"})"));
    QTest::newRow("command JSON signed raw") << cmd << QStringLiteral("96E9661348E55D696791CD7020F5DB96");

    // Our own vectors, computed with an independent implementation (Python hashlib).
    ApiParams sos = common(QStringLiteral("jimi.open.instruction.send"));
    sos.insert(QStringLiteral("imei"), QStringLiteral("862798051058689"));
    sos.insert(
        QStringLiteral("inst_param_json"),
        QStringLiteral(
            R"({"inst_id":"99","inst_template":"{0}","params":["SOS,A,+8613800000000,+44 20 7946 0000#"],"is_cover":"true"})"));
    QTest::newRow("plus, space, comma, hash") << sos << QStringLiteral("2F75279FD507512D87220EF78C62A04B");

    ApiParams utf8 = common(QStringLiteral("jimi.open.device.update"));
    utf8.insert(QStringLiteral("imei"), QStringLiteral("862798051058689"));
    utf8.insert(QStringLiteral("driver_name"), QStringLiteral("Zoë Müller-Łukasz 司机"));
    utf8.insert(QStringLiteral("remarks"), QStringLiteral("a&b=c d+e#f,g"));
    QTest::newRow("non-ASCII and reserved characters") << utf8 << QStringLiteral("2CFB21BA3ECECA32B09E541C75C73421");

    const ApiParams toy{{QStringLiteral("foo"), QStringLiteral("1")},
                        {QStringLiteral("bar"), QStringLiteral("2")},
                        {QStringLiteral("foo_bar"), QStringLiteral("3")},
                        {QStringLiteral("foobar"), QStringLiteral("4")}};
    QTest::newRow("documentation toy example") << toy << QStringLiteral("2CEB0E3B7EA209555DFFC9296378FDD9");
}

void TestApiSigner::vectors()
{
    QFETCH(ApiParams, params);
    QFETCH(QString, expected);
    const QString secret = QTest::currentDataTag() == QByteArray("documentation toy example")
        ? QStringLiteral("h9lri085eachcz4sn7gwnkh6j0jt0yz4")
        : kSecret;
    QCOMPARE(ApiSigner::sign(params, secret), expected);
}

void TestApiSigner::ordinalOrderIsNotNaturalOrder()
{
    ApiParams live = common(QStringLiteral("jimi.device.media.live.stream"));
    live.insert(QStringLiteral("imei"), QStringLiteral("862798051058689"));
    live.insert(QStringLiteral("channel"), QStringLiteral("1"));
    live.insert(QStringLiteral("appId"), QStringLiteral("W1g3vp27z06a486"));
    // A case-insensitive sort would give this value (field notes §1.3 B).
    QVERIFY(ApiSigner::sign(live, kSecret) != QStringLiteral("2DA49EFDAAAB8CDE6801355E513AA082"));
    const QByteArray s = ApiSigner::stringToSign(live, kSecret);
    QVERIFY(s.indexOf("appId") < s.indexOf("app_key"));
}

void TestApiSigner::emptyValuesAreSkipped()
{
    ApiParams a{{QStringLiteral("a"), QStringLiteral("1")}};
    ApiParams b = a;
    b.insert(QStringLiteral("b"), QString());
    QCOMPARE(ApiSigner::sign(a, kSecret), ApiSigner::sign(b, kSecret));
    QCOMPARE(ApiSigner::stringToSign({{QStringLiteral("b"), QStringLiteral("2")},
                                      {QStringLiteral("a"), QStringLiteral("1")}},
                                     QStringLiteral("S")),
             QByteArrayLiteral("Sa1b2S"));
}

void TestApiSigner::signParameterIsIgnored()
{
    ApiParams a{{QStringLiteral("a"), QStringLiteral("1")}};
    ApiParams b = a;
    b.insert(QStringLiteral("sign"), QStringLiteral("WHATEVER"));
    QCOMPARE(ApiSigner::sign(a, kSecret), ApiSigner::sign(b, kSecret));
}

QTEST_GUILESS_MAIN(TestApiSigner)
#include "tst_apisigner.moc"
