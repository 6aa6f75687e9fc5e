#include "ingestservice.h"

#include "store/filetokenstore.h"
#include "api/apiclient.h"
#include "api/jimiapi.h"
#include "store/storereader.h"
#include "storesink.h"
#include "syncengine.h"

#include <QDir>
#include <QFileInfo>

namespace Fleet {

IngestService::IngestService(QObject *parent)
    : QObject(parent)
{ }

SyncSink *IngestService::sink()
{
    return m_sink.get();
}

QString IngestService::tokenFilePath(const QString &databasePath)
{
    return databasePath + QStringLiteral(".tokens.json");
}

IngestService::~IngestService()
{
    stop();
}

bool IngestService::start(const IngestServiceConfig &config, QString *error)
{
    m_config = config;
    if (!m_config.dataClock)
        m_config.dataClock = config.clock;
    m_config.writer.clock = m_config.dataClock;
    QDir().mkpath(QFileInfo(config.databasePath).absolutePath());
    if (!m_writer.open(config.databasePath, m_config.writer)) {
        *error = QStringLiteral("store: %1").arg(m_writer.errorString());
        return false;
    }
    m_reader = std::make_unique<StoreReader>();
    if (!m_reader->open(config.databasePath)) {
        *error = QStringLiteral("store: %1").arg(m_reader->errorString());
        m_writer.close();
        return false;
    }
    if (config.account) {
        TokenStore *tokens = config.tokens;
        if (!tokens) {
            // Readable by its owner only, beside the database.
            m_ownTokens = std::make_unique<FileTokenStore>(tokenFilePath(config.databasePath));
            tokens = m_ownTokens.get();
        }
        m_client = std::make_unique<ApiClient>(*config.account, tokens, config.clock);
        m_api = std::make_unique<JimiApi>(m_client.get());
        m_sink = std::make_unique<StoreSink>(&m_writer, m_reader.get());
        m_engine = std::make_unique<SyncEngine>(m_api.get(), m_sink.get(), config.schedule, config.target,
                                                m_config.dataClock);
    }
    if (config.webhook) {
        m_receiver = std::make_unique<Push::Receiver>(&m_writer, *config.webhook, m_config.dataClock);
        if (!m_receiver->start(error)) {
            *error = QStringLiteral("webhook: %1").arg(*error);
            m_receiver.reset();
            m_engine.reset();
            m_writer.close();
            return false;
        }
    }
    m_running = true;
    return true;
}

void IngestService::startPolling()
{
    if (m_engine)
        m_engine->start();
}

bool IngestService::stop(int flushTimeoutMs)
{
    if (!m_running)
        return true;
    m_running = false;
    if (m_engine)
        m_engine->stop();
    if (m_receiver)
        m_receiver->stop();
    if (m_client)
        m_client->cancelAll();
    const bool flushed = m_writer.flush(flushTimeoutMs);
    m_writer.close();
    return flushed;
}

} // namespace Fleet
