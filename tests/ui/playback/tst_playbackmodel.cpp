#include "playback/playbackmodel.h"
#include "util/clock.h"

#include "playbacktestdata.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;
using namespace PlaybackTest;

class TestPlaybackModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void interpolatesBetweenFixes();
    void holdsThroughStopsAndGaps();
    void playsInProportionToRealTime();
    void stopsAtTheEnd();
    void speedsAndSteps();
    void beforeTheFirstFix();

private:
    PlaybackModel *m_model = nullptr;
    ManualClock m_clock;
};

void TestPlaybackModel::init()
{
    delete m_model;
    m_model = new PlaybackModel(this);
    m_model->setClock(&m_clock);
    m_model->setRange({at(0), at(4000)});
    m_model->setVehicles({vehicle(QStringLiteral("860000000000001"), QStringLiteral("VAN-001"))});
}

void TestPlaybackModel::interpolatesBetweenFixes()
{
    // Fix 0 at t0, fix 1 30 s later and 300 m east: at 15 s, half-way.
    const PlaybackModel::Vehicle &v = m_model->vehicles().first();
    const PlaybackModel::Sample s = m_model->sampleAt(0, at(15).toMSecsSinceEpoch());
    QVERIFY(s.valid);
    QCOMPARE(s.fixIndex, 0);
    const double midLng = (v.data.history.fixes[0].lng + v.data.history.fixes[1].lng) / 2;
    QVERIFY(qAbs(s.lng - midLng) < 1e-9);
    QVERIFY(qAbs(s.world.x() - (v.world[0].x() + v.world[1].x()) / 2) < 1e-12);
    QVERIFY(s.headingDeg && qAbs(*s.headingDeg - 90.0) < 0.5);
    QCOMPARE(s.speedKmh, 36.0);
}

void TestPlaybackModel::holdsThroughStopsAndGaps()
{
    const PlaybackModel::Vehicle &v = m_model->vehicles().first();
    // Parked (fix 20, 20 minutes before fix 21 at the same place): it stays there.
    const qint64 parked = v.timesMs[20] + 600000;
    const PlaybackModel::Sample s = m_model->sampleAt(0, parked);
    QCOMPARE(s.fixIndex, 20);
    QVERIFY(qAbs(s.lng - v.data.history.fixes[20].lng) < 1e-9);
    // In the tunnel (after fix 30): the last known place, marked as unknown since.
    QCOMPARE(v.data.summary.gaps.size(), 1);
    const qint64 inGap = v.timesMs[30] + 300000;
    const PlaybackModel::Sample g = m_model->sampleAt(0, inGap);
    QVERIFY(g.inGap);
    QCOMPARE(g.world, v.world[30]);
}

void TestPlaybackModel::playsInProportionToRealTime()
{
    m_model->setSpeed(60);
    QSignalSpy playing(m_model, &PlaybackModel::playingChanged);
    m_model->play();
    QVERIFY(m_model->isPlaying());
    // One real second at 60×: one minute of the track; and ten seconds, ten minutes.
    m_clock.advanceMs(1000);
    m_model->advance();
    QCOMPARE(m_model->playhead(), at(60));
    m_clock.advanceMs(10000);
    m_model->advance();
    QCOMPARE(m_model->playhead(), at(660));
    // Ticks of a few milliseconds add up without drift.
    m_model->setSpeed(1);
    for (int i = 0; i < 1000; ++i) {
        m_clock.advanceMs(3);
        m_model->advance();
    }
    QCOMPARE(m_model->playhead(), at(663));
    m_model->pause();
    QCOMPARE(playing.size(), 2);
}

void TestPlaybackModel::stopsAtTheEnd()
{
    m_model->setSpeed(3600);
    m_model->play();
    m_clock.advanceMs(5000); // five hours of track: past the end
    m_model->advance();
    QCOMPARE(m_model->playhead(), at(4000));
    QVERIFY(!m_model->isPlaying());
    // Play again from the start.
    m_model->play();
    QCOMPARE(m_model->playhead(), at(0));
}

void TestPlaybackModel::speedsAndSteps()
{
    QCOMPARE(PlaybackModel::speeds(), (QList<int>{1, 2, 5, 10, 30, 60, 300, 600, 3600}));
    m_model->setSpeed(3600);
    m_model->faster();
    QCOMPARE(m_model->speed(), 3600);
    m_model->setSpeed(1);
    m_model->slower();
    QCOMPARE(m_model->speed(), 1);
    m_model->faster();
    QCOMPARE(m_model->speed(), 2);
    m_model->setSpeed(7); // not offered: ignored
    QCOMPARE(m_model->speed(), 2);

    const PlaybackModel::Vehicle &v = m_model->vehicles().first();
    m_model->setPlayheadMs(v.timesMs[3] + 1);
    QVERIFY(m_model->stepFix(1));
    QCOMPARE(m_model->playheadMs(), v.timesMs[4]);
    QVERIFY(m_model->stepFix(-1));
    QCOMPARE(m_model->playheadMs(), v.timesMs[3]);
    // Stops: the parking's start, then its end.
    QVERIFY(m_model->stepStop(1));
    QCOMPARE(m_model->playhead(), v.data.summary.stops.first().from);
    QVERIFY(m_model->stepStop(1));
    QCOMPARE(m_model->playhead(), v.data.summary.stops.first().to);
    // Alarms: the one at fix 5 lies behind now.
    QVERIFY(!m_model->stepAlarm(1));
    QVERIFY(m_model->stepAlarm(-1));
    QCOMPARE(m_model->playheadMs(), v.timesMs[5]);
}

void TestPlaybackModel::beforeTheFirstFix()
{
    m_model->setRange({at(-600), at(4000)});
    const PlaybackModel::Sample s = m_model->sampleAt(0, at(-300).toMSecsSinceEpoch());
    QVERIFY(!s.valid);
    QCOMPARE(s.world, m_model->vehicles().first().world.front());
    // Clamped to the range.
    m_model->setPlayheadMs(at(-5000).toMSecsSinceEpoch());
    QCOMPARE(m_model->playhead(), at(-600));
}

QTEST_MAIN(TestPlaybackModel)
#include "tst_playbackmodel.moc"
