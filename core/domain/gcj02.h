#pragma once

#include "fence.h"

namespace Fleet::Gcj02 {

// China's GCJ-02 ("Mars") datum, which the platform fence API and device fences
// (map_type GOOGLE) expect. Outside mainland China both are identical.
//
// Mainland China is an outline, not a box: Hong Kong, Macau, Taiwan (with
// Kinmen and Matsu), Korea, Vietnam, India and the rest of a box around China
// are outside, so a fence there is not moved by the 450-600 m shift. The
// outline comes from Natural Earth (tools/gcj02/make_mainland.py); its land
// borders with Hong Kong and Macau are exact to the data, other borders are
// simplified to about 2.5 km.
bool insideChina(const GeoPoint &wgs84);
GeoPoint fromWgs84(const GeoPoint &wgs84);
// Inverse by fixed-point iteration; error below 1 mm.
GeoPoint toWgs84(const GeoPoint &gcj02);

} // namespace Fleet::Gcj02
