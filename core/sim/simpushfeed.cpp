#include "simpushfeed.h"

#include "sim/simfleet.h"
#include "sim/simrandom.h"
#include "sim/simsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace Fleet::Sim {

using Push::Endpoint;

namespace {

// Tags of the random streams: every decision draws from a stream of its own,
// so adding one never shifts another.
constexpr quint64 kPhaseTag = 0x5048415345ULL;
constexpr quint64 kValueTag = 0x56414c5545ULL;
constexpr quint64 kPickTag = 0x5049434bULL;
constexpr quint64 kDeviceTag = 0x444556ULL;
constexpr double kTwoPi = 6.283185307179586;

QString timeText(qint64 secs)
{
    return SimSupport::formatTime(Utc::fromSecs(secs));
}

QString timeText(const QDateTime &t)
{
    return SimSupport::formatTime(t);
}

// "BCD format" of the trip report: yyMMddHHmmss, UTC like every push time.
QString compactTime(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyMMddHHmmss"));
}

double rounded(double v, int decimals)
{
    const double f = std::pow(10.0, decimals);
    return std::round(v * f) / f;
}

// Calls fn(t) for every t in (from, to] with t = phase + k * period.
template<typename Fn>
void onGrid(qint64 from, qint64 to, int period, int phase, Fn &&fn)
{
    qint64 t = from + 1;
    const qint64 offset = ((t - phase) % period + period) % period;
    if (offset != 0)
        t += period - offset;
    for (; t <= to; t += period)
        fn(t);
}

// Models whose GNSS module also uses BeiDou (status bit 19).
bool usesBeidou(const SimDevice &d)
{
    return d.model == QLatin1String("VL802") || d.model == QLatin1String("JC400") || d.model == QLatin1String("JC450");
}

// The push "status" bitmask (field notes §3.2): bit0 ACC, bit1 positioned,
// bit18 GPS used, bit19 BeiDou used.
qint64 gpsStatus(const SimDevice &d, bool acc)
{
    qint64 s = (1 << 1) | (1 << 18);
    if (acc)
        s |= 1;
    if (usesBeidou(d))
        s |= 1 << 19;
    return s;
}

bool heavy(const SimDevice &d)
{
    return d.vehicleIcon == QLatin1String("truck") || d.vehicleIcon == QLatin1String("bus");
}

double litresPer100Km(const SimDevice &d)
{
    if (d.vehicleIcon == QLatin1String("truck"))
        return 28.0;
    if (d.vehicleIcon == QLatin1String("bus"))
        return 32.0;
    if (d.vehicleIcon == QLatin1String("van"))
        return 10.0;
    return 7.0;
}

// Fuel level in percent as a function of the odometer: the tank is filled
// up every rangeKm, so OBD and fuel sensor agree and the level only falls
// while driving.
double fuelLevelPct(quint64 seed, const SimDevice &d, double odometerKm)
{
    const double rangeKm = heavy(d) ? 800.0 : 550.0;
    const double offsetKm = double(SimRandom::hash(seed, quint64(d.index), kDeviceTag, 1) % 500);
    return 95.0 - 80.0 * std::fmod(odometerKm + offsetKm, rangeKm) / rangeKm;
}

QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void putPosition(QJsonObject &o, const std::optional<SimFix> &fix, bool withGpsTime)
{
    if (!fix)
        return;
    o.insert(QStringLiteral("lat"), fix->lat);
    o.insert(QStringLiteral("lng"), fix->lng);
    if (withGpsTime)
        o.insert(QStringLiteral("gpsTime"), timeText(fix->gpsTime));
}

QByteArray randomBytes(SimRandom &r, int bytes)
{
    QByteArray raw;
    for (int k = 0; k < bytes; ++k)
        raw.append(char(r.range(0, 255)));
    return raw;
}

QJsonObject gpsItem(const SimDevice &d, const SimFix &f)
{
    // The gateway stamps the fix a moment after the device took it.
    const qint64 gate = f.gpsTime.toSecsSinceEpoch() + 1 + qint64(f.gpsTime.toSecsSinceEpoch() % 3);
    return QJsonObject{
        {QStringLiteral("deviceImei"), d.imei},
        {QStringLiteral("gpsTime"), timeText(f.gpsTime)},
        {QStringLiteral("gateTime"), timeText(gate)},
        {QStringLiteral("satelliteNum"), f.satellites},
        {QStringLiteral("lng"), f.lng},
        {QStringLiteral("lat"), f.lat},
        {QStringLiteral("gpsMode"), 0},
        {QStringLiteral("gpsSpeed"), qint64(std::lround(f.speedKmh))},
        {QStringLiteral("direction"), f.course},
        {QStringLiteral("acc"), f.acc ? 1 : 0},
        {QStringLiteral("postType"), 1},
        {QStringLiteral("altitude"), f.altitudeM},
        {QStringLiteral("distance"), qint64(std::llround(f.odometerKm * 1000.0))},
        {QStringLiteral("status"), gpsStatus(d, f.acc)},
    };
}

QJsonObject flatAlarm(const SimDevice &d, const SimAlarm &a)
{
    QJsonObject o{
        {QStringLiteral("deviceImei"), d.imei},
        {QStringLiteral("alarmType"), a.typeId},
        {QStringLiteral("alarmName"), a.typeName},
        {QStringLiteral("gateTime"), timeText(a.time)},
        {QStringLiteral("lat"), a.lat},
        {QStringLiteral("lng"), a.lng},
        {QStringLiteral("gpsSpeed"), rounded(a.speedKmh, 1)},
    };
    if (!a.fenceId.isEmpty())
        o.insert(QStringLiteral("geoid"), a.fenceId);
    if (a.serialNo)
        o.insert(QStringLiteral("alarmSerialNo"), *a.serialNo);
    if (!a.mediaFile.isEmpty())
        o.insert(QStringLiteral("file"), a.mediaFile);
    return o;
}

// The IoT Hub's shape: the device's time in msg.alarmTime, the gateway's a
// little later at the top.
QJsonObject hubAlarm(const SimDevice &d, const SimAlarm &a)
{
    QJsonObject msg{
        {QStringLiteral("alertType"), a.typeId},
        {QStringLiteral("alarmTime"), timeText(a.time)},
        {QStringLiteral("lat"), a.lat},
        {QStringLiteral("lng"), a.lng},
        {QStringLiteral("gpsSpeed"), rounded(a.speedKmh, 1)},
        {QStringLiteral("deviceImei"), d.imei},
    };
    if (!a.fenceId.isEmpty())
        msg.insert(QStringLiteral("geoid"), a.fenceId);
    if (a.serialNo)
        msg.insert(QStringLiteral("alarmSerialNo"), *a.serialNo);
    if (!a.mediaFile.isEmpty())
        msg.insert(QStringLiteral("file"), a.mediaFile);
    return QJsonObject{
        {QStringLiteral("gateTime"), timeText(a.time.addSecs(2))},
        {QStringLiteral("imei"), d.imei},
        {QStringLiteral("msg"), msg},
        {QStringLiteral("msgClass"), 0},
        {QStringLiteral("type"), QStringLiteral("DEVICE")},
    };
}

QJsonObject tripItem(const SimDevice &d, const SimTrip &t, int tripSeq)
{
    // Fuel: the vehicle's consumption over the distance, plus idling at
    // about 1 L/h.
    const double fuel = t.distanceKm * litresPer100Km(d) / 100.0 + t.idleSeconds / 3600.0;
    return QJsonObject{
        {QStringLiteral("deviceImei"), d.imei},
        {QStringLiteral("gateTime"), timeText(t.end)},
        {QStringLiteral("miles"), rounded(t.distanceKm, 3)},
        {QStringLiteral("oils"), rounded(fuel, 2)},
        {QStringLiteral("idleTimes"), t.idleSeconds},
        {QStringLiteral("tripSeq"), tripSeq},
        {QStringLiteral("beginTime"), compactTime(t.start)},
        {QStringLiteral("endTime"), compactTime(t.end)},
        {QStringLiteral("beginLat"), t.startLat},
        {QStringLiteral("beginLng"), t.startLng},
        {QStringLiteral("endLat"), t.endLat},
        {QStringLiteral("endLng"), t.endLng},
        {QStringLiteral("properties"), 2},
    };
}

QString timezoneText(int utcOffsetSecs)
{
    const int minutes = std::abs(utcOffsetSecs) / 60;
    return QStringLiteral("GMT%1%2:%3")
        .arg(utcOffsetSecs < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        .arg(minutes / 60, 2, 10, QLatin1Char('0'))
        .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

bool needsDashcam(Endpoint e)
{
    return e == Endpoint::FileUpload || e == Endpoint::ResourceList || e == Endpoint::FtpUpload
        || e == Endpoint::IotHubEvent || e == Endpoint::UploadCallback;
}

// The endpoints with a rate of their own; the rest get kOtherSecs.
constexpr Endpoint kFleetEndpoints[] = {Endpoint::Gps,         Endpoint::Heartbeat, Endpoint::Alarm,
                                        Endpoint::TripReport,  Endpoint::Event,     Endpoint::Obd,
                                        Endpoint::Temperature, Endpoint::Oil,       Endpoint::Lbs};

bool hasOwnRate(Endpoint e)
{
    return std::find(std::begin(kFleetEndpoints), std::end(kFleetEndpoints), e) != std::end(kFleetEndpoints);
}

} // namespace

struct SimPushFeed::Window
{
    struct Entry
    {
        qint64 time;
        int device;
        QJsonObject item;
    };

    qint64 from;
    qint64 to;
    QMap<Endpoint, QList<Entry>> entries;

    void add(Endpoint e, qint64 time, int device, QJsonObject item)
    {
        entries[e].append(Entry{time, device, std::move(item)});
    }
};

SimPushFeed::SimPushFeed(const SimFleet &fleet, bool everyEndpoint)
    : m_fleet(fleet)
    , m_everyEndpoint(everyEndpoint)
    , m_seed(fleet.config().seed)
{ }

QList<Endpoint> SimPushFeed::endpoints() const
{
    QList<Endpoint> list;
    for (Endpoint e : Push::allEndpoints()) {
        if (m_everyEndpoint || hasOwnRate(e))
            list.append(e);
    }
    return list;
}

QList<SimPushBatch> SimPushFeed::collect(const QDateTime &from, const QDateTime &to) const
{
    QList<SimPushBatch> out;
    if (!from.isValid() || !to.isValid() || to <= from)
        return out;
    Window w{from.toSecsSinceEpoch(), to.toSecsSinceEpoch(), {}};
    for (int i = 0; i < m_fleet.size(); ++i)
        collectDevice(w, i);
    if (m_everyEndpoint)
        collectOthers(w);
    for (Endpoint e : Push::allEndpoints()) {
        const auto it = w.entries.find(e);
        if (it == w.entries.end())
            continue;
        QList<Window::Entry> &list = *it;
        std::stable_sort(list.begin(), list.end(), [](const Window::Entry &a, const Window::Entry &b) {
            return a.time != b.time ? a.time < b.time : a.device < b.device;
        });
        SimPushBatch batch{e, {}};
        batch.items.reserve(list.size());
        for (Window::Entry &entry : list)
            batch.items.append(std::move(entry.item));
        out.append(std::move(batch));
    }
    return out;
}

void SimPushFeed::collectDevice(Window &w, int index) const
{
    const SimDevice &d = m_fleet.device(index);
    const QDateTime from = Utc::fromSecs(w.from + 1);
    const QDateTime to = Utc::fromSecs(w.to);
    const auto phase = [this, index](Endpoint e, int period) {
        return int(SimRandom::hash(m_seed, quint64(index), kPhaseTag, quint64(e)) % quint64(period));
    };
    const auto values = [this, index](Endpoint e, qint64 t) {
        return SimRandom(SimRandom::hash(m_seed, quint64(index), quint64(t), kValueTag + quint64(e)));
    };
    const auto online = [this, index](qint64 t) { return m_fleet.isOnline(index, Utc::fromSecs(t)); };

    const QList<SimFix> fixes = m_fleet.fixes(index, from, to);
    for (const SimFix &f : fixes)
        w.add(Endpoint::Gps, f.gpsTime.toSecsSinceEpoch(), index, gpsItem(d, f));

    // Heartbeats, found newest first.
    for (QDateTime t = to;;) {
        const QDateTime hb = m_fleet.lastHeartbeat(index, t);
        if (!hb.isValid() || hb.toSecsSinceEpoch() <= w.from)
            break;
        const qint64 at = hb.toSecsSinceEpoch();
        const std::optional<SimFix> fix = m_fleet.lastFix(index, hb);
        const bool acc = fix && fix->acc;
        SimRandom r = values(Endpoint::Heartbeat, at);
        // On vehicle power the backup battery charges while the engine runs.
        w.add(Endpoint::Heartbeat, at, index,
              QJsonObject{
                  {QStringLiteral("deviceImei"), d.imei},
                  {QStringLiteral("gateTime"), timeText(at)},
                  {QStringLiteral("powerLevel"), acc ? 100 : r.range(72, 100)},
                  {QStringLiteral("gsmSign"), r.range(40, 100)},
                  {QStringLiteral("acc"), acc ? 1 : 0},
                  {QStringLiteral("powerStatus"), acc ? 1 : 0},
                  {QStringLiteral("fortify"), acc ? 0 : 1},
                  {QStringLiteral("oilEle"), 0},
                  {QStringLiteral("gpsPos"), fix ? 1 : 0},
              });
        t = hb.addSecs(-1);
    }

    const QList<SimAlarm> alarms = m_fleet.alarms(index, from, to);
    for (const SimAlarm &a : alarms)
        w.add(Endpoint::Alarm, a.time.toSecsSinceEpoch(), index, index % 2 == 0 ? flatAlarm(d, a) : hubAlarm(d, a));

    const QList<SimTrip> trips = m_fleet.trips(index, Utc::fromSecs(w.from + 1 - kTripLookbackSecs), to);
    for (const SimTrip &t : trips) {
        const qint64 end = t.end.toSecsSinceEpoch();
        if (end <= w.from || end > w.to)
            continue;
        // The device numbers its trips per (UTC) day.
        const QDateTime dayStart = Utc::dateTime(t.start.date(), QTime(0, 0));
        const int seq = int(m_fleet.trips(index, dayStart, t.start).size());
        w.add(Endpoint::TripReport, end, index, tripItem(d, t, seq));
    }

    // Online is one interval (installation to cut-off), so a window holds at
    // most one change; bisect for its first second.
    const bool wasOnline = online(w.from);
    if (online(w.to) != wasOnline) {
        qint64 lo = w.from;
        qint64 hi = w.to;
        while (hi - lo > 1) {
            const qint64 mid = lo + (hi - lo) / 2;
            (online(mid) == wasOnline ? lo : hi) = mid;
        }
        w.add(Endpoint::Event, hi, index,
              QJsonObject{
                  {QStringLiteral("deviceImei"), d.imei},
                  {QStringLiteral("type"), wasOnline ? QStringLiteral("LOGOUT") : QStringLiteral("LOGIN")},
                  {QStringLiteral("gateTime"), timeText(hi)},
                  {QStringLiteral("timezone"), timezoneText(m_fleet.config().utcOffsetSecs)},
              });
    }

    onGrid(w.from, w.to, kObdSecs, phase(Endpoint::Obd, kObdSecs), [&](qint64 t) {
        const std::optional<SimFix> fix = m_fleet.lastFix(index, Utc::fromSecs(t));
        if (!fix || !fix->acc || !online(t))
            return;
        SimRandom r = values(Endpoint::Obd, t);
        const double speed = fix->speedKmh;
        const bool moving = speed >= 1.0;
        const double load = moving ? r.uniform(28, 70) : r.uniform(17, 24);
        QJsonObject obd{
            {QStringLiteral("car_type"), heavy(d) ? 1 : 2},
            {QStringLiteral("event_time"), timeText(t)},
            {QStringLiteral("push_time"), timeText(t + 2)},
            {QStringLiteral("AccState"), 1},
            {QStringLiteral("statusFlags"), gpsStatus(d, true)},
            {QStringLiteral("engine_rpm"),
             moving ? std::min(3400, 1000 + int(speed * 26) + r.range(0, 250)) : r.range(720, 860)},
            {QStringLiteral("coolant_temp_c"), r.range(86, 94)},
            {QStringLiteral("fuel_level_pct"), rounded(fuelLevelPct(m_seed, d, fix->odometerKm), 1)},
            {QStringLiteral("battery_voltage"), rounded(r.uniform(13.6, 14.4), 2)},
            {QStringLiteral("intake_pressure"), int(30 + load)},
            {QStringLiteral("throttle_pct"), moving ? rounded(r.uniform(9, 40), 1) : 0.0},
            {QStringLiteral("vehicle_speed"), qint64(std::lround(speed))},
            {QStringLiteral("engine_load_pct"), rounded(load, 1)},
        };
        putPosition(obd, fix, false);
        w.add(Endpoint::Obd, t, index,
              QJsonObject{{QStringLiteral("deviceImei"), d.imei}, {QStringLiteral("obdJson"), obd}});
    });

    if (index % 7 == 0) {
        onGrid(w.from, w.to, kSensorSecs, phase(Endpoint::Temperature, kSensorSecs), [&](qint64 t) {
            if (!online(t))
                return;
            SimRandom r = values(Endpoint::Temperature, t);
            // A reefer holding -18 °C, with the slow swing of its compressor cycle.
            const double tem = -18.0 + 1.2 * std::sin(double(t % 1800) / 1800.0 * kTwoPi) + r.uniform(-0.3, 0.3);
            w.add(Endpoint::Temperature, t, index,
                  QJsonObject{
                      {QStringLiteral("deviceImei"), d.imei},
                      {QStringLiteral("tem"), rounded(tem, 1)},
                      {QStringLiteral("hum"), rounded(r.uniform(62, 85), 1)},
                      {QStringLiteral("gateTime"), timeText(t + 1)},
                      {QStringLiteral("postTime"), timeText(t)},
                  });
        });
    }

    if (index % 7 == 3) {
        onGrid(w.from, w.to, kSensorSecs, phase(Endpoint::Oil, kSensorSecs), [&](qint64 t) {
            const std::optional<SimFix> fix = m_fleet.lastFix(index, Utc::fromSecs(t));
            if (!fix || !online(t))
                return;
            QJsonObject o{
                {QStringLiteral("deviceImei"), d.imei},
                {QStringLiteral("path"), 1},
                {QStringLiteral("gateTime"), timeText(t)},
                // In hundredths of the unit (reference §10.7); unit 2 = %.
                {QStringLiteral("value"), qint64(std::lround(fuelLevelPct(m_seed, d, fix->odometerKm) * 100.0))},
                {QStringLiteral("unit"), 2},
            };
            putPosition(o, fix, true);
            w.add(Endpoint::Oil, t, index, o);
        });
    }

    onGrid(w.from, w.to, kLbsSecs, phase(Endpoint::Lbs, kLbsSecs), [&](qint64 t) {
        if (!online(t))
            return;
        const std::optional<SimFix> fix = m_fleet.lastFix(index, Utc::fromSecs(t));
        if (fix && (fix->acc || t - fix->gpsTime.toSecsSinceEpoch() <= kStaleFixSecs))
            return;
        SimRandom r = values(Endpoint::Lbs, t);
        // The serving cell and two neighbours of the device's area.
        const quint64 area = SimRandom::hash(m_seed, quint64(index), kDeviceTag, 2);
        QStringList cells;
        for (int k = 0; k < 3; ++k) {
            cells.append(QStringLiteral("%1,%2,%3")
                             .arg(20000 + int(area % 9000))
                             .arg(int((area >> 16) % 60000) * 10 + k)
                             .arg(-r.range(58, 101)));
        }
        const QJsonObject lbs{
            {QStringLiteral("mcc"), 208},
            {QStringLiteral("mnc"), (area >> 40) % 2 == 0 ? 1 : 10},
            {QStringLiteral("cellList"), cells.join(QLatin1Char(';'))},
        };
        w.add(Endpoint::Lbs, t, index,
              QJsonObject{
                  {QStringLiteral("deviceImei"), d.imei},
                  {QStringLiteral("gateTime"), timeText(t)},
                  {QStringLiteral("postType"), QStringLiteral("LBS")},
                  {QStringLiteral("lbsJson"), jsonText(lbs)},
              });
    });
}

void SimPushFeed::collectOthers(Window &w) const
{
    for (Endpoint e : Push::allEndpoints()) {
        if (hasOwnRate(e))
            continue;
        const int phase = int(SimRandom::hash(m_seed, kPickTag, kPhaseTag, quint64(e)) % quint64(kOtherSecs));
        onGrid(w.from, w.to, kOtherSecs, phase, [&](qint64 t) {
            QList<int> candidates;
            for (int i = 0; i < m_fleet.size(); ++i) {
                if ((!needsDashcam(e) || m_fleet.device(i).dashcam) && m_fleet.isOnline(i, Utc::fromSecs(t)))
                    candidates.append(i);
            }
            if (candidates.isEmpty())
                return;
            SimRandom r(SimRandom::hash(m_seed, quint64(t), kPickTag, quint64(e)));
            const int index = candidates.at(r.range(0, int(candidates.size()) - 1));
            const SimDevice &d = m_fleet.device(index);
            const std::optional<SimFix> fix = m_fleet.lastFix(index, Utc::fromSecs(t));
            const QString id = QStringLiteral("SIM%1%2").arg(t).arg(index, 5, 10, QLatin1Char('0'));
            const QString stamp = Utc::fromSecs(t).toString(QStringLiteral("yyyyMMddHHmmss"));
            QJsonObject o;
            switch (e) {
            case Endpoint::Rfid:
                // The driver's badge: the same card every time for one vehicle.
                o = QJsonObject{{QStringLiteral("moduleType"), QStringLiteral("RFID")},
                                {QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("gateTime"), timeText(t + 1)},
                                {QStringLiteral("postTime"), timeText(t)},
                                {QStringLiteral("value"),
                                 QString::number(SimRandom::hash(m_seed, quint64(index), kDeviceTag, 3) & 0xffffffffULL,
                                                 16)
                                     .toUpper()}};
                putPosition(o, fix, true);
                break;
            case Endpoint::Module:
                o = QJsonObject{{QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("hexContent"),
                                 QString::fromLatin1(randomBytes(r, 12).toHex().toUpper())},
                                {QStringLiteral("postTime"), timeText(t)},
                                {QStringLiteral("category"), QStringLiteral("0x9B")},
                                {QStringLiteral("type"), 1}};
                putPosition(o, fix, true);
                break;
            case Endpoint::FileUpload:
                o = QJsonObject{{QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("fileName"),
                                 QStringLiteral("%1_%2_1.jpg;%1_%2_2.jpg").arg(d.imei, stamp)},
                                {QStringLiteral("gateTime"), timeText(t)},
                                {QStringLiteral("result"), QStringLiteral("SUCCESS")}};
                break;
            case Endpoint::ResourceList: {
                QJsonArray resources;
                for (int channel = 1; channel <= std::max(1, d.cameraChannels); ++channel) {
                    resources.append(QJsonObject{{QStringLiteral("channel"), channel},
                                                 {QStringLiteral("beginTime"), timeText(t - 900)},
                                                 {QStringLiteral("endTime"), timeText(t - 600)},
                                                 {QStringLiteral("fileSize"), r.range(8, 40) * 1024 * 1024},
                                                 {QStringLiteral("resourceType"), 2},
                                                 {QStringLiteral("codeType"), 0},
                                                 {QStringLiteral("storageType"), 1},
                                                 {QStringLiteral("alarmFlag"), 0}});
                }
                // gateTime is not in the field table, but the hub stamps its
                // items; without it a retried list would count as a new one.
                o = QJsonObject{{QStringLiteral("imei"), d.imei},
                                {QStringLiteral("totalNum"), QString::number(resources.size())},
                                {QStringLiteral("instructionID"), id},
                                {QStringLiteral("gateTime"), timeText(t)},
                                {QStringLiteral("resourceList"), resources}};
                break;
            }
            case Endpoint::FtpUpload:
                o = QJsonObject{{QStringLiteral("result"), 0},
                                {QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("instructionID"), id},
                                {QStringLiteral("gateTime"), timeText(t)}};
                break;
            case Endpoint::IotHubEvent: {
                static const char *const kEvents[] = {"UploadAlarmFileList", "UploadAlarmFileBegin",
                                                      "UploadAlarmFileEnd", "UploadMediaFileBegin",
                                                      "UploadMediaFileEnd"};
                o = QJsonObject{{QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("gateTime"), timeText(t)},
                                {QStringLiteral("eventType"), QLatin1String(kEvents[r.range(0, 4)])},
                                {QStringLiteral("eventContent"),
                                 jsonText(QJsonObject{{QStringLiteral("fileName"),
                                                       QStringLiteral("EVENT_%1_%2_1.ts").arg(d.imei, stamp)},
                                                      {QStringLiteral("channel"), 1}})}};
                break;
            }
            case Endpoint::PassThrough:
                o = QJsonObject{{QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("gateTime"), timeText(t)},
                                {QStringLiteral("type"), 240},
                                {QStringLiteral("category"), QStringLiteral("0x0900")},
                                {QStringLiteral("content"), QString::fromLatin1(randomBytes(r, 16).toBase64())}};
                break;
            case Endpoint::TerminalTransInfo:
                o = QJsonObject{{QStringLiteral("postTime"), timeText(t)},
                                {QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("extensionId"), 8197},
                                {QStringLiteral("content"),
                                 jsonText(
                                     QJsonObject{{QStringLiteral("externalVoltage"), rounded(r.uniform(12.2, 14.3), 2)},
                                                 {QStringLiteral("batteryVoltage"),
                                                  rounded(r.uniform(3.9, 4.2), 2)}})}};
                putPosition(o, fix, true);
                break;
            case Endpoint::InstructResponse:
                // An offline command answered when the device came back.
                o = QJsonObject{{QStringLiteral("code"), 0},
                                {QStringLiteral("msg"), QStringLiteral("success")},
                                {QStringLiteral("data"),
                                 QJsonObject{{QStringLiteral("_code"), 100},
                                             {QStringLiteral("_imei"), d.imei},
                                             {QStringLiteral("_msg"), QStringLiteral("OK")},
                                             {QStringLiteral("_serverFlagId"), id},
                                             {QStringLiteral("_content"),
                                              QStringLiteral("Battery:4.1V,GPRS:Link Up,GSM Signal Level:Strong,"
                                                             "GPS:Successful positioning")}}}};
                break;
            case Endpoint::FileContent:
                o = QJsonObject{{QStringLiteral("instructionId"), id},
                                {QStringLiteral("postTime"), timeText(t)},
                                {QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("gateTime"), timeText(t + 1)},
                                {QStringLiteral("content"),
                                 QJsonArray{QStringLiteral("DRV%1").arg(index, 4, 10, QLatin1Char('0')),
                                            QStringLiteral("DRV%1").arg(index + 5000, 4, 10, QLatin1Char('0'))}}};
                break;
            case Endpoint::ExtendedKks:
                o = QJsonObject{{QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("gateTime"), timeText(t)},
                                {QStringLiteral("subMessagesId"), QStringLiteral("POWER")},
                                {QStringLiteral("externalVoltage"), rounded(r.uniform(12.2, 14.3), 2)}};
                break;
            case Endpoint::UploadCallback: {
                const bool event = r.chance(0.5);
                const int camera = r.range(1, std::max(1, d.cameraChannels));
                o = QJsonObject{{QStringLiteral("businessType"),
                                 event ? QStringLiteral("eventAttachment") : QStringLiteral("regularPicture")},
                                {QStringLiteral("imei"), d.imei},
                                {QStringLiteral("camera"), camera},
                                {QStringLiteral("shootType"), event ? 2 : 1},
                                {QStringLiteral("shootTime"), event ? 10 : 0},
                                {QStringLiteral("mimeType"),
                                 event ? QStringLiteral("video/mp4") : QStringLiteral("image/jpeg")},
                                {QStringLiteral("localFileName"),
                                 QStringLiteral("%1_%2.%3")
                                     .arg(stamp)
                                     .arg(camera)
                                     .arg(event ? QLatin1String("mp4") : QLatin1String("jpg"))},
                                {QStringLiteral("filename"),
                                 QStringLiteral("%1/%2_%3.%4")
                                     .arg(d.imei, stamp)
                                     .arg(camera)
                                     .arg(event ? QLatin1String("mp4") : QLatin1String("jpg"))}};
                if (event)
                    o.insert(QStringLiteral("alarmTime"), t - 5); // Unix seconds (reference §10.19)
                if (fix) {
                    // Strings, as the reference types them.
                    o.insert(QStringLiteral("lat"), QString::number(fix->lat, 'f', 6));
                    o.insert(QStringLiteral("lng"), QString::number(fix->lng, 'f', 6));
                }
                break;
            }
            case Endpoint::GeneralBusiness:
                o = QJsonObject{{QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("businessType"), QStringLiteral("driverBehavior")},
                                {QStringLiteral("gateTime"), timeText(t)},
                                {QStringLiteral("content"),
                                 jsonText(QJsonObject{{QStringLiteral("harshBraking"), r.range(0, 3)},
                                                      {QStringLiteral("harshAcceleration"), r.range(0, 3)}})}};
                break;
            case Endpoint::FaultInfo: {
                static const char *const kCodes[] = {"P0301", "P0420", "P0171", "P0128", "P0442", "P0455"};
                // One or two different codes.
                const int first = r.range(0, 5);
                QJsonArray codes{QLatin1String(kCodes[first])};
                if (r.chance(0.3))
                    codes.append(QLatin1String(kCodes[(first + r.range(1, 5)) % 6]));
                const int n = int(codes.size());
                o = QJsonObject{{QStringLiteral("deviceImei"), d.imei},
                                {QStringLiteral("gateTime"), timeText(t)},
                                {QStringLiteral("faultCodeList"), codes},
                                {QStringLiteral("faultNum"), n},
                                {QStringLiteral("statusFlags"), 0},
                                {QStringLiteral("eventTime"), t - 30}}; // Unix seconds (reference §10.21)
                putPosition(o, fix, false);
                break;
            }
            default: Q_UNREACHABLE();
            }
            w.add(e, t, index, o);
        });
    }
}

} // namespace Fleet::Sim
