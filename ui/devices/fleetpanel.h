#pragma once

#include "domain/vehiclestatus.h"

#include <QWidget>

#include <array>

class QLineEdit;
class QToolButton;
class QTreeView;
class QLabel;

namespace Fleet {

class FleetFilterModel;
class LocalGroupsList;
class FleetTreeModel;

// The fleet dock: a search field (name, IMEI, plate, driver), one toggle per
// status with its count, and the vehicles by group.
class FleetPanel : public QWidget
{
    Q_OBJECT

public:
    FleetPanel(FleetTreeModel *model, QWidget *parent = nullptr);

    FleetFilterModel *filter() const { return m_filter; }
    QTreeView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }
    LocalGroupsList *localGroups() const { return m_groups; }

    QString currentVehicle() const;
    // The vehicles selected (Ctrl/Shift+click; a group row stands for its
    // vehicles as shown), the current one first; else the current one.
    QStringList selectedVehicles() const;
    // Selects and shows the vehicle (clearing a filter that hides it).
    void selectVehicle(const QString &imei);
    // The next/previous vehicle in the list as shown; wraps.
    void selectNext(int step);
    void focusSearch();

    // The list's columns (which are shown, their widths, the sort).
    QByteArray saveColumns() const;
    void restoreColumns(const QByteArray &state);

Q_SIGNALS:
    void vehicleSelected(const QString &imei);
    void vehicleActivated(const QString &imei);
    // A right click on the list: the vehicles it is about (selectedVehicles()).
    void vehicleMenuRequested(const QStringList &imeis, const QPoint &globalPos);

private:
    void updateCounts();
    void statusToggled();
    QString imeiAt(const QModelIndex &proxyIndex) const;

    FleetTreeModel *m_model;
    FleetFilterModel *m_filter;
    QLineEdit *m_search;
    std::array<QToolButton *, kVehicleStatusCount> m_statusButtons{};
    QLabel *m_summary;
    LocalGroupsList *m_groups;
    QTreeView *m_view;
};

} // namespace Fleet
