#pragma once

#include "alarmdeviceacker.h"
#include "alarmmediafetcher.h"
#include "commandsender.h"
#include "fleetadmin.h"
#include "locatenow.h"
#include "store/ingestbatch.h"
#include "api/apiclient.h"
#include "embeddedcloud.h"
#include "domain/alarmdesk.h"
#include "domain/vehiclestatus.h"
#include "media/mediacapture.h"
#include "media/recordinglister.h"
#include "media/streamsessions.h"
#include "push/pushreceiver.h"
#include "sessionstatus.h"
#include "ingestconfig.h"
#include "trackfetcher.h"

#include <QList>
#include <QObject>
#include <QTimer>
#include <memory>
#include <optional>

namespace Fleet {

class Clock;
class IngestService;
struct StoreChange;
class VehicleFeed;

// What a desktop session runs: a real account, or the simulated cloud.
struct SessionSettings
{
    QString databasePath;
    // A cloud the session runs on its own thread (the demo's simulated one,
    // from fleet_demo): the session polls it and receives its pushes exactly
    // as it would a real account's, and lives in its clock; the account and
    // webhook below are then made up. Null: a real account.
    std::shared_ptr<EmbeddedCloud> embeddedCloud;
    bool isDemo() const { return bool(embeddedCloud); }
    std::optional<ApiAccount> account;
    std::optional<Push::ReceiverConfig> webhook;
    SyncSchedule schedule;
    StatusRules rules;
    int alarmFoldSeconds = 60; // repeats of an unresolved alarm within this fold into it
    int reclassifyMs = 10000; // how often time-driven statuses are re-read
    int statusMs = 1000; // at most this often a status update
    int commandPollMs = 15000; // how often open commands are asked about
};

// Lives on the session's own thread (see LiveSession): runs the ingest
// service (and an embedded cloud, in demo mode) and turns the store's change
// notices into vehicle snapshots for the views.
class SessionWorker : public QObject
{
    Q_OBJECT

public:
    // clock: the session's time (the fleet's in a demo); null: the system's.
    explicit SessionWorker(const SessionSettings &settings, Clock *clock = nullptr, QObject *parent = nullptr);
    ~SessionWorker() override;

    // On the worker's thread.
    void start();
    void stop();
    // Brings the devices' tracks for span into the store (TrackFetcher). A
    // request while another runs cancels that one; each ends with
    // trackFetched(id, ...). Without a cloud, it ends at once, all missing.
    void fetchTrack(int id, const QStringList &imeis, const Fleet::TimeSpan &span);
    void cancelTrack(int id);
    // A dispatcher's steps on alarms, through the session's writer; ends
    // with alarmActionsDone(id, committed).
    void actOnAlarms(int id, const QList<Fleet::AlarmAction> &actions);
    // Acknowledges an alarm on its device (AlarmDeviceAcker); ends with
    // deviceAckDone(id, answer).
    void ackOnDevice(int id, const Fleet::DeviceAckRequest &request);
    // Brings the photos and clips the cloud lists for an alarm into the store
    // (AlarmMediaFetcher); ends with alarmMediaFetched(id, outcome).
    void fetchAlarmMedia(int id, const Fleet::AlarmMediaRequest &request);
    // Video streams in the cloud (StreamSessions): streamOpened or
    // streamFailed, and streamClosed.
    void openStream(int id, const Fleet::StreamRequest &request);
    // A dashcam's recordings of a camera and day (RecordingLister):
    // recordingsWaiting while the device uploads, then recordingsListed.
    void listRecordings(int id, const QString &imei, int channel, const QDate &day);
    // "Take a photo now" / "record N s now" (MediaCapture): captureSent once
    // the device took the command, captureWaiting while its file is awaited,
    // then captured (the files in the store).
    void captureMedia(int id, const Fleet::MediaCapture::Request &request);
    void renewStream(int id);
    void closeStream(int id);
    // The commands a vehicle's model supports (instruction.list), kept per
    // model for the session unless refresh: commandTemplatesLoaded.
    void commandTemplates(int id, const QString &imei, const QString &model, bool refresh);
    // Sends a command to one or many vehicles (CommandSender):
    // commandRefused, or commandBatchStarted and then commandUpdated,
    // commandProgress and commandBatchFinished.
    void sendCommand(int id, const Fleet::CommandOrder &order);
    // Asks the cloud about open commands now; imeis: those devices' commands, open or not.
    void pollCommands(const QStringList &imeis = {});
    // "Locate now" (locateNow): located(id, outcome) once stored.
    void locateNow(int id, const QStringList &imeis);
    // The cloud's share link: locationShared(id, url, error).
    void shareLocation(int id, const QString &imei);
    // A device's record changed in the cloud, then stored as the cloud
    // holds it (updateDeviceRecord): deviceUpdated(id, outcome).
    void updateDevice(int id, const QString &imei, const Fleet::DeviceUpdate &update);
    // The desk's own groups, through the session's writer: localGroupsChanged.
    void changeLocalGroups(int id, const QList<Fleet::LocalGroupChange> &changes);
    // The cloud's groups, moves, expiry and app users (administerFleet):
    // administered(id, request, outcome). Devices moved are no longer polled.
    void administer(int id, const Fleet::FleetAdminRequest &request);

Q_SIGNALS:
    void started(int vehicleCount);
    void failed(const Fleet::SessionFailure &failure);
    void vehiclesLoaded(const QList<Fleet::VehicleSnapshot> &all);
    void vehiclesChanged(const QList<Fleet::VehicleSnapshot> &changed);
    // Vehicles that left the view (moved to another account).
    void vehiclesRemoved(const QStringList &imeis);
    void statusChanged(const Fleet::SessionStatus &status);
    void stopped();
    void trackProgress(int id, int done, int total);
    // A window's fixes are in the store: a view may read them already.
    void trackStored(int id, const QString &imei, const Fleet::TimeSpan &span);
    void trackFetched(int id, const Fleet::TrackFetcher::Outcome &outcome);
    // Every committed change of the store, for the views that read it.
    void storeChangedNotice(const Fleet::StoreChange &change);
    void alarmActionsDone(int id, bool committed);
    // Before started(): whether alarms can be acknowledged on their devices.
    void deviceAckAvailable(bool available);
    // Before started(): the account whose fleet this is (absent without a cloud).
    void accountKnown(const QString &account);
    void deviceAckDone(int id, const Fleet::AlarmDeviceAck &answer);
    void alarmMediaFetched(int id, const Fleet::AlarmMediaOutcome &outcome);
    void streamOpened(int id, const QUrl &url);
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

private:
    // Writes through the session's writer; done(false) when it cannot.
    void writeThen(IngestBatch batch, const std::function<void(bool committed)> &done);
    void storeChanged(const StoreChange &change);
    void publishStatus();

    SessionSettings m_settings;
    Clock *m_clock;
    std::unique_ptr<IngestService> m_service;
    std::unique_ptr<VehicleFeed> m_feed;
    std::unique_ptr<AlarmDeviceAcker> m_acker;
    std::unique_ptr<AlarmMediaFetcher> m_media;
    std::unique_ptr<StreamSessions> m_streams;
    std::unique_ptr<RecordingLister> m_recordings;
    int m_recordingsId = 0;
    std::unique_ptr<MediaCapture> m_capture;
    std::unique_ptr<CommandSender> m_commands;
    QHash<QString, QList<CommandTemplate>> m_templates; // by model (IMEI when unknown)
    QTimer m_reclassify;
    QTimer m_statusTimer;
    SessionStatus m_status;
    SessionStatus m_published;
    struct TrackRequest
    {
        int id = 0;
        QStringList imeis;
        TimeSpan span;
    };
    void startTrack(const TrackRequest &request);
    std::unique_ptr<TrackFetcher> m_fetcher;
    int m_fetchId = 0; // the request the fetcher works on
    std::optional<TrackRequest> m_nextTrack; // waits for a cancelled one to end
};

} // namespace Fleet
