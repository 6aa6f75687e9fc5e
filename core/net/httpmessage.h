#pragma once

#include <QByteArray>
#include <QPointer>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <utility>

namespace Fleet::Http {

// The value types that Server and its request handler exchange. They
// are grouped in one header because none of them means anything alone.

class Connection;

// Limits of the HTTP layer. A request over a size limit is refused and its
// connection closed; a client that stays silent is disconnected.
struct Limits
{
    int maxHeaderBytes = 16 * 1024; // request line + headers: 431 beyond
    int maxHeaderCount = 100; // 431 beyond
    qint64 maxBodyBytes = 1024 * 1024; // Content-Length: 413 beyond
    int idleTimeoutMs = 30000; // no request under way: close
    int requestTimeoutMs = 30000; // a started request must be complete by then: 408
    int maxQueuedRequests = 32; // per connection, awaiting their answers in order
    qint64 maxUnsentBytes = 4 * 1024 * 1024; // per connection: stop reading until the client reads
    int maxConnections = 256; // when full, the longest-idle one makes room, else a new one is closed
    int maxConnectionsPerAddress = 0; // from one client address (0: no limit); more are closed at once
    qint64 maxBodyBytesInFlight = 64 * 1024 * 1024; // bodies being received, all connections together: 503 beyond
};

struct Request
{
    QByteArray method; // "GET", "POST", ... as sent (case-sensitive, RFC 9110)
    QByteArray target; // as sent: "/route/rest?x=1"
    QString path; // percent-decoded path of the target
    QByteArray query; // the raw query, without '?'
    int versionMinor = 1; // HTTP/1.<minor>
    QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case, values trimmed
    QByteArray body;
    bool keepAlive = true;
    QString peer; // the client's address, for logs

    // The first header called name (any case); empty if there is none.
    QByteArray header(QByteArrayView name) const;
    QUrlQuery urlQuery() const { return QUrlQuery(QString::fromUtf8(query)); }
};

struct Response
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers; // extra ones, e.g. Allow
    bool close = false; // close the connection after this answer

    static QByteArray reasonPhrase(int status);
    // The whole message; the body is left out for HEAD (its length is not).
    QByteArray serialize(bool keepAlive, bool headRequest) const;
};

// How a handler answers one request, now or later. Copyable; the first
// answer() or drop() counts, later ones do nothing, and so does every call
// once the client has gone. Use it on the server's thread only. A request
// that is never answered holds back the answers behind it on its
// connection (they leave in request order) until the client goes away.
class Responder
{
public:
    Responder() = default;

    void answer(const Response &response) const;
    // Closes the connection at once, without an answer.
    void drop() const;
    // An object that lives exactly as long as the connection: a context for
    // timers and signal connections that lead to answer(). Null when gone.
    QObject *context() const;
    bool isHeadRequest() const { return m_head; }

private:
    friend class Connection;
    Responder(Connection *connection, quint64 id, bool head);

    QPointer<Connection> m_connection;
    quint64 m_id = 0;
    bool m_head = false;
};

} // namespace Fleet::Http
