#include "alarmdeviceacker.h"

#include "api/jimiapi.h"
#include "store/ingestbatch.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include <QJsonObject>
#include <QPointer>
#include <QUuid>

#include <utility>

namespace Fleet {

namespace {

constexpr int kAcknowledgeAlarm = 33283; // Appendix A

} // namespace

std::optional<DeviceAckRequest> deviceAckRequest(const QList<AlarmDeskRow> &fold, const QString &operatorName)
{
    const AlarmDeskRow *target = deviceAckTarget(fold);
    if (!target)
        return std::nullopt;
    return DeviceAckRequest{target->id, target->alarm.imei, *target->alarm.serialNo, operatorName};
}

AlarmDeviceAcker::AlarmDeviceAcker(JimiApi *api, StoreWriter *writer, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_writer(writer)
    , m_clock(clock ? clock : Clock::system())
{ }

bool AlarmDeviceAcker::available() const
{
    return m_api && m_api->client() && !m_api->client()->account().instructionUrl.isEmpty();
}

void AlarmDeviceAcker::send(const DeviceAckRequest &request, Done done)
{
    AlarmDeviceAck ack;
    ack.requestKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    ack.alarmId = request.alarmId;
    ack.serialNo = request.serialNo;
    ack.operatorName = request.operatorName.trimmed();
    ack.at = m_clock->nowUtc();

    ack.result = DeviceAckResult::Failed;
    if (!available())
        ack.message = QStringLiteral("The account has no instruction gateway (instruct_url).");
    else if (request.serialNo < 0 || request.imei.isEmpty())
        ack.message = QStringLiteral("The alarm carries no serial number to acknowledge.");
    else if (ack.operatorName.isEmpty())
        ack.message = QStringLiteral("No operator name is set.");
    if (!ack.message.isEmpty()) {
        if (done)
            done(ack);
        return;
    }

    // First the sending, committed: then the call. A crash in between leaves
    // the row 'sending', which is what is known.
    ack.result = DeviceAckResult::Sending;
    IngestBatch sent;
    sent.alarmDeviceAcks.append(ack);
    QPointer<AlarmDeviceAcker> self(this);
    const QString key = ack.requestKey;
    const QString imei = request.imei;
    m_pending.insert(key, Pending{ack, done, false});
    const bool queued = m_writer->write(std::move(sent), [self, key, imei](bool committed) {
        if (!self || !self->m_pending.contains(key))
            return; // the destructor answered it
        if (!committed) {
            AlarmDeviceAck failed = self->m_pending.value(key).ack;
            failed.result = DeviceAckResult::Failed;
            failed.message = QStringLiteral("The sending could not be recorded; nothing was sent.");
            const Done report = self->m_pending.take(key).done;
            if (report)
                report(failed);
            return;
        }
        self->sendNow(key, imei);
    });
    if (!queued) {
        m_pending.remove(key);
        ack.result = DeviceAckResult::Failed;
        ack.message = QStringLiteral("The store is not accepting writes; nothing was sent.");
        if (done)
            done(ack);
    }
}

void AlarmDeviceAcker::sendNow(const QString &key, const QString &imei)
{
    Pending &p = m_pending[key];
    p.sent = true;
    const QJsonObject content{{QStringLiteral("alarmSerialNo"), p.ack.serialNo}};
    QPointer<AlarmDeviceAcker> self(this);
    m_api->sendInstruct(imei, kAcknowledgeAlarm, content, this, [self, key](const Result<InstructResult> &r) {
        if (!self || !self->m_pending.contains(key))
            return;
        AlarmDeviceAck answer = self->m_pending.value(key).ack;
        if (r.ok()) {
            answer.result = deviceAckResultFromCode(r.value().code);
            answer.code = r.value().code;
            answer.message = r.value().message;
        } else {
            answer.result = DeviceAckResult::Failed;
            answer.message = r.error().message;
        }
        answer.at = self->m_clock->nowUtc();
        self->finish(answer);
    });
}

void AlarmDeviceAcker::finish(AlarmDeviceAck answer)
{
    const Done done = m_pending.take(answer.requestKey).done;
    IngestBatch batch;
    batch.alarmDeviceAcks.append(answer);
    // The answer is reported whether or not it could be kept: the row then
    // stays 'sending', which the history shows as "no answer recorded".
    const bool queued = m_writer->write(std::move(batch), [answer, done](bool) {
        if (done)
            done(answer);
    });
    if (!queued && done)
        done(answer);
}

AlarmDeviceAcker::~AlarmDeviceAcker()
{
    const QHash<QString, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &p : pending) {
        AlarmDeviceAck answer = p.ack;
        answer.result = DeviceAckResult::Failed;
        answer.at = m_clock->nowUtc();
        if (!p.sent) {
            // Its sending is queued before this answer: the row ends 'failed'.
            answer.message = QStringLiteral("The session stopped before it was sent; nothing was sent.");
            IngestBatch batch;
            batch.alarmDeviceAcks.append(answer);
            m_writer->write(std::move(batch));
        } else {
            answer.message = QStringLiteral("The session stopped before the gateway answered.");
        }
        if (p.done)
            p.done(answer);
    }
}

} // namespace Fleet
