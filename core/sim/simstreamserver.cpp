#include "simstreamserver.h"

#include "util/logging.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

namespace Fleet::Sim {

namespace {

constexpr qint64 kHeadTimeoutMs = 10000;

QByteArray statusLine(int status, const QByteArray &reason)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
}

// The body goes in chunks, as real HTTP-FLV servers send it: a stream of
// unknown length whose end (the empty chunk) a client can tell from a
// broken connection.
void sendChunk(QTcpSocket *socket, const QByteArray &bytes)
{
    if (!bytes.isEmpty())
        socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
}

// Over a WebSocket (RFC 6455), the same bytes in binary messages: a
// server's frames are not masked.
QByteArray webSocketFrame(quint8 opcode, const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    const qsizetype n = payload.size();
    if (n < 126) {
        frame.append(char(n));
    } else if (n < 65536) {
        frame.append(char(126));
        frame.append(char(n >> 8));
        frame.append(char(n & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(n) >> shift) & 0xff));
    }
    return frame + payload;
}

// The value of a header of the request's head, or empty.
QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

SimStreamServer::SimStreamServer(GrantLookup grant, QObject *parent)
    : QObject(parent)
    , m_grant(std::move(grant))
    , m_server(new QTcpServer(this))
    , m_timer(new QTimer(this))
{
    m_clock.start();
    m_timer->setInterval(kTickMs);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &SimStreamServer::tick);
    connect(m_server, &QTcpServer::newConnection, this, &SimStreamServer::accept);
}

SimStreamServer::~SimStreamServer() = default;

quint16 SimStreamServer::listen(const QHostAddress &address, quint16 port)
{
    close();
    if (!m_server->listen(address, port))
        return 0;
    m_timer->start();
    return m_server->serverPort();
}

void SimStreamServer::close()
{
    m_server->close();
    m_timer->stop();
    const QList<QTcpSocket *> sockets = m_streams.keys() + m_heads.keys();
    for (QTcpSocket *socket : sockets)
        socket->abort();
}

bool SimStreamServer::isListening() const
{
    return m_server->isListening();
}

QString SimStreamServer::hostPort() const
{
    QHostAddress host = m_server->serverAddress();
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    const QString name = host.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + host.toString() + QLatin1Char(']')
        : host.toString();
    return name + QLatin1Char(':') + QString::number(m_server->serverPort());
}

void SimStreamServer::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_heads.insert(socket, {});
        m_headSince.insert(socket, m_clock.elapsed());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readHead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_heads.remove(socket);
            m_headSince.remove(socket);
            if (m_streams.contains(socket))
                end(socket, QStringLiteral("closed by the client"));
            socket->deleteLater();
        });
    }
}

void SimStreamServer::readHead(QTcpSocket *socket)
{
    const auto head = m_heads.find(socket);
    if (head == m_heads.end()) {
        socket->readAll(); // a playing client has nothing to say; drop it
        return;
    }
    head->append(socket->readAll());
    const qsizetype endOfHead = head->indexOf("\r\n\r\n");
    if (endOfHead < 0) {
        if (head->size() > kMaxHeadBytes)
            answer(socket, 431, "Request Header Fields Too Large");
        return;
    }
    const QList<QByteArray> requestLine = head->left(head->indexOf("\r\n")).split(' ');
    const QByteArray request = head->left(endOfHead);
    m_heads.erase(head);
    m_headSince.remove(socket);
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        answer(socket, 400, "Bad Request");
        return;
    }
    if (requestLine.at(0) != "GET") {
        answer(socket, 405, "Method Not Allowed");
        return;
    }
    const QUrl url(QString::fromLatin1(requestLine.at(1)), QUrl::StrictMode);
    const QString secret = QUrlQuery(url).queryItemValue(QStringLiteral("secret"));
    SimStreamGrant grant;
    if (!url.isValid() || secret.isEmpty() || !m_grant(secret, &grant) || grant.path != url.path()) {
        answer(socket, 404, "Not Found");
        return;
    }
    // ws:// as the cloud hands it out: the upgrade, when the client asks for it.
    QByteArray webSocketKey;
    if (headerValue(request, "upgrade").toLower() == "websocket") {
        webSocketKey = headerValue(request, "sec-websocket-key");
        if (webSocketKey.isEmpty() || headerValue(request, "sec-websocket-version") != "13") {
            answer(socket, 400, "Bad Request");
            return;
        }
    }
    start(socket, secret, grant, webSocketKey);
}

void SimStreamServer::send(QTcpSocket *socket, const Stream &stream, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    if (stream.webSocket)
        socket->write(webSocketFrame(0x2, bytes));
    else
        sendChunk(socket, bytes);
}

void SimStreamServer::answer(QTcpSocket *socket, int status, const QByteArray &reason)
{
    const QByteArray body = reason + '\n';
    socket->write(statusLine(status, reason) + "Content-Type: text/plain\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    m_heads.remove(socket);
    m_headSince.remove(socket);
    socket->disconnectFromHost();
}

const SimFlvClip *SimStreamServer::clip(const QString &look)
{
    auto it = m_clips.constFind(look);
    if (it == m_clips.cend()) {
        QFile file(QStringLiteral(":/simmedia/live-%1.flv").arg(look));
        QString error;
        SimFlvClip parsed = file.open(QIODevice::ReadOnly) ? SimFlvClip::parse(file.readAll(), &error) : SimFlvClip();
        if (!parsed.isValid())
            qCWarning(lcSim) << "no clip for" << look << error;
        it = m_clips.insert(look, parsed);
    }
    return it->isValid() ? &*it : nullptr;
}

void SimStreamServer::start(QTcpSocket *socket, const QString &secret, const SimStreamGrant &grant,
                            const QByteArray &webSocketKey)
{
    const SimFlvClip *flv = clip(grant.look);
    if (!flv) {
        answer(socket, 500, "Internal Server Error");
        return;
    }
    Stream stream;
    stream.secret = secret;
    stream.grant = grant;
    stream.clip = flv;
    stream.started.start();
    if (!grant.history) {
        // Live: every viewer of a camera sees the same moment, from the
        // keyframe before it (the picture group up to now goes at once).
        const qint64 phase = m_clock.elapsed() % flv->loopMs();
        stream.next = flv->keyframeAtOrBefore(phase);
        if (!m_gopCache && flv->media().at(stream.next).timestampMs < phase) {
            // The next keyframe, when it is due: until then, nothing.
            const int after = flv->keyframeAfter(stream.next);
            stream.next = after < 0 ? 0 : after;
            const qint64 due = after < 0 ? flv->loopMs() : flv->media().at(after).timestampMs;
            stream.originMs = flv->media().at(stream.next).timestampMs;
            stream.offsetMs = -(due - phase);
        } else {
            stream.originMs = flv->media().at(stream.next).timestampMs;
            stream.offsetMs = phase - stream.originMs;
        }
    }
    stream.webSocket = !webSocketKey.isEmpty();
    if (stream.webSocket) {
        const QByteArray accept =
            QCryptographicHash::hash(webSocketKey + "258EAFA5-E914-47DA-95CA-C5AB0DC11B85", QCryptographicHash::Sha1)
                .toBase64();
        socket->write(statusLine(101, "Switching Protocols") + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n");
    } else {
        socket->write(statusLine(200, "OK")
                      + "Content-Type: video/x-flv\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\n"
                        "Connection: close\r\n\r\n");
    }
    send(socket, stream, flv->head());
    ++m_served;
    auto it = m_streams.insert(socket, stream);
    Q_EMIT streamStarted(grant.key);
    pump(socket, *it);
}

void SimStreamServer::pump(QTcpSocket *socket, Stream &stream)
{
    const QList<SimFlvClip::Tag> &media = stream.clip->media();
    const qint64 due = stream.started.elapsed() + stream.offsetMs;
    QByteArray out;
    for (;;) {
        const SimFlvClip::Tag &tag = media.at(stream.next);
        const qint64 at = stream.lap * stream.clip->loopMs() + tag.timestampMs - stream.originMs;
        if (stream.grant.history && at >= stream.grant.durationMs) {
            send(socket, stream, out);
            end(socket, QStringLiteral("recording ended"));
            return;
        }
        // Live goes out in real time; a recording as fast as the client
        // reads it (the device reads its card), a window at a time.
        if (stream.grant.history ? socket->bytesToWrite() + out.size() > kHistoryWindow : at > due)
            break;
        out += SimFlvClip::encode(tag.type, at, tag.data);
        if (++stream.next == media.size()) {
            stream.next = 0;
            ++stream.lap;
        }
    }
    send(socket, stream, out);
    if (socket->bytesToWrite() > kMaxBacklog)
        end(socket, QStringLiteral("client too slow"));
}

void SimStreamServer::tick()
{
    const qint64 now = m_clock.elapsed();
    const QList<QTcpSocket *> waiting = m_headSince.keys();
    for (QTcpSocket *socket : waiting) {
        if (now - m_headSince.value(socket) > kHeadTimeoutMs)
            answer(socket, 408, "Request Timeout");
    }
    const QList<QTcpSocket *> playing = m_streams.keys();
    for (QTcpSocket *socket : playing) {
        const auto it = m_streams.find(socket);
        if (it == m_streams.end())
            continue;
        if (!m_grant(it->secret, nullptr)) {
            end(socket, QStringLiteral("closed in the cloud"));
            continue;
        }
        pump(socket, *it);
    }
}

void SimStreamServer::dropAll()
{
    const QList<QTcpSocket *> playing = m_streams.keys();
    for (QTcpSocket *socket : playing)
        end(socket, QStringLiteral("dropped"));
}

void SimStreamServer::end(QTcpSocket *socket, const QString &why)
{
    const auto it = m_streams.find(socket);
    if (it == m_streams.end())
        return;
    const QString key = it->grant.key;
    const bool webSocket = it->webSocket;
    m_streams.erase(it);
    Q_EMIT streamEnded(key, why);
    if (why == QLatin1String("client too slow") || why == QLatin1String("dropped")) {
        socket->abort();
        return;
    }
    // The last chunk (or a WebSocket close): the stream is over, not broken.
    socket->write(webSocket ? webSocketFrame(0x8, QByteArray::fromHex("03e8")) : QByteArray("0\r\n\r\n"));
    socket->disconnectFromHost();
}

} // namespace Fleet::Sim
