#include "faultinjector.h"

#include <QtGlobal>

namespace Fleet::Sim {

namespace {

bool isTokenMethod(const QString &method)
{
    return method == QLatin1String("jimi.oauth.token.get") || method == QLatin1String("jimi.oauth.token.refresh");
}

} // namespace

FaultInjector::FaultInjector(const SimFaultConfig &config)
    : m_config(config)
    , m_rng(config.seed)
{ }

void FaultInjector::setConfig(const SimFaultConfig &config)
{
    const bool reseedNeeded = config.seed != m_config.seed;
    m_config = config;
    if (reseedNeeded)
        reseed(config.seed);
}

void FaultInjector::reseed(quint64 seed)
{
    m_config.seed = seed;
    m_rng = SimRandom(seed);
}

void FaultInjector::failNext(int count, int code, const QString &method, const QString &message)
{
    m_failNextCount = qMax(0, count);
    m_failNextCode = code;
    m_failNextMethod = method;
    m_failNextMessage = message;
}

double FaultInjector::uniform()
{
    return m_rng.uniform();
}

bool FaultInjector::shouldDrop()
{
    // No draw when the fault is off, so switching one fault on does not shift
    // the random sequence of the others.
    if (m_config.dropRate <= 0.0)
        return false;
    if (m_config.dropRate >= 1.0 || uniform() < m_config.dropRate) {
        ++m_drops;
        return true;
    }
    return false;
}

int FaultInjector::delayMs()
{
    // Ten minutes at most each, whatever the configuration says.
    constexpr int kMaxMs = 600000;
    int ms = qBound(0, m_config.latencyMs, kMaxMs);
    if (m_config.latencyJitterMs > 0)
        ms += m_rng.range(0, qMin(m_config.latencyJitterMs, kMaxMs));
    return ms;
}

std::optional<FaultInjector::InjectedError> FaultInjector::errorFor(const QString &method)
{
    if (m_failNextCount > 0) {
        const bool matches = m_failNextMethod.isEmpty() ? !isTokenMethod(method) : method == m_failNextMethod;
        if (matches) {
            --m_failNextCount;
            ++m_injected;
            return InjectedError{m_failNextCode,
                                 m_failNextMessage.isEmpty() ? defaultMessage(m_failNextCode) : m_failNextMessage};
        }
    }
    if (m_config.errorRate <= 0.0 || isTokenMethod(method))
        return std::nullopt;
    if (m_config.errorRate >= 1.0 || uniform() < m_config.errorRate) {
        ++m_injected;
        return InjectedError{m_config.errorCode,
                             m_config.errorMessage.isEmpty() ? defaultMessage(m_config.errorCode)
                                                             : m_config.errorMessage};
    }
    return std::nullopt;
}

QString FaultInjector::defaultMessage(int code)
{
    switch (code) {
    case -1: return QStringLiteral("System busy");
    case 0: return QStringLiteral("success");
    case 1001: return QStringLiteral("Parameter validation");
    case 1002: return QStringLiteral("Illegal device");
    case 1003: return QStringLiteral("Repeat operation");
    case 1004: return QStringLiteral("Illegal access, token exception!");
    case 1005: return QStringLiteral("IP access exceeds limit");
    case 1006: return QStringLiteral("Too frequent, please try again later");
    case 1007: return QStringLiteral("Wrong request method");
    case 1008: return QStringLiteral("Abnormal incoming");
    case 1100: return QStringLiteral("Business exception ");
    default: return QStringLiteral("System error");
    }
}

} // namespace Fleet::Sim
