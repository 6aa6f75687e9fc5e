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
    std::optional<double> courseDeg; // 0..360; absent when the device reports -1
    std::optional<bool> acc; // ignition
    std::optional<int> satellites;
    std::optional<double> altitudeM;
    std::optional<int> confidence;
    std::optional<bool> reuploaded; // gpsMode 1: stored on the device, sent later
    PositionType type = PositionType::Unknown;

    friend bool operator==(const Position &, const Position &) = default;
};

// What a device last said about itself, with or without a usable fix: an
// ignition change sent with a repeated GPS time, speed and heading from a
// device without coordinates. Each group keeps the device time it belongs
// to; the store keeps the freshest in device_state, so a late report (a
// re-upload, a slow push) never overwrites a newer one.
struct DeviceReadings
{
    std::optional<bool> acc; // ignition
    QDateTime accTime; // device time of acc; invalid: no reading
    std::optional<double> speedKmh;
    std::optional<double> courseDeg;
    std::optional<int> satellites;
    PositionType type = PositionType::Unknown;
    QDateTime motionTime; // device time of speed, course, satellites, type
    std::optional<double> odometerKm; // the device's odometer (/pushgps distance, metres as sent)
    QDateTime odometerTime; // device time of odometerKm

    bool isEmpty() const { return !accTime.isValid() && !motionTime.isValid() && !odometerTime.isValid(); }
    friend bool operator==(const DeviceReadings &, const DeviceReadings &) = default;
};

// Readings of one device, as a push or a sweep reports them.
struct DeviceReport
{
    QString imei;
    DeviceReadings readings;

    friend bool operator==(const DeviceReport &, const DeviceReport &) = default;
};

// One row of jimi.user.device.location.list / jimi.device.location.get: the
// device's state plus its last fix, if it has one.
struct DeviceLocation
{
    QString imei;
    QString name;
    QString model;
    QString account;
    std::optional<Position> fix; // absent when the device has no usable fix
    std::optional<bool> online; // status 1/0
    QDateTime heartbeatTime; // hbTime
    std::optional<int> gsmSignal; // gpsSignal 0..4 (GSM level despite its name)
    std::optional<double> odometerKm; // currentMileage
    std::optional<double> externalVoltage; // powerValue
    std::optional<double> batteryVoltage; // batteryPowerVal
    std::optional<double> batteryPercent; // electQuantity (tags: batteryPowerVal)
    std::optional<double> temperatureC; // temperature sensor, where fitted
    std::optional<double> fuelLitres; // trackerOil ("0.00L")
    std::optional<bool> expired; // expireFlag 0 = expired
    std::optional<bool> activated; // activationFlag
    QString address; // locDesc
    DeviceReadings readings; // what the device says now, fix or not
    // The newest per-device total of jimi.device.track.mileage and the range
    // it covers (kept by the store; no answer of location.list carries it).
    std::optional<double> mileageTotalKm;
    QDateTime mileageFrom;
    QDateTime mileageTo;

    // The freshest ignition, speed and heading: the readings' where they are
    // at least as new as the fix, else the fix's.
    std::optional<bool> ignition() const;
    std::optional<double> speedKmh() const;
    std::optional<double> courseDeg() const;

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
