#pragma once

#include "storereader.h"

#include "domain/accesstoken.h"

#include <QHash>
#include <QPointer>
#include <QString>

namespace Fleet {

class StoreWriter;

// A TokenStore on the store's tokens table. Saves go through the store's one
// writer (asynchronously, like every write); loads read the table on a
// read-only connection of their own, opened on first use in the calling
// thread. What was saved is remembered, so a load right after a save sees it
// before the writer has committed. Use it from one thread, as ApiClient does.
//
// The table holds no app secret or password hash (those live in the OS
// keychain); see docs/SCHEMA.md for why the short-lived tokens may.
class SqlTokenStore final : public TokenStore
{
public:
    explicit SqlTokenStore(StoreWriter *writer);

    TokenState load(const QString &key) override;
    void save(const QString &key, const TokenState &state) override;

private:
    QPointer<StoreWriter> m_writer;
    QString m_path;
    StoreReader m_reader;
    QHash<QString, TokenState> m_saved;
};

} // namespace Fleet
