#include "util/jsonreader.h"

#include <QtTest>

#include <deque>

using namespace Fleet;

namespace {
// Keeps every parsed document alive for the test run; nodes point into them.
JsonNode obj(const char *json)
{
    static std::deque<JsonDom> docs;
    std::optional<JsonDom> dom = JsonDom::parse(QByteArray(json));
    if (!dom)
        qFatal("test JSON does not parse: %s", json);
    docs.push_back(std::move(*dom));
    return docs.back().root();
}
} // namespace

class TestJsonReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void numbers_data();
    void numbers();
    void integers();
    void flags_data();
    void flags();
    void text();
    void alternatives();
    void required();
};

void TestJsonReader::numbers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("present");
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("problem");
    QTest::newRow("number") << QByteArrayLiteral(R"({"v":12.5})") << true << 12.5 << false;
    QTest::newRow("string") << QByteArrayLiteral(R"({"v":"12.5"})") << true << 12.5 << false;
    QTest::newRow("unit suffix") << QByteArrayLiteral(R"({"v":"0.00L"})") << true << 0.0 << false;
    QTest::newRow("percent") << QByteArrayLiteral(R"({"v":"60%"})") << true << 60.0 << false;
    QTest::newRow("negative") << QByteArrayLiteral(R"({"v":"-1"})") << true << -1.0 << false;
    QTest::newRow("null") << QByteArrayLiteral(R"({"v":null})") << false << 0.0 << false;
    QTest::newRow("empty") << QByteArrayLiteral(R"({"v":""})") << false << 0.0 << false;
    QTest::newRow("absent") << QByteArrayLiteral(R"({})") << false << 0.0 << false;
    QTest::newRow("garbage") << QByteArrayLiteral(R"({"v":"abc"})") << false << 0.0 << true;
    QTest::newRow("two numbers") << QByteArrayLiteral(R"({"v":"1.2.3"})") << false << 0.0 << true;
    QTest::newRow("bool") << QByteArrayLiteral(R"({"v":true})") << false << 0.0 << true;
    QTest::newRow("array") << QByteArrayLiteral(R"({"v":[1]})") << false << 0.0 << true;
    QTest::newRow("huge exponent") << QByteArrayLiteral(R"({"v":"1e999"})") << false << 0.0 << true;
}

void TestJsonReader::numbers()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, present);
    QFETCH(double, value);
    QFETCH(bool, problem);
    QStringList problems;
    JsonReader r(obj(json.constData()), &problems);
    const std::optional<double> v = r.number(QLatin1String("v"));
    QCOMPARE(bool(v), present);
    if (present)
        QCOMPARE(*v, value);
    QCOMPARE(!problems.isEmpty(), problem);
}

void TestJsonReader::integers()
{
    QStringList problems;
    JsonReader r(obj(R"({"a":"15","b":15.0,"c":1.5,"d":"99999999999","e":"12"})"), &problems);
    QCOMPARE(r.integer(QLatin1String("a")), std::optional<int>(15));
    QCOMPARE(r.integer(QLatin1String("b")), std::optional<int>(15));
    QCOMPARE(r.integer(QLatin1String("c")), std::nullopt);
    QCOMPARE(r.integer(QLatin1String("d")), std::nullopt);
    QCOMPARE(r.integer64(QLatin1String("d")), std::optional<qint64>(99999999999));
    QCOMPARE(problems.size(), 2);
}

void TestJsonReader::flags_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("expected"); // -1 absent, 0 false, 1 true
    QTest::newRow("1") << QByteArrayLiteral(R"({"v":1})") << 1;
    QTest::newRow("\"0\"") << QByteArrayLiteral(R"({"v":"0"})") << 0;
    QTest::newRow("ON") << QByteArrayLiteral(R"({"v":"ON"})") << 1;
    QTest::newRow("off") << QByteArrayLiteral(R"({"v":"off"})") << 0;
    QTest::newRow("true") << QByteArrayLiteral(R"({"v":true})") << 1;
    QTest::newRow("\"false\"") << QByteArrayLiteral(R"({"v":"false"})") << 0;
    QTest::newRow("null") << QByteArrayLiteral(R"({"v":null})") << -1;
    QTest::newRow("2") << QByteArrayLiteral(R"({"v":2})") << -1;
    QTest::newRow("maybe") << QByteArrayLiteral(R"({"v":"maybe"})") << -1;
}

void TestJsonReader::flags()
{
    QFETCH(QByteArray, json);
    QFETCH(int, expected);
    JsonReader r(obj(json.constData()), nullptr);
    const std::optional<bool> v = r.flag(QLatin1String("v"));
    QCOMPARE(v ? int(*v) : -1, expected);
}

void TestJsonReader::text()
{
    QStringList problems;
    JsonReader r(obj(R"({"a":"x","b":868120145233604,"c":null,"d":{"x":1},"e":"null","f":1.5})"), &problems);
    QCOMPARE(r.text(QLatin1String("a")), QStringLiteral("x"));
    QCOMPARE(r.text(QLatin1String("b")), QStringLiteral("868120145233604"));
    QCOMPARE(r.text(QLatin1String("c")), QString());
    QCOMPARE(r.text(QLatin1String("d")), QString());
    QCOMPARE(r.text(QLatin1String("e")), QString());
    QCOMPARE(r.text(QLatin1String("f")), QStringLiteral("1.5"));
    QCOMPARE(problems.size(), 1);
}

void TestJsonReader::alternatives()
{
    JsonReader r(obj(R"({"VIN":"LC0CG4CF1H0029191","vin":""})"), nullptr);
    QCOMPARE(r.text(QLatin1String("vin"), QLatin1String("VIN")), QStringLiteral("LC0CG4CF1H0029191"));
}

void TestJsonReader::required()
{
    QStringList problems;
    JsonReader r(obj(R"({"lat":"abc","t":"2026-01-01 00:00:00"})"), &problems, QStringLiteral("item 3"));
    QVERIFY(r.requiredTime(QLatin1String("t")).isValid());
    QVERIFY(!r.failed());
    QVERIFY(!r.requiredNumber(QLatin1String("lat")));
    QVERIFY(r.failed());
    r.requiredText(QLatin1String("imei"));
    QCOMPARE(problems.size(), 2);
    QVERIFY(problems.first().startsWith(QLatin1String("item 3: ")));
}

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_jsonreader.moc"
