#pragma once

#include <QLatin1String>

#include <array>
#include <cstddef>

namespace Fleet {

// The tables StoreWriter writes, for change notices and statistics.
enum class StoreTable {
    Devices,
    DeviceGroups,
    DeviceState,
    PositionHistory,
    Trips,
    Alarms,
    ParkingIdling,
    SyncState,
    Tokens,
    DeviceEvents,
    Heartbeats,
    FaultCodes,
    FuelReadings,
    TemperatureReadings,
    LbsReadings,
    ObdReadings,
    Media,
    Commands,
    PushMessages,
    PushQuarantine,
    TrackCoverage,
    AlarmActions,
    VideoStreams,
    LocalGroups, // local_groups and local_group_members
};

inline constexpr std::size_t kStoreTableCount = 24;

// The SQL name of the table ("position_history", ...).
QLatin1String storeTableName(StoreTable table);

// What happened to the rows offered for one table.
struct TableCounts
{
    qint64 inserted = 0; // new rows
    qint64 updated = 0; // existing rows that a later report changed or completed
    qint64 duplicates = 0; // rows already stored exactly as offered: nothing written
    qint64 rejected = 0; // rows refused before SQL (no IMEI, no time, no fix, 0,0, ...)

    qint64 written() const { return inserted + updated; }
    TableCounts &operator+=(const TableCounts &o)
    {
        inserted += o.inserted;
        updated += o.updated;
        duplicates += o.duplicates;
        rejected += o.rejected;
        return *this;
    }
    friend bool operator==(const TableCounts &, const TableCounts &) = default;
};

using StoreTableCounts = std::array<TableCounts, kStoreTableCount>;

} // namespace Fleet
