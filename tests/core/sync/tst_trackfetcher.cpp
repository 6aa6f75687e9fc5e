// TrackFetcher against the simulated cloud and a real store: history from
// before the back-fill is fetched once, in windows of at most 7 days, and
// every fix the simulator drove is stored; a second request asks the cloud
// nothing; an unreachable cloud leaves the missing part named; a cancel stops
// after the call in flight.

#include "sync/storesink.h"
#include "sync/trackfetcher.h"

#include "simcloud.h"

#include "sim/simfleet.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

class TestTrackFetcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void planSkipsWhatIsCoveredAndTheLiveEnd();
    void fetchesOnceAndStoresEveryFix();
    void longRangeIsSplitIntoWeeks();
    void unreachableCloudNamesTheMissingPart();
    void cancelStopsAfterTheCallInFlight();
    void refusedWindowIsMissingWithTheCloudsWords();

private:
    TrackFetcher::Outcome run(const QStringList &imeis, const TimeSpan &span);
    int trackCalls() const { return m_cloud.server->requestCount(QStringLiteral("jimi.device.track.list")); }

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    SimCloudTest::Store m_store;
    std::unique_ptr<StoreSink> m_sink;
    std::unique_ptr<TrackFetcher> m_fetcher;
    QString m_imei;
};

void TestTrackFetcher::init()
{
    // A fixed Thursday afternoon, fleet time; the fleet's history starts 60 days before.
    m_clock.set(SimCloudTest::thursday());
    QVERIFY(m_cloud.start(SimCloudTest::fleet(4, 12, m_clock), &m_clock));
    QVERIFY(m_store.open(&m_clock));
    m_sink = std::make_unique<StoreSink>(m_store.writer.get(), m_store.reader.get());
    m_fetcher = std::make_unique<TrackFetcher>(m_cloud.api.get(), m_store.reader.get(), m_sink.get(), &m_clock);
    // A vehicle that works on Tuesdays: the one with the most fixes that day.
    const TimeSpan tuesday{QDateTime(QDate(2026, 12, 1), QTime(0, 0), QTimeZone::utc()),
                           QDateTime(QDate(2026, 12, 1), QTime(23, 59, 59), QTimeZone::utc())};
    qsizetype most = -1;
    for (int i = 0; i < m_cloud.server->fleet().size(); ++i) {
        const qsizetype n = m_cloud.server->fleet().fixes(i, tuesday.from, tuesday.to).size();
        if (n > most) {
            most = n;
            m_imei = m_cloud.server->fleet().device(i).imei;
        }
    }
    QVERIFY(most > 100);
}

void TestTrackFetcher::cleanup()
{
    m_fetcher.reset();
    m_sink.reset();
    m_store.close();
    m_cloud.stop();
}

TrackFetcher::Outcome TestTrackFetcher::run(const QStringList &imeis, const TimeSpan &span)
{
    QSignalSpy finished(m_fetcher.get(), &TrackFetcher::finished);
    if (!m_fetcher->fetch(imeis, span))
        return {};
    if (!finished.wait(60000))
        return {};
    m_store.writer->flush(10000);
    return finished.at(0).at(0).value<TrackFetcher::Outcome>();
}

void TestTrackFetcher::planSkipsWhatIsCoveredAndTheLiveEnd()
{
    const QDateTime t0 = m_clock.nowUtc();
    const TimeSpan day{t0.addDays(-1), t0.addSecs(3600)};
    // Covered in the middle; the end after now (less the margin) is the live data's.
    const QList<TimeSpan> windows =
        TrackFetcher::plan({TimeSpan{t0.addSecs(-20 * 3600), t0.addSecs(-10 * 3600)}}, day, t0);
    QCOMPARE(windows, (QList<TimeSpan>{{t0.addDays(-1), t0.addSecs(-20 * 3600 - 1)},
                                        {t0.addSecs(-10 * 3600 + 1), t0.addSecs(-TrackFetcher::kEndMarginSecs)}}));
    QCOMPARE(TrackFetcher::plan({day}, day, t0), QList<TimeSpan>());
    // Entirely in the future: nothing to ask.
    QCOMPARE(TrackFetcher::plan({}, TimeSpan{t0.addSecs(60), t0.addSecs(120)}, t0), QList<TimeSpan>());
}

void TestTrackFetcher::fetchesOnceAndStoresEveryFix()
{
    // Tuesday, two days before the cloud's "now": before any back-fill.
    const TimeSpan tuesday{QDateTime(QDate(2026, 12, 1), QTime(0, 0), QTimeZone::utc()),
                           QDateTime(QDate(2026, 12, 1), QTime(23, 59, 59), QTimeZone::utc())};
    QSignalSpy stored(m_fetcher.get(), &TrackFetcher::windowStored);
    QSignalSpy progress(m_fetcher.get(), &TrackFetcher::progress);
    const TrackFetcher::Outcome first = run({m_imei}, tuesday);
    QVERIFY(first.complete());
    QCOMPARE(first.windowsFetched, 1);
    QCOMPARE(trackCalls(), 1);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(progress.last().at(0).toInt(), 1);
    QCOMPARE(progress.last().at(1).toInt(), 1);

    // Every fix the simulator drove that day, point for point.
    const int index = m_cloud.server->fleet().indexOf(m_imei);
    const QList<SimFix> truth = m_cloud.server->fleet().fixes(index, tuesday.from, tuesday.to);
    const QList<Position> fixes = m_store.reader->fixes(m_imei, tuesday.from, tuesday.to);
    QCOMPARE(fixes.size(), truth.size());
    QCOMPARE(first.fixes, qint64(truth.size()));
    for (qsizetype i = 0; i < truth.size(); ++i) {
        QCOMPARE(fixes[i].gpsTime, truth[i].gpsTime);
        QVERIFY(qAbs(fixes[i].lat - truth[i].lat) < 1e-6);
        QVERIFY(qAbs(fixes[i].lng - truth[i].lng) < 1e-6);
    }
    QCOMPARE(m_store.reader->trackCoverage(m_imei, tuesday.from, tuesday.to), QList<TimeSpan>{tuesday});

    // The same range again, and a part of it: the cloud is not asked.
    const TrackFetcher::Outcome second = run({m_imei}, tuesday);
    QVERIFY(second.complete());
    QCOMPARE(second.windowsFetched, 0);
    const TrackFetcher::Outcome part =
        run({m_imei}, TimeSpan{tuesday.from.addSecs(9 * 3600), tuesday.from.addSecs(11 * 3600)});
    QVERIFY(part.complete());
    QCOMPARE(trackCalls(), 1);
}

void TestTrackFetcher::longRangeIsSplitIntoWeeks()
{
    // Fifty days: never refused, split into windows of at most 7 days.
    const TimeSpan range{m_clock.nowUtc().addDays(-50), m_clock.nowUtc().addDays(-1)};
    const TrackFetcher::Outcome outcome = run({m_imei}, range);
    QVERIFY(outcome.complete());
    QCOMPARE(outcome.windowsFetched, 7);
    QCOMPARE(trackCalls(), 7);
    QCOMPARE(m_store.reader->trackCoverage(m_imei, range.from, range.to), QList<TimeSpan>{range});
    const int index = m_cloud.server->fleet().indexOf(m_imei);
    QCOMPARE(m_store.reader->fixes(m_imei, range.from, range.to).size(),
             m_cloud.server->fleet().fixes(index, range.from, range.to).size());
}

void TestTrackFetcher::unreachableCloudNamesTheMissingPart()
{
    const QDateTime now = m_clock.nowUtc();
    const TimeSpan range{now.addDays(-20), now.addDays(-2)};
    // The first week arrives, then the cloud goes away.
    QSignalSpy stored(m_fetcher.get(), &TrackFetcher::windowStored);
    // (After the first answer, before the next call is sent.)
    connect(m_fetcher.get(), &TrackFetcher::progress, this, [this](int done) {
        if (done == 1)
            m_cloud.server.reset();
    });
    const TrackFetcher::Outcome outcome = run({m_imei}, range);
    QVERIFY(!outcome.complete());
    QCOMPARE(outcome.windowsFetched, 1);
    QTRY_COMPARE(stored.size(), 1);
    // What was fetched is stored and covered; the rest is named missing, once each.
    const TimeSpan firstWeek = stored.at(0).at(1).value<TimeSpan>();
    QCOMPARE(m_store.reader->trackCoverage(m_imei, range.from, range.to), QList<TimeSpan>{firstWeek});
    QCOMPARE(outcome.missing.size(), 2);
    QCOMPARE(outcome.missing.first().span.from, firstWeek.to.addSecs(1));
    QCOMPARE(outcome.missing.last().span.to, range.to);
    QVERIFY2(!outcome.missing.first().reason.isEmpty(), "a missing part says why");
}

void TestTrackFetcher::cancelStopsAfterTheCallInFlight()
{
    const QDateTime now = m_clock.nowUtc();
    const TimeSpan range{now.addDays(-30), now.addDays(-2)};
    connect(m_fetcher.get(), &TrackFetcher::windowStored, m_fetcher.get(), &TrackFetcher::cancel,
            Qt::SingleShotConnection);
    const TrackFetcher::Outcome outcome = run({m_imei}, range);
    QVERIFY(outcome.cancelled);
    QVERIFY(outcome.windowsFetched >= 1);
    QVERIFY(outcome.windowsFetched < 4);
    QCOMPARE(trackCalls(), outcome.windowsFetched);
    QVERIFY(!outcome.missing.isEmpty());
    QCOMPARE(outcome.missing.last().span.to, range.to);
    // A cancelled fetch leaves the fetcher ready for the next.
    QVERIFY(!m_fetcher->isRunning());
}

void TestTrackFetcher::refusedWindowIsMissingWithTheCloudsWords()
{
    // The simulated cloud keeps three months; older windows are refused, newer ones served.
    const QDateTime now = m_clock.nowUtc();
    const TimeSpan range{now.addDays(-100), now.addDays(-85)};
    const TrackFetcher::Outcome outcome = run({m_imei}, range);
    QVERIFY(!outcome.complete());
    QVERIFY(outcome.windowsFetched >= 1);
    QVERIFY(!outcome.missing.isEmpty());
    QCOMPARE(outcome.missing.first().span.from, range.from);
    QVERIFY2(outcome.missing.first().reason.contains(QStringLiteral("3 months")),
             qPrintable(outcome.missing.first().reason));
}

QTEST_GUILESS_MAIN(TestTrackFetcher)
#include "tst_trackfetcher.moc"
