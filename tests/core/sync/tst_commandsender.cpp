// Commands against the simulated cloud and a real store: written before they
// are sent, followed through instruction.result (with its one-minute lag) to
// the device's answer, dangerous ones refused unconfirmed, queued for offline
// devices, timed out and then still answered, sent through the gateway where
// a model has no user-defined template, never sent twice when the answer is
// lost, and sent to many vehicles a few at a time.
#include "sync/commandsender.h"

#include "simcloud.h"

#include "sim/simfleet.h"
#include "store/ingestbatch.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

class TestCommandSender : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void fuelCutIsConfirmedSentAndAnswered();
    void refusedOrdersSendNothing();
    void twoIdenticalCommandsAMinuteApart();
    void offlineDeviceQueuesOrRefuses();
    void timedOutThenAnsweredLate();
    void oursGoThroughTheGatewayOnDashcams();
    void lostAnswerIsNeverResent();
    void rawCommandIsAcceptedAndLeft();
    void manyVehiclesAFewAtATime();
    void followsWhatAnEarlierRunLeftOpen();

private:
    void startSender(const CommandSender::Options &options = fastOptions());
    static CommandSender::Options fastOptions()
    {
        CommandSender::Options o;
        o.pollIntervalMs = 20;
        return o;
    }
    int device(bool online, const std::function<bool(const SimDevice &)> &fits) const;
    static bool gt06(const SimDevice &d) { return !d.dashcam && !d.model.startsWith(QLatin1String("VL")); }
    QList<CommandEntry> catalogOf(int index);
    CommandOrder order(int index, const QString &idOrKey, const QStringList &values, bool confirmed = false);
    QString sendOk(const CommandOrder &o);
    QList<CommandRecord> batch(const QString &key);
    CommandState stateOf(const QString &batchKey) { return batch(batchKey).value(0).state; }
    int sends() const { return m_cloud.server->requestCount(QStringLiteral("jimi.open.instruction.send")); }
    int results() const { return m_cloud.server->requestCount(QStringLiteral("jimi.open.instruction.result")); }
    // Moves fleet time past the result list's lag and asks again.
    void advanceAndPoll(int secs)
    {
        m_clock.advanceSecs(secs);
        m_sender->pollNow();
    }

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    SimCloudTest::Store m_store;
    std::unique_ptr<CommandSender> m_sender;
};

void TestCommandSender::init()
{
    m_clock.set(SimCloudTest::thursday());
    QVERIFY(m_store.open(&m_clock));
    SimServerConfig config = SimCloudTest::fleet(60, 7, m_clock);
    config.fleet.offlineShare = 0.2;
    QVERIFY(m_cloud.start(config, &m_clock));
    startSender();
}

void TestCommandSender::startSender(const CommandSender::Options &options)
{
    m_sender.reset();
    m_sender = std::make_unique<CommandSender>(m_cloud.api.get(), m_store.writer.get(), &m_clock, options);
}

void TestCommandSender::cleanup()
{
    m_sender.reset();
    m_store.close();
    m_cloud.stop();
}

int TestCommandSender::device(bool online, const std::function<bool(const SimDevice &)> &fits) const
{
    const SimFleet &fleet = m_cloud.server->fleet();
    for (int i = 0; i < fleet.size(); ++i) {
        if (fleet.isOnline(i, m_cloud.server->fleetNow()) == online && !fleet.device(i).expired && fits(fleet.device(i)))
            return i;
    }
    return -1;
}

QList<CommandEntry> TestCommandSender::catalogOf(int index)
{
    const SimDevice &d = m_cloud.server->fleet().device(index);
    std::optional<Result<ApiList<CommandTemplate>>> answer;
    m_cloud.api->commandTemplates(d.imei, this, [&](const Result<ApiList<CommandTemplate>> &r) { answer = r; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 10000) || !answer->ok())
        return {};
    return commandCatalog(answer->value().items, d.model, m_sender->hasGateway());
}

CommandOrder TestCommandSender::order(int index, const QString &idOrKey, const QStringList &values, bool confirmed)
{
    CommandOrder o;
    o.imeis = {m_cloud.server->fleet().device(index).imei};
    const QList<CommandEntry> catalog = catalogOf(index);
    if (const CommandEntry *e = findCommandEntry(catalog, idOrKey))
        o.entry = *e;
    else
        qWarning() << "no command" << idOrKey << "for" << m_cloud.server->fleet().device(index).model;
    o.values = values;
    o.operatorName = QStringLiteral("Dana");
    o.confirmed = confirmed;
    return o;
}

QString TestCommandSender::sendOk(const CommandOrder &o)
{
    const auto sent = m_sender->send(o);
    if (const auto *refusal = std::get_if<CommandRefusal>(&sent)) {
        qWarning() << "refused:" << refusal->describe(o.entry);
        return {};
    }
    return std::get<QString>(sent);
}

QList<CommandRecord> TestCommandSender::batch(const QString &key)
{
    CommandFilter f;
    f.batchKey = key;
    return m_store.reader->commands(f);
}

void TestCommandSender::fuelCutIsConfirmedSentAndAnswered()
{
    const int van = device(true, [](const SimDevice &d) { return gt06(d) && d.index % 8 != 5; });
    QVERIFY(van >= 0);
    QSignalSpy updates(m_sender.get(), &CommandSender::updated);
    QSignalSpy finished(m_sender.get(), &CommandSender::batchFinished);
    const QString key = sendOk(order(van, QStringLiteral("163"), {QStringLiteral("1")}, true));
    QVERIFY(!key.isEmpty());
    QTRY_COMPARE(stateOf(key), CommandState::Accepted);
    const CommandRecord sent = batch(key).first();
    QCOMPARE(sent.text, QStringLiteral("RELAY,1#"));
    QCOMPARE(sent.danger, CommandDanger::FuelCut);
    QCOMPARE(sent.operatorName, QStringLiteral("Dana"));
    QCOMPARE(sent.templateId, QStringLiteral("163"));
    QCOMPARE(sent.paramsJson, QStringLiteral("[\"1\"]"));
    QCOMPARE(sent.sentTime, SimCloudTest::thursday());
    QCOMPARE(sent.deadline, SimCloudTest::thursday().addSecs(300));

    // The result list shows nothing for a minute; then the device's answer.
    m_sender->pollNow();
    QTRY_VERIFY(m_cloud.server->requestCount(QStringLiteral("jimi.open.instruction.result")) >= 1);
    QCOMPARE(stateOf(key), CommandState::Accepted);
    advanceAndPoll(61);
    QTRY_COMPARE(stateOf(key), CommandState::Answered);
    QCOMPARE(batch(key).first().reply, QStringLiteral("Cut off the fuel supply: Success!"));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toString(), key);
    // Every step was reported: sending, accepted, answered.
    QStringList states;
    for (const QList<QVariant> &u : std::as_const(updates))
        states.append(QString(commandStateKey(u.first().value<CommandRecord>().state)));
    QCOMPARE(states, (QStringList{QStringLiteral("sending"), QStringLiteral("accepted"), QStringLiteral("answered")}));
    QCOMPARE(m_sender->openCount(), 0);
    QCOMPARE(sends(), 1);
}

void TestCommandSender::refusedOrdersSendNothing()
{
    const int van = device(true, gt06);
    QVERIFY(van >= 0);
    using K = CommandRefusal::Kind;
    const auto refusal = [&](const CommandOrder &o) {
        const auto sent = m_sender->send(o);
        return std::holds_alternative<CommandRefusal>(sent) ? std::get<CommandRefusal>(sent).kind : K(-1);
    };
    QCOMPARE(refusal(order(van, QStringLiteral("163"), {QStringLiteral("1")})), K::NotConfirmed);
    QCOMPARE(refusal(order(van, QStringLiteral("99"), {QStringLiteral("reset#")})), K::NotConfirmed);
    QCOMPARE(refusal(order(van, QStringLiteral("32"), {QStringLiteral("1"), QStringLiteral("60")})), K::BadValues);
    CommandOrder none = order(van, QStringLiteral("16"), {});
    none.imeis.clear();
    QCOMPARE(refusal(none), K::NoVehicles);
    CommandOrder anonymous = order(van, QStringLiteral("16"), {});
    anonymous.operatorName = QStringLiteral("  ");
    QCOMPARE(refusal(anonymous), K::NoOperator);
    CommandOrder raw = order(van, QStringLiteral("16"), {});
    raw.rawHex = QStringLiteral("0B0");
    QCOMPARE(refusal(raw), K::BadHex);
    QCOMPARE(sends(), 0);
    QCOMPARE(m_store.reader->commandCount({}), 0);
    const CommandRefusal unconfirmed{K::NotConfirmed, {}};
    const CommandEntry cut = order(van, QStringLiteral("163"), {QStringLiteral("1")}).entry;
    QCOMPARE(unconfirmed.describe(cut), QStringLiteral("this command is dangerous: it needs confirmation (--yes)"));
}

void TestCommandSender::twoIdenticalCommandsAMinuteApart()
{
    const int van = device(true, [](const SimDevice &d) { return gt06(d) && d.index % 8 != 5; });
    QVERIFY(van >= 0);
    const QString first = sendOk(order(van, QStringLiteral("15"), {}));
    QTRY_COMPARE(stateOf(first), CommandState::Accepted);
    m_clock.advanceSecs(60);
    const QString second = sendOk(order(van, QStringLiteral("15"), {}));
    QTRY_COMPARE(stateOf(second), CommandState::Accepted);
    advanceAndPoll(61);
    QTRY_COMPARE(stateOf(first), CommandState::Answered);
    QTRY_COMPARE(stateOf(second), CommandState::Answered);
    // Each took its own row of the cloud's list, and no row was left over.
    QCOMPARE(m_store.reader->commandCount({}), 2);
    QVERIFY(batch(first).first().reply.startsWith(QLatin1String("Current position!")));
}

void TestCommandSender::offlineDeviceQueuesOrRefuses()
{
    const int gone = device(false, gt06);
    QVERIFY2(gone >= 0, "the fleet has an offline tracker");
    // Not offline-capable: the cloud refuses, and says so.
    const QString where = sendOk(order(gone, QStringLiteral("15"), {}));
    QTRY_COMPARE(stateOf(where), CommandState::Offline);
    QCOMPARE(batch(where).first().resultCode, 12005);
    QCOMPARE(batch(where).first().resultMessage, QStringLiteral("Fail to send command. Result code\uff1a228"));
    // Offline-capable: the cloud queues it, and a queue never times out.
    const QString timer = sendOk(order(gone, QStringLiteral("32"), {QStringLiteral("30"), QStringLiteral("600")}));
    QTRY_COMPARE(stateOf(timer), CommandState::Accepted);
    advanceAndPoll(61);
    QTRY_COMPARE(stateOf(timer), CommandState::Queued);
    // Past the deadline: the tick that would time it out asks the cloud
    // again instead; once that answer is stored, it is still queued.
    const int asked = results();
    advanceAndPoll(600);
    QTRY_VERIFY(results() > asked);
    QTRY_VERIFY(m_sender->isIdle());
    QVERIFY(m_store.writer->flush());
    QCOMPARE(stateOf(timer), CommandState::Queued);
    QCOMPARE(m_sender->openCount(), 1);
}

void TestCommandSender::timedOutThenAnsweredLate()
{
    CommandSender::Options o = fastOptions();
    o.deadlineSecs = 100;
    startSender(o);
    const int slow = device(true, [](const SimDevice &d) { return gt06(d) && d.index % 8 == 5; });
    QVERIFY2(slow >= 0, "the fleet has a slow tracker online");
    const QString key = sendOk(order(slow, QStringLiteral("16"), {}));
    QTRY_COMPARE(stateOf(key), CommandState::Accepted);
    m_clock.advanceSecs(101);
    QTRY_COMPARE(stateOf(key), CommandState::TimedOut);
    // The sender lets go of it once it has read the committed row back.
    QTRY_COMPARE(m_sender->openCount(), 0);
    // The device answers after four minutes; the next look at its results
    // (another command, the list's "ask again") finds it.
    m_clock.advanceSecs(200);
    const QString next = sendOk(order(slow, QStringLiteral("17"), {}));
    QTRY_COMPARE(stateOf(next), CommandState::Accepted);
    m_sender->pollNow();
    QTRY_COMPARE(stateOf(key), CommandState::Answered);
    QVERIFY(batch(key).first().reply.startsWith(QLatin1String("Battery:")));
}

void TestCommandSender::oursGoThroughTheGatewayOnDashcams()
{
    const int dvr = device(true, [](const SimDevice &d) { return d.dashcam && d.index % 8 != 5; });
    QVERIFY(dvr >= 0);
    const CommandOrder o = order(dvr, QStringLiteral("where"), {});
    QCOMPARE(o.entry.route, CommandRoute::Gateway);
    const QString key = sendOk(o);
    QTRY_COMPARE(stateOf(key), CommandState::Answered);
    const CommandRecord r = batch(key).first();
    QCOMPARE(r.route, CommandRoute::Gateway);
    QCOMPARE(r.resultCode, 100);
    QVERIFY(!r.serverFlagId.isEmpty());
    QVERIFY(r.reply.startsWith(QLatin1String("Current position!")) || r.reply.startsWith(QLatin1String("GPS")));
    QCOMPARE(m_cloud.server->requestCount(QStringLiteral("sendInstruct")), 1);
    // The gateway's row in the cloud's list is the same command, not a stranger.
    const int asked = results();
    m_clock.advanceSecs(61);
    m_sender->pollDevices(o.imeis);
    QTRY_VERIFY(results() > asked);
    QTRY_VERIFY(m_sender->isIdle());
    QVERIFY(m_store.writer->flush());
    QCOMPARE(m_store.reader->commandCount({}), 1);
}

void TestCommandSender::lostAnswerIsNeverResent()
{
    // A client that would retry what it may: three attempts.
    ApiClientOptions co;
    co.backoffBaseMs = 10;
    co.maxAttempts = 3;
    ApiClient client(m_cloud.server->account(), &m_cloud.tokens, &m_clock, co);
    JimiApi api(&client);
    CommandSender sender(&api, m_store.writer.get(), &m_clock, fastOptions());
    const int van = device(true, [](const SimDevice &d) { return gt06(d) && d.index % 8 != 5; });
    QVERIFY(van >= 0);
    // This client's token and the model's list, before the cloud stops answering.
    std::optional<Result<ApiList<CommandTemplate>>> list;
    api.commandTemplates(m_cloud.server->fleet().device(van).imei, this,
                         [&](const Result<ApiList<CommandTemplate>> &r) { list = r; });
    QTRY_VERIFY(list && list->ok());
    CommandOrder o;
    o.imeis = {m_cloud.server->fleet().device(van).imei};
    o.entry = *findCommandEntry(commandCatalog(list->value().items, QStringLiteral("GT06N"), false), QStringLiteral("163"));
    o.values = {QStringLiteral("1")};
    o.operatorName = QStringLiteral("Dana");
    o.confirmed = true;
    SimFaultConfig faults;
    faults.dropRate = 1.0;
    faults.dropAfterProcessing = true; // the cut happens, its answer is lost
    m_cloud.server->setFaults(faults);
    const auto sent = sender.send(o);
    QVERIFY(std::holds_alternative<QString>(sent));
    const QString key = std::get<QString>(sent);
    QTRY_VERIFY2(batch(key).value(0).resultMessage.startsWith(QLatin1String("No answer from the cloud")),
                 qPrintable(batch(key).value(0).resultMessage + QLatin1Char(' ') + QString(commandStateKey(stateOf(key)))));
    QCOMPARE(stateOf(key), CommandState::Sending);
    QCOMPARE(sends(), 1);
    // The result list, once the cloud answers again, tells what happened.
    m_cloud.server->setFaults({});
    m_clock.advanceSecs(61);
    sender.pollNow();
    QTRY_COMPARE(stateOf(key), CommandState::Answered);
    QCOMPARE(sends(), 1);
}

void TestCommandSender::rawCommandIsAcceptedAndLeft()
{
    const int van = device(true, gt06);
    CommandOrder o = order(van, QStringLiteral("16"), {});
    o.rawHex = QStringLiteral("0b 02 c3 a4");
    const QString key = sendOk(o);
    QTRY_COMPARE(stateOf(key), CommandState::Accepted);
    QCOMPARE(batch(key).first().text, QStringLiteral("0B02C3A4"));
    QCOMPARE(batch(key).first().route, CommandRoute::Raw);
    QTRY_COMPARE(m_sender->openCount(), 0);
    QVERIFY(m_store.reader->openCommands().isEmpty());
}

void TestCommandSender::manyVehiclesAFewAtATime()
{
    CommandSender::Options o = fastOptions();
    o.concurrency = 3;
    startSender(o);
    m_cloud.server->setFaults([] {
        SimFaultConfig f;
        f.latencyMs = 20;
        return f;
    }());
    const int first = device(true, gt06);
    CommandOrder status = order(first, QStringLiteral("16"), {}); // STATUS#, id 16 on every model
    status.imeis.clear();
    for (int i = 0; i < m_cloud.server->fleet().size(); ++i)
        status.imeis.append(m_cloud.server->fleet().device(i).imei);
    QSignalSpy progress(m_sender.get(), &CommandSender::progress);
    const QString key = sendOk(status);
    QTRY_COMPARE_WITH_TIMEOUT(progress.last().at(1).toInt(), 60, 30000);
    int lastDone = -1;
    for (const QList<QVariant> &p : std::as_const(progress)) {
        QCOMPARE(p.at(0).toString(), key);
        QCOMPARE(p.at(2).toInt(), 60);
        QVERIFY(p.at(1).toInt() >= lastDone);
        lastDone = p.at(1).toInt();
    }
    QCOMPARE(sends(), 60);
    CommandFilter stillSending;
    stillSending.batchKey = key;
    stillSending.states = {CommandState::Sending};
    QTRY_COMPARE(m_store.reader->commandCount(stillSending), 0);
    QCOMPARE(batch(key).size(), 60);
}

void TestCommandSender::followsWhatAnEarlierRunLeftOpen()
{
    const int van = device(true, [](const SimDevice &d) { return gt06(d) && d.index % 8 != 5; });
    const QString key = sendOk(order(van, QStringLiteral("17"), {}));
    QTRY_COMPARE(stateOf(key), CommandState::Accepted);
    startSender(); // a new run: the old sender is gone
    m_sender->follow(m_store.reader->openCommands());
    QCOMPARE(m_sender->openCount(), 1);
    advanceAndPoll(61);
    QTRY_COMPARE(stateOf(key), CommandState::Answered);
    QVERIFY(batch(key).first().reply.startsWith(QLatin1String("IMEI:")));
}

QTEST_GUILESS_MAIN(TestCommandSender)
#include "tst_commandsender.moc"
