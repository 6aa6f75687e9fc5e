#pragma once

#include "sim/simcontext.h"

#include <QJsonObject>

namespace Fleet::Sim {

struct SimCommandRecord;

// Device commands (reference §8) and the instruction gateway (Appendix A).
// Sent commands are kept in SimState; an online device answers after a few
// seconds (every eighth device after minutes) like a real tracker ("Cut off
// the fuel supply: Success!"); an offline one has offline-capable commands
// queued (isExecute 3, isOffLine 1). instruction.result lists a command only
// commandResultLagSecs after it was sent. Each model family has its own
// template list (trackers, the VL802's V2.7.14 list, dashcams).
class SimCommandApi
{
public:
    explicit SimCommandApi(const SimContext &ctx);

    void registerMethods(SimHandlerTable &table);

    // POST /api/device/sendInstruct, after its token was checked.
    QJsonObject gateway(const SimCall &call);

    // What the simulated device answers to a text command.
    QString deviceReply(int index, const QString &command, const QDateTime &fleetNow) const;

    // How long device index takes to answer a command (fleet seconds).
    int replyDelaySecs(int index) const;

private:
    SimReply instructionList(const SimCall &call);
    SimReply instructionSend(const SimCall &call);
    SimReply instructionResult(const SimCall &call);
    SimReply rawSend(const SimCall &call);

    // The device answers rec after its delay: until then it is listed as
    // waiting (isExecute 3) without content.
    void answerLater(SimCommandRecord &rec, int index, const QDateTime &fleetNow) const;
    // Queued offline commands run once their device is back online, and
    // answers whose time came are listed.
    void deliverQueued(const QDateTime &fleetNow);

    SimContext m_ctx;
};

} // namespace Fleet::Sim
