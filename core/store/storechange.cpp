#include "storechange.h"

#include "util/utc.h"

#include <QStringList>

namespace Fleet {

QList<StoreTable> StoreChange::tables() const
{
    QList<StoreTable> out;
    for (std::size_t i = 0; i < kStoreTableCount; ++i) {
        if (counts[i].written() > 0)
            out.append(StoreTable(i));
    }
    return out;
}

bool StoreChange::isEmpty() const
{
    for (const TableCounts &c : counts) {
        if (c.written() > 0)
            return false;
    }
    return true;
}

void StoreChange::addSpan(qint64 from, qint64 to)
{
    if (to < from)
        std::swap(from, to);
    if (!earliest.isValid() || from < earliest.toSecsSinceEpoch())
        earliest = Utc::fromSecs(from);
    if (!latest.isValid() || to > latest.toSecsSinceEpoch())
        latest = Utc::fromSecs(to);
}

void StoreChange::merge(const StoreChange &other)
{
    imeis.unite(other.imeis);
    if (other.earliest.isValid())
        addSpan(other.earliest.toSecsSinceEpoch(), other.latest.toSecsSinceEpoch());
    for (std::size_t i = 0; i < kStoreTableCount; ++i)
        counts[i] += other.counts[i];
}

QString StoreChange::summary() const
{
    QStringList parts;
    for (std::size_t i = 0; i < kStoreTableCount; ++i) {
        const TableCounts &c = counts[i];
        if (c.written() + c.duplicates + c.rejected == 0)
            continue;
        QString part = QStringLiteral("%1 +%2 ~%3 =%4 !%5")
                           .arg(storeTableName(StoreTable(i)))
                           .arg(c.inserted)
                           .arg(c.updated)
                           .arg(c.duplicates)
                           .arg(c.rejected);
        parts.append(part);
    }
    QString text = parts.join(QStringLiteral(", "));
    text += QStringLiteral("; %1 device(s)").arg(imeis.size());
    if (earliest.isValid())
        text += QStringLiteral(", %1 .. %2").arg(earliest.toString(Qt::ISODate), latest.toString(Qt::ISODate));
    return text;
}

} // namespace Fleet
