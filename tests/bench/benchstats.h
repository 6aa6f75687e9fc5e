#pragma once

// Percentiles of a benchmark's frame times, shared by the map benchmarks.

#include "util/percentile.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QList>

#include <algorithm>
#include <ctime>
#include <vector>

namespace BenchStats {

inline double elapsedMs(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// The calling thread's own CPU time, to tell a frame's work from the time
// the thread waited for a core; -1 where there is no per-thread clock.
inline double threadCpuMs()
{
#ifdef Q_OS_UNIX
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
        return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
#endif
    return -1;
}

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
