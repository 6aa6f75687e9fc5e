#pragma once

#include "domain/camera.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace Fleet {

class Clock;
class JimiApi;
class StoreWriter;

// What a dispatcher asked to watch: a camera live, or a recording of it.
struct StreamRequest
{
    QString imei;
    int channel = 0; // as the model counts (CameraLayout)
    bool history = false;
    // A recording: by time (JT/T 1078 models), or by file names (Concox).
    QDateTime begin; // UTC
    QDateTime end;
    QStringList fileNames;
};

// The cloud's side of video (issue 14): each stream opened with an appId
// of its own, asked again with the same appId after a drop, and closed
// with it (close.stream), because the cloud bills open streams. Every
// stream is in the store's journal (video_streams) from before it is
// asked for until the cloud confirms its close, so that what a crash left
// open is closed at the next start (closeLeftovers). Lives on the
// session's thread, beside the API client and the writer.
class StreamSessions : public QObject
{
    Q_OBJECT
public:
    StreamSessions(JimiApi *api, StoreWriter *writer, Clock *clock, QObject *parent = nullptr);
    ~StreamSessions() override;

    // Opens a stream under the caller's id: opened(id, url), or failed(id, …).
    void open(int id, const StreamRequest &request);
    // The stream's URL again, with the same appId (after the player lost it).
    void renew(int id);
    // Closes it in the cloud: closed(id, confirmed). Unconfirmed, the journal
    // keeps it open, and the next start closes it.
    void close(int id);
    // Closes in the cloud the streams of an earlier run that the journal
    // holds open. A refusal by the cloud ends them too (nothing more can be
    // done); a network failure leaves them for the next start.
    void closeLeftovers(const QList<VideoStreamRecord> &journal);
    // Closes every stream still open, waiting (running the event loop) up to
    // timeoutMs for the cloud's answers: the session ends with it.
    void closeAll(int timeoutMs);

    int openCount() const { return int(m_streams.size()); }
    QString appId(int id) const { return m_streams.value(id).appId; }

Q_SIGNALS:
    void opened(int id, const QUrl &url);
    // message: the cloud's words, or the client's; detail: the device's
    // result code inside the answer ("228": the device is offline).
    void failed(int id, const QString &message, const QString &detail);
    void closed(int id, bool confirmed);
    // A leftover of an earlier run closed (or given up on).
    void leftoverClosed(const QString &appId, bool confirmed);

private:
    struct Stream
    {
        StreamRequest request;
        QString appId;
        QDateTime openedAt;
    };
    void ask(int id);
    void journal(const Stream &stream, const QDateTime &closedAt, const QString &result);
    void closeInCloud(const QString &imei, int channel, bool history, const QString &appId,
                      std::function<void(bool confirmed, bool refused, const QString &why)> done);

    JimiApi *m_api;
    StoreWriter *m_writer;
    Clock *m_clock;
    QHash<int, Stream> m_streams;
    int m_closing = 0;
};

} // namespace Fleet
