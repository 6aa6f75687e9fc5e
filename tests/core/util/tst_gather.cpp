#include "util/gather.h"

#include <QTest>
#include <QThread>

#include <optional>

using namespace Fleet;

namespace {

// An outcome that, like the API's Result, has no default value.
struct Outcome
{
    explicit Outcome(int v)
        : value(v)
    { }
    int value;
};

} // namespace

class TestGather : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outcomesComeInCallOrder();
    void nothingToWaitForIsDoneAtOnce();
    void aDroppedArrivalMeansNoAnswer();
    void aSecondArrivalCountsOnce();
    void arrivalsFromAnotherThread();
};

void TestGather::outcomesComeInCallOrder()
{
    std::optional<QList<int>> got;
    const auto arrivals = gather<Outcome>(3, [&got](const QList<Outcome> &all) {
        QList<int> values;
        for (const Outcome &o : all)
            values.append(o.value);
        got = values;
    });
    QCOMPARE(arrivals.size(), 3);
    arrivals[2](Outcome(30));
    arrivals[0](Outcome(10));
    QVERIFY(!got); // one still out
    arrivals[1](Outcome(20));
    // Inside the last arrival, in call order rather than arrival order.
    QVERIFY(got);
    QCOMPARE(*got, (QList<int>{10, 20, 30}));
}

void TestGather::nothingToWaitForIsDoneAtOnce()
{
    int calls = 0;
    const auto arrivals = gather<Outcome>(0, [&calls](const QList<Outcome> &all) {
        QVERIFY(all.isEmpty());
        ++calls;
    });
    QVERIFY(arrivals.isEmpty());
    QCOMPARE(calls, 1);
}

void TestGather::aDroppedArrivalMeansNoAnswer()
{
    int calls = 0;
    {
        auto arrivals = gather<Outcome>(2, [&calls](const QList<Outcome> &) { ++calls; });
        arrivals[0](Outcome(1));
        // The second call's callback is destroyed with its context: its
        // arrival goes with it, never called.
    }
    QCOMPARE(calls, 0);
}

void TestGather::aSecondArrivalCountsOnce()
{
    QList<int> got;
    int calls = 0;
    const auto arrivals = gather<Outcome>(2, [&](const QList<Outcome> &all) {
        ++calls;
        for (const Outcome &o : all)
            got.append(o.value);
    });
    arrivals[0](Outcome(1));
    arrivals[0](Outcome(2));
    QCOMPARE(calls, 0);
    arrivals[1](Outcome(3));
    arrivals[1](Outcome(4));
    QCOMPARE(calls, 1);
    QCOMPARE(got, (QList<int>{1, 3}));
}

void TestGather::arrivalsFromAnotherThread()
{
    QList<int> got;
    QThread *doneOn = nullptr;
    const auto arrivals = gather<Outcome>(100, [&](const QList<Outcome> &all) {
        doneOn = QThread::currentThread();
        for (const Outcome &o : all)
            got.append(o.value);
    });
    std::unique_ptr<QThread> worker(QThread::create([&arrivals] {
        for (qsizetype i = arrivals.size() - 1; i >= 0; --i)
            arrivals[i](Outcome(int(i)));
    }));
    worker->start();
    QVERIFY(worker->wait(20000));
    QCOMPARE(doneOn, worker.get());
    QCOMPARE(got.size(), 100);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(got.at(i), i);
}

QTEST_GUILESS_MAIN(TestGather)
#include "tst_gather.moc"
