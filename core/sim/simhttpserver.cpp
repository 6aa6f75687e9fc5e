#include "simhttpserver.h"

#include "sim/simhttpconnection.h"
#include "util/logging.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace Fleet::Sim {

SimHttpServer::SimHttpServer(Handler handler, const SimHttpLimits &limits, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_limits(limits)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &SimHttpServer::acceptPending);
}

SimHttpServer::~SimHttpServer()
{
    // Connections go first, while the handler they call still exists.
    const QSet<QObject *> connections = m_connections;
    m_connections.clear();
    qDeleteAll(connections);
}

bool SimHttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

bool SimHttpServer::isListening() const
{
    return m_server->isListening();
}

quint16 SimHttpServer::serverPort() const
{
    return m_server->serverPort();
}

QHostAddress SimHttpServer::serverAddress() const
{
    return m_server->serverAddress();
}

void SimHttpServer::close()
{
    m_server->close();
}

void SimHttpServer::acceptPending()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections.size() >= qMax(1, m_limits.maxConnections)) {
            qCWarning(lcSim) << "too many connections; closing a new one";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *connection = new SimHttpConnection(socket, m_limits, m_handler, this);
        m_connections.insert(connection);
        connect(connection, &QObject::destroyed, this, [this](QObject *object) { m_connections.remove(object); });
    }
}

} // namespace Fleet::Sim
