#pragma once

#include "domain/commandcatalog.h"
#include "domain/commandtracking.h"
#include "sync/commandsender.h"

#include <QColor>
#include <QString>

namespace Fleet::CommandWords {

// What the window says about commands: core gives codes, these word them.
QString stateName(CommandState state);
// One sentence on what a state means for the dispatcher ("The cloud keeps
// it until the device is back online.").
QString stateMeaning(CommandState state);
// A colour that sets a state apart in lists (invalid: the palette's text).
QColor stateColor(CommandState state);
// The command's name: ours translated, the cloud's as it gave it.
QString entryName(const CommandEntry &entry);
QString entryExplain(const CommandEntry &entry);
QString paramLabel(const CommandParam &param);
QString issueText(const ParamIssue &issue, const QList<CommandParam> &params);
QString refusalText(const CommandRefusal &refusal, const CommandEntry &entry);
// What a dangerous command does to the vehicle.
QString dangerConsequence(CommandDanger danger);
// The confirmation's button: "Cut fuel on 3 vehicles".
QString dangerAction(CommandDanger danger, int vehicles);
QString dangerTitle(CommandDanger danger);

} // namespace Fleet::CommandWords
