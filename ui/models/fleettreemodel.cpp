#include "fleettreemodel.h"

#include <QMimeData>

#include "style/vehiclestyle.h"

#include <QGuiApplication>
#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

#include <algorithm>
#include <limits>
#include <utility>

namespace Fleet {

struct FleetTreeModel::Vehicle
{
    VehicleSnapshot snapshot;
    Group *group = nullptr;
    int row = 0;
    // Derived from the snapshot once per change, not per data() call: the
    // filter reads them for every row on every keystroke.
    QString name;
    QString searchText;
};

struct FleetTreeModel::Group
{
    QString id; // empty: "No group"
    QString name;
    int row = 0;
    std::vector<std::unique_ptr<Vehicle>> vehicles;
};

namespace {

QString groupIdOf(const Device &device)
{
    return device.groupId.trimmed();
}

// Consecutive runs [first, last] of the given rows, ascending, duplicates dropped.
QList<std::pair<int, int>> rowRuns(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QList<std::pair<int, int>> runs;
    for (int row : std::as_const(rows)) {
        if (!runs.isEmpty() && runs.last().second + 1 == row)
            runs.last().second = row;
        else
            runs.append({row, row});
    }
    return runs;
}

QIcon dotIcon(const QColor &colour)
{
    QIcon icon;
    for (int size : {12, 16, 24, 32}) {
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        // A darker rim keeps light colours visible on a light background.
        const qreal rim = size / 12.0;
        painter.setPen(QPen(colour.darker(140), rim));
        painter.setBrush(colour);
        const qreal margin = size * 0.125 + rim / 2;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        painter.end();
        icon.addPixmap(QPixmap::fromImage(image));
    }
    return icon;
}

QString lastFixText(const VehicleSnapshot &snapshot)
{
    const std::optional<Position> &fix = snapshot.location.fix;
    if (!fix || !fix->gpsTime.isValid())
        return QStringLiteral("—");
    // Compact for a narrow column; the tooltip and the details say the year.
    return QLocale().toString(fix->gpsTime.toLocalTime(), QStringLiteral("d MMM HH:mm:ss"));
}

QString speedText(const VehicleSnapshot &snapshot)
{
    // The freshest speed: a report without a fix may be newer than the fix.
    const std::optional<double> speed = snapshot.location.fix ? snapshot.location.speedKmh() : std::nullopt;
    if (!speed)
        return QString();
    return QLocale().toString(*speed, 'f', 0);
}

} // namespace

FleetTreeModel::FleetTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{ }

FleetTreeModel::~FleetTreeModel() = default;

void FleetTreeModel::reset(const QList<VehicleSnapshot> &all)
{
    QHash<QString, qsizetype> latest;
    latest.reserve(all.size());
    for (qsizetype i = 0; i < all.size(); ++i)
        latest.insert(all.at(i).imei(), i);

    beginResetModel();
    m_vehicleByImei.clear();
    m_groupById.clear();
    m_groups.clear();
    m_statusCounts.fill(0);
    m_vehicleByImei.reserve(latest.size());
    for (qsizetype i = 0; i < all.size(); ++i) {
        const VehicleSnapshot &snapshot = all.at(i);
        if (snapshot.imei().isEmpty() || latest.value(snapshot.imei()) != i)
            continue;
        const QString id = groupIdOf(snapshot.device);
        Group *group = m_groupById.value(id);
        if (group)
            adoptGroupName(*group, snapshot.device);
        else
            group = createGroup(id, snapshot.device);
        group->vehicles.push_back(createVehicle(snapshot, group));
    }
    endResetModel();
}

void FleetTreeModel::apply(const QList<VehicleSnapshot> &changed)
{
    QHash<QString, qsizetype> latest;
    latest.reserve(changed.size());
    for (qsizetype i = 0; i < changed.size(); ++i)
        latest.insert(changed.at(i).imei(), i);

    QList<Vehicle *> changedVehicles;
    QList<Group *> changedGroups;
    // New vehicles by group id, groups in the order they were first named.
    QStringList addedGroupIds;
    QHash<QString, QList<const VehicleSnapshot *>> added;
    for (qsizetype i = 0; i < changed.size(); ++i) {
        const VehicleSnapshot &snapshot = changed.at(i);
        if (snapshot.imei().isEmpty() || latest.value(snapshot.imei()) != i)
            continue;
        Vehicle *vehicle = m_vehicleByImei.value(snapshot.imei());
        if (!vehicle) {
            const QString id = groupIdOf(snapshot.device);
            auto it = added.find(id);
            if (it == added.end()) {
                addedGroupIds.append(id);
                it = added.insert(id, {});
            }
            it->append(&snapshot);
            continue;
        }
        if (vehicle->snapshot == snapshot)
            continue;
        if (vehicle->group->id != groupIdOf(snapshot.device))
            moveVehicle(*vehicle, snapshot, changedGroups);
        setSnapshot(*vehicle, snapshot);
        if (adoptGroupName(*vehicle->group, snapshot.device))
            changedGroups.append(vehicle->group);
        changedVehicles.append(vehicle);
    }

    QStringList newGroupIds;
    for (const QString &id : std::as_const(addedGroupIds)) {
        Group *group = m_groupById.value(id);
        if (!group) {
            newGroupIds.append(id);
            continue;
        }
        const QList<const VehicleSnapshot *> &snapshots = added[id];
        const int first = int(group->vehicles.size());
        beginInsertRows(groupIndex(group), first, first + int(snapshots.size()) - 1);
        for (const VehicleSnapshot *snapshot : snapshots)
            group->vehicles.push_back(createVehicle(*snapshot, group));
        endInsertRows();
        for (const VehicleSnapshot *snapshot : snapshots)
            adoptGroupName(*group, snapshot->device);
        changedGroups.append(group);
    }
    if (!newGroupIds.isEmpty()) {
        const int first = int(m_groups.size());
        beginInsertRows(QModelIndex(), first, first + int(newGroupIds.size()) - 1);
        for (const QString &id : std::as_const(newGroupIds)) {
            const QList<const VehicleSnapshot *> &snapshots = added[id];
            Group *group = createGroup(id, snapshots.first()->device);
            for (const VehicleSnapshot *snapshot : snapshots) {
                adoptGroupName(*group, snapshot->device);
                group->vehicles.push_back(createVehicle(*snapshot, group));
            }
        }
        endInsertRows();
    }

    emitVehiclesChanged(changedVehicles);
    emitGroupsChanged(changedGroups);
}

void FleetTreeModel::remove(const QStringList &imeis)
{
    QHash<Group *, QList<int>> rowsByGroup;
    for (const QString &imei : imeis) {
        if (const Vehicle *vehicle = m_vehicleByImei.value(imei))
            rowsByGroup[vehicle->group].append(vehicle->row);
    }

    QList<Group *> changedGroups;
    QList<int> emptiedGroupRows;
    for (auto it = rowsByGroup.cbegin(); it != rowsByGroup.cend(); ++it) {
        Group *group = it.key();
        const QList<std::pair<int, int>> runs = rowRuns(it.value());
        // From the bottom up, so that the rows of the next run stay put.
        for (auto run = runs.crbegin(); run != runs.crend(); ++run) {
            const auto [first, last] = *run;
            beginRemoveRows(groupIndex(group), first, last);
            for (int row = first; row <= last; ++row) {
                const Vehicle &vehicle = *group->vehicles[std::size_t(row)];
                countStatus(vehicle.snapshot.status, -1);
                m_vehicleByImei.remove(vehicle.snapshot.imei());
            }
            group->vehicles.erase(group->vehicles.begin() + first, group->vehicles.begin() + last + 1);
            for (std::size_t row = std::size_t(first); row < group->vehicles.size(); ++row)
                group->vehicles[row]->row = int(row);
            endRemoveRows();
        }
        if (group->vehicles.empty())
            emptiedGroupRows.append(group->row);
        else
            changedGroups.append(group);
    }
    removeGroupRows(emptiedGroupRows);
    emitGroupsChanged(changedGroups);
}

const VehicleSnapshot *FleetTreeModel::vehicle(const QString &imei) const
{
    const Vehicle *vehicle = m_vehicleByImei.value(imei);
    return vehicle ? &vehicle->snapshot : nullptr;
}

QModelIndex FleetTreeModel::indexOf(const QString &imei, int column) const
{
    const Vehicle *vehicle = m_vehicleByImei.value(imei);
    if (!vehicle || column < 0 || column >= ColumnCount)
        return QModelIndex();
    return createIndex(vehicle->row, column, vehicle->group);
}

int FleetTreeModel::vehicleCount() const
{
    return int(m_vehicleByImei.size());
}

std::array<int, kVehicleStatusCount> FleetTreeModel::statusCounts() const
{
    return m_statusCounts;
}

// A group row's internal pointer is null; a vehicle row's is its group.
QModelIndex FleetTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return QModelIndex();
    if (!parent.isValid())
        return row < int(m_groups.size()) ? createIndex(row, column, nullptr) : QModelIndex();
    if (parent.internalPointer() || parent.column() != 0 || parent.row() >= int(m_groups.size()))
        return QModelIndex();
    Group *group = m_groups[std::size_t(parent.row())].get();
    return row < int(group->vehicles.size()) ? createIndex(row, column, group) : QModelIndex();
}

QModelIndex FleetTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return QModelIndex();
    const auto *group = static_cast<const Group *>(child.internalPointer());
    return group ? groupIndex(group) : QModelIndex();
}

int FleetTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalPointer() || parent.column() != 0 || parent.row() >= int(m_groups.size()))
        return 0;
    return int(m_groups[std::size_t(parent.row())]->vehicles.size());
}

int FleetTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant FleetTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return QVariant();
    const auto *group = static_cast<const Group *>(index.internalPointer());
    if (!group) {
        if (index.row() >= int(m_groups.size()))
            return QVariant();
        return groupData(*m_groups[std::size_t(index.row())], index.column(), role);
    }
    if (index.row() >= int(group->vehicles.size()))
        return QVariant();
    return vehicleData(*group->vehicles[std::size_t(index.row())], index.column(), role);
}

QVariant FleetTreeModel::groupData(const Group &group, int column, int role) const
{
    const QString name = group.id.isEmpty() ? tr("No group") : group.name;
    const int count = int(group.vehicles.size());
    switch (role) {
    case Qt::DisplayRole: return column == NameColumn ? tr("%1 (%2)").arg(name).arg(count) : QVariant();
    case Qt::ToolTipRole: return tr("%1: %n vehicle(s)", nullptr, count).arg(name.toHtmlEscaped());
    case IsGroupRole: return true;
    case GroupIdRole: return group.id;
    case SearchTextRole: return name.toLower();
    case SortRole: return name;
    default: return QVariant();
    }
}

QVariant FleetTreeModel::vehicleData(const Vehicle &vehicle, int column, int role) const
{
    const VehicleSnapshot &s = vehicle.snapshot;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn: return vehicle.name;
        case StatusColumn: return vehicleStatusName(s.status);
        case SpeedColumn: return speedText(s);
        case LastFixColumn: return lastFixText(s);
        case PlateColumn: return s.device.plate;
        case DriverColumn: return s.device.driverName;
        default: return QVariant();
        }
    case Qt::DecorationRole: return column == NameColumn ? QVariant(statusIcon(s.status)) : QVariant();
    case Qt::ToolTipRole: return vehicleToolTip(vehicle);
    case Qt::TextAlignmentRole:
        return column == SpeedColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case ImeiRole: return s.imei();
    case StatusRole: return int(s.status);
    case IsGroupRole: return false;
    case GroupIdRole: return vehicle.group->id;
    case SearchTextRole: return vehicle.searchText;
    case SortRole:
        switch (column) {
        case NameColumn: return vehicle.name;
        case StatusColumn: return int(s.status);
        case SpeedColumn: return s.location.fix ? s.location.speedKmh().value_or(-1.0) : -1.0;
        case LastFixColumn:
            return s.location.fix && s.location.fix->gpsTime.isValid() ? s.location.fix->gpsTime.toMSecsSinceEpoch()
                                                                       : std::numeric_limits<qint64>::min();
        case PlateColumn: return s.device.plate;
        case DriverColumn: return s.device.driverName;
        default: return QVariant();
        }
    default: return QVariant();
    }
}

QString FleetTreeModel::vehicleToolTip(const Vehicle &vehicle) const
{
    const VehicleSnapshot &s = vehicle.snapshot;
    QStringList lines;
    lines << QStringLiteral("<b>%1</b>").arg(vehicle.name.toHtmlEscaped());
    lines << tr("Status: %1").arg(vehicleStatusName(s.status).toHtmlEscaped());
    if (const QString speed = speedText(s); !speed.isEmpty())
        lines << tr("Speed: %1 km/h").arg(speed);
    lines << tr("IMEI: %1").arg(s.imei().toHtmlEscaped());
    if (!s.device.plate.isEmpty())
        lines << tr("Plate: %1").arg(s.device.plate.toHtmlEscaped());
    if (!s.device.driverName.isEmpty())
        lines << tr("Driver: %1").arg(s.device.driverName.toHtmlEscaped());
    lines
        << tr("Last fix: %1")
               .arg(
                   s.location.fix && s.location.fix->gpsTime.isValid()
                       ? QLocale().toString(s.location.fix->gpsTime.toLocalTime(), QLocale::ShortFormat).toHtmlEscaped()
                       : QStringLiteral("—"));
    if (!s.location.address.isEmpty())
        lines << s.location.address.toHtmlEscaped();
    if (s.lastAlarmTime.isValid()) {
        const QString when = QLocale().toString(s.lastAlarmTime.toLocalTime(), QLocale::ShortFormat);
        lines << tr("Last alarm: %1, %2").arg(s.lastAlarmName.toHtmlEscaped(), when.toHtmlEscaped());
    }
    return lines.join(QStringLiteral("<br>"));
}

QIcon FleetTreeModel::statusIcon(VehicleStatus status) const
{
    const auto i = std::size_t(status);
    if (i >= m_icons.size() || !qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return QIcon();
    if (m_icons[i].isNull())
        m_icons[i] = dotIcon(vehicleStatusColor(status));
    return m_icons[i];
}

QVariant FleetTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QVariant();
    if (role == Qt::TextAlignmentRole && section == SpeedColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && section == SpeedColumn)
        return tr("Speed in km/h");
    if (role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case NameColumn: return tr("Name");
    case StatusColumn: return tr("Status");
    case SpeedColumn: return tr("km/h"); // a narrow column: the unit says it all
    case LastFixColumn: return tr("Last fix");
    case PlateColumn: return tr("Plate");
    case DriverColumn: return tr("Driver");
    default: return QVariant();
    }
}

Qt::ItemFlags FleetTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalPointer())
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren | Qt::ItemIsDragEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList FleetTreeModel::mimeTypes() const
{
    return {QString::fromLatin1(kVehicleMimeType)};
}

QMimeData *FleetTreeModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList imeis;
    const auto add = [&imeis](const QString &imei) {
        if (!imei.isEmpty() && !imeis.contains(imei))
            imeis.append(imei);
    };
    for (const QModelIndex &i : indexes) {
        if (i.data(IsGroupRole).toBool()) {
            for (int r = 0; r < rowCount(i); ++r)
                add(index(r, 0, i).data(ImeiRole).toString());
        } else {
            add(i.data(ImeiRole).toString());
        }
    }
    if (imeis.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(QString::fromLatin1(kVehicleMimeType), imeis.join(QLatin1Char('\n')).toUtf8());
    data->setText(imeis.join(QLatin1Char('\n')));
    return data;
}

QHash<int, QByteArray> FleetTreeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(ImeiRole, "imei");
    names.insert(StatusRole, "status");
    names.insert(IsGroupRole, "isGroup");
    names.insert(GroupIdRole, "groupId");
    names.insert(SearchTextRole, "searchText");
    names.insert(SortRole, "sortKey");
    return names;
}

QModelIndex FleetTreeModel::groupIndex(const Group *group) const
{
    return createIndex(group->row, 0, nullptr);
}

// Appends a group without telling views; the caller brackets it.
FleetTreeModel::Group *FleetTreeModel::createGroup(const QString &id, const Device &device)
{
    auto group = std::make_unique<Group>();
    group->id = id;
    const QString name = device.groupName.trimmed();
    group->name = name.isEmpty() ? id : name;
    group->row = int(m_groups.size());
    Group *raw = group.get();
    m_groups.push_back(std::move(group));
    m_groupById.insert(id, raw);
    return raw;
}

FleetTreeModel::Group *FleetTreeModel::insertGroup(const QString &id, const Device &device)
{
    const int row = int(m_groups.size());
    beginInsertRows(QModelIndex(), row, row);
    Group *group = createGroup(id, device);
    endInsertRows();
    return group;
}

void FleetTreeModel::removeGroupRows(QList<int> rows)
{
    const QList<std::pair<int, int>> runs = rowRuns(std::move(rows));
    for (auto run = runs.crbegin(); run != runs.crend(); ++run) {
        const auto [first, last] = *run;
        beginRemoveRows(QModelIndex(), first, last);
        for (int row = first; row <= last; ++row)
            m_groupById.remove(m_groups[std::size_t(row)]->id);
        m_groups.erase(m_groups.begin() + first, m_groups.begin() + last + 1);
        renumberGroups(first);
        endRemoveRows();
    }
}

std::unique_ptr<FleetTreeModel::Vehicle> FleetTreeModel::createVehicle(const VehicleSnapshot &snapshot, Group *group)
{
    auto vehicle = std::make_unique<Vehicle>();
    vehicle->group = group;
    vehicle->row = int(group->vehicles.size());
    vehicle->snapshot = snapshot;
    countStatus(snapshot.status, +1);
    updateDerived(*vehicle);
    m_vehicleByImei.insert(snapshot.imei(), vehicle.get());
    return vehicle;
}

void FleetTreeModel::setSnapshot(Vehicle &vehicle, const VehicleSnapshot &snapshot)
{
    countStatus(vehicle.snapshot.status, -1);
    countStatus(snapshot.status, +1);
    vehicle.snapshot = snapshot;
    updateDerived(vehicle);
}

void FleetTreeModel::updateDerived(Vehicle &vehicle)
{
    const VehicleSnapshot &s = vehicle.snapshot;
    vehicle.name = s.displayName();
    QStringList parts;
    for (const QString &part : {vehicle.name, s.imei(), s.device.plate, s.device.driverName, s.device.vehicleName}) {
        if (!part.isEmpty())
            parts.append(part);
    }
    // Search terms never contain spaces, so none can match across two fields.
    vehicle.searchText = parts.join(QLatin1Char(' ')).toLower();
}

// The platform names a group on each of its devices; the newest non-empty
// name wins. Returns whether the name changed.
bool FleetTreeModel::adoptGroupName(Group &group, const Device &device)
{
    const QString name = device.groupName.trimmed();
    if (group.id.isEmpty() || name.isEmpty() || name == group.name)
        return false;
    group.name = name;
    return true;
}

// Moves the row to the end of the snapshot's group (created when new); the
// caller updates the data afterwards, so a view sees a move, then a change.
void FleetTreeModel::moveVehicle(Vehicle &vehicle, const VehicleSnapshot &snapshot, QList<Group *> &changedGroups)
{
    Group *from = vehicle.group;
    const QString id = groupIdOf(snapshot.device);
    Group *to = m_groupById.value(id);
    if (!to)
        to = insertGroup(id, snapshot.device);
    const int row = vehicle.row;
    const int destination = int(to->vehicles.size());
    beginMoveRows(groupIndex(from), row, row, groupIndex(to), destination);
    std::unique_ptr<Vehicle> owned = std::move(from->vehicles[std::size_t(row)]);
    from->vehicles.erase(from->vehicles.begin() + row);
    for (std::size_t r = std::size_t(row); r < from->vehicles.size(); ++r)
        from->vehicles[r]->row = int(r);
    vehicle.group = to;
    vehicle.row = destination;
    to->vehicles.push_back(std::move(owned));
    endMoveRows();

    changedGroups.append(to);
    if (from->vehicles.empty()) {
        changedGroups.removeAll(from);
        removeGroupRows({from->row});
    } else {
        changedGroups.append(from);
    }
}

void FleetTreeModel::countStatus(VehicleStatus status, int delta)
{
    const auto i = std::size_t(status);
    if (i < m_statusCounts.size())
        m_statusCounts[i] += delta;
}

// One dataChanged per run of adjacent rows under one group, all columns.
void FleetTreeModel::emitVehiclesChanged(const QList<Vehicle *> &vehicles)
{
    QHash<Group *, QList<int>> rowsByGroup;
    for (const Vehicle *vehicle : vehicles)
        rowsByGroup[vehicle->group].append(vehicle->row);
    for (auto it = rowsByGroup.cbegin(); it != rowsByGroup.cend(); ++it) {
        for (const auto &[first, last] : rowRuns(it.value()))
            Q_EMIT dataChanged(createIndex(first, 0, it.key()), createIndex(last, ColumnCount - 1, it.key()));
    }
}

void FleetTreeModel::emitGroupsChanged(const QList<Group *> &groups)
{
    QList<int> rows;
    rows.reserve(groups.size());
    for (const Group *group : groups)
        rows.append(group->row);
    for (const auto &[first, last] : rowRuns(rows))
        Q_EMIT dataChanged(createIndex(first, 0, nullptr), createIndex(last, ColumnCount - 1, nullptr));
}

void FleetTreeModel::renumberGroups(int from)
{
    for (std::size_t row = std::size_t(from); row < m_groups.size(); ++row)
        m_groups[row]->row = int(row);
}

} // namespace Fleet
