#include "ingestbatch.h"

namespace Fleet {

QLatin1String positionSourceName(PositionSource source)
{
    switch (source) {
    case PositionSource::Poll: return QLatin1String("poll");
    case PositionSource::TrackList: return QLatin1String("track_list");
    case PositionSource::Push: return QLatin1String("push");
    }
    return QLatin1String("poll");
}

QLatin1String reportSourceName(ReportSource source)
{
    switch (source) {
    case ReportSource::Poll: return QLatin1String("poll");
    case ReportSource::Push: return QLatin1String("push");
    }
    return QLatin1String("poll");
}

void IngestBatch::addPositions(const QList<Position> &list, PositionSource source)
{
    positions.reserve(positions.size() + list.size());
    for (const Position &p : list)
        positions.append(PositionRecord{p, source});
}

void IngestBatch::addTrips(const QList<Trip> &list, ReportSource source)
{
    trips.reserve(trips.size() + list.size());
    for (const Trip &t : list)
        trips.append(TripRecord{t, source});
}

void IngestBatch::addAlarms(const QList<Alarm> &list, ReportSource source)
{
    alarms.reserve(alarms.size() + list.size());
    for (const Alarm &a : list)
        alarms.append(AlarmRecord{a, source});
}

void IngestBatch::addWatermark(const QString &job, const QString &imei, const QDateTime &time)
{
    watermarks.append(SyncWatermark{job, imei, time});
}

qsizetype IngestBatch::rowCount() const
{
    return devices.size() + groups.size() + deviceStates.size() + positions.size() + trips.size() + mileageTotals.size()
        + alarms.size() + stops.size() + mediaEvents.size() + watermarks.size() + tokens.size() + deviceEvents.size() + heartbeats.size()
        + statusFlags.size() + readings.size() + fuelReadings.size() + temperatureReadings.size() + lbsReadings.size()
        + obdReadings.size() + faultReports.size() + pushedTrips.size() + mediaUploads.size() + commandResponses.size()
        + pushMessages.size() + quarantine.size() + trackCoverage.size() + alarmActions.size()
        + alarmDeviceAcks.size() + videoStreams.size() + commands.size() + commandResults.size()
        + localGroups.size() + departures.size() + (groupsComplete ? 1 : 0);
    // devicesComplete counts through devices: an empty list leaves the fleet as it is.
}

} // namespace Fleet
