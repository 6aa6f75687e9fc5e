#pragma once

#include "syncsink.h"

#include <QHash>

namespace Fleet {

class StoreReader;
class StoreWriter;

// Delivers the sync engine's results to the store's one writer and answers
// watermark questions from a cache over the store, so a job asking for
// thousands of devices does not run thousands of queries.
class StoreSink final : public SyncSink
{
public:
    StoreSink(StoreWriter *writer, StoreReader *reader);

    void deliver(Delivery delivery) override;
    std::optional<QDateTime> watermark(const QString &job, const QString &imei) const override;

private:
    StoreWriter *m_writer;
    StoreReader *m_reader;
    mutable QHash<QString, QDateTime> m_watermarks; // invalid = known to have none
};

} // namespace Fleet
