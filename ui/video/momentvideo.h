#pragma once

#include "domain/camera.h"
#include "media/recordinglister.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

namespace Fleet {

class LiveSession;
class PlaybackModel;
class VideoTile;
class VideoWall;

// "Video at this moment": the recording of a vehicle's road camera that
// holds a moment of its track. The device's list for that day is asked
// for once (and kept), the segment that holds the moment is found
// (recordingAt), and it plays in the Cameras dock from that moment: asked
// for from there (JT/T 1078 models) or skipped into (Concox files).
//
// Linked to the playback, it keeps the two in step:
// - while the playback is paused, the playhead follows the video (the map
//   shows where the vehicle was in the picture);
// - when the playhead moves on its own or by hand more than kDriftMs away
//   from the video's moment, the video goes there (within its recording,
//   or into the one that holds the new moment), at most once per seek;
// - at a recording's end it goes on with the next one.
class MomentVideo : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kDriftMs = 2000;

    MomentVideo(LiveSession *session, VideoWall *wall, QObject *parent = nullptr);

    void setSession(LiveSession *session);
    // The playback to keep in step with (not owned; null: none).
    void setPlayback(PlaybackModel *model);

    // Shows the vehicle's recording at the moment (UTC). Said through
    // message(); false at once when the model has no camera.
    bool show(const QString &imei, const QString &vehicle, const QString &model, const QDateTime &at);

    VideoTile *tile() const { return m_tile; }
    QString statusText() const { return m_status; }

Q_SIGNALS:
    void message(const QString &text);
    // The recording's tile is in the Cameras dock.
    void opened(Fleet::VideoTile *tile);

private:
    struct Wanted
    {
        QString imei;
        QString vehicle;
        CameraLayout cameras;
        int channel = 0;
        QDateTime at;
    };
    static QString listKey(const QString &imei, int channel, const QDate &day);
    void say(const QString &text);
    void goTo(const QDateTime &at);
    void resolve(const Wanted &wanted);
    void listed(int id, const RecordingLister::Outcome &outcome);
    void play(const Wanted &wanted, const VideoSegment &segment, bool exact);
    void link(VideoTile *tile);
    void onPlayhead();
    void onFrame();
    void onTileState();

    QPointer<LiveSession> m_session;
    QPointer<VideoWall> m_wall;
    QPointer<PlaybackModel> m_playback;
    QPointer<VideoTile> m_tile;
    QHash<QString, QList<VideoSegment>> m_lists; // by imei/channel/day
    Wanted m_wanted; // what the list under way is for
    int m_request = 0;
    bool m_steering = false; // the playhead is being set from the video
    QElapsedTimer m_lastFollow;
    QString m_status;
    QList<QMetaObject::Connection> m_sessionConnections;
};

} // namespace Fleet
