// Fuzz target for fence files (FenceFiles): every input is read as GeoJSON
// and as KML. Beyond not crashing: an import either fails whole or gives
// fences that are all usable and simple, and what it gives survives being
// written and read again unchanged in number.

#include "fences/fencefiles.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Fleet;

namespace {

void check(bool ok)
{
    if (!ok)
        std::abort();
}

void verify(const FenceImport &in, QByteArray (*write)(const QList<NamedFence> &),
            FenceImport (*read)(const QByteArray &))
{
    check(in.error.isEmpty() || in.fences.isEmpty());
    for (const NamedFence &f : in.fences) {
        check(FenceGeometry::isUsable(f.shape));
        check(!FenceGeometry::selfCrossing(f.shape));
    }
    if (in.fences.isEmpty())
        return;
    const FenceImport again = read(write(in.fences));
    check(again.error.isEmpty());
    check(again.fences.size() == in.fences.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    verify(FenceFiles::readGeoJson(input), &FenceFiles::writeGeoJson, &FenceFiles::readGeoJson);
    verify(FenceFiles::readKml(input), &FenceFiles::writeKml, &FenceFiles::readKml);
    return 0;
}
