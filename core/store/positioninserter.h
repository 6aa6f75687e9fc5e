#pragma once

#include "ingestbatch.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
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
class PositionInserter
{
public:
    struct Row
    {
        const Position *position = nullptr;
        qint64 gpsTime = 0; // Unix seconds
        PositionSource source = PositionSource::Poll;
    };
    // Called once per statement with the indexes (into the input) of its
    // rows, of which `inserted` were new (the others were duplicates).
    using Progress = std::function<void(const int *rows, int count, int inserted)>;

    explicit PositionInserter(int rowsPerStatement = 32);

    bool prepare(QSqlDatabase &db, QString *error);
    // `rows` sorted by IMEI, then time.
    bool insert(const std::vector<Row> &rows, qint64 receivedAt, const Progress &progress, QString *error);
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
    bool run(Statement &s, int *inserted, QString *error);
    bool insertInOrder(const std::vector<Row> &rows, const std::vector<int> &order, qint64 receivedAt,
                       const Progress &progress, QString *error);

    int m_rowsPerStatement;
    Statement m_multi;
    Statement m_single;
};

} // namespace Fleet
