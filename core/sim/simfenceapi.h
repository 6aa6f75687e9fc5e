#pragma once

#include "sim/simcontext.h"

namespace Fleet::Sim {

// Geofence methods of the reference §9: fences stored on the device (serial
// numbers per device) and platform fences (ids, names unique per account,
// bound devices). Kept in SimState.
class SimFenceApi
{
public:
    explicit SimFenceApi(const SimContext &ctx);

    void registerMethods(SimHandlerTable &table);

private:
    SimReply deviceFenceCreate(const SimCall &call);
    SimReply deviceFenceDelete(const SimCall &call);
    SimReply platformFenceCreate(const SimCall &call);
    SimReply platformFenceDelete(const SimCall &call);
    SimReply platformFenceBind(const SimCall &call);

    int platformFenceIndex(const QString &id) const;

    SimContext m_ctx;
};

} // namespace Fleet::Sim
