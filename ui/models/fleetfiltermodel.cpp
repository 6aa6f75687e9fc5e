#include "fleetfiltermodel.h"

#include "fleettreemodel.h"

#include <QLocale>

namespace Fleet {

namespace {

QCollator naturalCollator()
{
    QLocale locale;
    // In the C locale Qt compares code points and ignores numeric mode; the
    // English rules are the Unicode default order (CLDR root), so use them.
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English);
    QCollator collator(locale);
    collator.setNumericMode(true);
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    return collator;
}

quint32 statusBit(int status)
{
    return status >= 0 && status < kVehicleStatusCount ? 1u << status : 0u;
}

} // namespace

FleetFilterModel::FleetFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_collator(naturalCollator())
{
    setRecursiveFilteringEnabled(true);
    setDynamicSortFilter(true);
    setSortRole(FleetTreeModel::SortRole);
    sort(FleetTreeModel::NameColumn, Qt::AscendingOrder);
}

void FleetFilterModel::setSourceModel(QAbstractItemModel *model)
{
    for (const QMetaObject::Connection &connection : m_sourceConnections)
        disconnect(connection);
    m_sourceConnections.clear();
    QSortFilterProxyModel::setSourceModel(model);
    if (model) {
        m_sourceConnections = {
            connect(model, &QAbstractItemModel::dataChanged, this,
                    [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                        if (!roles.isEmpty() && !roles.contains(FleetTreeModel::StatusRole)
                            && !roles.contains(FleetTreeModel::SearchTextRole))
                            return;
                        const QAbstractItemModel *source = sourceModel();
                        for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                            // A group's own data (its count) says nothing about its vehicles.
                            const QModelIndex index = source->index(row, 0, topLeft.parent());
                            if (!index.data(FleetTreeModel::IsGroupRole).toBool())
                                trackVehicle(index);
                        }
                    }),
            connect(model, &QAbstractItemModel::rowsInserted, this,
                    [this](const QModelIndex &parent, int first, int last) {
                        forEachVehicle(parent, first, last, [this](const QModelIndex &index) { trackVehicle(index); });
                    }),
            connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                    [this](const QModelIndex &parent, int first, int last) {
                        forEachVehicle(parent, first, last,
                                       [this](const QModelIndex &index) { untrackVehicle(index); });
                    }),
            connect(model, &QAbstractItemModel::modelReset, this, &FleetFilterModel::recount),
            connect(model, &QObject::destroyed, this, &FleetFilterModel::clearCounts),
        };
    }
    recount();
}

QString FleetFilterModel::searchText() const
{
    return m_searchText;
}

void FleetFilterModel::setSearchText(const QString &text)
{
    m_searchText = text;
    const QStringList terms = text.simplified().toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (terms == m_terms)
        return;
    m_terms = terms;
    invalidateRowsFilter();
    recount();
}

QSet<VehicleStatus> FleetFilterModel::statusFilter() const
{
    QSet<VehicleStatus> statuses;
    for (int i = 0; i < kVehicleStatusCount; ++i) {
        if (m_statusMask & statusBit(i))
            statuses.insert(VehicleStatus(i));
    }
    return statuses;
}

void FleetFilterModel::setStatusFilter(const QSet<VehicleStatus> &statuses)
{
    quint32 mask = 0;
    for (VehicleStatus status : statuses)
        mask |= statusBit(int(status));
    if (mask == m_statusMask)
        return;
    m_statusMask = mask;
    invalidateRowsFilter();
    scheduleCountsCheck();
}

std::array<int, kVehicleStatusCount> FleetFilterModel::statusCounts() const
{
    return m_counts;
}

int FleetFilterModel::visibleVehicleCount() const
{
    int visible = 0;
    for (int i = 0; i < kVehicleStatusCount; ++i) {
        if (statusPasses(i))
            visible += m_counts[std::size_t(i)];
    }
    return visible;
}

// Group rows never pass on their own: recursive filtering keeps a group
// exactly while one of its vehicles passes.
void FleetFilterModel::setVehicleLimit(const std::optional<QSet<QString>> &imeis)
{
    if (m_limit == imeis)
        return;
    m_limit = imeis;
    invalidateRowsFilter();
    recount();
}

bool FleetFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (index.data(FleetTreeModel::IsGroupRole).toBool())
        return false;
    if (m_limit && !m_limit->contains(index.data(FleetTreeModel::ImeiRole).toString()))
        return false;
    return statusPasses(index.data(FleetTreeModel::StatusRole).toInt())
        && matchesSearch(index.data(FleetTreeModel::SearchTextRole).toString());
}

bool FleetFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.data(FleetTreeModel::IsGroupRole).toBool()) {
        // "No group" stays last in either order; the view sorts descending
        // by asking lessThan(right, left).
        const bool leftUngrouped = left.data(FleetTreeModel::GroupIdRole).toString().isEmpty();
        const bool rightUngrouped = right.data(FleetTreeModel::GroupIdRole).toString().isEmpty();
        if (leftUngrouped != rightUngrouped)
            return leftUngrouped == (sortOrder() == Qt::DescendingOrder);
        int order = compareSortKeys(left.data(FleetTreeModel::SortRole), right.data(FleetTreeModel::SortRole));
        if (order == 0)
            order = left.data(FleetTreeModel::GroupIdRole)
                        .toString()
                        .compare(right.data(FleetTreeModel::GroupIdRole).toString());
        return order < 0;
    }
    int order = compareSortKeys(left.data(FleetTreeModel::SortRole), right.data(FleetTreeModel::SortRole));
    // Equal keys (same status, same speed) fall back to the name, then the
    // IMEI, so that the order never depends on arrival.
    if (order == 0 && left.column() != FleetTreeModel::NameColumn) {
        order = compareSortKeys(left.siblingAtColumn(FleetTreeModel::NameColumn).data(FleetTreeModel::SortRole),
                                right.siblingAtColumn(FleetTreeModel::NameColumn).data(FleetTreeModel::SortRole));
    }
    if (order == 0)
        order = left.data(FleetTreeModel::ImeiRole).toString().compare(right.data(FleetTreeModel::ImeiRole).toString());
    return order < 0;
}

bool FleetFilterModel::matchesSearch(const QString &searchText) const
{
    for (const QString &term : m_terms) {
        if (!searchText.contains(term))
            return false;
    }
    return true;
}

bool FleetFilterModel::statusPasses(int status) const
{
    return m_statusMask == 0 || (m_statusMask & statusBit(status));
}

int FleetFilterModel::compareSortKeys(const QVariant &left, const QVariant &right) const
{
    if (left.typeId() == QMetaType::QString && right.typeId() == QMetaType::QString)
        return m_collator.compare(left.toString(), right.toString());
    const QPartialOrdering order = QVariant::compare(left, right);
    if (order == QPartialOrdering::Less)
        return -1;
    if (order == QPartialOrdering::Greater)
        return 1;
    return 0;
}

template<typename Visit>
void FleetFilterModel::forEachVehicle(const QModelIndex &parent, int first, int last, const Visit &visit) const
{
    const QAbstractItemModel *source = sourceModel();
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = source->index(row, 0, parent);
        if (index.data(FleetTreeModel::IsGroupRole).toBool())
            forEachVehicle(index, 0, source->rowCount(index) - 1, visit);
        else
            visit(index);
    }
}

void FleetFilterModel::trackVehicle(const QModelIndex &sourceIndex)
{
    const QString imei = sourceIndex.data(FleetTreeModel::ImeiRole).toString();
    const Entry entry{sourceIndex.data(FleetTreeModel::StatusRole).toInt(),
                      (!m_limit || m_limit->contains(imei))
                          && matchesSearch(sourceIndex.data(FleetTreeModel::SearchTextRole).toString())};
    auto it = m_entries.find(imei);
    if (it == m_entries.end()) {
        m_entries.insert(imei, entry);
    } else {
        countEntry(*it, -1);
        *it = entry;
    }
    countEntry(entry, +1);
    scheduleCountsCheck();
}

void FleetFilterModel::untrackVehicle(const QModelIndex &sourceIndex)
{
    const auto it = m_entries.find(sourceIndex.data(FleetTreeModel::ImeiRole).toString());
    if (it == m_entries.end())
        return;
    countEntry(*it, -1);
    m_entries.erase(it);
    scheduleCountsCheck();
}

void FleetFilterModel::countEntry(const Entry &entry, int delta)
{
    if (entry.matches && entry.status >= 0 && entry.status < kVehicleStatusCount)
        m_counts[std::size_t(entry.status)] += delta;
}

// Everything from scratch: after a reset, a new source or new search terms.
void FleetFilterModel::recount()
{
    m_entries.clear();
    m_counts.fill(0);
    if (const QAbstractItemModel *source = sourceModel()) {
        forEachVehicle(QModelIndex(), 0, source->rowCount() - 1,
                       [this](const QModelIndex &index) { trackVehicle(index); });
    }
    scheduleCountsCheck();
}

void FleetFilterModel::clearCounts()
{
    m_entries.clear();
    m_counts.fill(0);
    scheduleCountsCheck();
}

void FleetFilterModel::scheduleCountsCheck()
{
    if (m_countsCheckPending)
        return;
    m_countsCheckPending = true;
    QMetaObject::invokeMethod(this, &FleetFilterModel::checkCounts, Qt::QueuedConnection);
}

void FleetFilterModel::checkCounts()
{
    m_countsCheckPending = false;
    const int visible = visibleVehicleCount();
    if (m_counts == m_announcedCounts && visible == m_announcedVisible)
        return;
    m_announcedCounts = m_counts;
    m_announcedVisible = visible;
    Q_EMIT countsChanged();
}

} // namespace Fleet
