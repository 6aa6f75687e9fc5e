#pragma once

#include "apiclient.h"
#include "apiparsers.h"

#include <QObject>

namespace Fleet {

// Fields of jimi.open.device.update; unset fields are not sent (and so not changed).
struct DeviceUpdate
{
    std::optional<QString> deviceName;
    std::optional<QString> vehicleName;
    std::optional<QString> vehicleIcon;
    std::optional<QString> plate;
    std::optional<QString> driverName;
    std::optional<QString> driverPhone;
    std::optional<QString> deviceStatus;
    std::optional<QString> sim;
    std::optional<QString> remarks;
    std::optional<double> mileageKm;
};

enum class ParkingFilter { AllStops, ParkingOnly, IdlingOnly };
enum class MediaKind { Photo, Video };
enum class StreamKind { Live, History };

// One typed call per method of the Open API reference (§3–§9, Appendix A).
// Calls that take device lists split them into batches of at most 50 IMEIs;
// ranged calls split long ranges and page through the answers, so callers
// never hit the cloud's limits. Every callback runs exactly once, with the
// merged values or the first error.
class JimiApi : public QObject
{
    Q_OBJECT
public:
    template<typename T>
    using Callback = std::function<void(const Result<T> &)>;

    static constexpr int kMaxImeisPerCall = 50;
    // A platform fence circle's radius, metres (field notes §2.12).
    static constexpr int kPlatformCircleMinM = 200;
    static constexpr int kPlatformCircleMaxM = 5000;
    static constexpr int kAlarmPageSize = 100;
    static constexpr int kAlarmMaxRows = 1000;
    static constexpr int kReportPageSize = 100;
    static constexpr int kTrackMaxDays = 7;
    static constexpr int kReportMaxDays = 31; // mileage, parking and media windows

    explicit JimiApi(ApiClient *client, QObject *parent = nullptr);

    ApiClient *client() const { return m_client; }
    QString defaultTarget() const { return m_client->account().userId; }

    // §4 Device management
    void deviceList(const QString &target, QObject *ctx, Callback<ApiList<Device>> done);
    void deviceDetail(const QString &imei, QObject *ctx, Callback<Device> done);
    void updateExpiration(const QStringList &imeis, const QDate &newExpiration, QObject *ctx,
                          Callback<ApiList<ExpirationUpdate>> done);
    void updateDevice(const QString &imei, const DeviceUpdate &update, QObject *ctx, Callback<Done> done);
    void moveDevices(const QString &fromAccount, const QString &toAccount, const QStringList &imeis, bool clearBindings,
                     QObject *ctx, Callback<QStringList> done);
    void bindAppUser(const QString &imei, const QString &userId, QObject *ctx, Callback<Done> done);
    void unbindAppUser(const QString &imei, const QString &userId, QObject *ctx, Callback<Done> done);
    void createGroup(const QString &account, const QString &name, QObject *ctx, Callback<DeviceGroup> done);
    void renameGroup(const QString &groupId, const QString &name, QObject *ctx, Callback<Done> done);
    void deleteGroup(const QString &groupId, QObject *ctx, Callback<Done> done);
    void groupList(const QString &account, QObject *ctx, Callback<ApiList<DeviceGroup>> done);

    // §5 Tracking and telemetry (raw WGS-84: map_type is never sent)
    void locationList(const QString &target, QObject *ctx, Callback<ApiList<DeviceLocation>> done);
    void locations(const QStringList &imeis, QObject *ctx, Callback<ApiList<DeviceLocation>> done);
    void shareLocationUrl(const QString &imei, QObject *ctx, Callback<QUrl> done);
    void mileage(const QStringList &imeis, const QDateTime &begin, const QDateTime &end, QObject *ctx,
                 Callback<MileageReport> done);
    void track(const QString &imei, const QDateTime &begin, const QDateTime &end, QObject *ctx,
               Callback<ApiList<Position>> done);
    void lbsLocate(const QString &imei, const QString &lbs, const QString &wifi, QObject *ctx,
                   Callback<LbsLocation> done);
    void parking(const QString &account, const QStringList &imeis, const QDateTime &begin, const QDateTime &end,
                 ParkingFilter filter, QObject *ctx, Callback<ApiList<StopPeriod>> done);
    void tagLocation(const QString &imei, QObject *ctx, Callback<ApiList<Position>> done);

    // §6 Alarms: split into ≤ 1-month ranges, paged, ≤ 50 IMEIs per call.
    // A window the cloud's paging cannot serve whole (more than 1000 rows,
    // or page_no ignored) is cut in halves; what cannot be cut any further
    // is in the answer's `incomplete`.
    void alarms(const QStringList &imeis, const QDateTime &begin, const QDateTime &end, QObject *ctx,
                Callback<ApiList<Alarm>> done);

    // §7 Media
    void livePage(const QString &imei, StreamKind kind, bool voice, QObject *ctx, Callback<LivePage> done);
    void captureMedia(const QString &imei, int camera, MediaKind kind, int videoSeconds, QObject *ctx,
                      Callback<MediaCommandAck> done);
    void requestHistoryUpload(const QString &imei, const QString &type, int camera, const QString &fileName,
                              const QString &time, QObject *ctx, Callback<MediaCommandAck> done);
    void mediaFiles(const QString &imei, int camera, MediaKind kind, const QDateTime &begin, const QDateTime &end,
                    int pageNo, int pageSize, QObject *ctx, Callback<ApiList<MediaFile>> done);
    void mediaEvents(const QStringList &imeis, MediaKind kind, const QDateTime &begin, const QDateTime &end, int pageNo,
                     int pageSize, const QString &eventType, QObject *ctx, Callback<ApiList<MediaEvent>> done);
    void liveStream(const QString &imei, int channel, const QString &appId, QObject *ctx, Callback<QUrl> done);
    void requestVideoList(const QString &imei, int channel, const QDate &date, const QString &instructionId,
                          const QString &appId, QObject *ctx, Callback<Done> done);
    // Answers ApiError code 1207 while the device is still compiling the list.
    void videoList(const QString &instructionId, QObject *ctx, Callback<ApiList<VideoSegment>> done);
    void historyStream(const QString &imei, int channel, const QString &appId, const QDateTime &begin,
                       const QDateTime &end, const QStringList &fileNames, QObject *ctx, Callback<QUrl> done);
    void closeStream(const QString &imei, int channel, StreamKind kind, const QString &appId, QObject *ctx,
                     Callback<Done> done);

    // §8 Commands
    void commandTemplates(const QString &imei, QObject *ctx, Callback<ApiList<CommandTemplate>> done);
    void sendCommand(const QString &imei, const CommandRequest &command, QObject *ctx, Callback<Done> done);
    void commandResults(const QString &imei, QObject *ctx, Callback<ApiList<CommandResult>> done);
    void sendRawCommand(const QString &imei, const QString &hex, QObject *ctx, Callback<Done> done);

    // §9 Geofences (WGS-84 in, converted to GCJ-02 where the API expects it)
    void createDeviceFence(const DeviceFenceSpec &spec, QObject *ctx, Callback<QString> done);
    void deleteDeviceFence(const QString &imei, const QString &serial, QObject *ctx, Callback<Done> done);
    void createPlatformFence(const PlatformFenceSpec &spec, QObject *ctx, Callback<QString> done);
    void deletePlatformFence(const QString &account, const QString &fenceId, QObject *ctx, Callback<Done> done);
    void bindPlatformFence(const FenceBinding &binding, QObject *ctx, Callback<int> done);

    // Appendix A: the instruction gateway
    void sendInstruct(const QString &imei, int protocolNumber, const QJsonObject &content, QObject *ctx,
                      Callback<InstructResult> done);

    // A fresh 15-character [A-Za-z0-9] session id for the streaming calls.
    static QString newAppId();
    static bool isValidImei(const QString &imei);
    // Splits imeis into chunks of at most kMaxImeisPerCall, dropping duplicates.
    static QList<QStringList> batches(const QStringList &imeis, int size = kMaxImeisPerCall);
    // True once alarm.list was seen to answer page 1 to every page_no.
    bool alarmPagingIgnored() const { return m_alarmPagingIgnored; }

private:
    template<typename T, typename Parse>
    void request(const QString &method, const ApiParams &params, QObject *ctx, Callback<T> done, Parse parse,
                 const CallOptions &options = {});
    template<typename T>
    void fail(QObject *ctx, Callback<T> done, const QString &method, const QString &why);

    struct AlarmWindow;
    void alarmRange(const QStringList &imeis, const QDateTime &begin, const QDateTime &end, QObject *ctx,
                    Callback<ApiList<Alarm>> done);

    ApiClient *m_client;
    bool m_alarmPagingIgnored = false; // learnt: alarm.list answers page 1 to every page_no
};

} // namespace Fleet
