#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdio>
#include <functional>

namespace Fleet::Cli {

// fleetdesk-cli's exit codes (docs/CLI.md).
enum ExitCode {
    Success = 0,
    Failure = 1, // the cloud, the store or a timeout: a message names what is missing
    Usage = 2, // bad usage, an unknown id or name: one clear line
};

// The first picture of a stream, as the video player reports it.
struct VideoProbe
{
    bool ok = false;
    qint64 firstFrameMs = -1;
    int width = 0;
    int height = 0;
    QString codec;
    QString error; // why not, when !ok
};
// The video commands' player. Core links no QtGui and no Multimedia, so the
// executable hands it in (fleet_player); without one, `video probe` and
// `video snapshot` say this build has no player. With snapshotPath, the
// picture is saved there as a PNG.
using VideoProber = std::function<VideoProbe(const QUrl &url, int timeoutMs, const QString &snapshotPath)>;
// `video save`'s recorder, handed in the same way: the stream copied into an
// MP4 file without re-encoding (written whole or not at all). Empty when the
// file is whole, else why not.
using VideoSaver = std::function<QString(const QUrl &url, const QString &path)>;

// Runs one command line (arguments[0] is the program) and returns its exit
// code. Results go to out (or --output), messages and progress to err. Needs
// a QCoreApplication; runs its event loop while it waits for the cloud.
int run(const QStringList &arguments, std::FILE *out, std::FILE *err, const VideoProber &prober = {},
        const VideoSaver &saver = {});

} // namespace Fleet::Cli
