#pragma once

#include "api/jimiapi.h"
#include "domain/media.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

class QTimer;

namespace Fleet {

class Clock;
class StoreWriter;

// "Take a photo now" and "record 10 s now" (reference §7.2, field notes
// §4): jimi.device.meida.cmd.send asks the dashcam to shoot; the device
// then uploads the file, which jimi.device.jimi.media.URL lists once it is
// there. The cloud's answer names no file (a cmdSeqNo only), and the
// device's clock need not agree with ours, so the capture is matched by
// what is new: the files of that camera and kind listed before the command
// was sent are remembered, and the first files listed after it that were
// not there are the capture's. It polls (2, 2, 3, 5, 5 … s) for at most
// kMaxWaitSecs of the session's clock, and the files found go into the
// media table through the writer (when given), so that the gallery and the
// CLI read them from the store.
class MediaCapture : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxWaitSecs = 120;
    static constexpr int kPageSize = 50; // the newest files of the camera and kind, before and after

    struct Request
    {
        QString imei;
        int camera = 1; // the command's numbering: 1 road, 2 cabin, 3 both
        MediaKind kind = MediaKind::Photo;
        int videoSeconds = 10; // 3..10
    };

    struct Outcome
    {
        bool ok = false;
        QList<MediaFile> files; // the photos or clips taken, newest first
        QString error; // the cloud's words, or why no file came
        QString detail; // the device's result code ("228": offline)
        QString cmdSeqNo;
        int polls = 0;
    };

    MediaCapture(JimiApi *api, StoreWriter *writer, Clock *clock, QObject *parent = nullptr);
    ~MediaCapture() override;

    // Several at once, each under the caller's id.
    void capture(int id, const Request &request);
    int running() const { return int(m_jobs.size()); }

    // The wait before the attempt-th look at the list (1-based).
    static int pollDelaySecs(int attempt);
    // Of the files listed after the command, the capture's: of its kind and
    // camera, and not among the keys listed before it. Newest first.
    static QList<MediaFile> newFiles(const QList<MediaFile> &listed, const QSet<QString> &before,
                                     const Request &request);

Q_SIGNALS:
    // The device accepted the command; the file is awaited.
    void sent(int id, const QString &cmdSeqNo);
    void waiting(int id, int attempt, int seconds);
    void finished(int id, const Fleet::MediaCapture::Outcome &outcome);

private:
    struct Job
    {
        Request request;
        QDateTime sentAt;
        QSet<QString> before; // file keys listed before the command
        QString cmdSeqNo;
        int polls = 0;
        QTimer *timer = nullptr;
    };
    void list(int id, std::function<void(const Result<ApiList<MediaFile>> &)> then);
    void send(int id);
    void poll(int id);
    void finish(int id, Outcome outcome);

    JimiApi *m_api;
    StoreWriter *m_writer;
    Clock *m_clock;
    QHash<int, Job> m_jobs;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::MediaCapture::Outcome)
