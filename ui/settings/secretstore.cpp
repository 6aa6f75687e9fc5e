#include "secretstore.h"

#include <qt6keychain/keychain.h>

namespace Fleet {

namespace {

SecretStore::Result resultOf(const QKeychain::Job *job)
{
    SecretStore::Result r;
    switch (job->error()) {
    case QKeychain::NoError: r.outcome = SecretStore::Outcome::Ok; return r;
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
    case QKeychain::OtherError: break;
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
{ }

// Every job alike: no insecure fallback, deleted when done, its result
// turned into a Result by `finish` (which may add to it).
template<typename Job, typename Finish>
void SecretStore::run(Job *job, const QString &key, Finish finish)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this,
            [finish = std::move(finish)](QKeychain::Job *j) { finish(static_cast<Job *>(j), resultOf(j)); });
    job->start();
}

void SecretStore::write(const QString &key, const QByteArray &secret, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setBinaryData(secret);
    run(job, key, [done = std::move(done)](QKeychain::WritePasswordJob *, const Result &r) { done(r); });
}

void SecretStore::read(const QString &key, Callback done)
{
    run(new QKeychain::ReadPasswordJob(m_service, this), key,
        [done = std::move(done)](QKeychain::ReadPasswordJob *job, Result r) {
            if (r.outcome == Outcome::Ok)
                r.data = job->binaryData();
            done(r);
        });
}

void SecretStore::remove(const QString &key, Callback done)
{
    // Removing what is not there leaves the keychain as asked.
    run(new QKeychain::DeletePasswordJob(m_service, this), key,
        [done = std::move(done)](QKeychain::DeletePasswordJob *, Result r) {
            if (r.outcome == Outcome::NotFound)
                r = Result{Outcome::Ok, {}, {}};
            done(r);
        });
}

} // namespace Fleet
