#include "util/apitime.h"

#include <QTimeZone>
#include <QtTest>

using namespace Fleet;

class TestApiTime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void absentValues();
    void rejects_data();
    void rejects();
    void compactBcd();
    void formatIsUtc();
};

namespace {
QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), QTimeZone::utc());
}
} // namespace

void TestApiTime::formats_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QDateTime>("expected");
    QTest::newRow("api format") << QJsonValue(QStringLiteral("2026-03-18 10:20:37")) << utc(2026, 3, 18, 10, 20, 37);
    QTest::newRow("unpadded hour") << QJsonValue(QStringLiteral("2024-05-09 1:27:23")) << utc(2024, 5, 9, 1, 27, 23);
    QTest::newRow("iso ms Z") << QJsonValue(QStringLiteral("2022-12-10T01:05:33.000Z")) << utc(2022, 12, 10, 1, 5, 33);
    QTest::newRow("iso offset") << QJsonValue(QStringLiteral("2022-12-10T09:05:33+08:00"))
                                << utc(2022, 12, 10, 1, 5, 33);
    QTest::newRow("date only") << QJsonValue(QStringLiteral("2037-04-01")) << utc(2037, 4, 1, 0, 0, 0);
    QTest::newRow("unix seconds number") << QJsonValue(1734593340.0) << utc(2024, 12, 19, 7, 29, 0);
    QTest::newRow("unix seconds string") << QJsonValue(QStringLiteral("1611105520")) << utc(2021, 1, 20, 1, 18, 40);
    QTest::newRow("unix ms") << QJsonValue(1763030059000.0) << utc(2025, 11, 13, 10, 34, 19);
    QTest::newRow("padded spaces") << QJsonValue(QStringLiteral("  2026-03-18 10:20:37 "))
                                   << utc(2026, 3, 18, 10, 20, 37);
}

void TestApiTime::formats()
{
    QFETCH(QJsonValue, value);
    QFETCH(QDateTime, expected);
    bool ok = false;
    const QDateTime t = ApiTime::parse(value, &ok);
    QVERIFY(ok);
    QCOMPARE(t, expected);
    QCOMPARE(t.offsetFromUtc(), 0);
}

void TestApiTime::absentValues()
{
    for (const QJsonValue &v : {QJsonValue(), QJsonValue(QJsonValue::Undefined), QJsonValue(QString()),
                                QJsonValue(QStringLiteral("null")), QJsonValue(0.0)}) {
        bool ok = false;
        QVERIFY(!ApiTime::parse(v, &ok).isValid());
        QVERIFY(ok);
    }
}

void TestApiTime::rejects_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("month 13") << QJsonValue(QStringLiteral("2026-13-01 00:00:00"));
    QTest::newRow("hour 25") << QJsonValue(QStringLiteral("2026-01-01 25:00:00"));
    QTest::newRow("words") << QJsonValue(QStringLiteral("yesterday"));
    QTest::newRow("negative") << QJsonValue(-5.0);
    QTest::newRow("far future") << QJsonValue(QStringLiteral("99999999999999"));
    QTest::newRow("beyond 64-bit ms") << QJsonValue(1.6111e34);
    QTest::newRow("object") << QJsonValue(QJsonObject());
    QTest::newRow("bool") << QJsonValue(true);
    QTest::newRow("bad offset") << QJsonValue(QStringLiteral("2026-01-01T00:00:00+25:00"));
}

void TestApiTime::rejects()
{
    QFETCH(QJsonValue, value);
    bool ok = true;
    QVERIFY(!ApiTime::parse(value, &ok).isValid());
    QVERIFY(!ok);
}

void TestApiTime::compactBcd()
{
    bool ok = false;
    QCOMPARE(ApiTime::parseCompact(QStringLiteral("250107110605"), &ok), utc(2025, 1, 7, 11, 6, 5));
    QVERIFY(ok);
    QVERIFY(!ApiTime::parseCompact(QStringLiteral("251307110605"), &ok).isValid());
    QVERIFY(!ok);
}

void TestApiTime::formatIsUtc()
{
    const QDateTime local(QDate(2026, 3, 18), QTime(12, 0), QTimeZone(3600 * 2));
    QCOMPARE(ApiTime::format(local), QStringLiteral("2026-03-18 10:00:00"));
}

QTEST_GUILESS_MAIN(TestApiTime)
#include "tst_apitime.moc"
