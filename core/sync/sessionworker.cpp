#include "sessionworker.h"

#include "ingestservice.h"
#include "store/storereader.h"
#include "store/vehiclefeed.h"
#include "syncengine.h"
#include "util/clock.h"
#include "util/logging.h"

#include <QRandomGenerator>

namespace Fleet {

namespace {

// A token.get the cloud refused for the account's own settings (user or
// password 1002, app key or signature 1001), not for the network, a busy
// cloud or the one-a-minute rule: editing the account is what helps.
bool isAccountRefusal(const ApiError &error)
{
    return error.kind == ApiError::Kind::Api && (error.apiCode == 1001 || error.apiCode == 1002);
}

} // namespace

SessionWorker::SessionWorker(const SessionSettings &settings, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_clock(clock ? clock : Clock::system())
    , m_reclassify(this)
    , m_statusTimer(this)
{
    m_status.demo = settings.isDemo();
    m_status.databasePath = settings.databasePath;
}

SessionWorker::~SessionWorker()
{
    stop();
}

void SessionWorker::start()
{
    IngestServiceConfig config;
    config.databasePath = m_settings.databasePath;
    config.schedule = m_settings.schedule;
    config.account = m_settings.account;
    config.webhook = m_settings.webhook;
    config.dataClock = m_clock;
    config.writer.alarmFoldSeconds = m_settings.alarmFoldSeconds;
    QByteArray pushToken;
    if (m_settings.embeddedCloud) {
        EmbeddedCloud::Failure failure = EmbeddedCloud::Failure::CannotListen;
        config.account = m_settings.embeddedCloud->start(&failure);
        if (!config.account) {
            Q_EMIT failed(SessionFailure{SessionFailure::Kind::EmbeddedCloudCannotListen, QString()});
            return;
        }
        // A fresh token per run: the embedded cloud is its only sender.
        pushToken = QByteArray::number(QRandomGenerator::system()->generate64(), 36)
            + QByteArray::number(QRandomGenerator::system()->generate64(), 36);
        Push::ReceiverConfig webhook;
        webhook.token = pushToken;
        config.webhook = webhook;
    }
    m_service = std::make_unique<IngestService>();
    QString error;
    if (!m_service->start(config, &error)) {
        m_status.databaseError = error;
        Q_EMIT failed(SessionFailure{SessionFailure::Kind::IngestCannotStart, error});
        return;
    }
    StoreWriter *writer = m_service->writer();
    connect(writer, &StoreWriter::changed, this, &SessionWorker::storeChanged);
    connect(writer, &StoreWriter::writeFailed, this,
            [this](const QString &message) { m_status.databaseError = message; });
    connect(writer, &StoreWriter::writeRecovered, this, [this] { m_status.databaseError.clear(); });
    if (SyncEngine *engine = m_service->engine()) {
        m_status.cloud = SessionStatus::Cloud::Connecting;
        m_status.cloudDetail = config.account->baseUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
        connect(engine, &SyncEngine::jobFinished, this, [this](SyncEngine::Job job, bool ok, const QString &detail) {
            if (job != SyncEngine::Job::FleetSweep && job != SyncEngine::Job::DeviceSync)
                return;
            m_status.cloud = ok ? SessionStatus::Cloud::Connected : SessionStatus::Cloud::Failing;
            if (!ok && !m_status.accountRefused)
                m_status.cloudDetail = detail;
            publishStatus();
        });
        ApiClient *client = m_service->client();
        connect(client, &ApiClient::tokenGetDeferred, this, [this](const QDateTime &at) {
            m_status.signInAt = at;
            publishStatus();
        });
        connect(client, &ApiClient::tokenChanged, this, [this] {
            m_status.signInAt = QDateTime();
            m_status.accountRefused = false;
            publishStatus();
        });
        connect(client, &ApiClient::tokenFailed, this, [this](const ApiError &refusal) {
            m_status.signInAt = QDateTime();
            m_status.cloud = SessionStatus::Cloud::Failing;
            // The cloud's own words, with its code: they say what to fix.
            m_status.accountRefused = isAccountRefusal(refusal);
            m_status.cloudDetail = refusal.apiCode != 0
                ? QStringLiteral("%1 (%2)").arg(refusal.message).arg(refusal.apiCode)
                : refusal.message;
            publishStatus();
        });
    }
    if (Push::Receiver *receiver = m_service->receiver()) {
        m_status.webhookListening = true;
        m_status.webhookAddress = receiver->url().toString(QUrl::RemovePath);
    }

    m_feed = std::make_unique<VehicleFeed>(m_service->reader(), m_clock, m_settings.rules);
    const QList<VehicleSnapshot> all = m_feed->loadAll();
    Q_EMIT vehiclesLoaded(all);

    if (m_settings.embeddedCloud)
        m_settings.embeddedCloud->startPushing(m_service->receiver()->url(), pushToken);
    m_service->startPolling();

    connect(&m_reclassify, &QTimer::timeout, this, [this] {
        const QList<VehicleSnapshot> changed = m_feed->reclassify();
        if (!changed.isEmpty())
            Q_EMIT vehiclesChanged(changed);
    });
    m_reclassify.start(m_settings.reclassifyMs);
    connect(&m_statusTimer, &QTimer::timeout, this, &SessionWorker::publishStatus);
    m_statusTimer.start(m_settings.statusMs);
    publishStatus();
    if (m_service->api()) {
        m_acker = std::make_unique<AlarmDeviceAcker>(m_service->api(), writer, m_clock);
        m_media = std::make_unique<AlarmMediaFetcher>(m_service->api(), writer);
        m_streams = std::make_unique<StreamSessions>(m_service->api(), writer, m_clock);
        connect(m_streams.get(), &StreamSessions::opened, this, &SessionWorker::streamOpened);
        connect(m_streams.get(), &StreamSessions::failed, this, &SessionWorker::streamFailed);
        connect(m_streams.get(), &StreamSessions::closed, this, &SessionWorker::streamClosed);
        m_recordings = std::make_unique<RecordingLister>(m_service->api(), m_clock);
        connect(m_recordings.get(), &RecordingLister::waiting, this,
                [this](int attempt, int seconds) { Q_EMIT recordingsWaiting(m_recordingsId, attempt, seconds); });
        connect(m_recordings.get(), &RecordingLister::finished, this,
                [this](const RecordingLister::Outcome &o) { Q_EMIT recordingsListed(m_recordingsId, o); });
        m_capture = std::make_unique<MediaCapture>(m_service->api(), writer, m_clock);
        connect(m_capture.get(), &MediaCapture::sent, this, &SessionWorker::captureSent);
        connect(m_capture.get(), &MediaCapture::waiting, this, &SessionWorker::captureWaiting);
        connect(m_capture.get(), &MediaCapture::finished, this, &SessionWorker::captured);
        CommandSender::Options commandOptions;
        commandOptions.pollIntervalMs = m_settings.commandPollMs;
        m_commands = std::make_unique<CommandSender>(m_service->api(), writer, m_clock, commandOptions);
        connect(m_commands.get(), &CommandSender::updated, this, &SessionWorker::commandUpdated);
        connect(m_commands.get(), &CommandSender::progress, this, &SessionWorker::commandProgress);
        connect(m_commands.get(), &CommandSender::batchFinished, this, &SessionWorker::commandBatchFinished);
        // Commands an earlier run (or the CLI) left open are followed on.
        m_commands->follow(m_service->reader()->openCommands());
        // What an earlier run left open in the cloud (a crash) is closed now.
        m_streams->closeLeftovers(m_service->reader()->openVideoStreams());
    }
    Q_EMIT deviceAckAvailable(m_acker && m_acker->available());
    if (JimiApi *api = m_service->api())
        Q_EMIT accountKnown(m_service->config().target.isEmpty() ? api->defaultTarget() : m_service->config().target);
    Q_EMIT started(int(all.size()));
}

void SessionWorker::fetchTrack(int id, const QStringList &imeis, const TimeSpan &span)
{
    if (!m_service || !m_service->api()) {
        TrackFetcher::Outcome outcome;
        for (const QString &imei : imeis)
            outcome.missing.append({imei, span, QStringLiteral("no cloud")});
        Q_EMIT trackFetched(id, outcome);
        return;
    }
    if (!m_fetcher) {
        m_fetcher = std::make_unique<TrackFetcher>(m_service->api(), m_service->reader(), m_service->sink(), m_clock);
        connect(m_fetcher.get(), &TrackFetcher::progress, this,
                [this](int done, int total) { Q_EMIT trackProgress(m_fetchId, done, total); });
        connect(m_fetcher.get(), &TrackFetcher::windowStored, this,
                [this](const QString &device, const TimeSpan &window) { Q_EMIT trackStored(m_fetchId, device, window); });
        connect(m_fetcher.get(), &TrackFetcher::finished, this, [this](const TrackFetcher::Outcome &outcome) {
            Q_EMIT trackFetched(m_fetchId, outcome);
            if (m_nextTrack) {
                const TrackRequest next = *m_nextTrack;
                m_nextTrack.reset();
                startTrack(next);
            }
        });
    }
    const TrackRequest request{id, imeis, span};
    if (m_fetcher->isRunning()) {
        m_nextTrack = request;
        m_fetcher->cancel();
        return;
    }
    startTrack(request);
}

void SessionWorker::startTrack(const TrackRequest &request)
{
    m_fetchId = request.id;
    if (!m_fetcher->fetch(request.imeis, request.span)) {
        TrackFetcher::Outcome outcome;
        outcome.cancelled = true;
        Q_EMIT trackFetched(request.id, outcome);
    }
}

void SessionWorker::cancelTrack(int id)
{
    if (m_nextTrack && m_nextTrack->id == id)
        m_nextTrack.reset();
    else if (m_fetcher && m_fetchId == id)
        m_fetcher->cancel();
}

void SessionWorker::stop()
{
    m_nextTrack.reset();
    m_fetcher.reset();
    // Every stream opened is closed in the cloud before the session ends,
    // while the cloud, the API and the writer are still there.
    if (m_streams)
        m_streams->closeAll(3000);
    m_streams.reset();
    m_recordings.reset();
    m_capture.reset();
    m_commands.reset();
    m_acker.reset(); // before the api and the writer it uses
    m_media.reset();
    m_reclassify.stop();
    m_statusTimer.stop();
    if (m_settings.embeddedCloud)
        m_settings.embeddedCloud->stopPushing();
    if (m_service && !m_service->stop(30000))
        qCWarning(lcSync) << "session: not everything could be written before stopping";
    m_feed.reset();
    m_service.reset();
    if (m_settings.embeddedCloud)
        m_settings.embeddedCloud->stop();
    Q_EMIT stopped();
}

void SessionWorker::commandTemplates(int id, const QString &imei, const QString &model, bool refresh)
{
    const QString key = model.isEmpty() ? imei : model;
    if (!refresh && m_templates.contains(key)) {
        Q_EMIT commandTemplatesLoaded(id, imei, m_templates.value(key), {});
        return;
    }
    if (!m_service || !m_service->api()) {
        Q_EMIT commandTemplatesLoaded(id, imei, {}, QStringLiteral("The session has no cloud."));
        return;
    }
    m_service->api()->commandTemplates(imei, this, [this, id, imei, key](const Result<ApiList<CommandTemplate>> &r) {
        if (!r.ok()) {
            Q_EMIT commandTemplatesLoaded(id, imei, {},
                                          r.error().message.isEmpty() ? r.error().toString() : r.error().message);
            return;
        }
        m_templates.insert(key, r.value().items);
        Q_EMIT commandTemplatesLoaded(id, imei, r.value().items, {});
    });
}

void SessionWorker::sendCommand(int id, const CommandOrder &order)
{
    if (!m_commands) {
        Q_EMIT commandRefused(id, CommandRefusal{CommandRefusal::Kind::NoVehicles, {}});
        return;
    }
    const auto sent = m_commands->send(order);
    if (const auto *refusal = std::get_if<CommandRefusal>(&sent))
        Q_EMIT commandRefused(id, *refusal);
    else
        Q_EMIT commandBatchStarted(id, std::get<QString>(sent));
}

void SessionWorker::pollCommands(const QStringList &imeis)
{
    if (!m_commands)
        return;
    if (imeis.isEmpty())
        m_commands->pollNow();
    else
        m_commands->pollDevices(imeis);
}

void SessionWorker::locateNow(int id, const QStringList &imeis)
{
    Fleet::locateNow(m_service ? m_service->api() : nullptr, m_service ? m_service->writer() : nullptr, imeis, this,
                     [this, id](const LocateOutcome &o) { Q_EMIT located(id, o); });
}

void SessionWorker::shareLocation(int id, const QString &imei)
{
    Fleet::shareLocation(m_service ? m_service->api() : nullptr, imei, this,
                         [this, id](const QUrl &url, const QString &error) { Q_EMIT locationShared(id, url, error); });
}

void SessionWorker::updateDevice(int id, const QString &imei, const DeviceUpdate &update)
{
    updateDeviceRecord(m_service ? m_service->api() : nullptr, m_service ? m_service->writer() : nullptr, imei, update,
                       this, [this, id, imei](const AdminOutcome &o) { Q_EMIT deviceUpdated(id, imei, o); });
}

void SessionWorker::administer(int id, const FleetAdminRequest &request)
{
    JimiApi *api = m_service ? m_service->api() : nullptr;
    const QString account = m_service ? m_service->config().target : QString();
    administerFleet(api, m_service ? m_service->writer() : nullptr, m_clock, account, request, this,
                    [this, id, request](const AdminOutcome &o) {
                        if (request.kind == FleetAdminRequest::Kind::MoveDevices && m_service && m_service->engine())
                            m_service->engine()->forgetDevices(o.changed);
                        Q_EMIT administered(id, request, o);
                    });
}

void SessionWorker::openStream(int id, const StreamRequest &request)
{
    if (!m_streams) {
        Q_EMIT streamFailed(id, QStringLiteral("The session has no cloud."), {});
        return;
    }
    m_streams->open(id, request);
}

void SessionWorker::listRecordings(int id, const QString &imei, int channel, const QDate &day)
{
    if (!m_recordings) {
        RecordingLister::Outcome none;
        none.error = QStringLiteral("The session has no cloud.");
        Q_EMIT recordingsListed(id, none);
        return;
    }
    m_recordingsId = id;
    m_recordings->list(imei, channel, day);
}

void SessionWorker::captureMedia(int id, const MediaCapture::Request &request)
{
    if (!m_capture) {
        MediaCapture::Outcome none;
        none.error = QStringLiteral("The session has no cloud.");
        Q_EMIT captured(id, none);
        return;
    }
    m_capture->capture(id, request);
}

void SessionWorker::renewStream(int id)
{
    if (m_streams)
        m_streams->renew(id);
}

void SessionWorker::closeStream(int id)
{
    if (m_streams)
        m_streams->close(id);
}

void SessionWorker::actOnAlarms(int id, const QList<AlarmAction> &actions)
{
    IngestBatch batch;
    batch.alarmActions = actions;
    writeThen(std::move(batch), [this, id](bool committed) { Q_EMIT alarmActionsDone(id, committed); });
}

void SessionWorker::writeThen(IngestBatch batch, const std::function<void(bool committed)> &done)
{
    const bool queued = m_service && m_service->writer()->write(std::move(batch), done);
    if (!queued)
        done(false);
}

void SessionWorker::changeLocalGroups(int id, const QList<LocalGroupChange> &changes)
{
    IngestBatch batch;
    batch.localGroups = changes;
    writeThen(std::move(batch), [this, id](bool committed) { Q_EMIT localGroupsChanged(id, committed); });
}

void SessionWorker::ackOnDevice(int id, const DeviceAckRequest &request)
{
    const auto done = [this, id](const AlarmDeviceAck &answer) { Q_EMIT deviceAckDone(id, answer); };
    if (m_acker) {
        m_acker->send(request, done);
        return;
    }
    AlarmDeviceAck answer;
    answer.alarmId = request.alarmId;
    answer.serialNo = request.serialNo;
    answer.operatorName = request.operatorName;
    answer.result = DeviceAckResult::Failed;
    answer.message = QStringLiteral("The session has no cloud to send it to.");
    done(answer);
}

void SessionWorker::fetchAlarmMedia(int id, const AlarmMediaRequest &request)
{
    const auto done = [this, id](const AlarmMediaOutcome &outcome) { Q_EMIT alarmMediaFetched(id, outcome); };
    if (m_media) {
        m_media->fetch(request, done);
        return;
    }
    done(AlarmMediaOutcome{request.alarmId, 0, QStringLiteral("The session has no cloud to ask.")});
}

void SessionWorker::storeChanged(const StoreChange &change)
{
    Q_EMIT storeChangedNotice(change);
    if (!m_feed)
        return;
    const QList<VehicleSnapshot> changed = m_feed->apply(change);
    if (!changed.isEmpty())
        Q_EMIT vehiclesChanged(changed);
    if (const QStringList removed = m_feed->takeRemoved(); !removed.isEmpty())
        Q_EMIT vehiclesRemoved(removed);
}

void SessionWorker::publishStatus()
{
    if (!m_service)
        return;
    if (Push::Receiver *receiver = m_service->receiver()) {
        const Push::ReceiverStats s = receiver->stats();
        m_status.pushRequests = s.accepted;
        m_status.pushItems = s.itemsAccepted;
        m_status.pushRefused = s.unauthorized + s.notFound + s.wrongMethod + s.wrongContentType + s.malformed;
        m_status.pushUnauthorized = s.unauthorized;
        m_status.pushQuarantined = s.quarantinedItems;
    }
    if (SyncEngine *engine = m_service->engine())
        m_status.lastSweep = engine->stats(SyncEngine::Job::FleetSweep).lastSuccess;
    m_status.pendingRows = m_service->writer()->stats().pendingRows;
    if (m_status == m_published)
        return;
    m_published = m_status;
    Q_EMIT statusChanged(m_status);
}

} // namespace Fleet
