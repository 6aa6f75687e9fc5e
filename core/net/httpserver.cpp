#include "httpserver.h"

#include "net/httpconnection.h"
#include "util/logging.h"

#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace Fleet::Http {

namespace {

constexpr qint64 kWarnEveryMs = 10000;

// One key per client: an IPv4 client seen on a dual-stack socket counts as
// itself.
QString addressKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address.toString();
}

} // namespace

Server::Server(Handler handler, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
{
    m_shared.handler = std::move(handler);
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
    // Every connection goes first, those already closing too (they are no
    // longer in the table), while the handler and the shared state they use
    // still exist.
    m_connections.clear();
    m_perAddress.clear();
    const QList<Connection *> connections = findChildren<Connection *>(QString(), Qt::FindDirectChildrenOnly);
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
    // NOLINTNEXTLINE(misc-redundant-expression): Any and AnyIPv4 are different addresses
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
        const QString address = addressKey(socket->peerAddress());
        bool admit = true;
        if (m_limits.maxConnectionsPerAddress > 0 && m_perAddress.value(address) >= m_limits.maxConnectionsPerAddress) {
            // One client may not take the table; behind a reverse proxy every
            // client has the proxy's address, so this is off there.
            admit = false;
        } else if (m_connections.size() >= qMax(1, m_limits.maxConnections)) {
            // Full: the longest-idle connection makes room, else the new one
            // is turned away (every slot is busy with a request).
            Connection *oldest = nullptr;
            qint64 oldestIdle = -1;
            for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
                auto *c = static_cast<Connection *>(it.key());
                const qint64 idle = c->idleNs();
                if (c->isIdle() && idle > oldestIdle) {
                    oldest = c;
                    oldestIdle = idle;
                }
            }
            if (oldest) {
                forget(oldest);
                oldest->evict();
                ++m_idleEvicted;
                ++m_evictedSinceWarning;
            } else {
                admit = false;
            }
        }
        if (!admit) {
            ++m_turnedAway;
            ++m_turnedAwaySinceWarning;
            socket->abort();
            socket->deleteLater();
        } else {
            auto *connection = new Connection(socket, m_limits, &m_shared, this);
            m_connections.insert(connection, address);
            ++m_perAddress[address];
            connect(connection, &QObject::destroyed, this, &Server::forget);
        }
        warnFull();
    }
}

void Server::forget(QObject *connection)
{
    const auto it = m_connections.constFind(connection);
    if (it == m_connections.cend())
        return;
    const QString address = it.value();
    m_connections.erase(it);
    if (--m_perAddress[address] <= 0)
        m_perAddress.remove(address);
}

void Server::warnFull()
{
    if (m_evictedSinceWarning == 0 && m_turnedAwaySinceWarning == 0)
        return;
    if (m_warned.isValid() && m_warned.elapsed() < kWarnEveryMs)
        return;
    qCWarning(lcHttp).noquote() << QStringLiteral("too many connections (at most %1, %2 per client address): %3 idle "
                                                  "closed to make room, %4 new turned away%5")
                                       .arg(m_limits.maxConnections)
                                       .arg(m_limits.maxConnectionsPerAddress > 0
                                                ? QString::number(m_limits.maxConnectionsPerAddress)
                                                : QStringLiteral("any"))
                                       .arg(m_evictedSinceWarning)
                                       .arg(m_turnedAwaySinceWarning)
                                       .arg(m_warned.isValid()
                                                ? QStringLiteral(" in the last %1 s").arg(m_warned.elapsed() / 1000)
                                                : QString());
    m_warned.start();
    m_evictedSinceWarning = 0;
    m_turnedAwaySinceWarning = 0;
}

} // namespace Fleet::Http
