#pragma once

#include <QDateTime>
#include "util/utc.h"
#include <QTimeZone>

namespace Fleet {

// Source of "now" for everything that depends on time (request timestamps,
// token expiry, back-off, schedules), so tests can control it.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const = 0;
    // Monotonic milliseconds, for measuring intervals that must not jump.
    virtual qint64 monotonicMs() const = 0;

    static Clock *system();
};

// A clock that only moves when told to. Monotonic time follows wall time.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(const QDateTime &start = Utc::fromSecs(1'750'000'000))
        : m_now(start.toUTC())
    { }

    QDateTime nowUtc() const override { return m_now; }
    qint64 monotonicMs() const override { return m_now.toMSecsSinceEpoch(); }

    void set(const QDateTime &t) { m_now = t.toUTC(); }
    void advanceMs(qint64 ms) { m_now = m_now.addMSecs(ms); }
    void advanceSecs(qint64 s) { m_now = m_now.addSecs(s); }

private:
    QDateTime m_now;
};

// Another clock's time, shifted and sped up: at base time `baseStart` it
// reads `start`, and it runs `rate` times as fast. The simulated fleet lives
// in such a time (a demo on a weekday morning, whatever the calendar says),
// and so does a demo session's view of it. Monotonic time is the base's.
// As thread-safe as the base clock.
class ScaledClock final : public Clock
{
public:
    ScaledClock(Clock *base, const QDateTime &baseStart, const QDateTime &start, double rate = 1.0);

    QDateTime nowUtc() const override { return map(m_base->nowUtc()); }
    qint64 monotonicMs() const override { return m_base->monotonicMs(); }

    // The scaled time at a base time (millisecond precision).
    QDateTime map(const QDateTime &baseTime) const;
    QDateTime baseStart() const { return m_baseStart; }
    QDateTime start() const { return m_start; }
    double rate() const { return m_rate; }

private:
    Clock *m_base;
    QDateTime m_baseStart;
    QDateTime m_start;
    double m_rate;
};

} // namespace Fleet
