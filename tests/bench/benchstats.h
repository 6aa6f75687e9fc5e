#pragma once

// Percentiles of a benchmark's frame times, shared by the map benchmarks.

#include "util/percentile.h"

#include <algorithm>
#include <vector>

namespace BenchStats {

struct Stats
{
    double median = 0, p95 = 0, p99 = 0, max = 0;
};

inline Stats stats(const std::vector<double> &ms)
{
    Stats s;
    if (ms.empty())
        return s;
    s.median = Fleet::percentile(ms, 50);
    s.p95 = Fleet::percentile(ms, 95);
    s.p99 = Fleet::percentile(ms, 99);
    s.max = *std::max_element(ms.begin(), ms.end());
    return s;
}

} // namespace BenchStats
