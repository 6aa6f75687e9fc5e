#pragma once

#include "fence.h"

namespace Fleet::Gcj02 {

// China's GCJ-02 ("Mars") datum, which the platform fence API and device fences
// (map_type GOOGLE) expect. Outside mainland China both are identical.
bool insideChina(const GeoPoint &wgs84);
GeoPoint fromWgs84(const GeoPoint &wgs84);
// Inverse by fixed-point iteration; error below 1 mm.
GeoPoint toWgs84(const GeoPoint &gcj02);

} // namespace Fleet::Gcj02
