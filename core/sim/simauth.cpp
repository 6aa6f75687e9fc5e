#include "simauth.h"

#include "api/apisigner.h"
#include "util/bytes.h"
#include "util/clock.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace Fleet::Sim {

namespace {

// 32 lower-case hex digits, like the cloud's tokens.
QString randomHex32()
{
    quint32 words[4];
    QRandomGenerator::global()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex());
}

QString userKey(const QString &appKey, const QString &userId)
{
    return appKey + QLatin1Char('\n') + userId;
}

constexpr int kRefreshGraceSecs = 24 * 3600;
// One token.get a minute for a day of grace plus two hours of lifetime is
// about 1,600 live tokens per user; more are never needed.
constexpr int kMaxTokens = 4096;

} // namespace

SimAuth::SimAuth(const QString &appKey, const QString &appSecret, const QString &userId, const QString &password,
                 int tokenGetIntervalSecs, Clock *clock)
    : m_appKey(appKey)
    , m_appSecret(appSecret)
    , m_userId(userId)
    , m_passwordMd5(QString::fromLatin1(QCryptographicHash::hash(password.toUtf8(), QCryptographicHash::Md5).toHex()))
    , m_tokenGetIntervalSecs(tokenGetIntervalSecs)
    , m_clock(clock)
{ }

bool SimAuth::knowsAppKey(const QString &appKey) const
{
    return Bytes::equalsConstantTime(appKey.toUtf8(), m_appKey.toUtf8());
}

int SimAuth::clampExpiresIn(int secs)
{
    return qBound(60, secs, 7200);
}

SimAuth::Token SimAuth::makeToken(const QString &appKey, const QString &userId, int expiresIn) const
{
    Token t;
    t.accessToken = randomHex32();
    t.refreshToken = randomHex32();
    t.appKey = appKey;
    t.userId = userId;
    t.issuedAt = m_clock->nowUtc();
    t.expiresIn = m_grantedLifetime > 0 ? m_grantedLifetime : clampExpiresIn(expiresIn);
    t.expiresAt = t.issuedAt.addSecs(t.expiresIn);
    return t;
}

void SimAuth::revokeUser(const QString &appKey, const QString &userId)
{
    for (auto it = m_tokens.begin(); it != m_tokens.end();) {
        if (it->appKey == appKey && it->userId == userId)
            it = m_tokens.erase(it);
        else
            ++it;
    }
}

SimAuth::Issued SimAuth::issue(const QString &appKey, const QString &userId, const QString &pwdMd5, int expiresIn)
{
    // The MD5 is compared case-insensitively: clients send lower case as the
    // doc says, but hex case carries no meaning.
    const QDateTime now = m_clock->nowUtc();
    const QString key = userKey(appKey, userId);
    const QDateTime last = m_lastTokenGet.value(key);
    const bool tooSoon = last.isValid() && last.msecsTo(now) < qint64(m_tokenGetIntervalSecs) * 1000;
    if (m_strictLimit) {
        // Every answer starts the minute again, and the limit comes first.
        m_lastTokenGet.insert(key, now);
        if (tooSoon)
            return {Outcome::TooFrequent, {}};
    }
    const bool userOk = userId == m_userId;
    const bool pwdOk = Bytes::equalsConstantTime(pwdMd5.toLower().toUtf8(), m_passwordMd5.toUtf8());
    if (!userOk || !pwdOk)
        return {Outcome::BadCredentials, {}};
    if (!m_strictLimit && tooSoon)
        return {Outcome::TooFrequent, {}};

    if (m_revokeOnIssue)
        revokeUser(appKey, userId);
    prune();
    Token t = makeToken(appKey, userId, expiresIn);
    m_tokens.insert(t.accessToken, t);
    m_lastTokenGet.insert(key, now);
    ++m_issued;
    return {Outcome::Ok, t};
}

SimAuth::Issued SimAuth::refresh(const QString &appKey, const QString &accessToken, const QString &refreshToken,
                                 int expiresIn)
{
    const auto it = m_tokens.constFind(accessToken);
    if (it == m_tokens.cend() || it->appKey != appKey
        || !Bytes::equalsConstantTime(it->refreshToken.toUtf8(), refreshToken.toUtf8())) {
        return {Outcome::BadRefresh, {}};
    }
    // The refresh token outlives its access token by a day, so a client that
    // slept through the expiry can still refresh.
    if (it->expiresAt.addSecs(kRefreshGraceSecs) <= m_clock->nowUtc())
        return {Outcome::BadRefresh, {}};

    // Only the refreshed token is replaced; the user's other tokens stay.
    const Token old = *it; // NOLINT(performance-unnecessary-copy-initialization): erased next
    m_tokens.erase(it);
    prune();
    Token t = makeToken(old.appKey, old.userId, expiresIn);
    m_tokens.insert(t.accessToken, t);
    ++m_refreshes;
    return {Outcome::Ok, t};
}

const SimAuth::Token *SimAuth::validate(const QString &appKey, const QString &accessToken) const
{
    const Token *t = validate(accessToken);
    return t && t->appKey == appKey ? t : nullptr;
}

const SimAuth::Token *SimAuth::validate(const QString &accessToken) const
{
    if (accessToken.isEmpty())
        return nullptr;
    const auto it = m_tokens.constFind(accessToken);
    if (it == m_tokens.cend() || it->expiresAt <= m_clock->nowUtc())
        return nullptr;
    return &it.value();
}

void SimAuth::prune()
{
    const QDateTime now = m_clock->nowUtc();
    for (auto it = m_tokens.begin(); it != m_tokens.end();) {
        if (it->expiresAt.addSecs(kRefreshGraceSecs) <= now)
            it = m_tokens.erase(it);
        else
            ++it;
    }
    while (m_tokens.size() >= kMaxTokens) {
        auto oldest = m_tokens.begin();
        for (auto it = m_tokens.begin(); it != m_tokens.end(); ++it) {
            if (it->issuedAt < oldest->issuedAt)
                oldest = it;
        }
        m_tokens.erase(oldest);
    }
}

void SimAuth::revokeAll()
{
    m_tokens.clear();
}

int SimAuth::activeTokens() const
{
    const QDateTime now = m_clock->nowUtc();
    int n = 0;
    for (const Token &t : m_tokens) {
        if (t.expiresAt > now)
            ++n;
    }
    return n;
}

} // namespace Fleet::Sim
