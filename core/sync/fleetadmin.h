#pragma once

#include "api/jimiapi.h"

#include <QDate>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <utility>

namespace Fleet {

class Clock;
class StoreWriter;

// How a change of the fleet's records went: the cloud's words when it refused
// (a sub-account without the right, an unknown device), verbatim.
struct AdminOutcome
{
    bool ok = false;
    QString message; // the cloud's words (or why nothing was asked)
    std::optional<int> code; // the cloud's code, when it answered with one
    bool stored = false; // the cloud's new record is in the store
    // Per device (move, expiry, app users): those the cloud changed, and
    // those it refused with its words.
    QStringList changed;
    QList<std::pair<QString, QString>> refused;
    QString groupId; // a group created

    static AdminOutcome failure(const QString &message)
    {
        AdminOutcome o;
        o.message = message;
        return o;
    }
};

// A change to the account's fleet other than a device's record (§4):
// the cloud's groups, moving devices to another account, their expiry, and
// the app users bound to them.
struct FleetAdminRequest
{
    enum class Kind {
        ReadGroups, // changes nothing: the group list read afresh and stored
        CreateGroup,
        RenameGroup,
        DeleteGroup,
        MoveDevices,
        ExtendExpiry,
        BindUser,
        UnbindUser,
    };
    Kind kind = Kind::CreateGroup;
    QString account; // the groups' owner, the move's source; empty: the session's
    QString groupId; // rename, delete
    QString name; // create, rename
    QString toAccount; // move
    bool clearBindings = false; // move: unbind the app users too
    QStringList imeis; // move, expiry, app users
    QDate expiration; // expiry: the new last day
    QString userId; // app users

    friend bool operator==(const FleetAdminRequest &, const FleetAdminRequest &) = default;
};

// Why a request cannot be sent as it is (empty when it can): what the
// dialogs and the CLI say before anything reaches the cloud.
QString checkAdminRequest(const FleetAdminRequest &request);

// Sends the request, then brings what the cloud now holds into the store:
// the group list after a group change (and the device list after a delete,
// whose devices fall back to the default group), the device list after an
// expiry change, and a departure for every device the cloud moved (its
// answer names them; they leave the view). Devices go one by one or in the
// cloud's batches, so a partial refusal names the refused devices. done runs
// once, after the write. account: the session's account, used when the
// request names none.
void administerFleet(JimiApi *api, StoreWriter *writer, Clock *clock, const QString &account,
                     const FleetAdminRequest &request, QObject *ctx, std::function<void(const AdminOutcome &)> done);

// Changes a device's record in the cloud (jimi.open.device.update), then
// asks the cloud for the device as it now stands (device.detail) and writes
// that through the writer: the store shows what the cloud holds, never what
// was asked for. done runs once, after the write (or the refusal).
void updateDeviceRecord(JimiApi *api, StoreWriter *writer, const QString &imei, const DeviceUpdate &update,
                        QObject *ctx, std::function<void(const AdminOutcome &)> done);

// Whether an update changes anything.
bool isEmptyUpdate(const DeviceUpdate &update);

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::AdminOutcome)
Q_DECLARE_METATYPE(Fleet::DeviceUpdate)
Q_DECLARE_METATYPE(Fleet::FleetAdminRequest)
