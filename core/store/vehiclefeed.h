#pragma once

#include "domain/vehiclestatus.h"
#include "storechange.h"

#include <QHash>
#include <QList>
#include <QString>

namespace Fleet {

class Clock;
class StoreReader;

// Turns the store into the snapshots the live views show (one
// VehicleSnapshot per device) and, after each committed change, into just
// the snapshots that changed. Synchronous, on the caller's thread: the
// desktop runs it on its ingest thread, next to the store writer whose
// change notices it reads, and hands the results to the GUI thread.
//
// It keeps the last snapshot of every device, so a change notice that names
// a device whose visible state did not change produces nothing, and the
// time-driven statuses (offline after silence, an alarm that is no longer
// recent) are found by reclassify() without touching the database.
class VehicleFeed
{
public:
    VehicleFeed(StoreReader *reader, Clock *clock = nullptr, const StatusRules &rules = {});

    // Everything, read afresh (start-up). Sorted by IMEI.
    QList<VehicleSnapshot> loadAll();
    // The snapshots that a committed change altered (new devices included).
    // Devices that left the view (moved to another account) are not among
    // them: takeRemoved() names those.
    QList<VehicleSnapshot> apply(const StoreChange &change);
    // The devices that apply() took out of the view since the last call.
    QStringList takeRemoved();
    // The snapshots whose status changed with the passing of time alone.
    QList<VehicleSnapshot> reclassify();

    int count() const { return int(m_vehicles.size()); }
    const VehicleSnapshot *vehicle(const QString &imei) const;
    // How far back the last alarm of each device is looked for.
    static constexpr int kAlarmLookbackSecs = 24 * 3600;

private:
    void readDevices();
    void readAlarms(const QStringList &imeis, const QDateTime &from, const QDateTime &to);
    QDateTime now() const;

    StoreReader *m_reader;
    Clock *m_clock;
    StatusRules m_rules;
    QHash<QString, VehicleSnapshot> m_vehicles;
    QHash<QString, Device> m_devices;
    QHash<QString, QString> m_groupNames;
    QStringList m_removed;
};

} // namespace Fleet
