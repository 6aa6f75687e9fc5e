#include "filetokenstore.h"

#include "util/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace Fleet {

FileTokenStore::FileTokenStore(const QString &path)
    : m_path(path)
{ }

QString FileTokenStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/tokens.json");
}

namespace {

QJsonObject readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    return doc.isObject() ? doc.object() : QJsonObject();
}

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromIso(const QJsonValue &v)
{
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

} // namespace

TokenState FileTokenStore::load(const QString &key)
{
    const QJsonObject o = readAll(m_path).value(key).toObject();
    TokenState state;
    state.lastTokenGet = fromIso(o.value(QLatin1String("lastTokenGet")));
    const QJsonObject t = o.value(QLatin1String("token")).toObject();
    if (!t.isEmpty()) {
        AccessToken token;
        token.accessToken = t.value(QLatin1String("accessToken")).toString();
        token.refreshToken = t.value(QLatin1String("refreshToken")).toString();
        token.obtainedAt = fromIso(t.value(QLatin1String("obtainedAt")));
        token.expiresAt = fromIso(t.value(QLatin1String("expiresAt")));
        token.account = t.value(QLatin1String("account")).toString();
        if (!token.accessToken.isEmpty() && token.expiresAt.isValid())
            state.token = token;
    }
    return state;
}

void FileTokenStore::save(const QString &key, const TokenState &given)
{
    TokenState state = given;
    const TokenState stored = load(key);
    if (stored.lastTokenGet.isValid() && (!state.lastTokenGet.isValid() || stored.lastTokenGet > state.lastTokenGet))
        state.lastTokenGet = stored.lastTokenGet;
    if (stored.token && (!state.token || stored.token->obtainedAt > state.token->obtainedAt))
        state.token = stored.token;
    QJsonObject all = readAll(m_path);
    QJsonObject o;
    o.insert(QLatin1String("lastTokenGet"), iso(state.lastTokenGet));
    if (state.token) {
        QJsonObject t;
        t.insert(QLatin1String("accessToken"), state.token->accessToken);
        t.insert(QLatin1String("refreshToken"), state.token->refreshToken);
        t.insert(QLatin1String("obtainedAt"), iso(state.token->obtainedAt));
        t.insert(QLatin1String("expiresAt"), iso(state.token->expiresAt));
        t.insert(QLatin1String("account"), state.token->account);
        o.insert(QLatin1String("token"), t);
    }
    all.insert(key, o);

    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly)) {
        qCWarning(lcApi) << "cannot write token file" << m_path << f.errorString();
        return;
    }
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(QJsonDocument(all).toJson(QJsonDocument::Compact));
    if (!f.commit())
        qCWarning(lcApi) << "cannot write token file" << m_path << f.errorString();
}

} // namespace Fleet
