#pragma once

#include "sim/simhttpmessage.h"

#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <functional>

class QTcpSocket;
class QTimer;

namespace Fleet::Sim {

// One HTTP/1.1 connection of SimHttpServer. Owns its socket; deletes itself
// (deleteLater) when the socket disconnects.
//
// Requests are parsed one after the other (request line, headers, a body of
// Content-Length bytes) and handed to the handler at once, in order. Every
// request gets a slot in a FIFO; an answer that the handler delays fills its
// slot later, and answers leave strictly in request order, so a delayed
// answer holds back the ones behind it. Timers use this object as their
// context: when the client goes away, pending answers go with it.
class SimHttpConnection : public QObject
{
public:
    using Handler = std::function<SimHttpAnswer(const SimHttpRequest &)>;

    // Takes ownership of socket.
    SimHttpConnection(QTcpSocket *socket, const SimHttpLimits &limits, Handler handler, QObject *parent = nullptr);
    ~SimHttpConnection() override;

private:
    enum class ParseResult { NeedMore, Parsed, Stop };
    enum class TimerMode { None, Idle, Request, Linger, Closing };

    struct Slot
    {
        quint64 id = 0;
        bool ready = false;
        bool drop = false;      // abort the connection instead of writing
        bool close = false;     // close after writing
        bool linger = false;    // ... reading and discarding what the client still sends
        QByteArray bytes;
    };

    void readInput();
    ParseResult parseOne();
    ParseResult parseHead();
    void dispatch(SimHttpRequest request);
    void refuse(int status, const QString &message);
    void markReady(quint64 id);
    void flush();
    void resume();
    bool blocked() const;
    void closeGracefully(bool linger);
    void updateTimer();
    void onTimeout();
    void onDisconnected();

    QTcpSocket *m_socket;
    SimHttpLimits m_limits;
    Handler m_handler;
    QTimer *m_timer;
    TimerMode m_timerMode = TimerMode::None;
    QElapsedTimer m_requestClock;   // since the first byte of the request under way
    QElapsedTimer m_lingerClock;

    QByteArray m_in;                // received, not yet parsed
    bool m_inBody = false;          // the head is parsed, waiting for m_pending.body
    qint64 m_bodyLength = 0;
    SimHttpRequest m_pending;

    std::deque<Slot> m_slots;
    quint64 m_nextId = 0;
    bool m_stopReading = false;     // a close, a drop or an error is queued
    bool m_closing = false;
    bool m_inReadInput = false;
};

} // namespace Fleet::Sim
