#pragma once

#include "ingestbatch.h"
#include "storechange.h"

#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace Fleet {

namespace Ingest {
class Context;
class RegistryIngest;
class StateIngest;
class ReportIngest;
class AlarmIngest;
class PushIngest;
class CommandIngest;
class LocalGroupIngest;
} // namespace Ingest

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
// Each table's columns, and the values bound to them, are declared once,
// beside the code of its subject.
//
// Push data (reference §10) follows the same rules: its facts are keyed and
// filled, never overwritten; the status and heartbeat columns of
// device_state only move forward in time; a command's answer completes the
// command's row.
class IngestWriter
{
public:
    // alarmFoldSeconds: a repeat of an unresolved alarm within this many
    // seconds folds into it; 0 folds nothing.
    explicit IngestWriter(QSqlDatabase db, int positionsPerStatement = 32, int alarmFoldSeconds = 60);
    ~IngestWriter();

    bool prepare(QString *error);
    // All batches in one transaction. On failure everything is rolled back,
    // *error says which table and why, and *change is left empty.
    bool write(const QList<IngestBatch> &batches, qint64 nowSecs, StoreChange *change, QString *error);

private:
    bool exec(const QString &sql, QString *error);

    // By subject, one source file each (ingestsubjects.h).
    std::unique_ptr<Ingest::Context> m_context;
    std::unique_ptr<Ingest::RegistryIngest> m_registry;
    std::unique_ptr<Ingest::StateIngest> m_state;
    std::unique_ptr<Ingest::ReportIngest> m_reports;
    std::unique_ptr<Ingest::AlarmIngest> m_alarms;
    std::unique_ptr<Ingest::PushIngest> m_push;
    std::unique_ptr<Ingest::CommandIngest> m_commands;
    std::unique_ptr<Ingest::LocalGroupIngest> m_localGroups;
};

} // namespace Fleet
