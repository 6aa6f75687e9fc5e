#pragma once

// Percentiles of a benchmark's frame times, shared by the map benchmarks.

#include <algorithm>
#include <vector>

namespace BenchStats {

struct Stats
{
    double median = 0, p95 = 0, p99 = 0, max = 0;
};

inline Stats stats(std::vector<double> ms)
{
    Stats s;
    if (ms.empty())
        return s;
    std::sort(ms.begin(), ms.end());
    const auto at = [&ms](double q) {
        return ms[std::min(ms.size() - 1, std::size_t(q * double(ms.size() - 1) + 0.5))];
    };
    s.median = at(0.5);
    s.p95 = at(0.95);
    s.p99 = at(0.99);
    s.max = ms.back();
    return s;
}

} // namespace BenchStats
