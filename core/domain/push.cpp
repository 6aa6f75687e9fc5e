#include "push.h"

namespace Fleet {

GpsStatus GpsStatus::decode(quint32 flags)
{
    auto bit = [flags](int n) { return (flags >> n) & 1u; };
    GpsStatus s;
    s.raw = flags;
    s.accOn = bit(0);
    s.positioned = bit(1);
    s.south = bit(2);
    s.west = bit(3);
    s.outOfService = bit(4);
    s.encrypted = bit(5);
    s.load = int((flags >> 8) & 0x3u);
    s.oilCircuitCut = bit(10);
    s.powerCircuitCut = bit(11);
    s.doorLocked = bit(12);
    s.doorsOpen = int((flags >> 13) & 0x1Fu);
    s.gps = bit(18);
    s.beidou = bit(19);
    s.glonass = bit(20);
    s.galileo = bit(21);
    return s;
}

QString GpsStatus::gnssText() const
{
    QStringList systems;
    if (gps)
        systems.append(QStringLiteral("GPS"));
    if (beidou)
        systems.append(QStringLiteral("BDS"));
    if (glonass)
        systems.append(QStringLiteral("GLONASS"));
    if (galileo)
        systems.append(QStringLiteral("Galileo"));
    return systems.join(QLatin1Char('+'));
}

} // namespace Fleet
