#include "fleetsnapshots.h"
#include "models/fleettreemodel.h"
#include "style/vehiclestyle.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QLocale>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QtTest>

#include <limits>
#include <memory>

using namespace Fleet;
using namespace FleetTest;

class TestFleetTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void statusNames();

    void emptyModel();
    void resetBuildsGroups();
    void resetKeepsLastOfDuplicates();
    void columns();
    void sortRoles();
    void groupRows();
    void decorationAndToolTip();
    void headers();
    void applyUpdatesInPlace();
    void applyUnchangedSignalsNothing();
    void applyInsertsVehiclesAndGroups();
    void applyMovesBetweenGroups();
    void applyMoveIntoNewGroupRemovesEmptyOne();
    void applyLastOfDuplicatesWins();
    void applyRenamesGroup();
    void removeVehicles();
    void removeLastVehicleRemovesGroup();
    void randomChangesKeepIndexesConsistent();
    void largeApplyWithoutReset();

private:
    // dataChanged/rowsInserted/rowsRemoved as "parent:first-last", the parent
    // by its column 0 text; a dataChanged not spanning all columns is marked.
    static QStringList ranges(const QSignalSpy &spy);
    void verifyConsistent();

    std::unique_ptr<FleetTreeModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestFleetTreeModel::init()
{
    m_model = std::make_unique<FleetTreeModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestFleetTreeModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

QStringList TestFleetTreeModel::ranges(const QSignalSpy &spy)
{
    QStringList result;
    for (const QList<QVariant> &args : spy) {
        const auto first = args.at(0).value<QModelIndex>();
        if (args.at(1).metaType() == QMetaType::fromType<QModelIndex>()) {
            const auto last = args.at(1).value<QModelIndex>();
            QString range =
                QStringLiteral("%1:%2-%3").arg(first.parent().data().toString()).arg(first.row()).arg(last.row());
            if (first.column() != 0 || last.column() != FleetTreeModel::ColumnCount - 1
                || first.parent() != last.parent())
                range += QStringLiteral(" (partial)");
            result << range;
        } else {
            result << QStringLiteral("%1:%2-%3")
                          .arg(first.data().toString())
                          .arg(args.at(1).toInt())
                          .arg(args.at(2).toInt());
        }
    }
    return result;
}

// Every vehicle is found where indexOf() says, and the counts add up.
void TestFleetTreeModel::verifyConsistent()
{
    std::array<int, kVehicleStatusCount> counts{};
    int vehicles = 0;
    for (int g = 0; g < m_model->rowCount(); ++g) {
        const QModelIndex group = m_model->index(g, 0);
        QVERIFY(group.data(FleetTreeModel::IsGroupRole).toBool());
        const int children = m_model->rowCount(group);
        QVERIFY2(children > 0, "empty groups are removed");
        QVERIFY(group.data().toString().endsWith(QStringLiteral(" (%1)").arg(children)));
        for (int r = 0; r < children; ++r) {
            const QModelIndex index = m_model->index(r, 0, group);
            const QString imei = index.data(FleetTreeModel::ImeiRole).toString();
            QCOMPARE(m_model->indexOf(imei), index);
            QCOMPARE(m_model->indexOf(imei, FleetTreeModel::DriverColumn),
                     index.siblingAtColumn(FleetTreeModel::DriverColumn));
            QCOMPARE(index.parent(), group);
            const VehicleSnapshot *snapshot = m_model->vehicle(imei);
            QVERIFY(snapshot);
            QCOMPARE(snapshot->device.groupId.trimmed(), group.data(FleetTreeModel::GroupIdRole).toString());
            QCOMPARE(index.data(FleetTreeModel::StatusRole).toInt(), int(snapshot->status));
            ++counts[std::size_t(snapshot->status)];
            ++vehicles;
        }
    }
    QCOMPARE(m_model->vehicleCount(), vehicles);
    QCOMPARE(m_model->statusCounts(), counts);
}

void TestFleetTreeModel::emptyModel()
{
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->columnCount(), int(FleetTreeModel::ColumnCount));
    QCOMPARE(m_model->vehicleCount(), 0);
    QVERIFY(!m_model->indexOf(imeiOf(1)).isValid());
    QVERIFY(!m_model->vehicle(imeiOf(1)));
    QCOMPARE(m_model->statusCounts(), (std::array<int, kVehicleStatusCount>{}));
    m_model->apply({});
    m_model->remove({imeiOf(1)});
    QCOMPARE(m_model->rowCount(), 0);
}

void TestFleetTreeModel::resetBuildsGroups()
{
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->reset({
        vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans"),
                VehicleStatus::Moving),
        vehicle(imeiOf(2), QStringLiteral("Truck 1"), QStringLiteral("g2"), QStringLiteral("Trucks")),
        vehicle(imeiOf(3), QStringLiteral("Loose"), QString(), QString(), VehicleStatus::Offline),
        vehicle(imeiOf(4), QStringLiteral("Van 2"), QStringLiteral("g1"), QStringLiteral("Vans"),
                VehicleStatus::Moving),
        vehicle(QString(), QStringLiteral("No IMEI"), QStringLiteral("g1"), QStringLiteral("Vans")),
    });
    QCOMPARE(resets.count(), 1);
    QCOMPARE(childTexts(*m_model),
             (QStringList{QStringLiteral("Vans (2)"), QStringLiteral("Trucks (1)"), QStringLiteral("No group (1)")}));
    QCOMPARE(childTexts(*m_model, m_model->index(0, 0)),
             (QStringList{QStringLiteral("Van 1"), QStringLiteral("Van 2")}));
    QCOMPARE(m_model->index(2, 0).data(FleetTreeModel::GroupIdRole).toString(), QString());
    QCOMPARE(m_model->vehicleCount(), 4);
    std::array<int, kVehicleStatusCount> expected{};
    expected[std::size_t(VehicleStatus::Moving)] = 2;
    expected[std::size_t(VehicleStatus::Parked)] = 1;
    expected[std::size_t(VehicleStatus::Offline)] = 1;
    QCOMPARE(m_model->statusCounts(), expected);
    verifyConsistent();

    m_model->reset({vehicle(imeiOf(9), QStringLiteral("Only"))});
    QCOMPARE(resets.count(), 2);
    QCOMPARE(childTexts(*m_model), QStringList{QStringLiteral("No group (1)")});
    QVERIFY(!m_model->vehicle(imeiOf(1)));
    verifyConsistent();
}

void TestFleetTreeModel::resetKeepsLastOfDuplicates()
{
    m_model->reset({vehicle(imeiOf(1), QStringLiteral("Old"), QStringLiteral("g1"), QStringLiteral("Vans")),
                    vehicle(imeiOf(1), QStringLiteral("New"), QStringLiteral("g2"), QStringLiteral("Trucks"))});
    QCOMPARE(m_model->vehicleCount(), 1);
    QCOMPARE(childTexts(*m_model), QStringList{QStringLiteral("Trucks (1)")});
    QCOMPARE(m_model->indexOf(imeiOf(1)).data().toString(), QStringLiteral("New"));
    verifyConsistent();
}

void TestFleetTreeModel::columns()
{
    VehicleSnapshot full = vehicle(imeiOf(1), QStringLiteral("Van 7"), QStringLiteral("g1"), QStringLiteral("Vans"),
                                   VehicleStatus::Moving);
    full.device.plate = QStringLiteral("B-FD 7");
    full.device.driverName = QStringLiteral("Ana Lima");
    full.location.fix->speedKmh = 42.4;
    VehicleSnapshot bare = vehicle(imeiOf(2), QString(), QStringLiteral("g1"), QString(), VehicleStatus::NoFix);
    bare.location.fix.reset();
    VehicleSnapshot noSpeed = vehicle(imeiOf(3), QStringLiteral("Van 9"), QStringLiteral("g1"));
    noSpeed.location.fix->speedKmh.reset();
    m_model->reset({full, bare, noSpeed});

    auto text = [&](const QString &imei, int column) { return m_model->indexOf(imei, column).data().toString(); };
    QCOMPARE(text(imeiOf(1), FleetTreeModel::NameColumn), QStringLiteral("Van 7"));
    QCOMPARE(text(imeiOf(1), FleetTreeModel::StatusColumn), QStringLiteral("Moving"));
    QCOMPARE(text(imeiOf(1), FleetTreeModel::SpeedColumn), QStringLiteral("42"));
    QCOMPARE(text(imeiOf(1), FleetTreeModel::LastFixColumn), QStringLiteral("18 Mar 09:30:00"));
    QCOMPARE(text(imeiOf(1), FleetTreeModel::PlateColumn), QStringLiteral("B-FD 7"));
    QCOMPARE(text(imeiOf(1), FleetTreeModel::DriverColumn), QStringLiteral("Ana Lima"));
    QCOMPARE(m_model->indexOf(imeiOf(1), FleetTreeModel::SpeedColumn).data(Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));

    QCOMPARE(text(imeiOf(2), FleetTreeModel::NameColumn), imeiOf(2));
    QCOMPARE(text(imeiOf(2), FleetTreeModel::StatusColumn), QStringLiteral("No fix"));
    QCOMPARE(text(imeiOf(2), FleetTreeModel::SpeedColumn), QString());
    QCOMPARE(text(imeiOf(2), FleetTreeModel::LastFixColumn), QStringLiteral("—"));
    QCOMPARE(text(imeiOf(3), FleetTreeModel::SpeedColumn), QString());

    const QModelIndex index = m_model->indexOf(imeiOf(1));
    QCOMPARE(index.data(FleetTreeModel::ImeiRole).toString(), imeiOf(1));
    QCOMPARE(index.data(FleetTreeModel::StatusRole).toInt(), int(VehicleStatus::Moving));
    QCOMPARE(index.data(FleetTreeModel::IsGroupRole).toBool(), false);
    QCOMPARE(index.data(FleetTreeModel::GroupIdRole).toString(), QStringLiteral("g1"));
    full.device.vehicleName = QStringLiteral("Sprinter");
    m_model->apply({full});
    QCOMPARE(m_model->indexOf(imeiOf(1)).data(FleetTreeModel::SearchTextRole).toString(),
             QStringLiteral("van 7 %1 b-fd 7 ana lima sprinter").arg(imeiOf(1)));
    QVERIFY(m_model->flags(index).testFlag(Qt::ItemNeverHasChildren));
    QVERIFY(m_model->flags(index).testFlag(Qt::ItemIsSelectable));
    QCOMPARE(m_model->rowCount(index), 0);
}

void TestFleetTreeModel::sortRoles()
{
    VehicleSnapshot moving = vehicle(imeiOf(1), QStringLiteral("Van 7"), QString(), QString(), VehicleStatus::Moving);
    moving.device.plate = QStringLiteral("B-FD 7");
    moving.device.driverName = QStringLiteral("Ana");
    moving.location.fix->speedKmh = 42.5;
    VehicleSnapshot bare = vehicle(imeiOf(2), QStringLiteral("Bare"), QString(), QString(), VehicleStatus::NoFix);
    bare.location.fix.reset();
    m_model->reset({moving, bare});

    auto key = [&](const QString &imei, int column) {
        return m_model->indexOf(imei, column).data(FleetTreeModel::SortRole);
    };
    QCOMPARE(key(imeiOf(1), FleetTreeModel::NameColumn).toString(), QStringLiteral("Van 7"));
    QCOMPARE(key(imeiOf(1), FleetTreeModel::StatusColumn).toInt(), int(VehicleStatus::Moving));
    QCOMPARE(key(imeiOf(1), FleetTreeModel::SpeedColumn).toDouble(), 42.5);
    QCOMPARE(key(imeiOf(1), FleetTreeModel::LastFixColumn).toLongLong(), kFixTime.toMSecsSinceEpoch());
    QCOMPARE(key(imeiOf(1), FleetTreeModel::PlateColumn).toString(), QStringLiteral("B-FD 7"));
    QCOMPARE(key(imeiOf(1), FleetTreeModel::DriverColumn).toString(), QStringLiteral("Ana"));
    QCOMPARE(key(imeiOf(2), FleetTreeModel::SpeedColumn).toDouble(), -1.0);
    QCOMPARE(key(imeiOf(2), FleetTreeModel::LastFixColumn).toLongLong(), std::numeric_limits<qint64>::min());
    QCOMPARE(m_model->index(0, FleetTreeModel::SpeedColumn).data(FleetTreeModel::SortRole).toString(),
             QStringLiteral("No group"));
}

void TestFleetTreeModel::groupRows()
{
    m_model->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans")),
                    vehicle(imeiOf(2), QStringLiteral("X"), QStringLiteral("g7"), QStringLiteral("  ")),
                    vehicle(imeiOf(3), QStringLiteral("Y"), QStringLiteral("  "), QStringLiteral("Ghost"))});
    QCOMPARE(childTexts(*m_model),
             (QStringList{QStringLiteral("Vans (1)"), QStringLiteral("g7 (1)"), QStringLiteral("No group (1)")}));
    const QModelIndex vans = m_model->index(0, 0);
    QCOMPARE(vans.data(FleetTreeModel::IsGroupRole).toBool(), true);
    QCOMPARE(vans.data(FleetTreeModel::GroupIdRole).toString(), QStringLiteral("g1"));
    QCOMPARE(vans.data(FleetTreeModel::SortRole).toString(), QStringLiteral("Vans"));
    QVERIFY(!vans.data(FleetTreeModel::ImeiRole).isValid());
    QVERIFY(!vans.data(FleetTreeModel::StatusRole).isValid());
    QVERIFY(!vans.data(Qt::DecorationRole).isValid());
    QVERIFY(!m_model->index(0, FleetTreeModel::StatusColumn).data().isValid());
    QVERIFY(vans.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Vans")));
    QVERIFY(!m_model->flags(vans).testFlag(Qt::ItemNeverHasChildren));
    QCOMPARE(m_model->index(2, 0).data(FleetTreeModel::GroupIdRole).toString(), QString());
    verifyConsistent();
}

void TestFleetTreeModel::decorationAndToolTip()
{
    VehicleSnapshot v = vehicle(imeiOf(1), QStringLiteral("<Van & 7>"), QString(), QString(), VehicleStatus::Alarm);
    v.device.driverName = QStringLiteral("Ana");
    v.lastAlarmTime = kFixTime;
    v.lastAlarmName = QStringLiteral("SOS");
    VehicleSnapshot w = vehicle(imeiOf(2), QStringLiteral("Van 8"), QString(), QString(), VehicleStatus::Alarm);
    VehicleSnapshot p = vehicle(imeiOf(3), QStringLiteral("Van 9"));
    m_model->reset({v, w, p});

    const QModelIndex index = m_model->indexOf(imeiOf(1));
    const auto icon = index.data(Qt::DecorationRole).value<QIcon>();
    QVERIFY(!icon.isNull());
    const QImage image = icon.pixmap(16, 16).toImage();
    QCOMPARE(image.pixelColor(8, 8).rgb(), vehicleStatusColor(VehicleStatus::Alarm).rgb());
    QVERIFY(!m_model->indexOf(imeiOf(1), FleetTreeModel::StatusColumn).data(Qt::DecorationRole).isValid());
    // Cached: one icon per status, shared by the vehicles in it.
    QCOMPARE(m_model->indexOf(imeiOf(2)).data(Qt::DecorationRole).value<QIcon>().cacheKey(), icon.cacheKey());
    QVERIFY(m_model->indexOf(imeiOf(3)).data(Qt::DecorationRole).value<QIcon>().cacheKey() != icon.cacheKey());

    const QString tip = m_model->indexOf(imeiOf(1), FleetTreeModel::PlateColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("&lt;Van &amp; 7&gt;")), qPrintable(tip));
    QVERIFY(tip.contains(imeiOf(1)));
    QVERIFY(tip.contains(QStringLiteral("In alarm")));
    QVERIFY(tip.contains(QStringLiteral("Ana")));
    QVERIFY(tip.contains(QStringLiteral("SOS")));
}

void TestFleetTreeModel::headers()
{
    QStringList titles;
    for (int c = 0; c < FleetTreeModel::ColumnCount; ++c)
        titles << m_model->headerData(c, Qt::Horizontal).toString();
    QCOMPARE(titles,
             (QStringList{QStringLiteral("Name"), QStringLiteral("Status"), QStringLiteral("km/h"),
                          QStringLiteral("Last fix"), QStringLiteral("Plate"), QStringLiteral("Driver")}));
    QVERIFY(!m_model->headerData(0, Qt::Vertical).isValid());
    const QHash<int, QByteArray> roles = m_model->roleNames();
    QCOMPARE(roles.value(FleetTreeModel::ImeiRole), QByteArray("imei"));
    QCOMPARE(roles.value(Qt::DisplayRole), QByteArray("display"));
}

void TestFleetTreeModel::applyUpdatesInPlace()
{
    QList<VehicleSnapshot> fleet;
    for (int i = 0; i < 6; ++i)
        fleet << vehicle(imeiOf(i), QStringLiteral("Van %1").arg(i), QStringLiteral("g1"), QStringLiteral("Vans"));
    fleet << vehicle(imeiOf(10), QStringLiteral("Truck"), QStringLiteral("g2"), QStringLiteral("Trucks"));
    m_model->reset(fleet);

    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy moved(m_model.get(), &QAbstractItemModel::rowsMoved);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy layouts(m_model.get(), &QAbstractItemModel::layoutChanged);

    QList<VehicleSnapshot> updates;
    for (int i : {3, 0, 1}) {
        VehicleSnapshot v = fleet.at(i);
        v.status = VehicleStatus::Moving;
        v.location.fix->speedKmh = 50.0 + i;
        updates << v;
    }
    updates << fleet.at(5); // unchanged
    VehicleSnapshot truck = fleet.at(6);
    truck.device.driverName = QStringLiteral("Bo");
    updates << truck;
    m_model->apply(updates);

    QStringList got = ranges(changed);
    got.sort();
    QCOMPARE(got,
             (QStringList{QStringLiteral("Trucks (1):0-0"), QStringLiteral("Vans (6):0-1"),
                          QStringLiteral("Vans (6):3-3")}));
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(moved.count(), 0);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(layouts.count(), 0);

    QCOMPARE(m_model->indexOf(imeiOf(3), FleetTreeModel::SpeedColumn).data().toString(), QStringLiteral("53"));
    QCOMPARE(m_model->indexOf(imeiOf(10), FleetTreeModel::DriverColumn).data().toString(), QStringLiteral("Bo"));
    QCOMPARE(m_model->vehicle(imeiOf(0))->status, VehicleStatus::Moving);
    QCOMPARE(m_model->statusCounts()[std::size_t(VehicleStatus::Moving)], 3);
    QCOMPARE(m_model->statusCounts()[std::size_t(VehicleStatus::Parked)], 4);
    verifyConsistent();
}

void TestFleetTreeModel::applyUnchangedSignalsNothing()
{
    const QList<VehicleSnapshot> fleet = {vehicle(imeiOf(1), QStringLiteral("A"), QStringLiteral("g1")),
                                          vehicle(imeiOf(2), QStringLiteral("B"))};
    m_model->reset(fleet);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->apply(fleet);
    m_model->apply({});
    QCOMPARE(changed.count(), 0);
    QCOMPARE(inserted.count(), 0);
}

void TestFleetTreeModel::applyInsertsVehiclesAndGroups()
{
    m_model->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans")),
                    vehicle(imeiOf(2), QStringLiteral("Truck 1"), QStringLiteral("g2"), QStringLiteral("Trucks"))});
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);

    m_model->apply({
        vehicle(imeiOf(3), QStringLiteral("Van 2"), QStringLiteral("g1"), QStringLiteral("Vans"),
                VehicleStatus::Moving),
        vehicle(imeiOf(4), QStringLiteral("Bus 1"), QStringLiteral("g3"), QStringLiteral("Buses")),
        vehicle(imeiOf(5), QStringLiteral("Van 3"), QStringLiteral("g1"), QStringLiteral("Vans")),
        vehicle(imeiOf(6), QStringLiteral("Loose"), QString()),
        vehicle(imeiOf(7), QStringLiteral("Bus 2"), QStringLiteral("g3"), QStringLiteral("Buses")),
    });

    QCOMPARE(resets.count(), 0);
    // One insert for the known group's new rows, one for all new groups.
    QCOMPARE(ranges(inserted), (QStringList{QStringLiteral("Vans (3):1-2"), QStringLiteral(":2-3")}));
    QCOMPARE(ranges(changed), QStringList{QStringLiteral(":0-0")});
    QCOMPARE(childTexts(*m_model),
             (QStringList{QStringLiteral("Vans (3)"), QStringLiteral("Trucks (1)"), QStringLiteral("Buses (2)"),
                          QStringLiteral("No group (1)")}));
    QCOMPARE(childTexts(*m_model, m_model->index(2, 0)),
             (QStringList{QStringLiteral("Bus 1"), QStringLiteral("Bus 2")}));
    QCOMPARE(m_model->vehicleCount(), 7);
    QCOMPARE(m_model->statusCounts()[std::size_t(VehicleStatus::Moving)], 1);
    verifyConsistent();
}

void TestFleetTreeModel::applyMovesBetweenGroups()
{
    m_model->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans")),
                    vehicle(imeiOf(2), QStringLiteral("Van 2"), QStringLiteral("g1"), QStringLiteral("Vans")),
                    vehicle(imeiOf(3), QStringLiteral("Van 3"), QStringLiteral("g1"), QStringLiteral("Vans")),
                    vehicle(imeiOf(4), QStringLiteral("Truck 1"), QStringLiteral("g2"), QStringLiteral("Trucks"))});
    QSignalSpy moved(m_model.get(), &QAbstractItemModel::rowsMoved);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);

    VehicleSnapshot van2 = *m_model->vehicle(imeiOf(2));
    van2.device.groupId = QStringLiteral("g2");
    van2.device.groupName = QStringLiteral("Trucks");
    van2.device.name = QStringLiteral("Van 2 (lent)");
    m_model->apply({van2});

    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(moved.count(), 1);
    const QList<QVariant> args = moved.first();
    QCOMPARE(args.at(0).value<QModelIndex>(), m_model->index(0, 0));
    QCOMPARE(args.at(1).toInt(), 1);
    QCOMPARE(args.at(2).toInt(), 1);
    QCOMPARE(args.at(3).value<QModelIndex>(), m_model->index(1, 0));
    QCOMPARE(args.at(4).toInt(), 1);
    QStringList got = ranges(changed);
    got.sort();
    QCOMPARE(got, (QStringList{QStringLiteral(":0-1"), QStringLiteral("Trucks (2):1-1")}));

    QCOMPARE(childTexts(*m_model), (QStringList{QStringLiteral("Vans (2)"), QStringLiteral("Trucks (2)")}));
    QCOMPARE(childTexts(*m_model, m_model->index(0, 0)),
             (QStringList{QStringLiteral("Van 1"), QStringLiteral("Van 3")}));
    QCOMPARE(childTexts(*m_model, m_model->index(1, 0)),
             (QStringList{QStringLiteral("Truck 1"), QStringLiteral("Van 2 (lent)")}));
    verifyConsistent();

    // Into "No group" and back.
    van2.device.groupId.clear();
    m_model->apply({van2});
    QCOMPARE(childTexts(*m_model),
             (QStringList{QStringLiteral("Vans (2)"), QStringLiteral("Trucks (1)"), QStringLiteral("No group (1)")}));
    verifyConsistent();
    van2.device.groupId = QStringLiteral("g1");
    van2.device.groupName = QStringLiteral("Vans");
    m_model->apply({van2});
    QCOMPARE(childTexts(*m_model), (QStringList{QStringLiteral("Vans (3)"), QStringLiteral("Trucks (1)")}));
    QCOMPARE(resets.count(), 0);
    verifyConsistent();
}

void TestFleetTreeModel::applyMoveIntoNewGroupRemovesEmptyOne()
{
    m_model->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans")),
                    vehicle(imeiOf(2), QStringLiteral("Truck 1"), QStringLiteral("g2"), QStringLiteral("Trucks")),
                    vehicle(imeiOf(3), QStringLiteral("Truck 2"), QStringLiteral("g2"), QStringLiteral("Trucks"))});
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy moved(m_model.get(), &QAbstractItemModel::rowsMoved);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);

    VehicleSnapshot van = *m_model->vehicle(imeiOf(1));
    van.device.groupId = QStringLiteral("g9");
    van.device.groupName = QStringLiteral("Reserve");
    m_model->apply({van});

    QCOMPARE(resets.count(), 0);
    QCOMPARE(ranges(inserted), QStringList{QStringLiteral(":2-2")});
    QCOMPARE(moved.count(), 1);
    QCOMPARE(ranges(removed), QStringList{QStringLiteral(":0-0")});
    QCOMPARE(childTexts(*m_model), (QStringList{QStringLiteral("Trucks (2)"), QStringLiteral("Reserve (1)")}));
    verifyConsistent();
}

void TestFleetTreeModel::applyLastOfDuplicatesWins()
{
    m_model->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans"))});
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    VehicleSnapshot first = vehicle(imeiOf(2), QStringLiteral("First"), QStringLiteral("g1"), QStringLiteral("Vans"));
    VehicleSnapshot second = first;
    second.device.name = QStringLiteral("Second");
    second.status = VehicleStatus::Moving;
    m_model->apply({first, second});
    QCOMPARE(ranges(inserted), QStringList{QStringLiteral("Vans (2):1-1")});
    QCOMPARE(m_model->indexOf(imeiOf(2)).data().toString(), QStringLiteral("Second"));
    QCOMPARE(m_model->statusCounts()[std::size_t(VehicleStatus::Moving)], 1);
    verifyConsistent();
}

void TestFleetTreeModel::applyRenamesGroup()
{
    m_model->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1")),
                    vehicle(imeiOf(2), QStringLiteral("Van 2"), QStringLiteral("g1"))});
    QCOMPARE(childTexts(*m_model), QStringList{QStringLiteral("g1 (2)")});
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    VehicleSnapshot van = *m_model->vehicle(imeiOf(2));
    van.device.groupName = QStringLiteral("Vans");
    m_model->apply({van});
    QCOMPARE(childTexts(*m_model), QStringList{QStringLiteral("Vans (2)")});
    QStringList got = ranges(changed);
    got.sort();
    QCOMPARE(got, (QStringList{QStringLiteral(":0-0"), QStringLiteral("Vans (2):1-1")}));

    // A device that does not repeat the name leaves it alone.
    changed.clear();
    VehicleSnapshot other = *m_model->vehicle(imeiOf(1));
    other.status = VehicleStatus::Idle;
    m_model->apply({other});
    QCOMPARE(childTexts(*m_model), QStringList{QStringLiteral("Vans (2)")});
    QCOMPARE(ranges(changed), QStringList{QStringLiteral("Vans (2):0-0")});
}

void TestFleetTreeModel::removeVehicles()
{
    QList<VehicleSnapshot> fleet;
    for (int i = 0; i < 8; ++i) {
        fleet << vehicle(imeiOf(i), QStringLiteral("Van %1").arg(i), QStringLiteral("g1"), QStringLiteral("Vans"),
                         i % 2 ? VehicleStatus::Moving : VehicleStatus::Parked);
    }
    fleet << vehicle(imeiOf(20), QStringLiteral("Truck"), QStringLiteral("g2"), QStringLiteral("Trucks"));
    m_model->reset(fleet);

    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->remove({imeiOf(6), imeiOf(1), imeiOf(2), imeiOf(99), imeiOf(7), imeiOf(1)});

    QCOMPARE(resets.count(), 0);
    // Bottom run first, so that the rows named by the next signal are still valid.
    QCOMPARE(ranges(removed), (QStringList{QStringLiteral("Vans (4):6-7"), QStringLiteral("Vans (4):1-2")}));
    QCOMPARE(ranges(changed), QStringList{QStringLiteral(":0-0")});
    QCOMPARE(childTexts(*m_model, m_model->index(0, 0)),
             (QStringList{QStringLiteral("Van 0"), QStringLiteral("Van 3"), QStringLiteral("Van 4"),
                          QStringLiteral("Van 5")}));
    QVERIFY(!m_model->vehicle(imeiOf(1)));
    QVERIFY(!m_model->indexOf(imeiOf(7)).isValid());
    QCOMPARE(m_model->vehicleCount(), 5);
    QCOMPARE(m_model->statusCounts()[std::size_t(VehicleStatus::Moving)], 2);
    verifyConsistent();

    // A removed vehicle comes back as new.
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->apply({fleet.at(1)});
    QCOMPARE(ranges(inserted), QStringList{QStringLiteral("Vans (5):4-4")});
    verifyConsistent();
}

void TestFleetTreeModel::removeLastVehicleRemovesGroup()
{
    m_model->reset({vehicle(imeiOf(1), QStringLiteral("A"), QStringLiteral("g1"), QStringLiteral("One")),
                    vehicle(imeiOf(2), QStringLiteral("B"), QStringLiteral("g2"), QStringLiteral("Two")),
                    vehicle(imeiOf(3), QStringLiteral("C"), QStringLiteral("g3"), QStringLiteral("Three")),
                    vehicle(imeiOf(4), QStringLiteral("D"), QStringLiteral("g3"), QStringLiteral("Three"))});
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    m_model->remove({imeiOf(1), imeiOf(2), imeiOf(3)});
    QStringList got = ranges(removed);
    QCOMPARE(got.size(), 4); // three vehicles, then both emptied groups at once
    QCOMPARE(got.last(), QStringLiteral(":0-1"));
    QCOMPARE(childTexts(*m_model), QStringList{QStringLiteral("Three (1)")});
    verifyConsistent();
    m_model->remove({imeiOf(4)});
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->vehicleCount(), 0);
    QCOMPARE(m_model->statusCounts(), (std::array<int, kVehicleStatusCount>{}));
}

// Inserts, updates, moves and removals in random mixes; the bookkeeping
// (rows, groups, counts) must match the tree after every step.
void TestFleetTreeModel::randomChangesKeepIndexesConsistent()
{
    QRandomGenerator random(20260318);
    QHash<QString, VehicleSnapshot> fleet;
    auto randomVehicle = [&](int n) {
        const int group = random.bounded(8);
        VehicleSnapshot v = vehicle(imeiOf(n), QStringLiteral("Vehicle %1").arg(n),
                                    group == 0 ? QString() : QStringLiteral("g%1").arg(group),
                                    QStringLiteral("Group %1").arg(group),
                                    VehicleStatus(random.bounded(kVehicleStatusCount)));
        v.location.fix->speedKmh = random.bounded(120);
        return v;
    };
    QList<VehicleSnapshot> initial;
    for (int n = 0; n < 300; ++n) {
        initial << randomVehicle(n);
        fleet.insert(initial.last().imei(), initial.last());
    }
    m_model->reset(initial);
    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);

    int next = 300;
    for (int round = 0; round < 40; ++round) {
        QList<VehicleSnapshot> changes;
        for (int i = 0; i < 25; ++i) {
            const int pick = random.bounded(10);
            if (pick < 2 || fleet.isEmpty()) {
                changes << randomVehicle(next++);
            } else {
                const QList<QString> keys = fleet.keys();
                VehicleSnapshot v = fleet.value(keys.at(random.bounded(int(keys.size()))));
                if (pick < 4) {
                    const int group = random.bounded(8);
                    v.device.groupId = group == 0 ? QString() : QStringLiteral("g%1").arg(group);
                    v.device.groupName = QStringLiteral("Group %1").arg(group);
                }
                v.status = VehicleStatus(random.bounded(kVehicleStatusCount));
                v.location.fix->speedKmh = random.bounded(120);
                changes << v;
            }
            fleet.insert(changes.last().imei(), changes.last());
        }
        m_model->apply(changes);
        QStringList gone;
        const QList<QString> keys = fleet.keys();
        for (int i = 0; i < 8 && !keys.isEmpty(); ++i)
            gone << keys.at(random.bounded(int(keys.size())));
        for (const QString &imei : std::as_const(gone))
            fleet.remove(imei);
        m_model->remove(gone);

        QCOMPARE(m_model->vehicleCount(), int(fleet.size()));
        for (auto it = fleet.cbegin(); it != fleet.cend(); ++it)
            QVERIFY(m_model->vehicle(it.key()) && *m_model->vehicle(it.key()) == it.value());
        verifyConsistent();
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(resets.count(), 0);
}

void TestFleetTreeModel::largeApplyWithoutReset()
{
    QList<VehicleSnapshot> fleet;
    fleet.reserve(10000);
    for (int n = 0; n < 10000; ++n) {
        fleet << vehicle(imeiOf(n), QStringLiteral("Vehicle %1").arg(n), QStringLiteral("g%1").arg(n % 50),
                         QStringLiteral("Group %1").arg(n % 50));
    }
    m_model->reset(fleet);
    QCOMPARE(m_model->rowCount(), 50);

    QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy layouts(m_model.get(), &QAbstractItemModel::layoutChanged);
    QSignalSpy moved(m_model.get(), &QAbstractItemModel::rowsMoved);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    // The model tester walks the whole tree on every signal, so the updates
    // hit the first rows of each group (one dataChanged per group) and the
    // structural changes are few.
    QList<VehicleSnapshot> changes;
    for (int n = 0; n < 480; ++n) {
        VehicleSnapshot v = fleet.at(n);
        v.status = VehicleStatus::Moving;
        v.location.fix->speedKmh = 60.0;
        changes << v;
    }
    for (int n = 600; n < 610; ++n) {
        VehicleSnapshot v = fleet.at(n);
        v.device.groupId = QStringLiteral("g%1").arg((n + 1) % 50);
        changes << v;
    }
    for (int i = 0; i < 10; ++i)
        changes << vehicle(imeiOf(20000 + i), QStringLiteral("New %1").arg(i), QStringLiteral("g%1").arg(i % 2));
    QCOMPARE(changes.size(), 500);
    m_model->apply(changes);

    QCOMPARE(resets.count(), 0);
    QCOMPARE(layouts.count(), 0);
    QCOMPARE(moved.count(), 10);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(m_model->vehicleCount(), 10010);
    QCOMPARE(m_model->statusCounts()[std::size_t(VehicleStatus::Moving)], 480);
    QCOMPARE(m_model->indexOf(imeiOf(7), FleetTreeModel::SpeedColumn).data().toString(), QStringLiteral("60"));
    QCOMPARE(m_model->indexOf(imeiOf(600)).parent().data(FleetTreeModel::GroupIdRole).toString(), QStringLiteral("g1"));
    verifyConsistent();
}

void TestFleetTreeModel::statusNames()
{
    const QStringList expected = {QStringLiteral("Expired"), QStringLiteral("In alarm"), QStringLiteral("Offline"),
                                  QStringLiteral("Moving"),  QStringLiteral("Idle"),     QStringLiteral("Parked"),
                                  QStringLiteral("No fix")};
    for (int i = 0; i < kVehicleStatusCount; ++i)
        QCOMPARE(vehicleStatusName(VehicleStatus(i)), expected.at(i));
    QVERIFY(vehicleStatusName(VehicleStatus(kVehicleStatusCount)).isEmpty());
}

QTEST_MAIN(TestFleetTreeModel)
#include "tst_fleettreemodel.moc"
