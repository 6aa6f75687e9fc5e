#pragma once

#include "domain/alarmdesk.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace Fleet {

class Clock;
class JimiApi;
class StoreWriter;

// What "acknowledge on the device" sends: one alarm's serial number to its
// device.
struct DeviceAckRequest
{
    qint64 alarmId = 0;
    QString imei;
    qint64 serialNo = 0;
    QString operatorName;
};

// The request for a fold's alarms (StoreReader::alarmFold, or a row alone
// when it folds nothing): the alarm deviceAckTarget() names; none when no
// alarm of it carries a serial number.
std::optional<DeviceAckRequest> deviceAckRequest(const QList<AlarmDeskRow> &fold, const QString &operatorName);

// Sends Appendix A's acknowledge instruction (proNo 33283, cmdContent
// {"alarmSerialNo": N}) through the account's instruction gateway and keeps
// its story in alarm_actions through the writer: a 'sending' row before the
// call, then the gateway's answer (data._code) or why none came. Nothing is
// assumed: a lost answer leaves 'sending', never 'confirmed'. The gateway
// call is never repeated by the client (JimiApi::sendInstruct).
class AlarmDeviceAcker : public QObject
{
    Q_OBJECT

public:
    AlarmDeviceAcker(JimiApi *api, StoreWriter *writer, Clock *clock, QObject *parent = nullptr);
    // Requests still under way end here, with their done called (Failed):
    // one whose sending is not committed yet is recorded as not sent; one
    // whose instruction is out stays 'sending' (its fate is unknown). The
    // writer must still be open.
    ~AlarmDeviceAcker() override;

    // Whether the account has an instruction gateway (instruct_url).
    bool available() const;

    // done gets the answer as written (result Sending never: Failed when the
    // sending could not even be recorded or sent). A request without a
    // serial number, operator or gateway fails at once, unsent.
    using Done = std::function<void(const AlarmDeviceAck &answer)>;
    void send(const DeviceAckRequest &request, Done done);

private:
    struct Pending
    {
        AlarmDeviceAck ack;
        Done done;
        bool sent = false; // the instruction is out
    };
    void sendNow(const QString &key, const QString &imei);
    void finish(AlarmDeviceAck answer);

    JimiApi *m_api;
    StoreWriter *m_writer;
    Clock *m_clock;
    QHash<QString, Pending> m_pending; // by request key
};

} // namespace Fleet
