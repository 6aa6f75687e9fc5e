#pragma once

#include "domain/vehiclestatus.h"

#include <QColor>
#include <QCoreApplication>

namespace Fleet {

// The one place the status colours are defined: the map's markers, the
// fleet list's dots and the filter buttons use the same ones. Chosen to stay
// apart for the common colour-vision deficiencies (moving/parked differ in
// lightness as well as hue) and to read on light and dark palettes.
inline QColor vehicleStatusColor(VehicleStatus status)
{
    switch (status) {
    case VehicleStatus::Expired: return QColor(0x6b, 0x4f, 0x8a);
    case VehicleStatus::Alarm: return QColor(0xd9, 0x30, 0x25);
    case VehicleStatus::Offline: return QColor(0x8a, 0x8f, 0x98);
    case VehicleStatus::Moving: return QColor(0x1e, 0x9e, 0x4a);
    case VehicleStatus::Idle: return QColor(0xe8, 0xa3, 0x00);
    case VehicleStatus::Parked: return QColor(0x2f, 0x6f, 0xdb);
    case VehicleStatus::NoFix: return QColor(0xb0, 0xb4, 0xba);
    }
    return QColor(Qt::gray);
}

// "Moving", "Idle", ... in the user's language, for the screen (core names a
// status only by its key).
inline QString vehicleStatusName(VehicleStatus status)
{
    switch (status) {
    case VehicleStatus::Expired: return QCoreApplication::translate("Fleet::VehicleStatus", "Expired");
    case VehicleStatus::Alarm: return QCoreApplication::translate("Fleet::VehicleStatus", "In alarm");
    case VehicleStatus::Offline: return QCoreApplication::translate("Fleet::VehicleStatus", "Offline");
    case VehicleStatus::Moving: return QCoreApplication::translate("Fleet::VehicleStatus", "Moving");
    case VehicleStatus::Idle: return QCoreApplication::translate("Fleet::VehicleStatus", "Idle");
    case VehicleStatus::Parked: return QCoreApplication::translate("Fleet::VehicleStatus", "Parked");
    case VehicleStatus::NoFix: return QCoreApplication::translate("Fleet::VehicleStatus", "No fix");
    }
    return QString();
}

} // namespace Fleet
