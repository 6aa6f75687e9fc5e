#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace Fleet {

// Values that reach us only through the cloud's data push (reference §10).
// Times are UTC; coordinates WGS-84 and absent (not 0,0) when not reported.
// Positions (/pushgps), alarms (/pushalarm) and trips (/pushtripreport) use
// the shared Position, Alarm and Trip types.

// /pushevent: a device logged in to or out of the cloud's gateway.
struct DeviceEvent
{
    QString imei;
    QString type; // "LOGIN" / "LOGOUT" as sent (upper case)
    QDateTime time; // gateTime
    QString timezone; // the device's zone as sent, "GMT+08:00"

    friend bool operator==(const DeviceEvent &, const DeviceEvent &) = default;
};

// /pushhb
struct Heartbeat
{
    QString imei;
    QDateTime time; // gateTime
    std::optional<int> powerLevelPct; // powerLevel
    std::optional<int> gsmSignal; // gsmSign
    std::optional<bool> acc;
    std::optional<bool> charging; // powerStatus
    std::optional<int> fortify; // armed state as sent
    std::optional<bool> oilCut; // oilEle: 1 = fuel/power relay cut
    std::optional<bool> gpsPositioned; // gpsPos
    std::optional<int> remoteLock;

    friend bool operator==(const Heartbeat &, const Heartbeat &) = default;
};

// The status bit field of /pushgps (field notes §3.2), decoded.
struct GpsStatus
{
    quint32 raw = 0;
    bool accOn = false; // bit 0
    bool positioned = false; // bit 1
    bool south = false; // bit 2
    bool west = false; // bit 3
    bool outOfService = false; // bit 4
    bool encrypted = false; // bit 5
    int load = 0; // bits 8-9
    bool oilCircuitCut = false; // bit 10
    bool powerCircuitCut = false; // bit 11
    bool doorLocked = false; // bit 12
    int doorsOpen = 0; // bits 13-17: bit n-1 set = door n open
    bool gps = false; // bit 18
    bool beidou = false; // bit 19
    bool glonass = false; // bit 20
    bool galileo = false; // bit 21

    static GpsStatus decode(quint32 flags);
    // "GPS+BDS", "" when no system bit is set.
    QString gnssText() const;

    friend bool operator==(const GpsStatus &, const GpsStatus &) = default;
};

// The latest status flags a device reported with a pushed fix.
struct DeviceStatusFlags
{
    QString imei;
    QDateTime time; // gpsTime of the fix that carried them
    quint32 flags = 0;

    friend bool operator==(const DeviceStatusFlags &, const DeviceStatusFlags &) = default;
};

// /pushoil
struct FuelReading
{
    QString imei;
    int sensorPath = 0; // path; 0 when absent
    QDateTime time; // gateTime
    std::optional<double> value; // value / 100, in unit
    QString unit; // "cm" "%" "V" "L", or the code as text when unknown
    QDateTime gpsTime;
    std::optional<double> lat;
    std::optional<double> lng;

    friend bool operator==(const FuelReading &, const FuelReading &) = default;
};

// /pushtem
struct TemperatureReading
{
    QString imei;
    QDateTime time; // gateTime
    std::optional<double> temperatureC; // tem
    std::optional<double> humidityPct; // hum
    QDateTime postTime;

    friend bool operator==(const TemperatureReading &, const TemperatureReading &) = default;
};

// /pushlbs: cell towers or Wi-Fi seen by a device without a GNSS fix.
struct LbsReading
{
    QString imei;
    QDateTime time; // gateTime
    QString postType; // "LBS" / "WIFI"
    QString lbsJson; // as received (object re-serialised compactly, or the string)

    friend bool operator==(const LbsReading &, const LbsReading &) = default;
};

// /pushobd: one OBD snapshot. Scalars are taken from well-known keys of
// obdJson when present; obdJson itself is kept whole.
struct ObdReading
{
    QString imei;
    QDateTime eventTime; // obdJson.event_time
    QDateTime pushTime; // obdJson.push_time
    std::optional<int> carType; // 1 commercial, 2 passenger
    std::optional<bool> acc; // AccState
    std::optional<qint64> statusFlags;
    std::optional<double> lat;
    std::optional<double> lng;
    std::optional<double> engineRpm;
    std::optional<double> coolantTempC;
    std::optional<double> fuelLevelPct;
    std::optional<double> batteryVoltage;
    std::optional<double> intakePressureKpa;
    std::optional<double> throttlePct;
    std::optional<double> vehicleSpeedKmh;
    std::optional<double> engineLoadPct;
    QString obdJson; // compact JSON text of obdJson

    friend bool operator==(const ObdReading &, const ObdReading &) = default;
};

// /pushfaultinfo: the diagnostic trouble codes a device reported at once.
struct FaultReport
{
    QString imei;
    QDateTime reportTime; // gateTime
    QStringList codes; // faultCodeList, "P0301", ...
    QDateTime eventTime; // eventTime (Unix)
    std::optional<int> faultNum;
    std::optional<qint64> statusFlags;
    std::optional<double> lat;
    std::optional<double> lng;

    friend bool operator==(const FaultReport &, const FaultReport &) = default;
};

// /pushtripreport carries fuel and a sequence number beside the Trip.
struct PushedTrip
{
    QString imei;
    QDateTime start; // beginTime
    QDateTime end; // endTime
    QDateTime reportTime; // gateTime
    std::optional<double> distanceKm; // miles (km despite the name)
    std::optional<double> fuelL; // oils
    std::optional<int> idleSeconds; // idleTimes
    std::optional<int> tripSeq;
    std::optional<double> startLat;
    std::optional<double> startLng;
    std::optional<double> endLat;
    std::optional<double> endLng;
    std::optional<int> properties; // 1 start, 2 end

    friend bool operator==(const PushedTrip &, const PushedTrip &) = default;
};

// /uploadCallback: a device finished uploading a photo or video.
struct MediaUpload
{
    QString imei;
    QString fileKey; // filename (cloud storage name)
    QString localFileName;
    QString businessType;
    std::optional<int> camera;
    QString mediaType; // "photo" / "video" from shootType, else as sent
    QString mimeType;
    std::optional<int> durationSeconds; // shootTime of videos
    QDateTime alarmTime;
    std::optional<double> lat;
    std::optional<double> lng;
    QString instructionId;
    QDateTime received; // when the callback arrived (no time is sent)

    friend bool operator==(const MediaUpload &, const MediaUpload &) = default;
};

// /pushInstructResponse: the gateway's late answer to a command.
struct CommandResponse
{
    QString imei; // _imei
    QString serverFlagId; // _serverFlagId
    std::optional<int> code; // _code: 100 ok, 200 bad parameter, 300 offline, 600 timeout
    QString message; // _msg
    QString content; // _content: the device's reply
    std::optional<int> msgType; // 1 asynchronous, 2 offline command
    QDateTime received;

    friend bool operator==(const CommandResponse &, const CommandResponse &) = default;
};

// Everything else the cloud pushes (RFID, plug-in modules, file uploads,
// resource lists, FTP results, IoTHub events, pass-through and extension
// data, facial ID lists, KKS data, ICCID/VIN updates, open-API raw data):
// kept as one row per item, with the item's JSON, so nothing is lost and
// each can be given a table of its own when a feature needs it.
struct PushMessage
{
    QString endpoint; // the endpoint's name: "rfid", "pushresourcelist", ...
    QString imei; // "" when the item names no device
    QString kind; // sub-type where the item has one (eventType, type, msgType, ...)
    QDateTime time; // the item's own time, else when it was received
    QString payload; // the item as compact JSON text

    friend bool operator==(const PushMessage &, const PushMessage &) = default;
};

} // namespace Fleet
