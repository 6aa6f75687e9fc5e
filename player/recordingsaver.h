#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>
#include <thread>

namespace Fleet::Player {

// Saves a stream to an MP4 file without re-encoding it: its H.264 pictures
// and its AAC sound are copied into the new container as they come (what
// `ffmpeg -c copy` does). The API has no download call for a recording on a
// dashcam's card, so "save this recording" reads the stream the cloud hands
// out (history.stream) to its end. Written under a temporary name beside
// the file and renamed when whole: a failed or cancelled save leaves no
// file. The same URL checks and protocol whitelist as VideoStream.
class RecordingSaver : public QObject
{
    Q_OBJECT
public:
    explicit RecordingSaver(QObject *parent = nullptr);
    // Cancels a save under way and waits for its thread.
    ~RecordingSaver() override;

    // Starts saving; false (with errorString()) when the URL cannot be
    // played. maxDurationMs > 0 ends the file after that much of the stream.
    bool start(const QUrl &url, const QString &path, qint64 maxDurationMs = 0);
    void cancel();
    bool isRunning() const { return m_running; }
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }
    // How much of the stream is in the file, ms.
    qint64 savedMs() const { return m_savedMs; }

Q_SIGNALS:
    void progress(qint64 savedMs);
    // ok: the file is whole at path(); else why not (nothing left behind).
    void finished(bool ok, const QString &error);

private:
    struct Shared;
    void join();

    std::shared_ptr<Shared> m_shared;
    std::thread m_thread;
    QString m_path;
    QString m_error;
    qint64 m_savedMs = 0;
    bool m_running = false;
};

// Saves the stream at url to path and waits (running the event loop) until
// it ended: empty when the file is whole, else why not. For
// `fleetdesk-cli video save`.
QString saveStream(const QUrl &url, const QString &path, qint64 maxDurationMs = 0);

} // namespace Fleet::Player
