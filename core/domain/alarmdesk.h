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

// What a dispatcher does to an alarm. DeviceAck: the acknowledgement sent to
// the device (Appendix A, proNo 33283); it leaves the desk's state alone.
enum class AlarmActionKind { Acknowledge, Resolve, Note, DeviceAck };

QLatin1String alarmActionName(AlarmActionKind kind); // "acknowledge", "resolve", "note", "device_ack"
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

// Where an acknowledgement sent to a device stands: sending until the
// gateway answers; then its data._code (100 confirmed, 200 refused as an
// invalid parameter, 300 device offline, 600 no answer from the device), or
// failed when no answer came back at all (network, cloud error).
enum class DeviceAckResult { Sending, Confirmed, Refused, Offline, TimedOut, Failed };

// "sending", "confirmed", "refused", "offline", "timed_out", "failed"
QLatin1String deviceAckResultName(DeviceAckResult result);
std::optional<DeviceAckResult> deviceAckResultFromName(QStringView name);
// The gateway's data._code as a result (other codes: refused).
DeviceAckResult deviceAckResultFromCode(int code);

// Appendix A's acknowledge instruction for one alarm, as the store writer
// keeps it: first as sent (Sending), then with the answer. requestKey ties
// the two; a second answer for the same key changes nothing.
struct AlarmDeviceAck
{
    QString requestKey; // unique per sending
    qint64 alarmId = 0; // the alarm whose serial number was sent
    qint64 serialNo = 0;
    QString operatorName;
    DeviceAckResult result = DeviceAckResult::Sending;
    std::optional<int> code; // the gateway's data._code
    QString message; // its _msg, or why no answer came
    QDateTime at; // UTC: when sent (Sending) or answered; invalid: the writer's time

    friend bool operator==(const AlarmDeviceAck &, const AlarmDeviceAck &) = default;
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
    // DeviceAck only: the serial number sent and the answer.
    std::optional<qint64> serialNo;
    std::optional<DeviceAckResult> deviceResult;
    std::optional<int> resultCode;
    QString resultMessage;
    QDateTime answeredAt;

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

// Which alarm of a fold (StoreReader::alarmFold) an acknowledgement on the
// device names: the newest that carries the device's serial number (the
// device keeps one alarm flag per type; acknowledging its latest message
// clears it). Null when none carries one.
const AlarmDeskRow *deviceAckTarget(const QList<AlarmDeskRow> &fold);

// The operator's name when none is set: the user logged in to the OS.
QString osUserName();

} // namespace Fleet
