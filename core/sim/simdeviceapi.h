#pragma once

#include "sim/simcontext.h"

#include <QJsonObject>

namespace Fleet::Sim {

// Device management methods of the reference §4: device list and detail,
// expiration, vehicle data, moves between accounts, app-user binding and
// device groups. Edits live in SimState, so a later list shows them.
class SimDeviceApi
{
public:
    explicit SimDeviceApi(const SimContext &ctx);

    void registerMethods(SimHandlerTable &table);

private:
    SimReply deviceList(const SimCall &call);
    SimReply deviceDetail(const SimCall &call);
    SimReply expirationUpdate(const SimCall &call);
    SimReply deviceUpdate(const SimCall &call);
    SimReply deviceMove(const SimCall &call);
    SimReply deviceBind(const SimCall &call, bool bind);
    SimReply groupCreate(const SimCall &call);
    SimReply groupUpdate(const SimCall &call);
    SimReply groupDelete(const SimCall &call);
    SimReply groupList(const SimCall &call);

    QJsonObject deviceJson(int index) const;
    QString groupName(const QString &groupId) const;
    int groupIndex(const QString &groupId) const;

    SimContext m_ctx;
};

} // namespace Fleet::Sim
