#include "httpconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

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

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool hasControlChars(QByteArrayView text)
{
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f)
            return true;
    }
    return false;
}

// The comma-separated elements of every header called name, trimmed, lower case.
QList<QByteArray> listHeader(const Request &request, QByteArrayView name)
{
    QList<QByteArray> out;
    for (const auto &[key, value] : request.headers) {
        if (key != name)
            continue;
        const QList<QByteArray> parts = value.split(',');
        for (const QByteArray &part : parts) {
            const QByteArray element = part.trimmed().toLower();
            if (!element.isEmpty())
                out.append(element);
        }
    }
    return out;
}

} // namespace

Connection::Connection(QTcpSocket *socket, const Limits &limits, Handler handler, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_timer(new QTimer(this))
{
    m_socket->setParent(this);
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
    // The socket is deleted with this object; nothing it emits meanwhile may
    // reach a half-destroyed connection.
    disconnect(m_socket, nullptr, this, nullptr);
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
        const ParseResult result = parseOne();
        if (result == ParseResult::Parsed)
            continue;
        if (result == ParseResult::Stop)
            break;
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0)
            break;
        m_in += m_socket->read(qMin(available, kReadChunk));
    }
    m_inReadInput = false;
    updateTimer();
}

Connection::ParseResult Connection::parseOne()
{
    if (!m_inBody) {
        const ParseResult head = parseHead();
        if (head != ParseResult::Parsed)
            return head;
    }
    if (m_in.size() < m_bodyLength)
        return ParseResult::NeedMore;
    m_pending.body = m_in.left(m_bodyLength);
    m_in.remove(0, m_bodyLength);
    m_inBody = false;
    m_bodyLength = 0;
    m_requestClock.invalidate();
    Request request = std::move(m_pending);
    m_pending = Request();
    dispatch(std::move(request));
    return ParseResult::Parsed;
}

Connection::ParseResult Connection::parseHead()
{
    // Empty lines before a request line are ignored (RFC 9112 §2.2).
    qsizetype skip = 0;
    while (skip < m_in.size() && (m_in.at(skip) == '\r' || m_in.at(skip) == '\n'))
        ++skip;
    m_in.remove(0, skip);
    if (m_in.isEmpty())
        return ParseResult::NeedMore;
    if (!m_requestClock.isValid())
        m_requestClock.start();

    // The head ends with an empty line; bare LF line ends are tolerated.
    const qsizetype crlf = m_in.indexOf("\n\r\n");
    const qsizetype lf = m_in.indexOf("\n\n");
    qsizetype end = -1;
    qsizetype endLength = 0;
    if (crlf >= 0 && (lf < 0 || crlf < lf)) {
        end = crlf;
        endLength = 3;
    } else if (lf >= 0) {
        end = lf;
        endLength = 2;
    }
    if (end < 0) {
        if (m_in.size() > m_limits.maxHeaderBytes) {
            refuse(431, QStringLiteral("the request head is longer than %1 bytes").arg(m_limits.maxHeaderBytes));
            return ParseResult::Stop;
        }
        return ParseResult::NeedMore;
    }
    if (end + 1 > m_limits.maxHeaderBytes) {
        refuse(431, QStringLiteral("the request head is longer than %1 bytes").arg(m_limits.maxHeaderBytes));
        return ParseResult::Stop;
    }
    QList<QByteArray> lines = m_in.left(end).split('\n');
    m_in.remove(0, end + endLength);
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }

    const QList<QByteArray> requestLine = lines.first().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine.at(0)) || requestLine.at(1).isEmpty()
        || hasControlChars(requestLine.at(1))) {
        refuse(400, QStringLiteral("malformed request line"));
        return ParseResult::Stop;
    }
    Request request;
    request.peer = m_socket->peerAddress().toString();
    request.method = requestLine.at(0);
    request.target = requestLine.at(1);
    const QByteArray &version = requestLine.at(2);
    if (version == "HTTP/1.1") {
        request.versionMinor = 1;
    } else if (version == "HTTP/1.0") {
        request.versionMinor = 0;
    } else if (version.startsWith("HTTP/")) {
        refuse(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"));
        return ParseResult::Stop;
    } else {
        refuse(400, QStringLiteral("malformed request line"));
        return ParseResult::Stop;
    }

    QByteArray rawPath;
    if (request.target.startsWith('/')) {
        const qsizetype question = request.target.indexOf('?');
        rawPath = question < 0 ? request.target : request.target.left(question);
        request.query = question < 0 ? QByteArray() : request.target.mid(question + 1);
    } else if (request.target.startsWith("http://") || request.target.startsWith("https://")) {
        const QUrl url = QUrl::fromEncoded(request.target, QUrl::StrictMode);
        if (!url.isValid()) {
            refuse(400, QStringLiteral("malformed request target"));
            return ParseResult::Stop;
        }
        rawPath = url.path(QUrl::FullyEncoded).toLatin1();
        request.query = url.query(QUrl::FullyEncoded).toLatin1();
    } else if (request.target == "*") {
        rawPath = request.target;
    } else {
        refuse(400, QStringLiteral("malformed request target"));
        return ParseResult::Stop;
    }
    request.path = QUrl::fromPercentEncoding(rawPath);

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        // Line folding is obsolete and a smuggling vector: refused (RFC 9112 §5.2).
        if (line.startsWith(' ') || line.startsWith('\t')) {
            refuse(400, QStringLiteral("folded header lines are not accepted"));
            return ParseResult::Stop;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon))) {
            refuse(400, QStringLiteral("malformed header line"));
            return ParseResult::Stop;
        }
        if (request.headers.size() >= m_limits.maxHeaderCount) {
            refuse(431, QStringLiteral("more than %1 header fields").arg(m_limits.maxHeaderCount));
            return ParseResult::Stop;
        }
        request.headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
    }

    int hosts = 0;
    for (const auto &header : std::as_const(request.headers))
        hosts += header.first == "host" ? 1 : 0;
    if (request.versionMinor == 1 && hosts != 1) {
        refuse(400, QStringLiteral("an HTTP/1.1 request needs exactly one Host header"));
        return ParseResult::Stop;
    }

    // No transfer codings: a chunked body is refused, as the cloud's clients
    // always send Content-Length; its end cannot be found, so the connection closes.
    const QList<QByteArray> codings = listHeader(request, "transfer-encoding");
    if (!codings.isEmpty()) {
        if (codings.last() == "chunked")
            refuse(411, QStringLiteral("chunked request bodies are not accepted; send Content-Length"));
        else
            refuse(501, QStringLiteral("transfer coding not implemented"));
        return ParseResult::Stop;
    }
    qint64 length = 0;
    bool haveLength = false;
    const QList<QByteArray> lengths = listHeader(request, "content-length");
    for (const QByteArray &value : lengths) {
        bool digitsOnly = !value.isEmpty() && value.size() <= 18;
        for (const char c : value)
            digitsOnly = digitsOnly && c >= '0' && c <= '9';
        const qint64 v = digitsOnly ? value.toLongLong() : -1;
        if (v < 0 || (haveLength && v != length)) {
            refuse(400, QStringLiteral("invalid Content-Length"));
            return ParseResult::Stop;
        }
        length = v;
        haveLength = true;
    }
    if (length > m_limits.maxBodyBytes) {
        refuse(413, QStringLiteral("the request body is larger than %1 bytes").arg(m_limits.maxBodyBytes));
        return ParseResult::Stop;
    }

    const QList<QByteArray> connection = listHeader(request, "connection");
    request.keepAlive = request.versionMinor == 1 ? !connection.contains("close") : connection.contains("keep-alive");

    // A client waiting for "100 Continue" gets it at once, unless answers to
    // earlier requests are still due (they must come first; it then sends
    // the body after its own timeout).
    if (length > m_in.size() && m_slots.empty()
        && request.header("expect").compare(QByteArrayView("100-continue"), Qt::CaseInsensitive) == 0) {
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }

    m_pending = std::move(request);
    m_inBody = true;
    m_bodyLength = length;
    return ParseResult::Parsed;
}

void Connection::dispatch(Request request)
{
    Slot slot;
    slot.id = ++m_nextId;
    slot.head = request.method == "HEAD";
    slot.keepAlive = request.keepAlive;
    // A request that will close the connection is the last one read.
    m_stopReading = m_stopReading || !request.keepAlive;
    const Responder responder(this, slot.id, slot.head);
    m_slots.push_back(std::move(slot));
    m_handler(request, responder);
}

void Connection::refuse(int status, const QString &message)
{
    Response response;
    response.status = status;
    response.contentType = QByteArrayLiteral("application/json;charset=UTF-8");
    response.body = QJsonDocument(QJsonObject{{QStringLiteral("code"), status}, {QStringLiteral("message"), message}})
                        .toJson(QJsonDocument::Compact);
    Slot slot;
    slot.id = ++m_nextId;
    slot.ready = true;
    slot.close = true;
    slot.linger = true;
    slot.bytes = response.serialize(false, false);
    m_stopReading = true;
    m_inBody = false;
    m_in.clear();
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
{
}

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
        m_timer->stop();
        m_timerMode = TimerMode::None;
        return;
    }
    if (blocked()) {
        // Waiting for the client to read what it was sent: idle time of its
        // own, restarted whenever it reads some.
        m_requestClock.invalidate();
        m_timerMode = TimerMode::Idle;
        m_timer->start(m_limits.idleTimeoutMs);
        return;
    }
    if (m_inBody || !m_in.isEmpty()) {
        if (!m_requestClock.isValid())
            m_requestClock.start();
        m_timerMode = TimerMode::Request;
        m_timer->start(int(qMax<qint64>(0, m_limits.requestTimeoutMs - m_requestClock.elapsed())));
        return;
    }
    m_requestClock.invalidate();
    m_timerMode = TimerMode::Idle;
    m_timer->start(m_limits.idleTimeoutMs);
}

void Connection::onTimeout()
{
    switch (m_timerMode) {
    case TimerMode::None:
        break;
    case TimerMode::Idle:
        closeGracefully(false);
        break;
    case TimerMode::Request:
        refuse(408, QStringLiteral("the request was not completed within %1 ms").arg(m_limits.requestTimeoutMs));
        break;
    case TimerMode::Linger:
        closeGracefully(false);
        break;
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
    m_timer->stop();
    m_timerMode = TimerMode::None;
    deleteLater();
}

} // namespace Fleet::Http
