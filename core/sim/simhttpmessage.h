#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <utility>

namespace Fleet::Sim {

// The value types that SimHttpServer and its request handler exchange. They
// are grouped in one header because none of them means anything alone.

// Limits of the HTTP layer. A request over a size limit is refused and its
// connection closed; a client that stays silent is disconnected.
struct SimHttpLimits
{
    int maxHeaderBytes = 16 * 1024;          // request line + headers: 431 beyond
    int maxHeaderCount = 100;                // 431 beyond
    qint64 maxBodyBytes = 1024 * 1024;       // Content-Length: 413 beyond
    int idleTimeoutMs = 30000;               // no request under way: close
    int requestTimeoutMs = 30000;            // a started request must be complete by then: 408
    int maxQueuedRequests = 32;              // per connection, awaiting their answers in order
    qint64 maxUnsentBytes = 4 * 1024 * 1024; // per connection: stop reading until the client reads
    int maxConnections = 256;                // more are closed at once
};

struct SimHttpRequest
{
    QByteArray method;         // "GET", "POST", ... as sent (case-sensitive, RFC 9110)
    QByteArray target;         // as sent: "/route/rest?x=1"
    QString path;              // percent-decoded path of the target
    QByteArray query;          // the raw query, without '?'
    int versionMinor = 1;      // HTTP/1.<minor>
    QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case, values trimmed
    QByteArray body;
    bool keepAlive = true;

    // The first header called name (any case); empty if there is none.
    QByteArray header(QByteArrayView name) const;
    QUrlQuery urlQuery() const { return QUrlQuery(QString::fromUtf8(query)); }
};

struct SimHttpResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers; // extra ones, e.g. Allow
    bool close = false;        // close the connection after this answer

    static QByteArray reasonPhrase(int status);
    // The whole message; the body is left out for HEAD (its length is not).
    QByteArray serialize(bool keepAlive, bool headRequest) const;
};

// What the handler wants done with a request: answer it (possibly later), or
// drop the connection without an answer.
struct SimHttpAnswer
{
    SimHttpResponse response;
    int delayMs = 0;
    bool drop = false;

    static SimHttpAnswer reply(const SimHttpResponse &response, int delayMs = 0) { return {response, delayMs, false}; }
    static SimHttpAnswer dropConnection() { return {{}, 0, true}; }
};

} // namespace Fleet::Sim
