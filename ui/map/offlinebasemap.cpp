#include "offlinebasemap.h"

#include "maplog.h"

#include <QFile>
#include <QStringDecoder>
#include <QtEndian>

#include <algorithm>
#include <array>
#include <cstring>

namespace Fleet::Map {

namespace {

constexpr char kMagic[4] = {'F', 'D', 'B', 'M'};
constexpr qsizetype kHeaderSize = 20;
constexpr qsizetype kChecksummedFrom = 16; // the CRC covers everything after its own field
constexpr qsizetype kDirectoryEntrySize = 16;
constexpr quint32 kMaxSections = 64;
constexpr quint64 kGeometryHeaderSize = 12;
constexpr quint64 kFeatureRecordSize = 20;
constexpr quint64 kPartRecordSize = 4;
constexpr quint64 kPointRecordSize = 8;
constexpr quint64 kCitiesHeaderSize = 8;
constexpr quint64 kCityRecordSize = 16;

quint32 u32(const char *p)
{
    return qFromLittleEndian<quint32>(p);
}
quint16 u16(const char *p)
{
    return qFromLittleEndian<quint16>(p);
}

QString kindName(quint32 kind)
{
    switch (kind) {
    case OfflineBasemap::Land: return QStringLiteral("land");
    case OfflineBasemap::Coastline: return QStringLiteral("coastlines");
    case OfflineBasemap::Border: return QStringLiteral("borders");
    case OfflineBasemap::Cities: return QStringLiteral("cities");
    }
    return QStringLiteral("kind %1").arg(kind);
}

QString sectionName(quint32 kind, quint32 lod)
{
    return QStringLiteral("%1 section (LOD %2)").arg(kindName(kind)).arg(lod);
}

constexpr std::array<quint32, 256> makeCrcTable()
{
    std::array<quint32, 256> table{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr std::array<quint32, 256> kCrcTable = makeCrcTable();

// Bytes a section must have: its records plus zero padding to 4 bytes.
bool sizeMatches(QByteArrayView section, quint64 expected)
{
    const quint64 padded = (expected + 3) & ~quint64(3);
    if (quint64(section.size()) != padded)
        return false;
    for (qsizetype i = qsizetype(expected); i < section.size(); ++i) {
        if (section[i] != 0)
            return false;
    }
    return true;
}

} // namespace

OfflineBasemap::OfflineBasemap()
    : m_error(QStringLiteral("offline basemap: no data loaded"))
{ }

quint32 OfflineBasemap::checksum(QByteArrayView data)
{
    quint32 c = 0xFFFFFFFFu;
    for (const char ch : data)
        c = kCrcTable[(c ^ quint8(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

OfflineBasemap OfflineBasemap::fromData(QByteArrayView data)
{
    OfflineBasemap map;
    map.m_error.clear();
    if (map.parse(data)) {
        map.m_valid = true;
    } else {
        // Half-read data must not be used by mistake.
        for (auto &byKind : map.m_layers) {
            for (Layer &l : byKind)
                l = Layer();
        }
        map.m_cities.clear();
    }
    return map;
}

OfflineBasemap OfflineBasemap::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        OfflineBasemap map;
        map.m_error = QStringLiteral("offline basemap: cannot open %1: %2").arg(path, file.errorString());
        return map;
    }
    OfflineBasemap map = fromData(file.readAll());
    if (!map.m_valid)
        map.m_error = QStringLiteral("%1 (%2)").arg(map.m_error, path);
    return map;
}

std::shared_ptr<const OfflineBasemap> OfflineBasemap::embedded()
{
    static const std::shared_ptr<const OfflineBasemap> instance = [] {
        auto map = std::make_shared<OfflineBasemap>(fromFile(kResourcePath));
        if (!map->isValid())
            qCWarning(lcMap).noquote() << map->errorString();
        return map;
    }();
    return instance;
}

const OfflineBasemap::Layer &OfflineBasemap::layer(Kind kind, Lod lod) const
{
    static const Layer empty;
    if (kind < Land || kind > Border || lod < Low || lod >= LodCount)
        return empty;
    const int k = kind - 1;
    return m_layers[k][(lod == High && !m_present[k][High]) ? Low : lod];
}

bool OfflineBasemap::fail(const QString &message)
{
    m_error = QStringLiteral("offline basemap: ") + message;
    return false;
}

bool OfflineBasemap::parse(QByteArrayView data)
{
    if (data.isEmpty())
        return fail(QStringLiteral("no data (empty file)"));
    if (data.size() < kHeaderSize)
        return fail(QStringLiteral("truncated: %1 bytes, the header alone needs %2").arg(data.size()).arg(kHeaderSize));
    const char *d = data.data();
    if (std::memcmp(d, kMagic, sizeof kMagic) != 0)
        return fail(QStringLiteral("not a FleetDesk basemap file (bad magic)"));
    if (const quint16 version = u16(d + 4); version != kVersion)
        return fail(
            QStringLiteral("unsupported format version %1 (this build reads version %2)").arg(version).arg(kVersion));
    if (const quint16 reserved = u16(d + 6); reserved != 0)
        return fail(QStringLiteral("reserved header field is %1, expected 0").arg(reserved));
    const quint32 size = u32(d + 8);
    if (quint64(size) > quint64(data.size()))
        return fail(QStringLiteral("truncated: the header says %1 bytes, there are %2").arg(size).arg(data.size()));
    if (quint64(size) < quint64(data.size()))
        return fail(
            QStringLiteral("%1 bytes after the end the header gives (%2 bytes)").arg(data.size() - size).arg(size));
    const quint32 storedCrc = u32(d + 12);
    if (const quint32 crc = checksum(data.sliced(kChecksummedFrom)); crc != storedCrc) {
        return fail(QStringLiteral("checksum mismatch, the data is corrupt (stored %1, computed %2)")
                        .arg(storedCrc, 8, 16, QLatin1Char('0'))
                        .arg(crc, 8, 16, QLatin1Char('0')));
    }

    const quint32 sectionCount = u32(d + 16);
    if (sectionCount > kMaxSections)
        return fail(QStringLiteral("%1 sections, at most %2 allowed").arg(sectionCount).arg(kMaxSections));
    const quint64 directoryEnd = quint64(kHeaderSize) + quint64(sectionCount) * kDirectoryEntrySize;
    if (directoryEnd > size)
        return fail(QStringLiteral("the section table (%1 sections) runs past the end").arg(sectionCount));

    struct Entry
    {
        quint32 kind, lod, offset, size;
    };
    std::vector<Entry> entries;
    bool seen[4][LodCount] = {};
    for (quint32 i = 0; i < sectionCount; ++i) {
        const char *e = d + kHeaderSize + qsizetype(i) * kDirectoryEntrySize;
        const Entry entry{u32(e), u32(e + 4), u32(e + 8), u32(e + 12)};
        if (entry.kind < Land || entry.kind > Cities)
            return fail(QStringLiteral("section %1 has unknown kind %2").arg(i).arg(entry.kind));
        if (entry.lod >= LodCount || (entry.kind == Cities && entry.lod != Low))
            return fail(QStringLiteral("section %1 (%2) has invalid level of detail %3")
                            .arg(i)
                            .arg(kindName(entry.kind))
                            .arg(entry.lod));
        if (seen[entry.kind - 1][entry.lod])
            return fail(QStringLiteral("%1 appears twice").arg(sectionName(entry.kind, entry.lod)));
        seen[entry.kind - 1][entry.lod] = true;
        if (entry.offset % 4 != 0 || entry.offset < directoryEnd || quint64(entry.offset) + entry.size > size) {
            return fail(QStringLiteral("%1 lies outside the data (offset %2, %3 bytes, file %4 bytes)")
                            .arg(sectionName(entry.kind, entry.lod))
                            .arg(entry.offset)
                            .arg(entry.size)
                            .arg(size));
        }
        entries.push_back(entry);
    }
    std::vector<Entry> byOffset = entries;
    std::sort(byOffset.begin(), byOffset.end(), [](const Entry &a, const Entry &b) { return a.offset < b.offset; });
    for (size_t i = 1; i < byOffset.size(); ++i) {
        if (quint64(byOffset[i - 1].offset) + byOffset[i - 1].size > byOffset[i].offset)
            return fail(QStringLiteral("%1 overlaps %2")
                            .arg(sectionName(byOffset[i - 1].kind, byOffset[i - 1].lod),
                                 sectionName(byOffset[i].kind, byOffset[i].lod)));
    }
    for (const quint32 kind : {Land, Coastline, Border, Cities}) {
        if (!seen[kind - 1][Low])
            return fail(QStringLiteral("%1 is missing").arg(sectionName(kind, Low)));
    }

    for (const Entry &entry : entries) {
        const QByteArrayView section = data.sliced(entry.offset, entry.size);
        const bool ok = entry.kind == Cities ? parseCities(section)
                                             : parseGeometry(section, Kind(entry.kind), Lod(entry.lod));
        if (!ok)
            return false;
    }
    return true;
}

bool OfflineBasemap::parseGeometry(QByteArrayView section, Kind kind, Lod lod)
{
    const QString name = sectionName(kind, lod);
    if (quint64(section.size()) < kGeometryHeaderSize)
        return fail(QStringLiteral("%1 is truncated (%2 bytes)").arg(name).arg(section.size()));
    const char *d = section.data();
    const quint32 featureCount = u32(d);
    const quint32 partCount = u32(d + 4);
    const quint32 pointCount = u32(d + 8);
    // 64-bit: three 32-bit counts times small record sizes cannot overflow.
    const quint64 expected = kGeometryHeaderSize + featureCount * kFeatureRecordSize + partCount * kPartRecordSize
        + pointCount * kPointRecordSize;
    if (!sizeMatches(section, expected)) {
        return fail(QStringLiteral("%1: %2 features, %3 parts and %4 points need %5 bytes, the section has %6")
                        .arg(name)
                        .arg(featureCount)
                        .arg(partCount)
                        .arg(pointCount)
                        .arg(expected)
                        .arg(section.size()));
    }
    const quint32 minPoints = kind == Land ? 3 : 2;
    const char *featureData = d + kGeometryHeaderSize;
    const char *partData = featureData + featureCount * kFeatureRecordSize;
    const char *pointData = partData + partCount * kPartRecordSize;

    Layer &layer = m_layers[kind - 1][lod];
    layer.xy.resize(size_t(pointCount) * 2);
    for (quint32 i = 0; i < pointCount * 2; ++i) {
        const quint32 v = u32(pointData + qsizetype(i) * 4);
        if (v > kFixedOne)
            return fail(QStringLiteral("%1: point %2 lies outside the world (%3)").arg(name).arg(i / 2).arg(v));
        layer.xy[i] = v;
    }

    layer.parts.resize(partCount);
    quint64 pointsUsed = 0;
    for (quint32 i = 0; i < partCount; ++i) {
        Part &part = layer.parts[i];
        part.pointCount = u32(partData + qsizetype(i) * kPartRecordSize);
        if (part.pointCount < minPoints)
            return fail(QStringLiteral("%1: part %2 has %3 points, at least %4 needed")
                            .arg(name)
                            .arg(i)
                            .arg(part.pointCount)
                            .arg(minPoints));
        if (pointsUsed + part.pointCount > pointCount)
            return fail(QStringLiteral("%1: the parts hold more points than the %2 stored").arg(name).arg(pointCount));
        part.firstPoint = quint32(pointsUsed);
        pointsUsed += part.pointCount;
        Box box{0xFFFFFFFFu, 0xFFFFFFFFu, 0, 0};
        for (quint32 p = part.firstPoint; p < part.firstPoint + part.pointCount; ++p) {
            const quint32 x = layer.xy[size_t(p) * 2];
            const quint32 y = layer.xy[size_t(p) * 2 + 1];
            box.minX = std::min(box.minX, x);
            box.minY = std::min(box.minY, y);
            box.maxX = std::max(box.maxX, x);
            box.maxY = std::max(box.maxY, y);
        }
        part.box = box;
    }
    if (pointsUsed != pointCount)
        return fail(
            QStringLiteral("%1: the parts hold %2 of the %3 points stored").arg(name).arg(pointsUsed).arg(pointCount));

    layer.features.resize(featureCount);
    quint64 partsUsed = 0;
    for (quint32 i = 0; i < featureCount; ++i) {
        const char *f = featureData + qsizetype(i) * kFeatureRecordSize;
        Feature &feature = layer.features[i];
        feature.box = Box{u32(f), u32(f + 4), u32(f + 8), u32(f + 12)};
        feature.partCount = u32(f + 16);
        if (feature.partCount == 0)
            return fail(QStringLiteral("%1: feature %2 has no parts").arg(name).arg(i));
        if (partsUsed + feature.partCount > partCount)
            return fail(QStringLiteral("%1: the features use more parts than the %2 stored").arg(name).arg(partCount));
        feature.firstPart = quint32(partsUsed);
        partsUsed += feature.partCount;
        const Box &b = feature.box;
        for (quint32 p = feature.firstPart; p < feature.firstPart + feature.partCount; ++p) {
            const Box &pb = layer.parts[p].box;
            if (pb.minX < b.minX || pb.minY < b.minY || pb.maxX > b.maxX || pb.maxY > b.maxY)
                return fail(QStringLiteral("%1: feature %2's bounding box does not hold its points").arg(name).arg(i));
        }
    }
    if (partsUsed != partCount)
        return fail(
            QStringLiteral("%1: the features use %2 of the %3 parts stored").arg(name).arg(partsUsed).arg(partCount));
    m_present[kind - 1][lod] = true;
    return true;
}

bool OfflineBasemap::parseCities(QByteArrayView section)
{
    const QString name = sectionName(Cities, Low);
    if (quint64(section.size()) < kCitiesHeaderSize)
        return fail(QStringLiteral("%1 is truncated (%2 bytes)").arg(name).arg(section.size()));
    const char *d = section.data();
    const quint32 count = u32(d);
    const quint32 namesSize = u32(d + 4);
    const quint64 expected = kCitiesHeaderSize + count * kCityRecordSize + namesSize;
    if (!sizeMatches(section, expected)) {
        return fail(QStringLiteral("%1: %2 cities and %3 bytes of names need %4 bytes, the section has %5")
                        .arg(name)
                        .arg(count)
                        .arg(namesSize)
                        .arg(expected)
                        .arg(section.size()));
    }
    const char *names = d + kCitiesHeaderSize + count * kCityRecordSize;
    m_cities.reserve(count);
    for (quint32 i = 0; i < count; ++i) {
        const char *c = d + kCitiesHeaderSize + qsizetype(i) * kCityRecordSize;
        City city;
        city.x = u32(c);
        city.y = u32(c + 4);
        const quint32 nameOffset = u32(c + 8);
        const quint16 nameLength = u16(c + 12);
        city.rank = quint8(c[14]);
        const quint8 reserved = quint8(c[15]);
        if (city.x > kFixedOne || city.y > kFixedOne)
            return fail(QStringLiteral("%1: city %2 lies outside the world").arg(name).arg(i));
        if (nameLength == 0 || quint64(nameOffset) + nameLength > namesSize)
            return fail(QStringLiteral("%1: city %2's name lies outside the name data").arg(name).arg(i));
        if (city.rank < 1 || reserved != 0)
            return fail(QStringLiteral("%1: city %2 has rank %3 and reserved byte %4 (rank >= 1 and 0 expected)")
                            .arg(name)
                            .arg(i)
                            .arg(city.rank)
                            .arg(reserved));
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        city.name = decoder(QByteArrayView(names + nameOffset, nameLength));
        if (decoder.hasError())
            return fail(QStringLiteral("%1: city %2's name is not valid UTF-8").arg(name).arg(i));
        m_cities.push_back(std::move(city));
    }
    return true;
}

} // namespace Fleet::Map
