#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace Fleet {

// The p-th percentile (0 < p <= 100) of values by the nearest-rank method:
// the smallest value that at least p % of the values do not exceed. 0 for no
// values. Takes its input by value: it sorts a copy.
template<typename T>
T percentile(std::vector<T> values, double p)
{
    if (values.empty())
        return T();
    const auto rank = std::ptrdiff_t(std::ceil(p / 100.0 * double(values.size())));
    const auto index = std::clamp<std::ptrdiff_t>(rank - 1, 0, std::ptrdiff_t(values.size()) - 1);
    std::nth_element(values.begin(), values.begin() + index, values.end());
    return values[std::size_t(index)];
}

} // namespace Fleet
