#include "commandlistmodel.h"

#include "commandwords.h"

#include <QLocale>

namespace Fleet {

CommandListModel::CommandListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(100);
    connect(&m_refresh, &QTimer::timeout, this, &CommandListModel::refresh);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (!m_reader.isOpen())
            return;
        const qint64 version = m_reader.dataVersion();
        if (version != m_dataVersion) {
            m_dataVersion = version;
            m_refresh.start();
        }
    });
}

bool CommandListModel::open(const QString &databasePath)
{
    m_path = databasePath;
    if (!m_reader.open(databasePath))
        return false;
    m_dataVersion = m_reader.dataVersion();
    refresh();
    return true;
}

void CommandListModel::setExternalPollInterval(int ms)
{
    if (ms > 0)
        m_poll.start(ms);
    else
        m_poll.stop();
}

void CommandListModel::setFilter(const CommandFilter &filter)
{
    m_filter = filter;
    beginResetModel();
    m_rows.clear();
    m_atEnd = false;
    endResetModel();
    refresh();
}

void CommandListModel::storeChanged(const StoreChange &change)
{
    if (change.touches(StoreTable::Commands) && !m_refresh.isActive())
        m_refresh.start();
}

void CommandListModel::refresh()
{
    if (!m_reader.isOpen())
        return;
    m_dataVersion = m_reader.dataVersion();
    const int want = int(qMax<qsizetype>(m_pageSize, m_rows.size()));
    const QList<CommandRecord> rows = m_reader.commands(m_filter, {}, want + 1);
    const bool atEnd = rows.size() <= want;
    const QList<CommandRecord> kept = atEnd ? rows : rows.mid(0, want);
    // The same rows in the same order: changed cells only, the view keeps its place.
    bool sameRows = kept.size() == m_rows.size();
    for (qsizetype i = 0; sameRows && i < kept.size(); ++i)
        sameRows = kept.at(i).id == m_rows.at(i).id;
    if (sameRows) {
        for (qsizetype i = 0; i < kept.size(); ++i) {
            if (!(kept.at(i) == m_rows.at(i))) {
                m_rows[i] = kept.at(i);
                Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
            }
        }
        m_atEnd = atEnd;
        return;
    }
    beginResetModel();
    m_rows = kept;
    m_atEnd = atEnd;
    endResetModel();
}

QList<CommandRecord> CommandListModel::lastCommands(const QString &imei, int count)
{
    if (!m_reader.isOpen())
        return {};
    CommandFilter f;
    f.imeis = {imei};
    return m_reader.commands(f, {}, count);
}

const CommandRecord *CommandListModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int CommandListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CommandListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool CommandListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && m_reader.isOpen();
}

void CommandListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent) || m_rows.isEmpty())
        return;
    const QList<CommandRecord> page =
        m_reader.commands(m_filter, StoreReader::commandCursor(m_rows.constLast()), m_pageSize + 1);
    m_atEnd = page.size() <= m_pageSize;
    const QList<CommandRecord> rows = m_atEnd ? page : page.mid(0, m_pageSize);
    if (rows.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
    m_rows += rows;
    endInsertRows();
}

QVariant CommandListModel::data(const QModelIndex &index, int role) const
{
    const CommandRecord *r = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!r)
        return {};
    switch (role) {
    case IdRole: return r->id;
    case ImeiRole: return r->imei;
    case StateRole: return int(r->state);
    case FromFleetDeskRole: return r->fromFleetDesk;
    case Qt::ForegroundRole:
        if (index.column() == State && CommandWords::stateColor(r->state).isValid())
            return CommandWords::stateColor(r->state);
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case State: return CommandWords::stateMeaning(r->state);
        case Answer: return r->reply.isEmpty() ? r->resultMessage : r->reply;
        case Command:
            return r->fromFleetDesk ? r->templateName
                                    : tr("Not sent from FleetDesk: the cloud reported it (the web platform, "
                                         "another client).");
        default: return {};
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Sent: {
            const QDateTime t = r->sentTime.isValid() ? r->sentTime : r->replyTime;
            return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
        }
        case Vehicle: return r->deviceName.isEmpty() ? r->imei : r->deviceName;
        case Command:
            return r->fromFleetDesk ? r->text : tr("%1 (not from FleetDesk)").arg(r->text.isEmpty() ? tr("?") : r->text);
        case State: return CommandWords::stateName(r->state);
        case Answer: {
            // One line in the list; the whole text in the tooltip and details.
            QString text = r->reply.isEmpty() ? r->resultMessage : r->reply;
            text.replace(QLatin1Char('\n'), QLatin1Char(' '));
            return text;
        }
        case Operator: return r->fromFleetDesk ? r->operatorName : r->sender;
        default: return {};
        }
    default: return {};
    }
}

QVariant CommandListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Sent: return tr("Sent");
    case Vehicle: return tr("Vehicle");
    case Command: return tr("Command");
    case State: return tr("State");
    case Answer: return tr("Answer");
    case Operator: return tr("Operator");
    default: return {};
    }
}

} // namespace Fleet
