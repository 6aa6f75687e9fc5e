#pragma once

// What the player's FFmpeg users share (internal to fleet_player).

#include <QString>
#include <QUrl>

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

} // namespace Fleet::Player::Ffmpeg
