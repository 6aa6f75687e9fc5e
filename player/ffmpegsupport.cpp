#include "ffmpegsupport.h"

#include <QLoggingCategory>
#include <QStringList>

#include <cstdarg>
#include <mutex>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
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

} // namespace Fleet::Player::Ffmpeg
