#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace Fleet {

// A tracker as the account knows it (jimi.user.device.list, jimi.track.device.detail).
struct Device
{
    QString imei;
    QString name; // deviceName
    QString model; // mcType
    QString sim;
    QString iccid;
    QString imsi;
    QString vin;
    QString vehicleName;
    QString plate; // vehicleNumber / licensePlatNo
    QString vehicleIcon;
    QString driverName;
    QString driverPhone;
    QString groupId;
    QString groupName;
    QString account;
    QString customerName;
    QString remark;
    QDateTime activationTime; // UTC; invalid when unknown
    QDateTime expiration; // UTC; invalid when unknown
    std::optional<bool> enabled;
    std::optional<double> odometerKm; // currentMileage

    friend bool operator==(const Device &, const Device &) = default;
};

// A group of the desk's own (a tag): the cloud has no call that moves a
// device between its groups, so FleetDesk keeps these, with the data.
struct LocalGroup
{
    qint64 id = 0;
    QString name; // unique, case ignored
    QString color; // "#rrggbb"; empty: none
    QStringList imeis;

    friend bool operator==(const LocalGroup &, const LocalGroup &) = default;
};

// One step on the local groups, by the group's name (StoreWriter).
struct LocalGroupChange
{
    enum class Kind { Create, Rename, Delete, Add, Remove };
    Kind kind = Kind::Create;
    QString name;
    QString newName; // Rename
    QString color; // Create
    QStringList imeis; // Add, Remove (Create: its first members)

    friend bool operator==(const LocalGroupChange &, const LocalGroupChange &) = default;
};

struct DeviceGroup
{
    QString id;
    QString name;

    friend bool operator==(const DeviceGroup &, const DeviceGroup &) = default;
};

// A device the cloud moved to another account (jimi.open.device.move): it
// leaves this account's view until a device list names it again.
struct DeviceDeparture
{
    QString imei;
    QString toAccount;
    QDateTime at; // UTC

    friend bool operator==(const DeviceDeparture &, const DeviceDeparture &) = default;
};

// Answer of jimi.user.device.expiration.update for one device.
struct ExpirationUpdate
{
    QString imei;
    QString result;
    QString message;

    friend bool operator==(const ExpirationUpdate &, const ExpirationUpdate &) = default;
};

} // namespace Fleet
