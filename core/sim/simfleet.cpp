#include "sim/simfleet.h"

#include "sim/dayplan.h"
#include "sim/dayschedule.h"
#include "sim/roadnetwork.h"
#include "sim/simrandom.h"
#include "sim/vehicleprofile.h"

#include "domain/alarm.h"
#include "util/utc.h"

#include <QHash>
#include <QMutex>
#include <QMutexLocker>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <numbers>
#include <numeric>
#include <unordered_map>

namespace Fleet::Sim {

namespace {

constexpr qint64 kDay = 86400;
constexpr int kHeartbeatSecs = 180;
constexpr int kJobSiteCount = 2000;
// How far stops() looks ahead for the morning that ends a stay at home.
constexpr int kStayLookaheadDays = 60;
// Odometer checkpoints: one every this many days.
constexpr int kOdometerStride = 32;

qint64 floorDiv(qint64 a, qint64 b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

enum class Role { Normal, Expired, Offline, NeverFixed };
enum class Base { Depot, Homes, Yard };

struct GroupSpec
{
    const char *name;
    Base base;
    double bearing; // of the depot from the centre, degrees
};
// The first three always exist, the others with larger fleets of groups.
constexpr GroupSpec kGroupSpecs[] = {
    {"North depot", Base::Depot, 0}, {"South depot", Base::Depot, 180}, {"Vans", Base::Homes, 0},
    {"Trucks", Base::Yard, 0},       {"East depot", Base::Depot, 90},   {"West depot", Base::Depot, 270},
};

struct VehicleModel
{
    const char16_t *name;
    const char *icon;
    const char *wmi; // VIN manufacturer prefix
};
constexpr VehicleModel kVehicleModels[] = {
    {u"Renault Master", "van", "VF1"},
    {u"Ford Transit", "van", "WF0"},
    {u"Mercedes-Benz Sprinter", "van", "W1V"},
    {u"Citro\u00ebn Jumpy", "van", "VF7"},
    {u"Peugeot Partner", "van", "VF3"},
    {u"Iveco Daily", "van", "ZCF"},
    {u"Renault Trucks D", "truck", "VF6"},
    {u"Volvo FL", "truck", "YV2"},
    {u"MAN TGL", "truck", "WMA"},
    {u"DAF LF", "truck", "XLR"},
    {u"Peugeot 308", "car", "VF3"},
    {u"Renault Clio", "car", "VF1"},
    {u"Toyota Corolla", "car", "SB1"},
    {u"Skoda Octavia", "car", "TMB"},
    {u"Mercedes-Benz Citaro", "bus", "WEB"},
    {u"Iveco Crossway", "bus", "VNE"},
};

struct TrackerModel
{
    const char *name;
    int weight;
    bool dashcam;
};
constexpr TrackerModel kTrackerModels[] = {
    {"GT06N", 22, false}, {"JM-VL02", 18, false}, {"VL802", 18, false}, {"X3", 12, false},
    {"AT4", 8, false},    {"JC400", 12, true},    {"JC450", 10, true},
};

constexpr const char16_t *kFirstNames[] = {u"Lucas",      u"Emma",      u"Hugo",   u"L\u00e9a", u"Louis",
                                           u"Chlo\u00e9", u"Nathan",    u"Manon",  u"Karim",    u"Sofia",
                                           u"Thomas",     u"In\u00e8s", u"Julien", u"Camille",  u"Mehdi",
                                           u"Sarah",      u"Antoine",   u"Julie",  u"Pierre",   u"Amina"};
constexpr const char16_t *kLastNames[] = {u"Martin",  u"Bernard",  u"Dubois",   u"Thomas", u"Robert",
                                          u"Richard", u"Petit",    u"Durand",   u"Leroy",  u"Moreau",
                                          u"Simon",   u"Laurent",  u"Lefebvre", u"Michel", u"Garcia",
                                          u"Benali",  u"Rousseau", u"Fontaine", u"Nguyen", u"Diallo"};

QString digits(SimRandom &rng, int n)
{
    QString s;
    s.reserve(n);
    for (int i = 0; i < n; ++i)
        s.append(QChar(u'0' + rng.range(0, 9)));
    return s;
}

// Luhn check digit, as IMEIs and ICCIDs carry.
QChar luhn(const QString &body)
{
    int sum = 0;
    bool twice = true;
    for (qsizetype i = body.size() - 1; i >= 0; --i) {
        int d = body.at(i).digitValue();
        if (twice) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return QChar(u'0' + (10 - sum % 10) % 10);
}

QString letters(SimRandom &rng, int n, const char *alphabet)
{
    const int size = int(std::strlen(alphabet));
    QString s;
    for (int i = 0; i < n; ++i)
        s.append(QLatin1Char(alphabet[rng.range(0, size - 1)]));
    return s;
}

// 17 characters without I, O, Q, with the check digit in position 9.
QString makeVin(SimRandom &rng, const char *wmi)
{
    static constexpr char kChars[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    QString vin = QLatin1String(wmi) + letters(rng, 5, kChars) + QLatin1Char('0') + letters(rng, 1, "LMNPRS")
        + letters(rng, 1, kChars) + digits(rng, 6);
    // Letters count as digits by the standard transliteration (A=1 ... Z=9).
    static constexpr char kTransliteration[] = "0123456789.ABCDEFGH..JKLMN.P.R..STUVWXYZ";
    static constexpr int kWeights[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        const char c = char(vin.at(i).toLatin1());
        int value = 0;
        if (c >= '0' && c <= '9')
            value = c - '0';
        else
            value = int(std::strchr(kTransliteration, c) - kTransliteration) % 10;
        sum += value * kWeights[i];
    }
    const int check = sum % 11;
    vin[8] = check == 10 ? QLatin1Char('X') : QChar(u'0' + check);
    return vin;
}

QString hex64(quint64 v)
{
    return QStringLiteral("%1").arg(v, 16, 16, QLatin1Char('0'));
}

QPointF polar(double r, double bearingDeg)
{
    const double b = bearingDeg * std::numbers::pi / 180.0;
    return {r * std::sin(b), r * std::cos(b)};
}

} // namespace

// The d-pointer's members are plain names (no m_): it is a struct that only
// SimFleet uses, and every access reads d->name.
struct SimFleet::Private
{
    explicit Private(const SimFleetConfig &c);

    int dayOf(qint64 t) const { return int(floorDiv(t - dayZero, kDay)); }
    DaySchedule::Context context(int v, int day) const;
    DaySchedule schedule(int v, int day) const { return DaySchedule::make(context(v, day)); }
    // The day's full plan, or null when the vehicle stays at home that day.
    std::shared_ptr<const DayPlan> plan(int v, int day) const;
    double odometerAtDayStart(int v, int day) const;
    double advanceOdometer(int v, int fromDay, double km, int toDay) const;
    void evictPlans() const;
    SimFix initialFix(int v) const;
    SimStop homeStop(int v, qint64 start, qint64 end) const;
    void appendNightAlarms(int v, int day, qint64 from, qint64 to, QList<SimAlarm> &out) const;
    void buildDevice(int i, Role role);

    struct Group
    {
        QString id;
        QString name;
        bool hasDepot = false;
        RoadNetwork::Site depot;
        QString depotAddress;
        QString fenceId;
    };
    struct CachedPlan
    {
        std::shared_ptr<const DayPlan> plan;
        quint64 lastUse = 0;
    };

    SimFleetConfig config;
    RoadNetwork net;
    qint64 epoch = 0;
    qint64 dayZero = 0; // local midnight starting the epoch's day, UTC seconds
    qint64 horizon = 0; // dayZero + kHorizonDays days
    int epochWeekday = 1;
    std::vector<RoadNetwork::Site> jobSites;
    std::vector<Group> groups;
    std::vector<SimDevice> devices;
    std::vector<VehicleProfile> vehicles;
    QHash<QString, int> byImei;

    // Plans are cheap to rebuild, so the cache is bounded rather than complete.
    std::size_t planCapacity = 0;
    mutable std::unordered_map<quint64, CachedPlan> plans;
    mutable quint64 useClock = 0;
    // Odometer at the start of every kOdometerStride-th day, per vehicle,
    // grown on demand, plus the last day asked for: days in between are
    // recomputed from their schedules, which are cheap (no motion).
    struct Odometer
    {
        std::vector<double> checkpoints;
        int cursorDay = -1;
        double cursorKm = 0.0;
    };
    mutable std::vector<Odometer> odometers;

    // Alarms raised on demand (raiseAlarm()), per vehicle; the only state
    // another thread may change, hence the lock.
    mutable QMutex raisedLock;
    QHash<int, QList<SimAlarm>> raised;
};

SimFleet::Private::Private(const SimFleetConfig &c)
    : config(c)
    , net(c.seed, c.centreLat, c.centreLng)
{
    const QDateTime e = c.epoch.isValid() ? c.epoch : SimFleetConfig().epoch;
    epoch = e.toSecsSinceEpoch();
    const qint64 localDay = floorDiv(epoch + c.utcOffsetSecs, kDay);
    dayZero = localDay * kDay - c.utcOffsetSecs;
    horizon = dayZero + kHorizonDays * kDay;
    epochWeekday = QDate(1970, 1, 1).addDays(localDay).dayOfWeek();

    SimRandom jobRng(SimRandom::hash(c.seed, 0x4a4f4253ULL));
    jobSites.reserve(kJobSiteCount);
    for (int i = 0; i < kJobSiteCount; ++i)
        jobSites.push_back(net.randomSite(jobRng, 25, 180));

    SimRandom groupRng(SimRandom::hash(c.seed, 0x47524f555053ULL));
    const int groupCount = groupRng.range(3, int(std::size(kGroupSpecs)));
    for (int g = 0; g < groupCount; ++g) {
        const GroupSpec &spec = kGroupSpecs[g];
        Group group;
        group.id = hex64(SimRandom::hash(c.seed, 0x474944ULL, quint64(g), 1))
            + hex64(SimRandom::hash(c.seed, 0x474944ULL, quint64(g), 2));
        group.name = QLatin1String(spec.name);
        const double bearing = spec.base == Base::Yard ? groupRng.uniform(0, 360)
                                                       : spec.bearing + groupRng.uniform(-15, 15);
        const double radius = spec.base == Base::Yard ? groupRng.uniform(11000, 14000) : groupRng.uniform(5500, 8000);
        const double driveway = groupRng.uniform(130, 220);
        if (spec.base != Base::Homes) {
            group.hasDepot = true;
            group.depot = net.siteNear(polar(radius, bearing), driveway);
            group.depotAddress = net.address(group.depot);
            group.fenceId = QString::number(1001 + g);
        }
        groups.push_back(group);
    }

    // Exactly the configured shares, spread over the fleet by a seeded shuffle.
    const int n = std::max(0, c.vehicles);
    std::vector<int> order(std::size_t(n), 0);
    std::iota(order.begin(), order.end(), 0);
    SimRandom shareRng(SimRandom::hash(c.seed, 0x534841524553ULL));
    for (int i = n - 1; i > 0; --i)
        std::swap(order[std::size_t(i)], order[std::size_t(shareRng.range(0, i))]);
    const int expired = std::clamp(int(std::lround(n * c.expiredShare)), 0, n);
    const int offline = std::clamp(int(std::lround(n * c.offlineShare)), 0, n - expired);
    const int neverFixed = int(std::lround(offline / 3.0));
    std::vector<Role> roles(std::size_t(n), Role::Normal);
    for (int i = 0; i < expired + offline; ++i) {
        roles[std::size_t(order[std::size_t(i)])] = i < expired ? Role::Expired
            : i < expired + neverFixed                          ? Role::NeverFixed
                                                                : Role::Offline;
    }

    devices.reserve(std::size_t(n));
    vehicles.reserve(std::size_t(n));
    byImei.reserve(n);
    for (int i = 0; i < n; ++i)
        buildDevice(i, roles[std::size_t(i)]);

    planCapacity = std::max<std::size_t>(2048, std::size_t(n) + std::size_t(n) / 2);
    plans.reserve(planCapacity + 1);
    odometers.resize(std::size_t(n));
}

void SimFleet::Private::buildDevice(int i, Role role)
{
    SimRandom r(SimRandom::hash(config.seed, quint64(i), 0x444556ULL));
    SimDevice d;
    d.index = i;

    const Group &group = groups[std::size_t(r.range(0, int(groups.size()) - 1))];
    const int typeRoll = r.range(0, 99);
    const char *icon = group.name == QLatin1String("Vans") ? "van"
        : group.name == QLatin1String("Trucks")            ? "truck"
        : typeRoll < 45                                    ? "van"
        : typeRoll < 75                                    ? "car"
        : typeRoll < 90                                    ? "truck"
                                                           : "bus";
    std::vector<const VehicleModel *> fitting;
    for (const VehicleModel &m : kVehicleModels) {
        if (qstrcmp(m.icon, icon) == 0)
            fitting.push_back(&m);
    }
    const VehicleModel &vehicle = *fitting[std::size_t(r.range(0, int(fitting.size()) - 1))];

    for (;;) {
        const QString body = QStringLiteral("86") + digits(r, 12);
        d.imei = body + luhn(body);
        if (!byImei.contains(d.imei))
            break;
    }
    const QLatin1String prefix = qstrcmp(icon, "truck") == 0 ? QLatin1String("TRK")
        : qstrcmp(icon, "van") == 0                          ? QLatin1String("VAN")
        : qstrcmp(icon, "bus") == 0                          ? QLatin1String("BUS")
                                                             : QLatin1String("CAR");
    d.name = prefix + QLatin1Char('-') + QString::number(i + 1).rightJustified(3, QLatin1Char('0'));

    int roll = r.range(0, 99);
    for (const TrackerModel &m : kTrackerModels) {
        if (roll < m.weight || &m == &kTrackerModels[std::size(kTrackerModels) - 1]) {
            d.model = QLatin1String(m.name);
            d.dashcam = m.dashcam;
            break;
        }
        roll -= m.weight;
    }
    d.cameraChannels = d.dashcam ? 2 : 0;

    const bool french = r.chance(0.5);
    const QString iccid = (french ? QStringLiteral("8933") : QStringLiteral("8986")) + digits(r, 15);
    d.iccid = iccid + luhn(iccid);
    d.imsi = (french ? QStringLiteral("20801") : QStringLiteral("46004")) + digits(r, 10);
    d.sim = french ? QStringLiteral("+337") + digits(r, 8) : QStringLiteral("1064") + digits(r, 9);
    d.vin = makeVin(r, vehicle.wmi);
    d.vehicleName = QString::fromUtf16(vehicle.name);
    d.vehicleIcon = QLatin1String(icon);
    static constexpr char kPlateLetters[] = "ABCDEFGHJKLMNPQRSTVWXYZ";
    d.plate = letters(r, 2, kPlateLetters) + QLatin1Char('-')
        + QString::number(r.range(1, 999)).rightJustified(3, QLatin1Char('0')) + QLatin1Char('-')
        + letters(r, 2, kPlateLetters);
    d.driverName = QString::fromUtf16(kFirstNames[r.range(0, int(std::size(kFirstNames)) - 1)]) + QLatin1Char(' ')
        + QString::fromUtf16(kLastNames[r.range(0, int(std::size(kLastNames)) - 1)]);
    d.driverPhone = QStringLiteral("+336") + digits(r, 8);
    d.groupId = group.id;
    d.groupName = group.name;
    const qint64 activation = epoch - r.range(30, 900) * kDay - r.range(0, int(kDay) - 1);
    d.activationTime = DayPlan::toDateTime(activation);
    qint64 expiration = activation + r.range(1, 5) * 365 * kDay;
    while (expiration < epoch + 400 * kDay)
        expiration += 365 * kDay;
    d.expiration = DayPlan::toDateTime(expiration);
    d.initialOdometerKm = std::round(r.uniform(3000, 180000) * 10) / 10;

    // Behaviour has its own stream, so that device facts and driving can
    // change independently.
    SimRandom p(SimRandom::hash(config.seed, quint64(i), 0x50524fULL));
    VehicleProfile v;
    v.seed = SimRandom::hash(config.seed, quint64(i), 0x564548ULL);
    const QPointF slot(p.uniform(-35, 35), p.uniform(-35, 35));
    const RoadNetwork::Site ownHome = net.randomSite(p, 30, 220);
    if (group.hasDepot) {
        v.home = net.moved(group.depot, slot);
        v.homeAddress = group.name + QStringLiteral(", ") + group.depotAddress;
        v.fenceId = group.fenceId;
        v.fenceCentre = group.depot.pos;
    } else {
        v.home = ownHome;
        v.homeAddress = net.address(ownHome);
    }
    v.shiftStartSecs = 6 * 3600 + p.range(0, 42) * 300;
    v.shiftLengthSecs = 7 * 3600 + p.range(0, 16) * 900;
    const bool saturday = p.chance(0.3);
    const bool sunday = p.chance(0.35);
    v.worksSaturday = saturday;
    v.worksSunday = saturday && sunday;
    v.aggressive = p.chance(0.15);
    const double u1 = p.uniform();
    const double u2 = p.uniform();
    const double u3 = p.uniform();
    if (v.aggressive) {
        v.driver = {1.04 + 0.08 * u1, 1.9 + 0.6 * u2, 2.4 + 0.6 * u3, 0.04, 0.05};
    } else {
        v.driver = {0.92 + 0.10 * u1, 1.2 + 0.6 * u2, 1.6 + 0.7 * u3, 0.003, 0.004};
    }
    static constexpr int kIntervals[] = {10, 15, 20, 30};
    v.fixIntervalSecs = kIntervals[p.range(0, 3)];
    v.heartbeatPhaseSecs = p.range(0, kHeartbeatSecs - 1);
    v.homeHeading = p.range(0, 359);
    v.initialOdometerKm = d.initialOdometerKm;

    const int expiryDay = p.range(2, 20);
    const int offlineDay = p.range(0, 14);
    const int cutTime = p.range(8 * 3600, 20 * 3600);
    switch (role) {
    case Role::Normal: break;
    case Role::Expired:
        v.cutoffDay = expiryDay;
        v.cutoff = dayZero + expiryDay * kDay + cutTime;
        d.expired = true;
        d.expiration = DayPlan::toDateTime(v.cutoff);
        break;
    case Role::Offline:
        v.cutoffDay = offlineDay;
        v.cutoff = std::max(dayZero + offlineDay * kDay + cutTime, epoch + 3600);
        d.offline = true;
        d.offlineSince = DayPlan::toDateTime(v.cutoff);
        break;
    case Role::NeverFixed:
        v.cutoffDay = 0;
        v.cutoff = epoch;
        v.neverFixed = true;
        d.offline = true;
        d.neverFixed = true;
        d.offlineSince = DayPlan::toDateTime(epoch);
        break;
    }
    // Nothing happens past the horizon: every query stays bounded, however
    // far in the future it asks. At local midnight every vehicle is parked.
    v.cutoffDay = std::min(v.cutoffDay, kHorizonDays);
    v.cutoff = std::min(v.cutoff, horizon);

    byImei.insert(d.imei, i);
    devices.push_back(std::move(d));
    vehicles.push_back(std::move(v));
}

DaySchedule::Context SimFleet::Private::context(int v, int day) const
{
    DaySchedule::Context ctx;
    ctx.net = &net;
    ctx.jobSites = &jobSites;
    ctx.vehicle = &vehicles[std::size_t(v)];
    ctx.day = day;
    ctx.dayStart = dayZero + day * kDay;
    ctx.weekday = int(((epochWeekday - 1 + day) % 7 + 7) % 7) + 1;
    // Devices are installed at the epoch; give them an hour before driving.
    ctx.notBefore = epoch + 3600;
    return ctx;
}

std::shared_ptr<const DayPlan> SimFleet::Private::plan(int v, int day) const
{
    if (day < 0)
        return {};
    const quint64 key = (quint64(quint32(v)) << 32) | quint32(day);
    const auto it = plans.find(key);
    if (it != plans.end()) {
        it->second.lastUse = ++useClock;
        return it->second.plan;
    }
    std::shared_ptr<const DayPlan> p;
    const DaySchedule sc = schedule(v, day);
    if (sc.worked)
        p = std::make_shared<const DayPlan>(sc, context(v, day), odometerAtDayStart(v, day));
    if (plans.size() >= planCapacity)
        evictPlans();
    plans.emplace(key, CachedPlan{p, ++useClock});
    return p;
}

void SimFleet::Private::evictPlans() const
{
    // Drop the least recently used half; amortised, that is cheap.
    std::vector<quint64> uses;
    uses.reserve(plans.size());
    for (const auto &entry : plans)
        uses.push_back(entry.second.lastUse);
    const auto mid = uses.begin() + std::ptrdiff_t(uses.size() / 2);
    std::nth_element(uses.begin(), mid, uses.end());
    const quint64 cut = *mid;
    for (auto it = plans.begin(); it != plans.end();)
        it = it->second.lastUse <= cut ? plans.erase(it) : std::next(it);
}

double SimFleet::Private::advanceOdometer(int v, int fromDay, double km, int toDay) const
{
    for (int day = fromDay; day < toDay; ++day) {
        const DaySchedule sc = schedule(v, day);
        if (sc.worked)
            km = sc.odometerAfter(km);
    }
    return km;
}

double SimFleet::Private::odometerAtDayStart(int v, int day) const
{
    // Every path sums the same days in the same order from the same start,
    // so a reading does not depend on what was asked before.
    day = std::clamp(day, 0, kHorizonDays);
    Odometer &odo = odometers[std::size_t(v)];
    if (odo.checkpoints.empty())
        odo.checkpoints.push_back(vehicles[std::size_t(v)].initialOdometerKm);
    const std::size_t checkpoint = std::size_t(day / kOdometerStride);
    while (odo.checkpoints.size() <= checkpoint) {
        const int from = int(odo.checkpoints.size() - 1) * kOdometerStride;
        odo.checkpoints.push_back(advanceOdometer(v, from, odo.checkpoints.back(), from + kOdometerStride));
    }
    int from = int(checkpoint) * kOdometerStride;
    double km = odo.checkpoints[checkpoint];
    if (odo.cursorDay >= from && odo.cursorDay <= day) {
        from = odo.cursorDay;
        km = odo.cursorKm;
    }
    km = advanceOdometer(v, from, km, day);
    odo.cursorDay = day;
    odo.cursorKm = km;
    return km;
}

SimFix SimFleet::Private::initialFix(int v) const
{
    const VehicleProfile &vp = vehicles[std::size_t(v)];
    return DayPlan::makeFix(net, vp, epoch, vp.home.pos, 0, vp.homeHeading, false, vp.initialOdometerKm);
}

SimStop SimFleet::Private::homeStop(int v, qint64 start, qint64 end) const
{
    const VehicleProfile &vp = vehicles[std::size_t(v)];
    SimStop stop;
    stop.start = DayPlan::toDateTime(start);
    stop.end = DayPlan::toDateTime(end);
    stop.accOn = false;
    net.toLatLng(vp.home.pos, &stop.lat, &stop.lng);
    stop.address = vp.homeAddress;
    return stop;
}

void SimFleet::Private::appendNightAlarms(int v, int day, qint64 from, qint64 to, QList<SimAlarm> &out) const
{
    // Parked at home between 00:30 and 04:30: someone bumps the vehicle, or
    // the tracker loses main power.
    const VehicleProfile &vp = vehicles[std::size_t(v)];
    SimRandom r(SimRandom::hash(vp.seed, quint64(day), 0x4e49474854ULL));
    const qint64 dayStart = dayZero + day * kDay;
    const bool vibration = r.chance(0.012);
    const qint64 vibrationAt = dayStart + r.range(1800, 16200);
    const bool powerCut = r.chance(0.002);
    const qint64 powerCutAt = dayStart + r.range(1800, 16200);
    if (vibration && vibrationAt >= from && vibrationAt <= to)
        out.append(DayPlan::makeAlarm(net, 3, vibrationAt, vp.home.pos, 0, QString()));
    if (powerCut && powerCutAt >= from && powerCutAt <= to)
        out.append(DayPlan::makeAlarm(net, 2, powerCutAt, vp.home.pos, 0, QString()));
}

SimFleet::SimFleet(const SimFleetConfig &config)
    : d(std::make_unique<Private>(config))
{ }

SimFleet::~SimFleet() = default;

const RoadNetwork &SimFleet::roads() const
{
    return d->net;
}

QDateTime SimFleet::horizon() const
{
    return DayPlan::toDateTime(d->horizon);
}

const SimFleetConfig &SimFleet::config() const
{
    return d->config;
}

int SimFleet::size() const
{
    return int(d->devices.size());
}

const SimDevice &SimFleet::device(int index) const
{
    Q_ASSERT(index >= 0 && index < size());
    return d->devices[std::size_t(index)];
}

int SimFleet::indexOf(const QString &imei) const
{
    return d->byImei.value(imei, -1);
}

std::optional<SimFix> SimFleet::lastFix(int index, const QDateTime &t) const
{
    if (index < 0 || index >= size() || !t.isValid())
        return std::nullopt;
    const VehicleProfile &vp = d->vehicles[std::size_t(index)];
    qint64 at = t.toSecsSinceEpoch();
    if (vp.neverFixed || at < d->epoch)
        return std::nullopt;
    at = std::min(at, vp.cutoff - 1);
    for (int day = d->dayOf(at); day >= 0; --day) {
        if (const auto p = d->plan(index, day)) {
            if (auto fix = p->lastFix(at))
                return fix;
        }
    }
    return d->initialFix(index);
}

QList<SimFix> SimFleet::fixes(int index, const QDateTime &from, const QDateTime &to) const
{
    QList<SimFix> out;
    if (index < 0 || index >= size() || !from.isValid() || !to.isValid())
        return out;
    const VehicleProfile &vp = d->vehicles[std::size_t(index)];
    const qint64 f = std::max(from.toSecsSinceEpoch(), d->epoch);
    const qint64 l = std::min(to.toSecsSinceEpoch(), vp.cutoff - 1);
    if (vp.neverFixed || f > l)
        return out;
    if (f == d->epoch)
        out.append(d->initialFix(index));
    for (int day = std::max(0, d->dayOf(f)); day <= d->dayOf(l); ++day) {
        if (const auto p = d->plan(index, day))
            p->appendFixes(f, l, out);
    }
    return out;
}

QDateTime SimFleet::lastHeartbeat(int index, const QDateTime &t) const
{
    if (index < 0 || index >= size() || !t.isValid())
        return {};
    const VehicleProfile &vp = d->vehicles[std::size_t(index)];
    if (vp.neverFixed)
        return {};
    const qint64 first = d->epoch + vp.heartbeatPhaseSecs;
    const qint64 last = std::min(t.toSecsSinceEpoch(), vp.cutoff - 1);
    if (last < first)
        return {};
    return DayPlan::toDateTime(first + (last - first) / kHeartbeatSecs * kHeartbeatSecs);
}

bool SimFleet::isOnline(int index, const QDateTime &t) const
{
    if (index < 0 || index >= size() || !t.isValid())
        return false;
    const VehicleProfile &vp = d->vehicles[std::size_t(index)];
    const qint64 at = t.toSecsSinceEpoch();
    return !vp.neverFixed && at >= d->epoch && at < vp.cutoff;
}

QList<SimTrip> SimFleet::trips(int index, const QDateTime &from, const QDateTime &to) const
{
    QList<SimTrip> out;
    if (index < 0 || index >= size() || !from.isValid() || !to.isValid())
        return out;
    const VehicleProfile &vp = d->vehicles[std::size_t(index)];
    const qint64 f = std::max(from.toSecsSinceEpoch(), d->epoch);
    const qint64 l = std::min(to.toSecsSinceEpoch(), vp.cutoff - 1);
    if (vp.neverFixed || f > l)
        return out;
    for (int day = std::max(0, d->dayOf(f)); day <= d->dayOf(l); ++day) {
        if (const auto p = d->plan(index, day))
            p->appendTrips(f, l, out);
    }
    return out;
}

QList<SimStop> SimFleet::stops(int index, const QDateTime &from, const QDateTime &to) const
{
    QList<SimStop> out;
    if (index < 0 || index >= size() || !from.isValid() || !to.isValid())
        return out;
    const VehicleProfile &vp = d->vehicles[std::size_t(index)];
    const qint64 f = std::max(from.toSecsSinceEpoch(), d->epoch);
    const qint64 l = std::min(to.toSecsSinceEpoch(), vp.cutoff);
    if (vp.neverFixed || f > l)
        return out;
    const int first = std::max(0, d->dayOf(f));
    const int last = d->dayOf(l);

    // The stay at home that is under way when the range begins started with
    // the last arrival before it (or with the installation).
    qint64 homeSince = d->epoch;
    for (int day = first - 1; day >= 0; --day) {
        if (const auto p = d->plan(index, day)) {
            homeSince = p->lastArrival();
            break;
        }
    }
    const auto addHome = [&](qint64 start, qint64 end) {
        if (start <= l && end >= f)
            out.append(d->homeStop(index, start, end));
    };
    for (int day = first; day <= last; ++day) {
        const auto p = d->plan(index, day);
        if (!p)
            continue;
        addHome(homeSince, p->firstDeparture());
        p->appendStops(f, l, out);
        homeSince = p->lastArrival();
    }
    // ... and the stay that follows ends with the next departure, or when the
    // tracker stops reporting.
    qint64 homeUntil = std::min(vp.cutoff, d->dayZero + qint64(last + kStayLookaheadDays) * kDay);
    for (int day = last + 1; day < std::min(vp.cutoffDay, last + kStayLookaheadDays); ++day) {
        const DaySchedule sc = d->schedule(index, day);
        if (sc.worked) {
            homeUntil = sc.departure;
            break;
        }
    }
    addHome(homeSince, homeUntil);
    return out;
}

QList<SimAlarm> SimFleet::alarms(int index, const QDateTime &from, const QDateTime &to) const
{
    QList<SimAlarm> out;
    if (index < 0 || index >= size() || !from.isValid() || !to.isValid())
        return out;
    const VehicleProfile &vp = d->vehicles[std::size_t(index)];
    const qint64 f = std::max(from.toSecsSinceEpoch(), d->epoch);
    const qint64 l = std::min(to.toSecsSinceEpoch(), vp.cutoff - 1);
    if (vp.neverFixed || f > l)
        return out;
    for (int day = std::max(0, d->dayOf(f)); day <= d->dayOf(l); ++day) {
        d->appendNightAlarms(index, day, f, l, out);
        if (const auto p = d->plan(index, day))
            p->appendAlarms(f, l, out);
    }
    {
        const QMutexLocker lock(&d->raisedLock);
        for (const SimAlarm &a : d->raised.value(index)) {
            const qint64 t = a.time.toSecsSinceEpoch();
            if (t >= f && t <= l)
                out.append(a);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const SimAlarm &a, const SimAlarm &b) { return a.time < b.time; });
    if (d->devices[std::size_t(index)].dashcam) {
        // A message counter of 16 bits, as JT/T 808 has: a function of the
        // alarm alone, so every window numbers it the same.
        for (SimAlarm &a : out) {
            quint64 h = quint64(a.time.toSecsSinceEpoch());
            for (const QChar c : std::as_const(a.typeId))
                h = h * 31 + c.unicode();
            a.serialNo = int(SimRandom::hash(d->config.seed, h) % 65536);
            a.mediaFile = simEventFileKey(d->devices[std::size_t(index)].imei, a.time, a.typeId, true);
        }
    }
    return out;
}

QString simEventFileKey(const QString &imei, const QDateTime &alarmTime, const QString &typeId, bool video)
{
    return QStringLiteral("%1_EVENT_%2_%3_1.%4")
        .arg(imei, alarmTime.toUTC().toString(QStringLiteral("yyyy_MM_dd_HH_mm_ss")), typeId,
             video ? QStringLiteral("mp4") : QStringLiteral("jpg"));
}

bool SimFleet::hasAlarmSerial(int index, int serialNo, const QDateTime &at, int windowSecs) const
{
    const QList<SimAlarm> recent = alarms(index, at.addSecs(-windowSecs), at);
    return std::any_of(recent.cbegin(), recent.cend(), [serialNo](const SimAlarm &a) { return a.serialNo == serialNo; });
}

bool SimFleet::raiseAlarm(int index, const QString &typeId, const QDateTime &at)
{
    if (index < 0 || index >= size() || typeId.isEmpty() || !at.isValid())
        return false;
    const std::optional<SimFix> fix = lastFix(index, at);
    if (!fix)
        return false;
    SimAlarm a;
    a.time = Utc::fromSecs(at.toSecsSinceEpoch());
    a.typeId = typeId;
    a.typeName = Fleet::alarmTypeText(typeId);
    a.lat = fix->lat;
    a.lng = fix->lng;
    // Where it was, at the speed it had.
    a.speedKmh = fix->speedKmh;
    const QMutexLocker lock(&d->raisedLock);
    d->raised[index].append(a);
    return true;
}

} // namespace Fleet::Sim
