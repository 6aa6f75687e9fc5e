#include "vehiclestatus.h"

#include <algorithm>

namespace Fleet {

QString vehicleStatusKey(VehicleStatus status)
{
    switch (status) {
    case VehicleStatus::Expired: return QStringLiteral("expired");
    case VehicleStatus::Alarm: return QStringLiteral("alarm");
    case VehicleStatus::Offline: return QStringLiteral("offline");
    case VehicleStatus::Moving: return QStringLiteral("moving");
    case VehicleStatus::Idle: return QStringLiteral("idle");
    case VehicleStatus::Parked: return QStringLiteral("parked");
    case VehicleStatus::NoFix: return QStringLiteral("nofix");
    }
    return QString();
}

QString VehicleSnapshot::displayName() const
{
    for (const QString *candidate : {&device.name, &location.name, &device.plate}) {
        QString trimmed = candidate->trimmed();
        if (!trimmed.isEmpty())
            return trimmed;
    }
    return device.imei.trimmed();
}

namespace {

// Milliseconds from `time` to `now`, or nothing when `time` is unknown or
// further in the future than the clock skew allows. Times within the skew
// count as "now" (age 0), so they never look older than they are.
std::optional<qint64> trustedAgeMs(const QDateTime &time, const QDateTime &now, const StatusRules &rules)
{
    if (!time.isValid() || !now.isValid())
        return std::nullopt;
    const qint64 age = time.msecsTo(now);
    if (age < -qint64(rules.clockSkewSecs) * 1000)
        return std::nullopt;
    return std::max<qint64>(age, 0);
}

bool isExpired(const VehicleSnapshot &v, const QDateTime &now)
{
    if (v.location.expired.value_or(false))
        return true;
    return now.isValid() && v.device.expiration.isValid() && v.device.expiration < now;
}

bool isAlarmActive(const VehicleSnapshot &v, const QDateTime &now, const StatusRules &rules)
{
    const std::optional<qint64> age = trustedAgeMs(v.lastAlarmTime, now, rules);
    return age && *age <= qint64(rules.alarmActiveSecs) * 1000;
}

bool isOffline(const VehicleSnapshot &v, const QDateTime &now, const StatusRules &rules)
{
    if (v.location.online)
        return !*v.location.online;
    std::optional<qint64> youngest = trustedAgeMs(v.location.heartbeatTime, now, rules);
    const DeviceReadings &r = v.location.readings;
    // A fix, or readings without one: the device spoke.
    for (const QDateTime &t : {v.location.fix ? v.location.fix->gpsTime : QDateTime(), r.accTime, r.motionTime}) {
        const std::optional<qint64> age = trustedAgeMs(t, now, rules);
        if (age && (!youngest || *age < *youngest))
            youngest = age;
    }
    return !youngest || *youngest > qint64(rules.offlineAfterSecs) * 1000;
}

} // namespace

VehicleStatus classify(const VehicleSnapshot &vehicle, const QDateTime &now, const StatusRules &rules)
{
    if (isExpired(vehicle, now))
        return VehicleStatus::Expired;
    if (isAlarmActive(vehicle, now, rules))
        return VehicleStatus::Alarm;
    if (isOffline(vehicle, now, rules))
        return VehicleStatus::Offline;
    const std::optional<Position> &fix = vehicle.location.fix;
    if (!fix)
        return VehicleStatus::NoFix;
    if (const std::optional<double> speed = vehicle.location.speedKmh(); speed && *speed >= rules.movingKmh)
        return VehicleStatus::Moving;
    if (vehicle.location.ignition().value_or(false))
        return VehicleStatus::Idle;
    return VehicleStatus::Parked;
}

} // namespace Fleet
