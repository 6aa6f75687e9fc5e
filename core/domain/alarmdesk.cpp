#include "alarmdesk.h"

#include <QSet>
#include <QtGlobal>

namespace Fleet {

namespace {

template<typename Enum, std::size_t N>
std::optional<Enum> fromName(QStringView name, const QLatin1String (&names)[N])
{
    for (std::size_t i = 0; i < N; ++i) {
        if (name.compare(names[i], Qt::CaseInsensitive) == 0)
            return Enum(i);
    }
    return std::nullopt;
}

const QLatin1String kStateNames[] = {QLatin1String("new"), QLatin1String("acknowledged"),
                                     QLatin1String("resolved")};
const QLatin1String kSeverityNames[] = {QLatin1String("info"), QLatin1String("warning"),
                                        QLatin1String("critical")};
const QLatin1String kActionNames[] = {QLatin1String("acknowledge"), QLatin1String("resolve"),
                                      QLatin1String("note"), QLatin1String("device_ack")};
const QLatin1String kDeviceAckNames[] = {QLatin1String("sending"), QLatin1String("confirmed"),
                                         QLatin1String("refused"), QLatin1String("offline"),
                                         QLatin1String("timed_out"), QLatin1String("failed")};

// Our defaults. Critical: someone may be in danger, or the vehicle or the
// tracker is being attacked (SOS, power cut, tamper, collision, roll-over,
// theft, jamming). Info: the device reports a routine event. Everything
// else, including codes the appendix does not know, is a warning.
const char *const kCritical[] = {
    "1", // SOS
    "2", // power cut off
    "19", // disassembly
    "24", // cover move
    "35", // fall
    "39", // unauthorized open
    "44", "55", "147", "204", "207", "ubiColl", // collisions
    "45", "ubiRoll", // turn over
    "50", "191", // device pulled out
    "83", // stealing oil
    "263", "267", // LTE / GPS jamming detected
    "burglarStatus_2", // anti-theft alarm
};
const char *const kInfo[] = {
    "11", "12", "13", "22", "29", "36", "58", "80", "86", "87", "89", "100", "101", "114", "165", "172",
    "173", "197", "198", "224", "230", "231", "232", "233", "254", "261", "262", "266", "268", "ACC_OFF",
    "ACC_ON", "burglarStatus_0", "burglarStatus_1", "statusTrunk_0",
};

template<std::size_t N>
QSet<QString> codeSet(const char *const (&codes)[N])
{
    QSet<QString> set;
    for (const char *c : codes)
        set.insert(QString::fromLatin1(c));
    return set;
}

} // namespace

QLatin1String alarmStateName(AlarmState state)
{
    return kStateNames[int(state)];
}

std::optional<AlarmState> alarmStateFromName(QStringView name)
{
    return fromName<AlarmState>(name, kStateNames);
}

bool alarmStepAllowed(AlarmState from, AlarmState to)
{
    return from != AlarmState::Resolved && int(to) > int(from);
}

QLatin1String alarmSeverityName(AlarmSeverity severity)
{
    return kSeverityNames[int(severity)];
}

std::optional<AlarmSeverity> alarmSeverityFromName(QStringView name)
{
    return fromName<AlarmSeverity>(name, kSeverityNames);
}

QLatin1String alarmActionName(AlarmActionKind kind)
{
    return kActionNames[int(kind)];
}

std::optional<AlarmActionKind> alarmActionFromName(QStringView name)
{
    return fromName<AlarmActionKind>(name, kActionNames);
}

QLatin1String deviceAckResultName(DeviceAckResult result)
{
    return kDeviceAckNames[int(result)];
}

std::optional<DeviceAckResult> deviceAckResultFromName(QStringView name)
{
    return fromName<DeviceAckResult>(name, kDeviceAckNames);
}

DeviceAckResult deviceAckResultFromCode(int code)
{
    switch (code) {
    case 100: return DeviceAckResult::Confirmed;
    case 300: return DeviceAckResult::Offline;
    case 600: return DeviceAckResult::TimedOut;
    default: return DeviceAckResult::Refused;
    }
}

const AlarmDeskRow *deviceAckTarget(const QList<AlarmDeskRow> &fold)
{
    const AlarmDeskRow *target = nullptr;
    for (const AlarmDeskRow &row : fold) {
        if (row.alarm.serialNo && (!target || row.alarm.time >= target->alarm.time))
            target = &row;
    }
    return target;
}

AlarmSeverity AlarmSeverities::defaultFor(const QString &typeId)
{
    static const QSet<QString> critical = codeSet(kCritical);
    static const QSet<QString> info = codeSet(kInfo);
    const QString code = typeId.trimmed();
    if (critical.contains(code))
        return AlarmSeverity::Critical;
    if (info.contains(code))
        return AlarmSeverity::Info;
    return AlarmSeverity::Warning;
}

AlarmSeverity AlarmSeverities::of(const QString &typeId) const
{
    const auto it = m_overrides.constFind(typeId.trimmed());
    return it != m_overrides.cend() ? *it : defaultFor(typeId);
}

void AlarmSeverities::set(const QString &typeId, AlarmSeverity severity)
{
    const QString code = typeId.trimmed();
    if (code.isEmpty())
        return;
    if (severity == defaultFor(code))
        m_overrides.remove(code);
    else
        m_overrides.insert(code, severity);
}

QStringList AlarmSeverities::codes(AlarmSeverity severity) const
{
    QStringList known = alarmTypeCodes();
    for (const char *c : kCritical)
        known.append(QString::fromLatin1(c));
    for (auto it = m_overrides.cbegin(); it != m_overrides.cend(); ++it)
        known.append(it.key());
    known.removeDuplicates();
    QStringList out;
    for (const QString &code : std::as_const(known)) {
        if (of(code) == severity)
            out.append(code);
    }
    return out;
}

QString AlarmSeverities::toText() const
{
    QStringList pairs;
    for (auto it = m_overrides.cbegin(); it != m_overrides.cend(); ++it)
        pairs.append(it.key() + QLatin1Char('=') + alarmSeverityName(it.value()));
    pairs.sort();
    return pairs.join(QLatin1Char(';'));
}

AlarmSeverities AlarmSeverities::fromText(const QString &text)
{
    AlarmSeverities s;
    const QStringList pairs = text.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.lastIndexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        if (const auto severity = alarmSeverityFromName(QStringView(pair).mid(eq + 1).trimmed()))
            s.set(pair.left(eq), *severity);
    }
    return s;
}

QString osUserName()
{
    for (const char *var : {"USER", "USERNAME", "LOGNAME"}) {
        const QString name = qEnvironmentVariable(var).trimmed();
        if (!name.isEmpty())
            return name;
    }
    return QStringLiteral("operator");
}

} // namespace Fleet
