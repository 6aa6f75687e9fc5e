#include "domain/timespan.h"
#include "util/utc.h"

#include <QtTest>

using namespace Fleet;

namespace {

QDateTime t(qint64 s)
{
    return Utc::fromSecs(1'780'000'000 + s);
}

TimeSpan span(qint64 a, qint64 b)
{
    return {t(a), t(b)};
}

} // namespace

class TestTimeSpan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void uncovered_data();
    void uncovered();
    void split();
};

void TestTimeSpan::uncovered_data()
{
    QTest::addColumn<QList<TimeSpan>>("covered");
    QTest::addColumn<QList<TimeSpan>>("gaps");
    QTest::newRow("nothing covered") << QList<TimeSpan>{} << QList<TimeSpan>{span(0, 100)};
    QTest::newRow("all covered") << QList<TimeSpan>{span(-10, 200)} << QList<TimeSpan>{};
    QTest::newRow("exactly covered") << QList<TimeSpan>{span(0, 100)} << QList<TimeSpan>{};
    QTest::newRow("head and tail missing") << QList<TimeSpan>{span(10, 20), span(40, 50)}
                                           << QList<TimeSpan>{span(0, 9), span(21, 39), span(51, 100)};
    QTest::newRow("adjacent seconds leave no gap") << QList<TimeSpan>{span(0, 49), span(50, 100)} << QList<TimeSpan>{};
    QTest::newRow("unsorted and overlapping") << QList<TimeSpan>{span(60, 70), span(5, 30), span(20, 40)}
                                              << QList<TimeSpan>{span(0, 4), span(41, 59), span(71, 100)};
    QTest::newRow("outside the span") << QList<TimeSpan>{span(-50, -1), span(101, 200)}
                                      << QList<TimeSpan>{span(0, 100)};
    QTest::newRow("one second missing at the end") << QList<TimeSpan>{span(0, 99)} << QList<TimeSpan>{span(100, 100)};
    QTest::newRow("invalid covered spans are ignored") << QList<TimeSpan>{span(50, 10)} << QList<TimeSpan>{span(0, 100)};
}

void TestTimeSpan::uncovered()
{
    QFETCH(QList<TimeSpan>, covered);
    QFETCH(QList<TimeSpan>, gaps);
    QCOMPARE(TimeSpans::uncovered(span(0, 100), covered), gaps);
}

void TestTimeSpan::split()
{
    // 7 days and a bit: two pieces, the second starting a second after the first ends.
    const qint64 week = 7 * 86400;
    QCOMPARE(TimeSpans::split(span(0, week + 10), week), (QList<TimeSpan>{span(0, week), span(week + 1, week + 10)}));
    QCOMPARE(TimeSpans::split(span(0, 100), week), QList<TimeSpan>{span(0, 100)});
    QCOMPARE(TimeSpans::split(span(5, 5), week), QList<TimeSpan>{span(5, 5)});
    QCOMPARE(TimeSpans::split(span(10, 5), week), QList<TimeSpan>{});
    QCOMPARE(TimeSpans::split(span(0, 30), 10).size(), 3); // [0,10] [11,21] [22,30]
}

QTEST_GUILESS_MAIN(TestTimeSpan)
#include "tst_timespan.moc"
