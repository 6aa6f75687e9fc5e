#pragma once

#include "apienvelope.h"
#include "apierror.h"

#include "domain/alarm.h"
#include "domain/command.h"
#include "domain/device.h"
#include "domain/fence.h"
#include "domain/media.h"
#include "domain/position.h"
#include "domain/trip.h"

#include <QUrl>

namespace Fleet {

// A part of a ranged, paged request that could not be fetched whole: the
// cloud's paging gave no way to reach all of its rows. Its devices and time
// window, so that the caller can say so and ask again.
struct IncompleteWindow
{
    QStringList imeis;
    QDateTime begin;
    QDateTime end;
    QString reason;

    friend bool operator==(const IncompleteWindow &, const IncompleteWindow &) = default;
};

// A list answer: the items that parsed, and one line per item that did not
// (skipped, never guessed). totalRows is the server's total where it gives one.
template<typename T>
struct ApiList
{
    QList<T> items;
    QStringList skipped; // items left out, one reason each
    QStringList warnings; // items kept, but a field was unreadable and left empty
    std::optional<int> totalRows;
    QList<IncompleteWindow> incomplete; // ranged calls: what could not be fetched whole
};

struct TokenInfo
{
    QString accessToken;
    QString refreshToken;
    int expiresInSecs = 0;
    QString account;
    QString appKey;
    QDateTime serverTime;

    friend bool operator==(const TokenInfo &, const TokenInfo &) = default;
};

struct MileageReport
{
    ApiList<Trip> trips;
    QList<MileageTotal> totals;
};

// One parser per method; each takes a successful envelope (code 0) and turns
// its payload into domain values, or a MalformedResponse error that says why.
namespace ApiParse {

Result<TokenInfo> token(const ApiEnvelope &env);
Result<ApiList<Device>> deviceList(const ApiEnvelope &env);
Result<Device> deviceDetail(const ApiEnvelope &env);
Result<ApiList<ExpirationUpdate>> expirationUpdate(const ApiEnvelope &env);
Result<QStringList> deviceMove(const ApiEnvelope &env);
Result<DeviceGroup> groupCreate(const ApiEnvelope &env);
Result<ApiList<DeviceGroup>> groupList(const ApiEnvelope &env);
Result<ApiList<DeviceLocation>> locations(const ApiEnvelope &env);
Result<QUrl> shareUrl(const ApiEnvelope &env);
Result<MileageReport> mileage(const ApiEnvelope &env);
Result<ApiList<Position>> track(const ApiEnvelope &env, const QString &imei);
Result<LbsLocation> lbsAddress(const ApiEnvelope &env);
Result<ApiList<StopPeriod>> parking(const ApiEnvelope &env);
Result<ApiList<Position>> tagLocation(const ApiEnvelope &env, const QString &imei);
Result<ApiList<Alarm>> alarms(const ApiEnvelope &env);
Result<LivePage> livePage(const ApiEnvelope &env);
Result<MediaCommandAck> mediaCommand(const ApiEnvelope &env);
Result<ApiList<MediaFile>> mediaFiles(const ApiEnvelope &env, const QString &imei);
Result<ApiList<MediaEvent>> mediaEvents(const ApiEnvelope &env);
Result<QUrl> streamUrl(const ApiEnvelope &env);
Result<ApiList<VideoSegment>> videoSegments(const ApiEnvelope &env);
Result<ApiList<CommandTemplate>> commandTemplates(const ApiEnvelope &env);
Result<ApiList<CommandResult>> commandResults(const ApiEnvelope &env);
Result<QString> fenceId(const ApiEnvelope &env); // device fence serial / platform fence id
Result<int> fenceBindCount(const ApiEnvelope &env);
Result<InstructResult> instruct(const ApiEnvelope &env);
Result<Done> acknowledgement(const ApiEnvelope &env);

} // namespace ApiParse

} // namespace Fleet
