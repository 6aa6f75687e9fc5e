#pragma once

#include "cli/cli.h"
#include "domain/timespan.h"
#include "media/mediacapture.h"
#include "media/recordinglister.h"
#include "media/streamsessions.h"
#include "sync/alarmdeviceacker.h"
#include "sync/alarmmediafetcher.h"
#include "sync/commandsender.h"
#include "sync/fleetadmin.h"
#include "sync/locatenow.h"
#include "sync/ingestconfig.h"
#include "sync/ingestservice.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdio>
#include <memory>
#include <optional>

class QCommandLineParser;
class QEventLoop;

namespace Fleet::Cli {

// What every command works with: the store (and the cloud, with --config and
// an [api] section), opened once, and the way to talk to the user.
class Session
{
public:
    Session(std::FILE *out, std::FILE *err);
    ~Session();

    // Opens the store named by --database or the --config file's [store], and
    // with [api] the account. A usage problem returns Usage with the line
    // said; a store that cannot open returns Failure.
    int open(const QCommandLineParser &parser);

    bool hasCloud() { return m_service.api() != nullptr; }
    StoreReader &reader() { return *m_service.reader(); }

    // Each IMEI known to the store (or, with a cloud, to the account's
    // device list, which is then stored). Else Usage, naming the first unknown.
    int requireDevices(const QStringList &imeis);
    // Brings the devices' tracks for span into the store from the cloud where
    // it lacks them, with progress on err. Without a cloud, says which parts
    // the store does not hold whole and goes on. Failure names what could
    // not be fetched.
    int ensureTracks(const QStringList &imeis, const TimeSpan &span, int timeoutSecs);

    // Writes a batch through the store's writer and waits until it is
    // committed: Success, or Failure with the writer's reason said.
    int commit(IngestBatch batch, int timeoutSecs = 60);

    // Acknowledges an alarm on its device through the account's instruction
    // gateway and waits for the answer, which the store keeps. False when
    // no answer came within timeoutSecs (the store then says 'sending').
    bool ackOnDevice(const DeviceAckRequest &request, AlarmDeviceAck *answer, int timeoutSecs);
    bool hasInstructionGateway();
    // Brings the photos and clips the cloud lists for an alarm into the
    // store (AlarmMediaFetcher) and waits; false when no answer came within
    // timeoutSecs.
    bool fetchAlarmMedia(const AlarmMediaRequest &request, AlarmMediaOutcome *outcome, int timeoutSecs);
    // Fetches a file the cloud named into path (MediaDownloader) and waits:
    // empty, or why not.
    QString download(const QUrl &url, const QString &path, qint64 maxBytes, int timeoutSecs);

    // Writes bytes to --output (replaced whole, or left untouched on failure)
    // or to out.
    int writeResult(const QString &outputPath, const QByteArray &bytes);

    void say(const QString &line);

    // video live, video save: a camera's stream (live, or a recording)
    // opened in the cloud (StreamSessions, in the store's journal; what an
    // earlier run left open is closed first). Its URL, or empty and *error.
    QUrl openStream(const StreamRequest &request, int timeoutSecs, QString *error);
    // Closes it in the cloud with its appId; false when the cloud did not confirm.
    bool closeStream(int timeoutSecs);
    // video recordings: the device's list for a channel and day
    // (RecordingLister), waiting for the device with back-off and saying so.
    // False when no answer came within timeoutSecs.
    bool listRecordings(const QString &imei, int channel, const QDate &day, int timeoutSecs,
                        RecordingLister::Outcome *outcome);
    // video capture: the device asked to shoot now (MediaCapture), the file
    // awaited and kept in the store. False when no answer came within timeoutSecs.
    bool captureMedia(const MediaCapture::Request &request, int timeoutSecs, MediaCapture::Outcome *outcome);
    // command templates / send: the model's list from the cloud. False with
    // *error when it could not be had within timeoutSecs.
    bool commandTemplates(const QString &imei, int timeoutSecs, QList<CommandTemplate> *templates, QString *error);
    // command send: the order started (*batchKey), or why it was refused.
    std::optional<CommandRefusal> sendCommand(const CommandOrder &order, QString *batchKey);
    // Waits until the batches' sends are answered (at most sendTimeoutSecs)
    // and, with waitSecs, until every command is final or waitSecs passed;
    // onUpdate sees each state change. The rows as stored, by id.
    QList<CommandRecord> followCommands(const QStringList &batchKeys, int waitSecs,
                                        const std::function<void(const CommandRecord &)> &onUpdate,
                                        int sendTimeoutSecs = 60);
    // command status: asks the cloud once about a device's commands (its
    // result list, matched into the store) and waits for it.
    void askAboutCommands(const QString &imei, int timeoutSecs);
    // device update: the change in the cloud, then its record stored. False
    // when no answer came within timeoutSecs.
    bool updateDevice(const QString &imei, const DeviceUpdate &update, int timeoutSecs, AdminOutcome *outcome);
    // cloud-group, device move/extend/bind/unbind: the change in the cloud,
    // then what it now holds stored (administerFleet). False when no answer
    // came within timeoutSecs.
    bool administer(const FleetAdminRequest &request, int timeoutSecs, AdminOutcome *outcome);
    // The account acted for: [api] target, else the account's own.
    QString account();
    // locate: the vehicles' positions from the cloud now, stored. False when
    // no answer came within timeoutSecs.
    bool locate(const QStringList &imeis, int timeoutSecs, LocateOutcome *outcome);
    // Runs the event loop until stop() is called (from a signal handler or
    // the end of standard input).
    void runUntilStopped();
    void stop();

    void setVideoProber(const VideoProber &prober) { m_prober = prober; }
    const VideoProber &videoProber() const { return m_prober; }
    void setVideoSaver(const VideoSaver &saver) { m_saver = saver; }
    const VideoSaver &videoSaver() const { return m_saver; }

private:
    bool waitFor(const std::function<bool()> &done, int timeoutSecs);
    // Ends the current waitFor()'s loop, so it looks at done() again.
    void wake();

    std::FILE *m_out;
    std::FILE *m_err;
    IngestService m_service;
    QEventLoop *m_waiting = nullptr;
    VideoProber m_prober;
    VideoSaver m_saver;
    std::unique_ptr<StreamSessions> m_streams;
    CommandSender *commandSender();
    std::unique_ptr<CommandSender> m_commands;
    QHash<QString, std::pair<int, int>> m_commandProgress; // batch -> done, total
    QSet<QString> m_finishedBatches;
    bool m_stopped = false;
};

// Argument helpers shared by the commands: each says the problem and returns nullopt.
std::optional<QStringList> imeiList(Session &session, const QString &text);
// ISO 8601 with an offset or Z.
std::optional<QDateTime> isoTime(Session &session, const QString &option, const QString &text);
std::optional<TimeSpan> timeRange(Session &session, const QCommandLineParser &parser);
// --timeout SECS (1 to a day), else fallback.
inline constexpr int kMaxTimeoutSecs = 86400;
std::optional<int> timeoutOption(Session &session, const QCommandLineParser &parser, int fallback);
// --download DIR: the folder (made if missing), or empty when not given.
std::optional<QString> downloadOption(Session &session, const QCommandLineParser &parser);
// --operator NAME, else the user logged in; never empty.
std::optional<QString> operatorOption(Session &session, const QCommandLineParser &parser);
// The vehicles of the desk's own (local) group of that name (case ignored);
// nullopt, said, when there is no such group or it is empty.
std::optional<QStringList> localGroupImeis(Session &session, const QString &name);
// --format csv|json (csv by default).
std::optional<QString> csvOrJson(Session &session, const QCommandLineParser &parser);

} // namespace Fleet::Cli
