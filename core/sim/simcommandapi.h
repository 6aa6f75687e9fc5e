#pragma once

#include "sim/simcontext.h"

#include <QJsonObject>

namespace Fleet::Sim {

// Device commands (reference §8) and the instruction gateway (Appendix A).
// Sent commands are kept in SimState; an online device "executes" a command
// at once and answers like a real tracker ("Cut off the fuel supply:
// Success!"), an offline one queues offline-capable commands (isExecute 3).
class SimCommandApi
{
public:
    explicit SimCommandApi(const SimContext &ctx);

    void registerMethods(SimHandlerTable &table);

    // POST /api/device/sendInstruct, after its token was checked.
    QJsonObject gateway(const SimCall &call);

    // What the simulated device answers to a text command.
    QString deviceReply(int index, const QString &command, const QDateTime &fleetNow) const;

private:
    SimReply instructionList(const SimCall &call);
    SimReply instructionSend(const SimCall &call);
    SimReply instructionResult(const SimCall &call);
    SimReply rawSend(const SimCall &call);

    // Queued offline commands run once their device is back online.
    void deliverQueued(const QDateTime &fleetNow);

    SimContext m_ctx;
};

} // namespace Fleet::Sim
