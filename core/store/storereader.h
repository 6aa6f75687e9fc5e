#pragma once

#include "ingestbatch.h"
#include "storeconnection.h"
#include "storetable.h"

#include "domain/alarm.h"
#include "domain/alarmdesk.h"
#include "domain/camera.h"
#include "domain/media.h"
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
#include <utility>

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

// Which rows of the alarm desk a query wants. Every list that is empty, and
// every time that is invalid, does not filter. Only the rows of folds (the
// first alarm of each run) are listed.
struct AlarmFilter
{
    QList<AlarmState> states;
    QStringList typeIds; // only these types
    QStringList excludedTypeIds; // never these
    QStringList imeis;
    QString groupId;
    QDateTime from; // alarm_time, UTC, closed range
    QDateTime to;
    // Matched case-insensitively in the IMEI, the vehicle's name and plate,
    // the cloud's type name, the note and the operator; textTypeIds (the
    // codes whose name on screen matches) match too.
    QString text;
    QStringList textTypeIds;
    // Only rows a change of [touchedFrom, touchedTo] may have touched: the
    // row's run reaches into it (fold_last >= from, alarm_time <= to).
    QDateTime touchedFrom;
    QDateTime touchedTo;
    // Only alarms stored after this one (id > minId): what arrived since a
    // look. Such a query lists the newest stored first (by id, not by time).
    qint64 minId = 0;
    // Only alarms stored up to this one (id <= maxId; 0: no bound), so that
    // two queries of one look see the same alarms.
    qint64 maxId = 0;
    // The desk pins unhandled critical alarms above the rest: Only lists
    // the unresolved alarms of pinnedTypeIds, Excluded everything else.
    enum class Pinned { Any, Only, Excluded };
    Pinned pinned = Pinned::Any;
    QStringList pinnedTypeIds;

    friend bool operator==(const AlarmFilter &, const AlarmFilter &) = default;
};

// Where a page of the desk starts: the rows older than this one (newest
// first: by alarm_time, then id).
struct AlarmCursor
{
    qint64 time = 0; // Unix seconds
    qint64 id = 0;

    friend bool operator==(const AlarmCursor &, const AlarmCursor &) = default;
};

// The queries the views and the sync engine need, on a read-only connection
// of its own. Not thread-safe: one StoreReader per thread. Reads see the
// last committed transaction (WAL: readers never wait for the writer).
//
// Ranges are closed [from, to]. An empty IMEI list means every device.
class StoreReader
{
public:
    // A text search that matches at most this many rows reads them by their
    // ids (the trigram index); one that matches more walks the rows in time
    // order, where a page of them is soon met.
    static constexpr int kRareSearchRows = 2000;

    StoreReader() = default;

    bool open(const QString &path, int busyTimeoutMs = 5000);
    void close() { m_connection.close(); }
    bool isOpen() const { return m_connection.isOpen(); }
    // The last error of open() or of a query; queries return empty results on error.
    QString errorString() const { return m_error; }

    // The devices in this account's view (not those moved to another account).
    QList<Device> devices();
    // Any device the store knows, moved away or not.
    std::optional<Device> device(const QString &imei);
    // Devices in view whose expiration is at or before until (expired ones
    // included), soonest first.
    QList<Device> expiringDevices(const QDateTime &until);
    // Devices moved to other accounts, oldest move first.
    QList<DeviceDeparture> departures();
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
    // The alarm desk: rows (folds) matching the filter, newest first,
    // starting after the cursor; at most limit (-1: all).
    QList<AlarmDeskRow> alarmDesk(const AlarmFilter &filter, const std::optional<AlarmCursor> &after = {},
                                  int limit = -1);
    // The desk rows from the newest down to and including the cursor.
    QList<AlarmDeskRow> alarmDeskUntil(const AlarmFilter &filter, const AlarmCursor &last, int limit);
    // The desk row of an alarm's fold (the alarm may be any alarm of it).
    std::optional<AlarmDeskRow> alarmDeskRow(qint64 alarmId);
    // Every alarm of a fold, the first one first.
    QList<AlarmDeskRow> alarmFold(qint64 alarmId);
    // The photos and clips of a fold (the alarm may be any alarm of it): of
    // its device, named by one of its alarms (media_file), or stamped for an
    // alarm of its types (or of no type) within kAlarmMediaWindowSecs of its
    // alarms. Oldest first.
    QList<StoredMedia> alarmMedia(qint64 alarmId);
    // A vehicle's photos and clips (its gallery): taken for alarms, on
    // demand, or announced by a push; newest first, at most limit.
    QList<StoredMedia> vehicleMedia(const QString &imei, int limit = 500);
    // The Commands list: rows matching the filter, newest first (by the time
    // they are listed under: sent, else answered), after the cursor; at most
    // limit.
    QList<CommandRecord> commands(const CommandFilter &filter, const std::optional<CommandCursor> &after = {},
                                  int limit = 200);
    qint64 commandCount(const CommandFilter &filter);
    std::optional<CommandRecord> command(qint64 id);
    QList<CommandRecord> commandsByClientKey(const QStringList &keys);
    // Commands FleetDesk sent whose state is not final, oldest first.
    QList<CommandRecord> openCommands();
    static CommandCursor commandCursor(const CommandRecord &row);
    // The desk's own groups with their vehicles, by name.
    QList<LocalGroup> localGroups();
    // The video streams opened in the cloud and not known to be closed,
    // oldest first (see video_streams in docs/SCHEMA.md).
    QList<VideoStreamRecord> openVideoStreams();
    // The story of a fold: every step on any of its alarms, oldest first.
    QList<AlarmActionRecord> alarmActions(qint64 alarmId);
    // Rows per state for the filter without its states.
    QHash<AlarmState, qint64> alarmStateCounts(const AlarmFilter &filter);
    // The newest alarm's id (0: none): where "what arrived since" starts.
    qint64 lastAlarmId();
    // SQLite's PRAGMA data_version: changes when another connection (another
    // process) commits. The desk polls it to see other windows' steps.
    qint64 dataVersion();

    // Quarantined push items, the most recently received first.
    QList<QuarantineRow> quarantine(int limit = -1);
    qint64 quarantineCount();
    // Rows per table, every table of the schema.
    QHash<QString, qint64> rowCounts();
    int schemaVersion();

private:
    // A desk page: the rows past a bound ("<" or ">=" a cursor), newest first.
    QList<AlarmDeskRow> deskPage(const AlarmFilter &filter, const std::optional<std::pair<QString, AlarmCursor>> &bound,
                                 int limit);
    // The desk rows (runs' first alarms) the filter's text can match, as a
    // JSON array of ids, when they are at most kRareSearchRows: of the
    // vehicles it names and (alarm_search) of the alarms whose own words
    // hold it. None otherwise. The LIKE terms still decide.
    std::optional<QString> rareSearch(const AlarmFilter &filter);
    template<typename T, typename Fn>
    QList<T> select(const QString &sql, const QVariantList &binds, Fn &&read);
    template<typename T, typename Fn>
    QList<T> selectForDevices(const QString &sql, const QString &imeiColumn, const QStringList &imeis,
                              const QVariantList &binds, Fn &&read);

    StoreConnection m_connection;
    QString m_error;
    struct RareSearch
    {
        QString text;
        qint64 version = -1; // PRAGMA data_version when found
        std::optional<QString> ids;
    };
    RareSearch m_rareSearch;
};

} // namespace Fleet
