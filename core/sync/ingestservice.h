#pragma once

#include "ingestconfig.h"
#include "push/pushreceiver.h"
#include "store/storewriter.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

namespace Fleet {

class ApiClient;
class Clock;
class JimiApi;
class StoreReader;
class StoreSink;
class SyncEngine;
class SyncSink;
class TokenStore;

// The two ways in and the one writer, wired as DESIGN.md draws them: the
// sync engine polls the account, the webhook receiver takes its pushes, and
// both hand their rows to the one StoreWriter. fleetdesk-ingest runs one on
// its main thread; the desktop runs one on a worker thread of its own.
//
// Everything lives on the thread that calls start().
struct IngestServiceConfig
{
    QString databasePath;
    StoreWriter::Options writer;
    // Polling; absent: push only.
    std::optional<ApiAccount> account;
    QString target; // empty: the account
    SyncSchedule schedule;
    // Where the access token is kept; null: a file beside the database
    // (IngestService::tokenFilePath).
    TokenStore *tokens = nullptr;
    // The webhook receiver; absent: none.
    std::optional<Push::ReceiverConfig> webhook;
    // Real time: request timestamps and the token's lifecycle.
    Clock *clock = nullptr;
    // The time the data lives in: the sync windows and schedules' "now",
    // the writer's and the receiver's received times. Null: clock. Differs
    // only in a demo whose simulated fleet lives at another time.
    Clock *dataClock = nullptr;
};

class IngestService : public QObject
{
    Q_OBJECT

public:
    explicit IngestService(QObject *parent = nullptr);
    ~IngestService() override; // stop()

    // Opens the store and the receiver (which first finishes what its inbox
    // holds). Does not poll yet: startPolling() or runOnce() does. False,
    // with a one-line *error, when the store or the listener cannot start.
    bool start(const IngestServiceConfig &config, QString *error);
    void startPolling();
    // Stops polling and listening, cancels requests in flight, and commits
    // what is queued (waiting at most flushTimeoutMs). False when something
    // could not be written.
    bool stop(int flushTimeoutMs = 60000);

    // The token file of a database, when no TokenStore is given.
    static QString tokenFilePath(const QString &databasePath);

    StoreWriter *writer() { return &m_writer; }
    // A reader of the thread that called start().
    StoreReader *reader() { return m_reader.get(); }
    ApiClient *client() { return m_client.get(); }
    // The typed calls and the store's way in, for on-demand fetches beside
    // the schedules (TrackFetcher). Null without an account.
    JimiApi *api() { return m_api.get(); }
    SyncSink *sink();
    SyncEngine *engine() { return m_engine.get(); }
    Push::Receiver *receiver() { return m_receiver.get(); }
    const IngestServiceConfig &config() const { return m_config; }
    bool isRunning() const { return m_running; }

private:
    IngestServiceConfig m_config;
    StoreWriter m_writer;
    std::unique_ptr<StoreReader> m_reader;
    std::unique_ptr<TokenStore> m_ownTokens;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<JimiApi> m_api;
    std::unique_ptr<StoreSink> m_sink;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<Push::Receiver> m_receiver;
    bool m_running = false;
};

} // namespace Fleet
