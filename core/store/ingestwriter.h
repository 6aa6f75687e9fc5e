#pragma once

#include "ingestbatch.h"
#include "keyedupsert.h"
#include "positioninserter.h"
#include "storechange.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace Fleet {

// The SQL half of StoreWriter: writes a run of batches in ONE transaction on
// the connection it is given, and says what changed. Confined to the
// writer's thread; knows nothing of queues or signals.
//
// Rows are validated first: a row without IMEI or time, a position without a
// usable fix (absent, out of range, or 0,0) is refused and counted, never
// stored with a guessed value. Facts (positions, trips, alarms, stops) are
// keyed so that a second report of the same fact adds nothing: positions keep
// the first report; trips, alarms and stops keep it too but let a later one
// fill columns it lacked. Latest-state rows (devices, groups, device_state,
// sync_state) take the newest non-empty values. The IMEIs that have a devices
// or device_state row are remembered (loaded at prepare(), grown on commit),
// which saves a statement per device and sweep; as the only writer it knows.
//
// Push data (reference §10) follows the same rules: its facts are keyed and
// filled, never overwritten; the status and heartbeat columns of
// device_state only move forward in time; a command's answer completes the
// command's row.
class IngestWriter
{
public:
    // The newest pushed status flags of a device (see writeStatusFlags).
    struct LastStatus
    {
        qint64 time = 0; // newest fix seen that carried flags
        quint32 flags = 0;
    };

    explicit IngestWriter(QSqlDatabase db, int positionsPerStatement = 32);

    bool prepare(QString *error);
    // All batches in one transaction. On failure everything is rolled back,
    // *error says which table and why, and *change is left empty.
    bool write(const QList<IngestBatch> &batches, qint64 nowSecs, StoreChange *change, QString *error);

private:
    struct Tx;
    bool preparePush(QString *error);
    bool writeDevices(Tx &tx, const IngestBatch &b);
    bool writeGroups(Tx &tx, const IngestBatch &b);
    bool writeDeviceStates(Tx &tx, const IngestBatch &b);
    bool writePositions(Tx &tx);
    bool writeTrips(Tx &tx, const IngestBatch &b);
    bool writeAlarms(Tx &tx, const IngestBatch &b);
    bool writeStops(Tx &tx, const IngestBatch &b);
    bool writeWatermarks(Tx &tx, const IngestBatch &b);
    bool writeTokens(Tx &tx, const IngestBatch &b);
    bool writeDeviceEvents(Tx &tx, const IngestBatch &b);
    bool writeHeartbeats(Tx &tx, const IngestBatch &b);
    bool writeStatusFlags(Tx &tx, const IngestBatch &b);
    bool writeReadings(Tx &tx, const IngestBatch &b);
    bool writeMileageTotals(Tx &tx, const IngestBatch &b);
    // device_state's current readings: each group only when at least as new
    // as the stored one.
    bool writeReading(Tx &tx, const QString &imei, const DeviceReadings &readings);
    bool writeFaultReports(Tx &tx, const IngestBatch &b);
    bool writeFuelReadings(Tx &tx, const IngestBatch &b);
    bool writeTemperatureReadings(Tx &tx, const IngestBatch &b);
    bool writeLbsReadings(Tx &tx, const IngestBatch &b);
    bool writeObdReadings(Tx &tx, const IngestBatch &b);
    bool writePushedTrips(Tx &tx, const IngestBatch &b);
    bool writeMediaUploads(Tx &tx, const IngestBatch &b);
    bool writeCommandResponses(Tx &tx, const IngestBatch &b);
    bool writePushMessages(Tx &tx, const IngestBatch &b);
    bool writeQuarantine(Tx &tx, const IngestBatch &b);
    bool ensureDevice(Tx &tx, const QString &imei);
    // A device_state row for the IMEI; *created when this call added it.
    bool ensureState(Tx &tx, const QString &imei, bool *created);
    // Runs an UPDATE of the IMEI's device_state row (added by ensureState,
    // *created) and counts it when it changed the row; the rows changed, or
    // -1 (tx.error set).
    int updateState(Tx &tx, QSqlQuery &query, const QString &what, const QString &imei, bool created);
    bool count(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome,
               const QString &imei = {});
    // count(), and a new or changed row widens the change's span by [from, to].
    bool countFact(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome, const QString &imei,
                   qint64 from, qint64 to);
    // Runs a prepared statement; the rows it changed, or -1 (tx.error set).
    int run(Tx &tx, QSqlQuery &query, const QString &what);
    bool exec(const QString &sql, QString *error);

    QSqlDatabase m_db;
    PositionInserter m_positions;
    KeyedUpsert m_devices; // registry (Device)
    KeyedUpsert m_deviceNames; // name/model/account seen in location.list
    KeyedUpsert m_deviceStub; // first sight of an IMEI
    KeyedUpsert m_groups;
    KeyedUpsert m_states;
    KeyedUpsert m_trips;
    KeyedUpsert m_alarms;
    KeyedUpsert m_stops;
    KeyedUpsert m_watermarks;
    KeyedUpsert m_tokens;
    KeyedUpsert m_stateStub; // first sight of an IMEI in device_state
    KeyedUpsert m_deviceEvents;
    KeyedUpsert m_heartbeats;
    KeyedUpsert m_faultCodes;
    KeyedUpsert m_fuel;
    KeyedUpsert m_temperatures;
    KeyedUpsert m_lbs;
    KeyedUpsert m_obd;
    KeyedUpsert m_pushedTrips;
    KeyedUpsert m_media;
    KeyedUpsert m_commands;
    KeyedUpsert m_pushMessages;
    KeyedUpsert m_quarantine;
    QSqlQuery m_statusUpdate; // device_state status columns, when newer
    QHash<QString, LastStatus> m_lastStatus; // committed: newest status fix per IMEI
    QSqlQuery m_heartbeatState; // device_state heartbeat columns, when newer
    QSqlQuery m_readings; // device_state current readings, each group when newer
    QSqlQuery m_mileageTotal; // device_state mileage total, when its range ends later
    QSqlQuery m_commandExists;
    QSqlQuery m_quarantineRepeat;
    QSet<QString> m_knownDevices; // IMEIs with a devices row (committed)
    QSet<QString> m_knownStates; // IMEIs with a device_state row (committed)
};

} // namespace Fleet
