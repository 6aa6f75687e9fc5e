#include "httpconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace Fleet::Http {

namespace {

constexpr qint64 kReadChunk = 64 * 1024;
// After refusing a request whose body may still be on its way, the
// connection reads and discards until the client has been quiet this long
// (at most kLingerMaxMs), so that closing does not reset the connection
// before the client has read the refusal.
constexpr int kLingerQuietMs = 300;
constexpr qint64 kLingerMaxMs = 5000;

} // namespace

Connection::Connection(QTcpSocket *socket, const Limits &limits, ServerShared *shared, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_shared(shared)
    , m_peer(socket->peerAddress().toString())
    , m_timer(new QTimer(this))
    , m_parser(limits)
{
    m_socket->setParent(this);
    m_parser.setPeer(m_peer);
    // A bounded socket buffer: a client that sends faster than it is
    // answered meets TCP back-pressure instead of growing our memory.
    m_socket->setReadBufferSize(kReadChunk);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &Connection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::readInput);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &Connection::resume);
    connect(m_socket, &QTcpSocket::disconnected, this, &Connection::onDisconnected);
    updateTimer();
    // Bytes that came with the connection.
    QMetaObject::invokeMethod(this, &Connection::readInput, Qt::QueuedConnection);
}

Connection::~Connection()
{
    releaseBody();
    // The socket is deleted with this object; nothing it emits meanwhile may
    // reach a half-destroyed connection.
    disconnect(m_socket, nullptr, this, nullptr);
}

bool Connection::isIdle() const
{
    return !m_closing && m_slots.empty() && !m_parser.requestStarted() && !m_parser.inBody();
}

qint64 Connection::idleNs() const
{
    return isIdle() && m_idleClock.isValid() ? m_idleClock.nsecsElapsed() : 0;
}

void Connection::evict()
{
    m_closing = true;
    m_slots.clear();
    releaseBody();
    m_timer->stop();
    m_timerMode = TimerMode::None;
    m_socket->abort();
    deleteLater();
}

bool Connection::blocked() const
{
    return m_slots.size() >= std::size_t(qMax(1, m_limits.maxQueuedRequests))
        || m_socket->bytesToWrite() > m_limits.maxUnsentBytes;
}

void Connection::readInput()
{
    if (m_inReadInput)
        return;
    if (m_closing) {
        if (m_timerMode == TimerMode::Linger) {
            m_socket->readAll();
            if (m_lingerClock.elapsed() < kLingerMaxMs)
                m_timer->start(kLingerQuietMs);
        }
        return;
    }
    m_inReadInput = true;
    for (;;) {
        if (m_stopReading || m_closing || blocked())
            break;
        const RequestParser::Step step = m_parser.next();
        if (step == RequestParser::Step::Head) {
            if (!admitHead())
                break;
            continue;
        }
        if (step == RequestParser::Step::Request) {
            m_requestClock.invalidate();
            dispatch(m_parser.takeRequest());
            continue;
        }
        if (step == RequestParser::Step::Error) {
            refuse(m_parser.error().status, m_parser.error().message);
            break;
        }
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0)
            break;
        m_parser.append(m_socket->read(qMin(available, kReadChunk)));
    }
    m_inReadInput = false;
    updateTimer();
}

bool Connection::admitHead()
{
    const Request &head = m_parser.head();
    if (m_shared->headCheck) {
        if (std::optional<Response> refusal = m_shared->headCheck(head)) {
            refuse(std::move(*refusal));
            return false;
        }
    }
    const qint64 length = m_parser.bodyLength();
    if (length > 0) {
        // Bodies are buffered whole; all connections together hold at most
        // this much of them, so stalled uploads cannot take the memory.
        if (m_shared->bodyBytesInFlight + length > m_limits.maxBodyBytesInFlight) {
            Response busy;
            busy.status = 503;
            busy.contentType = QByteArrayLiteral("application/json;charset=UTF-8");
            busy.body = QJsonDocument(
                            QJsonObject{{QStringLiteral("code"), 503},
                                        {QStringLiteral("message"),
                                         QStringLiteral("too many request bodies in flight; try again later")}})
                            .toJson(QJsonDocument::Compact);
            busy.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
            refuse(std::move(busy));
            return false;
        }
        m_shared->bodyBytesInFlight += length;
        m_reservedBody += length;
    }
    // A client waiting for "100 Continue" gets it at once, unless answers to
    // earlier requests are still due (they must come first; it then sends
    // the body after its own timeout).
    if (length > m_parser.bufferedBytes() && m_slots.empty()
        && head.header("expect").compare(QByteArrayView("100-continue"), Qt::CaseInsensitive) == 0) {
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    return true;
}

void Connection::releaseBody()
{
    m_shared->bodyBytesInFlight -= m_reservedBody;
    m_reservedBody = 0;
}

void Connection::dispatch(Request request)
{
    // The body's reservation ends here: the handler takes the request.
    releaseBody();
    Slot slot;
    slot.id = ++m_nextId;
    slot.head = request.method == "HEAD";
    slot.keepAlive = request.keepAlive;
    // A request that will close the connection is the last one read.
    m_stopReading = m_stopReading || !request.keepAlive;
    const Responder responder(this, slot.id, slot.head);
    m_slots.push_back(std::move(slot));
    m_shared->handler(request, responder);
}

void Connection::refuse(int status, const QString &message)
{
    Response response;
    response.status = status;
    response.contentType = QByteArrayLiteral("application/json;charset=UTF-8");
    response.body = QJsonDocument(QJsonObject{{QStringLiteral("code"), status}, {QStringLiteral("message"), message}})
                        .toJson(QJsonDocument::Compact);
    refuse(std::move(response));
}

void Connection::refuse(Response response)
{
    releaseBody();
    Slot slot;
    slot.id = ++m_nextId;
    slot.ready = true;
    slot.close = true;
    slot.linger = true;
    slot.bytes = response.serialize(false, false);
    m_stopReading = true;
    m_slots.push_back(std::move(slot));
    flush();
}

void Connection::complete(quint64 id, const Response *response)
{
    auto it = std::find_if(m_slots.begin(), m_slots.end(), [id](const Slot &slot) { return slot.id == id; });
    if (m_closing || it == m_slots.end() || it->ready)
        return;
    it->ready = true;
    if (!response) {
        it->drop = true;
        m_stopReading = true;
    } else {
        const bool keepAlive = it->keepAlive && !response->close;
        it->bytes = response->serialize(keepAlive, it->head);
        it->close = !keepAlive;
        m_stopReading = m_stopReading || it->close;
    }
    flush();
    resume();
}

Responder::Responder(Connection *connection, quint64 id, bool head)
    : m_connection(connection)
    , m_id(id)
    , m_head(head)
{ }

void Responder::answer(const Response &response) const
{
    if (m_connection)
        m_connection->complete(m_id, &response);
}

void Responder::drop() const
{
    if (m_connection)
        m_connection->complete(m_id, nullptr);
}

QObject *Responder::context() const
{
    return m_connection.data();
}

void Connection::flush()
{
    while (!m_closing && !m_slots.empty() && m_slots.front().ready) {
        Slot slot = std::move(m_slots.front());
        m_slots.pop_front();
        if (slot.drop) {
            m_closing = true;
            m_slots.clear();
            m_timer->stop();
            m_timerMode = TimerMode::None;
            // Not from inside the socket's own signal.
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_socket->abort();
                    deleteLater();
                },
                Qt::QueuedConnection);
            return;
        }
        m_socket->write(slot.bytes);
        if (slot.close) {
            m_slots.clear();
            closeGracefully(slot.linger);
            return;
        }
    }
}

void Connection::resume()
{
    if (m_inReadInput)
        return;
    readInput();
}

void Connection::closeGracefully(bool linger)
{
    m_closing = true;
    releaseBody();
    if (linger) {
        m_lingerClock.start();
        m_socket->readAll();
        m_timerMode = TimerMode::Linger;
        m_timer->start(kLingerQuietMs);
        return;
    }
    m_socket->disconnectFromHost();
    // A client that never reads the rest keeps the socket in its closing
    // state; it is aborted after the idle timeout.
    m_timerMode = TimerMode::Closing;
    m_timer->start(m_limits.idleTimeoutMs);
}

void Connection::updateTimer()
{
    if (m_closing)
        return;
    if (!m_slots.empty()) {
        // Waiting for our own answers, not for the client.
        m_idleClock.invalidate();
        m_timer->stop();
        m_timerMode = TimerMode::None;
        return;
    }
    if (!blocked() && (m_parser.requestStarted() || m_parser.inBody())) {
        // A request is under way, and blank lines before it count: it must be
        // complete within the request timeout, however it trickles in.
        m_idleClock.invalidate();
        if (!m_requestClock.isValid())
            m_requestClock.start();
        m_timerMode = TimerMode::Request;
        m_timer->start(int(qMax<qint64>(0, m_limits.requestTimeoutMs - m_requestClock.elapsed())));
        return;
    }
    // Idle, or waiting for the client to read what it was sent (reading is
    // paused meanwhile): idle time, restarted whenever it reads something.
    m_requestClock.invalidate();
    if (!m_idleClock.isValid())
        m_idleClock.start();
    m_timerMode = TimerMode::Idle;
    m_timer->start(m_limits.idleTimeoutMs);
}

void Connection::onTimeout()
{
    switch (m_timerMode) {
    case TimerMode::None: break;
    case TimerMode::Idle: closeGracefully(false); break;
    case TimerMode::Request:
        refuse(408, QStringLiteral("the request was not completed within %1 ms").arg(m_limits.requestTimeoutMs));
        break;
    case TimerMode::Linger: closeGracefully(false); break;
    case TimerMode::Closing:
        m_socket->abort();
        deleteLater();
        break;
    }
}

void Connection::onDisconnected()
{
    m_closing = true;
    m_slots.clear();
    releaseBody();
    m_timer->stop();
    m_timerMode = TimerMode::None;
    deleteLater();
}

} // namespace Fleet::Http
