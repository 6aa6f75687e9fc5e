#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace Fleet {

enum class PositionType { Unknown, Gps, Lbs, Wifi, Beacon };

// One fix of one device. Coordinates are WGS-84, times UTC.
struct Position
{
    QString imei;
    QDateTime gpsTime;
    double lat = 0.0;
    double lng = 0.0;
    std::optional<double> speedKmh;
    std::optional<double> courseDeg;    // 0..360; absent when the device reports -1
    std::optional<bool> acc;            // ignition
    std::optional<int> satellites;
    std::optional<double> altitudeM;
    std::optional<int> confidence;
    std::optional<bool> reuploaded;     // gpsMode 1: stored on the device, sent later
    PositionType type = PositionType::Unknown;

    friend bool operator==(const Position &, const Position &) = default;
};

// One row of jimi.user.device.location.list / jimi.device.location.get: the
// device's state plus its last fix, if it has one.
struct DeviceLocation
{
    QString imei;
    QString name;
    QString model;
    QString account;
    std::optional<Position> fix;        // absent when the device has no usable fix
    std::optional<bool> online;         // status 1/0
    QDateTime heartbeatTime;            // hbTime
    std::optional<int> gsmSignal;       // gpsSignal 0..4 (GSM level despite its name)
    std::optional<double> odometerKm;   // currentMileage
    std::optional<double> externalVoltage; // powerValue
    std::optional<double> batteryVoltage;  // batteryPowerVal
    std::optional<double> batteryPercent;  // electQuantity (tags: batteryPowerVal)
    std::optional<double> temperatureC;    // temperature sensor, where fitted
    std::optional<double> fuelLitres;      // trackerOil ("0.00L")
    std::optional<bool> expired;        // expireFlag 0 = expired
    std::optional<bool> activated;      // activationFlag
    QString address;                    // locDesc

    friend bool operator==(const DeviceLocation &, const DeviceLocation &) = default;
};

// jimi.lbs.address.get
struct LbsLocation
{
    double lat = 0.0;
    double lng = 0.0;
    std::optional<double> accuracyM;

    friend bool operator==(const LbsLocation &, const LbsLocation &) = default;
};

QString positionTypeName(PositionType type);

} // namespace Fleet
