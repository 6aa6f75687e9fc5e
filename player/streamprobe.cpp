#include "streamprobe.h"

#include "videostream.h"

#include <QEventLoop>
#include <QImage>
#include <QSaveFile>
#include <QTimer>

namespace Fleet::Player {

ProbeResult probe(const QUrl &url, int timeoutMs, const QString &snapshotPath)
{
    ProbeResult result;
    VideoStream stream;
    QEventLoop loop;
    QObject::connect(&stream, &VideoStream::firstFrame, &loop, &QEventLoop::quit);
    QObject::connect(&stream, &VideoStream::failed, &loop, &QEventLoop::quit);
    QObject::connect(&stream, &VideoStream::stateChanged, &loop, [&loop](VideoStream::State s) {
        if (s == VideoStream::State::Ended)
            loop.quit();
    });
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    VideoStream::Options options;
    options.openTimeoutMs = timeoutMs;
    options.stallMs = std::max(1, timeoutMs / 2);
    stream.open(url, options);
    if (stream.state() == VideoStream::State::Connecting) {
        timeout.start(timeoutMs);
        loop.exec();
    }
    result.codec = stream.codecName();
    if (stream.firstFrameMs() < 0) {
        result.error = stream.state() == VideoStream::State::Failed ? stream.errorString()
            : stream.state() == VideoStream::State::Ended
            ? QStringLiteral("the stream ended before its first picture")
            : QStringLiteral("no picture in %1 s").arg(timeoutMs / 1000.0);
        stream.stop();
        return result;
    }
    result.firstFrameMs = stream.firstFrameMs();
    result.size = stream.frameSize();
    const QImage picture = stream.snapshot();
    stream.stop();
    if (!snapshotPath.isEmpty()) {
        QSaveFile file(snapshotPath);
        if (picture.isNull() || !file.open(QIODevice::WriteOnly) || !picture.save(&file, "PNG") || !file.commit()) {
            result.error = picture.isNull() ? QStringLiteral("the picture could not be converted")
                                            : QStringLiteral("cannot write %1: %2").arg(snapshotPath, file.errorString());
            return result;
        }
    }
    result.ok = true;
    return result;
}

} // namespace Fleet::Player
