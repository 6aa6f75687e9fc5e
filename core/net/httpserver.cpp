#include "httpserver.h"

#include "net/httpconnection.h"
#include "util/logging.h"

#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace Fleet::Http {

Server::Server(Handler handler, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_limits(limits)
{
    createServer(false, nullptr);
}

void Server::createServer(bool tls, const QSslConfiguration *configuration)
{
    delete m_server;
    m_tls = tls;
    if (tls) {
        auto *server = new QSslServer(this);
        server->setSslConfiguration(*configuration);
        // A client that opens a connection and never finishes the handshake
        // is dropped like any other silent client.
        server->setHandshakeTimeout(qMax(1000, m_limits.requestTimeoutMs));
        connect(server, &QSslServer::sslErrors, this, [](QSslSocket *, const QList<QSslError> &errors) {
            qCWarning(lcHttp) << "TLS handshake failed:" << errors;
        });
        m_server = server;
    } else {
        m_server = new QTcpServer(this);
    }
    // QSslServer offers a connection once its handshake is done
    // (pendingConnectionAvailable); both signals lead to the same loop.
    connect(m_server, &QTcpServer::newConnection, this, &Server::acceptPending);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &Server::acceptPending);
}

void Server::setTlsConfiguration(const QSslConfiguration &configuration)
{
    createServer(true, &configuration);
}

QString Server::errorString() const
{
    return m_server->errorString();
}

Server::~Server()
{
    // Connections go first, while the handler they call still exists.
    const QSet<QObject *> connections = m_connections;
    m_connections.clear();
    qDeleteAll(connections);
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

bool Server::isListening() const
{
    return m_server->isListening();
}

quint16 Server::serverPort() const
{
    return m_server->serverPort();
}

QHostAddress Server::serverAddress() const
{
    return m_server->serverAddress();
}

QUrl Server::url() const
{
    if (!isListening())
        return {};
    QHostAddress address = serverAddress();
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4 || address.isNull())
        address = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress::LocalHostIPv6;
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(address.toString());
    url.setPort(serverPort());
    return url;
}

void Server::close()
{
    m_server->close();
}

void Server::acceptPending()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections.size() >= qMax(1, m_limits.maxConnections)) {
            qCWarning(lcHttp) << "too many connections; closing a new one";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *connection = new Connection(socket, m_limits, m_handler, this);
        m_connections.insert(connection);
        connect(connection, &QObject::destroyed, this, [this](QObject *object) { m_connections.remove(object); });
    }
}

} // namespace Fleet::Http
