#pragma once

#include "alarm.h"
#include "command.h"
#include "device.h"
#include "media.h"
#include "position.h"
#include "push.h"
#include "trip.h"

#include <QJsonArray>
#include <QJsonObject>

// A stable JSON rendering of the domain values: what tests compare against
// golden files, what the simulator states as ground truth, and what the
// console tools print. Absent optionals are omitted; times are ISO 8601 UTC.
namespace Fleet::DomainJson {

QJsonObject toJson(const Device &v);
QJsonObject toJson(const DeviceGroup &v);
QJsonObject toJson(const ExpirationUpdate &v);
QJsonObject toJson(const Position &v);
QJsonObject toJson(const DeviceReadings &v);
QJsonObject toJson(const DeviceReport &v);
QJsonObject toJson(const DeviceLocation &v);
QJsonObject toJson(const LbsLocation &v);
QJsonObject toJson(const Trip &v);
QJsonObject toJson(const MileageTotal &v);
QJsonObject toJson(const StopPeriod &v);
QJsonObject toJson(const Alarm &v);
QJsonObject toJson(const MediaFile &v);
QJsonObject toJson(const MediaEvent &v);
QJsonObject toJson(const VideoSegment &v);
QJsonObject toJson(const LivePage &v);
QJsonObject toJson(const MediaCommandAck &v);
QJsonObject toJson(const CommandTemplate &v);
QJsonObject toJson(const CommandResult &v);
QJsonObject toJson(const InstructResult &v);
QJsonObject toJson(const DeviceEvent &v);
QJsonObject toJson(const Heartbeat &v);
QJsonObject toJson(const GpsStatus &v);
QJsonObject toJson(const DeviceStatusFlags &v); // with the decoded GpsStatus as "decoded"
QJsonObject toJson(const FuelReading &v);
QJsonObject toJson(const TemperatureReading &v);
QJsonObject toJson(const LbsReading &v);
QJsonObject toJson(const ObdReading &v);
QJsonObject toJson(const FaultReport &v);
QJsonObject toJson(const PushedTrip &v);
QJsonObject toJson(const MediaUpload &v);
QJsonObject toJson(const CommandResponse &v);
QJsonObject toJson(const PushMessage &v);

QString time(const QDateTime &t);

template<typename T>
QJsonArray toJsonArray(const QList<T> &list)
{
    QJsonArray a;
    for (const T &v : list)
        a.append(toJson(v));
    return a;
}

} // namespace Fleet::DomainJson
