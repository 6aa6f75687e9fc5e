#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <optional>

namespace Fleet {

struct GeoPoint
{
    double lat = 0.0;
    double lng = 0.0;
    friend bool operator==(const GeoPoint &, const GeoPoint &) = default;
};

// A fence's shape as drawn, in WGS-84: what the editor edits, the store
// keeps and the local engine evaluates. A circle is its centre and radius; a
// rectangle its four corners in order (so that it stays a rectangle while
// edited); a polygon its vertices in order, not closed (the last vertex is
// not repeated).
struct FenceShape
{
    enum class Kind { Circle, Rectangle, Polygon };
    Kind kind = Kind::Polygon;
    QList<GeoPoint> points; // circle: one, the centre
    double radiusM = 0; // circle

    friend bool operator==(const FenceShape &, const FenceShape &) = default;

    static FenceShape circle(const GeoPoint &centre, double radiusM) { return {Kind::Circle, {centre}, radiusM}; }
    // The rectangle with two opposite corners, its sides along the meridians
    // and parallels, from its north-west corner clockwise.
    static FenceShape rectangle(const GeoPoint &a, const GeoPoint &b)
    {
        const double south = std::min(a.lat, b.lat);
        const double north = std::max(a.lat, b.lat);
        const double west = std::min(a.lng, b.lng);
        const double east = std::max(a.lng, b.lng);
        return {Kind::Rectangle, {{north, west}, {north, east}, {south, east}, {south, west}}, 0};
    }
    static FenceShape polygon(const QList<GeoPoint> &vertices) { return {Kind::Polygon, vertices, 0}; }
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

Q_DECLARE_METATYPE(Fleet::FenceShape)
