// fleetdesk-cli's fleet administration: the cloud's groups, moving devices
// to another account, their expiry, and the app users bound to them. Every
// change goes to the cloud first; the store then holds what the cloud
// answered (administerFleet).

#include "clicommands.h"
#include "cli.h"
#include "clisession.h"

#include "history/trackexport.h"
#include "store/storereader.h"
#include "sync/fleetadmin.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Fleet::Cli {

namespace {

using Kind = FleetAdminRequest::Kind;
using TrackExport::csvText;

QString dayText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd")) : QString();
}

// Runs the request and says how it went: each refused device on its line,
// Success when the cloud did all of it, else Failure.
int runAdmin(Session &session, const QCommandLineParser &parser, const FleetAdminRequest &request, const QString &what)
{
    const std::optional<int> timeout = timeoutOption(session, parser, 120);
    if (!timeout)
        return Usage;
    if (const QString bad = checkAdminRequest(request); !bad.isEmpty()) {
        session.say(QStringLiteral("%1: %2").arg(what, bad));
        return Usage;
    }
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (!session.hasCloud()) {
        session.say(QStringLiteral("%1 needs --config with an [api] section").arg(what));
        return Usage;
    }
    if (!request.imeis.isEmpty())
        if (const int rc = session.requireDevices(request.imeis); rc != Success)
            return rc;
    AdminOutcome o;
    if (!session.administer(request, *timeout, &o)) {
        session.say(QStringLiteral("%1: no answer from the cloud within %2 s").arg(what).arg(*timeout));
        return Failure;
    }
    for (const auto &[imei, reason] : std::as_const(o.refused))
        session.say(QStringLiteral("%1: refused: %2").arg(imei, reason));
    if (!o.ok) {
        if (o.refused.isEmpty())
            session.say(QStringLiteral("%1: the cloud refused: %2%3")
                            .arg(what, o.message, o.code ? QStringLiteral(" (%1)").arg(*o.code) : QString()));
        return Failure;
    }
    if (!o.message.isEmpty())
        session.say(o.message);
    for (const QString &imei : std::as_const(o.changed))
        session.say(QStringLiteral("%1: done").arg(imei));
    if (!o.groupId.isEmpty())
        session.say(QStringLiteral("group %1 created").arg(o.groupId));
    return Success;
}

std::optional<QStringList> imeisOf(Session &session, const QCommandLineParser &parser)
{
    return imeiList(session, parser.value(QStringLiteral("imei")));
}

} // namespace

int cloudGroupList(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> format = csvOrJson(session, parser);
    const std::optional<int> timeout = format ? timeoutOption(session, parser, 60) : std::nullopt;
    if (!timeout)
        return Usage;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (session.hasCloud()) {
        // The group list as the cloud has it now, stored whole.
        FleetAdminRequest read;
        read.kind = Kind::ReadGroups;
        AdminOutcome o;
        if (!session.administer(read, *timeout, &o)) {
            session.say(QStringLiteral("cloud-group list: no answer from the cloud within %1 s").arg(*timeout));
            return Failure;
        }
        if (!o.ok) {
            session.say(QStringLiteral("cloud-group list: the cloud refused: %1").arg(o.message));
            return Failure;
        }
        if (!o.message.isEmpty())
            session.say(o.message);
    }
    QHash<QString, int> counts;
    for (const Device &d : session.reader().devices())
        ++counts[d.groupId];
    const QList<DeviceGroup> groups = session.reader().groups();
    QByteArray bytes;
    if (*format == QLatin1String("json")) {
        QJsonArray rows;
        for (const DeviceGroup &g : groups)
            rows.append(QJsonObject{{QStringLiteral("id"), g.id},
                                    {QStringLiteral("name"), g.name},
                                    {QStringLiteral("devices"), counts.value(g.id)}});
        bytes = QJsonDocument(rows).toJson(QJsonDocument::Indented);
    } else {
        QString csv = QStringLiteral("id,name,devices\n");
        for (const DeviceGroup &g : groups)
            csv += QStringLiteral("%1,%2,%3\n").arg(csvText(g.id), csvText(g.name)).arg(counts.value(g.id));
        bytes = csv.toUtf8();
    }
    return session.writeResult(parser.value(QStringLiteral("output")), bytes);
}

int cloudGroupChange(Session &session, const QCommandLineParser &parser)
{
    const QString verb = parser.positionalArguments().value(1);
    FleetAdminRequest r;
    r.kind = verb == QLatin1String("create") ? Kind::CreateGroup
        : verb == QLatin1String("rename")    ? Kind::RenameGroup
                                             : Kind::DeleteGroup;
    r.groupId = parser.value(QStringLiteral("id")).trimmed();
    r.name = parser.value(QStringLiteral("name"));
    return runAdmin(session, parser, r, QStringLiteral("cloud-group ") + verb);
}

int deviceMove(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QStringList> imeis = imeisOf(session, parser);
    if (!imeis)
        return Usage;
    FleetAdminRequest r;
    r.kind = Kind::MoveDevices;
    r.imeis = *imeis;
    r.toAccount = parser.value(QStringLiteral("to-account")).trimmed();
    r.clearBindings = parser.isSet(QStringLiteral("clear-bindings"));
    if (!parser.isSet(QStringLiteral("yes"))) {
        session.say(QStringLiteral("device move: the %1 device(s) leave this account's view for %2; "
                                   "add --yes to move them")
                        .arg(r.imeis.size())
                        .arg(r.toAccount));
        return Usage;
    }
    return runAdmin(session, parser, r, QStringLiteral("device move"));
}

int deviceExpiring(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> format = csvOrJson(session, parser);
    if (!format)
        return Usage;
    int days = 30;
    if (parser.isSet(QStringLiteral("days"))) {
        bool ok = false;
        days = parser.value(QStringLiteral("days")).toInt(&ok);
        if (!ok || days < 0 || days > 3650) {
            session.say(QStringLiteral("--days: 0 to 3650, got \"%1\"").arg(parser.value(QStringLiteral("days"))));
            return Usage;
        }
    }
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<Device> devices = session.reader().expiringDevices(now.addDays(days));
    QByteArray bytes;
    if (*format == QLatin1String("json")) {
        QJsonArray rows;
        for (const Device &d : devices)
            rows.append(QJsonObject{{QStringLiteral("imei"), d.imei},
                                    {QStringLiteral("name"), d.name},
                                    {QStringLiteral("expiration"), dayText(d.expiration)},
                                    {QStringLiteral("expired"), d.expiration <= now}});
        bytes = QJsonDocument(rows).toJson(QJsonDocument::Indented);
    } else {
        QString csv = QStringLiteral("imei,name,expiration,expired\n");
        for (const Device &d : devices)
            csv += QStringLiteral("%1,%2,%3,%4\n")
                       .arg(d.imei, csvText(d.name), dayText(d.expiration),
                            d.expiration <= now ? QStringLiteral("yes") : QStringLiteral("no"));
        bytes = csv.toUtf8();
    }
    return session.writeResult(parser.value(QStringLiteral("output")), bytes);
}

int deviceExtend(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QStringList> imeis = imeisOf(session, parser);
    if (!imeis)
        return Usage;
    FleetAdminRequest r;
    r.kind = Kind::ExtendExpiry;
    r.imeis = *imeis;
    r.expiration = QDate::fromString(parser.value(QStringLiteral("date")), QStringLiteral("yyyy-MM-dd"));
    if (!r.expiration.isValid()) {
        session.say(QStringLiteral("--date: YYYY-MM-DD, got \"%1\"").arg(parser.value(QStringLiteral("date"))));
        return Usage;
    }
    return runAdmin(session, parser, r, QStringLiteral("device extend"));
}

int deviceBind(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QStringList> imeis = imeisOf(session, parser);
    if (!imeis)
        return Usage;
    const QString verb = parser.positionalArguments().value(1);
    FleetAdminRequest r;
    r.kind = verb == QLatin1String("bind") ? Kind::BindUser : Kind::UnbindUser;
    r.imeis = *imeis;
    r.userId = parser.value(QStringLiteral("user")).trimmed();
    return runAdmin(session, parser, r, QStringLiteral("device ") + verb);
}

} // namespace Fleet::Cli
