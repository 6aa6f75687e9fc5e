#include "devices/fleetpanel.h"

#include "../models/fleetsnapshots.h"
#include "models/fleetfiltermodel.h"
#include "models/fleettreemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace Fleet;
using FleetTest::imeiOf;
using FleetTest::vehicle;

class TestFleetPanel : public QObject
{
    Q_OBJECT

private:
    static QList<VehicleSnapshot> fleet()
    {
        return {vehicle(imeiOf(1), QStringLiteral("Van 1"), QStringLiteral("g1"), QStringLiteral("Vans"),
                        VehicleStatus::Moving),
                vehicle(imeiOf(2), QStringLiteral("Van 2"), QStringLiteral("g1"), QStringLiteral("Vans"),
                        VehicleStatus::Parked),
                vehicle(imeiOf(3), QStringLiteral("Truck 1"), QStringLiteral("g2"), QStringLiteral("Trucks"),
                        VehicleStatus::Alarm),
                vehicle(imeiOf(4), QStringLiteral("Truck 2"), QStringLiteral("g2"), QStringLiteral("Trucks"),
                        VehicleStatus::Moving)};
    }
    static QToolButton *button(FleetPanel &p, const char *key)
    {
        return p.findChild<QToolButton *>(QStringLiteral("status_") + QLatin1String(key));
    }

private Q_SLOTS:
    void countsOnTheStatusButtons()
    {
        FleetTreeModel model;
        model.reset(fleet());
        FleetPanel panel(&model);
        QTRY_COMPARE(button(panel, "moving")->text(), QStringLiteral("Moving 2"));
        QCOMPARE(button(panel, "alarm")->text(), QStringLiteral("In alarm 1"));
        QCOMPARE(button(panel, "parked")->text(), QStringLiteral("Parked 1"));
        QCOMPARE(button(panel, "offline")->text(), QStringLiteral("Offline 0"));
        // Live: a vehicle starts moving.
        model.apply({vehicle(imeiOf(2), QStringLiteral("Van 2"), QStringLiteral("g1"), QStringLiteral("Vans"),
                             VehicleStatus::Moving)});
        QTRY_COMPARE(button(panel, "moving")->text(), QStringLiteral("Moving 3"));
        QCOMPARE(button(panel, "parked")->text(), QStringLiteral("Parked 0"));
    }

    void searchAndStatusFilter()
    {
        FleetTreeModel model;
        model.reset(fleet());
        FleetPanel panel(&model);
        panel.searchField()->setText(QStringLiteral("truck"));
        QTRY_COMPARE(panel.filter()->visibleVehicleCount(), 2);
        // Counts follow the search, not the status filter.
        QTRY_COMPARE(button(panel, "moving")->text(), QStringLiteral("Moving 1"));
        button(panel, "alarm")->setChecked(true);
        QTRY_COMPARE(panel.filter()->visibleVehicleCount(), 1);
        QCOMPARE(button(panel, "moving")->text(), QStringLiteral("Moving 1"));
        QTRY_VERIFY(panel.findChild<QLabel *>(QStringLiteral("summary"))->text().contains(QLatin1String("1 of 4")));
    }

    void selectionSignalsAndNextPrevious()
    {
        FleetTreeModel model;
        model.reset(fleet());
        FleetPanel panel(&model);
        QSignalSpy selected(&panel, &FleetPanel::vehicleSelected);
        panel.selectVehicle(imeiOf(2));
        QCOMPARE(panel.currentVehicle(), imeiOf(2));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.last().at(0).toString(), imeiOf(2));
        // Display order: groups by name (Trucks, Vans), vehicles by name.
        panel.selectNext(1); // after Van 2: wraps to Truck 1
        QCOMPARE(panel.currentVehicle(), imeiOf(3));
        panel.selectNext(-1);
        QCOMPARE(panel.currentVehicle(), imeiOf(2));
        panel.selectNext(-1);
        QCOMPARE(panel.currentVehicle(), imeiOf(1));
    }

    void selectingAHiddenVehicleClearsTheFilter()
    {
        FleetTreeModel model;
        model.reset(fleet());
        FleetPanel panel(&model);
        panel.searchField()->setText(QStringLiteral("van"));
        QTRY_COMPARE(panel.filter()->visibleVehicleCount(), 2);
        panel.selectVehicle(imeiOf(3));
        QCOMPARE(panel.currentVehicle(), imeiOf(3));
        QVERIFY(panel.searchField()->text().isEmpty());
        // An unknown vehicle changes nothing.
        panel.selectVehicle(QStringLiteral("nope"));
        QCOMPARE(panel.currentVehicle(), imeiOf(3));
    }

    void columnsCanBeShownAndAreRestored()
    {
        FleetTreeModel model;
        model.reset(fleet());
        QByteArray saved;
        {
            FleetPanel panel(&model);
            QHeaderView *header = panel.view()->header();
            QVERIFY(header->isSectionHidden(FleetTreeModel::PlateColumn));
            QAction *plate = header->actions().at(FleetTreeModel::PlateColumn - FleetTreeModel::StatusColumn);
            QCOMPARE(plate->text(), QStringLiteral("Plate"));
            plate->setChecked(true);
            QVERIFY(!header->isSectionHidden(FleetTreeModel::PlateColumn));
            saved = panel.saveColumns();
        }
        FleetPanel panel(&model);
        panel.restoreColumns(saved);
        QVERIFY(!panel.view()->header()->isSectionHidden(FleetTreeModel::PlateColumn));
        QVERIFY(panel.view()
                    ->header()
                    ->actions()
                    .at(FleetTreeModel::PlateColumn - FleetTreeModel::StatusColumn)
                    ->isChecked());
        panel.restoreColumns(QByteArray("garbage"));
        QVERIFY(!panel.view()->header()->isSectionHidden(FleetTreeModel::PlateColumn));
    }

    void groupRowsAreNotVehicles()
    {
        FleetTreeModel model;
        model.reset(fleet());
        FleetPanel panel(&model);
        QSignalSpy selected(&panel, &FleetPanel::vehicleSelected);
        panel.view()->setCurrentIndex(panel.filter()->index(0, 0));
        QCOMPARE(selected.count(), 0);
        QVERIFY(panel.currentVehicle().isEmpty());
    }
};

QTEST_MAIN(TestFleetPanel)
#include "tst_fleetpanel.moc"
