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
    case StoreTable::DeviceEvents: return QLatin1String("device_events");
    case StoreTable::Heartbeats: return QLatin1String("heartbeats");
    case StoreTable::FaultCodes: return QLatin1String("fault_codes");
    case StoreTable::FuelReadings: return QLatin1String("fuel_readings");
    case StoreTable::TemperatureReadings: return QLatin1String("temperature_readings");
    case StoreTable::LbsReadings: return QLatin1String("lbs_readings");
    case StoreTable::ObdReadings: return QLatin1String("obd_readings");
    case StoreTable::Media: return QLatin1String("media");
    case StoreTable::Commands: return QLatin1String("commands");
    case StoreTable::PushMessages: return QLatin1String("push_messages");
    case StoreTable::PushQuarantine: return QLatin1String("push_quarantine");
    case StoreTable::TrackCoverage: return QLatin1String("track_coverage");
    case StoreTable::AlarmActions: return QLatin1String("alarm_actions");
    case StoreTable::VideoStreams: return QLatin1String("video_streams");
    case StoreTable::LocalGroups: return QLatin1String("local_groups");
    }
    return QLatin1String();
}

} // namespace Fleet
