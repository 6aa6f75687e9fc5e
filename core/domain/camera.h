#pragma once

#include <QDateTime>
#include <QString>

namespace Fleet {

// How a dashcam model counts its camera channels. Concox-protocol DVRs
// (JC261, JC400) start at 0, JT/T 808/1078 DVRs (JC371, JC181, JC182,
// JC450, JC451) at 1 (api-field-notes §4). The cloud has no call that
// tells a device's channels, so this table is the one place that knows;
// the UI shows channels as the model counts them.
struct CameraLayout
{
    bool dashcam = false;
    int first = 1; // the first channel's number
    int count = 0; // road and cabin
};
CameraLayout cameraLayout(const QString &model);

// The cloud's appId of one stream session: 15 random letters and digits
// (api-field-notes §4). A stream is closed with the appId it was opened with.
QString newStreamAppId();

// One stream the app opened in the cloud (table video_streams): kept from
// open to close, so that a stream a crash left open is closed at the next
// start, and the watch time the cloud bills can be told.
struct VideoStreamRecord
{
    QString appId;
    QString imei;
    int channel = 0;
    bool history = false; // a recording (history.stream), else live
    QDateTime openedAt; // UTC; null when only the close is written
    QDateTime closedAt; // UTC; null while open
    QString closeResult; // "closed", or why the cloud did not confirm

    friend bool operator==(const VideoStreamRecord &, const VideoStreamRecord &) = default;
};

} // namespace Fleet
