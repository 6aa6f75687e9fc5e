#include "alarmdeviceacker.h"

#include "api/jimiapi.h"
#include "store/ingestbatch.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include <QJsonObject>
#include <QPointer>
#include <QUuid>

namespace Fleet {

namespace {

constexpr int kAcknowledgeAlarm = 33283; // Appendix A

} // namespace

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
    const QString imei = request.imei;
    const bool queued = m_writer->write(std::move(sent), [self, ack, imei, done](bool committed) mutable {
        if (!self)
            return;
        if (!committed) {
            ack.result = DeviceAckResult::Failed;
            ack.message = QStringLiteral("The sending could not be recorded; nothing was sent.");
            if (done)
                done(ack);
            return;
        }
        const QJsonObject content{{QStringLiteral("alarmSerialNo"), ack.serialNo}};
        self->m_api->sendInstruct(imei, kAcknowledgeAlarm, content, self,
                                  [self, ack, done](const Result<InstructResult> &r) mutable {
                                      if (!self)
                                          return;
                                      if (r.ok()) {
                                          ack.result = deviceAckResultFromCode(r.value().code);
                                          ack.code = r.value().code;
                                          ack.message = r.value().message;
                                      } else {
                                          ack.result = DeviceAckResult::Failed;
                                          ack.message = r.error().message;
                                      }
                                      ack.at = self->m_clock->nowUtc();
                                      self->finish(ack, done);
                                  });
    });
    if (!queued) {
        ack.result = DeviceAckResult::Failed;
        ack.message = QStringLiteral("The store is not accepting writes; nothing was sent.");
        if (done)
            done(ack);
    }
}

void AlarmDeviceAcker::finish(AlarmDeviceAck answer, const Done &done)
{
    IngestBatch batch;
    batch.alarmDeviceAcks.append(answer);
    // The answer is reported whether or not it could be kept: the row then
    // stays 'sending', which the history shows as "no answer recorded".
    m_writer->write(std::move(batch), [answer, done](bool) {
        if (done)
            done(answer);
    });
}

} // namespace Fleet
