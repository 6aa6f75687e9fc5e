// The push request envelope: form decoding and every way it refuses a body,
// the payload's item check, endpoint names, and the /pushgps status bits.

#include "domain/push.h"
#include "push/pushenvelope.h"

#include <QtTest>

using namespace Fleet;
using namespace Fleet::Push;

class TestPushEnvelope : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesForm();
    void decodesEscapes();
    void officialForm();
    void formErrors_data();
    void formErrors();
    void splitsItems();
    void itemErrors_data();
    void itemErrors();
    void endpointForPath_data();
    void endpointForPath();
    void endpointNamesRoundTrip();
    void gpsStatus();
    void compactJson();
};

void TestPushEnvelope::decodesForm()
{
    const EnvelopeResult<PushEnvelope> r = decodeForm("token=t0k3n&data_list=%5B%5D&extra=1");
    QVERIFY(r.ok());
    QCOMPARE(r.value().token, QByteArray("t0k3n"));
    QCOMPARE(r.value().payload, QByteArray("[]"));
    QVERIFY(r.value().msgType.isEmpty());
    QVERIFY(!r.value().officialForm);

    // Empty pairs, a key without '=', and unencoded JSON (as the docs print it).
    const EnvelopeResult<PushEnvelope> loose = decodeForm("&token&&data_list=[{\"a\":\"b c\"}]&");
    QVERIFY(loose.ok());
    QCOMPARE(loose.value().token, QByteArray());
    QCOMPARE(loose.value().payload, QByteArray("[{\"a\":\"b c\"}]"));

    const EnvelopeResult<PushEnvelope> typed = decodeForm("token=t&msgType=2&data_list=%7B%7D");
    QVERIFY(typed.ok());
    QCOMPARE(typed.value().msgType, QStringLiteral("2"));
    QVERIFY(!typed.value().officialForm);
}

void TestPushEnvelope::decodesEscapes()
{
    const EnvelopeResult<PushEnvelope> r = decodeForm("token=a+b%2Bc%25&data_list=%E4%BD%A0%e5%a5%bd");
    QVERIFY(r.ok());
    QCOMPARE(r.value().token, QByteArray("a b+c%"));
    QCOMPARE(QString::fromUtf8(r.value().payload), QStringLiteral(u"你好"));
    // The largest code point and a four-byte sequence are fine.
    const EnvelopeResult<PushEnvelope> wide = decodeForm("data_list=%F4%8F%BF%BF%F0%9F%9A%97");
    QVERIFY(wide.ok());
    QCOMPARE(wide.value().payload.size(), 8);
    // Keys are decoded too.
    const EnvelopeResult<PushEnvelope> k = decodeForm("data%5Flist=%5B%5D");
    QVERIFY(k.ok());
    QCOMPARE(k.value().payload, QByteArray("[]"));
}

void TestPushEnvelope::officialForm()
{
    const EnvelopeResult<PushEnvelope> r = decodeForm("msgType=jimi.push.device.alarm&data=%7B%22imei%22%3A%221%22%7D");
    QVERIFY(r.ok());
    QVERIFY(r.value().officialForm);
    QCOMPARE(r.value().msgType, QStringLiteral("jimi.push.device.alarm"));
    QCOMPARE(r.value().payload, QByteArray(R"({"imei":"1"})"));
    // data_list wins over data.
    const EnvelopeResult<PushEnvelope> both = decodeForm("msgType=x&data=%7B%7D&data_list=%5B%5D");
    QVERIFY(both.ok());
    QVERIFY(!both.value().officialForm);
    QCOMPARE(both.value().payload, QByteArray("[]"));
}

void TestPushEnvelope::formErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad hex") << QByteArray("token=t&data_list=%G1") << 400
                             << QStringLiteral("malformed form body: invalid percent escape at byte 18");
    QTest::newRow("bad second hex") << QByteArray("token=%4x&data_list=[]") << 400
                                    << QStringLiteral("malformed form body: invalid percent escape at byte 6");
    QTest::newRow("truncated") << QByteArray("data_list=[]&token=%4") << 400
                               << QStringLiteral("malformed form body: truncated percent escape at byte 19");
    QTest::newRow("lone percent") << QByteArray("data_list=[]&token=%") << 400
                                  << QStringLiteral("malformed form body: truncated percent escape at byte 19");
    QTest::newRow("bad escape in key") << QByteArray("to%zzken=t&data_list=[]") << 400
                                       << QStringLiteral("malformed form body: invalid percent escape at byte 2");
    QTest::newRow("bad escape in unknown field")
        << QByteArray("data_list=[]&x=%%41") << 400
        << QStringLiteral("malformed form body: invalid percent escape at byte 15");
    QTest::newRow("duplicate token") << QByteArray("token=a&token=b&data_list=[]") << 400
                                     << QStringLiteral("duplicate field 'token'");
    QTest::newRow("duplicate data_list") << QByteArray("token=a&data_list=[]&data_list=[]") << 400
                                         << QStringLiteral("duplicate field 'data_list'");
    QTest::newRow("duplicate msgType") << QByteArray("msgType=1&msgType=2&data_list=[]") << 400
                                       << QStringLiteral("duplicate field 'msgType'");
    QTest::newRow("duplicate data") << QByteArray("msgType=1&data=1&data=2") << 400
                                    << QStringLiteral("duplicate field 'data'");
    QTest::newRow("invalid utf8") << QByteArray("token=t&data_list=%FF") << 400
                                  << QStringLiteral("field 'data_list' is not valid UTF-8");
    QTest::newRow("raw invalid utf8") << QByteArray("token=t&data_list=[\"\xC3\"]") << 400
                                      << QStringLiteral("field 'data_list' is not valid UTF-8");
    QTest::newRow("overlong utf8") << QByteArray("token=t&data_list=%C0%AF") << 400
                                   << QStringLiteral("field 'data_list' is not valid UTF-8");
    QTest::newRow("surrogate utf8") << QByteArray("token=t&data_list=%ED%A0%80") << 400
                                    << QStringLiteral("field 'data_list' is not valid UTF-8");
    QTest::newRow("truncated utf8") << QByteArray("token=t&data_list=%E4%BD") << 400
                                    << QStringLiteral("field 'data_list' is not valid UTF-8");
    QTest::newRow("above U+10FFFF") << QByteArray("token=t&data_list=%F4%90%80%80") << 400
                                    << QStringLiteral("field 'data_list' is not valid UTF-8");
    QTest::newRow("token not utf8") << QByteArray("token=%FE&data_list=[]") << 400
                                    << QStringLiteral("field 'token' is not valid UTF-8");
    QTest::newRow("empty body") << QByteArray() << 422 << QStringLiteral("data_list is missing");
    QTest::newRow("no data_list") << QByteArray("token=t") << 422 << QStringLiteral("data_list is missing");
    QTest::newRow("data without msgType")
        << QByteArray("token=t&data=%7B%7D") << 422 << QStringLiteral("data_list is missing");
    QTest::newRow("msgType without data")
        << QByteArray("token=t&msgType=1") << 422 << QStringLiteral("data_list is missing");
}

void TestPushEnvelope::formErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    const EnvelopeResult<PushEnvelope> r = decodeForm(body);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus, status);
    QCOMPARE(r.error().message, message);
}

void TestPushEnvelope::splitsItems()
{
    PushEnvelope env;
    env.payload = "[]";
    EnvelopeResult<PushItems> r = splitItems(Endpoint::Gps, env);
    QVERIFY(r.ok());
    QCOMPARE(r.value().count(), 0);
    QVERIFY(r.value().items().isEmpty());

    env.payload = "[1, {\"a\":2}, null]";
    r = splitItems(Endpoint::Gps, env);
    QVERIFY(r.ok());
    QCOMPARE(r.value().count(), 3);
    QCOMPARE(r.value().items().size(), 3);
    QVERIFY(r.value().items().at(1).isObject());

    // A single object: offline command answers and the official form only.
    env.payload = R"({"_imei":"1"})";
    r = splitItems(Endpoint::InstructResponse, env);
    QVERIFY(r.ok());
    QVERIFY(r.value().singleObject);
    QCOMPARE(r.value().count(), 1);
    env.officialForm = true;
    r = splitItems(Endpoint::Alarm, env);
    QVERIFY(r.ok());
    QCOMPARE(r.value().count(), 1);

    // Exactly at the limit.
    env = PushEnvelope();
    QByteArray fifty = "[";
    for (int i = 0; i < 50; ++i)
        fifty += i ? ",{}" : "{}";
    env.payload = fifty + "]";
    r = splitItems(Endpoint::Gps, env);
    QVERIFY(r.ok());
    QCOMPARE(r.value().count(), 50);
}

void TestPushEnvelope::itemErrors_data()
{
    QTest::addColumn<int>("endpoint");
    QTest::addColumn<bool>("official");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("maxItems");
    QTest::addColumn<QString>("message");
    QByteArray fiftyOne = "[";
    for (int i = 0; i < 51; ++i)
        fiftyOne += i ? ",{}" : "{}";
    fiftyOne += "]";
    const int gps = int(Endpoint::Gps);
    QTest::newRow("51 items") << gps << false << fiftyOne << 50
                              << QStringLiteral("data_list has 51 items; at most 50 are accepted");
    QTest::newRow("custom limit") << gps << false << QByteArray("[1,2,3]") << 2
                                  << QStringLiteral("data_list has 3 items; at most 2 are accepted");
    QTest::newRow("object") << gps << false << QByteArray("{}") << 50
                            << QStringLiteral("data_list is not a JSON array: it is an object");
    QTest::newRow("string") << gps << false << QByteArray("\"[]\"") << 50
                            << QStringLiteral("data_list is not a JSON array: it is a scalar");
    QTest::newRow("empty") << gps << false << QByteArray() << 50
                           << QStringLiteral("data_list is not a JSON array: unexpected end of input at offset 0");
    QTest::newRow("truncated") << gps << false << QByteArray("[{\"a\":1}") << 50
                               << QStringLiteral("data_list is not a JSON array: ");
    QTest::newRow("trailing") << gps << false << QByteArray("[] x") << 50
                              << QStringLiteral("data_list is not a JSON array: ");
    QTest::newRow("official scalar") << int(Endpoint::Alarm) << true << QByteArray("42") << 50
                                     << QStringLiteral("data is not a JSON object or array: it is a scalar");
    QTest::newRow("instruct scalar") << int(Endpoint::InstructResponse) << false << QByteArray("true") << 50
                                     << QStringLiteral("data_list is not a JSON object or array: it is a scalar");
    QByteArray deep(100, '[');
    deep += QByteArray(100, ']');
    QTest::newRow("too deep") << gps << false << deep << 50 << QStringLiteral("data_list is not a JSON array: ");
}

void TestPushEnvelope::itemErrors()
{
    QFETCH(int, endpoint);
    QFETCH(bool, official);
    QFETCH(QByteArray, payload);
    QFETCH(int, maxItems);
    QFETCH(QString, message);
    PushEnvelope env;
    env.payload = payload;
    env.officialForm = official;
    const EnvelopeResult<PushItems> r = splitItems(Endpoint(endpoint), env, maxItems);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus, 422);
    // Messages ending in ": " are followed by the JSON parser's own words.
    if (message.endsWith(QLatin1String(": "))) {
        QVERIFY2(r.error().message.startsWith(message) && r.error().message.size() > message.size(),
                 qPrintable(r.error().message));
    } else {
        QCOMPARE(r.error().message, message);
    }
}

void TestPushEnvelope::endpointForPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("endpoint"); // -1: none
    QTest::newRow("plain") << QStringLiteral("/pushgps") << int(Endpoint::Gps);
    QTest::newRow("no slash") << QStringLiteral("pushhb") << int(Endpoint::Heartbeat);
    QTest::newRow("prefix") << QStringLiteral("/jimi/pushgps") << int(Endpoint::Gps);
    QTest::newRow("trailing slash") << QStringLiteral("/jimi/pushalarm/") << int(Endpoint::Alarm);
    QTest::newRow("case") << QStringLiteral("/PUSHIOTHUBEVENT") << int(Endpoint::IotHubEvent);
    QTest::newRow("documented case") << QStringLiteral("/pushIothubEvent") << int(Endpoint::IotHubEvent);
    QTest::newRow("rfid") << QStringLiteral("/rfid") << int(Endpoint::Rfid);
    QTest::newRow("pushrfid") << QStringLiteral("/hooks/pushRfid") << int(Endpoint::Rfid);
    QTest::newRow("wgtc") << QStringLiteral("/wgtc") << int(Endpoint::Module);
    QTest::newRow("pushwgtc") << QStringLiteral("/pushwgtc") << int(Endpoint::Module);
    QTest::newRow("uploadCallback") << QStringLiteral("/a/b/uploadcallback") << int(Endpoint::UploadCallback);
    QTest::newRow("tripreport") << QStringLiteral("/pushtripreport") << int(Endpoint::TripReport);
    QTest::newRow("unknown") << QStringLiteral("/pushfoo") << -1;
    QTest::newRow("suffix") << QStringLiteral("/pushgpsx") << -1;
    QTest::newRow("endpoint then more") << QStringLiteral("/pushgps/extra") << -1;
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("root") << QStringLiteral("/") << -1;
    QTest::newRow("two slashes") << QStringLiteral("/pushgps//") << -1;
}

void TestPushEnvelope::endpointForPath()
{
    QFETCH(QString, path);
    QFETCH(int, endpoint);
    const std::optional<Endpoint> e = Push::endpointForPath(path);
    if (endpoint < 0)
        QVERIFY(!e);
    else
        QCOMPARE(e, std::optional<Endpoint>(Endpoint(endpoint)));
}

void TestPushEnvelope::endpointNamesRoundTrip()
{
    const QList<Endpoint> all = allEndpoints();
    QCOMPARE(all.size(), 23);
    QSet<QString> names;
    for (const Endpoint e : all) {
        const QString name = endpointName(e);
        QVERIFY(!name.isEmpty() && !name.contains(QLatin1Char('/')));
        names.insert(name.toLower());
        QCOMPARE(Push::endpointForPath(QLatin1Char('/') + name), std::optional<Endpoint>(e));
    }
    QCOMPARE(names.size(), 23);
    QCOMPARE(endpointName(Endpoint::IotHubEvent), QLatin1String("pushIothubEvent"));
    QCOMPARE(endpointName(Endpoint::Module), QLatin1String("wgtc"));
}

void TestPushEnvelope::gpsStatus()
{
    // The documented sample: 0x40003 = ACC on + positioned + GPS.
    const GpsStatus s = GpsStatus::decode(262147);
    QCOMPARE(s.raw, 262147u);
    QVERIFY(s.accOn && s.positioned && s.gps);
    QVERIFY(!s.south && !s.west && !s.outOfService && !s.encrypted && !s.beidou && !s.glonass && !s.galileo);
    QCOMPARE(s.load, 0);
    QCOMPARE(s.doorsOpen, 0);
    QCOMPARE(s.gnssText(), QStringLiteral("GPS"));

    QCOMPARE(GpsStatus::decode(0), GpsStatus());
    QCOMPARE(GpsStatus::decode(0).gnssText(), QString());

    const GpsStatus all = GpsStatus::decode(0xFFFFFFFFu);
    QVERIFY(all.accOn && all.positioned && all.south && all.west && all.outOfService && all.encrypted);
    QVERIFY(all.oilCircuitCut && all.powerCircuitCut && all.doorLocked);
    QCOMPARE(all.load, 3);
    QCOMPARE(all.doorsOpen, 0x1F);
    QCOMPARE(all.gnssText(), QStringLiteral("GPS+BDS+GLONASS+Galileo"));

    // Single bits land in their own fields.
    QCOMPARE(GpsStatus::decode(1u << 2).south, true);
    QCOMPARE(GpsStatus::decode(1u << 3).west, true);
    QCOMPARE(GpsStatus::decode(1u << 9).load, 2);
    QCOMPARE(GpsStatus::decode(1u << 13).doorsOpen, 1); // door 1
    QCOMPARE(GpsStatus::decode(1u << 17).doorsOpen, 0x10); // door 5
    QCOMPARE(GpsStatus::decode(1u << 12).doorLocked, true);
    QCOMPARE(GpsStatus::decode(1u << 22), GpsStatus{1u << 22}); // undefined bits: raw only
    QCOMPARE(GpsStatus::decode((1u << 19) | (1u << 21)).gnssText(), QStringLiteral("BDS+Galileo"));
}

void TestPushEnvelope::compactJson()
{
    const QByteArray text = R"( { "a" : [ 1 , 2.50 , -0e0 , 1e400 , 99999999999999999999999 ] ,
        "s" : "x \" \u00e9 \/ y" , "t" : true , "n" : null , "o" : { } , "e" : [ ] } )";
    const std::optional<JsonDom> dom = JsonDom::parse(text);
    QVERIFY(dom);
    QCOMPARE(
        dom->root().toCompactJson(),
        QByteArray(
            R"({"a":[1,2.50,-0e0,1e400,99999999999999999999999],"s":"x \" \u00e9 \/ y","t":true,"n":null,"o":{},"e":[]})"));
    QCOMPARE(dom->root().value(QLatin1String("o")).toCompactJson(), QByteArray("{}"));
    QCOMPARE(JsonNode().toCompactJson(), QByteArray());
}

QTEST_GUILESS_MAIN(TestPushEnvelope)
#include "tst_pushenvelope.moc"
