#pragma once

#include "domain/alarm.h"
#include "domain/device.h"
#include "domain/position.h"
#include "domain/timespan.h"
#include "domain/trip.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace Fleet {

// Where the sync engine delivers what it fetched. The store's writer is the
// real one; tests use a recording one. A watermark moves in the same write as
// the data it covers, so a crash can never leave it ahead of the data.
class SyncSink
{
public:
    enum class Source { Poll, TrackList, Push };

    struct Delivery
    {
        QList<Device> devices;
        bool devicesComplete = false; // devices is the account's whole list
        QList<DeviceGroup> groups;
        bool groupsComplete = false; // groups is the account's whole list
        QList<DeviceLocation> sweep; // latest state; fixes become 'poll' positions
        QList<Position> positions; // with source
        Source positionSource = Source::TrackList;
        QList<Trip> trips;
        QList<MileageTotal> mileageTotals;
        QList<Alarm> alarms;
        QList<StopPeriod> stops;
        // job → imei → the time up to which everything has been fetched
        QList<std::tuple<QString, QString, QDateTime>> watermarks;
        // imei → a span of its track that positions hold whole (track.list's window)
        QList<std::pair<QString, TimeSpan>> coverage;
        // Called once the delivery is stored (true), or never will be (false).
        std::function<void(bool stored)> onStored;

        bool isEmpty() const
        {
            return devices.isEmpty() && groups.isEmpty() && !groupsComplete && sweep.isEmpty() && positions.isEmpty() && trips.isEmpty()
                && mileageTotals.isEmpty() && alarms.isEmpty() && stops.isEmpty() && watermarks.isEmpty() && coverage.isEmpty();
        }
    };

    virtual ~SyncSink() = default;
    virtual void deliver(Delivery delivery) = 0;
    virtual std::optional<QDateTime> watermark(const QString &job, const QString &imei) const = 0;
};

} // namespace Fleet
