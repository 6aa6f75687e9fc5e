#pragma once

#include "api/apiclient.h"

#include <QString>

#include <optional>

namespace Fleet {

// How often each sync job runs and how far back it looks (reference: fleet
// sweep 60 s, device sync 5 h, GPS trail 30 min with a 35 min look-back).
struct SyncSchedule
{
    int fleetSweepSecs = 60;
    int deviceSyncSecs = 5 * 3600;
    int gpsTrailSecs = 30 * 60;
    int gpsTrailLookbackSecs = 35 * 60;
    int tripsSecs = 30 * 60;
    int parkingSecs = 60 * 60;
    int alarmsSecs = 5 * 60;
    int backfillHours = 24;       // first start: how much history to fetch
    int maxBackfillDays = 31;     // after downtime: how far a gap is filled
};

// The fleetdesk-ingest configuration (an INI file; see docs/CONFIG.md).
// Secrets may come from the environment instead of the file.
struct IngestConfig
{
    bool hasApi = false;
    ApiAccount account;
    QString target;              // [api] target, default the account
    QString databasePath;        // [store] database
    SyncSchedule schedule;

    // Loads and validates; on failure returns nullopt with a one-line
    // message that names the offending key in *error.
    static std::optional<IngestConfig> load(const QString &path, QString *error);

    // "60", "60s", "30min", "5h", "2d" → seconds; nullopt if unreadable.
    static std::optional<int> parseDuration(const QString &text);
};

} // namespace Fleet
