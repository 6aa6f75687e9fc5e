#pragma once

#include "sim/simflv.h"
#include "sim/simstate.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace Fleet::Sim {


// The simulated cloud's video server, on a port of its own as the real
// media servers are (the stream URLs name another host and port than the
// API's). It serves the URLs that live.stream and history.stream handed
// out, as HTTP-FLV:
//
//   GET /<ch>/<imei>.flv?secret=S          live: the clip in a loop, timestamps
//                                          moved on each lap, never ending;
//                                          it starts at the newest keyframe
//                                          (a picture group's worth at once,
//                                          as real servers' GOP caches do;
//                                          without, at the next one), then
//                                          in real time
//   GET /<ch>/<imei>.history.flv?secret=S  a recording: from its start, as
//                                          fast as the client reads it (a
//                                          window of kHistoryWindow bytes in
//                                          flight), until its length, then
//                                          the connection closes. The player
//                                          paces it; skipping into it costs
//                                          reading, not waiting
//
// Each is HTTP-FLV (chunked), or, when the request asks for the upgrade
// (ws:// as the cloud hands recordings out), a WebSocket (RFC 6455) whose
// binary messages carry the same bytes and whose close frame ends them.
//
// An unknown secret, or one whose stream close.stream has closed, gets 404;
// a stream closed while it plays ends at once. A client that does not read
// (more than kMaxBacklog bytes queued) is dropped, as a real server would.
class SimStreamServer : public QObject
{
    Q_OBJECT
public:
    // grant(secret, &g): whether the secret stands for a stream still open.
    using GrantLookup = std::function<bool(const QString &secret, SimStreamGrant *grant)>;
    static constexpr qint64 kMaxBacklog = 4 * 1024 * 1024;
    static constexpr qint64 kHistoryWindow = 256 * 1024;
    static constexpr int kMaxHeadBytes = 8192;
    static constexpr int kTickMs = 20;

    explicit SimStreamServer(GrantLookup grant, QObject *parent = nullptr);
    ~SimStreamServer() override;

    quint16 listen(const QHostAddress &address, quint16 port = 0);
    // Whether a live viewer starts with the picture group up to now (on by
    // default), or waits for the next keyframe.
    void setGopCache(bool on) { m_gopCache = on; }
    void close();
    bool isListening() const;
    QString hostPort() const; // "127.0.0.1:PORT" (loopback when listening on "any")

    // Cuts every playing connection, as a network drop would: no last chunk,
    // and the cloud still counts the streams open (a client asks again).
    void dropAll();

    int activeStreams() const { return int(m_streams.size()); }
    qint64 streamsServed() const { return m_served; }

Q_SIGNALS:
    void streamStarted(const QString &key);
    // why: "closed by the client", "closed in the cloud", "recording ended",
    // "client too slow", "dropped"
    void streamEnded(const QString &key, const QString &why);

private:
    struct Stream
    {
        QString secret;
        SimStreamGrant grant;
        const SimFlvClip *clip = nullptr;
        QElapsedTimer started;
        qint64 offsetMs = 0; // stream time already due at the start (the GOP cache)
        qint64 originMs = 0; // the loop time of the first tag sent
        int next = 0; // the next media tag
        qint64 lap = 0;
        bool headSent = false;
        bool webSocket = false; // upgraded: binary messages instead of chunks
    };
    void accept();
    void readHead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, int status, const QByteArray &reason);
    void start(QTcpSocket *socket, const QString &secret, const SimStreamGrant &grant, const QByteArray &webSocketKey);
    void send(QTcpSocket *socket, const Stream &stream, const QByteArray &bytes);
    void tick();
    void pump(QTcpSocket *socket, Stream &stream);
    void end(QTcpSocket *socket, const QString &why);
    const SimFlvClip *clip(const QString &look);

    GrantLookup m_grant;
    QTcpServer *m_server = nullptr;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock; // the loop's phase: every viewer of a camera sees the same moment
    QHash<QTcpSocket *, QByteArray> m_heads; // connections still sending their request
    QHash<QTcpSocket *, qint64> m_headSince; // when they connected (m_clock)
    QHash<QTcpSocket *, Stream> m_streams;
    QHash<QString, SimFlvClip> m_clips; // by look, loaded on first use
    qint64 m_served = 0;
    bool m_gopCache = true;
};

} // namespace Fleet::Sim
