#pragma once

// What the player's FFmpeg users share (internal to fleet_player).

#include <QMutexLocker>
#include <QString>
#include <QUrl>

#include <memory>

struct AVDictionary;
struct AVFormatContext;
struct AVIOInterruptCB;

namespace Fleet::Player::Ffmpeg {

// What FFmpeg may open for a URL from the cloud: the network protocols a
// dashcam stream comes over, and nothing that reads local files.
inline constexpr char kRemoteProtocols[] = "http,https,tcp,tls,rtmp,rtmps,rtmpt,rtsp,rtp,udp,crypto,httpproxy";

// FFmpeg's own notes ("[flv @ 0x...] Packet corrupt") go to the logging
// category fleet.video.ffmpeg, off unless asked for
// (QT_LOGGING_RULES="fleet.video.ffmpeg.debug=true"): what went wrong
// reaches the user as the stream's message instead. Once per process.
void routeLog();

QString errorText(int code);

// The cloud hands out ws:// (and wss://) FLV URLs for recordings and says
// that "websocket and http protocols can be interchanged" (reference §4.6):
// the same path over HTTP(S), which FFmpeg reads.
QUrl interchanged(const QUrl &url);

bool isRemote(const QUrl &url);
bool isWebSocket(const QUrl &url);

// A stream opened for demuxing: HTTP(S), RTMP, RTSP and files through
// FFmpeg's own protocols; ws:// and wss:// as a WebSocket (RFC 6455) whose
// binary messages carry the FLV bytes, read through FFmpeg's tcp or tls
// (so the interrupt callback and the timeouts hold). A server that answers
// the upgrade with plain HTTP is read as HTTP(S) instead: the cloud says the
// two are interchangeable (reference §4.6).
class Input
{
public:
    Input();
    ~Input(); // the demuxer first, then the WebSocket under it
    Input(const Input &) = delete;
    Input &operator=(const Input &) = delete;

    // Opens url (checked by the caller) with options (protocol whitelist,
    // timeouts, user agent); an FFmpeg error code, and *error in words.
    int open(const QUrl &url, const AVIOInterruptCB &interrupt, AVDictionary **options, QString *error);
    AVFormatContext *format() const { return m_format; }
    // How the stream came: "websocket", or the URL's own scheme.
    QString transport() const { return m_transport; }

private:
    struct WebSocket;
    AVFormatContext *m_format = nullptr;
    std::unique_ptr<WebSocket> m_socket;
    QString m_transport;
};

// A worker's shared state let go by its object: told to stop, and no
// longer reporting to it. Returns it, for the caller to wait on its thread.
template<typename Shared>
std::shared_ptr<Shared> letGo(std::shared_ptr<Shared> &held)
{
    std::shared_ptr<Shared> shared = std::move(held);
    shared->abort = true;
    QMutexLocker lock(&shared->mutex);
    shared->owner = nullptr;
    return shared;
}

// The WebSocket handshake's answer key for a request key (RFC 6455 §4.2.2).
QByteArray webSocketAccept(const QByteArray &key);

} // namespace Fleet::Player::Ffmpeg
