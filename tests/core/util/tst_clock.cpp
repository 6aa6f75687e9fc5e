// ScaledClock: another clock's time, shifted and sped up (the demo's fleet time).

#include "util/clock.h"
#include "util/utc.h"

#include <QtTest>

using namespace Fleet;

class TestClock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAtItsStartAndFollowsTheBase();
    void runsAtItsRate();
    void monotonicTimeIsTheBase();
    void unusableRateMeansRealSpeed_data();
    void unusableRateMeansRealSpeed();
    void hugeRatesDoNotOverflow();
};

namespace {
const QDateTime kBase = Utc::dateTime(QDate(2026, 12, 6), QTime(3, 0)); // a Sunday night
const QDateTime kFleet = Utc::dateTime(QDate(2026, 12, 2), QTime(9, 0)); // a Wednesday morning
} // namespace

void TestClock::startsAtItsStartAndFollowsTheBase()
{
    ManualClock base(kBase);
    ScaledClock clock(&base, kBase, kFleet);
    QCOMPARE(clock.nowUtc(), kFleet);
    base.advanceSecs(90);
    QCOMPARE(clock.nowUtc(), kFleet.addSecs(90));
    QCOMPARE(clock.map(kBase.addSecs(-30)), kFleet.addSecs(-30));
    QCOMPARE(clock.nowUtc().timeSpec(), Qt::UTC);
}

void TestClock::runsAtItsRate()
{
    ManualClock base(kBase);
    ScaledClock clock(&base, kBase, kFleet, 10.0);
    base.advanceMs(1500);
    QCOMPARE(clock.nowUtc(), kFleet.addMSecs(15000));
    QCOMPARE(clock.rate(), 10.0);
}

void TestClock::monotonicTimeIsTheBase()
{
    ManualClock base(kBase);
    ScaledClock clock(&base, kBase, kFleet, 60.0);
    const qint64 before = clock.monotonicMs();
    base.advanceMs(250);
    QCOMPARE(clock.monotonicMs() - before, qint64(250));
}

void TestClock::unusableRateMeansRealSpeed_data()
{
    QTest::addColumn<double>("rate");
    QTest::newRow("zero") << 0.0;
    QTest::newRow("negative") << -2.0;
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("inf") << std::numeric_limits<double>::infinity();
}

void TestClock::unusableRateMeansRealSpeed()
{
    QFETCH(double, rate);
    ManualClock base(kBase);
    ScaledClock clock(&base, kBase, kFleet, rate);
    base.advanceSecs(7);
    QCOMPARE(clock.nowUtc(), kFleet.addSecs(7));
}

void TestClock::hugeRatesDoNotOverflow()
{
    ManualClock base(kBase);
    ScaledClock clock(&base, kBase, kFleet, 1e300);
    base.advanceSecs(86400LL * 365 * 100);
    QVERIFY(clock.nowUtc().isValid());
    QVERIFY(clock.nowUtc() > kFleet);
}

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
