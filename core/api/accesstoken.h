#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

#include <optional>

namespace Fleet {

struct AccessToken
{
    QString accessToken;
    QString refreshToken;
    QDateTime obtainedAt;  // our clock, UTC
    QDateTime expiresAt;   // our clock, UTC
    QString account;

    // Usable for at least marginSecs more.
    bool usableAt(const QDateTime &now, int marginSecs = 0) const
    {
        return !accessToken.isEmpty() && expiresAt.isValid() && now.addSecs(marginSecs) < expiresAt;
    }
    friend bool operator==(const AccessToken &, const AccessToken &) = default;
};

// What survives a restart: the token and when token.get was last sent (the
// cloud allows one per minute, across restarts too).
struct TokenState
{
    std::optional<AccessToken> token;
    QDateTime lastTokenGet;
    friend bool operator==(const TokenState &, const TokenState &) = default;
};

// Where TokenState persists. Keyed by endpoint + app key + account so that
// switching accounts never reuses another account's token.
class TokenStore
{
public:
    virtual ~TokenStore() = default;
    virtual TokenState load(const QString &key) = 0;
    virtual void save(const QString &key, const TokenState &state) = 0;
};

class MemoryTokenStore final : public TokenStore
{
public:
    TokenState load(const QString &key) override { return m_states.value(key); }
    void save(const QString &key, const TokenState &state) override { m_states.insert(key, state); }

private:
    QHash<QString, TokenState> m_states;
};

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
