#pragma once

#include "ingestbatch.h"
#include "storeconnection.h"
#include "storetable.h"

#include "domain/alarm.h"
#include "domain/device.h"
#include "domain/position.h"
#include "domain/timespan.h"
#include "domain/trip.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Fleet {

// A position as stored, with where it came from.
struct StoredPosition
{
    Position position;
    PositionSource source = PositionSource::Poll;
    QDateTime receivedAt;
};

// A quarantined push item, as the user sees it.
struct QuarantineRow
{
    qint64 id = 0;
    QString endpoint;
    QDateTime received; // first time
    QDateTime lastReceived; // latest retry
    int timesReceived = 0;
    int itemIndex = -1; // -1: the whole request
    QString reason;
    QByteArray content;

    friend bool operator==(const QuarantineRow &, const QuarantineRow &) = default;
};

// The queries the views and the sync engine need, on a read-only connection
// of its own. Not thread-safe: one StoreReader per thread. Reads see the
// last committed transaction (WAL: readers never wait for the writer).
//
// Ranges are closed [from, to]. An empty IMEI list means every device.
class StoreReader
{
public:
    StoreReader() = default;

    bool open(const QString &path, int busyTimeoutMs = 5000);
    void close() { m_connection.close(); }
    bool isOpen() const { return m_connection.isOpen(); }
    // The last error of open() or of a query; queries return empty results on error.
    QString errorString() const { return m_error; }

    QList<Device> devices();
    std::optional<Device> device(const QString &imei);
    QList<DeviceGroup> groups();
    // Latest state of each device (device_state) with its newest fix
    // (position_history) as DeviceLocation::fix.
    QList<DeviceLocation> deviceStates(const QStringList &imeis = {});
    // The newest fix of each device that has one.
    QList<Position> latestPositions(const QStringList &imeis = {});
    // One device's positions in [from, to], oldest first; limit < 0: all.
    QList<StoredPosition> positions(const QString &imei, const QDateTime &from, const QDateTime &to, int limit = -1);
    // The same fixes without their provenance (playback, export).
    QList<Position> fixes(const QString &imei, const QDateTime &from, const QDateTime &to);
    // Trips and stops that overlap [from, to]; alarms raised in it. Oldest first.
    QList<Trip> trips(const QStringList &imeis, const QDateTime &from, const QDateTime &to);
    QList<Alarm> alarms(const QStringList &imeis, const QDateTime &from, const QDateTime &to, int limit = -1);
    QList<StopPeriod> stops(const QStringList &imeis, const QDateTime &from, const QDateTime &to);
    // The spans of the device's track within [from, to] that the store holds
    // whole (track_coverage), clipped to [from, to], oldest first.
    QList<TimeSpan> trackCoverage(const QString &imei, const QDateTime &from, const QDateTime &to);
    // Invalid when the job has no watermark for that IMEI ("" for the account).
    QDateTime watermark(const QString &job, const QString &imei = {});
    // What SqlTokenStore saved for the key; an empty state when nothing was.
    TokenState tokenState(const QString &key);
    // Quarantined push items, the most recently received first.
    QList<QuarantineRow> quarantine(int limit = -1);
    qint64 quarantineCount();
    // Rows per table, every table of the schema.
    QHash<QString, qint64> rowCounts();
    int schemaVersion();

private:
    template<typename T, typename Fn>
    QList<T> select(const QString &sql, const QVariantList &binds, Fn &&read);
    template<typename T, typename Fn>
    QList<T> selectForDevices(const QString &sql, const QString &imeiColumn, const QStringList &imeis,
                              const QVariantList &binds, Fn &&read);

    StoreConnection m_connection;
    QString m_error;
};

} // namespace Fleet
