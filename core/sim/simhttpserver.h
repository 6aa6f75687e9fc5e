#pragma once

#include "sim/simhttpmessage.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>

#include <functional>

class QTcpServer;

namespace Fleet::Sim {

// A small HTTP/1.1 server on a plain QTcpServer, just enough for the
// simulated cloud: Content-Length bodies (no chunked requests), keep-alive,
// pipelining with answers in request order, size limits and timeouts (see
// SimHttpLimits). The handler answers each request, possibly after a delay,
// or has the connection dropped; that raw-socket control is why this is not
// QtHttpServer, whose API also differs between Qt 6.4 and later versions.
// Owns the listening socket and every connection (SimHttpConnection).
class SimHttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<SimHttpAnswer(const SimHttpRequest &)>;

    explicit SimHttpServer(Handler handler, const SimHttpLimits &limits = {}, QObject *parent = nullptr);
    ~SimHttpServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    void close();

    const SimHttpLimits &limits() const { return m_limits; }
    int connectionCount() const { return int(m_connections.size()); }

private:
    void acceptPending();

    Handler m_handler;
    SimHttpLimits m_limits;
    QTcpServer *m_server;
    QSet<QObject *> m_connections;
};

} // namespace Fleet::Sim
