#pragma once

#include "domain/vehiclestatus.h"

#include <QCollator>
#include <QHash>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <array>
#include <optional>
#include <vector>

namespace Fleet {

// The fleet list as shown: FleetTreeModel (or any model with its roles)
// filtered by search terms and statuses, and sorted naturally ("Truck 2"
// before "Truck 10"), groups by name with "No group" last. A group shows
// while any of its vehicles passes the filter. Keeps per-status counts of the
// vehicles that match the search, updated row by row as the source changes
// and announced at most once per event loop pass.
class FleetFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit FleetFilterModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *sourceModel) override;

    QString searchText() const;
    // Whitespace-separated terms; a vehicle passes when its search text
    // (name, IMEI, plate, driver, vehicle name) contains every one, ignoring case.
    void setSearchText(const QString &text);

    QSet<VehicleStatus> statusFilter() const;
    // Vehicles in any of these statuses pass; empty: all do.
    void setStatusFilter(const QSet<VehicleStatus> &statuses);

    // Vehicles matching the search text per status, whatever the status
    // filter: what each status button would show. Indexed by int(VehicleStatus).
    std::array<int, kVehicleStatusCount> statusCounts() const;
    // Only these vehicles pass (a local group); none: no such limit.
    void setVehicleLimit(const std::optional<QSet<QString>> &imeis);
    const std::optional<QSet<QString>> &vehicleLimit() const { return m_limit; }
    // Vehicles passing both the search and the status filter.
    int visibleVehicleCount() const;

Q_SIGNALS:
    // statusCounts() or visibleVehicleCount() changed.
    void countsChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    std::optional<QSet<QString>> m_limit;
    struct Entry
    {
        int status = 0;
        bool matches = false;
    };

    bool matchesSearch(const QString &searchText) const;
    bool statusPasses(int status) const;
    int compareSortKeys(const QVariant &left, const QVariant &right) const;

    template<typename Visit>
    void forEachVehicle(const QModelIndex &parent, int first, int last, const Visit &visit) const;
    void trackVehicle(const QModelIndex &sourceIndex);
    void untrackVehicle(const QModelIndex &sourceIndex);
    void countEntry(const Entry &entry, int delta);
    void recount();
    void clearCounts();
    void scheduleCountsCheck();
    void checkCounts();

    QString m_searchText;
    QStringList m_terms; // lower case
    quint32 m_statusMask = 0; // bit int(status) set: passes; 0: all pass
    QCollator m_collator;

    QHash<QString, Entry> m_entries; // by IMEI
    std::array<int, kVehicleStatusCount> m_counts{};
    std::array<int, kVehicleStatusCount> m_announcedCounts{};
    int m_announcedVisible = 0;
    bool m_countsCheckPending = false;
    std::vector<QMetaObject::Connection> m_sourceConnections;
};

} // namespace Fleet
