#include "ingestwriter.h"

#include "ingestsubjects.h"
#include "storelog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Fleet {

IngestWriter::IngestWriter(QSqlDatabase db, int positionsPerStatement, int alarmFoldSeconds)
    : m_context(std::make_unique<Ingest::Context>(std::move(db)))
    , m_registry(std::make_unique<Ingest::RegistryIngest>(*m_context))
    , m_state(std::make_unique<Ingest::StateIngest>(*m_context))
    , m_reports(std::make_unique<Ingest::ReportIngest>(*m_context, positionsPerStatement))
    , m_alarms(std::make_unique<Ingest::AlarmIngest>(*m_context, alarmFoldSeconds))
    , m_push(std::make_unique<Ingest::PushIngest>(*m_context, *m_state))
    , m_commands(std::make_unique<Ingest::CommandIngest>(*m_context))
    , m_localGroups(std::make_unique<Ingest::LocalGroupIngest>(*m_context))
{ }

IngestWriter::~IngestWriter() = default;

bool IngestWriter::exec(const QString &sql, QString *error)
{
    QSqlQuery q(m_context->db());
    if (q.exec(sql))
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

bool IngestWriter::prepare(QString *error)
{
    return m_context->prepare(error) && m_registry->prepare(error) && m_state->prepare(error)
        && m_reports->prepare(error) && m_alarms->prepare(error) && m_push->prepare(error)
        && m_commands->prepare(error) && m_localGroups->prepare(error);
}

bool IngestWriter::write(const QList<IngestBatch> &batches, qint64 nowSecs, StoreChange *change, QString *error)
{
    Ingest::Tx tx;
    tx.now = nowSecs;
    qsizetype positionCount = 0;
    for (const IngestBatch &b : batches)
        positionCount += b.positions.size() + b.deviceStates.size();
    tx.positions.reserve(std::size_t(positionCount));

    if (!exec(QStringLiteral("BEGIN IMMEDIATE"), &tx.error)) {
        if (error)
            *error = QStringLiteral("cannot begin a write transaction: %1").arg(tx.error);
        return false;
    }
    bool ok = true;
    for (const IngestBatch &b : batches)
        ok = ok && m_registry->writeDevices(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && m_registry->writeGroups(tx, b) && m_registry->writeDepartures(tx, b)
            && m_registry->writeUnlisted(tx, b);
    // Fixes are collected batch by batch in queue order (a sweep's fixes,
    // then the batch's positions), so that of two reports of one fix in the
    // same transaction the one queued first is kept.
    for (const IngestBatch &b : batches) {
        ok = ok && m_state->writeDeviceStates(tx, b, *m_registry);
        if (!ok)
            break;
        m_reports->collectPositions(tx, b);
    }
    ok = ok && m_reports->writePositions(tx);
    for (const IngestBatch &b : batches)
        ok = ok && m_reports->writeTrips(tx, b) && m_reports->writePushedTrips(tx, b)
            && m_state->writeMileageTotals(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && m_alarms->writeAlarms(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && m_alarms->writeActions(tx, b) && m_alarms->writeDeviceAcks(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && m_reports->writeStops(tx, b);
    for (const IngestBatch &b : batches) {
        ok = ok && m_push->writeEvents(tx, b) && m_state->writeStatusFlags(tx, b) && m_state->writeReadings(tx, b)
            && m_push->writeFacts(tx, b);
    }
    // Commands as sent, then what the cloud answered of them.
    for (const IngestBatch &b : batches)
        ok = ok && m_commands->writeCommands(tx, b) && m_commands->writeResults(tx, b)
            && m_commands->writeResponses(tx, b) && m_localGroups->write(tx, b);
    // Last, so that a watermark never commits ahead of its data.
    for (const IngestBatch &b : batches)
        ok = ok && m_registry->writeWatermarks(tx, b) && m_registry->writeCoverage(tx, b);
    for (const IngestBatch &b : batches)
        ok = ok && m_registry->writeTokens(tx, b) && m_registry->writeVideoStreams(tx, b);

    if (ok && !exec(QStringLiteral("COMMIT"), &tx.error)) {
        tx.error = QStringLiteral("commit: %1").arg(tx.error);
        ok = false;
    }
    if (!ok) {
        exec(QStringLiteral("ROLLBACK"), nullptr);
        m_reports->rolledBack();
        if (error)
            *error = tx.error;
        return false;
    }
    m_context->committed(tx);
    m_state->committed(tx);
    for (auto it = tx.rejected.cbegin(); it != tx.rejected.cend(); ++it)
        qCWarning(lcStore).noquote() << "refused" << it.value() << "row(s):" << it.key();
    if (change)
        *change = std::move(tx.change);
    return true;
}

} // namespace Fleet
