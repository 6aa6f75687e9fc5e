#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

namespace Fleet {
class Clock;
}

namespace Fleet::Sim {

// The cloud's side of authentication: the one app key/secret, the account
// credentials (password kept only as MD5), and the access tokens issued by
// jimi.oauth.token.get / refresh. A user may hold several tokens at once
// (workstations sharing an account): a new token.get leaves the others valid
// until they expire, unless setRevokeOnIssue(true). A refresh replaces the
// token it refreshed, whose access and refresh tokens stop working at once.
// All times are the real (injected) clock.
class SimAuth
{
public:
    struct Token
    {
        QString accessToken;
        QString refreshToken;
        QString appKey;
        QString userId;
        QDateTime issuedAt;
        QDateTime expiresAt;
        int expiresIn = 0;
    };

    enum class Outcome {
        Ok,
        BadCredentials, // unknown user or wrong password
        TooFrequent, // token.get again within the interval
        BadRefresh, // unknown pair, or the refresh token's day is over
    };

    struct Issued
    {
        Outcome outcome = Outcome::Ok;
        Token token;
    };

    SimAuth(const QString &appKey, const QString &appSecret, const QString &userId, const QString &password,
            int tokenGetIntervalSecs, Clock *clock);

    bool knowsAppKey(const QString &appKey) const;
    QString secret() const { return m_appSecret; }
    QString userId() const { return m_userId; }
    QString passwordMd5() const { return m_passwordMd5; }

    // Lifetime limits of the reference: 60..7200 s. Values outside are clamped.
    static int clampExpiresIn(int secs);

    Issued issue(const QString &appKey, const QString &userId, const QString &pwdMd5, int expiresIn);
    Issued refresh(const QString &appKey, const QString &accessToken, const QString &refreshToken, int expiresIn);

    // The live token for accessToken, or nullptr if unknown, revoked or expired.
    const Token *validate(const QString &appKey, const QString &accessToken) const;
    // Any access token issued for the gateway (which does not send app_key).
    const Token *validate(const QString &accessToken) const;

    // Forgets every token, as if the cloud had invalidated them.
    void revokeAll();
    // token.get revokes the user's other tokens (off by default).
    void setRevokeOnIssue(bool revoke) { m_revokeOnIssue = revoke; }
    // The interval runs from every answered token.get, refused ones too, and
    // is checked first (see SimServerConfig::strictTokenLimit).
    void setStrictTokenLimit(bool strict) { m_strictLimit = strict; }
    // Every token lives this long, whatever was asked; 0: as asked.
    void setGrantedLifetime(int secs) { m_grantedLifetime = secs; }

    int tokensIssued() const { return m_issued; }
    int refreshes() const { return m_refreshes; }
    int activeTokens() const;

private:
    Token makeToken(const QString &appKey, const QString &userId, int expiresIn) const;
    void revokeUser(const QString &appKey, const QString &userId);
    // Forgets tokens that can neither be used nor refreshed any more, and the
    // oldest beyond kMaxTokens.
    void prune();

    QString m_appKey;
    QString m_appSecret;
    QString m_userId;
    QString m_passwordMd5;
    int m_tokenGetIntervalSecs;
    Clock *m_clock;
    bool m_revokeOnIssue = false;
    bool m_strictLimit = false;
    int m_grantedLifetime = 0;

    QHash<QString, Token> m_tokens; // by access token
    QHash<QString, QDateTime> m_lastTokenGet; // by appKey + '\n' + userId
    int m_issued = 0;
    int m_refreshes = 0;
};

} // namespace Fleet::Sim
