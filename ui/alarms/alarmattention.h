#pragma once

#include "domain/alarmdesk.h"
#include "store/storechange.h"
#include "store/storereader.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace Fleet {

// What makes a dispatcher look up: every alarm that arrives while FleetDesk
// runs, whatever the list's filters, asks for attention once (a sound by
// severity; a tray notice while the window is hidden or minimised), and an
// unhandled critical one asks again every repeatSeconds until someone
// acknowledges it. Mute silences the sounds, snooze silences them for a
// while, do-not-disturb leaves non-critical alarms silent and unnoticed; the
// list and the map show everything regardless.
//
// It decides; AlarmSounds and the window's tray icon carry out its signals.
class AlarmAttention : public QObject
{
    Q_OBJECT

public:
    explicit AlarmAttention(QObject *parent = nullptr);

    // Opens a reader of its own; alarms already stored ask for nothing.
    bool open(const QString &databasePath);
    void setSeverities(const AlarmSeverities &severities)
    {
        m_severities = severities;
        m_recount = true;
    }
    // Whether the window is out of sight (tray notices are for then).
    void setWindowHidden(std::function<bool()> hidden) { m_hidden = std::move(hidden); }
    void setRepeatSeconds(int seconds);

    void setMuted(bool muted);
    bool isMuted() const { return m_muted; }
    void setDoNotDisturb(bool on) { m_doNotDisturb = on; }
    bool doNotDisturb() const { return m_doNotDisturb; }
    // No sounds for ms milliseconds (0: resume now).
    void snooze(int ms);
    bool isSnoozed() const { return m_snooze.isActive(); }

    // A committed change of the store; looked at once a frame.
    void storeChanged(const StoreChange &change);
    // Looks now: new alarms since the last look, and what is still unhandled.
    void check();
    // Unhandled (new) critical alarms that arrived while running.
    int unhandledCritical() const { return m_unhandledCritical; }

Q_SIGNALS:
    // New alarms that passed do-not-disturb, the loudest first in severity.
    void alerted(const QList<Fleet::AlarmDeskRow> &rows, Fleet::AlarmSeverity loudest);
    void soundRequested(Fleet::AlarmSeverity severity);
    void notificationRequested(const QString &title, const QString &body, Fleet::AlarmSeverity severity);
    void unhandledCriticalChanged(int count);
    void mutedChanged(bool muted);
    void snoozeChanged(bool snoozed);

private:
    void sound(AlarmSeverity severity);
    void repeat();
    QString describe(const AlarmDeskRow &row) const;

    StoreReader m_reader;
    AlarmSeverities m_severities;
    std::function<bool()> m_hidden;
    qint64 m_lastSeen = 0; // the newest alarm id looked at
    qint64 m_sessionStart = 0; // alarms after this one arrived while running
    int m_unhandledCritical = 0;
    // The unhandled critical runs are counted whole after a step on alarms
    // (and at least every 2 s, for other processes' steps); between, the
    // runs that arrive are added: a flood costs no scan a frame.
    bool m_recount = true;
    QElapsedTimer m_sinceRecount;
    bool m_muted = false;
    bool m_doNotDisturb = false;
    QTimer m_frame; // coalesces notices
    QTimer m_repeat;
    QTimer m_snooze;
};

} // namespace Fleet
