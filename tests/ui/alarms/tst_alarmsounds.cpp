// The alarm sounds load from the resources and play through Qt Multimedia,
// into a private PulseAudio server's null sink (with_pulseaudio.sh); a
// louder alarm cuts a softer one short.

#include "alarms/alarmsounds.h"

#include <QSignalSpy>
#include <QSoundEffect>
#include <QtTest>

using namespace Fleet;

class TestAlarmSounds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadAndPlay();
};

void TestAlarmSounds::loadAndPlay()
{
    AlarmSounds sounds;
    for (AlarmSeverity s : {AlarmSeverity::Info, AlarmSeverity::Warning, AlarmSeverity::Critical}) {
        QSoundEffect *e = sounds.effect(s);
        QTRY_VERIFY2_WITH_TIMEOUT(e->status() == QSoundEffect::Ready, qPrintable(e->source().toString()), 10000);
    }
    QSoundEffect *warning = sounds.effect(AlarmSeverity::Warning);
    QSignalSpy playing(warning, &QSoundEffect::playingChanged);
    sounds.play(AlarmSeverity::Warning);
    QTRY_VERIFY_WITH_TIMEOUT(warning->isPlaying(), 10000);
    QSoundEffect *critical = sounds.effect(AlarmSeverity::Critical);
    sounds.play(AlarmSeverity::Critical);
    QVERIFY(!warning->isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(critical->isPlaying(), 10000);
    // It ends by itself.
    QTRY_VERIFY_WITH_TIMEOUT(!critical->isPlaying(), 10000);
}

QTEST_MAIN(TestAlarmSounds)
#include "tst_alarmsounds.moc"
