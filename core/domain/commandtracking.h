#pragma once

#include "command.h"
#include "commandcatalog.h"

#include <QDateTime>
#include <QLatin1String>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Fleet {

// Where a sent command stands (commands.state). See docs/COMMANDS.md.
//
//   sending ─▶ accepted ─▶ queued ─▶ delivered ─▶ answered
//      │           │          │          │       ▶ failed
//      └───────────┴──────────┴──────────┴─────▶ cancelled / offline / timed_out
//
// A state only moves forward (advanceCommandState). Answered, failed and
// cancelled are final; timed_out and offline are final for the tracker (it
// stops asking) but a later answer from the cloud still replaces them: a late
// reply, or an offline command the cloud queued after all (msgType 2).
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
// stays, except timed_out and offline, which a later answer (answered,
// failed, cancelled) replaces. A queued command never times out (the cloud
// still holds it). Unknown never replaces a known state.
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

// One row of commands: a command FleetDesk sent (written first as sending,
// then as the cloud answers), or one the cloud reported that FleetDesk did
// not send (fromFleetDesk false: flagged in the list, never dropped).
//
// As a write (IngestBatch::commands, by clientKey): a new key adds the row;
// a known one moves its state by advanceCommandState and fills in what the
// record carries (the cloud's code and words, server flag id, reply,
// deadline); empty fields keep what is stored.
struct CommandRecord
{
    qint64 id = 0; // read only
    QString clientKey; // FleetDesk's id of the command (a UUID)
    QString batchKey; // one "send" to several vehicles
    QString imei;
    bool fromFleetDesk = true;
    CommandRoute route = CommandRoute::Template;
    QString templateId;
    QString templateName;
    QString text; // the command as the device gets it; raw: the hex
    QString paramsJson; // the values as typed, a JSON array
    CommandDanger danger = CommandDanger::None;
    QString operatorName;
    QDateTime sentTime;
    CommandState state = CommandState::Sending;
    QDateTime stateTime; // read only: when the state last changed
    std::optional<int> resultCode; // the cloud's code (send error, gateway or push _code)
    QString resultMessage; // the cloud's words, verbatim
    QString serverFlagId; // the gateway's _serverFlagId
    QString reply; // the device's answer text
    QDateTime replyTime; // read only
    QDateTime deadline; // when the tracker gives up waiting
    QString sender; // read only: the account the cloud names
    QString deviceName; // read only: the vehicle's name

    friend bool operator==(const CommandRecord &, const CommandRecord &) = default;
};

// One answer of jimi.open.instruction.result for a device; the writer
// matches its rows to the commands sent (matchCommandResults).
struct CommandResultList
{
    QString imei;
    QList<CommandResult> results;

    friend bool operator==(const CommandResultList &, const CommandResultList &) = default;
};

// What the Commands list shows; empty fields do not filter.
struct CommandFilter
{
    QStringList imeis;
    QList<CommandState> states;
    QString text; // in the command, the answer, the template's name, the operator, the IMEI or the vehicle's name
    QString batchKey;
    QDateTime from; // listed time (sent, else answered) in [from, to]
    QDateTime to;
    enum class Origin { Any, FleetDesk, Cloud } origin = Origin::Any;
};

// Where a page of the list ends: the last row's listed time and id.
struct CommandCursor
{
    qint64 listedTime = 0;
    qint64 id = 0;
};

QLatin1String commandRouteKey(CommandRoute route); // "template", "gateway", "raw"
CommandRoute commandRouteFromKey(const QString &key);

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::CommandRecord)
