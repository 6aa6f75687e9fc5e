// The commands table through the one writer: a command FleetDesk sends,
// its states as the cloud answers, instruction.result rows matched to it by
// text and time, the gateway's late answers, results nobody here sent, and
// the Commands list's reads.

#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include "storetestdata.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace StoreTest;

namespace {

const QString kA = QStringLiteral("860000000000101");
const QString kB = QStringLiteral("860000000000202");

CommandRecord sent(const QString &key, const QString &imei, const QString &text, qint64 offset)
{
    CommandRecord r;
    r.clientKey = key;
    r.batchKey = QStringLiteral("batch-") + key;
    r.imei = imei;
    r.route = CommandRoute::Template;
    r.templateId = QStringLiteral("99");
    r.templateName = QStringLiteral("User-defined command");
    r.text = text;
    r.paramsJson = QStringLiteral("[\"%1\"]").arg(text);
    r.danger = commandDanger(text);
    r.operatorName = QStringLiteral("dispatcher");
    r.sentTime = at(offset);
    r.deadline = at(offset + 300);
    return r;
}

CommandRecord update(const QString &key, const QString &imei, CommandState state)
{
    CommandRecord r;
    r.clientKey = key;
    r.imei = imei;
    r.state = state;
    return r;
}

CommandResult result(const QString &code, qint64 offset, const QString &content,
                     CommandResult::State state = CommandResult::State::Succeeded)
{
    CommandResult r;
    r.codeId = QStringLiteral("99");
    r.code = code;
    r.content = content;
    r.state = state;
    r.sendTime = at(offset);
    r.sender = QStringLiteral("demo");
    return r;
}

} // namespace

class TestCommandStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void sentCommandMovesForward();
    void resultsFindTheirCommands();
    void twoIdenticalCommandsAMinuteApart();
    void resultNobodySentIsKeptAndFlagged();
    void lateAnswerReplacesTimeoutNotTheOtherWay();
    void gatewayAnswerByServerFlag();
    void refusesRowsWithoutKeyOrText();
    void listFiltersAndPages();

private:
    bool openWriter(StoreWriter &writer);
    bool write(StoreWriter &writer, IngestBatch batch)
    {
        return writer.write(std::move(batch)) && writer.flush();
    }
    QList<QVariantList> rows(const QString &columns)
    {
        RawDb raw(m_path);
        return raw.rows(QStringLiteral("SELECT %1 FROM commands ORDER BY id").arg(columns));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock{Utc::fromSecs(kT0 + 3600)};
};

void TestCommandStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("fleet.db"));
    m_clock.set(Utc::fromSecs(kT0 + 3600));
}

bool TestCommandStore::openWriter(StoreWriter &writer)
{
    return StoreTest::openWriter(writer, m_path, &m_clock);
}

void TestCommandStore::sentCommandMovesForward()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.commands.append(sent(QStringLiteral("k1"), kA, QStringLiteral("RELAY,1#"), 0));
    QVERIFY(write(writer, b));
    QCOMPARE(rows(QStringLiteral("imei, origin, route, template_id, command_text, danger, operator, sent_time, state, "
                                 "state_time, deadline")),
             (QList<QVariantList>{{kA, QStringLiteral("fleetdesk"), QStringLiteral("template"), QStringLiteral("99"),
                                   QStringLiteral("RELAY,1#"), QStringLiteral("fuel_cut"),
                                   QStringLiteral("dispatcher"), kT0, QStringLiteral("sending"), kT0 + 3600,
                                   kT0 + 300}}));

    // The cloud took it.
    m_clock.set(Utc::fromSecs(kT0 + 3601));
    CommandRecord accepted = update(QStringLiteral("k1"), kA, CommandState::Accepted);
    accepted.resultCode = 0;
    accepted.resultMessage = QStringLiteral("command is successfully sent.");
    b = {};
    b.commands.append(accepted);
    QVERIFY(write(writer, b));
    QCOMPARE(writer.stats().table(StoreTable::Commands).updated, 1);
    // A repeat says nothing new.
    QVERIFY(write(writer, b));
    QCOMPARE(writer.stats().table(StoreTable::Commands).duplicates, 1);
    // An older state never moves it back.
    b = {};
    b.commands.append(update(QStringLiteral("k1"), kA, CommandState::Sending));
    QVERIFY(write(writer, b));
    QCOMPARE(rows(QStringLiteral("state, state_time, result_code, result_message, command_text")),
             (QList<QVariantList>{{QStringLiteral("accepted"), kT0 + 3601, 0,
                                   QStringLiteral("command is successfully sent."), QStringLiteral("RELAY,1#")}}));

    StoreReader reader;
    QVERIFY(reader.open(m_path));
    const QList<CommandRecord> open = reader.openCommands();
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.first().clientKey, QStringLiteral("k1"));
    QCOMPARE(open.first().danger, CommandDanger::FuelCut);
    QCOMPARE(open.first().deadline, at(300));
    QCOMPARE(reader.commandsByClientKey({QStringLiteral("k1")}).first().state, CommandState::Accepted);
}

void TestCommandStore::resultsFindTheirCommands()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.commands = {sent(QStringLiteral("k1"), kA, QStringLiteral("STATUS#"), 0),
                  sent(QStringLiteral("k2"), kA, QStringLiteral("RELAY,1#"), 5),
                  sent(QStringLiteral("k3"), kB, QStringLiteral("STATUS#"), 0)};
    QVERIFY(write(writer, b));

    // Queued first (the device is offline), then answered; text in another case.
    CommandResult queued = result(QStringLiteral("relay,1#"), 6, QString(), CommandResult::State::Waiting);
    queued.offline = true;
    b = {};
    b.commandResults.append(CommandResultList{kA, {queued, result(QStringLiteral("status#"), 1, QStringLiteral("OK"))}});
    QVERIFY(write(writer, b));
    QCOMPARE(rows(QStringLiteral("client_key, state, reply_content, result_key IS NOT NULL, sender")),
             (QList<QVariantList>{{QStringLiteral("k1"), QStringLiteral("answered"), QStringLiteral("OK"), 1,
                                   QStringLiteral("demo")},
                                  {QStringLiteral("k2"), QStringLiteral("queued"), QVariant(), 1,
                                   QStringLiteral("demo")},
                                  {QStringLiteral("k3"), QStringLiteral("sending"), QVariant(), 0, QVariant()}}));
    m_clock.set(Utc::fromSecs(kT0 + 3700));
    b = {};
    b.commandResults.append(CommandResultList{
        kA, {result(QStringLiteral("RELAY,1#"), 6, QStringLiteral("Cut off the fuel supply: Success!")),
             result(QStringLiteral("status#"), 1, QStringLiteral("OK"))}});
    QVERIFY(write(writer, b));
    QCOMPARE(rows(QStringLiteral("client_key, state, reply_content, reply_time")).at(1),
             (QVariantList{QStringLiteral("k2"), QStringLiteral("answered"),
                           QStringLiteral("Cut off the fuel supply: Success!"), kT0 + 3700}));
    QCOMPARE(writer.stats().table(StoreTable::Commands).duplicates, 1); // STATUS# again
    QCOMPARE(rows(QStringLiteral("count(*)")), (QList<QVariantList>{{3}}));
}

void TestCommandStore::twoIdenticalCommandsAMinuteApart()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.commands = {sent(QStringLiteral("k1"), kA, QStringLiteral("WHERE#"), 0),
                  sent(QStringLiteral("k2"), kA, QStringLiteral("WHERE#"), 60)};
    QVERIFY(write(writer, b));
    // The cloud lists only the second one so far (its clock 2 s ahead).
    b = {};
    b.commandResults.append(CommandResultList{kA, {result(QStringLiteral("WHERE#"), 62, QStringLiteral("second"))}});
    QVERIFY(write(writer, b));
    b = {};
    b.commandResults.append(CommandResultList{kA,
                                              {result(QStringLiteral("WHERE#"), 62, QStringLiteral("second")),
                                               result(QStringLiteral("WHERE#"), 2, QStringLiteral("first"))}});
    QVERIFY(write(writer, b));
    QCOMPARE(rows(QStringLiteral("client_key, reply_content")),
             (QList<QVariantList>{{QStringLiteral("k1"), QStringLiteral("first")},
                                  {QStringLiteral("k2"), QStringLiteral("second")}}));
}

void TestCommandStore::resultNobodySentIsKeptAndFlagged()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.commandResults.append(CommandResultList{
        kA, {result(QStringLiteral("PARAM#"), -86400, QStringLiteral("IMEI:1;TIMER:10,300;")),
             result(QStringLiteral("PARAM#"), -86400, QStringLiteral("IMEI:1;TIMER:10,300;"))}}); // listed twice
    QVERIFY(write(writer, b));
    QVERIFY(write(writer, b)); // polled again
    QCOMPARE(rows(QStringLiteral("origin, client_key, command_text, sent_time, state, reply_content")),
             (QList<QVariantList>{{QStringLiteral("cloud"), QVariant(), QStringLiteral("PARAM#"), kT0 - 86400,
                                   QStringLiteral("answered"), QStringLiteral("IMEI:1;TIMER:10,300;")}}));
    StoreReader reader;
    QVERIFY(reader.open(m_path));
    CommandFilter cloud;
    cloud.origin = CommandFilter::Origin::Cloud;
    QCOMPARE(reader.commandCount(cloud), 1);
    QVERIFY(!reader.commands(cloud).first().fromFleetDesk);
    QVERIFY(reader.openCommands().isEmpty());
}

void TestCommandStore::lateAnswerReplacesTimeoutNotTheOtherWay()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    b.commands = {sent(QStringLiteral("k1"), kA, QStringLiteral("WHERE#"), 0),
                  sent(QStringLiteral("k2"), kA, QStringLiteral("STATUS#"), 0)};
    QVERIFY(write(writer, b));
    b = {};
    b.commands = {update(QStringLiteral("k1"), kA, CommandState::TimedOut)};
    b.commandResults = {CommandResultList{kA, {result(QStringLiteral("STATUS#"), 0, QStringLiteral("OK"))}}};
    QVERIFY(write(writer, b));
    b = {};
    b.commands = {update(QStringLiteral("k2"), kA, CommandState::TimedOut)};
    b.commandResults = {CommandResultList{kA, {result(QStringLiteral("WHERE#"), 1, QStringLiteral("Lat:N22"))}}};
    QVERIFY(write(writer, b));
    QCOMPARE(rows(QStringLiteral("client_key, state, reply_content")),
             (QList<QVariantList>{{QStringLiteral("k1"), QStringLiteral("answered"), QStringLiteral("Lat:N22")},
                                  {QStringLiteral("k2"), QStringLiteral("answered"), QStringLiteral("OK")}}));
}

void TestCommandStore::gatewayAnswerByServerFlag()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    CommandRecord viaGateway = sent(QStringLiteral("k1"), kA, QStringLiteral("STATUS#"), 0);
    viaGateway.route = CommandRoute::Gateway;
    viaGateway.templateId.clear();
    IngestBatch b;
    b.commands.append(viaGateway);
    QVERIFY(write(writer, b));
    // The gateway took it asynchronously: delivered, with its server flag.
    CommandRecord delivered = update(QStringLiteral("k1"), kA, CommandState::Delivered);
    delivered.resultCode = 100;
    delivered.serverFlagId = QStringLiteral("77");
    b = {};
    b.commands.append(delivered);
    QVERIFY(write(writer, b));
    // Then /pushInstructResponse brings the device's answer.
    CommandResponse push;
    push.imei = kA;
    push.serverFlagId = QStringLiteral("77");
    push.code = 100;
    push.content = QStringLiteral("Battery:4.1V");
    push.msgType = 1;
    push.received = at(40);
    b = {};
    b.commandResponses.append(push);
    QVERIFY(write(writer, b));
    QCOMPARE(rows(QStringLiteral("count(*), route, state, reply_content, reply_time, reply_msg_type")),
             (QList<QVariantList>{{1, QStringLiteral("gateway"), QStringLiteral("answered"),
                                   QStringLiteral("Battery:4.1V"), kT0 + 40, 1}}));
}

void TestCommandStore::refusesRowsWithoutKeyOrText()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    CommandRecord noKey = sent(QString(), kA, QStringLiteral("WHERE#"), 0);
    CommandRecord noText = sent(QStringLiteral("k9"), kA, QString(), 0);
    CommandResult noCode = result(QString(), 0, QStringLiteral("x"));
    b.commands = {noKey, noText};
    b.commandResults = {CommandResultList{kA, {noCode}}, CommandResultList{QString(), {}}};
    QVERIFY(write(writer, b));
    QCOMPARE(writer.stats().table(StoreTable::Commands).rejected, 4);
    QCOMPARE(rows(QStringLiteral("count(*)")), (QList<QVariantList>{{0}}));
}

void TestCommandStore::listFiltersAndPages()
{
    StoreWriter writer;
    QVERIFY(openWriter(writer));
    IngestBatch b;
    for (int i = 0; i < 25; ++i) {
        b.commands.append(sent(QStringLiteral("k%1").arg(i), i % 2 ? kA : kB,
                               i % 5 ? QStringLiteral("WHERE#") : QStringLiteral("RELAY,1#"), i * 10));
    }
    Device named;
    named.imei = kA;
    named.name = QStringLiteral("Van 7_%");
    b.devices.append(named);
    QVERIFY(write(writer, b));
    b = {};
    b.commands.append(update(QStringLiteral("k24"), kB, CommandState::Failed));
    QVERIFY(write(writer, b));

    StoreReader reader;
    QVERIFY(reader.open(m_path));
    // Newest first, in pages that meet without a gap.
    QList<CommandRecord> all;
    std::optional<CommandCursor> cursor;
    for (;;) {
        const QList<CommandRecord> page = reader.commands({}, cursor, 10);
        if (page.isEmpty())
            break;
        all += page;
        cursor = StoreReader::commandCursor(page.last());
    }
    QCOMPARE(all.size(), 25);
    QCOMPARE(all.first().clientKey, QStringLiteral("k24"));
    QCOMPARE(all.last().clientKey, QStringLiteral("k0"));
    QCOMPARE(all.at(1).deviceName, QStringLiteral("Van 7_%"));

    CommandFilter f;
    f.imeis = {kA};
    QCOMPARE(reader.commandCount(f), 12);
    f = {};
    f.states = {CommandState::Failed};
    QCOMPARE(reader.commandCount(f), 1);
    f = {};
    f.text = QStringLiteral("relay");
    QCOMPARE(reader.commandCount(f), 5);
    f.text = QStringLiteral("7_%"); // the vehicle's name, wildcards taken literally
    QCOMPARE(reader.commandCount(f), 12);
    f.text = QStringLiteral("7%");
    QCOMPARE(reader.commandCount(f), 0);
    f = {};
    f.from = at(100);
    f.to = at(150);
    QCOMPARE(reader.commandCount(f), 6);
    f = {};
    f.batchKey = QStringLiteral("batch-k3");
    QCOMPARE(reader.commands(f).first().clientKey, QStringLiteral("k3"));
    QCOMPARE(reader.command(reader.commands(f).first().id)->text, QStringLiteral("WHERE#"));
    QVERIFY(!reader.command(9999));
}

QTEST_GUILESS_MAIN(TestCommandStore)
#include "tst_commandstore.moc"
