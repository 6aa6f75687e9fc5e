#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace Fleet {

// The OS keychain (QtKeychain: Secret Service / KWallet on Linux, Keychain
// on macOS, Credential Manager on Windows). The only place FleetDesk keeps a
// secret; there is no insecure fallback. Asynchronous: the keychain may ask
// the user to unlock it.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    enum class Outcome { Ok, NotFound, NoKeychain, Denied, Failed };
    struct Result
    {
        Outcome outcome = Outcome::Failed;
        QString error; // for the user, when not Ok
        QByteArray data; // read(): the secret
    };
    using Callback = std::function<void(const Result &)>;

    explicit SecretStore(const QString &service = QStringLiteral("FleetDesk"), QObject *parent = nullptr);

    // The callback runs on this object's thread, later (never from inside the call).
    void write(const QString &key, const QByteArray &secret, Callback done);
    void read(const QString &key, Callback done);
    void remove(const QString &key, Callback done);

    QString service() const { return m_service; }

private:
    template<typename Job, typename Finish>
    void run(Job *job, const QString &key, Finish finish);

    QString m_service;
};

} // namespace Fleet
