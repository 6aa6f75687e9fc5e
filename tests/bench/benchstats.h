#pragma once

// Percentiles of a benchmark's frame times, shared by the map benchmarks.

#include "util/percentile.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <algorithm>
#include <vector>

namespace BenchStats {

// The process's resident memory (Linux), KiB; -1 where it cannot be read.
inline qint64 rssKiB()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts.at(1).toLongLong() * 4 : -1;
}

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
