#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace Fleet {

struct MediaFile
{
    QString imei;
    std::optional<int> camera;
    QString mediaType; // photo / video (or the API's numeric code as text)
    QString mimeType;
    QString thumbUrl;
    QString fileUrl;
    QDateTime created;
    std::optional<qint64> fileSize;

    friend bool operator==(const MediaFile &, const MediaFile &) = default;
};

// jimi.device.media.event.URL: media recorded around an alarm.
struct MediaEvent
{
    QString imei;
    QString eventTypeId;
    QString eventType;
    std::optional<double> lat;
    std::optional<double> lng;
    QDateTime alarmTime;
    QDateTime created;
    QList<MediaFile> files;

    friend bool operator==(const MediaEvent &, const MediaEvent &) = default;
};

// A photo or clip the store knows of (the media table): listed by
// jimi.device.media.event.URL (source poll) or announced by /uploadCallback
// (source push, which names the file but says nothing of where to get it).
struct StoredMedia
{
    qint64 id = 0;
    QString imei;
    QString fileKey; // the cloud's name of the file: one row per (imei, file key)
    std::optional<int> camera;
    QString mediaType; // "photo" / "video", else as the cloud sent it
    QString mimeType;
    QString fileUrl; // empty until the cloud said where the file is
    QString thumbUrl;
    QDateTime created;
    QDateTime alarmTime; // the alarm it was taken for, if any
    QString eventTypeId; // that alarm's type code
    std::optional<qint64> fileSize;
    std::optional<int> durationSeconds;

    bool isVideo() const;
    friend bool operator==(const StoredMedia &, const StoredMedia &) = default;
};

// How far from an alarm (before its first, after its last repeat) media
// taken for it may be stamped: the device's and the cloud's clocks differ by
// seconds, and a clip starts before and ends after the moment.
inline constexpr int kAlarmMediaWindowSecs = 60;

// The key a listed file is stored under: the fileKey of its URL's query
// (Jimi's file links are ".../normal/get?fileKey=NAME"), else the URL's host
// and path (without the query, which may carry a signature), else the URL
// itself. Empty without a URL.
QString mediaFileKey(const MediaFile &file);
// "photo" / "video" for the API's 1 / 2 or words, else the text as sent.
QString mediaTypeName(const QString &text);
// Whether FleetDesk may fetch a URL the cloud gave: http or https with a host
// only (never file:, data: or a local path).
bool isFetchableMediaUrl(const QUrl &url);

// One recording kept on a DVR (jimi.device.media.history.list.get).
struct VideoSegment
{
    int channel = 0;
    QDateTime begin;
    QDateTime end;
    std::optional<qint64> fileSize;
    QString fileName;
    std::optional<int> codeType; // 1 main, 2 sub stream
    std::optional<int> alarmFlag;
    std::optional<int> resourceType;
    std::optional<int> storageType;

    friend bool operator==(const VideoSegment &, const VideoSegment &) = default;
};

// Which recording holds a moment: the segment whose [begin, end) holds it
// (exact), or else the first that begins after it on the list (not exact:
// the device recorded nothing at that moment, say while parked), or -1.
struct RecordingAt
{
    qsizetype index = -1;
    bool exact = false;
};
RecordingAt recordingAt(const QList<VideoSegment> &segments, const QDateTime &moment);

// jimi.device.live.page.url
struct LivePage
{
    QString url;
    std::optional<double> lat;
    std::optional<double> lng;
    QDateTime gpsTime;
    QString vin;
    QString plate;

    friend bool operator==(const LivePage &, const LivePage &) = default;
};

// Acknowledgement of jimi.device.meida.cmd.send / jimi.device.history.cmd.send.
struct MediaCommandAck
{
    QString code; // the device-level result code, as text
    QString message;
    QString cmdSeqNo;

    friend bool operator==(const MediaCommandAck &, const MediaCommandAck &) = default;
};

} // namespace Fleet
