// command templates / send / status, and locate: the device commands of the
// desktop's "Send command" dialog and "Locate now", for scripts.

#include "clicommands.h"
#include "cli.h"
#include "clisession.h"

#include "history/trackexport.h"
#include "store/ingestbatch.h"
#include "store/storereader.h"
#include "sync/commandsender.h"
#include "sync/locatenow.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace Fleet::Cli {

using TrackExport::csvText;

namespace {

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QString paramText(const CommandParam &p)
{
    QString s = p.label ? QString::fromLatin1(p.label) : QStringLiteral("Parameter %1").arg(p.index + 1);
    switch (p.type) {
    case CommandParam::Type::Text: s += QStringLiteral(" (text)"); break;
    case CommandParam::Type::Phone: s += QStringLiteral(" (phone)"); break;
    case CommandParam::Type::Integer:
        s += QStringLiteral(" (%1..%2%3)")
                 .arg(p.min.value_or(0))
                 .arg(p.max.value_or(0))
                 .arg(p.unit ? QStringLiteral(" ") + QString::fromUtf8(p.unit) : QString());
        break;
    case CommandParam::Type::Choice: {
        QStringList values;
        for (const CommandParam::Choice &c : p.choices)
            values.append(c.value);
        s += QStringLiteral(" (%1)").arg(values.join(QLatin1Char('|')));
        break;
    }
    }
    if (!p.required)
        s += QStringLiteral(" optional");
    return s;
}

// The model's catalogue for one IMEI (the cloud's list, cached per model).
struct Catalogs
{
    Session &session;
    int timeoutSecs;
    QHash<QString, QList<CommandEntry>> byModel;

    std::optional<QList<CommandEntry>> of(const QString &imei)
    {
        const std::optional<Device> device = session.reader().device(imei);
        const QString model = device ? device->model : QString();
        const QString key = model.isEmpty() ? imei : model;
        if (const auto it = byModel.constFind(key); it != byModel.cend())
            return *it;
        QList<CommandTemplate> templates;
        QString error;
        if (!session.commandTemplates(imei, timeoutSecs, &templates, &error)) {
            session.say(QStringLiteral("%1: the command list could not be had: %2").arg(imei, error));
            return std::nullopt;
        }
        const QList<CommandEntry> catalog = commandCatalog(templates, model, session.hasInstructionGateway());
        byModel.insert(key, catalog);
        return catalog;
    }
};

bool failedState(CommandState s)
{
    return s == CommandState::Failed || s == CommandState::TimedOut || s == CommandState::Offline
        || s == CommandState::Cancelled || s == CommandState::Unknown;
}

QString describe(const CommandRecord &r)
{
    QString line = QStringLiteral("%1 %2 #%3 %4").arg(r.imei, QString(commandStateKey(r.state))).arg(r.id).arg(r.text);
    if (!r.reply.isEmpty())
        line += QStringLiteral(": ") + r.reply;
    else if (!r.resultMessage.isEmpty())
        line += QStringLiteral(" (") + r.resultMessage + QLatin1Char(')');
    return line;
}

} // namespace

int commandTemplates(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> format = csvOrJson(session, parser);
    const std::optional<int> timeout = format ? timeoutOption(session, parser, 60) : std::nullopt;
    if (!timeout)
        return Usage;
    const QString imei = parser.value(QStringLiteral("imei")).trimmed();
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (!session.hasCloud()) {
        session.say(QStringLiteral("command templates needs --config with an [api] section"));
        return Usage;
    }
    if (const int rc = session.requireDevices({imei}); rc != Success)
        return rc;
    Catalogs catalogs{session, *timeout, {}};
    const std::optional<QList<CommandEntry>> catalog = catalogs.of(imei);
    if (!catalog)
        return Failure;

    QByteArray bytes;
    if (*format == QLatin1String("json")) {
        QJsonArray rows;
        for (const CommandEntry &e : *catalog) {
            QJsonArray params;
            for (const CommandParam &p : e.params)
                params.append(paramText(p));
            rows.append(QJsonObject{{QStringLiteral("id"), e.fromCloud ? e.tmpl.id : e.key},
                                    {QStringLiteral("name"), e.tmpl.name},
                                    {QStringLiteral("template"), e.tmpl.content},
                                    {QStringLiteral("description"), e.tmpl.explain},
                                    {QStringLiteral("params"), params},
                                    {QStringLiteral("offline"), e.tmpl.offlineCapable.value_or(false)},
                                    {QStringLiteral("source"), e.fromCloud ? QStringLiteral("cloud") : QStringLiteral("fleetdesk")},
                                    {QStringLiteral("route"), QString(commandRouteKey(e.route))},
                                    {QStringLiteral("danger"), QString(commandDangerKey(e.staticDanger))}});
        }
        bytes = QJsonDocument(rows).toJson(QJsonDocument::Indented);
    } else {
        QString csv = QStringLiteral("id,name,template,params,offline,source,route,danger,description\n");
        for (const CommandEntry &e : *catalog) {
            QStringList params;
            for (const CommandParam &p : e.params)
                params.append(paramText(p));
            csv += QStringList{csvText(e.fromCloud ? e.tmpl.id : e.key), csvText(e.tmpl.name), csvText(e.tmpl.content),
                               csvText(params.join(QStringLiteral("; "))),
                               e.tmpl.offlineCapable.value_or(false) ? QStringLiteral("1") : QStringLiteral("0"),
                               e.fromCloud ? QStringLiteral("cloud") : QStringLiteral("fleetdesk"),
                               QString(commandRouteKey(e.route)), QString(commandDangerKey(e.staticDanger)),
                               csvText(e.tmpl.explain)}
                       .join(QLatin1Char(','))
                + QLatin1Char('\n');
        }
        bytes = csv.toUtf8();
    }
    return session.writeResult(parser.value(QStringLiteral("output")), bytes);
}

int commandSend(Session &session, const QCommandLineParser &parser)
{
    const bool raw = parser.isSet(QStringLiteral("raw"));
    if (raw == parser.isSet(QStringLiteral("template"))) {
        session.say(QStringLiteral("command send needs --template ID|NAME or --raw HEX (one of them)"));
        return Usage;
    }
    if (raw && parser.isSet(QStringLiteral("param"))) {
        session.say(QStringLiteral("--param goes with --template, not with --raw"));
        return Usage;
    }
    std::optional<int> wait = 0;
    if (parser.isSet(QStringLiteral("wait"))) {
        bool ok = false;
        wait = parser.value(QStringLiteral("wait")).toInt(&ok);
        if (!ok || *wait < 1 || *wait > kMaxTimeoutSecs) {
            session.say(QStringLiteral("--wait: seconds, 1 to %1, got \"%2\"")
                            .arg(kMaxTimeoutSecs)
                            .arg(parser.value(QStringLiteral("wait"))));
            return Usage;
        }
    }
    const std::optional<QStringList> imeis = imeiList(session, parser.value(QStringLiteral("imei")));
    const std::optional<QString> who = imeis ? operatorOption(session, parser) : std::nullopt;
    const std::optional<int> timeout = who ? timeoutOption(session, parser, 60) : std::nullopt;
    if (!timeout)
        return Usage;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (!session.hasCloud()) {
        session.say(QStringLiteral("command send needs --config with an [api] section"));
        return Usage;
    }
    if (const int rc = session.requireDevices(*imeis); rc != Success)
        return rc;

    // One order per template the IMEIs' models resolve the name to.
    QList<CommandOrder> orders;
    const QString wanted = parser.value(QStringLiteral("template"));
    if (raw) {
        CommandOrder o;
        o.imeis = *imeis;
        o.rawHex = parser.value(QStringLiteral("raw"));
        o.operatorName = *who;
        o.confirmed = parser.isSet(QStringLiteral("yes"));
        orders.append(o);
    } else {
        Catalogs catalogs{session, *timeout, {}};
        for (const QString &imei : *imeis) {
            const std::optional<QList<CommandEntry>> catalog = catalogs.of(imei);
            if (!catalog)
                return Failure;
            const CommandEntry *entry = findCommandEntry(*catalog, wanted);
            if (!entry) {
                session.say(QStringLiteral("%1: its model has no command \"%2\" (see command templates --imei %1)")
                                .arg(imei, wanted));
                return Usage;
            }
            auto same = std::find_if(orders.begin(), orders.end(), [&](const CommandOrder &o) {
                return o.entry.tmpl == entry->tmpl && o.entry.key == entry->key && o.entry.route == entry->route;
            });
            if (same != orders.end()) {
                same->imeis.append(imei);
                continue;
            }
            CommandOrder o;
            o.imeis = {imei};
            o.entry = *entry;
            o.values = parser.values(QStringLiteral("param"));
            o.operatorName = *who;
            o.confirmed = parser.isSet(QStringLiteral("yes"));
            orders.append(o);
        }
    }

    QStringList batches;
    for (const CommandOrder &o : std::as_const(orders)) {
        QString batchKey;
        const std::optional<CommandRefusal> refusal = session.sendCommand(o, &batchKey);
        if (refusal) {
            session.say(QStringLiteral("%1: %2").arg(o.imeis.join(QLatin1Char(',')), refusal->describe(o.entry)));
            return batches.isEmpty() ? Usage : Failure; // what was sent before is in the store
        }
        batches.append(batchKey);
    }
    // Each state change as it comes; then the rows as they stand.
    const QList<CommandRecord> rows = session.followCommands(
        batches, *wait, [&session](const CommandRecord &r) { session.say(describe(r)); });
    // The outcome: one CSV row per vehicle. Exit 0 when every vehicle answered
    // (without --wait: when the cloud took every command), else 1.
    int rc = Success;
    QString csv = QStringLiteral("id,imei,vehicle,state,command,cloud_message,reply\n");
    for (const CommandRecord &r : rows) {
        csv += QStringList{QString::number(r.id), r.imei, csvText(r.deviceName), QString(commandStateKey(r.state)),
                           csvText(r.text), csvText(r.resultMessage), csvText(r.reply)}
                   .join(QLatin1Char(','))
            + QLatin1Char('\n');
        const bool answered = r.state == CommandState::Answered;
        if (failedState(r.state) || r.state == CommandState::Sending || (*wait > 0 && !answered)) {
            if (!failedState(r.state))
                session.say(QStringLiteral("%1: not answered within %2 s (%3)")
                                .arg(r.imei)
                                .arg(*wait)
                                .arg(QString(commandStateKey(r.state))));
            rc = Failure;
        }
    }
    const int written = session.writeResult(parser.value(QStringLiteral("output")), csv.toUtf8());
    return written != Success ? written : rc;
}

int commandStatus(Session &session, const QCommandLineParser &parser)
{
    bool ok = false;
    const qint64 id = parser.value(QStringLiteral("id")).toLongLong(&ok);
    if (!ok || id <= 0) {
        session.say(QStringLiteral("--id: expected a command id (a positive number), got \"%1\"")
                        .arg(parser.value(QStringLiteral("id"))));
        return Usage;
    }
    const std::optional<QString> format = csvOrJson(session, parser);
    const std::optional<int> timeout = format ? timeoutOption(session, parser, 60) : std::nullopt;
    if (!timeout)
        return Usage;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    std::optional<CommandRecord> row = session.reader().command(id);
    if (!row) {
        session.say(QStringLiteral("--id: no command %1 in the store").arg(id));
        return Usage;
    }
    // Still open: ask the cloud once what became of it.
    if (session.hasCloud() && row->fromFleetDesk && !isFinalCommandState(row->state) && row->route != CommandRoute::Raw) {
        session.askAboutCommands(row->imei, *timeout);
        row = session.reader().command(id);
    }
    const CommandRecord &r = *row;
    QByteArray bytes;
    if (*format == QLatin1String("json")) {
        bytes = QJsonDocument(QJsonObject{
                                  {QStringLiteral("id"), r.id},
                                  {QStringLiteral("imei"), r.imei},
                                  {QStringLiteral("vehicle"), r.deviceName},
                                  {QStringLiteral("state"), QString(commandStateKey(r.state))},
                                  {QStringLiteral("sent_utc"), timeText(r.sentTime)},
                                  {QStringLiteral("operator"), r.operatorName},
                                  {QStringLiteral("command"), r.text},
                                  {QStringLiteral("template"), r.templateName},
                                  {QStringLiteral("route"), QString(commandRouteKey(r.route))},
                                  {QStringLiteral("danger"), QString(commandDangerKey(r.danger))},
                                  {QStringLiteral("cloud_code"), r.resultCode ? QJsonValue(*r.resultCode) : QJsonValue()},
                                  {QStringLiteral("cloud_message"), r.resultMessage},
                                  {QStringLiteral("reply"), r.reply},
                                  {QStringLiteral("reply_utc"), timeText(r.replyTime)},
                                  {QStringLiteral("from_fleetdesk"), r.fromFleetDesk},
                              })
                    .toJson(QJsonDocument::Indented);
    } else {
        bytes = (QStringLiteral("id,imei,vehicle,state,sent_utc,operator,command,template,cloud_code,cloud_message,"
                                "reply,reply_utc,from_fleetdesk\n")
                 + QStringList{QString::number(r.id), r.imei, csvText(r.deviceName), QString(commandStateKey(r.state)),
                               timeText(r.sentTime), csvText(r.operatorName), csvText(r.text), csvText(r.templateName),
                               r.resultCode ? QString::number(*r.resultCode) : QString(), csvText(r.resultMessage),
                               csvText(r.reply), timeText(r.replyTime),
                               r.fromFleetDesk ? QStringLiteral("1") : QStringLiteral("0")}
                       .join(QLatin1Char(','))
                 + QLatin1Char('\n'))
                    .toUtf8();
    }
    const int written = session.writeResult(parser.value(QStringLiteral("output")), bytes);
    if (written != Success)
        return written;
    return failedState(r.state) ? Failure : Success;
}

int deviceUpdate(Session &session, const QCommandLineParser &parser)
{
    const QString imei = parser.value(QStringLiteral("imei")).trimmed();
    const std::optional<int> timeout = timeoutOption(session, parser, 60);
    if (!timeout)
        return Usage;
    DeviceUpdate u;
    const auto take = [&parser](const char *option, std::optional<QString> *field) {
        if (parser.isSet(QLatin1String(option)))
            *field = parser.value(QLatin1String(option));
    };
    take("name", &u.deviceName);
    take("vehicle-name", &u.vehicleName);
    take("plate", &u.plate);
    take("icon", &u.vehicleIcon);
    take("driver", &u.driverName);
    take("driver-phone", &u.driverPhone);
    take("sim", &u.sim);
    take("remarks", &u.remarks);
    if (parser.isSet(QStringLiteral("mileage"))) {
        bool ok = false;
        const double km = parser.value(QStringLiteral("mileage")).toDouble(&ok);
        if (!ok || !std::isfinite(km) || km < 0 || km > 10'000'000) {
            session.say(QStringLiteral("--mileage: kilometres, 0 or more, got \"%1\"")
                            .arg(parser.value(QStringLiteral("mileage"))));
            return Usage;
        }
        u.mileageKm = km;
    }
    if (isEmptyUpdate(u)) {
        session.say(QStringLiteral("device update needs at least one field to change (see --help)"));
        return Usage;
    }
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (!session.hasCloud()) {
        session.say(QStringLiteral("device update needs --config with an [api] section"));
        return Usage;
    }
    if (const int rc = session.requireDevices({imei}); rc != Success)
        return rc;
    AdminOutcome outcome;
    if (!session.updateDevice(imei, u, *timeout, &outcome)) {
        session.say(QStringLiteral("%1: no answer from the cloud within %2 s").arg(imei).arg(*timeout));
        return Failure;
    }
    if (!outcome.ok) {
        session.say(QStringLiteral("%1: the cloud refused: %2%3")
                        .arg(imei, outcome.message,
                             outcome.code ? QStringLiteral(" (%1)").arg(*outcome.code) : QString()));
        return Failure;
    }
    if (!outcome.message.isEmpty())
        session.say(outcome.message);
    const std::optional<Device> d = session.reader().device(imei);
    session.say(QStringLiteral("%1: changed; the cloud now says: %2").arg(imei, d ? d->name : QString()));
    return Success;
}

int groupList(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> format = csvOrJson(session, parser);
    if (!format)
        return Usage;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    const QList<LocalGroup> groups = session.reader().localGroups();
    QByteArray bytes;
    if (*format == QLatin1String("json")) {
        QJsonArray rows;
        for (const LocalGroup &g : groups)
            rows.append(QJsonObject{{QStringLiteral("name"), g.name},
                                    {QStringLiteral("imeis"), QJsonArray::fromStringList(g.imeis)}});
        bytes = QJsonDocument(rows).toJson(QJsonDocument::Indented);
    } else {
        QString csv = QStringLiteral("group,imei\n");
        for (const LocalGroup &g : groups) {
            for (const QString &imei : g.imeis)
                csv += csvText(g.name) + QLatin1Char(',') + imei + QLatin1Char('\n');
            if (g.imeis.isEmpty())
                csv += csvText(g.name) + QStringLiteral(",\n");
        }
        bytes = csv.toUtf8();
    }
    return session.writeResult(parser.value(QStringLiteral("output")), bytes);
}

int groupChange(Session &session, const QCommandLineParser &parser)
{
    using K = LocalGroupChange::Kind;
    const QString verb = parser.positionalArguments().value(1);
    LocalGroupChange c;
    c.kind = verb == QLatin1String("create") ? K::Create
        : verb == QLatin1String("add")       ? K::Add
        : verb == QLatin1String("remove")    ? K::Remove
        : verb == QLatin1String("rename")    ? K::Rename
                                             : K::Delete;
    c.name = parser.value(QStringLiteral("group")).trimmed();
    c.newName = parser.value(QStringLiteral("new-name")).trimmed();
    if (c.name.isEmpty() || (c.kind == K::Rename && c.newName.isEmpty())) {
        session.say(QStringLiteral("group %1: the name must not be empty").arg(verb));
        return Usage;
    }
    if (parser.isSet(QStringLiteral("imei"))) {
        const std::optional<QStringList> imeis = imeiList(session, parser.value(QStringLiteral("imei")));
        if (!imeis)
            return Usage;
        c.imeis = *imeis;
    }
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (!c.imeis.isEmpty())
        if (const int rc = session.requireDevices(c.imeis); rc != Success)
            return rc;
    const QList<LocalGroup> groups = session.reader().localGroups();
    const auto named = [&groups](const QString &name) {
        return std::any_of(groups.cbegin(), groups.cend(),
                           [&](const LocalGroup &g) { return g.name.compare(name, Qt::CaseInsensitive) == 0; });
    };
    if (c.kind == K::Create && named(c.name)) {
        session.say(QStringLiteral("there is a group called %1 already").arg(c.name));
        return Usage;
    }
    if (c.kind != K::Create && !named(c.name)) {
        session.say(QStringLiteral("there is no group called %1 (group list shows them)").arg(c.name));
        return Usage;
    }
    if (c.kind == K::Rename && named(c.newName) && c.newName.compare(c.name, Qt::CaseInsensitive) != 0) {
        session.say(QStringLiteral("there is a group called %1 already").arg(c.newName));
        return Usage;
    }
    IngestBatch batch;
    batch.localGroups.append(c);
    return session.commit(std::move(batch));
}

int locate(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QStringList> imeis = imeiList(session, parser.value(QStringLiteral("imei")));
    const std::optional<int> timeout = imeis ? timeoutOption(session, parser, 60) : std::nullopt;
    if (!timeout)
        return Usage;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (!session.hasCloud()) {
        session.say(QStringLiteral("locate needs --config with an [api] section"));
        return Usage;
    }
    if (const int rc = session.requireDevices(*imeis); rc != Success)
        return rc;
    LocateOutcome outcome;
    if (!session.locate(*imeis, *timeout, &outcome)) {
        session.say(QStringLiteral("no answer from the cloud within %1 s").arg(*timeout));
        return Failure;
    }
    if (!outcome.error.isEmpty()) {
        session.say(outcome.error);
        return Failure;
    }
    QString csv = QStringLiteral("imei,gps_time_utc,lat,lng,speed_kmh,course_deg\n");
    const QList<Position> fixes = session.reader().latestPositions(*imeis);
    for (const QString &imei : *imeis) {
        if (outcome.withoutFix.contains(imei)) {
            session.say(QStringLiteral("%1: the cloud has no usable fix for it").arg(imei));
            continue;
        }
        for (const Position &p : fixes) {
            if (p.imei != imei)
                continue;
            csv += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                       .arg(imei, timeText(p.gpsTime), QString::number(p.lat, 'f', 6), QString::number(p.lng, 'f', 6),
                            p.speedKmh ? QString::number(*p.speedKmh, 'f', 1) : QString(),
                            p.courseDeg ? QString::number(*p.courseDeg, 'f', 0) : QString());
        }
    }
    const int written = session.writeResult(parser.value(QStringLiteral("output")), csv.toUtf8());
    if (written != Success)
        return written;
    return outcome.withoutFix.isEmpty() ? Success : Failure;
}

} // namespace Fleet::Cli
