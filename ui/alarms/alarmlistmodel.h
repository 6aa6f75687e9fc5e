#pragma once

#include "domain/alarmdesk.h"
#include "store/storechange.h"
#include "store/storereader.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <memory>

namespace Fleet {

// The alarm desk's list: every alarm row (fold) in the store that matches the
// filter, newest first, with the unresolved critical ones pinned above the
// rest. Lazy and paged by keyset (canFetchMore/fetchMore), so a million
// stored alarms open at once; only what the view has scrolled through is
// held.
//
// Kept current without reloading: a store change re-reads only the rows of
// its devices and span, and inserts the new ones where they belong
// (applyChange(), at most once a frame). A change made by another process
// (another FleetDesk on the same database, fleetdesk-cli) is seen by polling
// SQLite's data_version, which re-reads what the view holds, at the first
// poll without a notice of our own session in between.
//
// The counts per state (for the dock's title) are counted off the GUI thread.
class AlarmListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Vehicle, Group, Type, Severity, Place, Speed, State, Handler, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1, // qint64: the row's (its first alarm's) id
        ImeiRole,
        StateRole, // int(AlarmState)
        SeverityRole, // int(AlarmSeverity)
        PinnedRole, // bool: critical and not resolved
        CountRole, // int: alarms folded into the row
        SortTimeRole, // QDateTime (UTC)
    };

    explicit AlarmListModel(QObject *parent = nullptr);
    ~AlarmListModel() override;

    // Opens its own reader on the database and loads the first page.
    bool open(const QString &databasePath);
    QString errorString() const { return m_reader.errorString(); }
    QString databasePath() const { return m_path; }

    // The user's filter (its pinned fields are the model's own); reloads.
    void setFilter(const AlarmFilter &filter);
    const AlarmFilter &filter() const { return m_filter; }
    void setSeverities(const AlarmSeverities &severities); // reloads
    const AlarmSeverities &severities() const { return m_severities; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    // At most this many rows are kept while alarms arrive at the top: the
    // oldest go (a later fetchMore() brings them back), so a flood keeps
    // memory flat. Scrolling down may load beyond it.
    void setRetainedRows(int rows) { m_retained = qMax(m_pageSize, rows); }
    // How often the database is asked whether another process changed it; 0: never.
    void setExternalPollInterval(int ms);

    // A committed change of the store (LiveSession::storeChanged).
    void storeChanged(const StoreChange &change);
    // Re-reads every row the view holds, and the counts.
    void refresh();

    const AlarmDeskRow *rowAt(int row) const;
    int rowOf(qint64 id) const;
    // The counts per state for the filter (without its states), as last counted.
    const QHash<AlarmState, qint64> &counts() const { return m_counts; }
    // Everything the filter matches, not only what is loaded (export).
    QList<AlarmDeskRow> allMatching();
    StoreReader &reader() { return m_reader; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    static QString stateText(AlarmState state);
    static QString severityText(AlarmSeverity severity);
    static QString typeText(const AlarmDeskRow &row);

    // A text search reads its pages off the GUI thread: while one is read.
    bool isSearching() const { return m_searching; }

Q_SIGNALS:
    void countsChanged();
    void searchingChanged(bool searching);

private:
    // The pinned rows, then the rest: each read by its own keyset.
    struct Segment
    {
        AlarmFilter filter;
        QList<AlarmDeskRow> rows;
        bool exhausted = false;
    };

    // The next page to read, from where each segment ends.
    struct PageRequest
    {
        AlarmFilter pinned;
        AlarmFilter rest;
        std::optional<AlarmCursor> pinnedAfter;
        std::optional<AlarmCursor> restAfter;
        bool pinnedDone = false;
        bool restDone = false;
        int size = 0;
    };
    struct PageResult
    {
        QList<AlarmDeskRow> pinned;
        QList<AlarmDeskRow> rest;
        bool pinnedDone = false;
        bool restDone = false;
        // Where the request started: a page read for other segment ends is not appended.
        std::optional<AlarmCursor> pinnedAfter;
        std::optional<AlarmCursor> restAfter;
    };
    PageRequest pageRequest() const;
    // Pinned rows first, then the rest; any thread, with its own reader.
    static PageResult readPage(StoreReader &reader, const PageRequest &request);

    void reload();
    void loadMore();
    // The next page: pinned rows first, then the rest (notify: not inside a reset).
    void loadPage(bool notify);
    void appendPage(const PageResult &page, bool notify);
    void loadPageAsync();
    void setSearching(bool searching);
    void applyPending();
    void countLater();
    void startCount();
    void pollExternal();
    AlarmFilter segmentFilter(AlarmFilter::Pinned pinned) const;
    int offsetOf(const Segment &segment) const;
    // Replaces the segment's rows by next (same order), by removals, inserts and changes.
    void replaceRows(Segment &segment, const QList<AlarmDeskRow> &next);
    // Merges the rows re-read for a change into the segment.
    void mergeChange(Segment &segment, const QList<AlarmDeskRow> &fresh, const StoreChange &change);
    void insertRow(Segment &segment, int at, const AlarmDeskRow &row);
    void removeRow(Segment &segment, int at);

    StoreReader m_reader;
    QString m_path;
    AlarmFilter m_filter;
    AlarmSeverities m_severities;
    Segment m_pinned;
    Segment m_rest;
    int m_pageSize = 200;
    int m_retained = 5000;
    bool m_loadQueued = false; // fetchMore() loads at the next turn of the event loop
    int m_generation = 0; // a reload makes the pages under way stale
    bool m_searching = false;
    bool m_pageWanted = false; // an asynchronous page asked for while one is read
    StoreChange m_pending;
    bool m_pendingAny = false;
    QTimer m_applyTimer; // one frame
    QTimer m_pollTimer;
    qint64 m_dataVersion = -1;
    bool m_sawNotice = false; // since the last poll
    QHash<AlarmState, qint64> m_counts;
    bool m_counting = false;
    bool m_countAgain = false;
    // Counting scans the filter's rows: while alarms pour in, at most one
    // count starts per interval (the title may lag that much, never the list).
    QTimer m_countPause;
    // The counts run here, one at a time, at idle priority: the window and
    // the writer come first when the two cores are busy (a flood).
    QThreadPool m_countPool;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); // for counts that come back late
};

} // namespace Fleet
