#include "clock.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace Fleet {

namespace {

class SystemClock final : public Clock
{
public:
    SystemClock() { m_timer.start(); }
    QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override { return m_timer.elapsed(); }

private:
    QElapsedTimer m_timer;
};

} // namespace

ScaledClock::ScaledClock(Clock *base, const QDateTime &baseStart, const QDateTime &start, double rate)
    : m_base(base ? base : Clock::system())
    , m_baseStart(baseStart.toUTC())
    , m_start(start.toUTC())
    , m_rate(std::isfinite(rate) && rate > 0.0 ? rate : 1.0)
{ }

QDateTime ScaledClock::map(const QDateTime &baseTime) const
{
    const qint64 elapsedMs = m_baseStart.msecsTo(baseTime);
    // Bounded before the conversion: a huge rate must not overflow.
    const double scaled = std::clamp(double(elapsedMs) * m_rate, -1e15, 1e15);
    return Utc::fromMSecs(m_start.toMSecsSinceEpoch() + qint64(scaled));
}

Clock *Clock::system()
{
    static SystemClock clock;
    return &clock;
}

} // namespace Fleet
