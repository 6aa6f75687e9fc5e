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
    QDateTime obtainedAt; // our clock, UTC
    QDateTime expiresAt; // our clock, UTC
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

} // namespace Fleet
