// The simulated fleet's start time: the --fleet-start grammar shared by
// fleetdesk-sim and fleetdesk, and the demo's default (a weekday, in working
// hours, whatever the calendar says).

#include "sim/fleetstart.h"
#include "util/utc.h"

#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

class TestFleetStart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesNowAndIsoTimes_data();
    void parsesNowAndIsoTimes();
    void refusesAnythingElse_data();
    void refusesAnythingElse();
    void demoStartsOnAWeekdayInWorkingHours_data();
    void demoStartsOnAWeekdayInWorkingHours();
    void demoStartIsAWorkingWeekdayForEveryHourOfAYear();
};

namespace {
QDateTime utc(int y, int mo, int d, int h, int mi = 0, int s = 0)
{
    return Utc::dateTime(QDate(y, mo, d), QTime(h, mi, s));
}
constexpr int kParis = 3600; // the simulated fleet's default offset
} // namespace

void TestFleetStart::parsesNowAndIsoTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime now = utc(2026, 12, 6, 3, 0, 17);
    QTest::newRow("now") << QStringLiteral("now") << now;
    QTest::newRow("NOW, spaced") << QStringLiteral(" NOW ") << now;
    QTest::newRow("Z") << QStringLiteral("2026-12-02T10:00:00Z") << utc(2026, 12, 2, 10);
    QTest::newRow("offset") << QStringLiteral("2026-12-02T10:00:00+02:00") << utc(2026, 12, 2, 8);
    // Tests run with TZ=UTC: a time without an offset is local time.
    QTest::newRow("no offset") << QStringLiteral("2026-12-02T10:00") << utc(2026, 12, 2, 10);
}

void TestFleetStart::parsesNowAndIsoTimes()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const std::optional<QDateTime> t = parseFleetStart(text, utc(2026, 12, 6, 3, 0, 17));
    QVERIFY(t);
    QCOMPARE(*t, expected);
    QCOMPARE(t->timeSpec(), Qt::UTC);
}

void TestFleetStart::refusesAnythingElse_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("word") << QStringLiteral("tomorrow");
    QTest::newRow("api format") << QStringLiteral("2026-12-02 10:00:00x");
    QTest::newRow("bad date") << QStringLiteral("2026-13-02T10:00:00Z");
}

void TestFleetStart::refusesAnythingElse()
{
    QFETCH(QString, text);
    QString why;
    QVERIFY(!parseFleetStart(text, utc(2026, 12, 6, 3), &why));
    QVERIFY2(why.contains(QLatin1String("ISO 8601")), qPrintable(why));
}

void TestFleetStart::demoStartsOnAWeekdayInWorkingHours_data()
{
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QDateTime>("expected");
    // Fleet-local time is UTC+1 (Paris in winter).
    QTest::newRow("Wednesday 10:00 local: now") << utc(2026, 12, 2, 9) << utc(2026, 12, 2, 9);
    QTest::newRow("Wednesday 07:00 local: now") << utc(2026, 12, 2, 6) << utc(2026, 12, 2, 6);
    QTest::newRow("Wednesday 17:59 local: now") << utc(2026, 12, 2, 16, 59, 30) << utc(2026, 12, 2, 16, 59, 30);
    QTest::newRow("Wednesday 18:00 local: 10:00") << utc(2026, 12, 2, 17) << utc(2026, 12, 2, 9);
    QTest::newRow("Wednesday 23:30 local: 10:00") << utc(2026, 12, 2, 22, 30) << utc(2026, 12, 2, 9);
    QTest::newRow("Wednesday 03:00 local: 10:00") << utc(2026, 12, 2, 2) << utc(2026, 12, 2, 9);
    QTest::newRow("Saturday 12:00 local: Friday 12:00") << utc(2026, 12, 5, 11) << utc(2026, 12, 4, 11);
    QTest::newRow("Sunday 17:59 local: Friday 17:59") << utc(2026, 12, 6, 16, 59, 10) << utc(2026, 12, 4, 16, 59, 10);
    QTest::newRow("Sunday 04:00 local: Friday 10:00") << utc(2026, 12, 6, 3) << utc(2026, 12, 4, 9);
    // 23:30 UTC on a Sunday is already Monday 00:30 in the fleet's zone.
    QTest::newRow("Sunday 23:30 UTC = Monday 00:30 local: Monday 10:00")
        << utc(2026, 12, 6, 23, 30) << utc(2026, 12, 7, 9);
    // A Saturday 23:30 UTC is Sunday local: Friday.
    QTest::newRow("Saturday 23:30 UTC: Friday 10:00") << utc(2026, 12, 5, 23, 30) << utc(2026, 12, 4, 9);
    QTest::newRow("New Year's Day, a Friday, at noon") << utc(2027, 1, 1, 11) << utc(2027, 1, 1, 11);
}

void TestFleetStart::demoStartsOnAWeekdayInWorkingHours()
{
    QFETCH(QDateTime, now);
    QFETCH(QDateTime, expected);
    QCOMPARE(demoFleetStart(now, kParis), expected);
}

void TestFleetStart::demoStartIsAWorkingWeekdayForEveryHourOfAYear()
{
    for (QDateTime now = utc(2026, 1, 1, 0, 17); now < utc(2027, 1, 1, 0); now = now.addSecs(3600)) {
        const QDateTime start = demoFleetStart(now, kParis);
        const QDateTime local = start.addSecs(kParis);
        QVERIFY2(local.date().dayOfWeek() <= 5, qPrintable(now.toString(Qt::ISODate)));
        QVERIFY2(local.time() >= QTime(7, 0) && local.time() < QTime(18, 0), qPrintable(now.toString(Qt::ISODate)));
        // Never more than a weekend and a night away from the calendar.
        QVERIFY2(qAbs(start.secsTo(now)) <= 3 * 86400, qPrintable(now.toString(Qt::ISODate)));
        QCOMPARE(start.timeSpec(), Qt::UTC);
    }
}

QTEST_GUILESS_MAIN(TestFleetStart)
#include "tst_fleetstart.moc"
