#pragma once

#include "media/streamsessions.h"
#include "videotile.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QLabel;
class QSpinBox;

namespace Fleet {

namespace Player {
class RecordingSaver;
}

class Clock;
class LiveSession;

// The "Cameras" dock: live dashcam channels in a grid of 1, 2×2 or 3×3
// tiles, several vehicles at once. Each tile's stream is opened in the
// cloud through the session (with an appId of its own) and closed there
// when the tile closes, when the session ends, and (the store's journal)
// after a crash at the next start. Streams close themselves after the
// maximum watch time, because the cloud bills video traffic.
class VideoWall : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxTiles = 9;

    explicit VideoWall(QWidget *parent = nullptr);
    ~VideoWall() override;

    // The session whose cloud opens the streams; null closes every tile.
    void setSession(LiveSession *session);
    void setClock(Clock *clock);
    // Where snapshots go (default: the user's Pictures/FleetDesk).
    void setSnapshotDir(const QString &dir) { m_snapshotDir = dir; }
    void setMaxWatchMinutes(int minutes);
    // How long a "minute" of the watch limit is (tests shorten it).
    void setWatchMinuteMs(int ms) { m_minuteMs = ms; }
    int maxWatchMinutes() const;

    // Opens every camera of the vehicle (as many as its model has) in tiles.
    // False, and said in the status line, when the model has no camera or
    // nine tiles are open.
    bool openVehicle(const QString &imei, const QString &vehicle, const QString &model);
    bool openCamera(const VideoTile::Camera &camera);
    void closeTile(VideoTile *tile);
    void closeAll();
    // The tile shows another camera of its vehicle (live, or a recording
    // asked for by time): its stream is closed in the cloud and the other
    // opened. False when the model has no such camera.
    bool switchChannel(VideoTile *tile, int channel);
    // A recording's tile goes to another moment inside it: asked for anew
    // from there (by time), or skipped into (by file). False when the moment
    // is outside the recording.
    bool seek(VideoTile *tile, const QDateTime &at);
    // Saves the tile's recording (the whole of it) to an MP4 file, through a
    // stream of its own that is closed in the cloud when the file is done.
    // Said through message(); false when the tile plays no recording.
    bool saveRecording(VideoTile *tile, const QString &path);
    int savesRunning() const { return int(m_saves.size()); }
    // The tile plays another camera or recording in place.
    void retarget(VideoTile *tile, const VideoTile::Camera &camera, const QString &why);

    QList<VideoTile *> tiles() const { return m_tiles; }
    int columns() const { return m_columns; }
    QString statusText() const;

Q_SIGNALS:
    void maxWatchMinutesChanged(int minutes);
    // A save ended: path holds the whole recording, or nothing (and why).
    void recordingSaved(const QString &path, bool ok, const QString &error);
    // Something the user should read (a snapshot saved, a stream closed at
    // the limit, a refusal).
    void message(const QString &text);

private:
    void say(const QString &text);
    void relayout();
    void setColumns(int columns);
    void snapshot(VideoTile *tile);
    void chooseSaveFile(VideoTile *tile);
    void saveFinished(int streamId, bool ok, const QString &error);
    void toggleFullScreen(VideoTile *tile);
    VideoTile *tileOf(int streamId) const;
    static StreamRequest requestOf(const VideoTile::Camera &camera);

    QPointer<LiveSession> m_session;
    Clock *m_clock = nullptr;
    QString m_snapshotDir;
    QComboBox *m_layout = nullptr;
    QSpinBox *m_maxWatch = nullptr;
    QLabel *m_status = nullptr;
    QWidget *m_grid = nullptr;
    QGridLayout *m_gridLayout = nullptr;
    QLabel *m_empty = nullptr;
    QList<VideoTile *> m_tiles;
    QHash<VideoTile *, int> m_streamIds;
    QHash<VideoTile *, QTimer *> m_watchLimits;
    QPointer<VideoTile> m_fullScreen;
    int m_columns = 1;
    QElapsedTimer m_since; // the watch limits count on it
    int m_minuteMs = 60000;
    QList<QMetaObject::Connection> m_sessionConnections;
    struct Save
    {
        Player::RecordingSaver *saver = nullptr;
        QString path;
        QString title;
    };
    QHash<int, Save> m_saves; // by stream id
};

} // namespace Fleet
