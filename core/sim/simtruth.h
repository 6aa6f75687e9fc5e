#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

namespace Fleet::Sim {

class SimFleet;

// Ground truth for tests and demos (GET /sim/truth): what SimFleet says
// happened, in plain JSON with ISO-8601 UTC times and numbers as numbers —
// deliberately NOT the cloud's shapes, so a test compares against facts.
namespace SimTruth {

QJsonObject deviceFacts(const SimFleet &fleet, int index);

// parts: any of "fixes", "trips", "stops", "alarms"; empty = all.
QJsonObject deviceHistory(const SimFleet &fleet, int index, const QDateTime &from, const QDateTime &to,
                          const QStringList &parts);

} // namespace SimTruth

} // namespace Fleet::Sim
