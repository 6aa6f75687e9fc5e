#pragma once

#include "domain/alarmdesk.h"

#include <QObject>

#include <array>

class QSoundEffect;

namespace Fleet {

// The alarm desk's sounds, one per severity (resources/sounds, made by
// scripts/make-alarm-sounds.py), played through Qt Multimedia.
class AlarmSounds : public QObject
{
    Q_OBJECT

public:
    explicit AlarmSounds(QObject *parent = nullptr);
    void play(Fleet::AlarmSeverity severity);
    QSoundEffect *effect(AlarmSeverity severity) const { return m_effects[std::size_t(severity)]; }

private:
    std::array<QSoundEffect *, 3> m_effects{};
};

} // namespace Fleet
