#pragma once

#include "api/apisigner.h"
#include "sim/simreply.h"

#include <QDateTime>
#include <QHash>
#include <QString>

#include <functional>

namespace Fleet {
class Clock;
}

namespace Fleet::Sim {

class SimFleet;
struct SimServerConfig;
struct SimState;

// One authenticated Open API call as a method handler sees it.
struct SimCall
{
    QString method;
    ApiParams params;
    QDateTime realNow; // the injected clock
    QDateTime fleetNow; // the fleet's time, whole seconds
    QString userId; // the token's user

    QString param(const QString &key) const { return params.value(key); }
    QString param(const char *key) const { return params.value(QLatin1String(key)); }
};

using SimHandler = std::function<SimReply(const SimCall &)>;
using SimHandlerTable = QHash<QString, SimHandler>;

// What the method handlers share. Not owned.
struct SimContext
{
    const SimServerConfig *config = nullptr;
    const SimFleet *fleet = nullptr;
    SimState *state = nullptr;
    Clock *clock = nullptr;
    // "127.0.0.1:PORT" of the running server, for URLs the API hands out.
    std::function<QString()> hostPort;
    // "127.0.0.1:PORT" of the media server, for the stream URLs.
    std::function<QString()> streamHostPort;
};

} // namespace Fleet::Sim
