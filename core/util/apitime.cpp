#include "apitime.h"
#include "util/utc.h"

#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>

namespace Fleet::ApiTime {

namespace {

QDateTime fromEpochNumber(double v, bool *ok)
{
    // Seconds and milliseconds are told apart by magnitude: 1e11 s is the year
    // 5138, 1e11 ms is 1973. Anything before 1990 or after 2200 is nonsense here.
    if (!std::isfinite(v) || v <= 0) {
        *ok = v == 0; // 0 is the cloud's way of saying "unknown"
        return {};
    }
    // Beyond 1e13 ms (year 2286) the value is no time at all; checking first
    // also keeps the conversion to an integer defined.
    if (v >= 1e13) {
        *ok = false;
        return {};
    }
    const qint64 ms = v >= 1e11 ? qint64(v) : qint64(v * 1000.0);
    QDateTime t = Utc::fromMSecs(ms);
    if (t.date().year() < 1990 || t.date().year() > 2200) {
        *ok = false;
        return {};
    }
    *ok = true;
    return t;
}

} // namespace

QString format(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QDateTime parse(const QString &input, bool *okOut)
{
    bool okLocal = true;
    bool &ok = okOut ? *okOut : okLocal;
    ok = true;
    // Fast path for the API's own "yyyy-MM-dd HH:mm:ss" (most answers).
    if (input.size() == 19 && input.at(4) == QLatin1Char('-') && input.at(7) == QLatin1Char('-')
        && input.at(10) == QLatin1Char(' ') && input.at(13) == QLatin1Char(':') && input.at(16) == QLatin1Char(':')) {
        auto num = [&input](int pos, int len) {
            int v = 0;
            for (int i = pos; i < pos + len; ++i) {
                const int d = input.at(i).unicode() - '0';
                if (d < 0 || d > 9)
                    return -1;
                v = v * 10 + d;
            }
            return v;
        };
        const QDate date(num(0, 4), num(5, 2), num(8, 2));
        const QTime time(num(11, 2), num(14, 2), num(17, 2));
        if (date.isValid() && time.isValid())
            return Utc::dateTime(date, time);
    }
    const QString text = input.trimmed();
    if (text.isEmpty() || text == QLatin1String("null"))
        return {};

    static const QRegularExpression dateTimeRe(QStringLiteral(
        R"(^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$)"));
    const QRegularExpressionMatch m = dateTimeRe.match(text);
    if (m.hasMatch()) {
        const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
        int msec = 0;
        if (m.hasCaptured(7)) {
            const QString frac = (m.captured(7) + QStringLiteral("00")).left(3);
            msec = frac.toInt();
        }
        const QTime time = m.hasCaptured(4)
            ? QTime(m.captured(4).toInt(), m.captured(5).toInt(), m.hasCaptured(6) ? m.captured(6).toInt() : 0, msec)
            : QTime(0, 0);
        if (!date.isValid() || !time.isValid()) {
            ok = false;
            return {};
        }
        int offsetSecs = 0;
        if (m.hasCaptured(8) && m.captured(8) != QLatin1String("Z")) {
            QString off = m.captured(8);
            off.remove(QLatin1Char(':'));
            const int sign = off.startsWith(QLatin1Char('-')) ? -1 : 1;
            const int hh = off.mid(1, 2).toInt();
            const int mm = off.mid(3, 2).toInt();
            if (hh > 14 || mm > 59) {
                ok = false;
                return {};
            }
            offsetSecs = sign * (hh * 3600 + mm * 60);
        }
        return Utc::dateTime(date, time).addSecs(-offsetSecs);
    }

    static const QRegularExpression digitsRe(QStringLiteral(R"(^\d{1,16}(\.\d+)?$)"));
    if (digitsRe.match(text).hasMatch())
        return fromEpochNumber(text.toDouble(), &ok);

    ok = false;
    return {};
}

QDateTime parse(const QJsonValue &value, bool *okOut)
{
    bool okLocal = true;
    bool &ok = okOut ? *okOut : okLocal;
    ok = true;
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: return {};
    case QJsonValue::String: return parse(value.toString(), &ok);
    case QJsonValue::Double: return fromEpochNumber(value.toDouble(), &ok);
    default: ok = false; return {};
    }
}

QDateTime parse(const JsonNode &value, bool *okOut)
{
    bool okLocal = true;
    bool &ok = okOut ? *okOut : okLocal;
    ok = true;
    switch (value.type()) {
    case JsonDom::Type::Null:
    case JsonDom::Type::Undefined: return {};
    case JsonDom::Type::String: return parse(value.toString(), &ok);
    case JsonDom::Type::Number: return fromEpochNumber(value.toDouble(), &ok);
    default: ok = false; return {};
    }
}

QDateTime parseCompact(const QString &input, bool *okOut)
{
    bool okLocal = true;
    bool &ok = okOut ? *okOut : okLocal;
    const QString text = input.trimmed();
    static const QRegularExpression re(QStringLiteral(R"(^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch()) {
        ok = text.isEmpty();
        return {};
    }
    const QDate date(2000 + m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt());
    ok = date.isValid() && time.isValid();
    return ok ? Utc::dateTime(date, time) : QDateTime();
}

} // namespace Fleet::ApiTime
