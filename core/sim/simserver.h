#pragma once

#include "api/apiclient.h"
#include "net/httpmessage.h"
#include "sim/simserverconfig.h"
#include "util/clock.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QMap>
#include <QUrl>

#include <memory>

namespace Fleet::Http {
class Server;
}

namespace Fleet::Sim {

class FaultInjector;
class SimAuth;
class SimFleet;
class SimOpenApi;
class SimStreamServer;
struct SimState;

// The simulated Jimi cloud over HTTP/1.1 (Http::Server). Owns the fleet, the
// auth state, the fault injector and the HTTP server, which lets it delay an
// answer or drop the connection instead of answering.
//
//   POST /route/rest              the Open API (always HTTP 200, errors in "code")
//   POST /api/device/sendInstruct the instruction gateway (Appendix A), if enabled
//   GET  /sim/state               counters, clocks, fault settings, devices (not Jimi's)
//   GET  /sim/truth?imei=&from=&to=&parts=fixes,trips,stops,alarms
//                                 ground truth from SimFleet (fleet time, ISO or
//                                 "yyyy-MM-dd HH:mm:ss"; default the last 24 h;
//                                 clipped to [epoch, now], at most 31 days)
//   GET|POST /sim/faults          read / change fault injection (form fields:
//                                 latency_ms, jitter_ms, drop_rate, drop_after_processing,
//                                 error_rate, error_code, error_message, seed,
//                                 fail_next, fail_next_code, fail_next_method, revoke_tokens)
//   GET  /video/<imei>            the live page URL handed out (a stub page)
//   anything else                 404 with a JSON body (405 for a known path
//                                 and a method it does not serve)
//
// The stream URLs that live.stream and history.stream hand out point at a
// media server on a port of its own (SimStreamServer), which serves real
// video. Faults (latency, drops, injected errors) apply to the two Jimi endpoints
// only, never to /sim/*.
class SimServer : public QObject
{
    Q_OBJECT
public:
    // clock: "now" for timestamps, tokens and the fleet; nullptr = Clock::system().
    explicit SimServer(const SimServerConfig &config = {}, Clock *clock = nullptr, QObject *parent = nullptr);
    ~SimServer() override;

    // Starts listening; returns the port (port 0 picks a free one), 0 on
    // failure. Loopback unless told otherwise: /sim/* has no authentication.
    quint16 listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost), quint16 port = 0);

    // After listen(): the port and the URLs a client needs (loopback when
    // listening on "any").
    quint16 serverPort() const;
    QString hostPort() const; // "127.0.0.1:PORT"
    QUrl baseUrl() const; // http://127.0.0.1:PORT/route/rest
    QUrl instructionUrl() const; // http://127.0.0.1:PORT (the gateway's {InsAddress})

    const SimServerConfig &config() const { return m_config; }
    const SimFleet &fleet() const { return *m_fleet; }
    // Raises an alarm of the type on the vehicle now (a second ahead of the
    // fleet's time, so a push that just went out does not pass it by); see
    // SimFleet::raiseAlarm. On the server's thread.
    bool raiseAlarm(const QString &imei, const QString &typeId);
    QString passwordMd5() const;
    // After listen(): the account a client of this cloud signs in with.
    ApiAccount account() const;

    // Fleet time (see SimServerConfig), whole seconds.
    QDateTime fleetNow() const;
    QDateTime toFleetTime(const QDateTime &realUtc) const;
    QDateTime fleetStart() const { return m_fleetClock->start(); }
    // Fleet time as a clock (millisecond precision; fleetNow() floors it).
    const ScaledClock &fleetClock() const { return *m_fleetClock; }

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
    // Cuts every playing video stream, as a network drop would (the streams
    // stay open in the cloud's books).
    void dropStreams();

    // Counters. method "" = all Open API requests. Methods the cloud does
    // not have are counted together as "(unknown)", requests without one as
    // "(none)"; the gateway as "sendInstruct".
    int requestCount(const QString &method = {}) const;
    int codeCount(int code) const;
    int tokensIssued() const;
    int droppedConnections() const;
    int openConnections() const;
    QJsonObject stateJson() const;
    // The media server behind the stream URLs.
    const SimStreamServer &streamServer() const { return *m_streams; }

Q_SIGNALS:
    // After an Open API or gateway answer was computed (before any latency);
    // method as counted (see requestCount()).
    void requestHandled(const QString &method, int code);
    void connectionDropped(const QString &path);

private:
    using Response = Http::Response;
    // What the handler wants done with a request: answer it (possibly after
    // the injected latency), or drop the connection without an answer.
    struct Answer
    {
        Response response;
        int delayMs = 0;
        bool drop = false;
        static Answer reply(const Response &response, int delayMs = 0) { return {response, delayMs, false}; }
    };
    void respond(const Http::Request &request, const Http::Responder &responder);

    Answer handle(const Http::Request &request);
    Answer handleJimi(const Http::Request &request, bool gateway);
    Response simState() const;
    Response mediaFile(const Http::Request &request) const;
    Response simTruth(const Http::Request &request) const;
    Response simFaults(const Http::Request &request);
    QString countedMethod(const QString &method) const;
    void count(const QString &method, int code);
    Answer drop(const QString &path);

    static Response json(const QJsonObject &body, int status = 200);

    SimServerConfig m_config;
    Clock *m_clock;
    std::unique_ptr<ScaledClock> m_fleetClock; // real time -> fleet time

    std::unique_ptr<SimFleet> m_fleet;
    std::unique_ptr<SimState> m_state;
    std::unique_ptr<SimAuth> m_auth;
    std::unique_ptr<FaultInjector> m_faults;
    std::unique_ptr<SimOpenApi> m_api;

    int m_requests = 0;
    QMap<QString, int> m_requestsByMethod;
    QMap<int, int> m_codes;

    // Last, so that it goes first: no request reaches a half-destroyed server.
    std::unique_ptr<SimStreamServer> m_streams;
    std::unique_ptr<Http::Server> m_http;
};

} // namespace Fleet::Sim
