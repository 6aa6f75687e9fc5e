#pragma once

#include <QLatin1String>
#include <QList>
#include <QStringView>

#include <optional>

namespace Fleet::Push {

// The cloud's data push endpoints (reference §10, field notes §3.2), one per
// path of the customer's callback URL.
enum class Endpoint {
    Event,
    Heartbeat,
    Gps,
    Alarm,
    Rfid,
    Module,
    Oil,
    FileUpload,
    Temperature,
    Lbs,
    ResourceList,
    FtpUpload,
    IotHubEvent,
    PassThrough,
    TerminalTransInfo,
    InstructResponse,
    FileContent,
    ExtendedKks,
    UploadCallback,
    GeneralBusiness,
    Obd,
    FaultInfo,
    TripReport
};

// The endpoint a request path names: its last segment, compared without
// regard to case, so that a prefix ("/jimi/pushgps") and a trailing slash are
// fine. "rfid" and "wgtc" are also accepted as "pushrfid" / "pushwgtc".
std::optional<Endpoint> endpointForPath(QStringView path);

// The path as documented, without the slash: "pushgps", "pushIothubEvent".
QLatin1String endpointName(Endpoint endpoint);

QList<Endpoint> allEndpoints();

} // namespace Fleet::Push
