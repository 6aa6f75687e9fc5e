#pragma once

#include <QImage>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QSize>
#include <QUrl>
#include <QVideoFrame>

#include <atomic>
#include <memory>
#include <thread>

#include <QVideoSink>

class QAudioSink;
class QIODevice;

namespace Fleet::Player {

enum class PlayMode {
    Live, // every picture at once; the stream follows live
    Paced, // every picture at its timestamp; behind by more than maxLagMs, it skips ahead
};

struct StreamOptions
{
    PlayMode mode = PlayMode::Live;
    int openTimeoutMs = 10000; // to the stream's head
    int stallMs = 5000; // no data for this long: Stalled, then Failed after twice as long
    int maxLagMs = 2000; // behind by more than this: pictures skipped to the next keyframe
    // Where to start inside the stream, in ms after its first picture: a
    // recording that the cloud sends from a file's beginning (Concox models
    // are asked by file name) is skipped into. Only the picture group before
    // that moment is decoded; the pictures before it are not shown.
    qint64 startAtMs = 0;
};

// One video stream decoded with FFmpeg's libraries into a QVideoSink: the
// low-latency path for dashcam video (issue 14). Qt Multimedia's own
// player needs seconds to its first live frame, because its GStreamer
// pipeline buffers before it plays; here the demuxer probes little, reads
// without buffering, and every picture goes to the sink as soon as it is
// decoded (Live), or at its own time (Paced: recordings and files).
// The sound is decoded only when switched on (setAudioEnabled).
//
// The demuxing and decoding run on a thread of the stream's own; the sink
// gets the newest picture on the object's thread, and pictures the GUI had
// no time for are dropped, never queued.
//
// URLs: http, https, rtmp, rtsp (what FFmpeg has), and local files; ws://
// and wss:// as http:// and https:// (the cloud says the two are
// interchangeable for its FLV streams). The
// protocols FFmpeg may use are listed, so that a URL from the cloud cannot
// reach a local file or another protocol through a playlist.
class VideoStream : public QObject
{
    Q_OBJECT
public:
    using Mode = PlayMode;
    using Options = StreamOptions;
    enum class State { Idle, Connecting, Playing, Stalled, Ended, Failed };
    Q_ENUM(State)

    explicit VideoStream(QObject *parent = nullptr);
    ~VideoStream() override;

    // Not owned; may be null (snapshots and probes need none).
    void setVideoSink(QVideoSink *sink);
    QVideoSink *videoSink() const { return m_sink; }

    // Stops what plays and opens the URL. A URL it cannot play fails at
    // once, with a message that names its scheme.
    void open(const QUrl &url, const Options &options = {});
    void stop();

    QUrl url() const { return m_url; }
    State state() const { return m_state; }
    QString errorString() const { return m_error; }
    QString codecName() const;
    // How the stream comes: "websocket", or the URL's scheme ("http", "file" …); empty before it is open.
    QString transport() const;
    QSize frameSize() const;
    // From open() to the first picture handed over; -1 before it.
    qint64 firstFrameMs() const { return m_firstFrameMs; }
    qint64 framesDelivered() const { return m_delivered; }
    // Pictures decoded but never shown: the GUI was busy, or Paced skipped ahead.
    qint64 framesDropped() const;
    // How far behind the stream's own clock the pictures are, against the
    // best seen since it started (Live), or the playing position (Paced).
    qint64 delayMs() const;
    // The stream's timestamp of the newest picture, ms; -1 before it.
    qint64 positionMs() const;
    // How far into the stream the newest picture is: its timestamp less the
    // stream's first, ms; -1 before it. A recording's moment is its start plus this.
    qint64 elapsedMs() const;
    QVideoFrame currentFrame() const { return m_frame; }

    // The stream's sound (off by default, and for any stream opened while
    // off): decoded on the stream's thread and played on the default
    // output as it comes; what the output cannot take at once is dropped,
    // so the sound never lags behind the picture.
    void setAudioEnabled(bool on);
    bool audioEnabled() const { return m_audioOn; }
    // Samples (per channel) decoded since open() while the sound was on.
    qint64 audioSamplesDecoded() const { return m_audioSamples; }
    int audioSampleRate() const { return m_audioRate; }
    int audioChannels() const { return m_audioChannels; }
    // Why the sound is not heard (no output device, a format it refuses),
    // or empty.
    QString audioError() const { return m_audioError; }
    // The newest picture as an image (RGB32, converted here, no GPU); null before one.
    QImage snapshot() const;

    // Why the URL cannot be played, or empty when it can.
    static QString unsupportedReason(const QUrl &url);
    // A picture of a planar YUV 4:2:0 frame as an image; null for other formats.
    static QImage toImage(const QVideoFrame &frame);

Q_SIGNALS:
    void stateChanged(Fleet::Player::VideoStream::State state);
    void firstFrame(qint64 ms);
    void frameDelivered();
    void failed(const QString &message);
    // The sound was switched, or could not be played (audioError()).
    void audioChanged();

private:
    struct Shared;
    void deliver();
    void playAudio(const QByteArray &pcm, int rate, int channels, int samples);
    void stopAudio();
    void changeState(State state, const QString &error = {});
    void join();

    QPointer<QVideoSink> m_sink;
    QUrl m_url;
    State m_state = State::Idle;
    QString m_error;
    std::shared_ptr<Shared> m_shared;
    std::thread m_thread;
    QVideoFrame m_frame;
    qint64 m_firstFrameMs = -1;
    qint64 m_delivered = 0;
    bool m_audioOn = false;
    qint64 m_audioSamples = 0;
    int m_audioRate = 0;
    int m_audioChannels = 0;
    QString m_audioError;
    QAudioSink *m_audioSink = nullptr;
    QIODevice *m_audioOut = nullptr;
};

} // namespace Fleet::Player
