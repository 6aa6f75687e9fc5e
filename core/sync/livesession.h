#pragma once

#include "sessionworker.h"

#include "util/clock.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace Fleet {

// The desktop's ingest side, off the GUI thread: owns a thread on which a
// SessionWorker runs the sync engine, the webhook receiver, the store writer
// (and in demo mode the embedded cloud). Its signals arrive on the thread
// that owns the LiveSession, queued.
class LiveSession : public QObject
{
    Q_OBJECT

public:
    explicit LiveSession(const SessionSettings &settings, QObject *parent = nullptr);
    ~LiveSession() override; // stop()

    void start();
    // Stops the worker (which commits what is queued) and joins its thread.
    void stop();
    bool isRunning() const { return m_thread.isRunning(); }
    const SessionSettings &settings() const { return m_settings; }
    // The session's time, for the views' "… ago" texts: the embedded
    // cloud's in a demo, else the system's. Thread-safe.
    Clock *clock() const { return m_settings.embeddedCloud ? m_settings.embeddedCloud->clock() : Clock::system(); }

    // Brings devices' tracks for span into the store from the cloud, where the
    // store lacks them (TrackFetcher, on the session's thread). Returns the
    // request's id, which the track signals carry. A new request cancels the
    // one before.
    int fetchTrack(const QStringList &imeis, const TimeSpan &span);
    void cancelTrack(int id);
    // Writes a dispatcher's steps on alarms through the session's writer.
    // Returns the request's id, which alarmActionsDone carries.
    int actOnAlarms(const QList<AlarmAction> &actions);
    // Acknowledges an alarm on its device through the account's instruction
    // gateway. Returns the request's id, which deviceAckDone carries.
    int ackOnDevice(const DeviceAckRequest &request);
    // Brings the photos and clips the cloud lists for an alarm into the
    // store. Returns the request's id, which alarmMediaFetched carries.
    int fetchAlarmMedia(const AlarmMediaRequest &request);
    // Opens a camera's stream (or a recording) in the cloud: streamOpened
    // with its URL, or streamFailed. Returns the stream's id.
    int openStream(const StreamRequest &request);
    // A dashcam's recordings of a camera and day: recordingsWaiting while the
    // device uploads its list, then recordingsListed. A new list replaces
    // the one under way. Returns the request's id.
    int listRecordings(const QString &imei, int channel, const QDate &day);
    // Asks a dashcam to take a photo or a clip now: captureSent, captureWaiting
    // while its file is awaited, then captured. Returns the request's id.
    int captureMedia(const MediaCapture::Request &request);
    // The stream's URL again, with the same appId (the player lost it).
    void renewStream(int id);
    // Closes it in the cloud (with the appId it was opened with): streamClosed.
    void closeStream(int id);
    // Whether the session's account has an instruction gateway (known once
    // started).
    bool canAckOnDevice() const { return m_deviceAck; }
    // The account whose fleet this is, once started (empty without a cloud).
    QString account() const { return m_account; }
    bool hasInstructionGateway() const { return m_deviceAck; }
    // The commands a vehicle's model supports: commandTemplatesLoaded. Kept
    // per model for the session; refresh asks the cloud again.
    int commandTemplates(const QString &imei, const QString &model, bool refresh = false);
    // Sends a command (CommandSender): commandRefused, or
    // commandBatchStarted, then commandUpdated / commandProgress /
    // commandBatchFinished as it goes.
    int sendCommand(const CommandOrder &order);
    // Asks the cloud about open commands now; imeis: those devices' commands, open or not.
    void pollCommands(const QStringList &imeis = {});
    // Locate now: the vehicles' positions from the cloud now; located.
    int locateNow(const QStringList &imeis);
    // The cloud's share link for a vehicle: locationShared.
    int shareLocation(const QString &imei);
    // Changes a device's record in the cloud, then stores the cloud's new
    // record: deviceUpdated.
    int updateDevice(const QString &imei, const DeviceUpdate &update);
    // The desk's own groups (stored with the data): localGroupsChanged.
    int changeLocalGroups(const QList<LocalGroupChange> &changes);
    // The cloud's groups, moves, expiry and app users: administered.
    int administer(const FleetAdminRequest &request);

Q_SIGNALS:
    void started(int vehicleCount);
    void failed(const Fleet::SessionFailure &failure);
    void vehiclesLoaded(const QList<Fleet::VehicleSnapshot> &all);
    void vehiclesChanged(const QList<Fleet::VehicleSnapshot> &changed);
    void statusChanged(const Fleet::SessionStatus &status);
    void trackProgress(int id, int done, int total);
    void trackStored(int id, const QString &imei, const Fleet::TimeSpan &span);
    void trackFetched(int id, const Fleet::TrackFetcher::Outcome &outcome);
    // Every committed change of the store (the session's own writer).
    void storeChanged(const Fleet::StoreChange &change);
    void alarmActionsDone(int id, bool committed);
    void deviceAckDone(int id, const Fleet::AlarmDeviceAck &answer);
    void alarmMediaFetched(int id, const Fleet::AlarmMediaOutcome &outcome);
    void streamOpened(int id, const QUrl &url);
    // message: the cloud's words; detail "228": the device is offline.
    void streamFailed(int id, const QString &message, const QString &detail);
    void streamClosed(int id, bool confirmed);
    void recordingsWaiting(int id, int attempt, int seconds);
    void recordingsListed(int id, const Fleet::RecordingLister::Outcome &outcome);
    void captureSent(int id, const QString &cmdSeqNo);
    void captureWaiting(int id, int attempt, int seconds);
    void captured(int id, const Fleet::MediaCapture::Outcome &outcome);
    void commandTemplatesLoaded(int id, const QString &imei, const QList<Fleet::CommandTemplate> &templates,
                                const QString &error);
    void commandRefused(int id, const Fleet::CommandRefusal &refusal);
    void commandBatchStarted(int id, const QString &batchKey);
    void commandUpdated(const Fleet::CommandRecord &record);
    void commandProgress(const QString &batchKey, int done, int total);
    void commandBatchFinished(const QString &batchKey);
    void located(int id, const Fleet::LocateOutcome &outcome);
    void locationShared(int id, const QUrl &url, const QString &error);
    void deviceUpdated(int id, const QString &imei, const Fleet::AdminOutcome &outcome);
    void localGroupsChanged(int id, bool committed);
    void administered(int id, const Fleet::FleetAdminRequest &request, const Fleet::AdminOutcome &outcome);
    void vehiclesRemoved(const QStringList &imeis);

private:
    SessionSettings m_settings;
    QThread m_thread;
    SessionWorker *m_worker = nullptr;
    int m_lastTrackId = 0;
    int m_lastAlarmActionId = 0;
    bool m_deviceAck = false;
    QString m_account;
};

} // namespace Fleet
