#pragma once

#include "storetable.h"

#include <QString>

namespace Fleet {

// StoreWriter's running totals since it was opened.
struct StoreStats
{
    StoreTableCounts tables{}; // per table, cumulative
    qint64 batches = 0; // batches committed
    qint64 transactions = 0; // transactions committed
    qint64 failedTransactions = 0;
    qint64 pendingBatches = 0; // queued, not yet committed (including held ones)
    qint64 pendingRows = 0;
    bool paused = false; // a write failed; held until retry() or takeFailedBatches()
    QString lastError;

    const TableCounts &table(StoreTable t) const { return tables[std::size_t(t)]; }
    qint64 duplicates() const
    {
        qint64 n = 0;
        for (const TableCounts &c : tables)
            n += c.duplicates;
        return n;
    }
};

} // namespace Fleet
