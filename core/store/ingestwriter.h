#pragma once

#include "ingestbatch.h"
#include "keyedupsert.h"
#include "positioninserter.h"
#include "storechange.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
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
class IngestWriter
{
public:
    explicit IngestWriter(QSqlDatabase db, int positionsPerStatement = 32);

    bool prepare(QString *error);
    // All batches in one transaction. On failure everything is rolled back,
    // *error says which table and why, and *change is left empty.
    bool write(const QList<IngestBatch> &batches, qint64 nowSecs, StoreChange *change, QString *error);

private:
    struct Tx;
    bool writeDevices(Tx &tx, const IngestBatch &b);
    bool writeGroups(Tx &tx, const IngestBatch &b);
    bool writeDeviceStates(Tx &tx, const IngestBatch &b);
    bool writePositions(Tx &tx);
    bool writeTrips(Tx &tx, const IngestBatch &b);
    bool writeAlarms(Tx &tx, const IngestBatch &b);
    bool writeStops(Tx &tx, const IngestBatch &b);
    bool writeWatermarks(Tx &tx, const IngestBatch &b);
    bool writeTokens(Tx &tx, const IngestBatch &b);
    bool ensureDevice(Tx &tx, const QString &imei);
    bool count(Tx &tx, StoreTable table, KeyedUpsert &statement, KeyedUpsert::Outcome outcome,
               const QString &imei = {});
    bool exec(const QString &sql, QString *error);

    QSqlDatabase m_db;
    PositionInserter m_positions;
    KeyedUpsert m_devices;       // registry (Device)
    KeyedUpsert m_deviceNames;   // name/model/account seen in location.list
    KeyedUpsert m_deviceStub;    // first sight of an IMEI
    KeyedUpsert m_groups;
    KeyedUpsert m_states;
    KeyedUpsert m_trips;
    KeyedUpsert m_alarms;
    KeyedUpsert m_stops;
    KeyedUpsert m_watermarks;
    KeyedUpsert m_tokens;
    QSet<QString> m_knownDevices; // IMEIs with a devices row (committed)
    QSet<QString> m_knownStates;  // IMEIs with a device_state row (committed)
};

} // namespace Fleet
