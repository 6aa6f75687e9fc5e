#include "util/jsondom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace Fleet;

namespace {

QJsonValue randomValue(QRandomGenerator &rng, int depth)
{
    const int kind = int(rng.bounded(depth > 3 ? 5 : 7));
    switch (kind) {
    case 0: return QJsonValue();
    case 1: return rng.bounded(2) == 1;
    case 2: return double(rng.bounded(2000000)) / 7.0 - 100000.0;
    case 3: return double(qint64(rng.generate64() >> 12)); // large integers (IMEIs)
    case 4: {
        static const QStringList pieces = {QStringLiteral("a"),          QStringLiteral("\""),
                                           QStringLiteral("\\"),         QStringLiteral("/"),
                                           QStringLiteral("\n"),         QStringLiteral("\t"),
                                           QStringLiteral("\u00e9"),     QStringLiteral("\u7ca4"),
                                           QStringLiteral("\U0001F69A"), QStringLiteral(" "),
                                           QStringLiteral("\x01"),       QStringLiteral("RELAY,1#")};
        QString s;
        const int n = int(rng.bounded(8));
        for (int i = 0; i < n; ++i)
            s += pieces.at(int(rng.bounded(int(pieces.size()))));
        return s;
    }
    case 5: {
        QJsonArray a;
        const int n = int(rng.bounded(5));
        for (int i = 0; i < n; ++i)
            a.append(randomValue(rng, depth + 1));
        return a;
    }
    default: {
        QJsonObject o;
        const int n = int(rng.bounded(5));
        for (int i = 0; i < n; ++i)
            o.insert(QStringLiteral("k%1").arg(rng.bounded(20)), randomValue(rng, depth + 1));
        return o;
    }
    }
}

} // namespace

class TestJsonDom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agreesWithQJsonDocument();
    void scalarsAndLookup();
    void escapes();
    void rejects_data();
    void rejects();
    void depthLimit();
    void largeNumbers();
    void manyKeysAreCheckedForDuplicates();
    void numberLiteralsAreKept();
};

void TestJsonDom::agreesWithQJsonDocument()
{
    // Differential test: whatever Qt writes, we read back to the same value.
    QRandomGenerator rng(20261126);
    for (int i = 0; i < 2000; ++i) {
        const QJsonValue v = randomValue(rng, 0);
        const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray())
                                              : QJsonDocument(QJsonObject{{QStringLiteral("v"), v}});
        for (auto format : {QJsonDocument::Compact, QJsonDocument::Indented}) {
            const QByteArray text = doc.toJson(format);
            QString error;
            const std::optional<JsonDom> dom = JsonDom::parse(text, &error);
            QVERIFY2(dom, qPrintable(error + QStringLiteral(" in ") + QString::fromUtf8(text)));
            const QJsonValue back = dom->root().toJsonValue();
            const QJsonValue expected = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
            QVERIFY2(back == expected, text.constData());
        }
    }
}

void TestJsonDom::scalarsAndLookup()
{
    const std::optional<JsonDom> dom = JsonDom::parse(R"({"a":1,"b":"x","c":null,"d":[1,2,3],"e":{"f":true}})");
    QVERIFY(dom);
    const JsonNode r = dom->root();
    QCOMPARE(r.size(), 5);
    QCOMPARE(r.value(QLatin1String("a")).toDouble(), 1.0);
    QVERIFY(r.value(QLatin1String("b")).stringEquals(QLatin1String("x")));
    QVERIFY(r.value(QLatin1String("c")).isNull());
    QVERIFY(r.value(QLatin1String("zz")).isUndefined());
    QCOMPARE(r.value(QLatin1String("d")).size(), 3);
    QCOMPARE(r.value(QLatin1String("d")).firstChild().nextSibling().nextSibling().toDouble(), 3.0);
    QVERIFY(r.value(QLatin1String("d")).firstChild().nextSibling().nextSibling().nextSibling().isUndefined());
    QVERIFY(r.value(QLatin1String("e")).value(QLatin1String("f")).toBool());
    QVERIFY(JsonDom::parse("  [ ]  ")->root().isArray());
    QCOMPARE(JsonDom::parse("\"top\"")->root().toString(), QStringLiteral("top"));
}

void TestJsonDom::escapes()
{
    const std::optional<JsonDom> dom = JsonDom::parse(R"(["a\"b\\c\/d\n\u00e9\ud83d\ude9a", "\u0041BC"])");
    QVERIFY(dom);
    QCOMPARE(dom->root().firstChild().toString(), QStringLiteral("a\"b\\c/d\n\u00e9\U0001F69A"));
    QVERIFY(dom->root().firstChild().nextSibling().stringEquals(QLatin1String("ABC")));
}

void TestJsonDom::rejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("truncated object") << QByteArrayLiteral(R"({"a":1)");
    QTest::newRow("trailing comma") << QByteArrayLiteral("[1,2,]");
    QTest::newRow("trailing content") << QByteArrayLiteral("{} x");
    QTest::newRow("single quotes") << QByteArrayLiteral("{'a':1}");
    QTest::newRow("leading zero") << QByteArrayLiteral("[01]");
    QTest::newRow("bare dot") << QByteArrayLiteral("[1.]");
    QTest::newRow("NaN") << QByteArrayLiteral("[NaN]");
    QTest::newRow("control char") << QByteArrayLiteral("[\"a\x01\"]");
    QTest::newRow("bad escape") << QByteArrayLiteral(R"(["\x"])");
    QTest::newRow("lone high surrogate") << QByteArrayLiteral(R"(["\ud83d"])");
    QTest::newRow("lone low surrogate") << QByteArrayLiteral(R"(["\ude9a"])");
    QTest::newRow("invalid UTF-8") << QByteArrayLiteral("[\"\xC3\x28\"]");
    QTest::newRow("overlong UTF-8") << QByteArrayLiteral("[\"\xC0\xAF\"]");
    QTest::newRow("UTF-8 surrogate") << QByteArrayLiteral("[\"\xED\xA0\x80\"]");
    QTest::newRow("truncated UTF-8") << QByteArrayLiteral("[\"\xE7\xB2\"]");
    QTest::newRow("duplicate key") << QByteArrayLiteral(R"({"a":1,"a":2})");
    QTest::newRow("duplicate escaped key") << QByteArrayLiteral(R"({"ab":1,"x":0,"a\u0062":2})");
    QTest::newRow("duplicate among many")
        << QByteArrayLiteral(R"({"k1":1,"k2":1,"k3":1,"k4":1,"k5":1,"k6":1,"k7":1,"k8":1,"k3":1})");
    QTest::newRow("missing colon") << QByteArrayLiteral(R"({"a" 1})");
    QTest::newRow("tru") << QByteArrayLiteral("[tru]");
}

void TestJsonDom::rejects()
{
    QFETCH(QByteArray, text);
    QString error;
    QVERIFY(!JsonDom::parse(text, &error));
    QVERIFY(!error.isEmpty());
}

void TestJsonDom::depthLimit()
{
    const QByteArray ok = QByteArray(64, '[') + QByteArray(64, ']');
    QVERIFY(JsonDom::parse(ok));
    const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
    QString error;
    QVERIFY(!JsonDom::parse(deep, &error));
    QVERIFY(error.contains(QLatin1String("deep")));
}

void TestJsonDom::largeNumbers()
{
    const std::optional<JsonDom> dom = JsonDom::parse("[868120145233604, 1e999, -1e999, 1e-999]");
    QVERIFY(dom);
    JsonNode n = dom->root().firstChild();
    QCOMPARE(n.toDouble(), 868120145233604.0);
    n = n.nextSibling();
    QVERIFY(std::isinf(n.toDouble()) && n.toDouble() > 0);
    n = n.nextSibling();
    QVERIFY(std::isinf(n.toDouble()) && n.toDouble() < 0);
    n = n.nextSibling();
    QCOMPARE(n.toDouble(), 0.0);
}

void TestJsonDom::manyKeysAreCheckedForDuplicates()
{
    // One object of 125,000 keys (a push that meant harm): read whole, and a
    // repeated key is found however far apart the two are. The check is a
    // hash set (linear); bench_api shows its time.
    QByteArray text = "{";
    for (int i = 0; i < 125000; ++i)
        text += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ",";
    QByteArray unique = text;
    unique.chop(1);
    unique += "}";
    const std::optional<JsonDom> dom = JsonDom::parse(unique);
    QVERIFY(dom);
    QCOMPARE(dom->root().size(), 125000);
    QCOMPARE(JsonObjectIndex(dom->root()).value(QLatin1String("k124999")).toDouble(), 124999.0);
    QString error;
    QVERIFY(!JsonDom::parse(text + "\"k3\":0}", &error));
    QVERIFY2(error.startsWith(QLatin1String("duplicate key")), qPrintable(error));
    // An escaped spelling of a key is the same key.
    QVERIFY(!JsonDom::parse(text + "\"\\u006b3\":0}", &error));
    QVERIFY2(error.startsWith(QLatin1String("duplicate key")), qPrintable(error));
}

void TestJsonDom::numberLiteralsAreKept()
{
    const std::optional<JsonDom> dom = JsonDom::parse("[-0, 1e400, 868120246598152, 1.50, 99999999999999999999999]");
    QVERIFY(dom);
    QStringList literals;
    for (JsonNode n = dom->root().firstChild(); !n.isUndefined(); n = n.nextSibling())
        literals << QString::fromLatin1(n.toCompactJson());
    QCOMPARE(literals,
             (QStringList{QStringLiteral("-0"), QStringLiteral("1e400"), QStringLiteral("868120246598152"),
                          QStringLiteral("1.50"), QStringLiteral("99999999999999999999999")}));
}

QTEST_GUILESS_MAIN(TestJsonDom)
#include "tst_jsondom.moc"
