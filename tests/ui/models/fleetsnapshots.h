#pragma once

#include "domain/vehiclestatus.h"

#include <QAbstractItemModel>
#include <QStringList>
#include <QTimeZone>

// Vehicle snapshots and tree readers shared by the fleet model tests.
namespace FleetTest {

inline const QDateTime kFixTime(QDate(2026, 3, 18), QTime(9, 30, 0), QTimeZone::utc());

inline QString imeiOf(int n)
{
    return QStringLiteral("8600000%1").arg(n, 8, 10, QLatin1Char('0'));
}

// An online vehicle with a fix; status as given (the feed classifies, not the model).
inline Fleet::VehicleSnapshot vehicle(const QString &imei, const QString &name, const QString &groupId = QString(),
                                      const QString &groupName = QString(),
                                      Fleet::VehicleStatus status = Fleet::VehicleStatus::Parked)
{
    Fleet::VehicleSnapshot v;
    v.device.imei = imei;
    v.device.name = name;
    v.device.groupId = groupId;
    v.device.groupName = groupName;
    v.location.imei = imei;
    v.location.online = true;
    Fleet::Position fix;
    fix.imei = imei;
    fix.gpsTime = kFixTime;
    fix.speedKmh = 0.0;
    fix.acc = false;
    v.location.fix = fix;
    v.status = status;
    return v;
}

// Column 0 display texts of the children of `parent`, in row order.
inline QStringList childTexts(const QAbstractItemModel &model, const QModelIndex &parent = QModelIndex(),
                              int role = Qt::DisplayRole)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(parent); ++row)
        texts.append(model.index(row, 0, parent).data(role).toString());
    return texts;
}

} // namespace FleetTest
