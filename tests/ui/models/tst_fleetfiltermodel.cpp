#include "fleetsnapshots.h"
#include "models/fleetfiltermodel.h"
#include "models/fleettreemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using namespace Fleet;
using namespace FleetTest;

class TestFleetFilterModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void sortsNaturallyByDefault();
    void sortsGroupsWithNoGroupLast();
    void sortsByOtherColumns();
    void resortsWhenNamesChange();
    void searchMatchesEveryTerm_data();
    void searchMatchesEveryTerm();
    void searchHidesEmptyGroups();
    void statusFilter();
    void localGroupLimitsTheListAndItsCounts();
    void countsIgnoreStatusFilter();
    void countsFollowSourceChanges();
    void countsChangedIsCoalesced();
    void countsChangedOnlyWhenCountsChange();
    void filterFollowsUpdates();
    void sourceSwap();
    void largeFleet();

private:
    // Vehicle names under the proxy's groups, as "Group: a, b".
    QStringList shown() const;
    // Counts by walking the source: the reference for the proxy's bookkeeping.
    std::array<int, kVehicleStatusCount> expectedCounts() const;
    int shownVehicleCount() const;

    std::unique_ptr<FleetTreeModel> m_source;
    std::unique_ptr<FleetFilterModel> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_sourceTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void TestFleetFilterModel::init()
{
    m_source = std::make_unique<FleetTreeModel>();
    m_proxy = std::make_unique<FleetFilterModel>();
    m_proxy->setSourceModel(m_source.get());
    m_sourceTester = std::make_unique<QAbstractItemModelTester>(m_source.get(),
                                                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(m_proxy.get(),
                                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestFleetFilterModel::cleanup()
{
    m_proxyTester.reset();
    m_sourceTester.reset();
    m_proxy.reset();
    m_source.reset();
}

QStringList TestFleetFilterModel::shown() const
{
    QStringList result;
    for (int g = 0; g < m_proxy->rowCount(); ++g) {
        const QModelIndex group = m_proxy->index(g, 0);
        result << group.data(FleetTreeModel::SortRole).toString() + QStringLiteral(": ")
                + childTexts(*m_proxy, group).join(QStringLiteral(", "));
    }
    return result;
}

std::array<int, kVehicleStatusCount> TestFleetFilterModel::expectedCounts() const
{
    const QStringList terms = m_proxy->searchText().toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    std::array<int, kVehicleStatusCount> counts{};
    for (int g = 0; g < m_source->rowCount(); ++g) {
        const QModelIndex group = m_source->index(g, 0);
        for (int r = 0; r < m_source->rowCount(group); ++r) {
            const QModelIndex index = m_source->index(r, 0, group);
            const QString text = index.data(FleetTreeModel::SearchTextRole).toString();
            if (std::all_of(terms.cbegin(), terms.cend(), [&](const QString &term) { return text.contains(term); }))
                ++counts[std::size_t(index.data(FleetTreeModel::StatusRole).toInt())];
        }
    }
    return counts;
}

int TestFleetFilterModel::shownVehicleCount() const
{
    int count = 0;
    for (int g = 0; g < m_proxy->rowCount(); ++g)
        count += m_proxy->rowCount(m_proxy->index(g, 0));
    return count;
}

void TestFleetFilterModel::sortsNaturallyByDefault()
{
    m_source->reset({vehicle(imeiOf(1), QStringLiteral("Truck 10"), QStringLiteral("g1"), QStringLiteral("Fleet")),
                     vehicle(imeiOf(2), QStringLiteral("Van"), QStringLiteral("g1"), QStringLiteral("Fleet")),
                     vehicle(imeiOf(3), QStringLiteral("Truck 2"), QStringLiteral("g1"), QStringLiteral("Fleet")),
                     vehicle(imeiOf(4), QStringLiteral("truck 1"), QStringLiteral("g1"), QStringLiteral("Fleet")),
                     vehicle(imeiOf(5), QStringLiteral("Truck 2a"), QStringLiteral("g1"), QStringLiteral("Fleet")),
                     vehicle(imeiOf(6), QStringLiteral("Ähre"), QStringLiteral("g1"), QStringLiteral("Fleet"))});
    QCOMPARE(m_proxy->sortColumn(), int(FleetTreeModel::NameColumn));
    QCOMPARE(shown(), QStringList{QStringLiteral("Fleet: Ähre, truck 1, Truck 2, Truck 2a, Truck 10, Van")});

    m_proxy->sort(FleetTreeModel::NameColumn, Qt::DescendingOrder);
    QCOMPARE(shown(), QStringList{QStringLiteral("Fleet: Van, Truck 10, Truck 2a, Truck 2, truck 1, Ähre")});
}

void TestFleetFilterModel::sortsGroupsWithNoGroupLast()
{
    m_source->reset({vehicle(imeiOf(1), QStringLiteral("a"), QString()),
                     vehicle(imeiOf(2), QStringLiteral("b"), QStringLiteral("g1"), QStringLiteral("Zeta")),
                     vehicle(imeiOf(3), QStringLiteral("c"), QStringLiteral("g2"), QStringLiteral("Beta 10")),
                     vehicle(imeiOf(4), QStringLiteral("d"), QStringLiteral("g3"), QStringLiteral("alpha")),
                     vehicle(imeiOf(5), QStringLiteral("e"), QStringLiteral("g4"), QStringLiteral("Beta 9"))});
    QCOMPARE(shown(),
             (QStringList{QStringLiteral("alpha: d"), QStringLiteral("Beta 9: e"), QStringLiteral("Beta 10: c"),
                          QStringLiteral("Zeta: b"), QStringLiteral("No group: a")}));
    m_proxy->sort(FleetTreeModel::NameColumn, Qt::DescendingOrder);
    QCOMPARE(shown(),
             (QStringList{QStringLiteral("Zeta: b"), QStringLiteral("Beta 10: c"), QStringLiteral("Beta 9: e"),
                          QStringLiteral("alpha: d"), QStringLiteral("No group: a")}));
    // Groups keep their name order whatever column the vehicles sort by.
    m_proxy->sort(FleetTreeModel::SpeedColumn, Qt::AscendingOrder);
    QCOMPARE(shown().first(), QStringLiteral("alpha: d"));
    QCOMPARE(shown().last(), QStringLiteral("No group: a"));

    // A group arriving later is sorted in.
    m_source->apply({vehicle(imeiOf(6), QStringLiteral("f"), QStringLiteral("g5"), QStringLiteral("Beta 2"))});
    QCOMPARE(shown().at(1), QStringLiteral("Beta 2: f"));
}

void TestFleetFilterModel::sortsByOtherColumns()
{
    auto withSpeed = [](int n, const QString &name, std::optional<double> speed, VehicleStatus status) {
        VehicleSnapshot v = vehicle(imeiOf(n), name, QStringLiteral("g1"), QStringLiteral("Fleet"), status);
        v.location.fix->speedKmh = speed;
        return v;
    };
    m_source->reset({withSpeed(1, QStringLiteral("A"), 100.0, VehicleStatus::Moving),
                     withSpeed(2, QStringLiteral("B"), 5.0, VehicleStatus::Moving),
                     withSpeed(3, QStringLiteral("C"), std::nullopt, VehicleStatus::Offline),
                     withSpeed(4, QStringLiteral("D"), 40.0, VehicleStatus::Moving),
                     withSpeed(5, QStringLiteral("E"), 5.0, VehicleStatus::Alarm)});
    m_proxy->sort(FleetTreeModel::SpeedColumn, Qt::AscendingOrder);
    QCOMPARE(shown(), QStringList{QStringLiteral("Fleet: C, B, E, D, A")}); // numeric, ties by name
    m_proxy->sort(FleetTreeModel::StatusColumn, Qt::AscendingOrder);
    QCOMPARE(shown(), QStringList{QStringLiteral("Fleet: E, C, A, B, D")}); // precedence, ties by name

    // Dynamic: a new speed moves the row.
    m_proxy->sort(FleetTreeModel::SpeedColumn, Qt::AscendingOrder);
    m_source->apply({withSpeed(1, QStringLiteral("A"), 1.0, VehicleStatus::Moving)});
    QCOMPARE(shown(), QStringList{QStringLiteral("Fleet: C, A, B, E, D")});
}

void TestFleetFilterModel::resortsWhenNamesChange()
{
    m_source->reset({vehicle(imeiOf(1), QStringLiteral("Truck 1"), QStringLiteral("g1"), QStringLiteral("Fleet")),
                     vehicle(imeiOf(2), QStringLiteral("Truck 3"), QStringLiteral("g1"), QStringLiteral("Fleet"))});
    QSignalSpy resets(m_proxy.get(), &QAbstractItemModel::modelReset);
    m_source->apply({vehicle(imeiOf(3), QStringLiteral("Truck 20"), QStringLiteral("g1"), QStringLiteral("Fleet")),
                     vehicle(imeiOf(1), QStringLiteral("Truck 4"), QStringLiteral("g1"), QStringLiteral("Fleet"))});
    QCOMPARE(shown(), QStringList{QStringLiteral("Fleet: Truck 3, Truck 4, Truck 20")});
    QCOMPARE(resets.count(), 0);
}

void TestFleetFilterModel::searchMatchesEveryTerm_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << QString()
                           << QStringList{QStringLiteral("Vans: Van 7, Van 8"), QStringLiteral("No group: Truck 12")};
    QTest::newRow("blank") << QStringLiteral("  \t ")
                           << QStringList{QStringLiteral("Vans: Van 7, Van 8"), QStringLiteral("No group: Truck 12")};
    QTest::newRow("name and imei") << QStringLiteral("van 0123") << QStringList{QStringLiteral("Vans: Van 7")};
    QTest::newRow("terms in any order") << QStringLiteral("0123 VAN") << QStringList{QStringLiteral("Vans: Van 7")};
    QTest::newRow("tabs and spaces") << QStringLiteral("  van\t\t0123 ") << QStringList{QStringLiteral("Vans: Van 7")};
    QTest::newRow("one term") << QStringLiteral("VAN") << QStringList{QStringLiteral("Vans: Van 7, Van 8")};
    QTest::newRow("plate") << QStringLiteral("b-fd") << QStringList{QStringLiteral("Vans: Van 8")};
    QTest::newRow("driver and plate") << QStringLiteral("lima b-fd") << QStringList{QStringLiteral("Vans: Van 8")};
    QTest::newRow("vehicle name") << QStringLiteral("sprinter") << QStringList{QStringLiteral("No group: Truck 12")};
    QTest::newRow("a term misses") << QStringLiteral("van 9999") << QStringList();
    QTest::newRow("group name is not searched") << QStringLiteral("vans") << QStringList();
}

void TestFleetFilterModel::searchMatchesEveryTerm()
{
    QFETCH(QString, search);
    QFETCH(QStringList, expected);
    VehicleSnapshot van7 = vehicle(QStringLiteral("860000001234567"), QStringLiteral("Van 7"), QStringLiteral("g1"),
                                   QStringLiteral("Vans"));
    VehicleSnapshot van8 = vehicle(QStringLiteral("860000009876543"), QStringLiteral("Van 8"), QStringLiteral("g1"),
                                   QStringLiteral("Vans"));
    van8.device.plate = QStringLiteral("B-FD 8");
    van8.device.driverName = QStringLiteral("Ana Lima");
    VehicleSnapshot truck = vehicle(QStringLiteral("860000005550000"), QStringLiteral("Truck 12"));
    truck.device.vehicleName = QStringLiteral("Sprinter");
    m_source->reset({van7, van8, truck});

    m_proxy->setSearchText(search);
    QCOMPARE(m_proxy->searchText(), search);
    QCOMPARE(shown(), expected);
}

void TestFleetFilterModel::searchHidesEmptyGroups()
{
    m_source->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans")),
                     vehicle(imeiOf(2), QStringLiteral("Truck 1"), QStringLiteral("g2"), QStringLiteral("Trucks")),
                     vehicle(imeiOf(3), QStringLiteral("Truck 2"), QStringLiteral("g2"), QStringLiteral("Trucks"))});
    m_proxy->setSearchText(QStringLiteral("truck"));
    QCOMPARE(shown(), QStringList{QStringLiteral("Trucks: Truck 1, Truck 2")});
    m_proxy->setSearchText(QStringLiteral("truck 1"));
    QCOMPARE(shown(), QStringList{QStringLiteral("Trucks: Truck 1")});
    m_proxy->setSearchText(QStringLiteral("bus"));
    QCOMPARE(m_proxy->rowCount(), 0);
    m_proxy->setSearchText(QString());
    QCOMPARE(m_proxy->rowCount(), 2);
}

void TestFleetFilterModel::statusFilter()
{
    m_source->reset({
        vehicle(imeiOf(1), QStringLiteral("A"), QStringLiteral("g1"), QStringLiteral("One"), VehicleStatus::Moving),
        vehicle(imeiOf(2), QStringLiteral("B"), QStringLiteral("g1"), QStringLiteral("One"), VehicleStatus::Parked),
        vehicle(imeiOf(3), QStringLiteral("C"), QStringLiteral("g2"), QStringLiteral("Two"), VehicleStatus::Alarm),
        vehicle(imeiOf(4), QStringLiteral("D"), QStringLiteral("g2"), QStringLiteral("Two"), VehicleStatus::Moving),
    });
    QVERIFY(m_proxy->statusFilter().isEmpty());
    m_proxy->setStatusFilter({VehicleStatus::Moving});
    QCOMPARE(shown(), (QStringList{QStringLiteral("One: A"), QStringLiteral("Two: D")}));
    m_proxy->setStatusFilter({VehicleStatus::Alarm, VehicleStatus::Parked});
    QCOMPARE(m_proxy->statusFilter(), (QSet<VehicleStatus>{VehicleStatus::Alarm, VehicleStatus::Parked}));
    QCOMPARE(shown(), (QStringList{QStringLiteral("One: B"), QStringLiteral("Two: C")}));
    m_proxy->setStatusFilter({VehicleStatus::Expired});
    QCOMPARE(m_proxy->rowCount(), 0);
    m_proxy->setStatusFilter({});
    QCOMPARE(shown(), (QStringList{QStringLiteral("One: A, B"), QStringLiteral("Two: C, D")}));

    // Both filters at once.
    m_proxy->setStatusFilter({VehicleStatus::Moving});
    m_proxy->setSearchText(QStringLiteral("d"));
    QCOMPARE(shown(), QStringList{QStringLiteral("Two: D")});
}

void TestFleetFilterModel::localGroupLimitsTheListAndItsCounts()
{
    m_source->reset({
        vehicle(imeiOf(1), QStringLiteral("A"), QStringLiteral("g1"), QStringLiteral("One"), VehicleStatus::Moving),
        vehicle(imeiOf(2), QStringLiteral("B"), QStringLiteral("g1"), QStringLiteral("One"), VehicleStatus::Parked),
        vehicle(imeiOf(3), QStringLiteral("C"), QStringLiteral("g2"), QStringLiteral("Two"), VehicleStatus::Alarm),
    });
    m_proxy->setVehicleLimit(QSet<QString>{imeiOf(2), imeiOf(3)});
    QCOMPARE(shown(), (QStringList{QStringLiteral("One: B"), QStringLiteral("Two: C")}));
    QTRY_COMPARE(m_proxy->statusCounts()[std::size_t(VehicleStatus::Moving)], 0); // A is not in the group
    QCOMPARE(m_proxy->statusCounts()[std::size_t(VehicleStatus::Parked)], 1);
    m_proxy->setVehicleLimit(QSet<QString>{});
    QCOMPARE(m_proxy->rowCount(), 0); // an empty group shows nothing
    m_proxy->setVehicleLimit(std::nullopt);
    QCOMPARE(shown(), (QStringList{QStringLiteral("One: A, B"), QStringLiteral("Two: C")}));
}

void TestFleetFilterModel::countsIgnoreStatusFilter()
{
    m_source->reset({
        vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans"),
                VehicleStatus::Moving),
        vehicle(imeiOf(2), QStringLiteral("Van 2"), QStringLiteral("g1"), QStringLiteral("Vans"),
                VehicleStatus::Moving),
        vehicle(imeiOf(3), QStringLiteral("Van 3"), QStringLiteral("g1"), QStringLiteral("Vans"),
                VehicleStatus::Parked),
        vehicle(imeiOf(4), QStringLiteral("Truck 1"), QString(), QString(), VehicleStatus::Moving),
    });
    auto counts = [](int moving, int parked) {
        std::array<int, kVehicleStatusCount> c{};
        c[std::size_t(VehicleStatus::Moving)] = moving;
        c[std::size_t(VehicleStatus::Parked)] = parked;
        return c;
    };
    QCOMPARE(m_proxy->statusCounts(), counts(3, 1));
    QCOMPARE(m_proxy->visibleVehicleCount(), 4);

    m_proxy->setStatusFilter({VehicleStatus::Parked});
    QCOMPARE(m_proxy->statusCounts(), counts(3, 1));
    QCOMPARE(m_proxy->visibleVehicleCount(), 1);
    QCOMPARE(shownVehicleCount(), 1);

    m_proxy->setSearchText(QStringLiteral("van"));
    QCOMPARE(m_proxy->statusCounts(), counts(2, 1));
    QCOMPARE(m_proxy->visibleVehicleCount(), 1);

    m_proxy->setStatusFilter({VehicleStatus::Moving, VehicleStatus::Parked});
    QCOMPARE(m_proxy->visibleVehicleCount(), 3);
    QCOMPARE(shownVehicleCount(), 3);
}

void TestFleetFilterModel::countsFollowSourceChanges()
{
    QList<VehicleSnapshot> fleet;
    for (int i = 0; i < 6; ++i) {
        fleet << vehicle(imeiOf(i), QStringLiteral("Van %1").arg(i), QStringLiteral("g%1").arg(i % 3),
                         QStringLiteral("Group %1").arg(i % 3), VehicleStatus::Parked);
    }
    m_source->reset(fleet);
    m_proxy->setSearchText(QStringLiteral("van"));
    QCOMPARE(m_proxy->statusCounts(), expectedCounts());

    // Status change, name change out of the search, a move, an insert.
    fleet[0].status = VehicleStatus::Alarm;
    fleet[1].device.name = QStringLiteral("Truck 1");
    fleet[2].device.groupId = QStringLiteral("g9");
    m_source->apply({fleet[0], fleet[1], fleet[2],
                     vehicle(imeiOf(10), QStringLiteral("Van 10"), QString(), QString(), VehicleStatus::Idle)});
    QCOMPARE(m_proxy->statusCounts(), expectedCounts());
    QCOMPARE(m_proxy->statusCounts()[std::size_t(VehicleStatus::Alarm)], 1);
    QCOMPARE(m_proxy->statusCounts()[std::size_t(VehicleStatus::Parked)], 4);
    QCOMPARE(m_proxy->visibleVehicleCount(), 6);
    QCOMPARE(shownVehicleCount(), 6);

    m_source->remove({imeiOf(0), imeiOf(3), imeiOf(1)});
    QCOMPARE(m_proxy->statusCounts(), expectedCounts());
    QCOMPARE(m_proxy->visibleVehicleCount(), 4);
    QCOMPARE(shownVehicleCount(), 4);

    m_source->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QString(), QString(), VehicleStatus::Moving)});
    QCOMPARE(m_proxy->statusCounts(), expectedCounts());
    QCOMPARE(m_proxy->visibleVehicleCount(), 1);
}

void TestFleetFilterModel::countsChangedIsCoalesced()
{
    m_source->reset({vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"))});
    QSignalSpy counts(m_proxy.get(), &FleetFilterModel::countsChanged);
    QTRY_COMPARE(counts.count(), 1); // the reset

    counts.clear();
    for (int i = 2; i < 12; ++i)
        m_source->apply({vehicle(imeiOf(i), QStringLiteral("Van %1").arg(i), QStringLiteral("g1"))});
    m_proxy->setSearchText(QStringLiteral("van"));
    m_proxy->setStatusFilter({VehicleStatus::Parked});
    QCOMPARE(counts.count(), 0); // not yet: once per event loop pass
    QCOMPARE(m_proxy->statusCounts()[std::size_t(VehicleStatus::Parked)], 11); // but already current
    QVERIFY(counts.wait());
    QCOMPARE(counts.count(), 1);
    QCoreApplication::processEvents();
    QCOMPARE(counts.count(), 1);
}

void TestFleetFilterModel::countsChangedOnlyWhenCountsChange()
{
    VehicleSnapshot van = vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"));
    m_source->reset({van});
    QSignalSpy counts(m_proxy.get(), &FleetFilterModel::countsChanged);
    QTRY_COMPARE(counts.count(), 1);
    counts.clear();

    // A new position that keeps the status changes no count.
    van.location.fix->lat += 0.01;
    m_source->apply({van});
    m_proxy->setSearchText(QStringLiteral("VAN")); // matches the same vehicles
    m_proxy->setStatusFilter({VehicleStatus::Parked}); // shows the same vehicles
    // The check is a queued call: deliver it, then see that it said nothing.
    QCoreApplication::sendPostedEvents(m_proxy.get(), QEvent::MetaCall);
    QCOMPARE(counts.count(), 0);

    van.status = VehicleStatus::Moving;
    m_source->apply({van});
    QVERIFY(counts.wait());
    QCOMPARE(m_proxy->visibleVehicleCount(), 0);
}

void TestFleetFilterModel::filterFollowsUpdates()
{
    VehicleSnapshot a = vehicle(imeiOf(1), QStringLiteral("A"), QStringLiteral("g1"), QStringLiteral("One"),
                                VehicleStatus::Moving);
    VehicleSnapshot b = vehicle(imeiOf(2), QStringLiteral("B"), QStringLiteral("g2"), QStringLiteral("Two"),
                                VehicleStatus::Moving);
    m_source->reset({a, b});
    m_proxy->setStatusFilter({VehicleStatus::Moving});
    QSignalSpy resets(m_proxy.get(), &QAbstractItemModel::modelReset);

    b.status = VehicleStatus::Parked;
    m_source->apply({b});
    QCOMPARE(shown(), QStringList{QStringLiteral("One: A")}); // group Two hidden: nothing in it passes

    b.status = VehicleStatus::Moving;
    m_source->apply({b});
    QCOMPARE(shown(), (QStringList{QStringLiteral("One: A"), QStringLiteral("Two: B")}));

    // Moving a vehicle between groups under a filter.
    a.device.groupId = QStringLiteral("g2");
    a.device.groupName = QStringLiteral("Two");
    m_source->apply({a});
    QCOMPARE(shown(), QStringList{QStringLiteral("Two: A, B")});
    QCOMPARE(resets.count(), 0);
}

void TestFleetFilterModel::sourceSwap()
{
    m_source->reset({vehicle(imeiOf(1), QStringLiteral("A"))});
    QCOMPARE(m_proxy->visibleVehicleCount(), 1);
    FleetTreeModel other;
    other.reset({vehicle(imeiOf(2), QStringLiteral("B")), vehicle(imeiOf(3), QStringLiteral("C"))});
    m_proxy->setSourceModel(&other);
    QCOMPARE(m_proxy->visibleVehicleCount(), 2);
    // The old source no longer feeds the counts.
    m_source->apply({vehicle(imeiOf(4), QStringLiteral("D"))});
    QCOMPARE(m_proxy->visibleVehicleCount(), 2);
    m_proxy->setSourceModel(nullptr);
    QCOMPARE(m_proxy->visibleVehicleCount(), 0);
}

void TestFleetFilterModel::largeFleet()
{
    // A selective search keeps the proxy small: the model tester walks the
    // whole proxy on every row it shows or hides.
    m_proxy->setSearchText(QStringLiteral("vehicle 77"));
    m_proxy->setStatusFilter({VehicleStatus::Moving, VehicleStatus::Parked});
    QList<VehicleSnapshot> fleet;
    fleet.reserve(10000);
    for (int n = 0; n < 10000; ++n) {
        fleet << vehicle(imeiOf(n), QStringLiteral("Vehicle %1").arg(n), QStringLiteral("g%1").arg(n % 40),
                         QStringLiteral("Group %1").arg(n % 40), VehicleStatus(n % kVehicleStatusCount));
    }
    m_source->reset(fleet);
    QCOMPARE(m_proxy->statusCounts(), expectedCounts());
    QVERIFY(m_proxy->visibleVehicleCount() > 0);

    QSignalSpy resets(m_proxy.get(), &QAbstractItemModel::modelReset);
    QSignalSpy counts(m_proxy.get(), &FleetFilterModel::countsChanged);
    // The first rows of every group, so that each group gets one dataChanged
    // (the source's tester walks all 10,000 rows on each), two of them moved.
    QList<VehicleSnapshot> changes;
    for (int n = 0; n < 500; ++n) {
        VehicleSnapshot v = fleet.at(n);
        v.status = VehicleStatus((int(v.status) + 1) % kVehicleStatusCount);
        if (n == 77 || n == 277)
            v.device.groupId = QStringLiteral("g%1").arg((n + 1) % 40);
        changes << v;
    }
    m_source->apply(changes);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(m_proxy->statusCounts(), expectedCounts());
    const auto c = m_proxy->statusCounts();
    QCOMPARE(m_proxy->visibleVehicleCount(),
             c[std::size_t(VehicleStatus::Moving)] + c[std::size_t(VehicleStatus::Parked)]);
    QCOMPARE(shownVehicleCount(), m_proxy->visibleVehicleCount());
    QVERIFY(counts.wait());
    QCOMPARE(counts.count(), 1);

    // The same batch again changes nothing and signals nothing.
    m_source->apply(changes);
    QCoreApplication::processEvents();
    QCOMPARE(counts.count(), 1);
}

QTEST_MAIN(TestFleetFilterModel)
#include "tst_fleetfiltermodel.moc"
