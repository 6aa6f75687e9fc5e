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

// SimState and the records it holds, grouped in one header because only
// SimState keeps them.

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
    bool fleetExpired = false; // SimFleet's own flag, until the expiration is edited
    bool enabled = true;
    double mileageOffsetKm = 0.0; // device.update "mileage" sets the odometer
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

// What a stream URL's secret stands for: the stream the cloud opened
// (live.stream or history.stream), and what it shows.
struct SimStreamGrant
{
    QString key; // imei/channel/appId/type, as SimState::openStreams holds it
    QString path; // "/<ch>/<imei>.flv" or "/<ch>/<imei>.history.flv"
    bool history = false;
    qint64 durationMs = 0; // a recording's length; a live stream has none
    QString look; // "road" or "cabin": which clip
};

// One sent command as jimi.open.instruction.result reports it.
struct SimCommandRecord
{
    QString imei;
    QString codeId; // inst_id
    QString text; // the command after substituting the params
    QString reply; // the device's answer, shown once executed
    QDateTime replyAt; // when the device answers (fleet time); invalid while queued offline
    QString isExecute; // "1" done, "3" waiting for the device (offline), "0" failed
    QDateTime sendTime; // fleet time
    QString sender;
    bool offline = false; // queued as an offline command
    QString idSource; // "User-defined command" / "Platform command"
};

struct SimDeviceFence
{
    QString serial;
    QString name;
    QString alarmType;
    QString alarmSwitch;
    double lat = 0, lng = 0;
    int radius = 0; // unit 100 m
};

struct SimPlatformFence
{
    QString id;
    QString account;
    QString name;
    QString type; // circle / polygon
    QString color;
    QString geom; // lat,lng[#lat,lng...], GCJ-02 as the client sent it
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
    int mediaType = 1; // 1 photo, 2 video
    QDateTime created; // fleet time
    QString fileKey;
    qint64 size = 0;
};

struct SimHistoryListRequest
{
    QString imei;
    int channel = 1;
    QDate date;
    QDateTime requestedAt; // real clock
};

// The mutable part of the simulated cloud, shared by the method handlers.
// Everything that requests add to is bounded: past its cap the oldest entry
// goes (accounts, which devices refer to, are refused instead), so no client
// can grow the simulator without limit.
struct SimState
{
    static constexpr int kMaxAccounts = 1000;
    static constexpr int kMaxGroups = 1000; // created through the API
    static constexpr int kMaxCommands = 2000;
    static constexpr int kMaxDeviceFences = 100; // per device
    static constexpr int kMaxPlatformFences = 1000;
    static constexpr int kMaxMedia = 2000;
    static constexpr int kMaxHistoryLists = 1000;
    static constexpr qint64 kHistoryListLifetimeSecs = 600; // real time
    static constexpr int kMaxOpenStreams = 1000;

    explicit SimState(const SimFleet &fleet, quint64 seed);

    // Deterministic 32-hex ids (groups, fences, stream secrets).
    QString newId();
    int nextSequence() { return ++sequence; }

    // false (and nothing added) when kMaxAccounts are known already.
    bool addAccount(const QString &account);
    void addGroup(const SimGroup &group);
    void removeGroup(int index);
    void addCommand(const SimCommandRecord &command);
    void addDeviceFence(const QString &imei, const SimDeviceFence &fence);
    void addPlatformFence(const SimPlatformFence &fence);
    void addMedia(const SimMediaFile &file);
    // Also forgets lists requested more than kHistoryListLifetimeSecs ago.
    void addHistoryList(const QString &instructionId, const SimHistoryListRequest &request);
    void openStream(const QString &key);
    void closeStream(const QString &key);
    // A stream URL's secret and what it stands for; the oldest are
    // forgotten past kMaxOpenStreams * 2.
    void grantStream(const QString &secret, const SimStreamGrant &grant);
    // Whether the secret stands for a stream that is still open.
    bool streamGranted(const QString &secret, SimStreamGrant *grant) const;

    QList<SimDeviceRecord> devices; // by SimFleet index
    QSet<QString> accounts; // the account and sub-accounts devices moved to
    QList<SimGroup> groups; // the fleet's own first, then the API's, oldest first
    int fleetGroups = 0; // how many of groups are the fleet's own
    QList<SimCommandRecord> commands; // oldest first
    int commandsSent = 0; // ever, including those evicted
    QHash<QString, QList<SimDeviceFence>> deviceFences; // by IMEI, oldest first
    QHash<QString, int> deviceFenceSerial; // by IMEI
    QList<SimPlatformFence> platformFences; // oldest first
    QList<SimMediaFile> media; // oldest first
    QHash<QString, SimHistoryListRequest> historyLists; // by instructionId
    QStringList openStreams; // imei/channel/appId/type, oldest first
    QHash<QString, SimStreamGrant> streamGrants; // by secret
    QStringList grantOrder; // secrets, oldest first

    quint64 idSeed = 0;
    int idCounter = 0;
    int sequence = 0;
};

} // namespace Fleet::Sim
