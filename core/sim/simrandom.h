#pragma once

#include <QtGlobal>

namespace Fleet::Sim {

// A tiny deterministic generator (splitmix64). The simulator never shares one
// stream: it derives a fresh one from hash(seed, vehicle, day, purpose) for
// each thing it decides, so any piece of history can be regenerated on its
// own, in any order, with the same result.
class SimRandom
{
public:
    explicit SimRandom(quint64 seed)
        : m_state(seed)
    { }

    static constexpr quint64 mix(quint64 z)
    {
        z += 0x9e3779b97f4a7c15ULL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    static constexpr quint64 hash(quint64 a, quint64 b = 0, quint64 c = 0, quint64 d = 0)
    {
        return mix(mix(mix(mix(a) ^ b) ^ c) ^ d);
    }

    quint64 next()
    {
        m_state += 0x9e3779b97f4a7c15ULL;
        quint64 z = m_state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    // [0, 1)
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // [lo, hi], both inclusive. Multiply-shift instead of a division: the
    // simulator draws millions of these; the bias is negligible at these ranges.
    int range(int lo, int hi) { return lo + int(((next() >> 32) * quint64(quint32(hi - lo + 1))) >> 32); }
    bool chance(double p) { return uniform() < p; }

private:
    quint64 m_state;
};

} // namespace Fleet::Sim
