#pragma once

#include "device.h"
#include "position.h"

#include <QDateTime>
#include <QHashFunctions>
#include <QString>

namespace Fleet {

// What a dispatcher sees a vehicle doing, one word per vehicle: the fleet
// list filters by it, the map colours by it. Ordered by precedence: a
// vehicle is in the first status that applies (see classify()).
enum class VehicleStatus : quint8 {
    Expired, // the platform subscription has run out
    Alarm, // an alarm was raised within StatusRules::alarmActiveSecs
    Offline, // the device said it is offline, or has been silent too long
    Moving, // has a fix with speed at or above StatusRules::movingKmh
    Idle, // has a fix, ignition on, standing
    Parked, // has a fix, ignition off (or unknown), standing
    NoFix, // online, but has never sent a usable fix
};
constexpr int kVehicleStatusCount = 7;

// Lets a QSet<VehicleStatus> hold a status filter (Qt 6.4 hashes no enum class).
inline size_t qHash(VehicleStatus status, size_t seed = 0) noexcept
{
    return ::qHash(quint8(status), seed);
}

// "moving", "idle", ... (stable: settings and tests use them). Empty for a
// value outside the enum.
QString vehicleStatusKey(VehicleStatus status);

struct StatusRules
{
    int offlineAfterSecs = 600; // no heartbeat or fix for longer than this: offline
    double movingKmh = 3.0;
    int alarmActiveSecs = 900;
    // How far a timestamp may lie in the future and still count as "now".
    // Device clocks drift and the platform stamps some times itself; a time
    // further ahead than this is a broken clock and is not trusted.
    int clockSkewSecs = 120;
};

// One vehicle as every view shows it: the device, its latest state and its
// latest alarm. Built by the fleet feed from the store.
struct VehicleSnapshot
{
    Device device;
    DeviceLocation location;
    QDateTime lastAlarmTime; // UTC; invalid when none is known
    QString lastAlarmName;
    VehicleStatus status = VehicleStatus::NoFix;

    const QString &imei() const { return device.imei; }
    // Device name, else the location's name, else plate, else IMEI; all trimmed.
    QString displayName() const;
    friend bool operator==(const VehicleSnapshot &, const VehicleSnapshot &) = default;
};

// The vehicle's status at `now`; the first rule that applies wins:
//  1. Expired: location.expired is true, or device.expiration is known and
//     earlier than now (a subscription ending exactly now is still valid).
//  2. Alarm: lastAlarmTime is known and now - lastAlarmTime <= alarmActiveSecs.
//     An alarm stamped up to clockSkewSecs in the future counts as just
//     raised; one further ahead comes from a broken clock and is ignored.
//  3. Offline: the API's online flag is authoritative when present (false:
//     offline, true: never offline by time). Without it the newest of
//     heartbeatTime, the fix's gpsTime and the readings' times decides:
//     offline when it is older than offlineAfterSecs, or when none is known.
//     A time more than clockSkewSecs in the future is not trusted (counts as
//     unknown).
//  4. Moving: a fix, and the freshest speed (DeviceLocation::speedKmh(): the
//     readings' when at least as new as the fix) is known and >= movingKmh.
//  5. Idle: a fix, and the freshest ignition is on (an ignition turned on
//     with a repeated GPS time counts).
//  6. Parked: any other fix (ignition off or unknown).
//  7. NoFix: no fix. Rules 4-7 exclude each other, so a vehicle without a fix
//     that is online and not expired or in alarm is NoFix.
// An invalid `now` disables the time rules: no expiry by date, no active
// alarm, and without the online flag the vehicle is offline.
VehicleStatus classify(const VehicleSnapshot &vehicle, const QDateTime &now, const StatusRules &rules = {});

} // namespace Fleet
