#pragma once

#include "net/httpconnection.h"
#include "net/httpmessage.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <functional>

class QSslConfiguration;
class QTcpServer;

namespace Fleet::Http {

// A small HTTP/1.1 server on QTcpServer (or QSslServer for TLS), used by the
// simulated cloud and by the webhook receiver: Content-Length bodies (no
// chunked requests), keep-alive, pipelining with answers in request order,
// size limits enforced before a body is read, a budget for the bodies in
// flight, timeouts for slow clients, and a connection table that a crowd of
// idle clients cannot fill (see Limits). The handler answers each request through a Responder, at
// once or later (after a database commit, say), or has the connection
// dropped. Why not QtHttpServer: in Qt 6.4 it reads any body whole into
// memory without a limit, has no timeout for a client that sends slowly,
// answers a wrong method with 404, and its handler API changed in 6.5.
// Owns the listening socket and every connection (Connection).
class Server : public QObject
{
    Q_OBJECT
public:
    explicit Server(Handler handler, const Limits &limits = {}, QObject *parent = nullptr);
    ~Server() override;

    // Refuses requests on their head, before their body is read (see HeadCheck).
    void setHeadCheck(HeadCheck check) { m_shared.headCheck = std::move(check); }

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
    // Connections closed because the table was full: idle ones closed to
    // make room, and new ones turned away (the table full of busy ones, or
    // their address at its limit).
    qint64 idleEvicted() const { return m_idleEvicted; }
    qint64 turnedAway() const { return m_turnedAway; }
    qint64 bodyBytesInFlight() const { return m_shared.bodyBytesInFlight; }

private:
    void acceptPending();
    void forget(QObject *connection);
    void warnFull();
    void createServer(bool tls, const QSslConfiguration *configuration);

    ServerShared m_shared;
    Limits m_limits;
    QTcpServer *m_server = nullptr;
    bool m_tls = false;
    QHash<QObject *, QString> m_connections; // connection -> client address
    QHash<QString, int> m_perAddress;
    qint64 m_idleEvicted = 0;
    qint64 m_turnedAway = 0;
    // "Too many connections" is logged at most every kWarnEveryMs, with what
    // happened since.
    QElapsedTimer m_warned;
    qint64 m_evictedSinceWarning = 0;
    qint64 m_turnedAwaySinceWarning = 0;
};

} // namespace Fleet::Http
