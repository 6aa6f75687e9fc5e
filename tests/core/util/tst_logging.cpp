#include "util/logging.h"

#include <QtTest>

using namespace Fleet;

class TestLogging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loggable_data();
    void loggable();
    void loggableCutsLongText();
    void redactIsOneWay();
};

void TestLogging::loggable_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << QStringLiteral("/pushgps") << QStringLiteral("/pushgps");
    QTest::newRow("CR LF") << QStringLiteral("a\r\nb") << QStringLiteral("a\\x0d\\x0ab");
    QTest::newRow("NUL, ESC, DEL") << QString::fromUtf16(u"a\u0000b\u001bc\u007f", 6)
                                   << QStringLiteral("a\\x00b\\x1bc\\x7f");
    QTest::newRow("C1 NEL") << QString::fromUtf16(u"a\u0085b") << QStringLiteral("a\\x85b");
    QTest::newRow("line separator") << QString::fromUtf16(u"a\u2028b") << QStringLiteral("a\\u2028b");
    QTest::newRow("RTL override") << QString::fromUtf16(u"a\u202eb\u2066") << QStringLiteral("a\\u202eb\\u2066");
    QTest::newRow("backslash") << QStringLiteral("a\\x0d") << QStringLiteral("a\\\\x0d");
    QTest::newRow("non-latin kept") << QString::fromUtf16(u"深圳 ✓") << QString::fromUtf16(u"深圳 ✓");
}

void TestLogging::loggable()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(Fleet::loggable(in), out);
}

void TestLogging::loggableCutsLongText()
{
    QCOMPARE(Fleet::loggable(QString(300, QLatin1Char('a')), 10), QString(10, QLatin1Char('a')) + QChar(0x2026));
    // A surrogate pair is never cut in half.
    const QString pairs = QString::fromUtf16(u"😀😀😀");
    QCOMPARE(Fleet::loggable(pairs, 3), QString::fromUtf16(u"😀") + QChar(0x2026));
}

void TestLogging::redactIsOneWay()
{
    const QString r = redact(QStringLiteral("s3cr3t"));
    QVERIFY(r.startsWith(QLatin1String("<redacted#")));
    QVERIFY(!r.contains(QLatin1String("s3cr3t")));
    QCOMPARE(redact(QStringLiteral("s3cr3t")), r);
}

QTEST_GUILESS_MAIN(TestLogging)
#include "tst_logging.moc"
