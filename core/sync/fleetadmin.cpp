#include "fleetadmin.h"

#include "store/ingestbatch.h"
#include "store/storewriter.h"
#include "util/clock.h"
#include "util/logging.h"

#include <QPointer>

#include <memory>

namespace Fleet {

namespace {

AdminOutcome refusal(const ApiError &e)
{
    AdminOutcome o;
    o.message = e.message.isEmpty() ? e.toString() : e.message;
    if (e.apiCode != 0 || e.kind == ApiError::Kind::Api)
        o.code = e.apiCode;
    return o;
}

// A change the cloud made whose result could not be read back.
QString notReadBack(const ApiError &e)
{
    return QStringLiteral("Changed in the cloud; the next sync brings it here (%1).").arg(e.message);
}

using Kind = FleetAdminRequest::Kind;
using Finish = std::function<void(const AdminOutcome &)>;

// Writes batch and hands o, marked stored when it committed, to done.
void storeThen(StoreWriter *writer, IngestBatch batch, QObject *ctx, AdminOutcome o, const Finish &done)
{
    QPointer<QObject> guard(ctx);
    if (!writer || batch.isEmpty()) {
        done(o);
        return;
    }
    const bool queued = writer->write(std::move(batch), [o, done, guard](bool committed) mutable {
        if (!guard)
            return;
        o.stored = committed;
        done(o);
    });
    if (!queued)
        done(o);
}

// The account's group list (and device list) as the cloud now has them,
// into the store; o as the change left it.
void storeAccountLists(JimiApi *api, StoreWriter *writer, const QString &account, bool withDevices, QObject *ctx,
                       AdminOutcome o, const Finish &done)
{
    api->groupList(account, ctx, [=](const Result<ApiList<DeviceGroup>> &groups) {
        if (!groups.ok()) {
            AdminOutcome late = o;
            late.message = notReadBack(groups.error());
            done(late);
            return;
        }
        IngestBatch batch;
        batch.groups = groups.value().items;
        batch.groupsComplete = true;
        if (!withDevices) {
            storeThen(writer, std::move(batch), ctx, o, done);
            return;
        }
        api->deviceList(account, ctx, [=, batch = std::move(batch)](const Result<ApiList<Device>> &devices) mutable {
            if (devices.ok()) {
                batch.devices = devices.value().items;
                batch.devicesComplete = true;
            } else {
                qCWarning(lcSync).noquote() << "device list not read after a change:" << devices.error().toString();
            }
            storeThen(writer, std::move(batch), ctx, o, done);
        });
    });
}

// Runs step on each item in turn (each call's next() starts the following
// one), then finish.
template<typename Item>
void inTurn(const QList<Item> &items, std::function<void(const Item &, std::function<void()>)> step,
            std::function<void()> finish)
{
    auto index = std::make_shared<qsizetype>(0);
    auto next = std::make_shared<std::function<void()>>();
    *next = [items, step, finish, index, weak = std::weak_ptr<std::function<void()>>(next)] {
        if (*index >= items.size()) {
            finish();
            return;
        }
        const Item &item = items.at((*index)++);
        const auto self = weak.lock();
        step(item, [self] { (*self)(); });
    };
    (*next)();
}

QList<QStringList> chunked(const QStringList &imeis)
{
    QList<QStringList> chunks;
    for (qsizetype i = 0; i < imeis.size(); i += JimiApi::kMaxImeisPerCall)
        chunks.append(imeis.mid(i, JimiApi::kMaxImeisPerCall));
    return chunks;
}

// The outcome once every device was asked about: ok when none was refused.
AdminOutcome summed(AdminOutcome o)
{
    o.ok = o.refused.isEmpty();
    if (!o.refused.isEmpty() && o.message.isEmpty()) {
        o.message = o.refused.size() == 1 ? o.refused.constFirst().second
                                          : QStringLiteral("%1 of %2 devices refused: %3")
                                                .arg(o.refused.size())
                                                .arg(o.refused.size() + o.changed.size())
                                                .arg(o.refused.constFirst().second);
    }
    return o;
}

void groupChange(JimiApi *api, StoreWriter *writer, const QString &account, const FleetAdminRequest &r, QObject *ctx,
                 const Finish &done)
{
    const auto then = [=](const std::optional<ApiError> &error, const QString &groupId) {
        if (error) {
            done(refusal(*error));
            return;
        }
        AdminOutcome o;
        o.ok = true;
        o.groupId = groupId;
        storeAccountLists(api, writer, account, r.kind == Kind::DeleteGroup, ctx, o, done);
    };
    switch (r.kind) {
    case Kind::ReadGroups: then(std::nullopt, QString()); break;
    case Kind::CreateGroup:
        api->createGroup(account, r.name.trimmed(), ctx, [then](const Result<DeviceGroup> &g) {
            then(g.ok() ? std::nullopt : std::optional<ApiError>(g.error()), g.ok() ? g.value().id : QString());
        });
        break;
    case Kind::RenameGroup:
        api->renameGroup(r.groupId, r.name.trimmed(), ctx, [then](const Result<Done> &d) {
            then(d.ok() ? std::nullopt : std::optional<ApiError>(d.error()), QString());
        });
        break;
    default:
        api->deleteGroup(r.groupId, ctx, [then](const Result<Done> &d) {
            then(d.ok() ? std::nullopt : std::optional<ApiError>(d.error()), QString());
        });
        break;
    }
}

void moveDevices(JimiApi *api, StoreWriter *writer, Clock *clock, const QString &account, const FleetAdminRequest &r,
                 QObject *ctx, const Finish &done)
{
    auto o = std::make_shared<AdminOutcome>();
    inTurn<QStringList>(
        chunked(r.imeis),
        [=](const QStringList &chunk, std::function<void()> next) {
            api->moveDevices(account, r.toAccount, chunk, r.clearBindings, ctx,
                             [o, chunk, next](const Result<QStringList> &moved) {
                                 if (!moved.ok()) {
                                     const AdminOutcome no = refusal(moved.error());
                                     o->code = no.code;
                                     for (const QString &imei : chunk)
                                         o->refused.append({imei, no.message});
                                 } else {
                                     o->changed += moved.value();
                                     for (const QString &imei : chunk)
                                         if (!moved.value().contains(imei))
                                             o->refused.append({imei, QStringLiteral("Not moved by the cloud.")});
                                 }
                                 next();
                             });
        },
        [=] {
            IngestBatch batch;
            const QDateTime now = (clock ? clock : Clock::system())->nowUtc();
            for (const QString &imei : std::as_const(o->changed))
                batch.departures.append(DeviceDeparture{imei, r.toAccount, now});
            storeThen(writer, std::move(batch), ctx, summed(*o), done);
        });
}

void extendExpiry(JimiApi *api, StoreWriter *writer, const QString &account, const FleetAdminRequest &r, QObject *ctx,
                  const Finish &done)
{
    api->updateExpiration(r.imeis, r.expiration, ctx, [=](const Result<ApiList<ExpirationUpdate>> &answer) {
        if (!answer.ok()) {
            done(refusal(answer.error()));
            return;
        }
        AdminOutcome o;
        QSet<QString> answered;
        for (const ExpirationUpdate &u : answer.value().items) {
            answered.insert(u.imei);
            if (u.result == QLatin1String("1"))
                o.changed.append(u.imei);
            else
                o.refused.append({u.imei, u.message.isEmpty() ? QStringLiteral("Refused by the cloud.") : u.message});
        }
        for (const QString &imei : r.imeis)
            if (!answered.contains(imei))
                o.refused.append({imei, QStringLiteral("The cloud did not answer for this device.")});
        o = summed(o);
        if (o.changed.isEmpty()) {
            done(o);
            return;
        }
        // The new dates as the cloud lists them.
        storeAccountLists(api, writer, account, true, ctx, o, done);
    });
}

void bindUsers(JimiApi *api, const FleetAdminRequest &r, QObject *ctx, const Finish &done)
{
    auto o = std::make_shared<AdminOutcome>();
    const bool bind = r.kind == Kind::BindUser;
    inTurn<QString>(
        r.imeis,
        [=](const QString &imei, std::function<void()> next) {
            const auto answered = [o, imei, next](const Result<Done> &d) {
                if (d.ok()) {
                    o->changed.append(imei);
                } else {
                    const AdminOutcome no = refusal(d.error());
                    o->code = no.code;
                    o->refused.append({imei, no.message});
                }
                next();
            };
            if (bind)
                api->bindAppUser(imei, r.userId.trimmed(), ctx, answered);
            else
                api->unbindAppUser(imei, r.userId.trimmed(), ctx, answered);
        },
        [o, done] { done(summed(*o)); });
}

} // namespace

QString checkAdminRequest(const FleetAdminRequest &r)
{
    switch (r.kind) {
    case Kind::ReadGroups: return {};
    case Kind::CreateGroup:
    case Kind::RenameGroup:
        if (r.name.trimmed().isEmpty())
            return QStringLiteral("A group needs a name.");
        if (r.name.trimmed().size() > 50)
            return QStringLiteral("A group name has at most 50 characters.");
        if (r.kind == Kind::RenameGroup && r.groupId.isEmpty())
            return QStringLiteral("No group chosen.");
        return {};
    case Kind::DeleteGroup: return r.groupId.isEmpty() ? QStringLiteral("No group chosen.") : QString();
    default: break;
    }
    if (r.imeis.isEmpty())
        return QStringLiteral("No devices chosen.");
    for (const QString &imei : r.imeis)
        if (!JimiApi::isValidImei(imei))
            return QStringLiteral("Not an IMEI: %1").arg(imei);
    switch (r.kind) {
    case Kind::MoveDevices:
        if (r.toAccount.trimmed().isEmpty())
            return QStringLiteral("No account to move the devices to.");
        if (r.toAccount.trimmed() == r.account.trimmed())
            return QStringLiteral("The devices are in that account already.");
        return {};
    case Kind::ExtendExpiry: return r.expiration.isValid() ? QString() : QStringLiteral("No new expiry date.");
    case Kind::BindUser:
    case Kind::UnbindUser: return r.userId.trimmed().isEmpty() ? QStringLiteral("No app user given.") : QString();
    default: return {};
    }
}

void administerFleet(JimiApi *api, StoreWriter *writer, Clock *clock, const QString &account,
                     const FleetAdminRequest &request, QObject *ctx, std::function<void(const AdminOutcome &)> done)
{
    FleetAdminRequest r = request;
    if (r.account.isEmpty())
        r.account = account;
    r.toAccount = r.toAccount.trimmed();
    if (!api) {
        done(AdminOutcome::failure(QStringLiteral("No cloud.")));
        return;
    }
    if (const QString bad = checkAdminRequest(r); !bad.isEmpty()) {
        done(AdminOutcome::failure(bad));
        return;
    }
    const QString owner = r.account.isEmpty() ? api->defaultTarget() : r.account;
    switch (r.kind) {
    case Kind::ReadGroups:
    case Kind::CreateGroup:
    case Kind::RenameGroup:
    case Kind::DeleteGroup: groupChange(api, writer, owner, r, ctx, done); break;
    case Kind::MoveDevices: moveDevices(api, writer, clock, owner, r, ctx, done); break;
    case Kind::ExtendExpiry: extendExpiry(api, writer, owner, r, ctx, done); break;
    case Kind::BindUser:
    case Kind::UnbindUser: bindUsers(api, r, ctx, done); break;
    }
}

bool isEmptyUpdate(const DeviceUpdate &u)
{
    return !u.deviceName && !u.vehicleName && !u.vehicleIcon && !u.plate && !u.driverName && !u.driverPhone
        && !u.deviceStatus && !u.sim && !u.remarks && !u.mileageKm;
}

void updateDeviceRecord(JimiApi *api, StoreWriter *writer, const QString &imei, const DeviceUpdate &update,
                        QObject *ctx, std::function<void(const AdminOutcome &)> done)
{
    if (!api) {
        done(AdminOutcome::failure(QStringLiteral("No cloud.")));
        return;
    }
    if (isEmptyUpdate(update)) {
        AdminOutcome nothing;
        nothing.ok = true;
        done(nothing);
        return;
    }
    api->updateDevice(imei, update, ctx, [api, writer, imei, ctx, done](const Result<Done> &r) {
        if (!r.ok()) {
            done(refusal(r.error()));
            return;
        }
        // The cloud's record as it now stands.
        api->deviceDetail(imei, ctx, [writer, ctx, done](const Result<Device> &detail) {
            AdminOutcome o;
            o.ok = true;
            if (!detail.ok()) {
                o.message = notReadBack(detail.error());
                done(o);
                return;
            }
            IngestBatch b;
            b.devices.append(detail.value());
            storeThen(writer, std::move(b), ctx, o, done);
        });
    });
}

} // namespace Fleet
