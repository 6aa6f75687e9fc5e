#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

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
