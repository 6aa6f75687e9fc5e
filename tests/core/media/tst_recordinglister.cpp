// RecordingLister against the simulated cloud: the device asked for its
// list, 1207 waited out with back-off on the session's clock (the test
// moves it on at each wait), the segments of the day in order; a device
// that never uploads, and one without a camera, end with a message.

#include "../sync/simcloud.h"
#include "media/recordinglister.h"

#include <QSignalSpy>
#include <QTest>

using namespace Fleet;
using namespace Qt::StringLiterals;

class TestRecordingLister : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backoff();
    void listsOnceTheDeviceUploaded();
    void aDeviceThatNeverUploads();
    void aTrackerWithoutCamera();

private:
    bool start(int listDelayMs);
    RecordingLister::Outcome run(RecordingLister &lister, const QString &imei, int channel, int advanceSecs,
                                 int *waits);

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    QString m_imei;
    int m_channel = 0;
};

bool TestRecordingLister::start(int listDelayMs)
{
    Sim::SimServerConfig config = SimCloudTest::fleet(8, 3, m_clock);
    config.historyListDelayMs = listDelayMs;
    return m_cloud.start(config, &m_clock) && SimCloudTest::onlineDashcam(*m_cloud.server, &m_imei, &m_channel);
}

RecordingLister::Outcome TestRecordingLister::run(RecordingLister &lister, const QString &imei, int channel,
                                                  int advanceSecs, int *waits)
{
    // Each wait: the session's time moves on (the device works meanwhile).
    connect(&lister, &RecordingLister::waiting, this, [this, advanceSecs, waits](int, int) {
        ++*waits;
        m_clock.advanceSecs(advanceSecs);
    });
    QSignalSpy finished(&lister, &RecordingLister::finished);
    lister.list(imei, channel, m_clock.nowUtc().date());
    if (!finished.wait(60000))
        return {};
    return finished.at(0).at(0).value<RecordingLister::Outcome>();
}

void TestRecordingLister::backoff()
{
    const QList<int> expected{1, 1, 2, 2, 4, 4, 8, 8, 16, 16, 16};
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(RecordingLister::backoffSecs(i + 1), expected.at(i));
}

void TestRecordingLister::listsOnceTheDeviceUploaded()
{
    QVERIFY(start(2000));
    RecordingLister lister(m_cloud.api.get(), &m_clock);
    int waits = 0;
    const RecordingLister::Outcome o = run(lister, m_imei, m_channel, 1, &waits);
    QVERIFY2(o.ok, qPrintable(o.error));
    // 1207 twice (the device needs 2 s), then the list.
    QCOMPARE(waits, 2);
    QCOMPARE(o.polls, 3);
    QVERIFY(!o.segments.isEmpty());
    for (int i = 0; i < o.segments.size(); ++i) {
        QCOMPARE(o.segments.at(i).channel, m_channel);
        QVERIFY(o.segments.at(i).begin < o.segments.at(i).end);
        if (i > 0)
            QVERIFY(o.segments.at(i - 1).begin <= o.segments.at(i).begin);
    }
    QVERIFY(!lister.isBusy());
}

void TestRecordingLister::aDeviceThatNeverUploads()
{
    QVERIFY(start(3600 * 1000));
    RecordingLister lister(m_cloud.api.get(), &m_clock);
    int waits = 0;
    const RecordingLister::Outcome o = run(lister, m_imei, m_channel, 25, &waits);
    QVERIFY(!o.ok);
    QVERIFY2(o.error.contains(u"did not upload its list within 60 s"_s), qPrintable(o.error));
    QCOMPARE(waits, 3); // 25, 50, 75 s of the session's time
}

void TestRecordingLister::aTrackerWithoutCamera()
{
    QVERIFY(start(2000));
    QString tracker;
    const Sim::SimFleet &fleet = m_cloud.server->fleet();
    for (int i = 0; i < fleet.size(); ++i) {
        if (!fleet.device(i).dashcam)
            tracker = fleet.device(i).imei;
    }
    RecordingLister lister(m_cloud.api.get(), &m_clock);
    int waits = 0;
    const RecordingLister::Outcome o = run(lister, tracker, 1, 1, &waits);
    QVERIFY(!o.ok);
    QVERIFY(!o.error.isEmpty());
    QCOMPARE(waits, 0);
    QCOMPARE(o.polls, 0);
}

QTEST_GUILESS_MAIN(TestRecordingLister)
#include "tst_recordinglister.moc"
