#pragma once

#include "net/httpmessage.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QUrl>

#include <functional>

class QSslConfiguration;
class QTcpServer;

namespace Fleet::Http {

// A small HTTP/1.1 server on QTcpServer (or QSslServer for TLS), used by the
// simulated cloud and by the webhook receiver: Content-Length bodies (no
// chunked requests), keep-alive, pipelining with answers in request order,
// size limits enforced before a body is read and timeouts for slow clients
// (see Limits). The handler answers each request through a Responder, at
// once or later (after a database commit, say), or has the connection
// dropped. Why not QtHttpServer: in Qt 6.4 it reads any body whole into
// memory without a limit, has no timeout for a client that sends slowly,
// answers a wrong method with 404, and its handler API changed in 6.5.
// Owns the listening socket and every connection (Connection).
class Server : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const Request &, const Responder &)>;

    explicit Server(Handler handler, const Limits &limits = {}, QObject *parent = nullptr);
    ~Server() override;

    bool listen(const QHostAddress &address, quint16 port);
    // TLS on every connection from now on; call before listen(). The
    // configuration needs a local certificate and private key.
    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls; }
    QString errorString() const;
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    // Where a client on this machine reaches the server: http(s)://host:port,
    // loopback when it listens on "any". Empty when not listening.
    QUrl url() const;
    void close();

    const Limits &limits() const { return m_limits; }
    int connectionCount() const { return int(m_connections.size()); }

private:
    void acceptPending();

    Handler m_handler;
    Limits m_limits;
    void createServer(bool tls, const QSslConfiguration *configuration);

    QTcpServer *m_server = nullptr;
    bool m_tls = false;
    QSet<QObject *> m_connections;
};

} // namespace Fleet::Http
