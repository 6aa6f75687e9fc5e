#pragma once

#include "domain/vehiclestatus.h"

#include <QColor>

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

} // namespace Fleet
