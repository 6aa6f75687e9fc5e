// The local fence engine: one event per crossing, whatever the fixes do —
// jitter along the border, repeats from the other source, late fixes, a
// restart in between — and the rules' own conditions: enter/exit, dwell,
// schedule, the vehicles a fence applies to.

#include "fencetestdata.h"
#include "fences/fenceengine.h"

#include <QtTest>

using namespace Fleet;
using namespace FenceTest;
using Kind = FenceEvent::Kind;

namespace {

const GeoPoint kDepot{51.5074, -0.1278}; // London
const QDateTime kT0(QDate(2026, 12, 3), QTime(8, 0), QTimeZone::utc()); // a Thursday
const QString kVan = QStringLiteral("860000000000001");
const QString kTruck = QStringLiteral("860000000000002");

// The depot: a 1 km square around it.
FenceRule depot(qint64 id = 1)
{
    FenceRule r;
    r.id = id;
    r.shape = FenceShape::polygon(
        {offset(kDepot, -500, -500), offset(kDepot, 500, -500), offset(kDepot, 500, 500), offset(kDepot, -500, 500)});
    return r;
}

// x metres east of the depot's centre (its east side is at 500).
GeoPoint east(double x)
{
    return offset(kDepot, x, 0);
}

QList<Kind> kinds(const QList<FenceEvent> &events)
{
    QList<Kind> out;
    for (const FenceEvent &e : events)
        out.append(e.kind);
    return out;
}

} // namespace

class TestFenceEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entersAndLeavesOnce();
    void jitterAlongTheBorderDoesNotFlap();
    void repeatsAndLateFixesRaiseNothing();
    void firstSeenInsideIsNoEntry();
    void aFenceAddedAroundAVehicleIsNoEntry();
    void dwellIsRaisedOncePerVisit();
    void outsideTheScheduleTheStateStillMoves();
    void scheduleAcrossMidnightAndDays();
    void onlyTheVehiclesTheFenceAppliesTo();
    void aJumpFarAwayIsAnExit();
    void aRestartNeitherRepeatsNorLoses();
    void removedAndReshapedFencesStartAfresh();
};

void TestFenceEngine::entersAndLeavesOnce()
{
    FenceEngine engine;
    engine.setRules({depot()});
    QList<FenceEvent> all;
    // From 2 km east, through the depot, out on the west side.
    for (int k = 0; k <= 40; ++k)
        all += engine.evaluate(kVan, kT0.addSecs(k * 10), east(2000 - k * 100));
    QCOMPARE(kinds(all), (QList<Kind>{Kind::Enter, Kind::Exit}));
    QCOMPARE(all.at(0).fence, qint64(1));
    QCOMPARE(all.at(0).imei, kVan);
    QCOMPARE(all.at(0).time, kT0.addSecs(160)); // 400 m east: on the border (500 m) is not in yet
    QCOMPARE(all.at(1).time, kT0.addSecs(260)); // -600 m: outside by 100 m
    QCOMPARE(FenceEvent::typeCode(Kind::Enter), QStringLiteral("local.fence.enter"));
    QCOMPARE(FenceEvent::typeCode(Kind::Exit), QStringLiteral("local.fence.exit"));
    QCOMPARE(FenceEvent::typeCode(Kind::Dwell), QStringLiteral("local.fence.dwell"));
}

void TestFenceEngine::jitterAlongTheBorderDoesNotFlap()
{
    FenceEngine engine(FenceEngine::Options{20, 20});
    engine.setRules({depot()});
    QList<FenceEvent> all = engine.evaluate(kVan, kT0, east(1000));
    // Parked on the border: ±15 m of GPS noise for ten minutes.
    for (int k = 1; k <= 60; ++k)
        all += engine.evaluate(kVan, kT0.addSecs(k * 10), east(500 + (k % 2 ? 15 : -15)));
    QVERIFY(all.isEmpty());
    // Then clearly in, jitter inside the band, clearly out.
    all += engine.evaluate(kVan, kT0.addSecs(700), east(450));
    for (int k = 0; k < 20; ++k)
        all += engine.evaluate(kVan, kT0.addSecs(710 + k * 10), east(500 + (k % 2 ? 18 : -18)));
    all += engine.evaluate(kVan, kT0.addSecs(1000), east(560));
    QCOMPARE(kinds(all), (QList<Kind>{Kind::Enter, Kind::Exit}));
}

void TestFenceEngine::repeatsAndLateFixesRaiseNothing()
{
    FenceEngine engine;
    engine.setRules({depot()});
    QVERIFY(engine.evaluate(kVan, kT0, east(1000)).isEmpty());
    QCOMPARE(engine.evaluate(kVan, kT0.addSecs(60), east(0)).size(), 1); // enters
    // The same fix again (the other source), and a late one from before.
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(60), east(0)).isEmpty());
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(30), east(1000)).isEmpty());
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(59), east(0)).isEmpty());
    // Still inside: the late "outside" fix changed nothing.
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(90), east(10)).isEmpty());
    QCOMPARE(kinds(engine.evaluate(kVan, kT0.addSecs(120), east(1000))), QList<Kind>{Kind::Exit});
}

void TestFenceEngine::firstSeenInsideIsNoEntry()
{
    FenceEngine engine;
    engine.setRules({depot()});
    QVERIFY(engine.evaluate(kVan, kT0, east(0)).isEmpty());
    QCOMPARE(kinds(engine.evaluate(kVan, kT0.addSecs(60), east(900))), QList<Kind>{Kind::Exit});
    // First seen on the border: the side is learned, not crossed.
    QVERIFY(engine.evaluate(kTruck, kT0, east(505)).isEmpty());
    QVERIFY(engine.evaluate(kTruck, kT0.addSecs(10), east(300)).isEmpty());
    QCOMPARE(kinds(engine.evaluate(kTruck, kT0.addSecs(20), east(900))), QList<Kind>{Kind::Exit});
}

void TestFenceEngine::aFenceAddedAroundAVehicleIsNoEntry()
{
    FenceEngine engine;
    QVERIFY(engine.evaluate(kVan, kT0, east(0)).isEmpty());
    QVERIFY(engine.evaluate(kTruck, kT0, east(3000)).isEmpty());
    engine.setRules({depot()});
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(10), east(10)).isEmpty()); // was there already
    QVERIFY(engine.evaluate(kTruck, kT0.addSecs(10), east(2000)).isEmpty());
    QCOMPARE(kinds(engine.evaluate(kTruck, kT0.addSecs(20), east(0))), QList<Kind>{Kind::Enter});
}

void TestFenceEngine::dwellIsRaisedOncePerVisit()
{
    FenceEngine engine;
    FenceRule r = depot();
    r.dwellSecs = 600;
    engine.setRules({r});
    QList<FenceEvent> all = engine.evaluate(kVan, kT0, east(2000));
    for (int k = 1; k <= 30; ++k) // 15 minutes inside
        all += engine.evaluate(kVan, kT0.addSecs(k * 30), east(0));
    QCOMPARE(kinds(all), (QList<Kind>{Kind::Enter, Kind::Dwell}));
    QCOMPARE(all.at(1).time, kT0.addSecs(30 + 600));
    all = engine.evaluate(kVan, kT0.addSecs(1000), east(2000));
    for (int k = 1; k <= 30; ++k)
        all += engine.evaluate(kVan, kT0.addSecs(1000 + k * 30), east(0));
    QCOMPARE(kinds(all), (QList<Kind>{Kind::Exit, Kind::Enter, Kind::Dwell}));
}

void TestFenceEngine::outsideTheScheduleTheStateStillMoves()
{
    FenceEngine engine;
    FenceRule r = depot();
    r.schedule.from = QTime(9, 0);
    r.schedule.to = QTime(17, 0);
    engine.setRules({r});
    QVERIFY(engine.evaluate(kVan, kT0, east(2000)).isEmpty());
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(600), east(0)).isEmpty()); // 08:10: in, silently
    // Leaving at 09:30: an exit (it was inside), raised within the schedule.
    QCOMPARE(kinds(engine.evaluate(kVan, kT0.addSecs(5400), east(2000))), QList<Kind>{Kind::Exit});
}

void TestFenceEngine::scheduleAcrossMidnightAndDays()
{
    FenceSchedule night;
    night.from = QTime(22, 0);
    night.to = QTime(6, 0);
    night.zone = QTimeZone("Europe/London");
    QVERIFY(night.covers(QDateTime(QDate(2026, 12, 3), QTime(23, 30), QTimeZone::utc())));
    QVERIFY(night.covers(QDateTime(QDate(2026, 12, 4), QTime(5, 59), QTimeZone::utc())));
    QVERIFY(!night.covers(QDateTime(QDate(2026, 12, 4), QTime(6, 0), QTimeZone::utc())));
    // Summer time: 05:30 UTC is 06:30 in London.
    QVERIFY(!night.covers(QDateTime(QDate(2026, 7, 2), QTime(5, 30), QTimeZone::utc())));
    FenceSchedule weekdays;
    weekdays.days = 0x1f; // Monday to Friday
    QVERIFY(weekdays.covers(kT0)); // Thursday
    QVERIFY(!weekdays.covers(kT0.addDays(2))); // Saturday
    QVERIFY(FenceSchedule().isAlways());
}

void TestFenceEngine::onlyTheVehiclesTheFenceAppliesTo()
{
    FenceEngine engine;
    FenceRule r = depot();
    r.imeis = {kTruck};
    FenceRule everyone = depot(2);
    everyone.alarmOnEnter = false;
    engine.setRules({r, everyone});
    for (const QString &imei : {kVan, kTruck})
        engine.evaluate(imei, kT0, east(2000));
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(10), east(0)).isEmpty()); // fence 2: no enter alarm
    const QList<FenceEvent> truck = engine.evaluate(kTruck, kT0.addSecs(10), east(0));
    QCOMPARE(truck.size(), 1);
    QCOMPARE(truck.constFirst().fence, qint64(1));
    const QList<FenceEvent> out = engine.evaluate(kVan, kT0.addSecs(20), east(2000));
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.constFirst().fence, qint64(2));
}

void TestFenceEngine::aJumpFarAwayIsAnExit()
{
    FenceEngine engine;
    engine.setRules({depot()});
    engine.evaluate(kVan, kT0, east(2000));
    QCOMPARE(engine.evaluate(kVan, kT0.addSecs(10), east(0)).size(), 1);
    // The next fix 300 km away (a gap in the track): it left.
    const QList<FenceEvent> events = engine.evaluate(kVan, kT0.addSecs(7200), GeoPoint{53.48, -2.24});
    QCOMPARE(kinds(events), QList<Kind>{Kind::Exit});
    QVERIFY(engine.states().isEmpty());
}

void TestFenceEngine::aRestartNeitherRepeatsNorLoses()
{
    FenceRule r = depot();
    r.dwellSecs = 300;
    // One engine all along...
    FenceEngine whole;
    whole.setRules({r});
    QList<FenceEvent> expected;
    QList<std::pair<QDateTime, GeoPoint>> fixes;
    for (int k = 0; k < 60; ++k)
        fixes.append({kT0.addSecs(k * 30), east(k < 10 ? 1500 - k * 150 : (k < 40 ? 0 : 2000))});
    for (const auto &[t, p] : fixes)
        expected += whole.evaluate(kVan, t, p);
    QCOMPARE(kinds(expected), (QList<Kind>{Kind::Enter, Kind::Dwell, Kind::Exit}));
    // ...and one saved and restored half way, the fixes around the restart repeated.
    QList<FenceEvent> got;
    FenceEngine first;
    first.setRules({r});
    for (int k = 0; k < 20; ++k)
        got += first.evaluate(kVan, fixes.at(k).first, fixes.at(k).second);
    FenceEngine second;
    second.setRules({r});
    second.restore(first.lastFixes(), first.states());
    QCOMPARE(second.states(), first.states());
    for (int k = 15; k < 60; ++k)
        got += second.evaluate(kVan, fixes.at(k).first, fixes.at(k).second);
    QCOMPARE(got, expected);
}

void TestFenceEngine::removedAndReshapedFencesStartAfresh()
{
    FenceEngine engine;
    engine.setRules({depot()});
    engine.evaluate(kVan, kT0, east(2000));
    QCOMPARE(engine.evaluate(kVan, kT0.addSecs(10), east(0)).size(), 1);
    QCOMPARE(engine.states().size(), 1);
    // Its alarms changed, not its shape: the state stays.
    FenceRule quiet = depot();
    quiet.alarmOnExit = false;
    engine.setRules({quiet});
    QCOMPARE(engine.states().size(), 1);
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(20), east(2000)).isEmpty()); // left, no exit alarm
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(30), east(0)).size() == 1); // entered again
    // Removed: its state goes; added back: the vehicle inside did not enter.
    engine.setRules({});
    QCOMPARE(engine.ruleCount(), 0);
    QVERIFY(engine.states().isEmpty());
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(40), east(0)).isEmpty());
    engine.setRules({depot()});
    QVERIFY(engine.evaluate(kVan, kT0.addSecs(50), east(0)).isEmpty());
    // Unusable shapes are not taken.
    FenceRule broken = depot(9);
    broken.shape = FenceShape::circle(kDepot, 0);
    engine.setRules({depot(), broken});
    QCOMPARE(engine.ruleCount(), 1);
}

QTEST_GUILESS_MAIN(TestFenceEngine)
#include "tst_fenceengine.moc"
