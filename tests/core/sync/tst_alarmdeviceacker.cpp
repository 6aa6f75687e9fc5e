// "Acknowledge on the device" against the simulated cloud's instruction
// gateway and a real store: the sending is kept before the call and the
// gateway's answer after it (confirmed, refused, offline), nothing is sent
// without a gateway, and an unreachable gateway leaves a failed row with the
// reason. The simulator's dashcams number their alarms and its pushes carry
// the number.
#include "sync/alarmdeviceacker.h"

#include "simcloud.h"

#include "sim/simfleet.h"
#include "sim/simpushfeed.h"
#include "store/ingestbatch.h"

#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

class TestAlarmDeviceAcker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void pushesCarryTheDashcamsSerialNumbers();
    void confirmedByTheDevice();
    void unknownSerialIsRefused();
    void deviceWithoutTheInstructionIsRefused();
    void offlineDeviceSaysSo();
    void withoutAGatewayNothingIsSent();
    void unreachableGatewayIsAFailedRow();
    void stoppingAnswersWhatIsUnderWay();

private:
    void startServer(bool gateway);
    // Stores an alarm of the device with the serial number; its id.
    qint64 storeAlarm(int index, const QDateTime &time, std::optional<int> serialNo);
    AlarmDeviceAck send(qint64 alarmId, int index, qint64 serialNo);
    int gatewayCalls() const { return m_cloud.server->requestCount(QStringLiteral("sendInstruct")); }
    // A dashcam online (or not) at the fleet's now; -1 when the fleet has none.
    int dashcam(bool online) const;

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    SimCloudTest::Store m_store;
    std::unique_ptr<AlarmDeviceAcker> m_acker;
};

void TestAlarmDeviceAcker::init()
{
    m_clock.set(SimCloudTest::thursday());
    QVERIFY(m_store.open(&m_clock));
    startServer(true);
}

void TestAlarmDeviceAcker::startServer(bool gateway)
{
    m_acker.reset();
    SimServerConfig config = SimCloudTest::fleet(40, 7, m_clock);
    config.fleet.offlineShare = 0.4; // dashcams online, and some gone dark
    config.instructionGateway = gateway;
    QVERIFY(m_cloud.start(config, &m_clock));
    m_acker = std::make_unique<AlarmDeviceAcker>(m_cloud.api.get(), m_store.writer.get(), &m_clock);
}

void TestAlarmDeviceAcker::cleanup()
{
    m_acker.reset();
    m_store.close();
    m_cloud.stop();
}

int TestAlarmDeviceAcker::dashcam(bool online) const
{
    const SimFleet &fleet = m_cloud.server->fleet();
    for (int i = 0; i < fleet.size(); ++i) {
        if (fleet.device(i).dashcam && fleet.isOnline(i, m_clock.nowUtc()) == online)
            return i;
    }
    return -1;
}

qint64 TestAlarmDeviceAcker::storeAlarm(int index, const QDateTime &time, std::optional<int> serialNo)
{
    Alarm a;
    a.imei = m_cloud.server->fleet().device(index).imei;
    a.typeId = QStringLiteral("1");
    a.typeName = QStringLiteral("SOS");
    a.time = time;
    if (serialNo)
        a.serialNo = *serialNo;
    IngestBatch b;
    b.addAlarms({a}, ReportSource::Push);
    if (!m_store.writer->write(std::move(b)) || !m_store.writer->flush(10000))
        return 0;
    AlarmFilter f;
    f.imeis = {a.imei};
    const QList<AlarmDeskRow> rows = m_store.reader->alarmDesk(f);
    return rows.isEmpty() ? 0 : rows.constFirst().id;
}

AlarmDeviceAck TestAlarmDeviceAcker::send(qint64 alarmId, int index, qint64 serialNo)
{
    DeviceAckRequest r;
    r.alarmId = alarmId;
    r.imei = m_cloud.server->fleet().device(index).imei;
    r.serialNo = serialNo;
    r.operatorName = QStringLiteral("ana");
    std::optional<AlarmDeviceAck> answer;
    m_acker->send(r, [&answer](const AlarmDeviceAck &a) { answer = a; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 30000))
        return {};
    m_store.writer->flush(10000);
    return *answer;
}

void TestAlarmDeviceAcker::pushesCarryTheDashcamsSerialNumbers()
{
    const SimFleet &fleet = m_cloud.server->fleet();
    const QDateTime from = m_clock.nowUtc().addDays(-3);
    const QDateTime to = m_clock.nowUtc();
    SimPushFeed feed(fleet, false);
    int numbered = 0;
    int plain = 0;
    for (const SimPushBatch &batch : feed.collect(from, to)) {
        if (batch.endpoint != Push::Endpoint::Alarm)
            continue;
        for (const QJsonObject &item : batch.items) {
            // Flat items carry it at the top, the IoT Hub's in msg{}.
            const QJsonObject body = item.contains(QStringLiteral("msg")) ? item.value(QStringLiteral("msg")).toObject()
                                                                          : item;
            const QString imei = item.value(QStringLiteral("imei")).toString(body.value(QStringLiteral("deviceImei")).toString());
            const int index = fleet.indexOf(imei);
            QVERIFY(index >= 0);
            if (fleet.device(index).dashcam) {
                QVERIFY2(body.value(QStringLiteral("alarmSerialNo")).isDouble(), qPrintable(imei));
                const int serial = body.value(QStringLiteral("alarmSerialNo")).toInt();
                QVERIFY(serial >= 0 && serial < 65536);
                QVERIFY(fleet.hasAlarmSerial(index, serial, to, 4 * 86400));
                ++numbered;
            } else {
                QVERIFY(!body.contains(QStringLiteral("alarmSerialNo")));
                ++plain;
            }
        }
    }
    QVERIFY(numbered > 0);
    QVERIFY(plain > 0);
}

void TestAlarmDeviceAcker::confirmedByTheDevice()
{
    const int cam = dashcam(true);
    QVERIFY(cam >= 0);
    QVERIFY(m_cloud.server->raiseAlarm(m_cloud.server->fleet().device(cam).imei, QStringLiteral("1")));
    // Raised a second from now; the push reaches the desk a little later.
    m_clock.advanceSecs(5);
    const QList<SimAlarm> raised = m_cloud.server->fleet().alarms(cam, m_clock.nowUtc().addSecs(-10), m_clock.nowUtc());
    QVERIFY(!raised.isEmpty());
    QVERIFY(raised.constLast().serialNo.has_value());
    const int serial = *raised.constLast().serialNo;
    const qint64 id = storeAlarm(cam, raised.constLast().time, serial);
    QVERIFY(id > 0);

    QVERIFY(m_acker->available());
    const AlarmDeviceAck answer = send(id, cam, serial);
    QCOMPARE(answer.result, DeviceAckResult::Confirmed);
    QCOMPARE(answer.code, 100);
    QCOMPARE(gatewayCalls(), 1);
    const QList<AlarmActionRecord> story = m_store.reader->alarmActions(id);
    QCOMPARE(story.size(), 1);
    QCOMPARE(story.at(0).kind, AlarmActionKind::DeviceAck);
    QCOMPARE(story.at(0).deviceResult, DeviceAckResult::Confirmed);
    QCOMPARE(story.at(0).serialNo, qint64(serial));
    QCOMPARE(story.at(0).operatorName, QStringLiteral("ana"));
    QCOMPARE(story.at(0).at, m_clock.nowUtc());
    QCOMPARE(story.at(0).answeredAt, m_clock.nowUtc());
    // The desk's own state is the dispatcher's: unchanged.
    QCOMPARE(m_store.reader->alarmDeskRow(id)->state, AlarmState::New);
}

void TestAlarmDeviceAcker::unknownSerialIsRefused()
{
    const int cam = dashcam(true);
    QVERIFY(cam >= 0);
    // A number none of the device's alarms of the last day carries.
    int serial = 0;
    while (m_cloud.server->fleet().hasAlarmSerial(cam, serial, m_clock.nowUtc(), 86400))
        ++serial;
    const qint64 id = storeAlarm(cam, m_clock.nowUtc().addSecs(-30), serial);
    const AlarmDeviceAck answer = send(id, cam, serial);
    QCOMPARE(answer.result, DeviceAckResult::Refused);
    QCOMPARE(answer.code, 200);
    QCOMPARE(answer.message, QStringLiteral("Invalid parameter"));
    QCOMPARE(m_store.reader->alarmActions(id).constFirst().deviceResult, DeviceAckResult::Refused);
    QCOMPARE(m_store.reader->alarmActions(id).constFirst().resultMessage, QStringLiteral("Invalid parameter"));
}

void TestAlarmDeviceAcker::deviceWithoutTheInstructionIsRefused()
{
    // A plain tracker knows only the text command (proNo 128).
    const SimFleet &fleet = m_cloud.server->fleet();
    int tracker = -1;
    for (int i = 0; i < fleet.size() && tracker < 0; ++i) {
        if (!fleet.device(i).dashcam && fleet.isOnline(i, m_clock.nowUtc()))
            tracker = i;
    }
    QVERIFY(tracker >= 0);
    const qint64 id = storeAlarm(tracker, m_clock.nowUtc().addSecs(-30), 12);
    QCOMPARE(send(id, tracker, 12).result, DeviceAckResult::Refused);
}

void TestAlarmDeviceAcker::offlineDeviceSaysSo()
{
    const int cam = dashcam(false);
    QVERIFY2(cam >= 0, "the fleet has a dashcam offline at this time");
    const qint64 id = storeAlarm(cam, m_clock.nowUtc().addSecs(-30), 1);
    const AlarmDeviceAck answer = send(id, cam, 1);
    QCOMPARE(answer.result, DeviceAckResult::Offline);
    QCOMPARE(answer.code, 300);
    QCOMPARE(m_store.reader->alarmActions(id).constFirst().deviceResult, DeviceAckResult::Offline);
}

void TestAlarmDeviceAcker::withoutAGatewayNothingIsSent()
{
    ApiAccount account = m_cloud.server->account();
    account.instructionUrl = QUrl();
    ApiClient client(account, &m_cloud.tokens, &m_clock);
    JimiApi api(&client);
    AlarmDeviceAcker acker(&api, m_store.writer.get(), &m_clock);
    QVERIFY(!acker.available());
    const int cam = dashcam(true);
    const qint64 id = storeAlarm(cam, m_clock.nowUtc().addSecs(-30), 5);
    std::optional<AlarmDeviceAck> answer;
    acker.send(DeviceAckRequest{id, m_cloud.server->fleet().device(cam).imei, 5, QStringLiteral("ana")},
               [&answer](const AlarmDeviceAck &a) { answer = a; });
    // Said at once, unsent and unrecorded.
    QVERIFY(answer.has_value());
    QCOMPARE(answer->result, DeviceAckResult::Failed);
    QVERIFY(answer->message.contains(QStringLiteral("instruct_url")));
    QVERIFY(m_store.writer->flush(10000));
    QVERIFY(m_store.reader->alarmActions(id).isEmpty());
    QCOMPARE(gatewayCalls(), 0);

    // No operator: the same.
    answer.reset();
    m_acker->send(DeviceAckRequest{id, m_cloud.server->fleet().device(cam).imei, 5, QStringLiteral("  ")},
                  [&answer](const AlarmDeviceAck &a) { answer = a; });
    QVERIFY(answer.has_value());
    QCOMPARE(answer->result, DeviceAckResult::Failed);
    QCOMPARE(gatewayCalls(), 0);
}

void TestAlarmDeviceAcker::unreachableGatewayIsAFailedRow()
{
    startServer(false); // the sim answers 404 where the gateway would be
    const int cam = dashcam(true);
    QVERIFY(cam >= 0);
    const qint64 id = storeAlarm(cam, m_clock.nowUtc().addSecs(-30), 9);
    const AlarmDeviceAck answer = send(id, cam, 9);
    QCOMPARE(answer.result, DeviceAckResult::Failed);
    QVERIFY(!answer.message.isEmpty());
    const QList<AlarmActionRecord> story = m_store.reader->alarmActions(id);
    QCOMPARE(story.size(), 1);
    QCOMPARE(story.at(0).deviceResult, DeviceAckResult::Failed);
    QCOMPARE(story.at(0).resultMessage, answer.message);
    QVERIFY(!story.at(0).resultCode.has_value());
}

void TestAlarmDeviceAcker::stoppingAnswersWhatIsUnderWay()
{
    // The session stops right after the click: the acker goes before the
    // writer, with the sending still queued. Nothing is sent, the row says
    // so, and the one who asked hears it.
    const int cam = dashcam(true);
    QVERIFY(cam >= 0);
    const qint64 id = storeAlarm(cam, m_clock.nowUtc().addSecs(-30), 3);
    std::optional<AlarmDeviceAck> answer;
    m_acker->send(DeviceAckRequest{id, m_cloud.server->fleet().device(cam).imei, 3, QStringLiteral("ana")},
                  [&answer](const AlarmDeviceAck &a) { answer = a; });
    QVERIFY(!answer.has_value());
    m_acker.reset();
    QVERIFY(answer.has_value());
    QCOMPARE(answer->result, DeviceAckResult::Failed);
    QVERIFY2(answer->message.contains(QStringLiteral("nothing was sent")), qPrintable(answer->message));
    QVERIFY(m_store.writer->flush(10000));
    QCoreApplication::processEvents();
    const QList<AlarmActionRecord> story = m_store.reader->alarmActions(id);
    QCOMPARE(story.size(), 1);
    QCOMPARE(story.at(0).deviceResult, DeviceAckResult::Failed);
    QCOMPARE(gatewayCalls(), 0);
}

QTEST_GUILESS_MAIN(TestAlarmDeviceAcker)
#include "tst_alarmdeviceacker.moc"
