#pragma once

#include <QDateTime>
#include <QTimeZone>

// UTC date-times without a time-zone object behind them. In Qt 6.4 a
// QDateTime built with QTimeZone::utc() carries a heap-allocated zone, which
// costs a malloc per parsed timestamp; Qt::UTC does not. Newer Qt deprecates
// Qt::UTC in favour of the equally cheap QTimeZone::UTC.
namespace Fleet::Utc {

inline QDateTime dateTime(const QDate &date, const QTime &time)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    return QDateTime(date, time, QTimeZone::UTC);
#else
    return QDateTime(date, time, Qt::UTC);
#endif
}

inline QDateTime fromMSecs(qint64 ms)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::UTC);
#else
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
#endif
}

inline QDateTime fromSecs(qint64 s)
{
    return fromMSecs(s * 1000);
}

} // namespace Fleet::Utc
