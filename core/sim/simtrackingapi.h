#pragma once

#include "sim/simcontext.h"

#include <QJsonObject>

namespace Fleet::Sim {

struct SimFix;

// Positions, tracks, trips, stops and alarms (reference §5–§6), computed
// from SimFleet at the fleet's "now" in the shapes of api-field-notes §2.4–2.10.
class SimTrackingApi
{
public:
    explicit SimTrackingApi(const SimContext &ctx);

    void registerMethods(SimHandlerTable &table);

private:
    SimReply locationList(const SimCall &call);
    SimReply locationGet(const SimCall &call);
    SimReply shareUrl(const SimCall &call);
    SimReply trackMileage(const SimCall &call);
    SimReply trackList(const SimCall &call);
    SimReply lbsAddress(const SimCall &call);
    SimReply parkingReport(const SimCall &call);
    SimReply tagMessage(const SimCall &call);
    SimReply alarmList(const SimCall &call);

    // The 2026 location.list shape; nullopt for a device without any fix.
    std::optional<QJsonObject> locationJson(int index, const SimCall &call) const;

    SimContext m_ctx;
};

} // namespace Fleet::Sim
