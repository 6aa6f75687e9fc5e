#pragma once

// The writer's subjects, one per source file: each prepares the statements
// of its tables and writes its part of a batch into the transaction under
// way. IngestWriter runs them in an order that keeps references intact.
// Internal to the store.

#include "ingestsupport.h"

namespace Fleet::Ingest {

// The registry (ingestregistry.cpp): devices, groups, and the writer's own
// bookkeeping, sync watermarks and token states.
class RegistryIngest
{
public:
    explicit RegistryIngest(Context &context)
        : m_context(context)
    { }
    bool prepare(QString *error);
    bool writeDevices(Tx &tx, const IngestBatch &b);
    // A complete list also deletes the groups it lacks.
    bool writeGroups(Tx &tx, const IngestBatch &b);
    // Devices moved to another account: out of view until listed again.
    bool writeDepartures(Tx &tx, const IngestBatch &b);
    // A complete device list: the devices in view that it lacks leave the view.
    bool writeUnlisted(Tx &tx, const IngestBatch &b);
    // The name, model and account that location.list reports with a state.
    bool writeDeviceNames(Tx &tx, const DeviceLocation &l);
    bool writeWatermarks(Tx &tx, const IngestBatch &b);
    // Each span merged with the device's spans that overlap or touch it.
    bool writeCoverage(Tx &tx, const IngestBatch &b);
    bool writeTokens(Tx &tx, const IngestBatch &b);
    // The journal of the video streams opened in the cloud.
    bool writeVideoStreams(Tx &tx, const IngestBatch &b);

private:
    bool prepareCoverage(QString *error);

    Context &m_context;
    KeyedTable<Device> m_devices;
    KeyedTable<DeviceLocation> m_deviceNames;
    KeyedTable<DeviceGroup> m_groups;
    KeyedTable<SyncWatermark> m_watermarks;
    KeyedTable<TokenRecord> m_tokens;
    KeyedTable<VideoStreamRecord> m_videoStreams;
    QSqlQuery m_returned; // a listed device is back in view
    QSqlQuery m_departed;
    QSqlQuery m_unlisted; // in view, not in a complete device list
    QSqlQuery m_unlist;
    QSqlQuery m_groupIds;
    QSqlQuery m_groupDelete;
    QSqlQuery m_coverageFind; // the union of the spans a new one meets
    QSqlQuery m_coverageDelete;
    QSqlQuery m_coverageInsert;
};

// A device's current state (ingeststate.cpp): the device_state row, from the
// sweep, pushed readings, status flags, heartbeats and mileage totals. Each
// part only moves forward in time.
class StateIngest
{
public:
    explicit StateIngest(Context &context)
        : m_context(context)
    { }
    bool prepare(QString *error);
    // The sweep's states; their fixes join tx.positions as 'poll' positions.
    bool writeDeviceStates(Tx &tx, const IngestBatch &b, RegistryIngest &registry);
    bool writeReadings(Tx &tx, const IngestBatch &b);
    bool writeStatusFlags(Tx &tx, const IngestBatch &b);
    bool writeMileageTotals(Tx &tx, const IngestBatch &b);
    // device_state's current readings: each group only when at least as new
    // as the stored one.
    bool writeReading(Tx &tx, const QString &imei, const DeviceReadings &readings);
    // device_state's heartbeat columns, when the heartbeat is newer.
    bool writeHeartbeat(Tx &tx, const Heartbeat &h);
    void committed(const Tx &tx);

private:
    Context &m_context;
    KeyedTable<DeviceLocation> m_states;
    QSqlQuery m_statusUpdate; // status columns, when newer
    QSqlQuery m_heartbeatState; // heartbeat columns, when newer
    QSqlQuery m_readings; // current readings, each group when newer
    QSqlQuery m_mileageTotal; // mileage total, when its range ends later
    QHash<QString, Tx::LastStatus> m_lastStatus; // committed: newest status fix per IMEI
};

// Where the vehicles went (ingestreports.cpp): positions, trips (polled and
// pushed), stops and parking.
class ReportIngest
{
public:
    ReportIngest(Context &context, int positionsPerStatement)
        : m_context(context)
        , m_positions(positionsPerStatement)
    { }
    bool prepare(QString *error);
    // The batch's positions join tx.positions; writePositions() writes them all.
    void collectPositions(Tx &tx, const IngestBatch &b);
    bool writePositions(Tx &tx);
    bool writeTrips(Tx &tx, const IngestBatch &b);
    bool writePushedTrips(Tx &tx, const IngestBatch &b);
    bool writeStops(Tx &tx, const IngestBatch &b);
    // After a failed transaction.
    void rolledBack() { m_positions.invalidate(); }

private:
    Context &m_context;
    PositionInserter m_positions;
    KeyedTable<TripRecord> m_trips;
    KeyedTable<PushedTrip> m_pushedTrips;
    KeyedTable<StopPeriod> m_stops;
};

// The alarms and their handling (ingestalarms.cpp). A new alarm that repeats
// the type of an unresolved alarm of the same device within the fold window
// (after the newest alarm of that run) folds into the run's first alarm: it
// takes that alarm's state, and the first alarm counts it. A dispatcher's
// step acts on every alarm of a fold that may take it, and leaves one
// alarm_actions row per alarm moved.
class AlarmIngest
{
public:
    AlarmIngest(Context &context, int foldSeconds)
        : m_context(context)
        , m_foldSeconds(foldSeconds)
    { }
    bool prepare(QString *error);
    bool writeAlarms(Tx &tx, const IngestBatch &b);
    bool writeActions(Tx &tx, const IngestBatch &b);
    // A device acknowledgement as sent (a new row), or its answer (the row
    // of its request key, while it is still 'sending').
    bool writeDeviceAcks(Tx &tx, const IngestBatch &b);

private:
    bool fold(Tx &tx, const Alarm &a);
    bool act(Tx &tx, const AlarmAction &action);
    bool deviceAck(Tx &tx, const AlarmDeviceAck &ack);

    Context &m_context;
    int m_foldSeconds;
    KeyedTable<AlarmRecord> m_alarms;
    QSqlQuery m_idOf; // the row of an alarm's key
    QSqlQuery m_foldHead; // the run a new alarm repeats
    QSqlQuery m_foldInto;
    QSqlQuery m_foldGrow;
    QSqlQuery m_headOf; // the first alarm of an alarm's fold
    QSqlQuery m_members; // the alarms of a fold
    QSqlQuery m_step;
    QSqlQuery m_noteOnly;
    QSqlQuery m_history;
    QSqlQuery m_ackAlarm; // the state and IMEI of the alarm acknowledged on its device
    QSqlQuery m_ackSent;
    QSqlQuery m_ackAnswer;
};

// What only the push API sends (ingestpush.cpp), kept as facts: device
// events, heartbeats, fault codes, sensor readings, media, command answers,
// the raw messages and what could not be read.
class PushIngest
{
public:
    PushIngest(Context &context, StateIngest &state)
        : m_context(context)
        , m_state(state)
    { }
    bool prepare(QString *error);
    // Device events and heartbeats (which move device_state's heartbeat on).
    bool writeEvents(Tx &tx, const IngestBatch &b);
    // The rest: faults, readings, media, command answers, messages, quarantine.
    bool writeFacts(Tx &tx, const IngestBatch &b);

private:
    bool writeDeviceEvents(Tx &tx, const IngestBatch &b);
    bool writeHeartbeats(Tx &tx, const IngestBatch &b);
    bool writeFaultReports(Tx &tx, const IngestBatch &b);
    bool writeFuelReadings(Tx &tx, const IngestBatch &b);
    bool writeTemperatureReadings(Tx &tx, const IngestBatch &b);
    bool writeLbsReadings(Tx &tx, const IngestBatch &b);
    bool writeObdReadings(Tx &tx, const IngestBatch &b);
    bool writeMediaUploads(Tx &tx, const IngestBatch &b);
    bool writeListedMedia(Tx &tx, const IngestBatch &b);
    bool writePushMessages(Tx &tx, const IngestBatch &b);
    bool writeQuarantine(Tx &tx, const IngestBatch &b);

    struct FaultCode
    {
        const FaultReport &report;
        const QString &code;
    };

    Context &m_context;
    StateIngest &m_state;
    KeyedTable<DeviceEvent> m_deviceEvents;
    KeyedTable<Heartbeat> m_heartbeats;
    KeyedTable<FaultCode> m_faultCodes;
    KeyedTable<FuelReading> m_fuel;
    KeyedTable<TemperatureReading> m_temperatures;
    KeyedTable<LbsReading> m_lbs;
    KeyedTable<ObdReading> m_obd;
    KeyedTable<MediaUpload> m_media;
    // A file of a listed event: the event says when and why, the file where.
    struct ListedFile
    {
        const MediaEvent &event;
        const MediaFile &file;
        QString key;
    };
    KeyedTable<ListedFile> m_listedMedia;
    KeyedTable<PushMessage> m_pushMessages;
    KeyedTable<PushQuarantineRecord> m_quarantine;
    QSqlQuery m_quarantineRepeat;
};

// The desk's own groups (ingestlocalgroups.cpp), by name: created (a name
// taken is a duplicate), renamed (onto a name taken: nothing), deleted (with
// their members), and vehicles added and removed.
class LocalGroupIngest
{
public:
    explicit LocalGroupIngest(Context &context)
        : m_context(context)
    { }
    bool prepare(QString *error);
    bool write(Tx &tx, const IngestBatch &b);

private:
    Context &m_context;
    QSqlQuery m_create;
    QSqlQuery m_rename;
    QSqlQuery m_delete;
    QSqlQuery m_add;
    QSqlQuery m_remove;
};

// The commands (ingestcommands.cpp): those FleetDesk sends, by client key;
// the rows of instruction.result, matched to them by text and time
// (matchCommandResults); and the gateway's late answers
// (/pushInstructResponse), by server flag id. A state only moves forward
// (advanceCommandState); what the cloud reports that nobody here sent is
// kept with origin 'cloud'.
class CommandIngest
{
public:
    static constexpr int kMatchWindowSecs = 120;

    explicit CommandIngest(Context &context)
        : m_context(context)
    { }
    bool prepare(QString *error);
    bool writeCommands(Tx &tx, const IngestBatch &b);
    bool writeResults(Tx &tx, const IngestBatch &b);
    bool writeResponses(Tx &tx, const IngestBatch &b);

private:
    // A stored row: its id, state, and the columns a change may fill.
    struct Stored
    {
        qint64 id = 0;
        CommandState state = CommandState::Unknown;
        QVariantList values;
    };
    // What one answer says of a command; NULL values say nothing.
    struct Change
    {
        CommandState state = CommandState::Unknown;
        QVariant code, message, serverFlagId, deadline, reply, msgType, resultKey, codeId, sender;
        qint64 replied = 0; // when the reply (if new) came
        bool touchReplied = false; // reply_time moves on any change (a push's answer)
    };
    std::optional<Stored> find(Tx &tx, QSqlQuery &query, const QVariantList &keys, bool *ok);
    bool merge(Tx &tx, const Stored &stored, const Change &change, const QString &imei, qint64 spanTime);
    bool insert(Tx &tx, const CommandRecord &r, const Change &change);

    Context &m_context;
    QSqlQuery m_byClientKey;
    QSqlQuery m_byId;
    QSqlQuery m_byResultKey;
    QSqlQuery m_byServerFlag;
    QSqlQuery m_candidates;
    QSqlQuery m_insert;
    QSqlQuery m_update;
};

} // namespace Fleet::Ingest
