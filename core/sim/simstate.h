#pragma once

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Fleet::Sim {

class SimFleet;

// What the API changed about a device (device.update, move, expiration,
// groups, app-user binding). Starts as SimFleet's static facts.
struct SimDeviceRecord
{
    QString account;
    QString name;
    QString vehicleName;
    QString vehicleIcon;
    QString plate;
    QString driverName;
    QString driverPhone;
    QString sim;
    QString remarks;
    QDateTime expiration;
    bool expirationEdited = false;
    bool fleetExpired = false;     // SimFleet's own flag, until the expiration is edited
    bool enabled = true;
    double mileageOffsetKm = 0.0;  // device.update "mileage" sets the odometer
    QString groupId;
    QSet<QString> appUsers;

    bool expiredAt(const QDateTime &fleetNow) const
    {
        return expirationEdited ? expiration.isValid() && expiration < fleetNow : fleetExpired;
    }
};

struct SimGroup
{
    QString id;
    QString name;
    QString account;
};

// One sent command as jimi.open.instruction.result reports it.
struct SimCommandRecord
{
    QString imei;
    QString codeId;         // inst_id
    QString text;           // the command after substituting the params
    QString reply;          // the device's answer, once executed
    QString isExecute;      // "1" done, "3" waiting for the device (offline), "0" failed
    QDateTime sendTime;     // fleet time
    QString sender;
    bool offline = false;   // queued as an offline command
    QString idSource;       // "User-defined command" / "Platform command"
};

struct SimDeviceFence
{
    QString serial;
    QString name;
    QString alarmType;
    QString alarmSwitch;
    double lat = 0, lng = 0;
    int radius = 0;         // unit 100 m
};

struct SimPlatformFence
{
    QString id;
    QString account;
    QString name;
    QString type;           // circle / polygon
    QString color;
    QString geom;           // lat,lng[#lat,lng...], GCJ-02 as the client sent it
    int radius = 0;
    QString description;
    QStringList imeis;
    QString alertType;
    QString stayTimeIn;
    QString stayTimeOut;
};

// A photo or clip taken on request (meida.cmd.send).
struct SimMediaFile
{
    QString imei;
    int camera = 1;
    int mediaType = 1;      // 1 photo, 2 video
    QDateTime created;      // fleet time
    QString fileKey;
    qint64 size = 0;
};

struct SimHistoryListRequest
{
    QString imei;
    int channel = 1;
    QDate date;
    QDateTime requestedAt;  // real clock
};

// The mutable part of the simulated cloud, shared by the method handlers.
struct SimState
{
    explicit SimState(const SimFleet &fleet, quint64 seed);

    // Deterministic 32-hex ids (groups, fences, stream secrets).
    QString newId();
    int nextSequence() { return ++sequence; }

    QList<SimDeviceRecord> devices;              // by SimFleet index
    QSet<QString> accounts;                      // the account and sub-accounts devices moved to
    QList<SimGroup> groups;
    QList<SimCommandRecord> commands;
    QHash<QString, QList<SimDeviceFence>> deviceFences;   // by IMEI
    QHash<QString, int> deviceFenceSerial;                // by IMEI
    QList<SimPlatformFence> platformFences;
    QList<SimMediaFile> media;
    QHash<QString, SimHistoryListRequest> historyLists;   // by instructionId
    QSet<QString> openStreams;                   // imei/channel/appId/type

    quint64 idSeed = 0;
    int idCounter = 0;
    int sequence = 0;
};

} // namespace Fleet::Sim
