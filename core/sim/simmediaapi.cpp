#include "simmediaapi.h"

#include "domain/camera.h"
#include "util/utc.h"

#include "sim/simfleet.h"
#include "sim/simstate.h"
#include "sim/simserverconfig.h"
#include "sim/simsupport.h"
#include "util/clock.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

#include <algorithm>

namespace Fleet::Sim {

using namespace SimSupport;

namespace {

QString fileStamp(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy_MM_dd_HH_mm_ss"));
}

// media_type arrives as 1/2 or photo/video depending on the doc version.
int mediaTypeOf(const QString &text)
{
    if (text == QLatin1String("1") || text.compare(QLatin1String("photo"), Qt::CaseInsensitive) == 0)
        return 1;
    if (text == QLatin1String("2") || text.compare(QLatin1String("video"), Qt::CaseInsensitive) == 0)
        return 2;
    return 0;
}

} // namespace

SimMediaApi::SimMediaApi(const SimContext &ctx)
    : m_ctx(ctx)
{ }

void SimMediaApi::registerMethods(SimHandlerTable &table)
{
    table.insert(QStringLiteral("jimi.device.live.page.url"), [this](const SimCall &c) { return livePageUrl(c); });
    // "meida" is the real method name's spelling.
    table.insert(QStringLiteral("jimi.device.meida.cmd.send"), [this](const SimCall &c) { return mediaCommand(c); });
    table.insert(QStringLiteral("jimi.device.history.cmd.send"),
                 [this](const SimCall &c) { return historyCommand(c); });
    table.insert(QStringLiteral("jimi.device.jimi.media.URL"), [this](const SimCall &c) { return mediaUrl(c); });
    table.insert(QStringLiteral("jimi.device.media.event.URL"), [this](const SimCall &c) { return eventUrl(c); });
    table.insert(QStringLiteral("jimi.device.media.live.stream"), [this](const SimCall &c) { return liveStream(c); });
    table.insert(QStringLiteral("jimi.device.media.history.list.cmd"),
                 [this](const SimCall &c) { return historyListCommand(c); });
    table.insert(QStringLiteral("jimi.device.media.history.list.get"),
                 [this](const SimCall &c) { return historyListGet(c); });
    table.insert(QStringLiteral("jimi.device.media.history.stream"),
                 [this](const SimCall &c) { return historyStream(c); });
    table.insert(QStringLiteral("jimi.device.media.close.stream"), [this](const SimCall &c) { return closeStream(c); });
}

int SimMediaApi::firstChannel(const QString &model)
{
    return cameraLayout(model).first;
}

std::optional<SimReply> SimMediaApi::dashcam(const SimCall &call, int *index, bool mustBeOnline) const
{
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), index))
        return err;
    const SimDevice &d = m_ctx.fleet->device(*index);
    // 243 is the "not supported" command result of §2.13; no source shows
    // what the cloud answers a video call on a plain tracker.
    if (!d.dashcam)
        return SimReply::error(243, QStringLiteral("The device does not support this function"));
    if (mustBeOnline && !m_ctx.fleet->isOnline(*index, call.fleetNow)) {
        // As the notes show it: code 228 and the *string* "null".
        SimReply r = SimReply::error(228, QStringLiteral("The device is not online"));
        r.result = QStringLiteral("null");
        return r;
    }
    return std::nullopt;
}

std::optional<SimReply> SimMediaApi::channel(const SimCall &call, int index, int *channel) const
{
    // The tables say "channal", the examples "channel"; clients send either or both.
    QString text = call.param("channel");
    if (text.isEmpty())
        text = call.param("channal");
    if (text.isEmpty())
        return SimReply::badParam(QStringLiteral("Parameter validation: channel is required"));
    const SimDevice &d = m_ctx.fleet->device(index);
    const int first = firstChannel(d.model);
    bool ok = false;
    *channel = text.toInt(&ok);
    if (!ok || *channel < first || *channel >= first + qMax(1, d.cameraChannels)) {
        return SimReply::badParam(QStringLiteral("Parameter validation: channel must be %1..%2")
                                      .arg(first)
                                      .arg(first + qMax(1, d.cameraChannels) - 1));
    }
    return std::nullopt;
}

QString SimMediaApi::fileUrl(const QString &fileKey) const
{
    return QStringLiteral("http://") + m_ctx.hostPort() + QStringLiteral("/normal/get?fileKey=") + fileKey;
}

SimReply SimMediaApi::livePageUrl(const SimCall &call)
{
    int index = -1;
    if (auto err = dashcam(call, &index))
        return *err;
    const QString type = call.param("type").isEmpty() ? QStringLiteral("1") : call.param("type");
    if (type != QLatin1String("1") && type != QLatin1String("2"))
        return SimReply::badParam(QStringLiteral("Parameter validation: type must be 1 or 2"));
    const SimDevice &d = m_ctx.fleet->device(index);
    const auto fix = m_ctx.fleet->lastFix(index, call.fleetNow);
    const QString url = QStringLiteral("http://") + m_ctx.hostPort() + QStringLiteral("/video/") + d.imei
        + QStringLiteral("?type=") + type + QStringLiteral("&token=") + m_ctx.state->newId();
    QJsonObject o{
        {QStringLiteral("UrlCamera"), url},
        {QStringLiteral("lat"), fix ? round6(fix->lat) : 0.0},
        {QStringLiteral("lng"), fix ? round6(fix->lng) : 0.0},
        {QStringLiteral("gpsTime"), fix ? formatTime(fix->gpsTime) : QString()},
        {QStringLiteral("direction"), fix ? fix->course : 0},
        {QStringLiteral("gpsSpeed"), fix ? qRound(fix->speedKmh) : 0},
        {QStringLiteral("posType"), 1},
        {QStringLiteral("satellite"), fix ? fix->satellites : 0},
        {QStringLiteral("VIN"), d.vin},
        {QStringLiteral("plateNo"), m_ctx.state->devices.at(index).plate},
    };
    // Yes, the real success message of this method (api-field-notes §2.0).
    return SimReply::ok(o, QStringLiteral("Vehicle information modification successful"));
}

SimReply SimMediaApi::mediaCommand(const SimCall &call)
{
    int index = -1;
    if (auto err = dashcam(call, &index, false))
        return *err;
    int camera = 0;
    if (auto err = require(call, {QStringLiteral("camera"), QStringLiteral("mediaType")}))
        return *err;
    if (auto err = parseInt(call, QStringLiteral("camera"), 1, 1, 3, &camera))
        return *err;
    const int mediaType = mediaTypeOf(call.param("mediaType"));
    if (mediaType == 0)
        return SimReply::badParam(QStringLiteral("Parameter validation: mediaType must be 1 (photo) or 2 (video)"));
    int shootTime = 0;
    if (auto err = parseInt(call, QStringLiteral("shootTime"), 5, 3, 10, &shootTime))
        return *err;

    if (!m_ctx.fleet->isOnline(index, call.fleetNow)) {
        // The notes' offline example: top-level -1 "Operation successful",
        // the device result 228 inside.
        SimReply r = SimReply::error(-1, QStringLiteral("Operation successful"));
        r.result = QJsonObject{{QStringLiteral("code"), QStringLiteral("228")},
                               {QStringLiteral("data"), QJsonValue::Null},
                               {QStringLiteral("msg"), QStringLiteral("The device is not online")},
                               {QStringLiteral("cmdSeqNo"), QJsonValue::Null}};
        return r;
    }
    const int seq = m_ctx.state->nextSequence();
    const SimDevice &d = m_ctx.fleet->device(index);
    const QList<int> cameras = camera == 3 ? QList<int>{1, 2} : QList<int>{camera};
    for (int cam : cameras) {
        SimMediaFile f;
        f.imei = d.imei;
        f.camera = cam;
        f.mediaType = mediaType;
        f.created = call.fleetNow.addSecs(mediaType == 2 ? shootTime : 1);
        f.fileKey = QStringLiteral("%1_%2_%3_I_%4.%5")
                        .arg(d.imei)
                        .arg(seq)
                        .arg(fileStamp(f.created))
                        .arg(cam)
                        .arg(mediaType == 2 ? QStringLiteral("mp4") : QStringLiteral("jpg"));
        f.size = mediaType == 2 ? 400000LL * shootTime : 180000;
        m_ctx.state->addMedia(f);
    }
    return SimReply::ok(QJsonObject{{QStringLiteral("code"), QStringLiteral("255")},
                                    {QStringLiteral("data"), QStringLiteral("1.3.3")},
                                    {QStringLiteral("msg"), QStringLiteral("\u901a\u4fe1\u6210\u529f\u54cd\u5e94")},
                                    {QStringLiteral("cmdSeqNo"), QString::number(seq)}});
}

SimReply SimMediaApi::historyCommand(const SimCall &call)
{
    int index = -1;
    if (auto err = dashcam(call, &index))
        return *err;
    if (auto err = require(call, {QStringLiteral("type"), QStringLiteral("camera")}))
        return *err;
    const int seq = m_ctx.state->nextSequence();
    return SimReply::ok(QJsonObject{{QStringLiteral("code"), QStringLiteral("255")},
                                    {QStringLiteral("data"), QStringLiteral("1.3.3")},
                                    {QStringLiteral("msg"), QStringLiteral("\u901a\u4fe1\u6210\u529f\u54cd\u5e94")},
                                    {QStringLiteral("cmdSeqNo"), QString::number(seq)}});
}

SimReply SimMediaApi::mediaUrl(const SimCall &call)
{
    int index = -1;
    if (auto err = dashcam(call, &index, false))
        return *err;
    int camera = 0;
    if (auto err = parseInt(call, QStringLiteral("camera"), 0, 0, 8, &camera))
        return *err;
    const QString typeText = call.param("media_type");
    const int mediaType = typeText.isEmpty() ? 0 : mediaTypeOf(typeText);
    if (!typeText.isEmpty() && mediaType == 0)
        return SimReply::badParam(QStringLiteral("Parameter validation: media_type must be photo or video"));
    QDateTime begin, end;
    const bool ranged = !call.param("start_time").isEmpty() || !call.param("end_time").isEmpty();
    if (ranged) {
        if (auto err = parseRange(call, QStringLiteral("start_time"), QStringLiteral("end_time"), &begin, &end))
            return *err;
        if (auto err = limitRange(begin, end, kReportMaxDays))
            return *err;
    }
    qint64 pageNo = 0;
    qint64 pageSize = 10;
    // This method's page_no counts from 0 (field notes §2.11).
    if (auto err = parseInt64(call, QStringLiteral("page_no"), 0, 0, kMaxPageNo, &pageNo))
        return *err;
    if (auto err = parseInt64(call, QStringLiteral("page_size"), 10, 1, 100, &pageSize))
        return *err;

    const QString imei = m_ctx.fleet->device(index).imei;
    QList<SimMediaFile> files;
    for (const SimMediaFile &f : std::as_const(m_ctx.state->media)) {
        if (f.imei != imei || f.created > call.fleetNow)
            continue;
        if ((camera > 0 && f.camera != camera) || (mediaType > 0 && f.mediaType != mediaType))
            continue;
        if (ranged && (f.created < begin || f.created > end))
            continue;
        files.append(f);
    }
    std::stable_sort(files.begin(), files.end(),
                     [](const SimMediaFile &a, const SimMediaFile &b) { return a.created > b.created; });
    QJsonArray rows;
    const qint64 first = pageNo * pageSize;
    for (qint64 k = first; k < files.size() && k < first + pageSize; ++k) {
        const SimMediaFile &f = files.at(k);
        const bool video = f.mediaType == 2;
        rows.append(QJsonObject{
            {QStringLiteral("imei"), f.imei},
            {QStringLiteral("camera"), f.camera},
            {QStringLiteral("media_type"), f.mediaType},
            {QStringLiteral("mime_type"), video ? QStringLiteral("video/mp4") : QStringLiteral("image/jpeg")},
            {QStringLiteral("thumb_URL"), fileUrl(f.fileKey + QStringLiteral("&thumb=1"))},
            {QStringLiteral("file_URL"), fileUrl(f.fileKey)},
            {QStringLiteral("create_time"), f.created.toSecsSinceEpoch()},
            {QStringLiteral("alarm_time"), QJsonValue::Null},
            {QStringLiteral("file_size"), QString::number(f.size)},
        });
    }
    return SimReply::ok(rows);
}

SimReply SimMediaApi::eventUrl(const SimCall &call)
{
    QList<int> indexes;
    if (auto err = parseImeis(call, m_ctx, QStringLiteral("imeis"), 50, &indexes))
        return *err;
    QDateTime begin, end;
    if (auto err = parseRange(call, QStringLiteral("start_time"), QStringLiteral("end_time"), &begin, &end))
        return *err;
    if (auto err = limitRange(begin, end, kReportMaxDays))
        return *err;
    qint64 pageNo = 1;
    qint64 pageSize = 10;
    if (auto err = parseInt64(call, QStringLiteral("page_no"), 1, 1, kMaxPageNo, &pageNo))
        return *err;
    if (auto err = parseInt64(call, QStringLiteral("page_size"), 10, 1, 100, &pageSize))
        return *err;
    const QString eventType = call.param("event_type");
    const QString typeText = call.param("media_type");
    const int mediaType = typeText.isEmpty() ? 0 : mediaTypeOf(typeText);

    struct Event
    {
        int index;
        SimAlarm alarm;
    };
    QList<Event> events;
    const QDateTime to = end > call.fleetNow ? call.fleetNow : end;
    for (int i : std::as_const(indexes)) {
        if (!m_ctx.fleet->device(i).dashcam || begin >= to)
            continue;
        const QList<SimAlarm> alarms = m_ctx.fleet->alarms(i, begin, to);
        for (const SimAlarm &a : alarms) {
            if (a.time < begin || a.time > to || (!eventType.isEmpty() && a.typeId != eventType))
                continue;
            events.append({i, a});
        }
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const Event &a, const Event &b) { return a.alarm.time > b.alarm.time; });

    QJsonArray rows;
    const qint64 first = (pageNo - 1) * pageSize;
    for (qint64 k = first; k < events.size() && k < first + pageSize; ++k) {
        const Event &e = events.at(k);
        const SimDevice &d = m_ctx.fleet->device(e.index);
        QJsonArray files;
        // Every event carries a snapshot and a clip from the road camera.
        for (int type = 1; type <= 2; ++type) {
            if (mediaType > 0 && type != mediaType)
                continue;
            const QString key = simEventFileKey(d.imei, e.alarm.time, e.alarm.typeId, type == 2);
            files.append(QJsonObject{
                {QStringLiteral("media_type"), type},
                {QStringLiteral("mime_type"), type == 2 ? QStringLiteral("video/mp4") : QStringLiteral("image/jpeg")},
                {QStringLiteral("thumb_URL"), fileUrl(key + QStringLiteral("&thumb=1"))},
                {QStringLiteral("file_URL"), fileUrl(key)},
                {QStringLiteral("camera"), firstChannel(d.model)},
                {QStringLiteral("file_size"), type == 2 ? 4200000 : 180000},
            });
        }
        rows.append(QJsonObject{
            {QStringLiteral("imei"), d.imei},
            {QStringLiteral("event_type_id"), e.alarm.typeId},
            {QStringLiteral("event_type"), e.alarm.typeName},
            {QStringLiteral("lat"), numberText(e.alarm.lat, 6)},
            {QStringLiteral("lng"), numberText(e.alarm.lng, 6)},
            {QStringLiteral("alarm_time"), e.alarm.time.toSecsSinceEpoch()},
            {QStringLiteral("create_time"), e.alarm.time.toSecsSinceEpoch() + 20},
            {QStringLiteral("fileList"), files},
        });
    }
    const qint64 total = events.size();
    return SimReply::okData(QJsonObject{
        {QStringLiteral("currentPage"), pageNo},
        {QStringLiteral("pageSize"), pageSize},
        {QStringLiteral("startRow"), first},
        {QStringLiteral("endRow"), first + rows.size()},
        {QStringLiteral("totalRecord"), total},
        {QStringLiteral("totalPage"), (total + pageSize - 1) / pageSize},
        {QStringLiteral("result"), rows},
    });
}

QString SimMediaApi::openStream(const SimDevice &device, int channel, const QString &appId, bool history,
                                qint64 durationMs)
{
    SimStreamGrant grant;
    grant.key = QStringLiteral("%1/%2/%3/%4").arg(device.imei).arg(channel).arg(appId).arg(history ? 1 : 0);
    grant.path = QStringLiteral("/%1/%2%3.flv")
                     .arg(channel)
                     .arg(device.imei, history ? QStringLiteral(".history") : QString());
    grant.history = history;
    grant.durationMs = durationMs;
    // The first channel films the road, the others the cabin.
    grant.look = channel == firstChannel(device.model) ? QStringLiteral("road") : QStringLiteral("cabin");
    m_ctx.state->openStream(grant.key);
    const QString secret = m_ctx.state->newId();
    m_ctx.state->grantStream(secret, grant);
    return QStringLiteral("%1://%2%3?secret=%4")
        .arg(history ? QStringLiteral("ws") : QStringLiteral("http"), m_ctx.streamHostPort(), grant.path, secret);
}

SimReply SimMediaApi::liveStream(const SimCall &call)
{
    int index = -1;
    if (auto err = dashcam(call, &index))
        return *err;
    int ch = 0;
    if (auto err = channel(call, index, &ch))
        return *err;
    if (auto err = require(call, {QStringLiteral("appId")}))
        return *err;
    if (auto err = limitLength(call, {QStringLiteral("appId")}))
        return *err;
    // HTTP-FLV like the official sample.
    const QString url = openStream(m_ctx.fleet->device(index), ch, call.param("appId"), false, 0);
    return SimReply::ok(url);
}

SimReply SimMediaApi::historyListCommand(const SimCall &call)
{
    int index = -1;
    if (auto err = dashcam(call, &index))
        return *err;
    int ch = 0;
    if (auto err = channel(call, index, &ch))
        return *err;
    if (auto err = require(call,
                           {QStringLiteral("dateTime"), QStringLiteral("instructionId"), QStringLiteral("appId")}))
        return *err;
    if (auto err = limitLength(call, {QStringLiteral("instructionId"), QStringLiteral("appId")}))
        return *err;
    const QDate date = QDate::fromString(call.param("dateTime").left(10), QStringLiteral("yyyy-MM-dd"));
    if (!date.isValid())
        return SimReply::badParam(QStringLiteral("Parameter validation: dateTime must be yyyy-MM-dd"));
    SimHistoryListRequest req;
    req.imei = m_ctx.fleet->device(index).imei;
    req.channel = ch;
    req.date = date;
    req.requestedAt = call.realNow;
    m_ctx.state->addHistoryList(call.param("instructionId"), req);
    return SimReply::ok();
}

SimReply SimMediaApi::historyListGet(const SimCall &call)
{
    if (auto err = require(call, {QStringLiteral("instructionId")}))
        return *err;
    const auto it = m_ctx.state->historyLists.constFind(call.param("instructionId"));
    if (it == m_ctx.state->historyLists.cend())
        return SimReply::badParam(QStringLiteral("Parameter validation: unknown instructionId"));
    const SimHistoryListRequest &req = *it;
    if (req.requestedAt.secsTo(call.realNow) > SimState::kHistoryListLifetimeSecs)
        return SimReply::badParam(QStringLiteral("Parameter validation: unknown instructionId"));
    // The device needs a moment to upload its list: 1207 until then (§4.8).
    if (req.requestedAt.msecsTo(call.realNow) < m_ctx.config->historyListDelayMs)
        return SimReply::error(1207,
                               QStringLiteral(
                                   "The device has not uploaded the video list yet, please try again later"));

    const int index = m_ctx.fleet->indexOf(req.imei);
    const SimDevice &d = m_ctx.fleet->device(index);
    const bool concox = firstChannel(d.model) == 0;
    const QDateTime dayStart = Utc::dateTime(req.date, QTime(0, 0));
    QDateTime dayEnd = dayStart.addDays(1);
    if (dayEnd > call.fleetNow)
        dayEnd = call.fleetNow;
    // The DVR records while the engine runs: one file per minute (Concox)
    // or per three minutes (JT/T 1078) of every trip that day.
    const int pieceSecs = concox ? 60 : 180;
    QJsonArray rows;
    const QList<SimTrip> trips = dayStart < dayEnd ? m_ctx.fleet->trips(index, dayStart, dayEnd) : QList<SimTrip>();
    for (const SimTrip &t : trips) {
        QDateTime from = qMax(t.start, dayStart);
        const QDateTime until = qMin(t.end, dayEnd);
        while (from < until && rows.size() < 500) {
            const QDateTime to = qMin(from.addSecs(pieceSecs), until);
            QJsonObject o{
                {QStringLiteral("channel"), QString::number(req.channel)},
                {QStringLiteral("beginTime"), formatTime(from)},
                {QStringLiteral("endTime"), formatTime(to)},
                {QStringLiteral("codeType"), 2},
                {QStringLiteral("sortBeginTime"), from.toMSecsSinceEpoch()},
            };
            if (concox) {
                o.insert(QStringLiteral("alarmFlag"), QJsonValue::Null);
                o.insert(QStringLiteral("resourceType"), QJsonValue::Null);
                o.insert(QStringLiteral("storageType"), QJsonValue::Null);
                o.insert(QStringLiteral("fileSize"), QJsonValue::Null);
                o.insert(
                    QStringLiteral("fileName"),
                    QStringLiteral("%1_%2.mp4").arg(fileStamp(from)).arg(req.channel + 1, 2, 10, QLatin1Char('0')));
            } else {
                o.insert(QStringLiteral("alarmFlag"), 0);
                o.insert(QStringLiteral("resourceType"), 0);
                o.insert(QStringLiteral("storageType"), 0);
                o.insert(QStringLiteral("fileSize"), from.secsTo(to) * 36630);
                o.insert(QStringLiteral("fileName"), QJsonValue::Null);
            }
            rows.append(o);
            from = to;
        }
    }
    return SimReply::ok(rows);
}

SimReply SimMediaApi::historyStream(const SimCall &call)
{
    int index = -1;
    if (auto err = dashcam(call, &index))
        return *err;
    int ch = 0;
    if (auto err = channel(call, index, &ch))
        return *err;
    if (auto err = require(call, {QStringLiteral("appId")}))
        return *err;
    if (auto err = limitLength(call, {QStringLiteral("appId")}))
        return *err;
    const bool byTime = !call.param("beginTime").isEmpty() && !call.param("endTime").isEmpty();
    if (!byTime && call.param("fileNameList").isEmpty())
        return SimReply::badParam(
            QStringLiteral("Parameter validation: beginTime and endTime or fileNameList is required"));
    if (byTime && (!parseTime(call.param("beginTime")) || !parseTime(call.param("endTime"))))
        return SimReply::badParam(
            QStringLiteral("Parameter validation: beginTime/endTime must be yyyy-MM-dd HH:mm:ss"));
    // A recording plays from its start for the time range's length, or a
    // file's (a Concox file holds one minute, see historyListGet).
    const qint64 seconds = byTime ? parseTime(call.param("beginTime"))->secsTo(*parseTime(call.param("endTime")))
                                  : 60 * qint64(call.param("fileNameList").split(QLatin1Char(',')).size());
    // ws://…history.flv, as the real answer; "websocket and http protocols
    // can be interchanged" (§4.6), and the media server answers the same
    // path over HTTP.
    const QString url = openStream(m_ctx.fleet->device(index), ch, call.param("appId"), true,
                                   std::clamp<qint64>(seconds, 1, 86400) * 1000);
    return SimReply::ok(url);
}

SimReply SimMediaApi::closeStream(const SimCall &call)
{
    int index = -1;
    if (auto err = dashcam(call, &index, false))
        return *err;
    int ch = 0;
    if (auto err = channel(call, index, &ch))
        return *err;
    if (auto err = require(call, {QStringLiteral("appId")}))
        return *err;
    const QString type = call.param("type").isEmpty() ? QStringLiteral("0") : call.param("type");
    const QString imei = m_ctx.fleet->device(index).imei;
    m_ctx.state->closeStream(QStringLiteral("%1/%2/%3/%4").arg(imei).arg(ch).arg(call.param("appId"), type));
    return SimReply::ok();
}

} // namespace Fleet::Sim
