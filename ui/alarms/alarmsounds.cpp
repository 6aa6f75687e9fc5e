#include "alarmsounds.h"

#include <QSoundEffect>
#include <QUrl>

namespace Fleet {

AlarmSounds::AlarmSounds(QObject *parent)
    : QObject(parent)
{
    for (AlarmSeverity s : {AlarmSeverity::Info, AlarmSeverity::Warning, AlarmSeverity::Critical}) {
        auto *effect = new QSoundEffect(this);
        effect->setSource(QUrl(QStringLiteral("qrc:/sounds/alarm-%1.wav").arg(alarmSeverityName(s))));
        effect->setVolume(s == AlarmSeverity::Info ? 0.5f : 0.9f);
        m_effects[std::size_t(s)] = effect;
    }
}

void AlarmSounds::play(AlarmSeverity severity)
{
    QSoundEffect *effect = m_effects[std::size_t(severity)];
    // A louder alarm cuts a softer one short.
    for (QSoundEffect *e : m_effects) {
        if (e != effect && e->isPlaying())
            e->stop();
    }
    effect->play();
}

} // namespace Fleet
