#pragma once

#include "command.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Fleet {

// What a command does that a dispatcher must be warned about. Core names the
// kind; the UI words the consequence.
enum class CommandDanger {
    None,
    FuelCut, // cuts the fuel or power relay: the engine stops
    Reboot, // the device restarts and is away for a minute
    FactoryReset, // the device forgets its settings (server, APN, numbers)
};

QLatin1String commandDangerKey(CommandDanger danger); // "", "fuel_cut", "reboot", "factory_reset"
CommandDanger commandDangerFromKey(const QString &key);

// A command text as compared: spaces removed, upper case ("relay, 1 #" is RELAY,1#).
QString commandTextKey(const QString &text);

// The danger of a command's final text, from our table of the Concox/Jimi
// text command set: RELAY,1# and DYD,…# cut the relay; RESET# reboots;
// FACTORY#, FACTORYALL# and FORMAT# reset. Case and spaces are ignored.
CommandDanger commandDanger(const QString &text);

// One {N} placeholder of a template, as the form asks for it.
struct CommandParam
{
    enum class Type { Text, Integer, Choice, Phone };
    struct Choice
    {
        QString value;
        const char *label; // QT_TRANSLATE_NOOP("CommandCatalog", …)
        friend bool operator==(const Choice &, const Choice &) = default;
    };

    int index = 0;
    const char *label = nullptr; // ours (QT_TRANSLATE_NOOP); null: "Parameter N"
    Type type = Type::Text;
    std::optional<qint64> min;
    std::optional<qint64> max;
    const char *unit = nullptr; // "s", "km/h"
    QList<Choice> choices;
    bool required = true; // false: an empty value is sent as it is

    friend bool operator==(const CommandParam &, const CommandParam &) = default;
};

// Why a value cannot be sent; the UI and the CLI word it.
struct ParamIssue
{
    enum class Kind { Missing, Required, NotNumber, BelowMin, AboveMax, NotChoice, NotPhone, TooLong, WrongCount };
    int index = -1;
    Kind kind = Kind::Missing;
    friend bool operator==(const ParamIssue &, const ParamIssue &) = default;
};

// An English sentence for a ParamIssue (the CLI's; the UI has its own).
QString describeParamIssue(const ParamIssue &issue, const QList<CommandParam> &params);

// How a command reaches the device.
enum class CommandRoute {
    Template, // jimi.open.instruction.send with the template's id
    Gateway, // Appendix A's universal text command (proNo 128)
    Raw, // jimi.open.instruction.raw.send (hex)
};

// One entry of the "Send command" list: a template from the cloud, or one of
// our named text commands sent through the model's user-defined template
// ({0}) or, without one, through the gateway.
struct CommandEntry
{
    CommandTemplate tmpl; // ours: id "" (or the user-defined template's), content = our text
    QString key; // ours: "relay.cut", "where", ...; "" for the cloud's
    bool fromCloud = true;
    CommandRoute route = CommandRoute::Template;
    QList<CommandParam> params;
    CommandDanger staticDanger = CommandDanger::None; // regardless of values (RESET#)
    const char *ourName = nullptr; // QT_TRANSLATE_NOOP; the cloud's name otherwise
    const char *ourExplain = nullptr;
    QString userDefinedContent; // ours through the template: its "{0}" as the cloud lists it

    // The distinct placeholders' count: {0}…{N-1} (a gap still asks for a value).
    int paramCount() const { return int(params.size()); }
    // Issues of the values, empty when they may be sent.
    QList<ParamIssue> validate(const QStringList &values) const;
    // The text the device gets: the template with {N} replaced, verbatim.
    QString fill(const QStringList &values) const;
    // What the template and values send as inst_param_json: for one of ours
    // through the user-defined template, the text is its one param.
    CommandRequest request(const QStringList &values) const;
    CommandDanger danger(const QStringList &values) const;
};

// The {N} indices a template uses, ascending and distinct.
QList<int> templatePlaceholders(const QString &content);

// The form of one cloud template: a param per placeholder, typed and ranged
// where our table knows the command (RELAY, TIMER, SPEED, SOS, the
// user-defined {0}), else plain text labelled by position.
CommandEntry commandEntry(const CommandTemplate &tmpl);

// The list for a model: the cloud's templates, then our named text commands
// that the list lacks (by text) and that fit the model's family. Ours go
// through the list's user-defined template ({0}) when it has one, else
// through the gateway when hasGateway, else they are left out.
QList<CommandEntry> commandCatalog(const QList<CommandTemplate> &cloud, const QString &model, bool hasGateway);

// Finds an entry by template id, our key, or name (case-insensitive).
const CommandEntry *findCommandEntry(const QList<CommandEntry> &catalog, const QString &idOrName);

// Whether a raw command is bytes in hex ("0B02C3A4"; spaces allowed).
std::optional<QString> normaliseRawHex(const QString &text);

} // namespace Fleet
