#pragma once

#include "alarm.h"

#include <QDateTime>
#include <QHash>
#include <QLatin1String>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace Fleet {

// Where a dispatcher is with an alarm. new -> acknowledged -> resolved; a new
// alarm may be resolved directly; nothing leaves resolved.
enum class AlarmState { New, Acknowledged, Resolved };

QLatin1String alarmStateName(AlarmState state); // "new", "acknowledged", "resolved"
std::optional<AlarmState> alarmStateFromName(QStringView name);
// Whether a step from one state to another is allowed (a step to the same
// state is not: it changes nothing).
bool alarmStepAllowed(AlarmState from, AlarmState to);

// How loudly an alarm asks for attention.
enum class AlarmSeverity { Info, Warning, Critical };

QLatin1String alarmSeverityName(AlarmSeverity severity); // "info", "warning", "critical"
std::optional<AlarmSeverity> alarmSeverityFromName(QStringView name);

// The severity of each alarm type: our own defaults, keyed by the appendix's
// codes (it gives none), which the user may override. A code neither knows
// (an alarm type the appendix lacks) is a warning.
class AlarmSeverities
{
public:
    static AlarmSeverity defaultFor(const QString &typeId);

    AlarmSeverity of(const QString &typeId) const;
    void set(const QString &typeId, AlarmSeverity severity); // back to the default: an override is dropped
    void reset() { m_overrides.clear(); }
    const QHash<QString, AlarmSeverity> &overrides() const { return m_overrides; }

    // The known codes (the appendix's, our own and the overridden ones) of a
    // severity. For a filter: "warning" is every code not info or critical.
    QStringList codes(AlarmSeverity severity) const;

    // "code=severity" pairs joined by ';' (settings), and back; unreadable
    // pairs are skipped.
    QString toText() const;
    static AlarmSeverities fromText(const QString &text);

    friend bool operator==(const AlarmSeverities &, const AlarmSeverities &) = default;

private:
    QHash<QString, AlarmSeverity> m_overrides;
};

// What a dispatcher does to an alarm.
enum class AlarmActionKind { Acknowledge, Resolve, Note };

QLatin1String alarmActionName(AlarmActionKind kind); // "acknowledge", "resolve", "note"
std::optional<AlarmActionKind> alarmActionFromName(QStringView name);

// A dispatcher's step on an alarm, as handed to the store writer. Acting on
// an alarm acts on every alarm folded into its row: the writer moves each
// one that may take the step, keeps one alarm_actions row per alarm moved,
// and leaves the others.
struct AlarmAction
{
    qint64 alarmId = 0; // any alarm of the fold
    AlarmActionKind kind = AlarmActionKind::Acknowledge;
    QString operatorName;
    QString note; // plain text; may be empty except for a Note
    QDateTime at; // UTC; invalid: the writer's time of the transaction

    friend bool operator==(const AlarmAction &, const AlarmAction &) = default;
};

// One row of an alarm's history (alarm_actions).
struct AlarmActionRecord
{
    qint64 id = 0;
    qint64 alarmId = 0;
    AlarmActionKind kind = AlarmActionKind::Acknowledge;
    AlarmState from = AlarmState::New;
    AlarmState to = AlarmState::New;
    QString operatorName;
    QString note;
    QDateTime at; // UTC

    friend bool operator==(const AlarmActionRecord &, const AlarmActionRecord &) = default;
};

// One row of the alarm desk: an alarm, the repeats folded into it, where its
// handling stands, and what the store knows of its vehicle.
struct AlarmDeskRow
{
    qint64 id = 0;
    Alarm alarm;
    AlarmState state = AlarmState::New;
    QString handledBy; // the operator of the last step
    QDateTime handledAt;
    QString note; // the last note given
    int count = 1; // alarms folded into this row, itself included
    QDateTime lastTime; // the newest of them
    QString vehicleName; // the registry's device name, else the alarm's
    QString plate;
    QString groupName;
    bool knownDevice = true; // false: the IMEI is not among the account's devices

    friend bool operator==(const AlarmDeskRow &, const AlarmDeskRow &) = default;
};

// The operator's name when none is set: the user logged in to the OS.
QString osUserName();

} // namespace Fleet
