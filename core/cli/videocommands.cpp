#include "clicommands.h"
#include "clisession.h"

#include "domain/camera.h"
#include "store/storereader.h"
#include "util/quitonsignal.h"

#include "history/trackexport.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

// The store (and the cloud) open, the IMEI a dashcam of the account, and
// --channel one of its cameras (default: the first), as the model counts.
int openCamera(Session &session, const QCommandLineParser &parser, const QString &command, const QString &imei,
               int *channel)
{
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    if (!session.hasCloud()) {
        session.say(QStringLiteral("%1 needs --config FILE with an [api] section (the cloud asks the device)").arg(command));
        return Usage;
    }
    if (const int rc = session.requireDevices({imei}); rc != Success)
        return rc;
    const std::optional<Device> device = session.reader().device(imei);
    const CameraLayout cameras = cameraLayout(device ? device->model : QString());
    if (!cameras.dashcam) {
        session.say(QStringLiteral("%1 (model %2) has no camera the cloud can stream")
                        .arg(imei, device && !device->model.isEmpty() ? device->model : QStringLiteral("unknown")));
        return Usage;
    }
    *channel = cameras.first;
    if (parser.isSet(QStringLiteral("channel"))) {
        bool ok = false;
        *channel = parser.value(QStringLiteral("channel")).toInt(&ok);
        if (!ok || *channel < cameras.first || *channel >= cameras.first + cameras.count) {
            session.say(QStringLiteral("--channel: the %1 counts its cameras %2 to %3, got \"%4\"")
                            .arg(device->model)
                            .arg(cameras.first)
                            .arg(cameras.first + cameras.count - 1)
                            .arg(parser.value(QStringLiteral("channel"))));
            return Usage;
        }
    }
    return Success;
}

} // namespace

int videoRecordings(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> format = csvOrJson(session, parser);
    if (!format)
        return Usage;
    const std::optional<int> timeout = timeoutOption(session, parser, 2 * RecordingLister::kMaxWaitSecs);
    if (!timeout)
        return Usage;
    const QDate day = QDate::fromString(parser.value(QStringLiteral("date")), Qt::ISODate);
    if (!day.isValid()) {
        session.say(QStringLiteral("--date: expected YYYY-MM-DD, got \"%1\"").arg(parser.value(QStringLiteral("date"))));
        return Usage;
    }
    const QString imei = parser.value(QStringLiteral("imei")).trimmed();
    int channel = 0;
    if (const int rc = openCamera(session, parser, QStringLiteral("video recordings"), imei, &channel); rc != Success)
        return rc;
    RecordingLister::Outcome outcome;
    if (!session.listRecordings(imei, channel, day, *timeout, &outcome)) {
        session.say(QStringLiteral("%1 camera %2: no list from the cloud within %3 s").arg(imei).arg(channel).arg(*timeout));
        return Failure;
    }
    if (!outcome.ok) {
        session.say(QStringLiteral("%1 camera %2: %3")
                        .arg(imei)
                        .arg(channel)
                        .arg(outcome.detail == QLatin1String("228") ? QStringLiteral("the device is offline")
                                                                   : outcome.error));
        return Failure;
    }
    QByteArray out;
    if (*format == QLatin1String("json")) {
        QJsonArray rows;
        for (const VideoSegment &v : std::as_const(outcome.segments)) {
            rows.append(QJsonObject{
                {QStringLiteral("channel"), v.channel},
                {QStringLiteral("begin"), v.begin.toUTC().toString(Qt::ISODate)},
                {QStringLiteral("end"), v.end.toUTC().toString(Qt::ISODate)},
                {QStringLiteral("duration_s"), v.begin.secsTo(v.end)},
                {QStringLiteral("file_name"), v.fileName.isEmpty() ? QJsonValue() : QJsonValue(v.fileName)},
                {QStringLiteral("file_size"), v.fileSize ? QJsonValue(double(*v.fileSize)) : QJsonValue()},
            });
        }
        out = QJsonDocument(rows).toJson(QJsonDocument::Indented);
    } else {
        out = "channel,begin,end,duration_s,file_name,file_size\n";
        for (const VideoSegment &v : std::as_const(outcome.segments)) {
            out += QStringList{QString::number(v.channel), v.begin.toUTC().toString(Qt::ISODate),
                               v.end.toUTC().toString(Qt::ISODate), QString::number(v.begin.secsTo(v.end)),
                               TrackExport::csvText(v.fileName), v.fileSize ? QString::number(*v.fileSize) : QString()}
                       .join(QLatin1Char(','))
                       .toUtf8()
                + '\n';
        }
    }
    if (outcome.segments.isEmpty())
        session.say(QStringLiteral("%1 camera %2: no recordings on %3").arg(imei).arg(channel).arg(day.toString(Qt::ISODate)));
    return session.writeResult(parser.value(QStringLiteral("output")), out);
}

int videoLive(Session &session, const QCommandLineParser &parser)
{
    const std::optional<int> timeout = timeoutOption(session, parser, kLiveTimeoutSecs);
    if (!timeout)
        return Usage;
    const QString imei = parser.value(QStringLiteral("imei")).trimmed();
    int channel = 0;
    if (const int rc = openCamera(session, parser, QStringLiteral("video live"), imei, &channel); rc != Success)
        return rc;
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
