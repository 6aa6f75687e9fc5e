#pragma once

#include "sim/simserverconfig.h"

#include <QAbstractHttpServer>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QMap>
#include <QUrl>

#include <memory>

class QTcpSocket;

namespace Fleet {
class Clock;
}

namespace Fleet::Sim {

class FaultInjector;
class SimAuth;
class SimFleet;
class SimOpenApi;
struct SimState;

// The simulated Jimi cloud over HTTP/1.1. Owns the fleet, the auth state and
// the fault injector, and writes every answer itself on the raw socket so it
// can delay it or drop the connection instead.
//
//   POST /route/rest              the Open API (always HTTP 200, errors in "code")
//   POST /api/device/sendInstruct the instruction gateway (Appendix A), if enabled
//   GET  /sim/state               counters, clocks, fault settings, devices (not Jimi's)
//   GET  /sim/truth?imei=&from=&to=&parts=fixes,trips,stops,alarms
//                                 ground truth from SimFleet (fleet time, ISO or
//                                 "yyyy-MM-dd HH:mm:ss"; default the last 24 h)
//   GET|POST /sim/faults          read / change fault injection (form fields:
//                                 latency_ms, jitter_ms, drop_rate, drop_after_processing,
//                                 error_rate, error_code, error_message, seed,
//                                 fail_next, fail_next_code, fail_next_method, revoke_tokens)
//   GET  /<ch>/<imei>[.history].flv  the stream URLs handed out (an empty FLV)
//   GET  /video/<imei>            the live page URL handed out (a stub page)
//   anything else                 404 with a JSON body
//
// Faults (latency, drops, injected errors) apply to the two Jimi endpoints
// only, never to /sim/*.
class SimServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    // clock: "now" for timestamps, tokens and the fleet; nullptr = Clock::system().
    explicit SimServer(const SimServerConfig &config = {}, Clock *clock = nullptr, QObject *parent = nullptr);
    ~SimServer() override;

    // After listen(): the port and the URLs a client needs (loopback when
    // listening on "any").
    quint16 serverPort() const;
    QString hostPort() const;       // "127.0.0.1:PORT"
    QUrl baseUrl() const;           // http://127.0.0.1:PORT/route/rest
    QUrl instructionUrl() const;    // http://127.0.0.1:PORT (the gateway's {InsAddress})

    const SimServerConfig &config() const { return m_config; }
    const SimFleet &fleet() const { return *m_fleet; }
    QString passwordMd5() const;

    // Fleet time (see SimServerConfig), whole seconds.
    QDateTime fleetNow() const;
    QDateTime toFleetTime(const QDateTime &realUtc) const;
    QDateTime fleetStart() const { return m_fleetStart; }

    // Fault injection at run time.
    SimFaultConfig faults() const;
    void setFaults(const SimFaultConfig &faults);
    void setLatency(int ms, int jitterMs = 0);
    void setDropRate(double rate);
    void setErrorRate(double rate, int code = -1);
    // The next `count` calls (of `method`; empty = any but the token methods) answer `code`.
    void failNext(int count, int code, const QString &method = {});
    // Invalidates every token, as if the cloud had restarted its token store.
    void revokeTokens();

    // Counters. method "" = all Open API requests.
    int requestCount(const QString &method = {}) const;
    int codeCount(int code) const;
    int tokensIssued() const;
    int droppedConnections() const;
    QJsonObject stateJson() const;

Q_SIGNALS:
    // After an Open API or gateway answer was computed (before any latency).
    void requestHandled(const QString &method, int code);
    void connectionDropped(const QString &path);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Response
    {
        int status = 200;
        QByteArray contentType;
        QByteArray body;
    };

    void handleJimi(const QHttpServerRequest &request, QTcpSocket *socket, bool gateway);
    Response simState() const;
    Response simTruth(const QHttpServerRequest &request) const;
    Response simFaults(const QHttpServerRequest &request);
    void count(const QString &method, int code);
    void send(QTcpSocket *socket, const Response &response, bool keepAlive, int delayMs = 0);
    void drop(QTcpSocket *socket, const QString &path);

    static Response json(const QJsonObject &body, int status = 200);

    SimServerConfig m_config;
    Clock *m_clock;
    QDateTime m_serverStart;   // real
    QDateTime m_fleetStart;    // fleet time at m_serverStart

    std::unique_ptr<SimFleet> m_fleet;
    std::unique_ptr<SimState> m_state;
    std::unique_ptr<SimAuth> m_auth;
    std::unique_ptr<FaultInjector> m_faults;
    std::unique_ptr<SimOpenApi> m_api;

    int m_requests = 0;
    QMap<QString, int> m_requestsByMethod;
    QMap<int, int> m_codes;
};

} // namespace Fleet::Sim
