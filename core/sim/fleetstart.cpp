#include "fleetstart.h"

#include "util/utc.h"

namespace Fleet::Sim {

std::optional<QDateTime> parseFleetStart(const QString &text, const QDateTime &nowUtc, QString *error)
{
    const QString t = text.trimmed();
    if (t.compare(QLatin1String("now"), Qt::CaseInsensitive) == 0)
        return nowUtc.toUTC();
    const QDateTime parsed = QDateTime::fromString(t, Qt::ISODate);
    if (!parsed.isValid()) {
        if (error)
            *error = QStringLiteral("'%1' is neither \"now\" nor an ISO 8601 time such as 2026-12-02T10:00:00Z").arg(t);
        return std::nullopt;
    }
    return parsed.toUTC();
}

QDateTime demoFleetStart(const QDateTime &nowUtc, int utcOffsetSecs)
{
    const qint64 nowSecs = nowUtc.toSecsSinceEpoch();
    const QDateTime local = Utc::fromSecs(nowSecs + utcOffsetSecs); // the fleet's wall clock, as UTC fields
    QDate day = local.date();
    const int secsOfDay = local.time().msecsSinceStartOfDay() / 1000;
    const bool working = secsOfDay >= 7 * 3600 && secsOfDay < 18 * 3600;
    qint64 daysBack = 0;
    while (day.dayOfWeek() > 5) {
        day = day.addDays(-1);
        ++daysBack;
    }
    // The time of day is kept when it is a working hour, whatever the day.
    if (working)
        return Utc::fromSecs(nowSecs - daysBack * 86400);
    return Utc::dateTime(day, QTime(10, 0)).addSecs(-utcOffsetSecs);
}

} // namespace Fleet::Sim
