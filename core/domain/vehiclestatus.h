#pragma once

#include "device.h"
#include "position.h"

#include <QDateTime>
#include <QString>

namespace Fleet {

// What a dispatcher sees a vehicle doing, one word per vehicle: the fleet
// list filters by it, the map colours by it. Ordered by precedence: a
// vehicle is in the first status that applies.
enum class VehicleStatus : quint8 {
    Expired, // the platform subscription has run out
    Alarm,   // an alarm was raised within StatusRules::alarmActiveSecs
    Offline, // the device said it is offline, or has been silent too long
    Moving,  // speed at or above StatusRules::movingKmh
    Idle,    // ignition on, standing
    Parked,  // ignition off (or unknown), standing
    NoFix,   // online, but has never sent a usable fix
};
constexpr int kVehicleStatusCount = 7;

// "moving", "idle", ... (stable: settings and tests use them)
QString vehicleStatusKey(VehicleStatus status);
// "Moving", "Idle", ... translated, for the screen.
QString vehicleStatusName(VehicleStatus status);

struct StatusRules
{
    int offlineAfterSecs = 600; // no heartbeat or fix for this long: offline
    double movingKmh = 3.0;
    int alarmActiveSecs = 900;
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
    // Name, else plate, else IMEI.
    QString displayName() const;
    friend bool operator==(const VehicleSnapshot &, const VehicleSnapshot &) = default;
};

VehicleStatus classify(const VehicleSnapshot &vehicle, const QDateTime &now, const StatusRules &rules = {});

} // namespace Fleet
