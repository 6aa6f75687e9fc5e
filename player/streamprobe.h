#pragma once

#include <QSize>
#include <QString>
#include <QUrl>

namespace Fleet::Player {

// What `fleetdesk-cli video probe` and `video snapshot` report: the first
// picture of a stream through the same path as the desktop's tiles
// (VideoStream, Live), with no display.
struct ProbeResult
{
    bool ok = false;
    qint64 firstFrameMs = -1; // from opening the URL to the first decoded picture
    QSize size;
    QString codec;
    QString error; // why not, when !ok
};

// Opens the URL, waits (running the event loop) for its first picture or
// timeoutMs, and stops. With snapshotPath, the picture is saved there as a
// PNG (written whole or not at all).
ProbeResult probe(const QUrl &url, int timeoutMs, const QString &snapshotPath = {});

} // namespace Fleet::Player
