#include "timespan.h"

#include <algorithm>

namespace Fleet::TimeSpans {

QList<TimeSpan> uncovered(const TimeSpan &span, QList<TimeSpan> covered)
{
    QList<TimeSpan> gaps;
    if (!span.isValid())
        return gaps;
    std::sort(covered.begin(), covered.end(), [](const TimeSpan &a, const TimeSpan &b) { return a.from < b.from; });
    QDateTime next = span.from; // the first second not yet accounted for
    for (const TimeSpan &c : std::as_const(covered)) {
        if (!c.isValid() || c.to < next)
            continue;
        if (c.from > span.to)
            break;
        if (c.from > next)
            gaps.append({next, c.from.addSecs(-1)});
        next = c.to.addSecs(1);
        if (next > span.to)
            return gaps;
    }
    gaps.append({next, span.to});
    return gaps;
}

QList<TimeSpan> split(const TimeSpan &span, qint64 maxSeconds)
{
    QList<TimeSpan> pieces;
    if (!span.isValid() || maxSeconds <= 0)
        return pieces;
    QDateTime from = span.from;
    while (from <= span.to) {
        const QDateTime to = qMin(span.to, from.addSecs(maxSeconds));
        pieces.append({from, to});
        from = to.addSecs(1);
    }
    return pieces;
}

} // namespace Fleet::TimeSpans
