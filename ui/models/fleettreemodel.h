#pragma once

#include "domain/vehiclestatus.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QIcon>
#include <QList>
#include <QStringList>

#include <array>
#include <memory>
#include <vector>

namespace Fleet {

// The fleet as a two-level tree: one row per group (device.groupId; vehicles
// without one sit under "No group"), its vehicles below it. Owns the latest
// snapshot of every vehicle. Rows keep their arrival order; FleetFilterModel
// sorts and filters. Sized for 10,000 vehicles and hundreds of updates a
// second: lookups are hashes, an in-place update costs O(1) plus one
// dataChanged per run of adjacent rows, and only reset() resets. Removing or
// moving a vehicle renumbers the rows below it in its group (rare events).
// A group disappears with its last vehicle.
class FleetTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, StatusColumn, SpeedColumn, LastFixColumn, PlateColumn, DriverColumn, ColumnCount };

    enum Role {
        ImeiRole = Qt::UserRole + 1, // QString; vehicles only
        StatusRole, // int (VehicleStatus); vehicles only
        IsGroupRole, // bool
        GroupIdRole, // QString; empty for "No group"
        SearchTextRole, // QString, lower case: name, IMEI, plate, driver, vehicle name
        // Name/Plate/Driver: QString; Status: int (precedence order); Speed:
        // double, -1 when unknown; Last fix: qint64 ms since epoch, minimum
        // when none. Group rows: their name in every column.
        SortRole,
    };
    Q_ENUM(Role)

    explicit FleetTreeModel(QObject *parent = nullptr);
    ~FleetTreeModel() override;

    // Replaces everything (one model reset): the initial load.
    void reset(const QList<VehicleSnapshot> &all);
    // Updates known vehicles in place, adds new ones, moves a vehicle whose
    // group changed. The last snapshot wins when one IMEI appears twice.
    void apply(const QList<VehicleSnapshot> &changed);
    // Unknown IMEIs are ignored.
    void remove(const QStringList &imeis);

    // Null when the IMEI is unknown; valid until the next reset/apply/remove.
    const VehicleSnapshot *vehicle(const QString &imei) const;
    QModelIndex indexOf(const QString &imei, int column = NameColumn) const;
    int vehicleCount() const;
    // Vehicles per status, indexed by int(VehicleStatus).
    std::array<int, kVehicleStatusCount> statusCounts() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // Vehicles are dragged (onto a local group) as kVehicleMimeType: their
    // IMEIs, one per line.
    static constexpr const char *kVehicleMimeType = "application/x-fleetdesk-imeis";
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Group;
    struct Vehicle;

    QVariant groupData(const Group &group, int column, int role) const;
    QVariant vehicleData(const Vehicle &vehicle, int column, int role) const;
    QString vehicleToolTip(const Vehicle &vehicle) const;
    QIcon statusIcon(VehicleStatus status) const;

    QModelIndex groupIndex(const Group *group) const;
    Group *createGroup(const QString &id, const Device &device);
    Group *insertGroup(const QString &id, const Device &device);
    void removeGroupRows(QList<int> rows);
    std::unique_ptr<Vehicle> createVehicle(const VehicleSnapshot &snapshot, Group *group);
    void setSnapshot(Vehicle &vehicle, const VehicleSnapshot &snapshot);
    static void updateDerived(Vehicle &vehicle);
    bool adoptGroupName(Group &group, const Device &device);
    void moveVehicle(Vehicle &vehicle, const VehicleSnapshot &snapshot, QList<Group *> &changedGroups);
    void countStatus(VehicleStatus status, int delta);
    void emitVehiclesChanged(const QList<Vehicle *> &vehicles);
    void emitGroupsChanged(const QList<Group *> &groups);
    void renumberGroups(int from);

    std::vector<std::unique_ptr<Group>> m_groups;
    QHash<QString, Group *> m_groupById;
    QHash<QString, Vehicle *> m_vehicleByImei;
    std::array<int, kVehicleStatusCount> m_statusCounts{};
    // Drawn on first use: painting needs a GUI application.
    mutable std::array<QIcon, kVehicleStatusCount> m_icons;
};

} // namespace Fleet
