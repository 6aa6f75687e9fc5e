#include "clicommands.h"
#include "clisession.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace Fleet::Cli {

namespace {

constexpr int kProbeTimeoutSecs = 10;

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
