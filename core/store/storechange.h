#pragma once

#include "storetable.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QSet>
#include <QString>

namespace Fleet {

// What one committed transaction of StoreWriter changed: which devices, which
// span of time, which tables, and how many rows were new, changed, duplicate
// or refused. Models re-read only this much instead of reloading everything.
//
// imeis and the span cover exactly the rows that were inserted or changed;
// duplicates and refused rows count, but name no device and widen no span.
struct StoreChange
{
    QSet<QString> imeis;
    QDateTime earliest; // UTC; earliest fact time written (gps_time, start/end, alarm_time, push times)
    QDateTime latest; // UTC; latest one; both invalid when no time-stamped fact changed
    StoreTableCounts counts{};

    const TableCounts &count(StoreTable table) const { return counts[std::size_t(table)]; }
    TableCounts &count(StoreTable table) { return counts[std::size_t(table)]; }
    // A table with at least one new or changed row.
    bool touches(StoreTable table) const { return count(table).written() > 0; }
    QList<StoreTable> tables() const;
    // Nothing new or changed (duplicates and rejects only).
    bool isEmpty() const;

    // Widens the span by [from, to] (Unix seconds).
    void addSpan(qint64 from, qint64 to);
    // Adds another change (used when notices are merged).
    void merge(const StoreChange &other);
    QString summary() const;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::StoreChange)
