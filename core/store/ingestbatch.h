#pragma once

#include "domain/accesstoken.h"
#include "domain/alarm.h"
#include "domain/alarmdesk.h"
#include "domain/camera.h"
#include "domain/commandtracking.h"
#include "domain/device.h"
#include "domain/media.h"
#include "domain/push.h"
#include "domain/position.h"
#include "domain/trip.h"

#include <QDateTime>
#include <QLatin1String>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Fleet {

// Where a fix came from; stored as position_history.source.
enum class PositionSource { Poll, TrackList, Push };
// Where a report (trip, alarm) came from; stored as its source column.
enum class ReportSource { Poll, Push };

QLatin1String positionSourceName(PositionSource source); // "poll", "track_list", "push"
QLatin1String reportSourceName(ReportSource source); // "poll", "push"

struct PositionRecord
{
    Position position;
    PositionSource source = PositionSource::Poll;
    friend bool operator==(const PositionRecord &, const PositionRecord &) = default;
};

struct TripRecord
{
    Trip trip;
    ReportSource source = ReportSource::Poll;
    friend bool operator==(const TripRecord &, const TripRecord &) = default;
};

struct AlarmRecord
{
    Alarm alarm;
    ReportSource source = ReportSource::Poll;
    friend bool operator==(const AlarmRecord &, const AlarmRecord &) = default;
};

// How far a sync job has fetched, for one device or ("" imei) the account.
struct SyncWatermark
{
    QString job;
    QString imei;
    QDateTime time; // UTC

    friend bool operator==(const SyncWatermark &, const SyncWatermark &) = default;
};

// A span [from, to] of one device's track that the store now holds whole:
// everything jimi.device.track.list had for it is in position_history.
struct TrackCoverage
{
    QString imei;
    QDateTime from; // UTC
    QDateTime to;

    friend bool operator==(const TrackCoverage &, const TrackCoverage &) = default;
};

// What a TokenStore persists for one account key (see SqlTokenStore).
struct TokenRecord
{
    QString key;
    TokenState state;

    friend bool operator==(const TokenRecord &, const TokenRecord &) = default;
};

// What could not be read: one item of a push request (itemIndex >= 0) or the
// whole request (-1). Kept in push_quarantine for the user to see; the key
// (endpoint, item_index, content hash) makes a retried push one row.
struct PushQuarantineRecord
{
    QString endpoint;
    QDateTime received;
    int itemIndex = -1;
    QString reason;
    QByteArray content; // the item's JSON, or the payload

    friend bool operator==(const PushQuarantineRecord &, const PushQuarantineRecord &) = default;
};

// Everything one producer hands StoreWriter at once: typically one API answer
// or one push request. A batch is never split: it is committed in one
// transaction with whatever other batches were queued beside it, so a
// watermark always lands together with the data it covers.
struct IngestBatch
{
    QList<Device> devices; // registry: devices
    // devices is the account's whole device list: stored devices it lacks
    // leave the view (departed, to no account known), unless it is empty.
    bool devicesComplete = false;
    QList<DeviceGroup> groups; // device_groups
    // groups is the account's whole group list: stored groups it lacks are deleted.
    bool groupsComplete = false;
    QList<DeviceDeparture> departures; // devices moved to another account (after devices)
    QList<DeviceLocation> deviceStates; // device_state; a usable fix adds a 'poll' position
    QList<PositionRecord> positions; // position_history
    QList<TripRecord> trips; // trips
    QList<MileageTotal> mileageTotals; // device_state's mileage total, when its range ends later
    QList<AlarmRecord> alarms; // alarms (a repeat within the fold window folds into its run's first)
    QList<AlarmAction> alarmActions; // alarms' state + alarm_actions, after the alarms
    QList<AlarmDeviceAck> alarmDeviceAcks; // alarm_actions' 'device_ack' rows, by request key
    QList<StopPeriod> stops; // parking_idling
    QList<MediaEvent> mediaEvents; // media, source 'poll': one row per file listed (media.event.URL)
    QList<SyncWatermark> watermarks; // sync_state, applied after the data
    QList<TrackCoverage> trackCoverage; // track_coverage, merged, applied after the data
    QList<TokenRecord> tokens; // tokens (SqlTokenStore)
    QList<VideoStreamRecord> videoStreams; // video_streams: opened, then closed (Merge)
    QList<CommandRecord> commands; // commands FleetDesk sends, by client key (see CommandRecord)
    QList<CommandResultList> commandResults; // instruction.result answers, matched to the commands sent
    QList<LocalGroupChange> localGroups; // the desk's own groups, in order

    // Push-only data (reference §10).
    QList<DeviceEvent> deviceEvents; // device_events
    QList<Heartbeat> heartbeats; // heartbeats (+ device_state's heartbeat columns)
    QList<DeviceStatusFlags> statusFlags; // device_state's status columns, when newer
    QList<DeviceReport> readings; // device_state's current readings, each group when newer
    QList<FuelReading> fuelReadings; // fuel_readings
    QList<TemperatureReading> temperatureReadings; // temperature_readings
    QList<LbsReading> lbsReadings; // lbs_readings
    QList<ObdReading> obdReadings; // obd_readings
    QList<FaultReport> faultReports; // fault_codes, one row per code
    QList<PushedTrip> pushedTrips; // trips, source 'push'
    QList<MediaUpload> mediaUploads; // media, source 'push'
    QList<CommandResponse> commandResponses; // commands (fills the matching row, or adds one)
    QList<PushMessage> pushMessages; // push_messages

    QList<PushQuarantineRecord> quarantine; // push_quarantine

    void addPositions(const QList<Position> &list, PositionSource source);
    void addTrips(const QList<Trip> &list, ReportSource source);
    void addAlarms(const QList<Alarm> &list, ReportSource source);
    void addWatermark(const QString &job, const QString &imei, const QDateTime &time);

    // Rows offered, over all lists (a device state counts once).
    qsizetype rowCount() const;
    bool isEmpty() const { return rowCount() == 0; }
    friend bool operator==(const IngestBatch &, const IngestBatch &) = default;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::IngestBatch)
