#pragma once

#include "net/httpmessage.h"
#include "net/httprequestparser.h"

#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <functional>
#include <optional>

class QTcpSocket;
class QTimer;

namespace Fleet::Http {

using Handler = std::function<void(const Request &, const Responder &)>;
// Sees a request's head before its body is read; an answer refuses the
// request there (and closes the connection), so that no body is buffered for
// a request that would be refused anyway.
using HeadCheck = std::function<std::optional<Response>(const Request &head)>;

// What the connections of one Server share.
struct ServerShared
{
    Handler handler;
    HeadCheck headCheck;
    qint64 bodyBytesInFlight = 0; // reserved by connections receiving a body
};

// One HTTP/1.1 connection of Server. Owns its socket; deletes itself
// (deleteLater) when the socket disconnects.
//
// Requests are parsed one after the other (RequestParser) and handed to the
// handler at once, in order. Before a body is read, its head passes the
// server's head check and the body's length is reserved from the server's
// budget of bytes in flight. Every request gets a slot in a FIFO that its
// Responder fills, at once or later; answers leave strictly in request order,
// so a late answer holds back the ones behind it. Responders point here
// through a QPointer: when the client goes away, answers still to come go
// nowhere.
class Connection : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of socket; shared outlives the connection.
    Connection(QTcpSocket *socket, const Limits &limits, ServerShared *shared, QObject *parent = nullptr);
    ~Connection() override;

    // No request under way and no answer due: the server may close it to make
    // room. idleNs(): for how long (nanoseconds, so that connections accepted
    // in the same millisecond still have an order).
    bool isIdle() const;
    qint64 idleNs() const;
    // Closes at once (the server needs the slot).
    void evict();

private:
    enum class TimerMode { None, Idle, Request, Linger, Closing };

    struct Slot
    {
        quint64 id = 0;
        bool ready = false;
        bool head = false; // HEAD request: the answer has no body
        bool keepAlive = true; // as the request asked
        bool drop = false; // abort the connection instead of writing
        bool close = false; // close after writing
        bool linger = false; // ... reading and discarding what the client still sends
        QByteArray bytes;
    };

    void readInput();
    // A head arrived: check it, reserve its body. False: refused.
    bool admitHead();
    void releaseBody();
    void dispatch(Request request);
    void refuse(int status, const QString &message);
    void refuse(Response response);
    friend class Responder;
    void complete(quint64 id, const Response *response); // null: drop the connection
    void flush();
    void resume();
    bool blocked() const;
    void closeGracefully(bool linger);
    void updateTimer();
    void onTimeout();
    void onDisconnected();

    QTcpSocket *m_socket;
    Limits m_limits;
    ServerShared *m_shared;
    QString m_peer;
    QTimer *m_timer;
    TimerMode m_timerMode = TimerMode::None;
    QElapsedTimer m_requestClock; // since the first byte of the request under way (blank lines too)
    QElapsedTimer m_lingerClock;
    QElapsedTimer m_idleClock; // since the connection became idle

    RequestParser m_parser;
    qint64 m_reservedBody = 0; // of m_shared->bodyBytesInFlight

    std::deque<Slot> m_slots;
    quint64 m_nextId = 0;
    bool m_stopReading = false; // a close, a drop or an error is queued
    bool m_closing = false;
    bool m_inReadInput = false;
};

} // namespace Fleet::Http
