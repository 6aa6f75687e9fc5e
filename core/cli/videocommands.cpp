#include "clicommands.h"
#include "clisession.h"

#include "domain/camera.h"
#include "media/mediacapture.h"
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

int videoCapture(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> format = csvOrJson(session, parser);
    if (!format)
        return Usage;
    const std::optional<int> timeout = timeoutOption(session, parser, 2 * MediaCapture::kMaxWaitSecs);
    if (!timeout)
        return Usage;
    MediaCapture::Request request;
    request.imei = parser.value(QStringLiteral("imei")).trimmed();
    const QString kind = parser.isSet(QStringLiteral("kind")) ? parser.value(QStringLiteral("kind")) : QStringLiteral("photo");
    if (kind != QLatin1String("photo") && kind != QLatin1String("clip")) {
        session.say(QStringLiteral("--kind: photo or clip, got \"%1\"").arg(kind));
        return Usage;
    }
    request.kind = kind == QLatin1String("clip") ? MediaKind::Video : MediaKind::Photo;
    static const QStringList cameras{QStringLiteral("road"), QStringLiteral("cabin"), QStringLiteral("both")};
    const QString camera = parser.isSet(QStringLiteral("camera")) ? parser.value(QStringLiteral("camera")) : cameras.first();
    if (!cameras.contains(camera)) {
        session.say(QStringLiteral("--camera: road, cabin or both, got \"%1\"").arg(camera));
        return Usage;
    }
    request.camera = int(cameras.indexOf(camera)) + 1; // the command's numbering, on every model
    if (parser.isSet(QStringLiteral("seconds"))) {
        bool ok = false;
        request.videoSeconds = parser.value(QStringLiteral("seconds")).toInt(&ok);
        if (!ok || request.videoSeconds < 3 || request.videoSeconds > 10 || request.kind != MediaKind::Video) {
            session.say(QStringLiteral("--seconds: a clip's length, 3 to 10, got \"%1\"")
                            .arg(parser.value(QStringLiteral("seconds"))));
            return Usage;
        }
    }
    const std::optional<QString> directory = downloadOption(session, parser);
    if (!directory)
        return Usage;
    int channel = 0;
    if (const int rc = openCamera(session, parser, QStringLiteral("video capture"), request.imei, &channel); rc != Success)
        return rc;
    if (request.camera > 1 && cameraLayout(session.reader().device(request.imei)->model).count < 2) {
        session.say(QStringLiteral("--camera: %1 has one camera only").arg(request.imei));
        return Usage;
    }
    MediaCapture::Outcome outcome;
    if (!session.captureMedia(request, *timeout, &outcome)) {
        session.say(QStringLiteral("%1: no file from the device within %2 s").arg(request.imei).arg(*timeout));
        return Failure;
    }
    if (!outcome.ok) {
        session.say(QStringLiteral("%1: %2").arg(request.imei, outcome.detail == QLatin1String("228")
                                                                   ? QStringLiteral("the device is offline")
                                                                   : outcome.error));
        return Failure;
    }
    // As the store keeps them.
    QList<StoredMedia> media;
    const QList<StoredMedia> all = session.reader().vehicleMedia(request.imei);
    for (const MediaFile &f : std::as_const(outcome.files)) {
        const QString key = mediaFileKey(f);
        for (const StoredMedia &m : all) {
            if (m.fileKey == key)
                media.append(m);
        }
    }
    return writeMediaList(session, parser, media, *directory, *timeout, *format, std::nullopt);
}

int videoMedia(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> format = csvOrJson(session, parser);
    if (!format)
        return Usage;
    const std::optional<int> timeout = timeoutOption(session, parser, 120);
    if (!timeout)
        return Usage;
    const std::optional<QString> directory = downloadOption(session, parser);
    if (!directory)
        return Usage;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    const QString imei = parser.value(QStringLiteral("imei")).trimmed();
    if (const int rc = session.requireDevices({imei}); rc != Success)
        return rc;
    const QList<StoredMedia> media = session.reader().vehicleMedia(imei);
    if (media.isEmpty())
        session.say(QStringLiteral("%1: no photos or clips in the store").arg(imei));
    return writeMediaList(session, parser, media, *directory, *timeout, *format, std::nullopt);
}

int videoSave(Session &session, const QCommandLineParser &parser)
{
    const std::optional<int> timeout = timeoutOption(session, parser, kLiveTimeoutSecs);
    if (!timeout)
        return Usage;
    const QString output = parser.value(QStringLiteral("output"));
    if (!output.endsWith(QLatin1String(".mp4"), Qt::CaseInsensitive)) {
        session.say(QStringLiteral("--output: an MP4 file (FILE.mp4), got \"%1\"").arg(output));
        return Usage;
    }
    StreamRequest request;
    request.history = true;
    const bool byName = parser.isSet(QStringLiteral("file"));
    if (byName == (parser.isSet(QStringLiteral("from")) || parser.isSet(QStringLiteral("to")))) {
        session.say(QStringLiteral("either --from and --to (JT/T 1078 models) or --file (Concox models)"));
        return Usage;
    }
    if (byName) {
        request.fileNames = {parser.value(QStringLiteral("file"))};
    } else {
        const std::optional<TimeSpan> span = timeRange(session, parser);
        if (!span)
            return Usage;
        if (span->from.secsTo(span->to) > 3600) {
            session.say(QStringLiteral("--from/--to: at most an hour of recording at a time"));
            return Usage;
        }
        request.begin = span->from;
        request.end = span->to;
    }
    if (!session.videoSaver()) {
        session.say(QStringLiteral("this build of fleetdesk-cli has no video recorder"));
        return Failure;
    }
    request.imei = parser.value(QStringLiteral("imei")).trimmed();
    if (const int rc = openCamera(session, parser, QStringLiteral("video save"), request.imei, &request.channel);
        rc != Success)
        return rc;
    QString error;
    const QUrl url = session.openStream(request, *timeout, &error);
    if (!url.isValid()) {
        session.say(QStringLiteral("%1 camera %2: %3").arg(request.imei).arg(request.channel).arg(error));
        return Failure;
    }
    session.say(QStringLiteral("saving the recording to %1").arg(output));
    error = session.videoSaver()(url, output);
    const bool closed = session.closeStream(*timeout);
    if (!error.isEmpty()) {
        session.say(QStringLiteral("%1: %2").arg(output, error));
        return Failure;
    }
    if (!closed)
        session.say(QStringLiteral("the cloud did not confirm the stream's close; the next start closes it"));
    const QFileInfo info(output);
    return session.writeResult({}, QStringLiteral("saved %1 (%2 bytes)\n").arg(info.absoluteFilePath()).arg(info.size()).toUtf8());
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
    StreamRequest request;
    request.imei = imei;
    request.channel = channel;
    const QUrl url = session.openStream(request, *timeout, &error);
    if (!url.isValid()) {
        session.say(QStringLiteral("%1 camera %2: %3").arg(imei).arg(channel).arg(error));
        return Failure;
    }
    if (const int rc = session.writeResult({}, url.toEncoded() + '\n'); rc != Success) {
        session.closeStream(*timeout);
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
    if (!session.closeStream(*timeout)) {
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
