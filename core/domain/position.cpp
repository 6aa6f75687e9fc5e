#include "position.h"

namespace Fleet {

QString positionTypeName(PositionType type)
{
    switch (type) {
    case PositionType::Gps: return QStringLiteral("GPS");
    case PositionType::Lbs: return QStringLiteral("LBS");
    case PositionType::Wifi: return QStringLiteral("WIFI");
    case PositionType::Beacon: return QStringLiteral("BEACON");
    case PositionType::Unknown: break;
    }
    return QString();
}

namespace {

// The reading's value when it is at least as new as the fix (or there is no
// fix), else the fix's.
template<typename T>
std::optional<T> freshest(const std::optional<T> &reading, const QDateTime &readingTime,
                          const std::optional<Position> &fix, std::optional<T> Position::*field)
{
    if (readingTime.isValid() && (!fix || readingTime >= fix->gpsTime))
        return reading;
    return fix ? (*fix).*field : std::nullopt;
}

} // namespace

std::optional<bool> DeviceLocation::ignition() const
{
    return freshest(readings.acc, readings.acc ? readings.accTime : QDateTime(), fix, &Position::acc);
}

std::optional<double> DeviceLocation::speedKmh() const
{
    return freshest(readings.speedKmh, readings.motionTime, fix, &Position::speedKmh);
}

std::optional<double> DeviceLocation::courseDeg() const
{
    return freshest(readings.courseDeg, readings.motionTime, fix, &Position::courseDeg);
}

} // namespace Fleet
