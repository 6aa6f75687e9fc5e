#pragma once

#include "domain/commandtracking.h"
#include "store/storechange.h"
#include "store/storereader.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace Fleet {

class Clock;

// The Commands dock's list: every command in the store that matches the
// filter, newest first. Paged by keyset (canFetchMore/fetchMore), so a list
// of a hundred thousand commands opens with one page. Kept current by the
// session's change notices (the rows held are read again, at most every
// 100 ms) and, for other processes (fleetdesk-cli), by SQLite's
// data_version. Cloud text (answers, messages) is plain text.
class CommandListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Sent, Vehicle, Command, State, Answer, Operator, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1, // qint64
        ImeiRole,
        StateRole, // int(CommandState)
        FromFleetDeskRole, // bool
    };

    explicit CommandListModel(QObject *parent = nullptr);

    bool open(const QString &databasePath);
    QString databasePath() const { return m_path; }
    QString errorString() const { return m_reader.errorString(); }
    void setFilter(const CommandFilter &filter);
    const CommandFilter &filter() const { return m_filter; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    void setExternalPollInterval(int ms);

    // A committed change of the store (LiveSession::storeChanged).
    void storeChanged(const StoreChange &change);
    // Reads the rows held again (as many as are loaded, at least a page).
    void refresh();
    const CommandRecord *rowAt(int row) const;
    qint64 matchingCount() { return m_reader.commandCount(m_filter); }
    // A vehicle's newest commands, whatever the filter (the details dock).
    QList<CommandRecord> lastCommands(const QString &imei, int count);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    StoreReader m_reader;
    QString m_path;
    CommandFilter m_filter;
    QList<CommandRecord> m_rows;
    bool m_atEnd = true;
    int m_pageSize = 200;
    QTimer m_refresh; // coalesces notices
    QTimer m_poll; // other processes' changes
    qint64 m_dataVersion = -1;
};

} // namespace Fleet
