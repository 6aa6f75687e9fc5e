#include "simstate.h"

#include "sim/simfleet.h"

#include <QCryptographicHash>

namespace Fleet::Sim {

SimState::SimState(const SimFleet &fleet, quint64 seed)
    : idSeed(seed)
{
    const QString account = fleet.config().account;
    accounts.insert(account);
    QSet<QString> knownGroups;
    devices.reserve(fleet.size());
    for (int i = 0; i < fleet.size(); ++i) {
        const SimDevice &d = fleet.device(i);
        SimDeviceRecord r;
        r.account = account;
        r.name = d.name;
        r.vehicleName = d.vehicleName;
        r.vehicleIcon = d.vehicleIcon;
        r.plate = d.plate;
        r.driverName = d.driverName;
        r.driverPhone = d.driverPhone;
        r.sim = d.sim;
        r.expiration = d.expiration;
        r.fleetExpired = d.expired;
        r.groupId = d.groupId;
        devices.append(r);
        if (!d.groupId.isEmpty() && !knownGroups.contains(d.groupId)) {
            knownGroups.insert(d.groupId);
            groups.append({d.groupId, d.groupName, account});
        }
    }
}

QString SimState::newId()
{
    const QByteArray in = "fleetdesk-sim:" + QByteArray::number(idSeed) + ':' + QByteArray::number(++idCounter);
    return QString::fromLatin1(QCryptographicHash::hash(in, QCryptographicHash::Md5).toHex());
}

} // namespace Fleet::Sim
