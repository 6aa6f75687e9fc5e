#include "util/bytes.h"
#include "util/percentile.h"

#include <QtTest>

using namespace Fleet;

class TestBytes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void constantTimeCompare();
    void utf8_data();
    void utf8();
    void percentileNearestRank();
};

void TestBytes::constantTimeCompare()
{
    QVERIFY(Bytes::equalsConstantTime("abc", "abc"));
    QVERIFY(!Bytes::equalsConstantTime("abc", "abd"));
    QVERIFY(!Bytes::equalsConstantTime("abc", "abcd"));
    QVERIFY(!Bytes::equalsConstantTime("", "a"));
    QVERIFY(Bytes::equalsConstantTime("", ""));
    // Bytes after a NUL count.
    QVERIFY(!Bytes::equalsConstantTime(QByteArrayView("a\0b", 3), QByteArrayView("a\0c", 3)));
}

void TestBytes::utf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("plain") << true;
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("two-byte") << QByteArray("\xc3\xa9") << true;
    QTest::newRow("three-byte") << QByteArray("\xe4\xb8\xad") << true;
    QTest::newRow("four-byte") << QByteArray("\xf0\x9f\x9a\x90") << true;
    QTest::newRow("max") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("overlong /") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("overlong three") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("above max") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xe4\xb8") << false;
    QTest::newRow("invalid lead") << QByteArray("\xff") << false;
}

void TestBytes::utf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(Bytes::isUtf8(bytes), valid);
}

void TestBytes::percentileNearestRank()
{
    QCOMPARE(percentile(std::vector<int>{}, 50), 0);
    QCOMPARE(percentile(std::vector<int>{7}, 99), 7);
    const std::vector<int> v{15, 20, 35, 40, 50};
    // The nearest-rank examples of the textbook definition.
    QCOMPARE(percentile(v, 5), 15);
    QCOMPARE(percentile(v, 30), 20);
    QCOMPARE(percentile(v, 40), 20);
    QCOMPARE(percentile(v, 50), 35);
    QCOMPARE(percentile(v, 100), 50);
    std::vector<double> hundred;
    for (int i = 100; i >= 1; --i)
        hundred.push_back(i);
    QCOMPARE(percentile(hundred, 99), 99.0);
    QCOMPARE(percentile(hundred, 50), 50.0);
}

QTEST_GUILESS_MAIN(TestBytes)
#include "tst_bytes.moc"
