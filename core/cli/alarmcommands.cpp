#include "clicommands.h"
#include "cli.h"
#include "clisession.h"

#include "history/alarmexport.h"
#include "store/storereader.h"

#include <QBuffer>
#include <QCommandLineParser>

namespace Fleet::Cli {

namespace {

std::optional<qint64> alarmId(Session &session, const QCommandLineParser &parser)
{
    bool ok = false;
    const qint64 id = parser.value(QStringLiteral("id")).toLongLong(&ok);
    if (!ok || id <= 0) {
        session.say(QStringLiteral("--id: expected an alarm id (a positive number), got \"%1\"")
                        .arg(parser.value(QStringLiteral("id"))));
        return std::nullopt;
    }
    return id;
}

// --operator NAME, else the user logged in; never empty.
std::optional<QString> operatorOption(Session &session, const QCommandLineParser &parser)
{
    const QString name = parser.isSet(QStringLiteral("operator")) ? parser.value(QStringLiteral("operator")).trimmed()
                                                                  : osUserName();
    if (name.isEmpty()) {
        session.say(QStringLiteral("--operator: the name must not be empty"));
        return std::nullopt;
    }
    return name;
}

// --id and --operator, then the store opened: for the commands on one alarm.
int openForAlarm(Session &session, const QCommandLineParser &parser, qint64 *id, QString *operatorName)
{
    const std::optional<qint64> alarm = alarmId(session, parser);
    const std::optional<QString> name = alarm ? operatorOption(session, parser) : std::nullopt;
    if (!alarm || !name)
        return Usage;
    *id = *alarm;
    *operatorName = *name;
    return session.open(parser);
}

// ack and resolve: one step on an alarm's row, and every alarm folded into it.
int step(Session &session, const QCommandLineParser &parser, AlarmActionKind kind)
{
    qint64 id = 0;
    QString operatorName;
    if (const int rc = openForAlarm(session, parser, &id, &operatorName); rc != Success)
        return rc;
    const std::optional<AlarmDeskRow> before = session.reader().alarmDeskRow(id);
    if (!before) {
        session.say(QStringLiteral("alarm %1 does not exist").arg(id));
        return Usage;
    }
    const AlarmState target = kind == AlarmActionKind::Resolve ? AlarmState::Resolved : AlarmState::Acknowledged;
    if (before->state == target) {
        session.say(QStringLiteral("alarm %1 is already %2 (by %3)")
                        .arg(QString::number(before->id), alarmStateName(target), before->handledBy));
        return Success;
    }
    if (!alarmStepAllowed(before->state, target)) {
        session.say(QStringLiteral("alarm %1 is %2: it cannot be %3")
                        .arg(QString::number(before->id), alarmStateName(before->state), alarmStateName(target)));
        return Usage;
    }
    AlarmAction action;
    action.alarmId = id;
    action.kind = kind;
    action.operatorName = operatorName;
    action.note = parser.value(QStringLiteral("note"));
    IngestBatch batch;
    batch.alarmActions = {action};
    if (const int rc = session.commit(std::move(batch)); rc != Success)
        return rc;
    const std::optional<AlarmDeskRow> after = session.reader().alarmDeskRow(id);
    if (!after || after->state != target) {
        session.say(QStringLiteral("alarm %1 was not %2").arg(QString::number(id), alarmStateName(target)));
        return Failure;
    }
    const QString line = QStringLiteral("alarm %1 %2 by %3 (%4 alarm(s))\n")
                             .arg(QString::number(after->id), alarmStateName(target), after->handledBy)
                             .arg(after->count);
    return session.writeResult({}, line.toUtf8());
}

} // namespace

int alarmsList(Session &session, const QCommandLineParser &parser)
{
    const QString formatName =
        parser.isSet(QStringLiteral("format")) ? parser.value(QStringLiteral("format")) : QStringLiteral("csv");
    const std::optional<AlarmExport::Format> format = AlarmExport::formatFromName(formatName);
    if (!format) {
        session.say(QStringLiteral("--format: expected csv or json, got \"%1\"").arg(formatName));
        return Usage;
    }
    AlarmFilter filter;
    if (parser.isSet(QStringLiteral("state"))) {
        for (const QString &name : parser.value(QStringLiteral("state")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const std::optional<AlarmState> state = alarmStateFromName(name.trimmed());
            if (!state) {
                session.say(QStringLiteral("--state: expected new, acknowledged or resolved, got \"%1\"").arg(name));
                return Usage;
            }
            filter.states.append(*state);
        }
    }
    for (const auto &[option, time] : {std::pair{QStringLiteral("from"), &filter.from},
                                       std::pair{QStringLiteral("to"), &filter.to}}) {
        if (!parser.isSet(option))
            continue;
        const std::optional<QDateTime> t = isoTime(session, option, parser.value(option));
        if (!t)
            return Usage;
        *time = *t;
    }
    if (filter.from.isValid() && filter.to.isValid() && filter.to < filter.from) {
        session.say(QStringLiteral("--to is before --from"));
        return Usage;
    }
    if (parser.isSet(QStringLiteral("imei"))) {
        const std::optional<QStringList> imeis = imeiList(session, parser.value(QStringLiteral("imei")));
        if (!imeis)
            return Usage;
        filter.imeis = *imeis;
    }
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    const QList<AlarmDeskRow> rows = session.reader().alarmDesk(filter);
    if (!session.reader().errorString().isEmpty()) {
        session.say(QStringLiteral("alarms: %1").arg(session.reader().errorString()));
        return Failure;
    }
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    if (!AlarmExport::write(rows, AlarmSeverities(), *format, &buffer, &error)) {
        session.say(QStringLiteral("alarms: %1").arg(error));
        return Failure;
    }
    return session.writeResult(parser.value(QStringLiteral("output")), buffer.data());
}

int alarmsDeviceAck(Session &session, const QCommandLineParser &parser)
{
    const std::optional<int> timeout = timeoutOption(session, parser, 120);
    if (!timeout)
        return Usage;
    qint64 id = 0;
    QString operatorName;
    if (const int rc = openForAlarm(session, parser, &id, &operatorName); rc != Success)
        return rc;
    if (!session.hasInstructionGateway()) {
        session.say(QStringLiteral("device-ack needs the account's instruction gateway: [api] instruct_url in --config"));
        return Usage;
    }
    const QList<AlarmDeskRow> fold = session.reader().alarmFold(id);
    if (fold.isEmpty()) {
        session.say(QStringLiteral("alarm %1 does not exist").arg(id));
        return Usage;
    }
    const std::optional<DeviceAckRequest> request = deviceAckRequest(fold, operatorName);
    if (!request) {
        session.say(QStringLiteral("alarm %1 carries no serial number (alarmSerialNo): its device cannot be asked")
                        .arg(id));
        return Usage;
    }
    AlarmDeviceAck answer;
    if (!session.ackOnDevice(*request, &answer, *timeout)) {
        session.say(QStringLiteral("alarm %1: no answer from the gateway within %2 s (kept as 'sending')")
                        .arg(request->alarmId)
                        .arg(*timeout));
        return Failure;
    }
    const QString line = QStringLiteral("alarm %1 device %2 serial %3: %4%5%6\n")
                             .arg(QString::number(request->alarmId), request->imei, QString::number(request->serialNo),
                                  deviceAckResultName(answer.result),
                                  answer.code ? QStringLiteral(" (%1)").arg(*answer.code) : QString(),
                                  answer.message.isEmpty() ? QString() : QStringLiteral(" ") + answer.message);
    if (answer.result != DeviceAckResult::Confirmed) {
        session.say(line.trimmed());
        return Failure;
    }
    return session.writeResult({}, line.toUtf8());
}

int alarmsAck(Session &session, const QCommandLineParser &parser)
{
    return step(session, parser, AlarmActionKind::Acknowledge);
}

int alarmsResolve(Session &session, const QCommandLineParser &parser)
{
    return step(session, parser, AlarmActionKind::Resolve);
}

} // namespace Fleet::Cli
