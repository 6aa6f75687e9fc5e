#include "ffmpegsupport.h"

#include <QFile>
#include <QLoggingCategory>
#include <QStringList>

#include <cstdarg>
#include <mutex>

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTcpSocket>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <cstring>
#include <vector>

extern "C" {
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

namespace Fleet::Player::Ffmpeg {

namespace {

Q_LOGGING_CATEGORY(lcFfmpeg, "fleet.video.ffmpeg", QtInfoMsg)

void ffmpegLog(void *context, int level, const char *format, va_list args)
{
    if (level > AV_LOG_VERBOSE || !lcFfmpeg().isDebugEnabled())
        return;
    thread_local int printPrefix = 1;
    char line[1024];
    av_log_format_line2(context, level, format, args, line, sizeof line, &printPrefix);
    qCDebug(lcFfmpeg).noquote() << QString::fromUtf8(line).trimmed();
}

} // namespace

void routeLog()
{
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_callback(&ffmpegLog); });
}

QString errorText(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QString::fromUtf8(text);
}

QUrl interchanged(const QUrl &url)
{
    QUrl out = url;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("ws"))
        out.setScheme(QStringLiteral("http"));
    else if (scheme == QLatin1String("wss"))
        out.setScheme(QStringLiteral("https"));
    return out;
}

bool isRemote(const QUrl &url)
{
    static const QStringList schemes{QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("rtmp"),
                                     QStringLiteral("rtmps"), QStringLiteral("rtsp")};
    return schemes.contains(url.scheme().toLower());
}

bool isWebSocket(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("ws") || scheme == QLatin1String("wss");
}

QByteArray webSocketAccept(const QByteArray &key)
{
    return QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC11B85", QCryptographicHash::Sha1).toBase64();
}

// The WebSocket under a demuxer: a QTcpSocket (QSslSocket for wss, its
// certificate checked), used blocking on the stream's own thread, the
// handshake, then the binary messages' payload as one byte stream for the
// custom AVIOContext. Waits are short and look at the interrupt callback
// between them, so a stop or a stall ends a read at once. Pings are
// answered; a close ends the stream.
struct Input::WebSocket
{
    std::unique_ptr<QTcpSocket> socket;
    AVIOInterruptCB interrupt{};
    AVIOContext *pb = nullptr; // what the demuxer reads
    quint64 left = 0; // payload bytes of the current frame still to read
    bool masked = false;
    quint8 mask[4] = {};
    quint64 offset = 0; // into the current frame's payload (for the mask)
    bool closed = false;

    ~WebSocket()
    {
        if (pb) {
            av_freep(&pb->buffer);
            avio_context_free(&pb);
        }
        if (socket)
            socket->abort();
    }

    bool interrupted() const { return interrupt.callback && interrupt.callback(interrupt.opaque); }

    // Waits for data in short naps; false when interrupted or the connection ended.
    bool waitForData()
    {
        while (socket->bytesAvailable() == 0) {
            if (interrupted() || socket->state() != QAbstractSocket::ConnectedState)
                return false;
            socket->waitForReadyRead(50);
        }
        return true;
    }

    // Reads up to n bytes (at least one); 0 at the end or on an error.
    qint64 readSome(quint8 *to, qint64 n)
    {
        if (!waitForData())
            return 0;
        return std::max<qint64>(0, socket->read(reinterpret_cast<char *>(to), n));
    }

    bool readExactly(quint8 *to, qint64 n)
    {
        while (n > 0) {
            const qint64 got = readSome(to, n);
            if (got <= 0)
                return false;
            to += got;
            n -= got;
        }
        return true;
    }

    void write(const QByteArray &bytes)
    {
        socket->write(bytes);
        while (socket->bytesToWrite() > 0 && !interrupted() && socket->state() == QAbstractSocket::ConnectedState)
            socket->waitForBytesWritten(50);
    }

    // A client frame (masked, as RFC 6455 wants), for a pong or the close.
    void send(quint8 opcode, const QByteArray &payload)
    {
        const QByteArray body = payload.left(125);
        QByteArray frame;
        frame.append(char(0x80 | opcode));
        frame.append(char(0x80 | quint8(body.size())));
        const quint32 key = QRandomGenerator::global()->generate();
        const auto *k = reinterpret_cast<const char *>(&key);
        frame.append(k, 4);
        for (qsizetype i = 0; i < body.size(); ++i)
            frame.append(char(body.at(i) ^ k[i % 4]));
        write(frame);
    }

    // The next data frame's head: false at the end of the stream.
    bool nextFrame()
    {
        for (;;) {
            quint8 head[2];
            if (!readExactly(head, 2))
                return false;
            const quint8 opcode = head[0] & 0x0f;
            masked = head[1] & 0x80;
            quint64 length = head[1] & 0x7f;
            if (length == 126) {
                quint8 b[2];
                if (!readExactly(b, 2))
                    return false;
                length = quint64(b[0]) << 8 | b[1];
            } else if (length == 127) {
                quint8 b[8];
                if (!readExactly(b, 8))
                    return false;
                length = 0;
                for (quint8 x : b)
                    length = length << 8 | x;
            }
            if (masked && !readExactly(mask, 4))
                return false;
            offset = 0;
            left = length;
            if (opcode == 0x2 || opcode == 0x0) // binary, or its continuation
                return true;
            // A control or text frame: read whole (control frames are at most 125 bytes).
            if (length > (1u << 20))
                return false;
            QByteArray payload(qsizetype(length), Qt::Uninitialized);
            if (length > 0 && !readExactly(reinterpret_cast<quint8 *>(payload.data()), qint64(length)))
                return false;
            if (masked) {
                for (qsizetype i = 0; i < payload.size(); ++i)
                    payload[i] = char(payload.at(i) ^ mask[i % 4]);
            }
            left = 0;
            if (opcode == 0x8) { // close: answered, and the stream ends
                send(0x8, payload);
                closed = true;
                return false;
            }
            if (opcode == 0x9) // ping
                send(0xA, payload);
        }
    }

    static int read(void *opaque, uint8_t *buffer, int size)
    {
        auto *ws = static_cast<WebSocket *>(opaque);
        while (!ws->closed && ws->left == 0) {
            if (!ws->nextFrame())
                return ws->interrupted() ? AVERROR_EXIT : AVERROR_EOF;
        }
        if (ws->closed)
            return AVERROR_EOF;
        const qint64 got = ws->readSome(buffer, qint64(std::min<quint64>(ws->left, quint64(size))));
        if (got <= 0)
            return ws->interrupted() ? AVERROR_EXIT : AVERROR_EOF;
        if (ws->masked) {
            for (qint64 i = 0; i < got; ++i)
                buffer[i] ^= ws->mask[(ws->offset + quint64(i)) % 4];
        }
        ws->offset += quint64(got);
        ws->left -= quint64(got);
        return int(got);
    }
};

Input::Input() = default;

Input::~Input()
{
    if (m_format)
        avformat_close_input(&m_format);
    m_socket.reset();
}

int Input::open(const QUrl &given, const AVIOInterruptCB &interrupt, AVDictionary **options, QString *error)
{
    m_transport = given.scheme().toLower();
    QUrl url = given;
    if (isWebSocket(given)) {
        auto ws = std::make_unique<WebSocket>();
        ws->interrupt = interrupt;
        const bool secure = given.scheme().compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0;
        const quint16 port = quint16(given.port(secure ? 443 : 80));
        if (secure) {
#if QT_CONFIG(ssl)
            auto ssl = std::make_unique<QSslSocket>();
            ssl->connectToHostEncrypted(given.host(), port);
            ws->socket = std::move(ssl);
#else
            *error = QStringLiteral("this build has no TLS for wss:// streams");
            return AVERROR_PROTOCOL_NOT_FOUND;
#endif
        } else {
            ws->socket = std::make_unique<QTcpSocket>();
            ws->socket->connectToHost(given.host(), port);
        }
        const auto ready = [&ws, secure] {
#if QT_CONFIG(ssl)
            if (secure)
                return static_cast<QSslSocket *>(ws->socket.get())->isEncrypted();
#else
            Q_UNUSED(secure)
#endif
            return ws->socket->state() == QAbstractSocket::ConnectedState;
        };
        while (!ready()) {
            if (ws->interrupted()) {
                *error = QStringLiteral("no answer");
                return AVERROR_EXIT;
            }
            if (ws->socket->state() == QAbstractSocket::UnconnectedState) {
                *error = QStringLiteral("cannot open the stream: %1").arg(ws->socket->errorString());
                return AVERROR(ECONNREFUSED);
            }
            if (secure)
                ws->socket->waitForReadyRead(50); // the TLS handshake
            else
                ws->socket->waitForConnected(50);
        }
        int rc = 0;
        // The upgrade.
        QByteArray nonce(16, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 4);
        const QByteArray key = nonce.toBase64();
        QByteArray target = given.path(QUrl::FullyEncoded).toUtf8();
        if (target.isEmpty())
            target = "/";
        if (given.hasQuery())
            target += '?' + given.query(QUrl::FullyEncoded).toUtf8();
        const QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: " + given.host().toUtf8() + ':'
            + QByteArray::number(port)
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
            + "\r\nSec-WebSocket-Version: 13\r\nUser-Agent: FleetDesk\r\n\r\n";
        ws->write(request);
        QByteArray head;
        while (!head.endsWith("\r\n\r\n") && head.size() < 8192) {
            quint8 c = 0;
            if (!ws->readExactly(&c, 1))
                break;
            head.append(char(c));
        }
        const int status = head.startsWith("HTTP/1.") && head.size() > 12 ? head.mid(9, 3).toInt() : 0;
        if (status == 101) {
            const QByteArray accept = webSocketAccept(key);
            bool accepted = false;
            for (const QByteArray &line : head.split('\n')) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().toLower() == "sec-websocket-accept")
                    accepted = line.mid(colon + 1).trimmed() == accept;
            }
            if (!accepted) {
                *error = QStringLiteral("the server's WebSocket answer is not for this request");
                return AVERROR_INVALIDDATA;
            }
            constexpr int kBuffer = 32768;
            auto *buffer = static_cast<unsigned char *>(av_malloc(kBuffer));
            ws->pb = buffer ? avio_alloc_context(buffer, kBuffer, 0, ws.get(), &WebSocket::read, nullptr, nullptr)
                            : nullptr;
            if (!ws->pb) {
                av_free(buffer);
                *error = QStringLiteral("out of memory");
                return AVERROR(ENOMEM);
            }
            m_format = avformat_alloc_context();
            if (!m_format) {
                *error = QStringLiteral("out of memory");
                return AVERROR(ENOMEM);
            }
            m_format->pb = ws->pb;
            m_format->flags |= AVFMT_FLAG_CUSTOM_IO;
            m_format->interrupt_callback = interrupt;
            m_socket = std::move(ws);
            m_transport = QStringLiteral("websocket");
            rc = avformat_open_input(&m_format, "", nullptr, options);
            if (rc < 0)
                *error = QStringLiteral("cannot read the stream: %1").arg(errorText(rc));
            return rc;
        }
        if (status == 0) {
            *error = QStringLiteral("the server did not answer the WebSocket request");
            return AVERROR_INVALIDDATA;
        }
        // Plain HTTP on a ws:// URL: the same path over HTTP(S).
        url = interchanged(given);
        m_transport = url.scheme();
    }
    m_format = avformat_alloc_context();
    if (!m_format) {
        *error = QStringLiteral("out of memory");
        return AVERROR(ENOMEM);
    }
    m_format->interrupt_callback = interrupt;
    const QByteArray target = url.isLocalFile() ? QFile::encodeName(url.toLocalFile()) : url.toEncoded();
    const int rc = avformat_open_input(&m_format, target.constData(), nullptr, options);
    if (rc < 0)
        *error = QStringLiteral("cannot open the stream: %1").arg(errorText(rc));
    return rc;
}

} // namespace Fleet::Player::Ffmpeg
