#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace Fleet::Sim {

// The fleet time a simulated cloud starts at, as `--fleet-start` gives it to
// fleetdesk-sim and fleetdesk: "now" (the clock's time) or an ISO 8601 time
// ("2026-12-02T10:00:00Z"; without an offset it is local time). nullopt, with
// *error saying why, for anything else.
std::optional<QDateTime> parseFleetStart(const QString &text, const QDateTime &nowUtc, QString *error = nullptr);

// The demo's default fleet start: the most recent weekday (Monday to Friday)
// in the fleet's local time (UTC + utcOffsetSecs; today on a weekday), at
// now's time of day if that lies between 07:00 and 18:00, otherwise at 10:00
// (Saturday 12:00 is Friday 12:00; Wednesday 23:30 is Wednesday 10:00). So a good share of
// the fleet is on the road whenever the demo is opened: at night, at the
// weekend, on any day of the year. Whole seconds, UTC.
QDateTime demoFleetStart(const QDateTime &nowUtc, int utcOffsetSecs);

} // namespace Fleet::Sim
