#include "sqltokenstore.h"

#include "storelog.h"
#include "storewriter.h"

namespace Fleet {

SqlTokenStore::SqlTokenStore(StoreWriter *writer)
    : m_writer(writer)
    , m_path(writer ? writer->path() : QString())
{ }

TokenState SqlTokenStore::load(const QString &key)
{
    const auto saved = m_saved.constFind(key);
    if (saved != m_saved.cend())
        return *saved;
    if (!m_reader.isOpen() && !m_reader.open(m_path)) {
        qCWarning(lcStore).noquote() << "token store cannot read the database:" << m_reader.errorString();
        return {};
    }
    return m_reader.tokenState(key);
}

void SqlTokenStore::save(const QString &key, const TokenState &state)
{
    m_saved.insert(key, state);
    IngestBatch batch;
    batch.tokens.append(TokenRecord{key, state});
    if (!m_writer || !m_writer->write(batch))
        qCWarning(lcStore) << "token state not persisted: the store is not open";
}

} // namespace Fleet
