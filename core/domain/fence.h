#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Fleet {

struct GeoPoint
{
    double lat = 0.0;
    double lng = 0.0;
    friend bool operator==(const GeoPoint &, const GeoPoint &) = default;
};

// A circular fence kept on the device itself (jimi.open.device.fence.create).
struct DeviceFenceSpec
{
    QString imei;
    QString name;
    QString alarmType = QStringLiteral("in,out"); // in / out / in,out
    int reportMode = 0; // 0 GPRS, 1 SMS+GPRS
    bool enabled = true;
    GeoPoint centre; // WGS-84; converted for the API
    int radiusM = 100; // sent in the API's 100 m units
    int zoomLevel = 15;
};

// A fence kept by the platform (jimi.open.platform.fence.create).
struct PlatformFenceSpec
{
    enum class Shape { Circle, Polygon };

    QString account;
    QString name;
    Shape shape = Shape::Polygon;
    QList<GeoPoint> points; // WGS-84; circle: one centre point
    std::optional<int> radiusM;
    QString color; // "#3B7AFF"
    QString description;
};

// Binding of devices to a platform fence (jimi.open.platform.fence.bind).
struct FenceBinding
{
    QString fenceId;
    QStringList imeis;
    QString alertType; // in,out,stayTimeIn,stayTimeOut
    std::optional<int> stayTimeInSec;
    std::optional<int> stayTimeOutSec;
};

} // namespace Fleet
