#include "vehiclefeed.h"

#include "storereader.h"
#include "util/clock.h"

#include <algorithm>
#include <utility>

namespace Fleet {

VehicleFeed::VehicleFeed(StoreReader *reader, Clock *clock, const StatusRules &rules)
    : m_reader(reader)
    , m_clock(clock ? clock : Clock::system())
    , m_rules(rules)
{ }

QDateTime VehicleFeed::now() const
{
    return m_clock->nowUtc();
}

const VehicleSnapshot *VehicleFeed::vehicle(const QString &imei) const
{
    const auto it = m_vehicles.constFind(imei);
    return it == m_vehicles.cend() ? nullptr : &*it;
}

void VehicleFeed::readDevices()
{
    m_groupNames.clear();
    for (const DeviceGroup &g : m_reader->groups())
        m_groupNames.insert(g.id, g.name);
    m_devices.clear();
    for (Device &d : m_reader->devices()) {
        // The group list names a group as the cloud now does (after a rename).
        if (const auto g = m_groupNames.constFind(d.groupId); !d.groupId.isEmpty() && g != m_groupNames.cend())
            d.groupName = *g;
        m_devices.insert(d.imei, d);
    }
}

void VehicleFeed::readAlarms(const QStringList &imeis, const QDateTime &from, const QDateTime &to)
{
    for (const Alarm &a : m_reader->alarms(imeis, from, to)) {
        auto it = m_vehicles.find(a.imei);
        if (it == m_vehicles.end() || !a.time.isValid())
            continue;
        if (!it->lastAlarmTime.isValid() || a.time >= it->lastAlarmTime) {
            it->lastAlarmTime = a.time;
            it->lastAlarmName = a.typeName.isEmpty() ? alarmTypeText(a.typeId) : a.typeName;
            if (it->lastAlarmName.isEmpty())
                it->lastAlarmName = a.typeId;
        }
    }
}

QList<VehicleSnapshot> VehicleFeed::loadAll()
{
    readDevices();
    m_vehicles.clear();
    m_vehicles.reserve(m_devices.size());
    for (DeviceLocation &l : m_reader->deviceStates()) {
        VehicleSnapshot v;
        v.device = m_devices.value(l.imei);
        v.device.imei = l.imei;
        v.location = std::move(l);
        m_vehicles.insert(v.device.imei, v);
    }
    const QDateTime t = now();
    readAlarms({}, t.addSecs(-kAlarmLookbackSecs), t.addSecs(m_rules.alarmActiveSecs));
    QList<VehicleSnapshot> all;
    all.reserve(m_vehicles.size());
    for (VehicleSnapshot &v : m_vehicles) {
        v.status = classify(v, t, m_rules);
        all.append(v);
    }
    std::sort(all.begin(), all.end(),
              [](const VehicleSnapshot &a, const VehicleSnapshot &b) { return a.imei() < b.imei(); });
    return all;
}

QStringList VehicleFeed::takeRemoved()
{
    return std::exchange(m_removed, {});
}

QList<VehicleSnapshot> VehicleFeed::apply(const StoreChange &change)
{
    const bool groupsChanged = change.touches(StoreTable::DeviceGroups);
    if (change.imeis.isEmpty() && !groupsChanged)
        return {};
    const bool devicesChanged = change.touches(StoreTable::Devices) || groupsChanged;
    QSet<QString> touched = change.imeis;
    if (devicesChanged) {
        const QHash<QString, Device> old = m_devices;
        readDevices();
        // A group renamed or deleted names its devices anew.
        if (groupsChanged) {
            for (auto it = m_devices.cbegin(); it != m_devices.cend(); ++it) {
                const auto was = old.constFind(it.key());
                if (was != old.cend() && was->groupName != it->groupName)
                    touched.insert(it.key());
            }
        }
        // Devices no longer in the store's view (moved to another account).
        for (auto it = m_vehicles.begin(); it != m_vehicles.end();) {
            if (!m_devices.contains(it.key()) && touched.contains(it.key())) {
                m_removed.append(it.key());
                touched.remove(it.key());
                it = m_vehicles.erase(it);
            } else {
                ++it;
            }
        }
    }
    QStringList imeis(touched.cbegin(), touched.cend());
    if (imeis.isEmpty())
        return {};
    std::sort(imeis.begin(), imeis.end());

    // Keep the previous snapshots to report only what really changed.
    QHash<QString, VehicleSnapshot> before;
    before.reserve(imeis.size());
    for (const QString &imei : std::as_const(imeis)) {
        const auto it = m_vehicles.constFind(imei);
        if (it != m_vehicles.cend())
            before.insert(imei, *it);
    }
    for (DeviceLocation &l : m_reader->deviceStates(imeis)) {
        VehicleSnapshot &v = m_vehicles[l.imei];
        v.device = m_devices.value(l.imei);
        v.device.imei = l.imei;
        v.location = std::move(l);
    }
    if (change.touches(StoreTable::Alarms)) {
        // Only alarms inside the change's span can be new.
        readAlarms(imeis, change.earliest.isValid() ? change.earliest : now().addSecs(-kAlarmLookbackSecs),
                   change.latest.isValid() ? change.latest : now());
    }
    const QDateTime t = now();
    QList<VehicleSnapshot> changed;
    for (const QString &imei : std::as_const(imeis)) {
        const auto it = m_vehicles.find(imei);
        if (it == m_vehicles.end())
            continue;
        it->status = classify(*it, t, m_rules);
        const auto old = before.constFind(imei);
        if (old == before.cend() || !(*old == *it))
            changed.append(*it);
    }
    return changed;
}

QList<VehicleSnapshot> VehicleFeed::reclassify()
{
    const QDateTime t = now();
    QList<VehicleSnapshot> changed;
    for (VehicleSnapshot &v : m_vehicles) {
        const VehicleStatus s = classify(v, t, m_rules);
        if (s != v.status) {
            v.status = s;
            changed.append(v);
        }
    }
    std::sort(changed.begin(), changed.end(),
              [](const VehicleSnapshot &a, const VehicleSnapshot &b) { return a.imei() < b.imei(); });
    return changed;
}

} // namespace Fleet
