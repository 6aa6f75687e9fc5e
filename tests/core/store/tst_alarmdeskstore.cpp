// The alarm desk in the store: folding of repeats, the state machine of the
// steps, their history, and the desk's queries (filters, pages, counts).
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include "storetestdata.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

namespace {

const QString kA = QStringLiteral("860000000000101");
const QString kB = QStringLiteral("860000000000202");
const QString kStranger = QStringLiteral("869999999999999");

AlarmAction step(qint64 id, AlarmActionKind kind, const QString &who, const QString &note = {})
{
    AlarmAction a;
    a.alarmId = id;
    a.kind = kind;
    a.operatorName = who;
    a.note = note;
    a.at = at(9000);
    return a;
}

} // namespace

class TestAlarmDeskStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void repeatsFoldIntoTheFirstAlarm();
    void foldWindowCountsFromTheNewestRepeat();
    void resolvedAlarmsDoNotFold();
    void sameAlarmFromBothSourcesIsOneRow();
    void foldingCanBeSwitchedOff();
    void stepsFollowTheStateMachine();
    void actingOnAFoldActsOnEveryAlarm();
    void refusedActions();
    void historyTellsTheStory();
    void deviceAcknowledgementsKeepTheirAnswer();
    void filtersAndPages();
    void pinnedAndTheRest();
    void countsPerState();
    void unknownDevicesAreKeptAndFlagged();
    void textIsStoredAsGiven();
    void rareTextIsFoundThroughTheIndex();
    void dataVersionSeesOtherConnections();

private:
    bool open(int foldSeconds = 60);
    void write(IngestBatch b);
    qint64 idOf(const QString &imei, const QString &type, qint64 offset);

    QTemporaryDir *m_dir = nullptr;
    QString m_path;
    ManualClock m_clock{Utc::fromSecs(kT0 + 86400)};
    StoreWriter *m_writer = nullptr;
    StoreReader m_reader;
};

bool TestAlarmDeskStore::open(int foldSeconds)
{
    delete m_writer;
    m_writer = new StoreWriter;
    StoreWriter::Options o;
    o.clock = &m_clock;
    o.coalesceMs = 0;
    o.alarmFoldSeconds = foldSeconds;
    if (!m_writer->open(m_path, o))
        return false;
    IngestBatch b;
    Device a;
    a.imei = kA;
    a.name = QStringLiteral("VAN-101");
    a.plate = QStringLiteral("AB-101-CD");
    a.groupId = QStringLiteral("g1");
    a.groupName = QStringLiteral("Vans");
    Device bb = a;
    bb.imei = kB;
    bb.name = QStringLiteral("TRUCK-202");
    bb.plate = QStringLiteral("TR-202");
    bb.groupId = QStringLiteral("g2");
    bb.groupName = QStringLiteral("Trucks");
    b.devices = {a, bb};
    write(b);
    return m_reader.isOpen() || m_reader.open(m_path);
}

void TestAlarmDeskStore::init()
{
    m_dir = new QTemporaryDir;
    m_path = m_dir->filePath(QStringLiteral("fleet.db"));
    QVERIFY(open());
}

void TestAlarmDeskStore::cleanup()
{
    m_reader.close();
    delete m_writer;
    m_writer = nullptr;
    delete m_dir;
    m_dir = nullptr;
}

void TestAlarmDeskStore::write(IngestBatch b)
{
    QVERIFY(m_writer->write(std::move(b)));
    QVERIFY(m_writer->flush(10000));
}

qint64 TestAlarmDeskStore::idOf(const QString &imei, const QString &type, qint64 offset)
{
    const QList<AlarmDeskRow> all = m_reader.alarmDesk(AlarmFilter{});
    for (const AlarmDeskRow &r : all) {
        if (r.alarm.imei == imei && r.alarm.typeId == type && r.alarm.time == at(offset))
            return r.id;
        const QList<AlarmDeskRow> fold = m_reader.alarmFold(r.id);
        for (const AlarmDeskRow &f : fold) {
            if (f.alarm.imei == imei && f.alarm.typeId == type && f.alarm.time == at(offset))
                return f.id;
        }
    }
    return 0;
}

void TestAlarmDeskStore::repeatsFoldIntoTheFirstAlarm()
{
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0),
                 alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 20),
                 alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 45),
                 alarm(kA, QStringLiteral("3"), QStringLiteral("Vibration"), 30), // another type
                 alarm(kB, QStringLiteral("1"), QStringLiteral("SOS"), 10)}, // another vehicle
                ReportSource::Push);
    write(b);
    const QList<AlarmDeskRow> rows = m_reader.alarmDesk(AlarmFilter{});
    QCOMPARE(rows.size(), 3);
    // Newest first: the vibration (30), B's SOS (10), A's SOS run (0).
    QCOMPARE(rows.at(0).alarm.typeId, QStringLiteral("3"));
    QCOMPARE(rows.at(1).alarm.imei, kB);
    const AlarmDeskRow &sos = rows.at(2);
    QCOMPARE(sos.alarm.time, at(0));
    QCOMPARE(sos.count, 3);
    QCOMPARE(sos.lastTime, at(45));
    QCOMPARE(sos.vehicleName, QStringLiteral("VAN-101"));
    QCOMPARE(sos.plate, QStringLiteral("AB-101-CD"));
    QCOMPARE(sos.groupName, QStringLiteral("Vans"));
    const QList<AlarmDeskRow> fold = m_reader.alarmFold(sos.id);
    QCOMPARE(fold.size(), 3);
    QCOMPARE(fold.at(0).id, sos.id);
    QCOMPARE(fold.at(2).alarm.time, at(45));
    // Any alarm of the fold names the fold's row.
    QCOMPARE(m_reader.alarmDeskRow(fold.at(2).id)->id, sos.id);
}

void TestAlarmDeskStore::foldWindowCountsFromTheNewestRepeat()
{
    // 0, 50, 100, 150: each within 60 s of the one before, so one run, though
    // 150 is far from the first. 300 starts a new run.
    IngestBatch b;
    for (qint64 t : {0, 50, 100, 150, 300})
        b.addAlarms({alarm(kA, QStringLiteral("6"), QStringLiteral("Overspeed"), t)}, ReportSource::Poll);
    write(b);
    QList<AlarmDeskRow> rows = m_reader.alarmDesk(AlarmFilter{});
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).alarm.time, at(300));
    QCOMPARE(rows.at(0).count, 1);
    QCOMPARE(rows.at(1).count, 4);
    QCOMPARE(rows.at(1).lastTime, at(150));

    // In separate transactions too, and at the edge: exactly 60 s folds.
    IngestBatch more;
    more.addAlarms({alarm(kA, QStringLiteral("6"), QStringLiteral("Overspeed"), 360)}, ReportSource::Poll);
    write(more);
    IngestBatch beyond;
    beyond.addAlarms({alarm(kA, QStringLiteral("6"), QStringLiteral("Overspeed"), 421)}, ReportSource::Poll);
    write(beyond);
    rows = m_reader.alarmDesk(AlarmFilter{});
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).alarm.time, at(421));
    QCOMPARE(rows.at(1).count, 2);
    QCOMPARE(rows.at(1).lastTime, at(360));
}

void TestAlarmDeskStore::resolvedAlarmsDoNotFold()
{
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0)}, ReportSource::Push);
    write(b);
    const qint64 first = idOf(kA, QStringLiteral("1"), 0);
    IngestBatch ack;
    ack.alarmActions = {step(first, AlarmActionKind::Acknowledge, QStringLiteral("ana"))};
    write(ack);

    // An acknowledged alarm still folds its repeats, and they are acknowledged with it.
    IngestBatch repeat;
    repeat.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 30)}, ReportSource::Push);
    write(repeat);
    QList<AlarmDeskRow> rows = m_reader.alarmDesk(AlarmFilter{});
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).count, 2);
    const QList<AlarmDeskRow> fold = m_reader.alarmFold(first);
    QCOMPARE(fold.at(1).state, AlarmState::Acknowledged);
    QCOMPARE(fold.at(1).handledBy, QStringLiteral("ana"));

    // A resolved one does not: the next SOS is new and asks for attention.
    IngestBatch resolve;
    resolve.alarmActions = {step(first, AlarmActionKind::Resolve, QStringLiteral("ana"))};
    write(resolve);
    IngestBatch again;
    again.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 50)}, ReportSource::Push);
    write(again);
    rows = m_reader.alarmDesk(AlarmFilter{});
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).state, AlarmState::New);
    QCOMPARE(rows.at(0).count, 1);
    QCOMPARE(rows.at(1).state, AlarmState::Resolved);
}

void TestAlarmDeskStore::sameAlarmFromBothSourcesIsOneRow()
{
    Alarm polled = alarm(kA, QStringLiteral("2"), QStringLiteral("Power cut off"), 100);
    Alarm pushed = polled;
    pushed.serialNo = 25075;
    IngestBatch b;
    b.addAlarms({pushed}, ReportSource::Push);
    write(b);
    IngestBatch p;
    p.addAlarms({polled}, ReportSource::Poll);
    write(p);
    const QList<AlarmDeskRow> rows = m_reader.alarmDesk(AlarmFilter{});
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).count, 1);
    QCOMPARE(rows.at(0).alarm.serialNo, std::optional<qint64>(25075));
}

void TestAlarmDeskStore::foldingCanBeSwitchedOff()
{
    cleanup();
    m_dir = new QTemporaryDir;
    m_path = m_dir->filePath(QStringLiteral("fleet.db"));
    QVERIFY(open(0));
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0),
                 alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 5)},
                ReportSource::Push);
    write(b);
    QCOMPARE(m_reader.alarmDesk(AlarmFilter{}).size(), 2);
}

void TestAlarmDeskStore::stepsFollowTheStateMachine()
{
    QVERIFY(alarmStepAllowed(AlarmState::New, AlarmState::Acknowledged));
    QVERIFY(alarmStepAllowed(AlarmState::New, AlarmState::Resolved));
    QVERIFY(alarmStepAllowed(AlarmState::Acknowledged, AlarmState::Resolved));
    QVERIFY(!alarmStepAllowed(AlarmState::Acknowledged, AlarmState::New));
    QVERIFY(!alarmStepAllowed(AlarmState::Resolved, AlarmState::Acknowledged));
    QVERIFY(!alarmStepAllowed(AlarmState::Acknowledged, AlarmState::Acknowledged));

    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0),
                 alarm(kB, QStringLiteral("2"), QStringLiteral("Power cut off"), 500)},
                ReportSource::Push);
    write(b);
    const qint64 sos = idOf(kA, QStringLiteral("1"), 0);
    const qint64 cut = idOf(kB, QStringLiteral("2"), 500);

    // Two alarms acknowledged at once, one resolved directly from new.
    IngestBatch ack;
    ack.alarmActions = {step(sos, AlarmActionKind::Acknowledge, QStringLiteral("ana"), QStringLiteral("calling driver")),
                        step(cut, AlarmActionKind::Resolve, QStringLiteral("bo"))};
    write(ack);
    std::optional<AlarmDeskRow> r = m_reader.alarmDeskRow(sos);
    QCOMPARE(r->state, AlarmState::Acknowledged);
    QCOMPARE(r->handledBy, QStringLiteral("ana"));
    QCOMPARE(r->handledAt, at(9000));
    QCOMPARE(r->note, QStringLiteral("calling driver"));
    QCOMPARE(m_reader.alarmDeskRow(cut)->state, AlarmState::Resolved);

    // Back to acknowledged from resolved: refused, nothing changes.
    StoreChange seen;
    connect(m_writer, &StoreWriter::changed, this, [&seen](const StoreChange &c) { seen.merge(c); });
    IngestBatch back;
    back.alarmActions = {step(cut, AlarmActionKind::Acknowledge, QStringLiteral("cy"))};
    write(back);
    // A transaction of refusals only changes nothing: no notice, but counted.
    QCOMPARE(m_writer->stats().table(StoreTable::AlarmActions).duplicates, 1);
    QCOMPARE(m_writer->stats().table(StoreTable::AlarmActions).inserted, 2);
    QCOMPARE(m_reader.alarmDeskRow(cut)->handledBy, QStringLiteral("bo"));

    // Resolving keeps the last note when the step gives none.
    IngestBatch resolve;
    resolve.alarmActions = {step(sos, AlarmActionKind::Resolve, QStringLiteral("bo"))};
    write(resolve);
    r = m_reader.alarmDeskRow(sos);
    QCOMPARE(r->state, AlarmState::Resolved);
    QCOMPARE(r->handledBy, QStringLiteral("bo"));
    QCOMPARE(r->note, QStringLiteral("calling driver"));
    QVERIFY(seen.touches(StoreTable::Alarms));
    QVERIFY(seen.imeis.contains(kA));
}

void TestAlarmDeskStore::actingOnAFoldActsOnEveryAlarm()
{
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0),
                 alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 10),
                 alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 20)},
                ReportSource::Push);
    write(b);
    const qint64 head = idOf(kA, QStringLiteral("1"), 0);
    IngestBatch ack;
    ack.alarmActions = {step(head, AlarmActionKind::Acknowledge, QStringLiteral("ana"))};
    write(ack);
    const QList<AlarmDeskRow> fold = m_reader.alarmFold(head);
    QCOMPARE(fold.size(), 3);
    for (const AlarmDeskRow &r : fold)
        QCOMPARE(r.state, AlarmState::Acknowledged);
    QCOMPARE(m_reader.alarmActions(head).size(), 3);

    // A step named by a later alarm of the fold acts on the whole fold too.
    IngestBatch resolve;
    resolve.alarmActions = {step(fold.at(2).id, AlarmActionKind::Resolve, QStringLiteral("bo"))};
    write(resolve);
    for (const AlarmDeskRow &r : m_reader.alarmFold(head))
        QCOMPARE(r.state, AlarmState::Resolved);
}

void TestAlarmDeskStore::refusedActions()
{
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0)}, ReportSource::Push);
    write(b);
    const qint64 id = idOf(kA, QStringLiteral("1"), 0);
    IngestBatch bad;
    bad.alarmActions = {step(id + 1000, AlarmActionKind::Acknowledge, QStringLiteral("ana")), // no such alarm
                        step(id, AlarmActionKind::Acknowledge, QStringLiteral("  ")), // no operator
                        step(id, AlarmActionKind::Note, QStringLiteral("ana"))}; // a note without text
    write(bad);
    QCOMPARE(m_writer->stats().table(StoreTable::AlarmActions).rejected, 3);
    QCOMPARE(m_reader.alarmDeskRow(id)->state, AlarmState::New);
    QVERIFY(m_reader.alarmActions(id).isEmpty());
}

void TestAlarmDeskStore::historyTellsTheStory()
{
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0)}, ReportSource::Push);
    write(b);
    const qint64 id = idOf(kA, QStringLiteral("1"), 0);
    AlarmAction ack = step(id, AlarmActionKind::Acknowledge, QStringLiteral("ana"), QStringLiteral("on it"));
    AlarmAction note = step(id, AlarmActionKind::Note, QStringLiteral("bo"), QStringLiteral("driver answered"));
    note.at = at(9100);
    AlarmAction resolve = step(id, AlarmActionKind::Resolve, QStringLiteral("ana"), QStringLiteral("false alarm"));
    resolve.at = at(9200);
    IngestBatch steps;
    steps.alarmActions = {ack, note, resolve};
    write(steps);

    const QList<AlarmActionRecord> story = m_reader.alarmActions(id);
    QCOMPARE(story.size(), 3);
    QCOMPARE(story.at(0).kind, AlarmActionKind::Acknowledge);
    QCOMPARE(story.at(0).from, AlarmState::New);
    QCOMPARE(story.at(0).to, AlarmState::Acknowledged);
    QCOMPARE(story.at(0).operatorName, QStringLiteral("ana"));
    QCOMPARE(story.at(0).note, QStringLiteral("on it"));
    QCOMPARE(story.at(0).at, at(9000));
    QCOMPARE(story.at(1).kind, AlarmActionKind::Note);
    QCOMPARE(story.at(1).from, AlarmState::Acknowledged);
    QCOMPARE(story.at(1).to, AlarmState::Acknowledged);
    QCOMPARE(story.at(1).operatorName, QStringLiteral("bo"));
    QCOMPARE(story.at(2).to, AlarmState::Resolved);
    QCOMPARE(story.at(2).at, at(9200));
    // A note does not make its writer the handler.
    QCOMPARE(m_reader.alarmDeskRow(id)->handledBy, QStringLiteral("ana"));
    QCOMPARE(m_reader.alarmDeskRow(id)->note, QStringLiteral("false alarm"));
}

void TestAlarmDeskStore::deviceAcknowledgementsKeepTheirAnswer()
{
    Alarm sos = alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0);
    sos.serialNo = 25075;
    IngestBatch b;
    b.addAlarms({sos}, ReportSource::Push);
    write(b);
    const qint64 id = idOf(kA, QStringLiteral("1"), 0);
    const auto writeAcks = [this](const QList<AlarmDeviceAck> &acks) {
        IngestBatch batch;
        batch.alarmDeviceAcks = acks;
        write(batch);
    };

    AlarmDeviceAck sent;
    sent.requestKey = QStringLiteral("k1");
    sent.alarmId = id;
    sent.serialNo = 25075;
    sent.operatorName = QStringLiteral("ana");
    sent.at = at(9000);
    writeAcks({sent});
    QList<AlarmActionRecord> story = m_reader.alarmActions(id);
    QCOMPARE(story.size(), 1);
    QCOMPARE(story.at(0).kind, AlarmActionKind::DeviceAck);
    QCOMPARE(story.at(0).deviceResult, DeviceAckResult::Sending);
    QCOMPARE(story.at(0).serialNo, qint64(25075));
    QCOMPARE(story.at(0).from, AlarmState::New);
    QCOMPARE(story.at(0).to, AlarmState::New);
    QVERIFY(!story.at(0).answeredAt.isValid());
    // Sending does not move the desk's state.
    QCOMPARE(m_reader.alarmDeskRow(id)->state, AlarmState::New);

    AlarmDeviceAck answer = sent;
    answer.result = DeviceAckResult::Offline;
    answer.code = 300;
    answer.message = QStringLiteral("Device offline");
    answer.at = at(9005);
    writeAcks({answer});
    // A second answer for the same request changes nothing.
    AlarmDeviceAck late = answer;
    late.result = DeviceAckResult::Confirmed;
    late.code = 100;
    writeAcks({late});
    story = m_reader.alarmActions(id);
    QCOMPARE(story.size(), 1);
    QCOMPARE(story.at(0).deviceResult, DeviceAckResult::Offline);
    QCOMPARE(story.at(0).resultCode, 300);
    QCOMPARE(story.at(0).resultMessage, QStringLiteral("Device offline"));
    QCOMPARE(story.at(0).answeredAt, at(9005));
    QCOMPARE(story.at(0).at, at(9000));
    QCOMPARE(m_writer->stats().table(StoreTable::AlarmActions).updated, 1);
    QCOMPARE(m_writer->stats().table(StoreTable::AlarmActions).duplicates, 1);

    // An answer whose sending was never kept is one row, answered.
    AlarmDeviceAck orphan = answer;
    orphan.requestKey = QStringLiteral("k2");
    orphan.result = DeviceAckResult::Confirmed;
    orphan.code = 100;
    orphan.message.clear();
    writeAcks({orphan});
    story = m_reader.alarmActions(id);
    QCOMPARE(story.size(), 2);
    QCOMPARE(story.at(1).deviceResult, DeviceAckResult::Confirmed);
    QCOMPARE(story.at(1).answeredAt, at(9005));

    // Refused: no request key, no operator, no such alarm, and a device
    // acknowledgement passed as a plain step.
    AlarmDeviceAck noKey = sent;
    noKey.requestKey.clear();
    AlarmDeviceAck noOperator = sent;
    noOperator.requestKey = QStringLiteral("k3");
    noOperator.operatorName = QStringLiteral(" ");
    AlarmDeviceAck noAlarm = sent;
    noAlarm.requestKey = QStringLiteral("k4");
    noAlarm.alarmId = id + 1000;
    IngestBatch bad;
    bad.alarmDeviceAcks = {noKey, noOperator, noAlarm};
    bad.alarmActions = {step(id, AlarmActionKind::DeviceAck, QStringLiteral("ana"))};
    write(bad);
    QCOMPARE(m_writer->stats().table(StoreTable::AlarmActions).rejected, 4);
    QCOMPARE(m_reader.alarmActions(id).size(), 2);
}

void TestAlarmDeskStore::filtersAndPages()
{
    IngestBatch b;
    QList<Alarm> list;
    for (int i = 0; i < 50; ++i) {
        list.append(alarm(i % 2 ? kA : kB, i % 5 == 0 ? QStringLiteral("1") : QStringLiteral("41"),
                          QStringLiteral("x"), qint64(i) * 100));
    }
    b.addAlarms(list, ReportSource::Poll);
    write(b);

    // Pages of 7, newest first, meet without gap or overlap.
    QList<qint64> seen;
    std::optional<AlarmCursor> cursor;
    for (;;) {
        const QList<AlarmDeskRow> page = m_reader.alarmDesk(AlarmFilter{}, cursor, 7);
        if (page.isEmpty())
            break;
        for (const AlarmDeskRow &r : page) {
            QVERIFY(!seen.contains(r.id));
            seen.append(r.id);
        }
        cursor = AlarmCursor{page.constLast().alarm.time.toSecsSinceEpoch(), page.constLast().id};
    }
    QCOMPARE(seen.size(), 50);

    AlarmFilter byVehicle;
    byVehicle.imeis = {kA};
    QCOMPARE(m_reader.alarmDesk(byVehicle).size(), 25);
    AlarmFilter byGroup;
    byGroup.groupId = QStringLiteral("g2");
    QCOMPARE(m_reader.alarmDesk(byGroup).size(), 25);
    AlarmFilter byType;
    byType.typeIds = {QStringLiteral("1")};
    QCOMPARE(m_reader.alarmDesk(byType).size(), 10);
    AlarmFilter notType;
    notType.excludedTypeIds = {QStringLiteral("1")};
    QCOMPARE(m_reader.alarmDesk(notType).size(), 40);
    AlarmFilter range;
    range.from = at(1000);
    range.to = at(1900);
    QCOMPARE(m_reader.alarmDesk(range).size(), 10);
    AlarmFilter text;
    text.text = QStringLiteral("truck"); // the registry's name of B, any case
    QCOMPARE(m_reader.alarmDesk(text).size(), 25);
    text.text = QStringLiteral("TR-202"); // B's plate
    QCOMPARE(m_reader.alarmDesk(text).size(), 25);
    text.text = QStringLiteral("%"); // a wildcard of LIKE is a plain character
    QCOMPARE(m_reader.alarmDesk(text).size(), 0);
    text.text = QStringLiteral("harsh");
    text.textTypeIds = {QStringLiteral("41")};
    QCOMPARE(m_reader.alarmDesk(text).size(), 40);

    // All rows down to a cursor (the refresh of what a view holds).
    const QList<AlarmDeskRow> top = m_reader.alarmDesk(AlarmFilter{}, {}, 5);
    const AlarmCursor fifth{top.constLast().alarm.time.toSecsSinceEpoch(), top.constLast().id};
    QCOMPARE(m_reader.alarmDeskUntil(AlarmFilter{}, fifth, 100), top);
}

void TestAlarmDeskStore::pinnedAndTheRest()
{
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0),
                 alarm(kB, QStringLiteral("1"), QStringLiteral("SOS"), 500),
                 alarm(kA, QStringLiteral("41"), QStringLiteral("x"), 1000)},
                ReportSource::Poll);
    write(b);
    IngestBatch resolve;
    resolve.alarmActions = {step(idOf(kB, QStringLiteral("1"), 500), AlarmActionKind::Resolve, QStringLiteral("ana"))};
    write(resolve);
    AlarmFilter pinned;
    pinned.pinned = AlarmFilter::Pinned::Only;
    pinned.pinnedTypeIds = {QStringLiteral("1")};
    const QList<AlarmDeskRow> top = m_reader.alarmDesk(pinned);
    QCOMPARE(top.size(), 1);
    QCOMPARE(top.at(0).alarm.imei, kA);
    AlarmFilter rest = pinned;
    rest.pinned = AlarmFilter::Pinned::Excluded;
    const QList<AlarmDeskRow> others = m_reader.alarmDesk(rest);
    QCOMPARE(others.size(), 2);
    QCOMPARE(others.at(0).alarm.typeId, QStringLiteral("41"));
    QCOMPARE(others.at(1).state, AlarmState::Resolved);
}

void TestAlarmDeskStore::countsPerState()
{
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0),
                 alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 10), // folded: one row
                 alarm(kB, QStringLiteral("2"), QStringLiteral("Power cut off"), 500),
                 alarm(kB, QStringLiteral("41"), QStringLiteral("x"), 1000)},
                ReportSource::Poll);
    write(b);
    IngestBatch ack;
    ack.alarmActions = {step(idOf(kB, QStringLiteral("2"), 500), AlarmActionKind::Acknowledge, QStringLiteral("ana"))};
    write(ack);
    AlarmFilter f;
    f.states = {AlarmState::Resolved}; // ignored by the counts
    QHash<AlarmState, qint64> counts = m_reader.alarmStateCounts(f);
    QCOMPARE(counts.value(AlarmState::New), 2);
    QCOMPARE(counts.value(AlarmState::Acknowledged), 1);
    QCOMPARE(counts.value(AlarmState::Resolved), 0);
    f.groupId = QStringLiteral("g1");
    counts = m_reader.alarmStateCounts(f);
    QCOMPARE(counts.value(AlarmState::New), 1);
    QCOMPARE(counts.value(AlarmState::Acknowledged), 0);

    AlarmFilter news;
    news.states = {AlarmState::New};
    QCOMPARE(m_reader.alarmDesk(news).size(), 2);
    news.states = {AlarmState::New, AlarmState::Acknowledged};
    QCOMPARE(m_reader.alarmDesk(news).size(), 3);
}

void TestAlarmDeskStore::unknownDevicesAreKeptAndFlagged()
{
    IngestBatch b;
    Alarm a = alarm(kStranger, QStringLiteral("301"), QStringLiteral("Tow alert"), 0);
    b.addAlarms({a, alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 10)}, ReportSource::Push);
    write(b);
    const QList<AlarmDeskRow> rows = m_reader.alarmDesk(AlarmFilter{});
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(1).alarm.imei, kStranger);
    QVERIFY(!rows.at(1).knownDevice);
    QCOMPARE(rows.at(1).vehicleName, kStranger);
    QVERIFY(rows.at(0).knownDevice);
    // A type the appendix lacks keeps its code and the cloud's name.
    QCOMPARE(alarmTypeLabel(rows.at(1).alarm.typeId, rows.at(1).alarm.typeName),
             QStringLiteral("Tow alert (301)"));
    QCOMPARE(alarmTypeLabel(QStringLiteral("302")), QStringLiteral("302"));
}

void TestAlarmDeskStore::textIsStoredAsGiven()
{
    const QString html = QStringLiteral("<img src=x onerror=alert(1)> & <b>bold</b>");
    IngestBatch b;
    Alarm a = alarm(kA, QStringLiteral("1"), html, 0);
    a.deviceName = html;
    b.addAlarms({a}, ReportSource::Push);
    write(b);
    const qint64 id = idOf(kA, QStringLiteral("1"), 0);
    IngestBatch ack;
    ack.alarmActions = {step(id, AlarmActionKind::Acknowledge, html, html)};
    write(ack);
    const std::optional<AlarmDeskRow> r = m_reader.alarmDeskRow(id);
    QCOMPARE(r->alarm.typeName, html);
    QCOMPARE(r->note, html);
    QCOMPARE(r->handledBy, html);
    QCOMPARE(m_reader.alarmActions(id).constFirst().note, html);
}

void TestAlarmDeskStore::rareTextIsFoundThroughTheIndex()
{
    // More rows of A than a rare search reads by id, a few of B.
    QList<Alarm> list;
    for (int i = 0; i < StoreReader::kRareSearchRows + 100; ++i)
        list.append(alarm(kA, QStringLiteral("6"), QStringLiteral("x"), qint64(i) * 100));
    for (int i = 0; i < 4; ++i)
        list.append(alarm(kB, QStringLiteral("41"), QStringLiteral("x"), qint64(i) * 100 + 50));
    IngestBatch b;
    b.addAlarms(list, ReportSource::Poll);
    write(b);
    const auto found = [this](const QString &text, const QList<AlarmState> &states = {}) {
        AlarmFilter f;
        f.text = text;
        f.states = states;
        return m_reader.alarmDesk(f);
    };
    // Many (a walk in time order) and few (by their ids): the same rules.
    QCOMPARE(found(QStringLiteral("van-101")).size(), StoreReader::kRareSearchRows + 100);
    QCOMPARE(found(QStringLiteral("truck-2")).size(), 4);
    QCOMPARE(found(QStringLiteral("TR-202")).size(), 4);
    QCOMPARE(found(kB).size(), 4);
    QCOMPARE(found(QStringLiteral("nothing like it")).size(), 0);
    // Newest first, pages meet.
    const QList<AlarmDeskRow> all = found(QStringLiteral("truck"));
    QCOMPARE(all.constFirst().alarm.time, at(350));
    AlarmFilter truck;
    truck.text = QStringLiteral("truck");
    const QList<AlarmDeskRow> first = m_reader.alarmDesk(truck, {}, 3);
    const QList<AlarmDeskRow> next =
        m_reader.alarmDesk(truck, AlarmCursor{first.constLast().alarm.time.toSecsSinceEpoch(), first.constLast().id}, 3);
    QCOMPARE(first + next, all);

    // A note and its operator are found once written; a quote is a character.
    const qint64 id = all.at(1).id;
    IngestBatch step;
    AlarmAction a;
    a.alarmId = id;
    a.kind = AlarmActionKind::Acknowledge;
    a.operatorName = QStringLiteral("Zoë");
    a.note = QStringLiteral("driver said \"pads worn\", 100%");
    step.alarmActions = {a};
    write(step);
    QCOMPARE(found(QStringLiteral("pads worn")).size(), 1);
    QCOMPARE(found(QStringLiteral("\"pads")).size(), 1);
    QCOMPARE(found(QStringLiteral("100%")).size(), 1);
    QCOMPARE(found(QStringLiteral("zoë")).size(), 1); // the ASCII letters in any case: as LIKE compares
    QCOMPARE(found(QStringLiteral("ZOË")).size(), 0); // ... not ë and Ë
    QCOMPARE(found(QStringLiteral("pads"), {AlarmState::New}).size(), 0);
    AlarmFilter counted;
    counted.text = QStringLiteral("truck");
    QCOMPARE(m_reader.alarmStateCounts(counted).value(AlarmState::New), 3);
    QCOMPARE(m_reader.alarmStateCounts(counted).value(AlarmState::Acknowledged), 1);

    // The registry renames B: its alarms are found by the new name only.
    Device renamed;
    renamed.imei = kB;
    renamed.name = QStringLiteral("LORRY-9");
    renamed.plate = QStringLiteral("TR-202");
    IngestBatch registry;
    registry.devices = {renamed};
    write(registry);
    QCOMPARE(found(QStringLiteral("lorry-9")).size(), 4);
    QCOMPARE(found(QStringLiteral("truck")).size(), 0);
    // An alarm of a device the registry names later.
    const QString kC = QStringLiteral("860000000000303");
    Alarm strangers = alarm(kC, QStringLiteral("1"), QStringLiteral("x"), 99999);
    strangers.deviceName = QStringLiteral("Old bus"); // the name the alarm gave it
    IngestBatch stranger;
    stranger.addAlarms({strangers}, ReportSource::Push);
    write(stranger);
    QCOMPARE(found(QStringLiteral("bus-7")).size(), 0);
    QCOMPARE(found(QStringLiteral("old bus")).size(), 1);
    Device bus;
    bus.imei = kC;
    bus.name = QStringLiteral("BUS-7");
    IngestBatch named;
    named.devices = {bus};
    write(named);
    QCOMPARE(found(QStringLiteral("bus-7")).size(), 1);
}

void TestAlarmDeskStore::dataVersionSeesOtherConnections()
{
    const qint64 before = m_reader.dataVersion();
    QVERIFY(before >= 0);
    QCOMPARE(m_reader.dataVersion(), before);
    IngestBatch b;
    b.addAlarms({alarm(kA, QStringLiteral("1"), QStringLiteral("SOS"), 0)}, ReportSource::Push);
    write(b);
    QVERIFY(m_reader.dataVersion() != before);
}

QTEST_GUILESS_MAIN(TestAlarmDeskStore)
#include "tst_alarmdeskstore.moc"
