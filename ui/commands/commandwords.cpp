#include "commandwords.h"

#include <QCoreApplication>

namespace Fleet::CommandWords {

namespace {

QString tr(const char *text, const char *comment = nullptr, int n = -1)
{
    return QCoreApplication::translate("CommandWords", text, comment, n);
}

} // namespace

QString stateName(CommandState state)
{
    switch (state) {
    case CommandState::Sending: return tr("Sending");
    case CommandState::Accepted: return tr("Accepted by the cloud");
    case CommandState::Queued: return tr("Queued (device offline)");
    case CommandState::Delivered: return tr("Delivered");
    case CommandState::Answered: return tr("Answered");
    case CommandState::Failed: return tr("Failed");
    case CommandState::TimedOut: return tr("Timed out");
    case CommandState::Offline: return tr("Device offline");
    case CommandState::Cancelled: return tr("Cancelled");
    case CommandState::Unknown: break;
    }
    return tr("Unknown");
}

QString stateMeaning(CommandState state)
{
    switch (state) {
    case CommandState::Sending: return tr("Sent to the cloud; no answer yet.");
    case CommandState::Accepted: return tr("The cloud took the command and passes it to the device.");
    case CommandState::Queued: return tr("The device is offline: the cloud keeps the command until it is back.");
    case CommandState::Delivered: return tr("The device received the command; its answer has not come yet.");
    case CommandState::Answered: return tr("The device answered.");
    case CommandState::Failed: return tr("The cloud or the device refused the command.");
    case CommandState::TimedOut:
        return tr("No answer came in time. A late answer from the device still shows here.");
    case CommandState::Offline:
        return tr("The device is offline and the cloud did not keep the command. Send it again once it is back.");
    case CommandState::Cancelled: return tr("A newer command for the offline device replaced this one.");
    case CommandState::Unknown: break;
    }
    return tr("The cloud's answer said nothing about the outcome.");
}

QColor stateColor(CommandState state)
{
    switch (state) {
    case CommandState::Answered: return QColor(0x2e, 0x7d, 0x32);
    case CommandState::Failed:
    case CommandState::TimedOut:
    case CommandState::Offline: return QColor(0xc6, 0x28, 0x28);
    case CommandState::Queued:
    case CommandState::Cancelled: return QColor(0xb2, 0x6a, 0x00);
    default: break;
    }
    return {};
}

QString entryName(const CommandEntry &entry)
{
    if (entry.ourName)
        return QCoreApplication::translate("CommandCatalog", entry.ourName);
    return entry.tmpl.name.isEmpty() ? entry.tmpl.content : entry.tmpl.name;
}

QString entryExplain(const CommandEntry &entry)
{
    if (entry.ourExplain)
        return QCoreApplication::translate("CommandCatalog", entry.ourExplain);
    return entry.tmpl.explain;
}

QString paramLabel(const CommandParam &param)
{
    if (param.label)
        return QCoreApplication::translate("CommandCatalog", param.label);
    return tr("Parameter %1").arg(param.index + 1);
}

QString issueText(const ParamIssue &issue, const QList<CommandParam> &params)
{
    const CommandParam *p = nullptr;
    for (const CommandParam &c : params) {
        if (c.index == issue.index)
            p = &c;
    }
    const QString unit = p && p->unit ? QStringLiteral(" ") + QString::fromUtf8(p->unit) : QString();
    switch (issue.kind) {
    case ParamIssue::Kind::Missing:
    case ParamIssue::Kind::Required: return tr("Required.");
    case ParamIssue::Kind::NotNumber: return tr("A whole number, please.");
    case ParamIssue::Kind::BelowMin: return tr("At least %1%2.").arg(p && p->min ? *p->min : 0).arg(unit);
    case ParamIssue::Kind::AboveMax: return tr("At most %1%2.").arg(p && p->max ? *p->max : 0).arg(unit);
    case ParamIssue::Kind::NotChoice: return tr("Choose one of the values.");
    case ParamIssue::Kind::NotPhone: return tr("A phone number: digits, with + first for an international one.");
    case ParamIssue::Kind::TooLong: return tr("At most 256 characters.");
    case ParamIssue::Kind::WrongCount: return tr("The command takes %n value(s).", nullptr, int(params.size()));
    }
    return {};
}

QString refusalText(const CommandRefusal &refusal, const CommandEntry &entry)
{
    using K = CommandRefusal::Kind;
    switch (refusal.kind) {
    case K::NoVehicles: return tr("No vehicle to send the command to (or the session is not running).");
    case K::NoOperator: return tr("No operator name is set.");
    case K::NotConfirmed: return tr("This command is dangerous and was not confirmed.");
    case K::BadHex: return tr("Raw commands are bytes in hexadecimal, e.g. 0B02C3A4.");
    case K::NoGateway:
        return tr("This command needs the account's instruction gateway, which is not set up (File ▸ Account).");
    case K::BadValues: {
        QStringList lines;
        for (const ParamIssue &i : refusal.issues)
            lines.append(i.index >= 0 ? QStringLiteral("%1: %2").arg(paramLabel(entry.params.value(i.index)),
                                                                       issueText(i, entry.params))
                                      : issueText(i, entry.params));
        return lines.join(QLatin1Char('\n'));
    }
    }
    return {};
}

QString dangerConsequence(CommandDanger danger)
{
    switch (danger) {
    case CommandDanger::FuelCut:
        return tr("The relay cuts the fuel or power supply: the engine stops and cannot be started until the "
                  "supply is restored. A vehicle on the move loses its engine, and with it power steering and "
                  "brake assist.");
    case CommandDanger::Reboot:
        return tr("The device restarts: it stops reporting for about a minute, and commands and alarms in "
                  "that time are lost.");
    case CommandDanger::FactoryReset:
        return tr("The device forgets its settings (server, APN, numbers) or its recordings, and may never "
                  "report again without someone at the vehicle.");
    case CommandDanger::None: break;
    }
    return {};
}

QString dangerAction(CommandDanger danger, int vehicles)
{
    switch (danger) {
    case CommandDanger::FuelCut: return tr("Cut fuel on %n vehicle(s)", nullptr, vehicles);
    case CommandDanger::Reboot: return tr("Restart %n device(s)", nullptr, vehicles);
    case CommandDanger::FactoryReset: return tr("Reset %n device(s)", nullptr, vehicles);
    case CommandDanger::None: break;
    }
    return tr("Send to %n vehicle(s)", nullptr, vehicles);
}

QString dangerTitle(CommandDanger danger)
{
    switch (danger) {
    case CommandDanger::FuelCut: return tr("Cut the fuel or power?");
    case CommandDanger::Reboot: return tr("Restart the device?");
    case CommandDanger::FactoryReset: return tr("Reset the device?");
    case CommandDanger::None: break;
    }
    return tr("Send the command?");
}

} // namespace Fleet::CommandWords
