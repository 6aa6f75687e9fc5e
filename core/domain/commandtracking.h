#pragma once

#include "command.h"

#include <QDateTime>
#include <QLatin1String>
#include <QList>
#include <QString>

#include <optional>

namespace Fleet {

// Where a sent command stands (commands.state). See docs/COMMANDS.md.
//
//   sending ─▶ accepted ─▶ queued ─▶ delivered ─▶ answered
//      │           │          │          │       ▶ failed
//      └───────────┴──────────┴──────────┴─────▶ cancelled / offline / timed_out
//
// A state only moves forward (advanceCommandState). Answered, failed,
// cancelled and offline are final; timed_out is final for the tracker (it
// stops asking) but a late answer from the cloud still replaces it.
enum class CommandState {
    Sending, // the row is written, the call is out: its fate is unknown
    Accepted, // the cloud took it ("command is successfully sent.")
    Queued, // the cloud keeps it until the offline device is back (isExecute 3)
    Delivered, // the device got it (the gateway's 100 without text, isExecute 1 without text)
    Answered, // the device answered: reply_content holds its text
    Failed, // the cloud or the device refused it (12005, isExecute 0, _code 200)
    TimedOut, // no answer before the deadline (or the cloud's 225 / _code 600)
    Offline, // the device is offline and the cloud did not queue it (228, _code 300)
    Cancelled, // replaced by a newer offline command (is_cover), isExecute 4
    Unknown, // an answer that said nothing about the outcome
};

QLatin1String commandStateKey(CommandState state); // "sending", "accepted", ..., "timed_out"
std::optional<CommandState> commandStateFromKey(const QString &key);
// Answered, failed, cancelled, offline and timed_out: the tracker stops asking.
bool isFinalCommandState(CommandState state);

// The state after `next` was learnt of a command in `current`. Forward only:
// sending < accepted < queued < delivered < the final states; a final state
// stays, except timed_out, which a later answer (answered, failed,
// cancelled) replaces. Unknown never replaces a known state.
CommandState advanceCommandState(CommandState current, CommandState next);

// The state instruction.send's error means: 12005 "… Result code：228" is
// offline, 225 a timeout; anything else failed.
CommandState commandStateFromSendError(int code, const QString &message);
// The gateway's data._code (Appendix A) and /pushInstructResponse's _code.
CommandState commandStateFromGateway(std::optional<int> code, const QString &content);
// One row of jimi.open.instruction.result.
CommandState commandStateFromResult(const CommandResult &result);

// The identity of a row of instruction.result (it carries no request id):
// the command text, trimmed and upper-cased, and its sendTime in seconds.
QString commandResultKey(const CommandResult &result);
QString commandTextKey(const QString &text);

// A command FleetDesk sent through instruction.send, as the matcher sees it.
struct SentCommand
{
    qint64 id = 0;
    QString text; // the filled command text
    QDateTime sentTime; // our clock, when the row was written
    QString resultKey; // the instruction.result row it was matched to, if any
};

// Which sent command one result row belongs to (commandId 0: none).
struct CommandMatch
{
    int result = -1; // index into the results
    qint64 commandId = 0;
};

// Matches instruction.result rows to the commands sent to that device
// (docs/COMMANDS.md, "Matching results"):
//  1. A row whose key a command already holds belongs to that command.
//  2. The other rows are matched per command text (case and spaces ignored)
//     to the commands of that text that hold no key, in time order: of all
//     pairings that keep both lists' order and pair only within windowSecs
//     (the cloud's clock against ours), the one with the most pairs and then
//     the least total time difference wins. So two identical commands sent a
//     minute apart take their own results, even when only the later one is
//     listed yet.
//  3. A row that finds no command is returned with commandId 0: stored as a
//     command FleetDesk did not send, flagged, never dropped.
// Every result appears once in the answer, in the order given.
QList<CommandMatch> matchCommandResults(const QList<SentCommand> &sent, const QList<CommandResult> &results,
                                        int windowSecs = 120);

} // namespace Fleet
