// The simulated fleet is the ground truth other tests compare stored data
// with, so these tests check that it is deterministic and that what it says
// hangs together: fixes, trips, stops, odometer and alarms describe one
// consistent, plausible history.

#include "domain/alarm.h"
#include "sim/simfleet.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numbers>

using namespace Fleet;
using namespace Fleet::Sim;

namespace {

constexpr qint64 kDay = 86400;
constexpr double kMaxRadiusKm = 40;

double haversineKm(double lat1, double lng1, double lat2, double lng2)
{
    const double r = 6371.0;
    const double rad = std::numbers::pi / 180.0;
    const double dLat = (lat2 - lat1) * rad;
    const double dLng = (lng2 - lng1) * rad;
    const double a = std::sin(dLat / 2) * std::sin(dLat / 2)
        + std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dLng / 2) * std::sin(dLng / 2);
    return 2 * r * std::asin(std::min(1.0, std::sqrt(a)));
}

SimFleetConfig fleetConfig(int vehicles, quint64 seed)
{
    SimFleetConfig c;
    c.vehicles = vehicles;
    c.seed = seed;
    return c;
}

// Local wall-clock time of the fleet as UTC.
QDateTime local(const SimFleetConfig &c, const QDate &date, int hour, int minute = 0)
{
    return QDateTime(date, QTime(hour, minute), QTimeZone::utc()).addSecs(-c.utcOffsetSecs);
}

bool active(const SimDevice &d, const QDateTime &t)
{
    if (d.neverFixed)
        return false;
    if (d.offline && t >= d.offlineSince)
        return false;
    return !(d.expired && t >= d.expiration);
}

bool sameFix(const SimFix &a, const SimFix &b)
{
    return a.gpsTime == b.gpsTime && a.lat == b.lat && a.lng == b.lng && a.speedKmh == b.speedKmh
        && a.course == b.course && a.acc == b.acc && a.satellites == b.satellites && a.altitudeM == b.altitudeM
        && a.odometerKm == b.odometerKm;
}

bool sameDevice(const SimDevice &a, const SimDevice &b)
{
    return a.index == b.index && a.imei == b.imei && a.name == b.name && a.model == b.model && a.sim == b.sim
        && a.iccid == b.iccid && a.imsi == b.imsi && a.vin == b.vin && a.vehicleName == b.vehicleName
        && a.plate == b.plate && a.vehicleIcon == b.vehicleIcon && a.driverName == b.driverName
        && a.driverPhone == b.driverPhone && a.groupId == b.groupId && a.groupName == b.groupName
        && a.activationTime == b.activationTime && a.expiration == b.expiration && a.expired == b.expired
        && a.offline == b.offline && a.offlineSince == b.offlineSince && a.neverFixed == b.neverFixed
        && a.dashcam == b.dashcam && a.cameraChannels == b.cameraChannels && a.initialOdometerKm == b.initialOdometerKm;
}

bool sameTrip(const SimTrip &a, const SimTrip &b)
{
    return a.start == b.start && a.end == b.end && a.distanceKm == b.distanceKm && a.maxSpeedKmh == b.maxSpeedKmh
        && a.avgSpeedKmh == b.avgSpeedKmh && a.runSeconds == b.runSeconds && a.idleSeconds == b.idleSeconds
        && a.startLat == b.startLat && a.startLng == b.startLng && a.endLat == b.endLat && a.endLng == b.endLng;
}

bool sameAlarm(const SimAlarm &a, const SimAlarm &b)
{
    return a.time == b.time && a.typeId == b.typeId && a.typeName == b.typeName && a.lat == b.lat && a.lng == b.lng
        && a.speedKmh == b.speedKmh && a.fenceId == b.fenceId;
}

bool sameStop(const SimStop &a, const SimStop &b)
{
    return a.start == b.start && a.end == b.end && a.accOn == b.accOn && a.lat == b.lat && a.lng == b.lng
        && a.address == b.address;
}

template<typename T, typename Eq>
bool sameList(const QList<T> &a, const QList<T> &b, Eq eq)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), eq);
}

bool luhnValid(const QString &digits)
{
    int sum = 0;
    bool twice = false;
    for (qsizetype i = digits.size() - 1; i >= 0; --i) {
        int d = digits.at(i).digitValue();
        if (twice) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

} // namespace

class TestSimFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void determinism();
    void devices_data();
    void devices();
    void beforeEpoch();
    void fixesArePlausible();
    void odometerMatchesTrips();
    void overnightParkedDaytimeDriving();
    void tripsAreConsistent();
    void stopsAndTripsAlternate();
    void alarms();
    void offlineAndExpired();
    void lastFixMatchesFixes();
    void heartbeats();
    void timeZones_data();
    void timeZones();
    void cacheEvictionKeepsAnswers();
    void odometerDoesNotDependOnTheOrderOfQueries();
    void nothingHappensPastTheHorizon();

private:
    SimFleetConfig m_config;
    std::unique_ptr<SimFleet> m_fleet;
    QDateTime m_from; // the window most tests look at
    QDateTime m_to;
};

void TestSimFleet::initTestCase()
{
    m_config = fleetConfig(60, 7);
    m_fleet = std::make_unique<SimFleet>(m_config);
    m_from = m_config.epoch;
    m_to = m_config.epoch.addDays(14);
}

void TestSimFleet::determinism()
{
    const SimFleetConfig c = fleetConfig(30, 42);
    SimFleet a(c);
    SimFleet b(c);
    SimFleetConfig other = c;
    other.seed = 43;
    SimFleet x(other);
    QCOMPARE(a.size(), 30);

    // b is asked in a different order, so its caches fill differently.
    const QDateTime from = c.epoch.addDays(4);
    const QDateTime to = c.epoch.addDays(6);
    for (int i = b.size() - 1; i >= 0; --i) {
        b.alarms(i, c.epoch.addDays(10), c.epoch.addDays(12));
        b.lastFix(i, c.epoch.addDays(9));
    }
    int differentImeis = 0;
    int differentFixes = 0;
    for (int i = 0; i < a.size(); ++i) {
        QVERIFY(sameDevice(a.device(i), b.device(i)));
        QVERIFY(sameList(a.fixes(i, from, to), b.fixes(i, from, to), sameFix));
        QVERIFY(sameList(a.trips(i, from, to), b.trips(i, from, to), sameTrip));
        QVERIFY(sameList(a.stops(i, from, to), b.stops(i, from, to), sameStop));
        QVERIFY(
            sameList(a.alarms(i, c.epoch, c.epoch.addDays(14)), b.alarms(i, c.epoch, c.epoch.addDays(14)), sameAlarm));
        const auto fa = a.lastFix(i, c.epoch.addDays(9));
        const auto fb = b.lastFix(i, c.epoch.addDays(9));
        QCOMPARE(fa.has_value(), fb.has_value());
        if (fa)
            QVERIFY(sameFix(*fa, *fb));
        if (a.device(i).imei != x.device(i).imei)
            ++differentImeis;
        if (!sameList(a.fixes(i, from, to), x.fixes(i, from, to), sameFix))
            ++differentFixes;
    }
    QCOMPARE(differentImeis, a.size());
    QVERIFY2(differentFixes > a.size() * 3 / 4, qPrintable(QString::number(differentFixes)));
}

void TestSimFleet::devices_data()
{
    QTest::addColumn<int>("vehicles");
    QTest::addColumn<double>("expiredShare");
    QTest::addColumn<double>("offlineShare");
    QTest::newRow("default shares") << 1000 << 0.03 << 0.05;
    QTest::newRow("many inactive") << 1000 << 0.10 << 0.20;
    QTest::newRow("demo, all active") << 300 << 0.0 << 0.0;
}

void TestSimFleet::devices()
{
    QFETCH(int, vehicles);
    QFETCH(double, expiredShare);
    QFETCH(double, offlineShare);
    SimFleetConfig c = fleetConfig(vehicles, 11);
    c.expiredShare = expiredShare;
    c.offlineShare = offlineShare;
    const SimFleet fleet(c);
    QCOMPARE(fleet.size(), vehicles);

    static const QRegularExpression digits15(QStringLiteral("^86\\d{13}$"));
    static const QRegularExpression iccid(QStringLiteral("^(8986|8933)\\d{16}$"));
    static const QRegularExpression imsi(QStringLiteral("^\\d{15}$"));
    static const QRegularExpression vin(QStringLiteral("^[A-HJ-NPR-Z0-9]{17}$"));
    static const QRegularExpression plate(QStringLiteral("^[A-Z]{2}-\\d{3}-[A-Z]{2}$"));
    static const QRegularExpression name(QStringLiteral("^(VAN|CAR|TRK|BUS)-\\d{3,}$"));
    static const QRegularExpression hex32(QStringLiteral("^[0-9a-f]{32}$"));
    static const QSet<QString> models = {QStringLiteral("GT06N"), QStringLiteral("JM-VL02"), QStringLiteral("VL802"),
                                         QStringLiteral("JC400"), QStringLiteral("JC450"),   QStringLiteral("X3"),
                                         QStringLiteral("AT4")};
    static const QSet<QString> icons = {QStringLiteral("car"), QStringLiteral("truck"), QStringLiteral("bus"),
                                        QStringLiteral("van")};

    QSet<QString> imeis;
    QSet<QString> names;
    QHash<QString, QString> groups;
    int expired = 0;
    int offline = 0;
    int neverFixed = 0;
    int dashcams = 0;
    for (int i = 0; i < fleet.size(); ++i) {
        const SimDevice &d = fleet.device(i);
        QCOMPARE(d.index, i);
        QVERIFY2(digits15.match(d.imei).hasMatch(), qPrintable(d.imei));
        QVERIFY(luhnValid(d.imei));
        imeis.insert(d.imei);
        QCOMPARE(fleet.indexOf(d.imei), i);
        QVERIFY2(name.match(d.name).hasMatch(), qPrintable(d.name));
        names.insert(d.name);
        QVERIFY(models.contains(d.model));
        QVERIFY(icons.contains(d.vehicleIcon));
        QVERIFY2(iccid.match(d.iccid).hasMatch(), qPrintable(d.iccid));
        QVERIFY(luhnValid(d.iccid));
        QVERIFY(imsi.match(d.imsi).hasMatch());
        QVERIFY(!d.sim.isEmpty());
        QVERIFY2(vin.match(d.vin).hasMatch(), qPrintable(d.vin));
        QVERIFY2(plate.match(d.plate).hasMatch(), qPrintable(d.plate));
        QVERIFY(!d.vehicleName.isEmpty());
        QVERIFY(d.driverName.contains(QLatin1Char(' ')));
        QVERIFY(d.driverPhone.startsWith(QLatin1String("+33")));
        QVERIFY2(hex32.match(d.groupId).hasMatch(), qPrintable(d.groupId));
        // One name per id.
        QCOMPARE(groups.value(d.groupId, d.groupName), d.groupName);
        groups.insert(d.groupId, d.groupName);
        QVERIFY(d.activationTime < c.epoch);
        QCOMPARE(d.dashcam, d.model == QLatin1String("JC400") || d.model == QLatin1String("JC450"));
        QCOMPARE(d.cameraChannels, d.dashcam ? 2 : 0);
        dashcams += d.dashcam;
        QVERIFY(d.initialOdometerKm > 1000 && d.initialOdometerKm < 200000);
        if (d.expired) {
            ++expired;
            QVERIFY(!d.offline);
            QVERIFY(d.expiration > c.epoch && d.expiration < c.epoch.addDays(22));
        } else {
            QVERIFY(d.expiration > c.epoch.addDays(365));
        }
        if (d.offline) {
            ++offline;
            QVERIFY(d.offlineSince.isValid());
            QVERIFY(d.offlineSince >= c.epoch && d.offlineSince < c.epoch.addDays(16));
            if (d.neverFixed) {
                ++neverFixed;
                QCOMPARE(d.offlineSince, c.epoch);
            }
        } else {
            QVERIFY(!d.neverFixed);
        }
    }
    QCOMPARE(imeis.size(), fleet.size());
    QCOMPARE(names.size(), fleet.size());
    QVERIFY(groups.size() >= 3 && groups.size() <= 6);
    QVERIFY(std::abs(expired - vehicles * expiredShare) <= 1);
    QVERIFY(std::abs(offline - vehicles * offlineShare) <= 1);
    QVERIFY(std::abs(neverFixed - offline / 3.0) <= 1);
    QVERIFY(dashcams > vehicles / 20 && dashcams < vehicles * 2 / 5);
    QCOMPARE(fleet.indexOf(QStringLiteral("000000000000000")), -1);
}

void TestSimFleet::beforeEpoch()
{
    const QDateTime before = m_config.epoch.addSecs(-1);
    for (int i = 0; i < m_fleet->size(); ++i) {
        QVERIFY(!m_fleet->lastFix(i, before));
        QVERIFY(!m_fleet->lastHeartbeat(i, before).isValid());
        QVERIFY(!m_fleet->isOnline(i, before));
        QVERIFY(m_fleet->fixes(i, before.addDays(-3), before).isEmpty());
        QVERIFY(m_fleet->trips(i, before.addDays(-3), before).isEmpty());
        QVERIFY(m_fleet->alarms(i, before.addDays(-3), before).isEmpty());
        QVERIFY(m_fleet->stops(i, before.addDays(-3), before).isEmpty());
    }
}

void TestSimFleet::fixesArePlausible()
{
    const SimFleetConfig &c = m_config;
    int pairs = 0;
    int agreeing = 0;
    for (int i = 0; i < m_fleet->size(); ++i) {
        const QList<SimFix> fixes = m_fleet->fixes(i, m_from, m_to);
        const SimDevice &d = m_fleet->device(i);
        if (d.neverFixed) {
            QVERIFY(fixes.isEmpty());
            continue;
        }
        QVERIFY(!fixes.isEmpty());
        for (qsizetype k = 0; k < fixes.size(); ++k) {
            const SimFix &f = fixes[k];
            QVERIFY(f.gpsTime >= m_from && f.gpsTime <= m_to);
            QCOMPARE(f.gpsTime.toMSecsSinceEpoch() % 1000, 0);
            QVERIFY(haversineKm(c.centreLat, c.centreLng, f.lat, f.lng) < kMaxRadiusKm);
            QVERIFY(f.speedKmh >= 0 && f.speedKmh <= 130);
            QVERIFY(f.course >= 0 && f.course <= 359);
            QVERIFY(f.satellites >= 6 && f.satellites <= 14);
            QVERIFY(f.altitudeM > -50 && f.altitudeM < 400);
            if (!f.acc)
                QCOMPARE(f.speedKmh, 0.0);
            if (k == 0)
                continue;
            const SimFix &p = fixes[k - 1];
            const qint64 dt = p.gpsTime.secsTo(f.gpsTime);
            QVERIFY(dt > 0);
            QVERIFY2(f.odometerKm >= p.odometerKm, qPrintable(f.gpsTime.toString(Qt::ISODate)));
            const double driven = f.odometerKm - p.odometerKm;
            const double straight = haversineKm(p.lat, p.lng, f.lat, f.lng);
            // Straight-line distance never exceeds the distance driven.
            QVERIFY2(straight <= driven * 1.01 + 0.005,
                     qPrintable(QStringLiteral("%1 km straight, %2 km driven").arg(straight).arg(driven)));
            // While the ignition stays on the device reports at least every 30 s.
            if (p.acc && f.acc) {
                QVERIFY(dt <= 30);
                const double implied = driven / (dt / 3600.0);
                QVERIFY2(implied <= 130, qPrintable(QString::number(implied)));
                // Speed changes are gradual: the average of the reported
                // speeds is close to the speed implied by the odometer,
                // unless a traffic light stop fell between the two fixes.
                ++pairs;
                if (std::abs(implied - (p.speedKmh + f.speedKmh) / 2) <= 10 + 0.15 * implied)
                    ++agreeing;
                // Altitude follows the terrain smoothly.
                QVERIFY(std::abs(f.altitudeM - p.altitudeM) <= 3 + 0.03 * driven * 1000);
            }
        }
    }
    qInfo("%d moving fix pairs, %.1f%% with speeds consistent with the odometer", pairs,
          100.0 * agreeing / std::max(1, pairs));
    QVERIFY(pairs > 10000);
    QVERIFY(agreeing > pairs * 0.85);
}

void TestSimFleet::odometerMatchesTrips()
{
    int checkedTrips = 0;
    int checkedDays = 0;
    for (int i = 0; i < m_fleet->size(); ++i) {
        if (m_fleet->device(i).neverFixed)
            continue;
        for (const SimTrip &trip : m_fleet->trips(i, m_from, m_to)) {
            // A planned stop lasts at least a minute and fixes come at least
            // every 30 s, so 30 s after arrival the odometer shows the arrival.
            const auto start = m_fleet->lastFix(i, trip.start);
            const auto end = m_fleet->lastFix(i, trip.end.addSecs(30));
            QVERIFY(start && end);
            const double odo = end->odometerKm - start->odometerKm;
            QVERIFY2(std::abs(odo - trip.distanceKm) <= trip.distanceKm * 0.01 + 1e-9,
                     qPrintable(QStringLiteral("odometer %1 km, trip %2 km").arg(odo).arg(trip.distanceKm)));
            ++checkedTrips;
        }
        for (QDate date = m_from.date(); date < m_to.date(); date = date.addDays(1)) {
            const QDateTime dayStart = local(m_config, date, 0);
            const QDateTime dayEnd = dayStart.addDays(1).addSecs(-1);
            if (dayStart < m_config.epoch)
                continue;
            const auto a = m_fleet->lastFix(i, dayStart);
            const auto b = m_fleet->lastFix(i, dayEnd);
            QVERIFY(a && b);
            double sum = 0;
            for (const SimTrip &t : m_fleet->trips(i, dayStart, dayEnd))
                sum += t.distanceKm;
            const double odo = b->odometerKm - a->odometerKm;
            QVERIFY(odo >= 0);
            QVERIFY2(std::abs(odo - sum) <= sum * 0.01 + 1e-9,
                     qPrintable(QStringLiteral("day %1: odometer %2 km, trips %3 km")
                                    .arg(date.toString(Qt::ISODate))
                                    .arg(odo)
                                    .arg(sum)));
            ++checkedDays;
        }
    }
    QVERIFY(checkedTrips > 1000);
    QVERIFY(checkedDays > 500);
}

void TestSimFleet::overnightParkedDaytimeDriving()
{
    const SimFleetConfig &c = m_config;
    int weekdays = 0;
    for (QDate date = m_from.date().addDays(1); date < m_to.date(); date = date.addDays(1)) {
        const QDateTime night = local(c, date, 3);
        const QDateTime midnight = local(c, date, 0);
        const QDateTime afternoon = local(c, date, 15);
        int activeCount = 0;
        int driven = 0;
        for (int i = 0; i < m_fleet->size(); ++i) {
            const SimDevice &d = m_fleet->device(i);
            if (!active(d, night))
                continue;
            const auto fix = m_fleet->lastFix(i, night);
            QVERIFY(fix);
            QVERIFY(!fix->acc);
            QCOMPARE(fix->speedKmh, 0.0);
            // One stay at home covers the night, from the evening before.
            const QList<SimStop> stops = m_fleet->stops(i, night, night);
            QCOMPARE(stops.size(), 1);
            QVERIFY(!stops.first().accOn);
            QVERIFY(stops.first().start < midnight || stops.first().start == c.epoch);
            QVERIFY(stops.first().end > night);
            QVERIFY(haversineKm(stops.first().lat, stops.first().lng, fix->lat, fix->lng) < 0.001);
            QVERIFY(m_fleet->trips(i, night.addSecs(-4 * 3600), night).isEmpty());

            if (!active(d, afternoon))
                continue;
            ++activeCount;
            if (!m_fleet->trips(i, midnight, afternoon).isEmpty())
                ++driven;
        }
        if (date.dayOfWeek() <= 5) {
            ++weekdays;
            QVERIFY2(driven >= activeCount * 0.8,
                     qPrintable(QStringLiteral("%1: %2 of %3").arg(date.toString()).arg(driven).arg(activeCount)));
        } else if (date.dayOfWeek() == 7) {
            QVERIFY2(driven <= activeCount * 0.4,
                     qPrintable(QStringLiteral("%1: %2 of %3").arg(date.toString()).arg(driven).arg(activeCount)));
        }
    }
    QVERIFY(weekdays >= 8);
}

void TestSimFleet::tripsAreConsistent()
{
    int count = 0;
    for (int i = 0; i < m_fleet->size(); ++i) {
        const QList<SimTrip> trips = m_fleet->trips(i, m_from, m_to);
        const QList<SimStop> stops = m_fleet->stops(i, m_from, m_to);
        for (qsizetype k = 0; k < trips.size(); ++k) {
            const SimTrip &t = trips[k];
            ++count;
            QVERIFY(t.start < t.end);
            QCOMPARE(t.start.secsTo(t.end), qint64(t.runSeconds + t.idleSeconds));
            QVERIFY(t.runSeconds > 0);
            QVERIFY(t.idleSeconds >= 0);
            QVERIFY(t.distanceKm > 0 && t.distanceKm < 100);
            QVERIFY(std::abs(t.avgSpeedKmh - t.distanceKm / (t.runSeconds / 3600.0)) <= t.avgSpeedKmh * 0.01);
            QVERIFY(t.maxSpeedKmh >= t.avgSpeedKmh);
            QVERIFY(t.maxSpeedKmh <= 130);
            QVERIFY(t.avgSpeedKmh > 5 && t.avgSpeedKmh < 110);
            if (k > 0)
                QVERIFY(trips[k - 1].end <= t.start);
            for (const SimStop &s : stops) {
                if (!s.accOn)
                    QVERIFY(s.end <= t.start || s.start >= t.end);
            }
            for (const SimFix &f : m_fleet->fixes(i, t.start, t.end))
                QVERIFY(f.speedKmh <= t.maxSpeedKmh + 1e-6);
            const auto first = m_fleet->lastFix(i, t.start);
            QVERIFY(haversineKm(first->lat, first->lng, t.startLat, t.startLng) < 0.001);
            QVERIFY(haversineKm(t.startLat, t.startLng, t.endLat, t.endLng) <= t.distanceKm * 1.01);
        }
    }
    QVERIFY(count > 1000);
}

void TestSimFleet::stopsAndTripsAlternate()
{
    // Every trip runs from the end of one stop to the start of the next, and
    // starts and ends where they are.
    int overnight = 0;
    for (int i = 0; i < m_fleet->size(); ++i) {
        const QList<SimTrip> trips = m_fleet->trips(i, m_from, m_to);
        const QList<SimStop> stops = m_fleet->stops(i, m_from, m_to);
        if (m_fleet->device(i).neverFixed) {
            QVERIFY(stops.isEmpty() && trips.isEmpty());
            continue;
        }
        QCOMPARE(stops.size(), trips.size() + 1);
        for (qsizetype k = 0; k < stops.size(); ++k) {
            const SimStop &s = stops[k];
            QVERIFY(s.start < s.end);
            QVERIFY(!s.address.isEmpty());
            if (k < trips.size()) {
                QCOMPARE(trips[k].start, s.end);
                QCOMPARE(trips[k].startLat, s.lat);
                QCOMPARE(trips[k].startLng, s.lng);
                QCOMPARE(stops[k + 1].start, trips[k].end);
                QCOMPARE(stops[k + 1].lat, trips[k].endLat);
            }
            if (k > 0 && k + 1 < stops.size()) {
                const qint64 secs = s.start.secsTo(s.end);
                QVERIFY(secs >= 60);
                if (s.accOn)
                    QVERIFY(secs <= 600);
            }
            if (s.start.toOffsetFromUtc(m_config.utcOffsetSecs).date()
                != s.end.toOffsetFromUtc(m_config.utcOffsetSecs).date()) {
                QVERIFY(!s.accOn);
                ++overnight;
            }
            // Parked: silent after the parking fix. Idling: reporting, standing still.
            const QList<SimFix> during = m_fleet->fixes(i, s.start.addSecs(1), s.end.addSecs(-1));
            if (!s.accOn) {
                QVERIFY(during.isEmpty());
            } else {
                QVERIFY(!during.isEmpty());
                for (const SimFix &f : during) {
                    QVERIFY(f.acc);
                    QCOMPARE(f.speedKmh, 0.0);
                    QVERIFY(haversineKm(f.lat, f.lng, s.lat, s.lng) < 0.001);
                }
            }
        }
    }
    QVERIFY(overnight > m_fleet->size() * 5);
}

void TestSimFleet::alarms()
{
    SimFleetConfig c = fleetConfig(200, 5);
    const SimFleet fleet(c);
    const QDateTime from = c.epoch;
    const QDateTime to = c.epoch.addDays(14);
    static const QSet<QString> types = {QStringLiteral("1"),  QStringLiteral("2"), QStringLiteral("3"),
                                        QStringLiteral("4"),  QStringLiteral("5"), QStringLiteral("6"),
                                        QStringLiteral("41"), QStringLiteral("48")};
    QHash<QString, int> counts;
    for (int i = 0; i < fleet.size(); ++i) {
        const QList<SimAlarm> alarms = fleet.alarms(i, from, to);
        const QList<SimTrip> trips = fleet.trips(i, from, to);
        for (qsizetype k = 0; k < alarms.size(); ++k) {
            const SimAlarm &a = alarms[k];
            counts[a.typeId] += 1;
            QVERIFY2(types.contains(a.typeId), qPrintable(a.typeId));
            QCOMPARE(a.typeName, Fleet::alarmTypeText(a.typeId));
            QVERIFY(a.time >= from && a.time <= to);
            QCOMPARE(a.time.toMSecsSinceEpoch() % 1000, 0);
            if (k > 0)
                QVERIFY(alarms[k - 1].time <= a.time);
            QVERIFY(haversineKm(c.centreLat, c.centreLng, a.lat, a.lng) < kMaxRadiusKm);
            QVERIFY(a.speedKmh >= 0 && a.speedKmh <= 130);
            const bool fence = a.typeId == QLatin1String("4") || a.typeId == QLatin1String("5");
            QCOMPARE(!a.fenceId.isEmpty(), fence);
            if (fence)
                QVERIFY(fleet.device(i).groupName.endsWith(QLatin1String("depot"))
                        || fleet.device(i).groupName == QLatin1String("Trucks"));

            // The alarm is where the vehicle was: near its last fix, exactly
            // at it when parked.
            const auto fix = fleet.lastFix(i, a.time);
            QVERIFY(fix);
            const double gapKm = haversineKm(a.lat, a.lng, fix->lat, fix->lng);
            QVERIFY2(gapKm < 1.2, qPrintable(QStringLiteral("%1 %2 km").arg(a.typeId).arg(gapKm)));
            if (!fix->acc)
                QVERIFY(gapKm < 0.001);

            const bool driving = a.typeId == QLatin1String("6") || a.typeId == QLatin1String("41")
                || a.typeId == QLatin1String("48");
            if (a.typeId == QLatin1String("2") || a.typeId == QLatin1String("3")) {
                QCOMPARE(a.speedKmh, 0.0);
                QVERIFY(!fix->acc);
            }
            if (driving) {
                const auto trip = std::find_if(trips.begin(), trips.end(),
                                               [&](const SimTrip &t) { return t.start <= a.time && a.time <= t.end; });
                QVERIFY(trip != trips.end());
                QVERIFY(a.speedKmh <= trip->maxSpeedKmh + 1e-6);
            }
            if (a.typeId == QLatin1String("6"))
                QVERIFY2(a.speedKmh > 60, qPrintable(QString::number(a.speedKmh)));
            if (a.typeId == QLatin1String("48"))
                QVERIFY(a.speedKmh > 15);
        }
    }
    qInfo() << "alarms in 2800 vehicle-days:" << counts;
    for (const char *type : {"3", "4", "5", "6", "41", "48"})
        QVERIFY2(counts.value(QLatin1String(type)) > 0, type);
    // SOS is rare: a handful per thousand vehicle-days.
    QVERIFY(counts.value(QStringLiteral("1")) < 40);
    QVERIFY(counts.value(QStringLiteral("4")) == counts.value(QStringLiteral("5")));
}

void TestSimFleet::offlineAndExpired()
{
    SimFleetConfig c = fleetConfig(300, 3);
    c.expiredShare = 0.05;
    c.offlineShare = 0.1;
    const SimFleet fleet(c);
    const QDateTime end = c.epoch.addDays(40);
    int offline = 0;
    int expired = 0;
    int never = 0;
    for (int i = 0; i < fleet.size(); ++i) {
        const SimDevice &d = fleet.device(i);
        if (d.neverFixed) {
            ++never;
            for (int h = 0; h < 40 * 24; h += 7) {
                const QDateTime t = c.epoch.addSecs(h * 3600);
                QVERIFY(!fleet.lastFix(i, t));
                QVERIFY(!fleet.isOnline(i, t));
                QVERIFY(!fleet.lastHeartbeat(i, t).isValid());
            }
            QVERIFY(fleet.fixes(i, c.epoch, end).isEmpty());
            QVERIFY(fleet.trips(i, c.epoch, end).isEmpty());
            QVERIFY(fleet.stops(i, c.epoch, end).isEmpty());
            QVERIFY(fleet.alarms(i, c.epoch, end).isEmpty());
            continue;
        }
        if (!d.offline && !d.expired)
            continue;
        const QDateTime cut = d.offline ? d.offlineSince : d.expiration;
        (d.offline ? offline : expired) += 1;
        QVERIFY(fleet.isOnline(i, cut.addSecs(-1)));
        QVERIFY(!fleet.isOnline(i, cut));
        QVERIFY(!fleet.isOnline(i, end));
        QVERIFY(fleet.lastHeartbeat(i, end) < cut);
        QVERIFY(fleet.lastHeartbeat(i, end) >= cut.addSecs(-180));
        QVERIFY(fleet.fixes(i, cut, end).isEmpty());
        QVERIFY(fleet.trips(i, cut, end).isEmpty());
        QVERIFY(fleet.alarms(i, cut, end).isEmpty());
        for (const SimStop &s : fleet.stops(i, c.epoch, end))
            QVERIFY(s.end <= cut);
        // Parked at home with the last fix before the cut.
        const auto last = fleet.lastFix(i, end);
        QVERIFY(last);
        QVERIFY(last->gpsTime < cut);
        QVERIFY(!last->acc);
        const QList<SimFix> before = fleet.fixes(i, c.epoch, cut);
        QVERIFY(!before.isEmpty());
        QVERIFY(sameFix(before.last(), *last));
    }
    QVERIFY(offline > 10);
    QVERIFY(expired > 10);
    QVERIFY(never > 3);
}

void TestSimFleet::lastFixMatchesFixes()
{
    int compared = 0;
    for (int i = 0; i < m_fleet->size(); i += 3) {
        for (qint64 s = 0; s < 5 * kDay; s += 37 * 60 + 11) {
            const QDateTime t = m_config.epoch.addSecs(s);
            const QList<SimFix> window = m_fleet->fixes(i, t.addDays(-1), t);
            const auto last = m_fleet->lastFix(i, t);
            if (window.isEmpty())
                continue;
            QVERIFY(last);
            QVERIFY2(sameFix(*last, window.last()), qPrintable(t.toString(Qt::ISODate)));
            ++compared;
        }
    }
    QVERIFY(compared > 1000);
}

void TestSimFleet::heartbeats()
{
    for (int i = 0; i < m_fleet->size(); ++i) {
        const SimDevice &d = m_fleet->device(i);
        for (qint64 s = 0; s < 3 * kDay; s += 997) {
            const QDateTime t = m_config.epoch.addSecs(s);
            const QDateTime hb = m_fleet->lastHeartbeat(i, t);
            if (!active(d, t)) {
                QVERIFY(!m_fleet->isOnline(i, t));
                continue;
            }
            QVERIFY(m_fleet->isOnline(i, t));
            if (!hb.isValid()) {
                QVERIFY(s < 180);
                continue;
            }
            QVERIFY(hb <= t);
            QVERIFY(hb.secsTo(t) < 180);
            QCOMPARE(m_fleet->lastHeartbeat(i, hb), hb);
            QCOMPARE(m_fleet->lastHeartbeat(i, hb.addSecs(-1)), hb.addSecs(-180));
        }
    }
}

void TestSimFleet::timeZones_data()
{
    QTest::addColumn<double>("lat");
    QTest::addColumn<double>("lng");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QDateTime>("epoch");
    const auto utc = [](int y, int m, int d, int h, int mi, int s) {
        return QDateTime(QDate(y, m, d), QTime(h, mi, s), QTimeZone::utc());
    };
    QTest::newRow("Paris, midnight UTC") << 48.8566 << 2.3522 << 3600 << utc(2026, 1, 1, 0, 0, 0);
    QTest::newRow("New York, odd epoch") << 40.7128 << -74.0060 << -5 * 3600 << utc(2026, 3, 10, 13, 37, 21);
    QTest::newRow("Shenzhen, 04:00 local") << 22.5431 << 114.0579 << 8 * 3600 << utc(2025, 12, 31, 20, 0, 0);
    QTest::newRow("London, summer") << 51.5074 << -0.1278 << 0 << utc(2026, 6, 15, 0, 0, 0);
}

void TestSimFleet::timeZones()
{
    QFETCH(double, lat);
    QFETCH(double, lng);
    QFETCH(int, offset);
    QFETCH(QDateTime, epoch);
    SimFleetConfig c = fleetConfig(40, 21);
    c.centreLat = lat;
    c.centreLng = lng;
    c.utcOffsetSecs = offset;
    c.epoch = epoch;
    const SimFleet fleet(c);
    const QDateTime end = epoch.addDays(10);
    for (int i = 0; i < fleet.size(); ++i) {
        if (fleet.device(i).neverFixed)
            continue;
        const QList<SimStop> stops = fleet.stops(i, epoch, end);
        const QList<SimTrip> trips = fleet.trips(i, epoch, end);
        // The window may end during a trip, before the stop that follows it.
        const bool driving = !trips.isEmpty() && trips.last().end > end;
        QCOMPARE(stops.size(), trips.size() + (driving ? 0 : 1));
        QCOMPARE(stops.first().start, epoch);
        QVERIFY(fleet.fixes(i, epoch, epoch).size() == 1);
        for (const SimTrip &t : trips) {
            QVERIFY(t.start >= epoch.addSecs(3600));
            const QTime start = t.start.toOffsetFromUtc(offset).time();
            const QTime finish = t.end.toOffsetFromUtc(offset).time();
            QVERIFY2(start >= QTime(5, 30) && finish <= QTime(22, 0),
                     qPrintable(t.start.toOffsetFromUtc(offset).toString(Qt::ISODate)));
            QCOMPARE(t.start.toOffsetFromUtc(offset).date(), t.end.toOffsetFromUtc(offset).date());
        }
        for (const SimFix &f : fleet.fixes(i, epoch, end))
            QVERIFY(haversineKm(lat, lng, f.lat, f.lng) < kMaxRadiusKm);
        for (QDate date = epoch.toOffsetFromUtc(offset).date(); date < end.date(); date = date.addDays(1)) {
            const QDateTime night = local(c, date, 3);
            if (night < epoch || !active(fleet.device(i), night))
                continue;
            const auto fix = fleet.lastFix(i, night);
            QVERIFY(fix && !fix->acc);
        }
    }
}

void TestSimFleet::cacheEvictionKeepsAnswers()
{
    // Far more vehicle-days than the plan cache holds: answers must not
    // depend on what was evicted or in which order things were asked.
    const SimFleetConfig c = fleetConfig(50, 13);
    SimFleet a(c);
    SimFleet b(c);
    const QDateTime from = c.epoch.addDays(1);
    const QDateTime to = c.epoch.addDays(3);
    QList<QList<SimTrip>> trips;
    QList<QList<SimAlarm>> alarms;
    for (int i = 0; i < a.size(); ++i) {
        trips.append(a.trips(i, from, to));
        alarms.append(a.alarms(i, from, to));
    }
    for (int day = 0; day < 70; ++day) {
        for (int i = 0; i < a.size(); ++i)
            a.lastFix(i, c.epoch.addDays(day).addSecs(13 * 3600));
    }
    for (int i = b.size() - 1; i >= 0; --i) {
        QVERIFY(sameList(a.trips(i, from, to), trips[i], sameTrip));
        QVERIFY(sameList(a.alarms(i, from, to), alarms[i], sameAlarm));
        QVERIFY(sameList(b.trips(i, from, to), trips[i], sameTrip));
        QVERIFY(sameList(a.fixes(i, from, to), b.fixes(i, from, to), sameFix));
        const QDateTime late = c.epoch.addDays(65).addSecs(11 * 3600);
        QVERIFY(sameList(a.fixes(i, late.addDays(-1), late), b.fixes(i, late.addDays(-1), late), sameFix));
    }
}

void TestSimFleet::odometerDoesNotDependOnTheOrderOfQueries()
{
    // The odometer is kept at checkpoints (every 32 days) and recomputed in
    // between: whatever is asked first, every reading is bit-identical.
    const SimFleetConfig c = fleetConfig(12, 5);
    const SimFleet forward(c);
    const SimFleet scrambled(c);
    const QList<int> days = {3, 31, 32, 33, 63, 64, 65, 100, 130, 200};
    QList<int> order = days;
    std::reverse(order.begin(), order.end());
    std::rotate(order.begin(), order.begin() + 4, order.end());
    QHash<int, QList<SimFix>> scrambledFixes;
    for (int day : std::as_const(order)) {
        for (int i = 0; i < scrambled.size(); ++i) {
            const auto fix = scrambled.lastFix(i, local(c, c.epoch.date().addDays(day), 18));
            if (fix)
                scrambledFixes[day].append(*fix);
        }
    }
    int compared = 0;
    for (int day : days) {
        QList<SimFix> fixes;
        for (int i = 0; i < forward.size(); ++i) {
            const auto fix = forward.lastFix(i, local(c, c.epoch.date().addDays(day), 18));
            if (fix)
                fixes.append(*fix);
        }
        QVERIFY(sameList(fixes, scrambledFixes.value(day), sameFix));
        compared += int(fixes.size());
    }
    QVERIFY(compared > 80);
}

void TestSimFleet::nothingHappensPastTheHorizon()
{
    const SimFleetConfig c = fleetConfig(20, 8);
    const SimFleet fleet(c);
    const QDateTime horizon = fleet.horizon();
    QCOMPARE(horizon, local(c, c.epoch.toOffsetFromUtc(c.utcOffsetSecs).date().addDays(SimFleet::kHorizonDays), 0));
    const QDateTime farFuture(QDate(9999, 12, 31), QTime(12, 0), QTimeZone::utc());

    QElapsedTimer timer;
    timer.start();
    int active = 0;
    for (int i = 0; i < fleet.size(); ++i) {
        const SimDevice &d = fleet.device(i);
        QVERIFY(!fleet.isOnline(i, horizon));
        QVERIFY(!fleet.isOnline(i, farFuture));
        QVERIFY(fleet.fixes(i, horizon, farFuture).isEmpty());
        QVERIFY(fleet.trips(i, horizon, farFuture).isEmpty());
        QVERIFY(fleet.alarms(i, horizon, farFuture).isEmpty());
        QVERIFY(fleet.stops(i, horizon.addSecs(1), farFuture).isEmpty());
        QVERIFY(fleet.lastHeartbeat(i, farFuture) < horizon);
        if (d.neverFixed || d.offline || d.expired) {
            QVERIFY(!fleet.isOnline(i, horizon.addSecs(-1)));
            continue;
        }
        ++active;
        QVERIFY(fleet.isOnline(i, horizon.addSecs(-1)));
        // The last fix is the one before the horizon, parked: a far-future
        // question costs no more than one about the horizon.
        const auto last = fleet.lastFix(i, farFuture);
        QVERIFY(last);
        QVERIFY(last->gpsTime < horizon);
        QVERIFY(!last->acc);
        QVERIFY(sameFix(*last, *fleet.lastFix(i, horizon)));
        // The last stay at home ends with the horizon.
        const QList<SimStop> stops = fleet.stops(i, horizon.addDays(-3), farFuture);
        QVERIFY(!stops.isEmpty());
        QCOMPARE(stops.last().end, horizon);
        QVERIFY(!stops.last().accOn);
    }
    QVERIFY(active > 10);
    QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));

    // Before the epoch nothing either.
    const QDateTime farPast(QDate(1000, 1, 1), QTime(0, 0), QTimeZone::utc());
    QVERIFY(!fleet.lastFix(0, farPast));
    QVERIFY(fleet.fixes(0, farPast, c.epoch.addSecs(-1)).isEmpty());
    QVERIFY(!fleet.isOnline(0, farPast));
}

QTEST_GUILESS_MAIN(TestSimFleet)
#include "tst_simfleet.moc"
