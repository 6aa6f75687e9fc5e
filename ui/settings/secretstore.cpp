#include "secretstore.h"

#include <qt6keychain/keychain.h>

namespace Fleet {

namespace {

SecretStore::Result resultOf(const QKeychain::Job *job)
{
    SecretStore::Result r;
    switch (job->error()) {
    case QKeychain::NoError:
        r.outcome = SecretStore::Outcome::Ok;
        return r;
    case QKeychain::EntryNotFound:
        r.outcome = SecretStore::Outcome::NotFound;
        r.error = QObject::tr("Nothing is stored in the keychain for this account.");
        return r;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        r.outcome = SecretStore::Outcome::NoKeychain;
        r.error = QObject::tr("No keychain is available on this system (%1).").arg(job->errorString());
        return r;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        r.outcome = SecretStore::Outcome::Denied;
        r.error = QObject::tr("The keychain refused access (%1).").arg(job->errorString());
        return r;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    r.outcome = SecretStore::Outcome::Failed;
    r.error = QObject::tr("The keychain failed: %1").arg(job->errorString());
    // Secret Service without a running daemon reports itself as OtherError
    // with a D-Bus message; it is the same situation as no backend.
    if (job->errorString().contains(QLatin1String("org.freedesktop.secrets"))
        || job->errorString().contains(QLatin1String("ServiceUnknown")))
        r.outcome = SecretStore::Outcome::NoKeychain;
    return r;
}

} // namespace

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
}

void SecretStore::write(const QString &key, const QByteArray &secret, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setBinaryData(secret);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) { done(resultOf(j)); });
    job->start();
}

void SecretStore::read(const QString &key, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        Result r = resultOf(j);
        if (r.outcome == Outcome::Ok)
            r.data = static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData();
        done(r);
    });
    job->start();
}

void SecretStore::remove(const QString &key, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        Result r = resultOf(j);
        if (r.outcome == Outcome::NotFound)
            r = Result{Outcome::Ok, {}, {}};
        done(r);
    });
    job->start();
}

} // namespace Fleet
