#include "net/formcodec.h"

#include <QUrlQuery>
#include <QtTest>

using namespace Fleet;

class TestFormCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reservedCharactersSurvive_data();
    void reservedCharactersSurvive();
    void commandIsPercentEncoded();
    void emptyValuesAreNotSent();
    void plusDecodesAsSpace();
    void rejectsBadInput_data();
    void rejectsBadInput();
};

void TestFormCodec::reservedCharactersSurvive_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("plus") << QStringLiteral("+8613800000000");
    QTest::newRow("hash and comma") << QStringLiteral("RELAY,1#");
    QTest::newRow("ampersand and equals") << QStringLiteral("a&b=c");
    QTest::newRow("spaces") << QStringLiteral("2025-05-19 10:23:00");
    QTest::newRow("percent") << QStringLiteral("100%25 done %");
    QTest::newRow("json") << QStringLiteral("{\"inst_id\":\"99\",\"params\":[\"SOS,A,+1 555#\"]}");
    QTest::newRow("non-ASCII") << QStringLiteral("粤B3604 Zoë");
}

void TestFormCodec::reservedCharactersSurvive()
{
    QFETCH(QString, value);
    const FormParams in{{QStringLiteral("k"), value}, {QStringLiteral("x"), QStringLiteral("1")}};
    const QByteArray body = FormCodec::encode(in);
    for (char c : {'+', '#', ',', ' ', '"', '{'})
        QVERIFY2(!body.contains(c), body.constData());
    const std::optional<FormParams> out = FormCodec::decode(body);
    QVERIFY(out);
    QCOMPARE(*out, in);
}

void TestFormCodec::commandIsPercentEncoded()
{
    QCOMPARE(FormCodec::encode({{QStringLiteral("cmd"), QStringLiteral("FIND,3000#")}}),
             QByteArrayLiteral("cmd=FIND%2C3000%23"));
    QCOMPARE(FormCodec::encode({{QStringLiteral("cmd"), QStringLiteral("RELAY,1#")}}),
             QByteArrayLiteral("cmd=RELAY%2C1%23"));
}

void TestFormCodec::emptyValuesAreNotSent()
{
    const QByteArray body = FormCodec::encode(
        {{QStringLiteral("a"), QStringLiteral("1")}, {QStringLiteral("map_type"), QString()}});
    QCOMPARE(body, QByteArrayLiteral("a=1"));
}

void TestFormCodec::plusDecodesAsSpace()
{
    const std::optional<FormParams> p = FormCodec::decode("timestamp=2025-05-19+10%3A23%3A00&x=%2B1");
    QVERIFY(p);
    QCOMPARE(p->value(QStringLiteral("timestamp")), QStringLiteral("2025-05-19 10:23:00"));
    QCOMPARE(p->value(QStringLiteral("x")), QStringLiteral("+1"));
}

void TestFormCodec::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("truncated escape") << QByteArrayLiteral("a=%4");
    QTest::newRow("bad escape") << QByteArrayLiteral("a=%zz");
    QTest::newRow("invalid UTF-8") << QByteArrayLiteral("a=%C3%28");
    QTest::newRow("overlong UTF-8") << QByteArrayLiteral("a=%C0%AF");
    QTest::newRow("UTF-16 surrogate") << QByteArrayLiteral("a=%ED%A0%80");
    QTest::newRow("above U+10FFFF") << QByteArrayLiteral("a=%F4%90%80%80");
    QTest::newRow("truncated UTF-8") << QByteArrayLiteral("a=%E2%82");
    QTest::newRow("truncated escape") << QByteArrayLiteral("a=%4");
    QTest::newRow("lone percent") << QByteArrayLiteral("a=%");
    QTest::newRow("duplicate key") << QByteArrayLiteral("a=1&a=2");
    QTest::newRow("empty key") << QByteArrayLiteral("=1");
}

void TestFormCodec::rejectsBadInput()
{
    QFETCH(QByteArray, body);
    QString error;
    QVERIFY(!FormCodec::decode(body, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestFormCodec)
#include "tst_formcodec.moc"
