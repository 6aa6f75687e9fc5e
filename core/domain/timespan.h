#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>

namespace Fleet {

// A closed span of time [from, to] in whole seconds, UTC: the unit of the
// API's ranges and of the store's times.
struct TimeSpan
{
    QDateTime from;
    QDateTime to;

    bool isValid() const { return from.isValid() && to.isValid() && from <= to; }
    qint64 seconds() const { return isValid() ? from.secsTo(to) : 0; }
    bool contains(const QDateTime &t) const { return t >= from && t <= to; }
    friend bool operator==(const TimeSpan &, const TimeSpan &) = default;
};

namespace TimeSpans {

// The parts of span that none of covered (any order, may overlap) contains,
// oldest first. Seconds are whole: [a, b] followed by [b + 1, c] leaves no gap.
QList<TimeSpan> uncovered(const TimeSpan &span, QList<TimeSpan> covered);

// span cut into consecutive pieces of at most maxSeconds each ([a, a + max],
// [a + max + 1, ...]), oldest first; none when span is invalid.
QList<TimeSpan> split(const TimeSpan &span, qint64 maxSeconds);

} // namespace TimeSpans

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::TimeSpan)
