// The playback's range presets are days of the local calendar: across the
// daylight-saving changes a day has 23 or 25 hours. Runs in Europe/Paris
// (tests.cmake sets TZ for this test; the others run in UTC).

#include "playback/playbackpanel.h"
#include "util/utc.h"

#include <QtTest>

using namespace Fleet;

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi = 0, int s = 0)
{
    return Utc::dateTime(QDate(y, mo, d), QTime(h, mi, s));
}

} // namespace

class TestPlaybackRanges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void presets_data();
    void presets();
};

void TestPlaybackRanges::initTestCase()
{
    // Summer time in Paris is UTC+2; winter time UTC+1.
    QCOMPARE(QDateTime(QDate(2026, 7, 1), QTime(12, 0), Qt::LocalTime).offsetFromUtc(), 7200);
    QCOMPARE(QDateTime(QDate(2026, 12, 1), QTime(12, 0), Qt::LocalTime).offsetFromUtc(), 3600);
}

void TestPlaybackRanges::presets_data()
{
    using P = PlaybackPanel::Preset;
    QTest::addColumn<int>("preset");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QDateTime>("from");
    QTest::addColumn<QDateTime>("to");
    // Sunday 25 October 2026, 03:00 summer time became 02:00 winter time.
    QTest::newRow("yesterday of 25 hours") << int(P::Yesterday) << utc(2026, 10, 26, 9) << utc(2026, 10, 24, 22)
                                           << utc(2026, 10, 25, 22, 59, 59);
    // Sunday 29 March 2026, 02:00 winter time became 03:00 summer time.
    QTest::newRow("today of 23 hours, at its end") << int(P::Today) << utc(2026, 3, 29, 21, 59, 59)
                                                   << utc(2026, 3, 28, 23) << utc(2026, 3, 29, 21, 59, 59);
    QTest::newRow("yesterday across a month") << int(P::Yesterday) << utc(2026, 12, 1, 8) << utc(2026, 11, 29, 23)
                                              << utc(2026, 11, 30, 22, 59, 59);
    QTest::newRow("this week from Monday, local") << int(P::ThisWeek) << utc(2026, 10, 28, 12) << utc(2026, 10, 25, 23)
                                                  << utc(2026, 10, 28, 12);
    QTest::newRow("last 24 hours are 24 hours") << int(P::Last24h) << utc(2026, 10, 25, 12) << utc(2026, 10, 24, 12)
                                                << utc(2026, 10, 25, 12);
    // Just after local midnight, today is a minute long.
    QTest::newRow("today just begun") << int(P::Today) << utc(2026, 12, 31, 23, 1) << utc(2026, 12, 31, 23)
                                      << utc(2026, 12, 31, 23, 1);
}

void TestPlaybackRanges::presets()
{
    QFETCH(int, preset);
    QFETCH(QDateTime, now);
    QFETCH(QDateTime, from);
    QFETCH(QDateTime, to);
    const TimeSpan span = PlaybackPanel::presetRange(PlaybackPanel::Preset(preset), now);
    QCOMPARE(span.from, from);
    QCOMPARE(span.to, to);
}

QTEST_MAIN(TestPlaybackRanges)
#include "tst_playbackranges.moc"
