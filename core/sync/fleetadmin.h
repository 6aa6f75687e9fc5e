#pragma once

#include "api/jimiapi.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace Fleet {

class StoreWriter;

// How a change of the fleet's records went: the cloud's words when it refused
// (a sub-account without the right, an unknown device), verbatim.
struct AdminOutcome
{
    bool ok = false;
    QString message; // the cloud's words (or why nothing was asked)
    std::optional<int> code; // the cloud's code, when it answered with one
    bool stored = false; // the cloud's new record is in the store
};

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
