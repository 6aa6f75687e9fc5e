#pragma once

#include "sim/simrandom.h"
#include "sim/simserverconfig.h"

#include <QString>

#include <optional>

namespace Fleet::Sim {

// Decides, request by request, which faults the simulated cloud injects:
// latency, dropped connections and error answers (by rate, or "the next N").
// Every random draw comes from one seeded generator (SimRandom, whose
// sequence is defined here and not by a standard library) so that a test
// that sends the same requests sees the same faults on every platform.
class FaultInjector
{
public:
    struct InjectedError
    {
        int code = -1;
        QString message;
    };

    explicit FaultInjector(const SimFaultConfig &config = {});

    const SimFaultConfig &config() const { return m_config; }
    // Replaces the configuration; reseeds only when the seed changes.
    void setConfig(const SimFaultConfig &config);
    void reseed(quint64 seed);

    // The next `count` API calls (of `method`, or of any method other than the
    // token methods when empty) answer `code`. count 0 clears.
    void failNext(int count, int code, const QString &method = {}, const QString &message = {});
    int pendingFailures() const { return m_failNextCount; }

    // Per request, in this order: drop?, the delay, the injected error.
    bool shouldDrop();
    int delayMs();
    std::optional<InjectedError> errorFor(const QString &method);

    int drops() const { return m_drops; }
    int injectedErrors() const { return m_injected; }

    // The usual message for a code, used when none is configured.
    static QString defaultMessage(int code);

private:
    double uniform();

    SimFaultConfig m_config;
    SimRandom m_rng;
    int m_failNextCount = 0;
    int m_failNextCode = -1;
    QString m_failNextMethod;
    QString m_failNextMessage;
    int m_drops = 0;
    int m_injected = 0;
};

} // namespace Fleet::Sim
