#include "storesink.h"

#include "store/ingestbatch.h"
#include "store/storereader.h"
#include "store/storewriter.h"

namespace Fleet {

namespace {

QString key(const QString &job, const QString &imei)
{
    return job + QLatin1Char('|') + imei;
}

PositionSource positionSource(SyncSink::Source s)
{
    switch (s) {
    case SyncSink::Source::Poll: return PositionSource::Poll;
    case SyncSink::Source::TrackList: return PositionSource::TrackList;
    case SyncSink::Source::Push: return PositionSource::Push;
    }
    return PositionSource::Poll;
}

} // namespace

StoreSink::StoreSink(StoreWriter *writer, StoreReader *reader)
    : m_writer(writer)
    , m_reader(reader)
{ }

void StoreSink::deliver(Delivery d)
{
    IngestBatch batch;
    batch.devices = std::move(d.devices);
    batch.devicesComplete = d.devicesComplete;
    batch.groups = std::move(d.groups);
    batch.groupsComplete = d.groupsComplete;
    batch.mileageTotals = std::move(d.mileageTotals);
    batch.deviceStates = std::move(d.sweep);
    batch.addPositions(d.positions, positionSource(d.positionSource));
    batch.addTrips(d.trips, ReportSource::Poll);
    batch.addAlarms(d.alarms, ReportSource::Poll);
    batch.stops = std::move(d.stops);
    for (const auto &[job, imei, time] : d.watermarks) {
        batch.addWatermark(job, imei, time);
        m_watermarks.insert(key(job, imei), time);
    }
    for (const auto &[imei, span] : d.coverage)
        batch.trackCoverage.append({imei, span.from, span.to});
    if (d.onStored) {
        // Kept: a writer that refuses the batch never calls it, so we do.
        if (!m_writer->write(std::move(batch), d.onStored))
            d.onStored(false);
    } else {
        m_writer->write(std::move(batch));
    }
}

std::optional<QDateTime> StoreSink::watermark(const QString &job, const QString &imei) const
{
    const QString k = key(job, imei);
    auto it = m_watermarks.constFind(k);
    if (it == m_watermarks.cend())
        it = m_watermarks.insert(k, m_reader->watermark(job, imei));
    return it->isValid() ? std::optional<QDateTime>(*it) : std::nullopt;
}

} // namespace Fleet
