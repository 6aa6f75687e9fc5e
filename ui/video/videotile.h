#pragma once

#include "videosurface.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>
#include <QUrl>

class QSlider;
class QToolButton;

namespace Fleet::Player {
class VideoStream;
}

namespace Fleet {

// One camera in the video wall: the picture (kept in proportion, black
// bars around it), the vehicle and channel top left, and top right what the
// stream does: connecting, live with its delay, stalled, reconnecting in N s.
// A stream that drops is asked for again after a back-off (1, 2, 4 … 30 s)
// through renewRequested(); the wall hands the new URL to play().
class VideoTile : public VideoSurface
{
    Q_OBJECT
public:
    struct Camera
    {
        QString imei;
        QString vehicle; // as the fleet list names it
        int channel = 0; // as the model counts
        // A recording from the device's card: its span (null begin: live)
        // and, for models that are asked by name, its file.
        QDateTime recordingBegin;
        QDateTime recordingEnd;
        QString recordingFile;
        // Where in the recording to begin (null: at its beginning). By time,
        // the cloud is asked from there; by file, the stream is skipped into.
        QDateTime startAt;
        // The cameras of the vehicle's model, for switching between them.
        int firstChannel = 0;
        int channelCount = 1;
        bool isRecording() const { return recordingBegin.isValid(); }
        bool byFile() const { return !recordingFile.isEmpty(); }
        // The recording's moment at which the stream the cloud sends begins.
        QDateTime streamOrigin() const { return byFile() || !startAt.isValid() ? recordingBegin : startAt; }
    };

    explicit VideoTile(const Camera &camera, QWidget *parent = nullptr);
    ~VideoTile() override;

    const Camera &camera() const { return m_camera; }
    QString title() const;
    // The cloud handed out the stream's URL (first, or again).
    void play(const QUrl &url);
    // Another camera, or another moment of the recording: the stream stops,
    // the last picture stays until the new one comes, and the wall asks the
    // cloud anew.
    void retarget(const Camera &camera, const QString &why);
    // A recording's moment that the picture shows (UTC); null before one, and live.
    QDateTime moment() const;
    // The camera's sound (muted by default; the wall keeps it on one tile at most).
    void setSound(bool on);
    bool sound() const;
    // The cloud could not open it: said in the tile, and asked again after
    // the back-off.
    void cloudFailed(const QString &message);
    QString stateText() const { return m_state; }
    Player::VideoStream *stream() const { return m_stream.get(); }
    // Saves the picture as a PNG in dir; the file's path, or empty (and why in *error).
    QString saveSnapshot(const QString &dir, const QDateTime &localTime, QString *error) const;

    // The back-off before the attempt-th renewal (1-based): 1, 2, 4, 8, 16, 30, 30 … s.
    static int backoffSecs(int attempt);

Q_SIGNALS:
    void renewRequested();
    void closeRequested();
    void snapshotRequested();
    void fullScreenRequested();
    // The user chose another camera of the vehicle.
    void channelRequested(int channel);
    // The user moved a recording's position.
    void seekRequested(const QDateTime &at);
    // "Save…" on a recording.
    void saveRequested();
    // The user switched the sound on or off.
    void soundToggled(bool on);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void onStreamState();
    void scheduleRenewal(const QString &why);
    void setState(const QString &text);
    void updateLiveText();
    void updateControls();

    Camera m_camera;
    std::unique_ptr<Player::VideoStream> m_stream;
    QString m_state;
    QTimer m_renewal;
    QTimer m_countdown;
    QElapsedTimer m_renewalClock;
    int m_attempt = 0;
    QWidget *m_bar = nullptr;
    QToolButton *m_channel = nullptr;
    QToolButton *m_save = nullptr;
    QToolButton *m_sound = nullptr;
    QSlider *m_position = nullptr;
    bool m_settingPosition = false;
};

} // namespace Fleet
