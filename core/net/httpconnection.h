#pragma once

#include "net/httpmessage.h"

#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <functional>

class QTcpSocket;
class QTimer;

namespace Fleet::Http {

// One HTTP/1.1 connection of Server. Owns its socket; deletes itself
// (deleteLater) when the socket disconnects.
//
// Requests are parsed one after the other (request line, headers, a body of
// Content-Length bytes) and handed to the handler at once, in order. Every
// request gets a slot in a FIFO that its Responder fills, at once or later;
// answers leave strictly in request order, so a late answer holds back the
// ones behind it. Responders point here through a QPointer: when the client
// goes away, answers still to come go nowhere.
class Connection : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const Request &, const Responder &)>;

    // Takes ownership of socket.
    Connection(QTcpSocket *socket, const Limits &limits, Handler handler, QObject *parent = nullptr);
    ~Connection() override;

private:
    enum class ParseResult { NeedMore, Parsed, Stop };
    enum class TimerMode { None, Idle, Request, Linger, Closing };

    struct Slot
    {
        quint64 id = 0;
        bool ready = false;
        bool head = false;      // HEAD request: the answer has no body
        bool keepAlive = true;  // as the request asked
        bool drop = false;      // abort the connection instead of writing
        bool close = false;     // close after writing
        bool linger = false;    // ... reading and discarding what the client still sends
        QByteArray bytes;
    };

    void readInput();
    ParseResult parseOne();
    ParseResult parseHead();
    void dispatch(Request request);
    void refuse(int status, const QString &message);
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
    Handler m_handler;
    QTimer *m_timer;
    TimerMode m_timerMode = TimerMode::None;
    QElapsedTimer m_requestClock;   // since the first byte of the request under way
    QElapsedTimer m_lingerClock;

    QByteArray m_in;                // received, not yet parsed
    bool m_inBody = false;          // the head is parsed, waiting for m_pending.body
    qint64 m_bodyLength = 0;
    Request m_pending;

    std::deque<Slot> m_slots;
    quint64 m_nextId = 0;
    bool m_stopReading = false;     // a close, a drop or an error is queued
    bool m_closing = false;
    bool m_inReadInput = false;
};

} // namespace Fleet::Http
