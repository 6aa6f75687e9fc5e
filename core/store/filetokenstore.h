#pragma once

#include "domain/accesstoken.h"

#include <QString>

namespace Fleet {

// A JSON file readable only by its owner, beside the desktop's database. More
// than one client may save the same account's state (the session and the
// account dialog's "Test connection"): a save keeps the newer of what the
// file holds and what it is given, field by field (the later token.get
// answer, the token obtained last), so no client undoes another's sign-in.
class FileTokenStore final : public TokenStore
{
public:
    explicit FileTokenStore(const QString &path);
    TokenState load(const QString &key) override;
    void save(const QString &key, const TokenState &state) override;
    QString path() const { return m_path; }

    static QString defaultPath();

private:
    QString m_path;
};

} // namespace Fleet
