#include "livesession.h"

namespace Fleet {

LiveSession::LiveSession(const SessionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_thread.setObjectName(QStringLiteral("fleet-session"));
}

LiveSession::~LiveSession()
{
    stop();
}

void LiveSession::start()
{
    if (m_thread.isRunning())
        return;
    m_worker = new SessionWorker(m_settings, clock());
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SessionWorker::started, this, &LiveSession::started);
    connect(m_worker, &SessionWorker::failed, this, &LiveSession::failed);
    connect(m_worker, &SessionWorker::vehiclesLoaded, this, &LiveSession::vehiclesLoaded);
    connect(m_worker, &SessionWorker::vehiclesChanged, this, &LiveSession::vehiclesChanged);
    connect(m_worker, &SessionWorker::statusChanged, this, &LiveSession::statusChanged);
    connect(m_worker, &SessionWorker::trackProgress, this, &LiveSession::trackProgress);
    connect(m_worker, &SessionWorker::trackStored, this, &LiveSession::trackStored);
    connect(m_worker, &SessionWorker::trackFetched, this, &LiveSession::trackFetched);
    connect(m_worker, &SessionWorker::storeChangedNotice, this, &LiveSession::storeChanged);
    connect(m_worker, &SessionWorker::alarmActionsDone, this, &LiveSession::alarmActionsDone);
    connect(m_worker, &SessionWorker::deviceAckDone, this, &LiveSession::deviceAckDone);
    connect(m_worker, &SessionWorker::alarmMediaFetched, this, &LiveSession::alarmMediaFetched);
    connect(m_worker, &SessionWorker::streamOpened, this, &LiveSession::streamOpened);
    connect(m_worker, &SessionWorker::streamFailed, this, &LiveSession::streamFailed);
    connect(m_worker, &SessionWorker::streamClosed, this, &LiveSession::streamClosed);
    connect(m_worker, &SessionWorker::recordingsWaiting, this, &LiveSession::recordingsWaiting);
    connect(m_worker, &SessionWorker::recordingsListed, this, &LiveSession::recordingsListed);
    connect(m_worker, &SessionWorker::captureSent, this, &LiveSession::captureSent);
    connect(m_worker, &SessionWorker::captureWaiting, this, &LiveSession::captureWaiting);
    connect(m_worker, &SessionWorker::captured, this, &LiveSession::captured);
    connect(m_worker, &SessionWorker::commandTemplatesLoaded, this, &LiveSession::commandTemplatesLoaded);
    connect(m_worker, &SessionWorker::commandRefused, this, &LiveSession::commandRefused);
    connect(m_worker, &SessionWorker::commandBatchStarted, this, &LiveSession::commandBatchStarted);
    connect(m_worker, &SessionWorker::commandUpdated, this, &LiveSession::commandUpdated);
    connect(m_worker, &SessionWorker::commandProgress, this, &LiveSession::commandProgress);
    connect(m_worker, &SessionWorker::commandBatchFinished, this, &LiveSession::commandBatchFinished);
    connect(m_worker, &SessionWorker::located, this, &LiveSession::located);
    connect(m_worker, &SessionWorker::locationShared, this, &LiveSession::locationShared);
    connect(m_worker, &SessionWorker::deviceUpdated, this, &LiveSession::deviceUpdated);
    connect(m_worker, &SessionWorker::localGroupsChanged, this, &LiveSession::localGroupsChanged);
    connect(m_worker, &SessionWorker::administered, this, &LiveSession::administered);
    connect(m_worker, &SessionWorker::vehiclesRemoved, this, &LiveSession::vehiclesRemoved);
    connect(m_worker, &SessionWorker::deviceAckAvailable, this, [this](bool available) { m_deviceAck = available; });
    connect(m_worker, &SessionWorker::accountKnown, this, [this](const QString &account) { m_account = account; });
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &SessionWorker::start, Qt::QueuedConnection);
}

int LiveSession::fetchTrack(const QStringList &imeis, const TimeSpan &span)
{
    const int id = ++m_lastTrackId;
    if (!m_worker) {
        TrackFetcher::Outcome outcome;
        outcome.cancelled = true;
        QMetaObject::invokeMethod(
            this, [this, id, outcome] { Q_EMIT trackFetched(id, outcome); }, Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, imeis, span] { worker->fetchTrack(id, imeis, span); },
        Qt::QueuedConnection);
    return id;
}

int LiveSession::actOnAlarms(const QList<AlarmAction> &actions)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT alarmActionsDone(id, false); }, Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, actions] { worker->actOnAlarms(id, actions); }, Qt::QueuedConnection);
    return id;
}

int LiveSession::ackOnDevice(const DeviceAckRequest &request)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        AlarmDeviceAck answer;
        answer.alarmId = request.alarmId;
        answer.serialNo = request.serialNo;
        answer.result = DeviceAckResult::Failed;
        answer.message = QStringLiteral("The session is not running.");
        QMetaObject::invokeMethod(
            this, [this, id, answer] { Q_EMIT deviceAckDone(id, answer); }, Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, request] { worker->ackOnDevice(id, request); }, Qt::QueuedConnection);
    return id;
}

int LiveSession::fetchAlarmMedia(const AlarmMediaRequest &request)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        const AlarmMediaOutcome outcome{request.alarmId, 0, QStringLiteral("The session is not running.")};
        QMetaObject::invokeMethod(
            this, [this, id, outcome] { Q_EMIT alarmMediaFetched(id, outcome); }, Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, request] { worker->fetchAlarmMedia(id, request); }, Qt::QueuedConnection);
    return id;
}

int LiveSession::openStream(const StreamRequest &request)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT streamFailed(id, QStringLiteral("The session is not running."), {}); },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, request] { worker->openStream(id, request); }, Qt::QueuedConnection);
    return id;
}

int LiveSession::listRecordings(const QString &imei, int channel, const QDate &day)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                RecordingLister::Outcome none;
                none.error = QStringLiteral("The session is not running.");
                Q_EMIT recordingsListed(id, none);
            },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, imei, channel, day] { worker->listRecordings(id, imei, channel, day); },
        Qt::QueuedConnection);
    return id;
}

int LiveSession::captureMedia(const MediaCapture::Request &request)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                MediaCapture::Outcome none;
                none.error = QStringLiteral("The session is not running.");
                Q_EMIT captured(id, none);
            },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, request] { worker->captureMedia(id, request); }, Qt::QueuedConnection);
    return id;
}

int LiveSession::commandTemplates(const QString &imei, const QString &model, bool refresh)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this, [this, id, imei] { Q_EMIT commandTemplatesLoaded(id, imei, {}, QStringLiteral("The session is not running.")); },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, imei, model, refresh] { worker->commandTemplates(id, imei, model, refresh); },
        Qt::QueuedConnection);
    return id;
}

int LiveSession::sendCommand(const CommandOrder &order)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT commandRefused(id, CommandRefusal{CommandRefusal::Kind::NoVehicles, {}}); },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, order] { worker->sendCommand(id, order); }, Qt::QueuedConnection);
    return id;
}

void LiveSession::pollCommands(const QStringList &imeis)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, imeis] { worker->pollCommands(imeis); },
                                  Qt::QueuedConnection);
}

int LiveSession::locateNow(const QStringList &imeis)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this,
            [this, id, imeis] {
                LocateOutcome none;
                none.asked = int(imeis.size());
                none.error = QStringLiteral("The session is not running.");
                Q_EMIT located(id, none);
            },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, imeis] { worker->locateNow(id, imeis); }, Qt::QueuedConnection);
    return id;
}

int LiveSession::shareLocation(const QString &imei)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT locationShared(id, {}, QStringLiteral("The session is not running.")); },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, imei] { worker->shareLocation(id, imei); }, Qt::QueuedConnection);
    return id;
}

int LiveSession::updateDevice(const QString &imei, const DeviceUpdate &update)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this,
            [this, id, imei] {
                Q_EMIT deviceUpdated(id, imei, AdminOutcome::failure(QStringLiteral("The session is not running.")));
            },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, imei, update] { worker->updateDevice(id, imei, update); },
        Qt::QueuedConnection);
    return id;
}

int LiveSession::changeLocalGroups(const QList<LocalGroupChange> &changes)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT localGroupsChanged(id, false); }, Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, changes] { worker->changeLocalGroups(id, changes); },
        Qt::QueuedConnection);
    return id;
}

int LiveSession::administer(const FleetAdminRequest &request)
{
    const int id = ++m_lastAlarmActionId;
    if (!m_worker) {
        QMetaObject::invokeMethod(
            this,
            [this, id, request] {
                Q_EMIT administered(id, request, AdminOutcome::failure(QStringLiteral("The session is not running.")));
            },
            Qt::QueuedConnection);
        return id;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, request] { worker->administer(id, request); }, Qt::QueuedConnection);
    return id;
}

void LiveSession::renewStream(int id)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, id] { worker->renewStream(id); }, Qt::QueuedConnection);
}

void LiveSession::closeStream(int id)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, id] { worker->closeStream(id); }, Qt::QueuedConnection);
}

void LiveSession::cancelTrack(int id)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker, id] { worker->cancelTrack(id); }, Qt::QueuedConnection);
}

void LiveSession::stop()
{
    if (!m_thread.isRunning())
        return;
    // The worker's objects (sockets, timers, the writer) must end on their own thread.
    QMetaObject::invokeMethod(m_worker, &SessionWorker::stop, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

} // namespace Fleet
