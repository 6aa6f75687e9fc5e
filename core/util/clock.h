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
    {
    }

    QDateTime nowUtc() const override { return m_now; }
    qint64 monotonicMs() const override { return m_now.toMSecsSinceEpoch(); }

    void set(const QDateTime &t) { m_now = t.toUTC(); }
    void advanceMs(qint64 ms) { m_now = m_now.addMSecs(ms); }
    void advanceSecs(qint64 s) { m_now = m_now.addSecs(s); }

private:
    QDateTime m_now;
};

} // namespace Fleet
