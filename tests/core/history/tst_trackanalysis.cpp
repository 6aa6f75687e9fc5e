#include "history/trackanalysis.h"

#include "historytestdata.h"

#include <QtTest>

using namespace Fleet;
using namespace Fleet::TrackAnalysis;
using namespace HistoryTest;

class TestTrackAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void distanceIsGreatCircle();
    void stopsFromTheFixes();
    void tripsBetweenTheStops();
    void gapsOnlyWhereTheVehicleMoved();
    void totals();
    void cloudTripsAndStopsComeFirst();
    void lbsOnlyDeviceStillHasATrack();
    void emptyHistory();
};

void TestTrackAnalysis::distanceIsGreatCircle()
{
    // One degree of latitude is about 111.2 km; Paris to London about 343.5 km.
    QVERIFY(qAbs(distanceM(0, 0, 1, 0) - 111195) < 5);
    QVERIFY(qAbs(distanceM(48.8566, 2.3522, 51.5074, -0.1278) - 343500) < 1000);
    QCOMPARE(distanceM(10, 10, 10, 10), 0.0);
}

void TestTrackAnalysis::stopsFromTheFixes()
{
    const QList<Stop> stops = deriveStops(day(), Settings());
    QCOMPARE(stops.size(), 2);
    // Parked with the ignition off from 600 s until it drove off at 7800 s.
    QCOMPARE(stops[0].from, at(600));
    QCOMPARE(stops[0].to, at(7800));
    QCOMPARE(stops[0].kind, StopKind::Parking);
    QCOMPARE(stops[0].seconds(), 7200);
    // Standing with the engine on for five minutes: idling.
    QCOMPARE(stops[1].from, at(8400));
    QCOMPARE(stops[1].to, at(8700));
    QCOMPARE(stops[1].kind, StopKind::Idling);

    // A shorter standstill is part of the trip.
    Settings longer;
    longer.minStopSecs = 301;
    QCOMPARE(deriveStops(day(), longer).size(), 1);
}

void TestTrackAnalysis::tripsBetweenTheStops()
{
    const QList<Position> fixes = day();
    const QList<TripSummary> trips = deriveTrips(fixes, deriveStops(fixes, Settings()), Settings());
    QCOMPARE(trips.size(), 3);
    QCOMPARE(trips[0].start, at(0));
    QCOMPARE(trips[0].end, at(600));
    QVERIFY(qAbs(trips[0].distanceKm - 6.0) < 0.01);
    QCOMPARE(trips[0].maxSpeedKmh, 36.0);
    QVERIFY(qAbs(trips[0].avgSpeedKmh - 36.0) < 0.1);
    QCOMPARE(trips[1].start, at(7800));
    QCOMPARE(trips[1].end, at(8400));
    QVERIFY(qAbs(trips[1].distanceKm - 6.0) < 0.01);
    // The last trip crosses the tunnel: its distance includes the straight line through it.
    QCOMPARE(trips[2].start, at(8700));
    QCOMPARE(trips[2].end, at(10500));
    QVERIFY(qAbs(trips[2].distanceKm - 18.3) < 0.02);
    QCOMPARE(trips[2].origin, Origin::Derived);
    QVERIFY(trips[2].startLat && trips[2].endLng);
}

void TestTrackAnalysis::gapsOnlyWhereTheVehicleMoved()
{
    const QList<Position> fixes = day();
    // The two-hour parking is silent too, but the vehicle did not move: a stop, not a gap.
    const QList<Gap> found = gaps(fixes, Settings());
    QCOMPARE(found.size(), 1);
    QCOMPARE(found[0].from, at(9000));
    QCOMPARE(found[0].to, at(10200));
    QCOMPARE(fixes[found[0].before].gpsTime, at(9000));
    Settings patient;
    patient.gapSecs = 1200;
    QVERIFY(gaps(fixes, patient).isEmpty());
}

void TestTrackAnalysis::totals()
{
    const Summary s = analyse(history());
    QCOMPARE(s.totals.trips, 3);
    QCOMPARE(s.totals.stops, 2);
    QVERIFY(qAbs(s.totals.distanceKm - 30.3) < 0.05);
    QCOMPARE(s.totals.movingSecs, 3000);
    QCOMPARE(s.totals.idleSecs, 300);
    QCOMPARE(s.totals.parkingSecs, 7200);
    QCOMPARE(s.totals.maxSpeedKmh, 36.0);
    QVERIFY(qAbs(s.totals.avgSpeedKmh - 36.36) < 0.1);
}

void TestTrackAnalysis::cloudTripsAndStopsComeFirst()
{
    VehicleHistory h = history();
    // The cloud saw the first trip with its own figures, and the parking with an address.
    Trip cloud;
    cloud.imei = h.imei;
    cloud.start = at(0);
    cloud.end = at(610);
    cloud.distanceKm = 6.2;
    cloud.maxSpeedKmh = 41.0;
    h.trips = {cloud};
    StopPeriod parked;
    parked.imei = h.imei;
    parked.start = at(590);
    parked.end = at(7790);
    parked.accOn = false;
    parked.lat = kLat;
    parked.lng = 2.43;
    parked.address = QStringLiteral("Depot, 1 Ring Road");
    h.stops = {parked};

    const Summary s = analyse(h);
    QCOMPARE(s.trips.size(), 3);
    QCOMPARE(s.trips[0].origin, Origin::Cloud);
    QCOMPARE(s.trips[0].distanceKm, 6.2); // BUG-02: as the cloud sent it
    QCOMPARE(s.trips[0].maxSpeedKmh, 41.0); // BUG-03: carried through
    QCOMPARE(s.trips[1].origin, Origin::Derived);
    QCOMPARE(s.stops.size(), 2);
    QCOMPARE(s.stops[0].origin, Origin::Cloud);
    QCOMPARE(s.stops[0].address, QStringLiteral("Depot, 1 Ring Road"));
    QCOMPARE(s.stops[1].origin, Origin::Derived);
}

void TestTrackAnalysis::lbsOnlyDeviceStillHasATrack()
{
    QList<Position> fixes;
    for (qint64 s = 0; s <= 3600; s += 300) {
        Position p = fixAt(s, double(s) * 2, 0.0, std::nullopt, PositionType::Lbs);
        p.speedKmh.reset();
        p.satellites.reset();
        fixes.append(p);
    }
    const Summary s = analyse(history(fixes));
    // No speeds reported: the pace between fixes (600 m in 5 min, 7.2 km/h) says it moved.
    QVERIFY(s.gaps.isEmpty());
    QVERIFY(s.stops.isEmpty());
    QCOMPARE(s.trips.size(), 1);
    QVERIFY(qAbs(s.trips[0].distanceKm - 7.2) < 0.05);
    QVERIFY(qAbs(s.trips[0].avgSpeedKmh - 7.2) < 0.1);
}

void TestTrackAnalysis::emptyHistory()
{
    const Summary s = analyse(history({}));
    QVERIFY(s.trips.isEmpty());
    QVERIFY(s.stops.isEmpty());
    QVERIFY(s.gaps.isEmpty());
    QCOMPARE(s.totals, Totals());
}

QTEST_GUILESS_MAIN(TestTrackAnalysis)
#include "tst_trackanalysis.moc"
