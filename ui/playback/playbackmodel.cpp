#include "playbackmodel.h"

#include "map/geomath.h"
#include "util/clock.h"
#include "util/utc.h"

#include <QtMath>

#include <algorithm>

namespace Fleet {

namespace {

double bearing(double lat1, double lng1, double lat2, double lng2)
{
    const double p1 = qDegreesToRadians(lat1);
    const double p2 = qDegreesToRadians(lat2);
    const double dl = qDegreesToRadians(lng2 - lng1);
    const double y = std::sin(dl) * std::cos(p2);
    const double x = std::cos(p1) * std::sin(p2) - std::sin(p1) * std::cos(p2) * std::cos(dl);
    return std::fmod(qRadiansToDegrees(std::atan2(y, x)) + 360.0, 360.0);
}

} // namespace

PlaybackModel::PlaybackModel(QObject *parent)
    : QObject(parent)
    , m_timer(this)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(16);
    connect(&m_timer, &QTimer::timeout, this, &PlaybackModel::advance);
}

const QList<int> &PlaybackModel::speeds()
{
    static const QList<int> list{1, 2, 5, 10, 30, 60, 300, 600, 3600};
    return list;
}

QColor PlaybackModel::vehicleColour(int index)
{
    // Ten colours a map's greens and greys do not swallow (Tableau 10, darkened a little).
    static const QRgb colours[] = {0x1f77b4, 0xd62728, 0x9467bd, 0xe377c2, 0x17becf,
                                   0xff7f0e, 0x8c564b, 0x2ca02c, 0x7f7f7f, 0xbcbd22};
    return QColor::fromRgb(colours[std::size_t(index) % std::size(colours)]);
}

void PlaybackModel::setRange(const TimeSpan &range)
{
    m_range = range;
    Q_EMIT rangeChanged();
    setPlayheadMs(range.from.toMSecsSinceEpoch());
}

PlaybackModel::Vehicle PlaybackModel::Vehicle::make(TrackExport::Vehicle data)
{
    Vehicle v;
    v.data = std::move(data);
    const QList<Position> &fixes = v.data.history.fixes;
    v.world.reserve(std::size_t(fixes.size()));
    v.timesMs.reserve(std::size_t(fixes.size()));
    v.speedSums.reserve(std::size_t(fixes.size()) + 1);
    v.speedSums.push_back(0.0);
    for (const Position &p : fixes) {
        v.world.push_back(Map::project(p.lat, p.lng));
        v.timesMs.push_back(p.gpsTime.toMSecsSinceEpoch());
        v.speedSums.push_back(v.speedSums.back() + p.speedKmh.value_or(0.0));
    }
    return v;
}

void PlaybackModel::setVehicles(QList<Vehicle> vehicles)
{
    m_vehicles = std::move(vehicles);
    for (qsizetype i = 0; i < m_vehicles.size(); ++i)
        m_vehicles[i].colour = vehicleColour(int(i));
    Q_EMIT vehiclesChanged();
    Q_EMIT playheadChanged(m_playheadMs);
}

void PlaybackModel::setVehicles(const QList<TrackExport::Vehicle> &vehicles)
{
    QList<Vehicle> made;
    made.reserve(vehicles.size());
    for (const TrackExport::Vehicle &v : vehicles)
        made.append(Vehicle::make(v));
    setVehicles(std::move(made));
}

int PlaybackModel::vehicleIndex(const QString &imei) const
{
    for (qsizetype i = 0; i < m_vehicles.size(); ++i) {
        if (m_vehicles[i].data.history.imei == imei)
            return int(i);
    }
    return -1;
}

QDateTime PlaybackModel::playhead() const
{
    return Utc::fromMSecs(m_playheadMs);
}

void PlaybackModel::setPlayhead(const QDateTime &t)
{
    setPlayheadMs(t.toMSecsSinceEpoch());
}

void PlaybackModel::setPlayheadMs(qint64 ms)
{
    if (m_range.isValid())
        ms = std::clamp(ms, m_range.from.toMSecsSinceEpoch(), m_range.to.toMSecsSinceEpoch());
    if (ms == m_playheadMs)
        return;
    m_playheadMs = ms;
    Q_EMIT playheadChanged(ms);
}

void PlaybackModel::setClock(const Clock *clock)
{
    m_clock = clock;
}

void PlaybackModel::play()
{
    if (isPlaying() || !m_range.isValid())
        return;
    // From the start again when at the end.
    if (m_playheadMs >= m_range.to.toMSecsSinceEpoch())
        setPlayheadMs(m_range.from.toMSecsSinceEpoch());
    m_lastTickMs = (m_clock ? m_clock : Clock::system())->monotonicMs();
    m_carryMs = 0.0;
    m_timer.start();
    Q_EMIT playingChanged(true);
}

void PlaybackModel::pause()
{
    if (!isPlaying())
        return;
    m_timer.stop();
    Q_EMIT playingChanged(false);
}

void PlaybackModel::togglePlay()
{
    isPlaying() ? pause() : play();
}

void PlaybackModel::setSpeed(int speed)
{
    if (!speeds().contains(speed) || speed == m_speed)
        return;
    m_speed = speed;
    Q_EMIT speedChanged(speed);
}

void PlaybackModel::faster()
{
    const qsizetype i = speeds().indexOf(m_speed);
    if (i + 1 < speeds().size())
        setSpeed(speeds().at(i + 1));
}

void PlaybackModel::slower()
{
    const qsizetype i = speeds().indexOf(m_speed);
    if (i > 0)
        setSpeed(speeds().at(i - 1));
}

void PlaybackModel::advance()
{
    const qint64 now = (m_clock ? m_clock : Clock::system())->monotonicMs();
    const qint64 elapsed = now - m_lastTickMs;
    m_lastTickMs = now;
    if (elapsed <= 0)
        return;
    m_carryMs += double(elapsed) * m_speed;
    const qint64 step = qint64(m_carryMs);
    m_carryMs -= double(step);
    const qint64 end = m_range.to.toMSecsSinceEpoch();
    setPlayheadMs(m_playheadMs + step);
    if (m_playheadMs >= end)
        pause();
}

bool PlaybackModel::stepTo(const Times &times, int direction)
{
    // Each vehicle's nearest candidate by binary search; the nearest of those wins.
    std::optional<qint64> best;
    std::vector<qint64> scratch;
    for (const Vehicle &v : m_vehicles) {
        scratch.clear();
        const std::vector<qint64> &list = times(v, scratch);
        if (direction > 0) {
            const auto it = std::upper_bound(list.begin(), list.end(), m_playheadMs);
            if (it != list.end() && (!best || *it < *best))
                best = *it;
        } else {
            const auto it = std::lower_bound(list.begin(), list.end(), m_playheadMs);
            if (it != list.begin() && (!best || *(it - 1) > *best))
                best = *(it - 1);
        }
    }
    if (!best)
        return false;
    setPlayheadMs(*best);
    return true;
}

bool PlaybackModel::stepFix(int direction)
{
    // The fixes' times are kept sorted per vehicle: searched in place.
    return stepTo([](const Vehicle &v, std::vector<qint64> &) -> const std::vector<qint64> & { return v.timesMs; },
                  direction);
}

bool PlaybackModel::stepStop(int direction)
{
    return stepTo(
        [](const Vehicle &v, std::vector<qint64> &times) -> const std::vector<qint64> & {
            for (const TrackAnalysis::Stop &s : v.data.summary.stops) {
                times.push_back(s.from.toMSecsSinceEpoch());
                times.push_back(s.to.toMSecsSinceEpoch());
            }
            std::sort(times.begin(), times.end());
            return times;
        },
        direction);
}

bool PlaybackModel::stepAlarm(int direction)
{
    return stepTo(
        [](const Vehicle &v, std::vector<qint64> &times) -> const std::vector<qint64> & {
            for (const Alarm &a : v.data.history.alarms)
                times.push_back(a.time.toMSecsSinceEpoch());
            std::sort(times.begin(), times.end());
            return times;
        },
        direction);
}

PlaybackModel::Sample PlaybackModel::sampleAt(int vehicle, qint64 ms) const
{
    Sample s;
    if (vehicle < 0 || vehicle >= m_vehicles.size())
        return s;
    const Vehicle &v = m_vehicles[vehicle];
    if (v.timesMs.empty())
        return s;
    const auto it = std::upper_bound(v.timesMs.begin(), v.timesMs.end(), ms);
    const QList<Position> &fixes = v.data.history.fixes;
    if (it == v.timesMs.begin()) {
        // Before the first fix: shown where it will appear, not valid yet.
        s.world = v.world.front();
        s.lat = fixes.first().lat;
        s.lng = fixes.first().lng;
        s.headingDeg = fixes.first().courseDeg;
        s.fixIndex = -1;
        return s;
    }
    const qsizetype i = qsizetype(it - v.timesMs.begin()) - 1;
    const Position &a = fixes[i];
    s.fixIndex = i;
    s.valid = true;
    s.world = v.world[std::size_t(i)];
    s.lat = a.lat;
    s.lng = a.lng;
    s.headingDeg = a.courseDeg;
    s.speedKmh = a.speedKmh.value_or(0.0);
    if (i + 1 >= fixes.size())
        return s; // after the last fix: where it was last seen
    const Position &b = fixes[i + 1];
    const bool gap = std::any_of(v.data.summary.gaps.cbegin(), v.data.summary.gaps.cend(),
                                 [i](const TrackAnalysis::Gap &g) { return g.before == i; });
    if (gap) {
        s.inGap = true;
        return s;
    }
    const double span = double(v.timesMs[std::size_t(i + 1)] - v.timesMs[std::size_t(i)]);
    const double f = span > 0 ? double(ms - v.timesMs[std::size_t(i)]) / span : 0.0;
    const QPointF wa = v.world[std::size_t(i)];
    const QPointF wb = v.world[std::size_t(i + 1)];
    s.world = wa + (wb - wa) * f;
    s.lat = a.lat + (b.lat - a.lat) * f;
    s.lng = a.lng + (b.lng - a.lng) * f;
    s.speedKmh = a.speedKmh.value_or(0.0) + (b.speedKmh.value_or(0.0) - a.speedKmh.value_or(0.0)) * f;
    if (wa != wb)
        s.headingDeg = bearing(a.lat, a.lng, b.lat, b.lng);
    return s;
}

} // namespace Fleet
