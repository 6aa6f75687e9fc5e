#pragma once

#include "net/httpmessage.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QTimer>

#include <deque>
#include <memory>
#include <optional>

namespace Fleet {
class Clock;
class StoreWriter;
struct IngestBatch;
} // namespace Fleet

namespace Fleet::Http {
class Server;
}

namespace Fleet::Push {

enum class Endpoint;
class Inbox;
struct InboxRecord;
struct ParsedPush;

struct ReceiverConfig
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; // 0: any free port (see Receiver::port())
    QByteArray token; // the shared secret agreed with the cloud; required
    int maxItems = 50; // data_list items per request (reference §10)
    Http::Limits http = defaultLimits(); // maxBodyBytes is the 413 limit
    std::optional<QSslConfiguration> tls; // certificate and key: HTTPS instead of HTTP
    int commitTimeoutMs = 10000; // the raw request is not committed by then: 503
    qint64 maxPendingRows = 500000; // the writer is this far behind: 503, come back later

    static Http::Limits defaultLimits();
    // A server configuration from PEM files: the certificate (chain) and its
    // RSA or EC private key (unencrypted). nullopt, with *error, when either
    // cannot be read. (A key that does not match the certificate shows as
    // failed handshakes in the log.)
    static std::optional<QSslConfiguration> tlsFromFiles(const QString &certificatePath, const QString &keyPath,
                                                         QString *error);
};

// What the receiver has seen since it started.
struct ReceiverStats
{
    qint64 requests = 0; // every request that reached the receiver
    qint64 accepted = 0; // answered {"code":0,"msg":"success"}
    qint64 itemsAccepted = 0; // items of the accepted requests
    qint64 unauthorized = 0; // 401: missing or wrong token
    qint64 notFound = 0; // 404: a path that is no push endpoint
    qint64 wrongMethod = 0; // 405
    qint64 wrongContentType = 0; // 415
    qint64 malformed = 0; // 400 / 422: the envelope could not be read
    qint64 quarantinedItems = 0; // items (or whole payloads) kept in push_quarantine
    qint64 unavailable = 0; // 503: the database could not take the request in time
    qint64 recovered = 0; // requests of an earlier run finished from the inbox
    qint64 inboxPending = 0; // acknowledged requests whose items are not yet in their tables
    QMap<QString, qint64> itemsByEndpoint;
};

// The webhook receiver (reference §10): an HTTP(S) listener for every push
// endpoint of the cloud, in front of the store.
//
// Durable before acknowledged: a request that passes the checks is parsed in
// memory (cheap), then its raw payload goes to the push inbox (Inbox: a
// small file of its own, so that the answer never waits for the database's
// write lock), any item that could not be read to push_quarantine, and only
// when those commits are done is the request answered. Its parsed rows follow
// in the store writer's next regular transaction, and once they are
// committed the inbox lets go of the request. A crash in between leaves the
// inbox row; start() applies it again (every push write is keyed, so that
// adds nothing). The webhook token is checked, never stored.
//
// Order of the checks, each answered with a JSON error and logged (what came
// from the client escaped, see loggable()): path (404), method (405),
// Content-Type (415) and a token in the query (401) on the request's head,
// before its body is read; then form (400/422), token (401), items (422, and
// kept in quarantine: the sender was authenticated). Size limits (413, from
// Content-Length before the body is read), the memory of bodies in flight,
// header limits, connection limits and slow clients are the HTTP layer's
// (Http::Limits). Lives on one thread
// (the owner's); the store writer commits on its own.
class Receiver : public QObject
{
    Q_OBJECT
public:
    Receiver(StoreWriter *writer, const ReceiverConfig &config, Clock *clock = nullptr, QObject *parent = nullptr);
    ~Receiver() override;

    // Opens the push inbox beside the writer's database (Inbox::pathFor),
    // finishes what it holds from an earlier run, then listens. False, with
    // *error, when the inbox cannot be opened or read or the address bound.
    bool start(QString *error);
    void stop();
    bool isListening() const;
    quint16 port() const;
    // The callback base URL as reached from this machine ("http://127.0.0.1:8090/"); empty when stopped.
    QUrl url() const;
    QHostAddress address() const;
    bool isTls() const;

    ReceiverStats stats() const { return m_stats; }

Q_SIGNALS:
    // After every answer: its status and the endpoint ("" when unknown).
    void answered(int status, const QString &endpoint);

private:
    struct Refusal
    {
        int status = 400;
        QString endpoint; // "" when unknown
        QString message;
        qint64 ReceiverStats::*counter = nullptr;
    };
    // The checks that need no body: path, method, content type, a token in
    // the query.
    std::optional<Refusal> screen(const Http::Request &request) const;
    // Counts and logs a refusal and makes its answer.
    Http::Response refusal(const Refusal &refusal, const QString &peer);
    void handle(const Http::Request &request, const Http::Responder &responder);
    void reject(const Http::Responder &responder, int status, const QString &endpoint, const QString &message,
                const QString &peer);
    void accept(const Http::Responder &responder, Endpoint endpoint, InboxRecord record, IngestBatch quarantine,
                ParsedPush parsed, const QString &peer);
    void sweepWaiting();
    bool writerCanTake(QString *why) const;
    bool recoverInbox(QString *error);
    void noteItems(Endpoint endpoint, qint64 items);

    StoreWriter *m_writer;
    ReceiverConfig m_config;
    Clock *m_clock;
    std::unique_ptr<Http::Server> m_server;
    std::unique_ptr<Inbox> m_inbox;
    ReceiverStats m_stats;
    QMap<int, qint64> m_loggedByStatus; // rejections logged per status, to keep floods out of the log

    // Requests waiting for their commit, oldest first, for the 503 deadline.
    struct Waiting
    {
        qint64 deadlineMs = 0;
        std::shared_ptr<bool> answered;
        Http::Responder responder;
        QString endpoint;
        QString peer;
    };
    std::deque<Waiting> m_waiting;
    QTimer m_sweep;
};

} // namespace Fleet::Push
