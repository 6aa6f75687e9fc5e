#include "storetable.h"

namespace Fleet {

QLatin1String storeTableName(StoreTable table)
{
    switch (table) {
    case StoreTable::Devices: return QLatin1String("devices");
    case StoreTable::DeviceGroups: return QLatin1String("device_groups");
    case StoreTable::DeviceState: return QLatin1String("device_state");
    case StoreTable::PositionHistory: return QLatin1String("position_history");
    case StoreTable::Trips: return QLatin1String("trips");
    case StoreTable::Alarms: return QLatin1String("alarms");
    case StoreTable::ParkingIdling: return QLatin1String("parking_idling");
    case StoreTable::SyncState: return QLatin1String("sync_state");
    case StoreTable::Tokens: return QLatin1String("tokens");
    }
    return QLatin1String();
}

} // namespace Fleet
