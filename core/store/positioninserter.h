#pragma once

#include "ingestbatch.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <vector>

namespace Fleet {

// The hot path of the writer: INSERT ... ON CONFLICT DO NOTHING into
// position_history, several rows per statement, prepared once.
//
// Qt Sql's bindValue() costs several times SQLite's own bind, so the
// statements are fed to bind as little as possible. Bound values stay bound
// across exec(), and each statement slot remembers what it holds: only
// changed values are bound again. Rows arrive sorted by device and time; each
// slot of the multi-row statement follows one device through its rows (slot
// k takes device k's next fix), so the IMEI, source, type and most flags of a
// slot rarely change and only time, coordinates, speed and course are bound
// per row. Rows left over when there are fewer devices than slots go in
// arrival order.
//
// Which rows were new is known exactly, for the change notices: a statement
// inserts all, none, or (mixed) some of its rows, and the new ones take the
// rowids after the previous largest, so a mixed statement is resolved by
// reading back that rowid range.
class PositionInserter
{
public:
    struct Row
    {
        const Position *position = nullptr;
        qint64 gpsTime = 0; // Unix seconds
        PositionSource source = PositionSource::Poll;
    };
    explicit PositionInserter(int rowsPerStatement = 32);

    bool prepare(QSqlDatabase &db, QString *error);
    // `rows` sorted by IMEI, then time. Sets isNew[i] for every row that was
    // inserted (the others were stored already) and adds their number to
    // *inserted.
    bool insert(const std::vector<Row> &rows, qint64 receivedAt, std::vector<char> *isNew, qint64 *inserted,
                QString *error);
    // Forget what the statements hold (after a rollback or a failed exec).
    void invalidate();

private:
    struct Cell
    {
        enum Kind : quint8 { Unset, Null, Int, Real, Text };
        Kind kind = Unset;
        qint64 bits = 0;
        QString text;
    };
    struct Statement
    {
        QSqlQuery query;
        int rows = 0;
        std::vector<Cell> cells;
        QStringList keys; // one per placeholder, in order
    };

    bool prepareStatement(QSqlDatabase &db, Statement &s, int rows, QString *error);
    void bindRow(Statement &s, int slot, const Row &row, qint64 receivedAt);
    // Runs a bound statement over rows `indexes` (count of them) and marks the new ones.
    bool run(Statement &s, const std::vector<Row> &rows, const int *indexes, int count, QString *error);
    bool insertInOrder(const std::vector<Row> &rows, const std::vector<int> &order, qint64 receivedAt, QString *error);

    int m_rowsPerStatement;
    Statement m_multi;
    Statement m_single;
    QSqlQuery m_maxRowid;
    QSqlQuery m_newRows; // (imei, gps_time) of a rowid range
    qint64 m_lastRowid = 0; // largest rowid of position_history so far
    std::vector<char> *m_isNew = nullptr;
    qint64 m_inserted = 0;
};

} // namespace Fleet
