// A command's states and how instruction.result rows, which carry no
// request id, are matched to what was sent (docs/COMMANDS.md).

#include "domain/commandtracking.h"

#include <QTest>
#include <QTimeZone>

using namespace Fleet;

class TestCommandTracking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stateKeysRoundTrip();
    void statesOnlyMoveForward_data();
    void statesOnlyMoveForward();
    void sendErrorsAreRead();
    void gatewayAndPushCodesAreRead();
    void resultRowsAreRead();
    void matchesByTextAndTime();
    void twoIdenticalCommandsAMinuteApart();
    void laterResultListedFirstTakesTheLaterCommand();
    void clockSkewWithinTheWindow();
    void alreadyMatchedRowsStayWithTheirCommand();
    void resultsNobodySentAreReturnedUnmatched();
    void outsideTheWindowDoesNotMatch();

private:
    static QDateTime at(int secs) { return QDateTime(QDate(2026, 3, 5), QTime(8, 0), QTimeZone::utc()).addSecs(secs); }
    static CommandResult result(const QString &code, int secs, CommandResult::State state = CommandResult::State::Succeeded,
                                const QString &content = QStringLiteral("OK!"))
    {
        CommandResult r;
        r.code = code;
        r.sendTime = at(secs);
        r.state = state;
        r.content = content;
        return r;
    }
    static QList<qint64> ids(const QList<CommandMatch> &matches)
    {
        QList<qint64> out;
        for (const CommandMatch &m : matches)
            out.append(m.commandId);
        return out;
    }
};

void TestCommandTracking::stateKeysRoundTrip()
{
    for (int i = 0; i <= int(CommandState::Unknown); ++i) {
        const auto s = CommandState(i);
        QCOMPARE(commandStateFromKey(commandStateKey(s)), s);
    }
    QCOMPARE(commandStateKey(CommandState::TimedOut), QLatin1String("timed_out"));
    QVERIFY(!commandStateFromKey(QStringLiteral("nonsense")));
}

void TestCommandTracking::statesOnlyMoveForward_data()
{
    QTest::addColumn<CommandState>("current");
    QTest::addColumn<CommandState>("next");
    QTest::addColumn<CommandState>("expected");
    using S = CommandState;
    QTest::newRow("sending→accepted") << S::Sending << S::Accepted << S::Accepted;
    QTest::newRow("sending→failed") << S::Sending << S::Failed << S::Failed;
    QTest::newRow("sending→offline") << S::Sending << S::Offline << S::Offline;
    QTest::newRow("accepted→queued") << S::Accepted << S::Queued << S::Queued;
    QTest::newRow("accepted→delivered") << S::Accepted << S::Delivered << S::Delivered;
    QTest::newRow("accepted→answered") << S::Accepted << S::Answered << S::Answered;
    QTest::newRow("queued→delivered") << S::Queued << S::Delivered << S::Delivered;
    QTest::newRow("queued→cancelled") << S::Queued << S::Cancelled << S::Cancelled;
    QTest::newRow("queued never times out") << S::Queued << S::TimedOut << S::Queued;
    QTest::newRow("delivered→answered") << S::Delivered << S::Answered << S::Answered;
    QTest::newRow("delivered→timed out") << S::Delivered << S::TimedOut << S::TimedOut;
    QTest::newRow("accepted→timed out") << S::Accepted << S::TimedOut << S::TimedOut;
    QTest::newRow("queued→accepted stays") << S::Queued << S::Accepted << S::Queued;
    QTest::newRow("delivered→queued stays") << S::Delivered << S::Queued << S::Delivered;
    QTest::newRow("answered→failed stays") << S::Answered << S::Failed << S::Answered;
    QTest::newRow("answered→timed out stays") << S::Answered << S::TimedOut << S::Answered;
    QTest::newRow("offline→queued after all") << S::Offline << S::Answered << S::Answered;
    QTest::newRow("offline→delivered stays") << S::Offline << S::Delivered << S::Offline;
    QTest::newRow("offline→timed out stays") << S::Offline << S::TimedOut << S::Offline;
    QTest::newRow("failed→answered stays") << S::Failed << S::Answered << S::Failed;
    QTest::newRow("timed out→late answer") << S::TimedOut << S::Answered << S::Answered;
    QTest::newRow("timed out→late failure") << S::TimedOut << S::Failed << S::Failed;
    QTest::newRow("timed out→delivered stays") << S::TimedOut << S::Delivered << S::TimedOut;
    QTest::newRow("timed out→offline stays") << S::TimedOut << S::Offline << S::TimedOut;
    QTest::newRow("unknown says nothing") << S::Delivered << S::Unknown << S::Delivered;
    QTest::newRow("unknown learns") << S::Unknown << S::Queued << S::Queued;
}

void TestCommandTracking::statesOnlyMoveForward()
{
    QFETCH(CommandState, current);
    QFETCH(CommandState, next);
    QFETCH(CommandState, expected);
    QCOMPARE(advanceCommandState(current, next), expected);
}

void TestCommandTracking::sendErrorsAreRead()
{
    // The notes' message, with its full-width colon.
    QCOMPARE(commandStateFromSendError(12005, QStringLiteral("Fail to send command. Result code\uff1a228")),
             CommandState::Offline);
    QCOMPARE(commandStateFromSendError(12005, QStringLiteral("Fail to send command. Result code: 225")),
             CommandState::TimedOut);
    QCOMPARE(commandStateFromSendError(12005, QStringLiteral("Fail to send command. Result code\uff1a226")),
             CommandState::Failed);
    QCOMPARE(commandStateFromSendError(1004, QStringLiteral("Illegal access, token exception!")), CommandState::Failed);
}

void TestCommandTracking::gatewayAndPushCodesAreRead()
{
    QCOMPARE(commandStateFromGateway(100, QStringLiteral("OK")), CommandState::Answered);
    QCOMPARE(commandStateFromGateway(100, QString()), CommandState::Delivered);
    QCOMPARE(commandStateFromGateway(200, QString()), CommandState::Failed);
    QCOMPARE(commandStateFromGateway(300, QString()), CommandState::Offline);
    QCOMPARE(commandStateFromGateway(600, QString()), CommandState::TimedOut);
    QCOMPARE(commandStateFromGateway(std::nullopt, QString()), CommandState::Unknown);
}

void TestCommandTracking::resultRowsAreRead()
{
    using R = CommandResult::State;
    QCOMPARE(commandStateFromResult(result(QStringLiteral("WHERE#"), 0)), CommandState::Answered);
    QCOMPARE(commandStateFromResult(result(QStringLiteral("WHERE#"), 0, R::Succeeded, QString())),
             CommandState::Delivered);
    QCOMPARE(commandStateFromResult(result(QStringLiteral("X#"), 0, R::Failed)), CommandState::Failed);
    QCOMPARE(commandStateFromResult(result(QStringLiteral("X#"), 0, R::Cancelled)), CommandState::Cancelled);
    CommandResult waiting = result(QStringLiteral("X#"), 0, R::Waiting, QString());
    QCOMPARE(commandStateFromResult(waiting), CommandState::Accepted);
    waiting.offline = true;
    QCOMPARE(commandStateFromResult(waiting), CommandState::Queued);
    QCOMPARE(commandStateFromResult(result(QStringLiteral("X#"), 0, R::Unknown)), CommandState::Unknown);
}

void TestCommandTracking::matchesByTextAndTime()
{
    const QList<SentCommand> sent{{1, QStringLiteral("STATUS#"), at(0), {}},
                                  {2, QStringLiteral("RELAY,1#"), at(5), {}}};
    // Newest first, as the cloud lists them; the text's case differs.
    const QList<CommandResult> results{result(QStringLiteral("relay,1#"), 6), result(QStringLiteral("status#"), 1)};
    QCOMPARE(ids(matchCommandResults(sent, results)), (QList<qint64>{2, 1}));
}

void TestCommandTracking::twoIdenticalCommandsAMinuteApart()
{
    const QList<SentCommand> sent{{1, QStringLiteral("WHERE#"), at(0), {}}, {2, QStringLiteral("WHERE#"), at(60), {}}};
    const QList<CommandResult> results{result(QStringLiteral("WHERE#"), 61), result(QStringLiteral("WHERE#"), 1)};
    QCOMPARE(ids(matchCommandResults(sent, results)), (QList<qint64>{2, 1}));
}

void TestCommandTracking::laterResultListedFirstTakesTheLaterCommand()
{
    const QList<SentCommand> sent{{1, QStringLiteral("WHERE#"), at(0), {}}, {2, QStringLiteral("WHERE#"), at(60), {}}};
    // The cloud lists the second one only: it is not given to the first.
    QCOMPARE(ids(matchCommandResults(sent, {result(QStringLiteral("WHERE#"), 60)})), (QList<qint64>{2}));
    // Next poll: the first one's row appears; the second holds its key.
    QList<SentCommand> after = sent;
    after[1].resultKey = commandResultKey(result(QStringLiteral("WHERE#"), 60));
    QCOMPARE(ids(matchCommandResults(after, {result(QStringLiteral("WHERE#"), 60), result(QStringLiteral("WHERE#"), 0)})),
             (QList<qint64>{2, 1}));
}

void TestCommandTracking::clockSkewWithinTheWindow()
{
    // The cloud's clock is 30 s ahead: half-way between the two sends. Order
    // decides, not the nearest time.
    const QList<SentCommand> sent{{1, QStringLiteral("WHERE#"), at(0), {}}, {2, QStringLiteral("WHERE#"), at(60), {}}};
    const QList<CommandResult> results{result(QStringLiteral("WHERE#"), 90), result(QStringLiteral("WHERE#"), 30)};
    QCOMPARE(ids(matchCommandResults(sent, results)), (QList<qint64>{2, 1}));
}

void TestCommandTracking::alreadyMatchedRowsStayWithTheirCommand()
{
    const CommandResult r = result(QStringLiteral("WHERE#"), 0);
    const QList<SentCommand> sent{{7, QStringLiteral("WHERE#"), at(100), commandResultKey(r)},
                                  {8, QStringLiteral("WHERE#"), at(1), {}}};
    QCOMPARE(ids(matchCommandResults(sent, {r})), (QList<qint64>{7}));
    QCOMPARE(commandResultKey(r), QStringLiteral("WHERE#@%1").arg(at(0).toSecsSinceEpoch()));
}

void TestCommandTracking::resultsNobodySentAreReturnedUnmatched()
{
    const QList<SentCommand> sent{{1, QStringLiteral("WHERE#"), at(0), {}}};
    const QList<CommandMatch> m = matchCommandResults(
        sent, {result(QStringLiteral("PARAM#"), 0), result(QStringLiteral("WHERE#"), 2), result(QStringLiteral("WHERE#"), 3)});
    QCOMPARE(ids(m), (QList<qint64>{0, 1, 0}));
    QCOMPARE(m.at(2).result, 2);
}

void TestCommandTracking::outsideTheWindowDoesNotMatch()
{
    const QList<SentCommand> sent{{1, QStringLiteral("WHERE#"), at(0), {}}};
    QCOMPARE(ids(matchCommandResults(sent, {result(QStringLiteral("WHERE#"), 121)})), (QList<qint64>{0}));
    QCOMPARE(ids(matchCommandResults(sent, {result(QStringLiteral("WHERE#"), -120)})), (QList<qint64>{1}));
}

QTEST_GUILESS_MAIN(TestCommandTracking)
#include "tst_commandtracking.moc"
