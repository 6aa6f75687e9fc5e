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
    fleetGroups = int(groups.size());
}

bool SimState::addAccount(const QString &account)
{
    if (accounts.contains(account))
        return true;
    if (accounts.size() >= kMaxAccounts)
        return false;
    accounts.insert(account);
    return true;
}

void SimState::addGroup(const SimGroup &group)
{
    if (groups.size() - fleetGroups >= kMaxGroups)
        removeGroup(fleetGroups);
    groups.append(group);
}

void SimState::removeGroup(int index)
{
    const QString id = groups.at(index).id;
    groups.removeAt(index);
    if (index < fleetGroups)
        --fleetGroups;
    // Its devices fall back to the account's default group.
    for (SimDeviceRecord &r : devices) {
        if (r.groupId == id)
            r.groupId.clear();
    }
}

void SimState::addCommand(const SimCommandRecord &command)
{
    if (commands.size() >= kMaxCommands)
        commands.removeFirst();
    commands.append(command);
    ++commandsSent;
}

void SimState::addDeviceFence(const QString &imei, const SimDeviceFence &fence)
{
    QList<SimDeviceFence> &list = deviceFences[imei];
    if (list.size() >= kMaxDeviceFences)
        list.removeFirst();
    list.append(fence);
}

void SimState::addPlatformFence(const SimPlatformFence &fence)
{
    if (platformFences.size() >= kMaxPlatformFences)
        platformFences.removeFirst();
    platformFences.append(fence);
}

void SimState::addMedia(const SimMediaFile &file)
{
    if (media.size() >= kMaxMedia)
        media.removeFirst();
    media.append(file);
}

void SimState::addHistoryList(const QString &instructionId, const SimHistoryListRequest &request)
{
    for (auto it = historyLists.begin(); it != historyLists.end();) {
        if (it->requestedAt.secsTo(request.requestedAt) > kHistoryListLifetimeSecs)
            it = historyLists.erase(it);
        else
            ++it;
    }
    if (!historyLists.contains(instructionId) && historyLists.size() >= kMaxHistoryLists) {
        auto oldest = historyLists.begin();
        for (auto it = historyLists.begin(); it != historyLists.end(); ++it) {
            if (it->requestedAt < oldest->requestedAt)
                oldest = it;
        }
        historyLists.erase(oldest);
    }
    historyLists.insert(instructionId, request);
}

void SimState::openStream(const QString &key)
{
    openStreams.removeAll(key);
    if (openStreams.size() >= kMaxOpenStreams)
        openStreams.removeFirst();
    openStreams.append(key);
}

void SimState::closeStream(const QString &key)
{
    openStreams.removeAll(key);
}

void SimState::grantStream(const QString &secret, const SimStreamGrant &grant)
{
    if (grantOrder.size() >= kMaxOpenStreams * 2)
        streamGrants.remove(grantOrder.takeFirst());
    streamGrants.insert(secret, grant);
    grantOrder.append(secret);
}

bool SimState::streamGranted(const QString &secret, SimStreamGrant *grant) const
{
    const auto it = streamGrants.constFind(secret);
    if (it == streamGrants.cend() || !openStreams.contains(it->key))
        return false;
    if (grant)
        *grant = *it;
    return true;
}

QString SimState::newId()
{
    const QByteArray in = "fleetdesk-sim:" + QByteArray::number(idSeed) + ':' + QByteArray::number(++idCounter);
    return QString::fromLatin1(QCryptographicHash::hash(in, QCryptographicHash::Md5).toHex());
}

} // namespace Fleet::Sim
