#pragma once

#include "api/apiclient.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

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
    // Each alarm pass asks again for this much before now: alarms reach the
    // cloud late (devices out of coverage upload them later). Repeats are
    // harmless: the store's keys drop them.
    int alarmsLookbackSecs = 60 * 60;
    int backfillHours = 24; // first start: how much history to fetch
    int maxBackfillDays = 31; // after downtime: how far a gap is filled
};

// [webhook]: the push receiver (see Push::Receiver).
struct WebhookSettings
{
    bool enabled = false;
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;
    QByteArray token; // token, or FLEETDESK_WEBHOOK_TOKEN
    QString certificatePath; // tls_certificate + tls_key: HTTPS
    QString keyPath;
    // Connections from one client address (max_connections_per_address; 0:
    // no limit, for a reverse proxy in front, whose address every client has).
    int maxConnectionsPerAddress = 64;
    QStringList warnings; // accepted but worth saying (weak token, open without TLS)
};

// The fleetdesk-ingest configuration (an INI file; see docs/CONFIG.md).
// Secrets may come from the environment instead of the file.
struct IngestConfig
{
    bool hasApi = false;
    ApiAccount account;
    QString target; // [api] target, default the account
    QString databasePath; // [store] database
    SyncSchedule schedule;
    WebhookSettings webhook;

    // Loads and validates; on failure returns nullopt with a one-line
    // message that names the offending key in *error.
    static std::optional<IngestConfig> load(const QString &path, QString *error);

    // "127.0.0.1:8090", "[::1]:8090", "0.0.0.0:8090" or a bare port (on
    // 127.0.0.1); nullopt if unreadable or the port is 0.
    static std::optional<std::pair<QHostAddress, quint16>> parseListen(const QString &text);

    // "60", "60s", "30min", "5h", "2d" → seconds; nullopt if unreadable.
    static std::optional<int> parseDuration(const QString &text);
};

} // namespace Fleet
