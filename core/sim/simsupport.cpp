#include "simsupport.h"
#include "util/utc.h"

#include "util/apitime.h"
#include "domain/gcj02.h"
#include "sim/simfleet.h"
#include "sim/simstate.h"

#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>

#include <cmath>
#include <numbers>

namespace Fleet::Sim {

std::optional<QDateTime> SimSupport::parseTime(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt());
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return Utc::dateTime(date, time);
}

QString SimSupport::formatTime(const QDateTime &t)
{
    return ApiTime::format(t);
}

QString SimSupport::formatIso(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"));
}

std::optional<SimReply> SimSupport::require(const SimCall &call, const QStringList &keys)
{
    for (const QString &key : keys) {
        if (call.params.value(key).isEmpty())
            return SimReply::badParam(QStringLiteral("Parameter validation: %1 is required").arg(key));
    }
    return std::nullopt;
}

std::optional<SimReply> SimSupport::parseImeis(const SimCall &call, const SimContext &ctx, const QString &key, int max,
                                               QList<int> *indexes)
{
    const QString text = call.params.value(key);
    // Counted as sent, duplicates included, and read no further than needed.
    QStringList imeis;
    QSet<QString> seen;
    int count = 0;
    for (const QStringView part : QStringView(text).tokenize(u',', Qt::SkipEmptyParts)) {
        const QStringView imei = part.trimmed();
        if (imei.isEmpty())
            continue;
        if (++count > max)
            return SimReply::badParam(QStringLiteral("Parameter validation: at most %1 IMEIs per request").arg(max));
        const QString value = imei.toString();
        if (!seen.contains(value)) {
            seen.insert(value);
            imeis.append(value);
        }
    }
    if (imeis.isEmpty())
        return SimReply::badParam(QStringLiteral("Parameter validation: %1 is required").arg(key));
    indexes->clear();
    for (const QString &imei : std::as_const(imeis)) {
        const int index = ctx.fleet->indexOf(imei);
        if (index < 0)
            return SimReply::error(1002, QStringLiteral("Illegal device"));
        indexes->append(index);
    }
    return std::nullopt;
}

std::optional<SimReply> SimSupport::parseImei(const SimCall &call, const SimContext &ctx, const QString &key,
                                              int *index)
{
    const QString imei = call.params.value(key).trimmed();
    if (imei.isEmpty())
        return SimReply::badParam(QStringLiteral("Parameter validation: %1 is required").arg(key));
    *index = ctx.fleet->indexOf(imei);
    if (*index < 0)
        return SimReply::error(1002, QStringLiteral("Illegal device"));
    return std::nullopt;
}

std::optional<SimReply> SimSupport::parseRange(const SimCall &call, const QString &beginKey, const QString &endKey,
                                               QDateTime *begin, QDateTime *end)
{
    if (auto err = require(call, {beginKey, endKey}))
        return err;
    const auto b = parseTime(call.params.value(beginKey));
    if (!b)
        return SimReply::badParam(QStringLiteral("Parameter validation: %1 must be yyyy-MM-dd HH:mm:ss").arg(beginKey));
    const auto e = parseTime(call.params.value(endKey));
    if (!e)
        return SimReply::badParam(QStringLiteral("Parameter validation: %1 must be yyyy-MM-dd HH:mm:ss").arg(endKey));
    if (*b >= *e)
        return SimReply::badParam(QStringLiteral("Parameter validation: %1 must be before %2").arg(beginKey, endKey));
    *begin = *b;
    *end = *e;
    return std::nullopt;
}

std::optional<SimReply> SimSupport::limitRange(const QDateTime &begin, const QDateTime &end, int maxDays)
{
    if (end > begin.addDays(maxDays)) {
        return SimReply::badParam(
            QStringLiteral("Parameter validation: time range is too long (at most %1 days)").arg(maxDays));
    }
    return std::nullopt;
}

std::optional<SimReply> SimSupport::parseInt64(const SimCall &call, const QString &key, qint64 defaultValue, qint64 min,
                                               qint64 max, qint64 *value)
{
    const QString text = call.params.value(key).trimmed();
    if (text.isEmpty()) {
        *value = defaultValue;
        return std::nullopt;
    }
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min || v > max) {
        return SimReply::badParam(
            QStringLiteral("Parameter validation: %1 must be an integer in [%2, %3]").arg(key).arg(min).arg(max));
    }
    *value = v;
    return std::nullopt;
}

std::optional<SimReply> SimSupport::limitLength(const SimCall &call, const QStringList &keys, int maxChars)
{
    for (const QString &key : keys) {
        if (call.params.value(key).size() > maxChars) {
            return SimReply::badParam(
                QStringLiteral("Parameter validation: %1 is longer than %2 characters").arg(key).arg(maxChars));
        }
    }
    return std::nullopt;
}

std::optional<SimReply> SimSupport::parseInt(const SimCall &call, const QString &key, int defaultValue, int min,
                                             int max, int *value)
{
    const QString text = call.params.value(key).trimmed();
    if (text.isEmpty()) {
        *value = defaultValue;
        return std::nullopt;
    }
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < min || v > max) {
        return SimReply::badParam(
            QStringLiteral("Parameter validation: %1 must be an integer in [%2, %3]").arg(key).arg(min).arg(max));
    }
    *value = v;
    return std::nullopt;
}

namespace {

// GCJ-02 to BD-09, the standard published offset formula.
void gcjToBd(double *lat, double *lng)
{
    constexpr double kXPi = std::numbers::pi * 3000.0 / 180.0;
    const double x = *lng;
    const double y = *lat;
    const double z = std::sqrt(x * x + y * y) + 0.00002 * std::sin(y * kXPi);
    const double theta = std::atan2(y, x) + 0.000003 * std::cos(x * kXPi);
    *lng = z * std::cos(theta) + 0.0065;
    *lat = z * std::sin(theta) + 0.006;
}

void wgsToGcj(double *lat, double *lng)
{
    const GeoPoint p = Gcj02::fromWgs84(GeoPoint{*lat, *lng});
    *lat = p.lat;
    *lng = p.lng;
}

} // namespace

void SimSupport::toMapType(const QString &mapType, double *lat, double *lng)
{
    if (mapType.compare(QLatin1String("GOOGLE"), Qt::CaseInsensitive) == 0) {
        wgsToGcj(lat, lng);
    } else if (mapType.compare(QLatin1String("BAIDU"), Qt::CaseInsensitive) == 0) {
        wgsToGcj(lat, lng);
        gcjToBd(lat, lng);
    }
}

double SimSupport::round6(double v)
{
    return std::round(v * 1e6) / 1e6;
}

QJsonValue SimSupport::nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString SimSupport::numberText(double v, int decimals)
{
    QString s = QString::number(v, 'f', decimals);
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    if (s == QLatin1String("-0"))
        s = QStringLiteral("0");
    return s;
}

double SimSupport::odometerKm(const SimContext &ctx, int index, const std::optional<SimFix> &fix)
{
    const double base = fix ? fix->odometerKm : ctx.fleet->device(index).initialOdometerKm;
    return base + ctx.state->devices.at(index).mileageOffsetKm;
}

} // namespace Fleet::Sim
