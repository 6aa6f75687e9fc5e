#include "clicommands.h"
#include "clisession.h"

#include "domain/camera.h"
#include "store/storereader.h"
#include "util/quitonsignal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <atomic>
#include <thread>

namespace Fleet::Cli {

namespace {

constexpr int kProbeTimeoutSecs = 10;
constexpr int kLiveTimeoutSecs = 30;

// The session a running `video live` waits in, for the end of standard
// input (read on a thread of its own, which may outlive the command).
std::atomic<Session *> g_live{nullptr};

// A URL as the user typed it: a scheme, or a path to a local file.
QUrl streamUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (url.isValid() && url.scheme().size() > 1)
        return url;
    return QUrl::fromLocalFile(QFileInfo(text).absoluteFilePath());
}

int probeOrSnapshot(Session &session, const QCommandLineParser &parser, const QString &snapshotPath)
{
    const std::optional<int> timeout = timeoutOption(session, parser, kProbeTimeoutSecs);
    if (!timeout)
        return Usage;
    if (!session.videoProber()) {
        session.say(QStringLiteral("this build of fleetdesk-cli has no video player"));
        return Failure;
    }
    const QUrl url = streamUrl(parser.value(QStringLiteral("url")));
    const VideoProbe probe = session.videoProber()(url, *timeout * 1000, snapshotPath);
    if (!probe.ok) {
        session.say(QStringLiteral("%1: %2").arg(url.toDisplayString(QUrl::RemoveQuery), probe.error));
        return Failure;
    }
    const QString line = QStringLiteral("first_frame_ms=%1 size=%2x%3 codec=%4\n")
                             .arg(probe.firstFrameMs)
                             .arg(probe.width)
                             .arg(probe.height)
                             .arg(probe.codec);
    return session.writeResult({}, line.toUtf8());
}

} // namespace

int videoLive(Session &session, const QCommandLineParser &parser)
{
    const std::optional<int> timeout = timeoutOption(session, parser, kLiveTimeoutSecs);
    if (!timeout)
        return Usage;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (!session.hasCloud()) {
        session.say(QStringLiteral("video live needs --config FILE with an [api] section (the cloud opens the stream)"));
        return Usage;
    }
    const QString imei = parser.value(QStringLiteral("imei")).trimmed();
    if (const int rc = session.requireDevices({imei}); rc != Success)
        return rc;
    const std::optional<Device> device = session.reader().device(imei);
    const CameraLayout cameras = cameraLayout(device ? device->model : QString());
    if (!cameras.dashcam) {
        session.say(QStringLiteral("%1 (model %2) has no camera the cloud can stream")
                        .arg(imei, device && !device->model.isEmpty() ? device->model : QStringLiteral("unknown")));
        return Usage;
    }
    int channel = cameras.first;
    if (parser.isSet(QStringLiteral("channel"))) {
        bool ok = false;
        channel = parser.value(QStringLiteral("channel")).toInt(&ok);
        if (!ok || channel < cameras.first || channel >= cameras.first + cameras.count) {
            session.say(QStringLiteral("--channel: the %1 counts its cameras %2 to %3, got \"%4\"")
                            .arg(device->model)
                            .arg(cameras.first)
                            .arg(cameras.first + cameras.count - 1)
                            .arg(parser.value(QStringLiteral("channel"))));
            return Usage;
        }
    }
    QString error;
    const QUrl url = session.openLiveStream(imei, channel, *timeout, &error);
    if (!url.isValid()) {
        session.say(QStringLiteral("%1 camera %2: %3").arg(imei).arg(channel).arg(error));
        return Failure;
    }
    if (const int rc = session.writeResult({}, url.toEncoded() + '\n'); rc != Success) {
        session.closeLiveStream(*timeout);
        return rc;
    }
    session.say(QStringLiteral("%1 camera %2 is open; it is closed on SIGINT, SIGTERM or the end of standard input")
                    .arg(imei)
                    .arg(channel));

    // Until SIGINT, SIGTERM or the end of standard input; then the stream
    // is closed in the cloud with its appId.
    g_live = &session;
    quitOnTerminationSignals(QCoreApplication::instance());
    setTerminationHandler([&session] { session.stop(); });
    std::thread([] {
        while (std::fgetc(stdin) != EOF) { }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [] {
                if (Session *live = g_live)
                    live->stop();
            },
            Qt::QueuedConnection);
    }).detach();
    session.runUntilStopped();
    setTerminationHandler({});
    g_live = nullptr;
    if (!session.closeLiveStream(*timeout)) {
        session.say(QStringLiteral("the cloud did not confirm the close within %1 s; the next start closes it")
                        .arg(*timeout));
        return Failure;
    }
    session.say(QStringLiteral("the stream is closed in the cloud"));
    return Success;
}

int videoProbe(Session &session, const QCommandLineParser &parser)
{
    return probeOrSnapshot(session, parser, {});
}

int videoSnapshot(Session &session, const QCommandLineParser &parser)
{
    const QString output = parser.value(QStringLiteral("output"));
    if (!output.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) {
        session.say(QStringLiteral("video snapshot: --output must name a .png file, got \"%1\"").arg(output));
        return Usage;
    }
    return probeOrSnapshot(session, parser, output);
}

} // namespace Fleet::Cli
