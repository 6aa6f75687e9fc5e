#include "position.h"

namespace Fleet {

QString positionTypeName(PositionType type)
{
    switch (type) {
    case PositionType::Gps: return QStringLiteral("GPS");
    case PositionType::Lbs: return QStringLiteral("LBS");
    case PositionType::Wifi: return QStringLiteral("WIFI");
    case PositionType::Beacon: return QStringLiteral("BEACON");
    case PositionType::Unknown: break;
    }
    return QString();
}

} // namespace Fleet
