#include "mediadownloader.h"

#include "domain/media.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSaveFile>

#include <utility>

namespace Fleet {

namespace {

QString tooLarge(qint64 maxBytes)
{
    return QStringLiteral("The file is larger than %1 MB; it was not kept.").arg(double(maxBytes) / 1e6, 0, 'f', 1);
}

} // namespace

MediaDownloader::MediaDownloader(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    // https -> http is refused; the cloud's file links redirect within a scheme.
    m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

MediaDownloader::~MediaDownloader()
{
    const QHash<QString, Job> jobs = std::exchange(m_jobs, {});
    for (const Job &job : jobs) {
        job.reply->disconnect(this);
        job.reply->abort();
        job.reply->deleteLater();
        job.file->cancelWriting();
        delete job.file;
        for (const Done &done : job.done) {
            if (done)
                done(QStringLiteral("The download was stopped."));
        }
    }
}

void MediaDownloader::download(const QUrl &url, const QString &path, qint64 maxBytes, Done done)
{
    if (auto it = m_jobs.find(path); it != m_jobs.end()) {
        it->done.append(std::move(done));
        return;
    }
    if (!isFetchableMediaUrl(url)) {
        if (done)
            done(QStringLiteral("Refused to fetch %1: only http and https links are followed.")
                     .arg(url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)));
        return;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto *file = new QSaveFile(path);
    if (!file->open(QIODevice::WriteOnly)) {
        const QString why = file->errorString();
        delete file;
        if (done)
            done(QStringLiteral("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), why));
        return;
    }
    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs);
    request.setMaximumRedirectsAllowed(5);
    QNetworkReply *reply = m_network->get(request);
    Job job;
    job.reply = reply;
    job.file = file;
    job.maxBytes = maxBytes;
    job.done.append(std::move(done));
    m_jobs.insert(path, std::move(job));

    connect(reply, &QNetworkReply::readyRead, this, [this, path] {
        Job &running = m_jobs[path];
        running.error = keep(running, running.reply->readAll(), path);
        if (!running.error.isEmpty())
            running.reply->abort(); // finish() runs now: running is gone
    });
    connect(reply, &QNetworkReply::finished, this, [this, path] { finish(path); });
}

QString MediaDownloader::keep(Job &job, const QByteArray &chunk, const QString &path)
{
    if (job.file->size() + chunk.size() > job.maxBytes)
        return tooLarge(job.maxBytes);
    if (job.file->write(chunk) != chunk.size())
        return QStringLiteral("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), job.file->errorString());
    return {};
}

void MediaDownloader::finish(const QString &path)
{
    if (!m_jobs.contains(path))
        return;
    Job job = m_jobs.take(path);
    job.reply->deleteLater();
    QString error = job.error;
    if (error.isEmpty() && job.reply->error() == QNetworkReply::NoError) {
        error = keep(job, job.reply->readAll(), path); // what arrived after the last readyRead
    }
    if (error.isEmpty() && job.reply->error() != QNetworkReply::NoError) {
        const int status = job.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        error = status > 0 ? QStringLiteral("The cloud answered HTTP %1 for the file.").arg(status)
                           : QStringLiteral("The file could not be fetched: %1").arg(job.reply->errorString());
    }
    if (error.isEmpty() && job.file->size() == 0)
        error = QStringLiteral("The cloud sent an empty file.");
    if (error.isEmpty() && !job.file->commit())
        error = QStringLiteral("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), job.file->errorString());
    if (!error.isEmpty())
        job.file->cancelWriting();
    delete job.file;
    for (const Done &done : std::as_const(job.done)) {
        if (done)
            done(error);
    }
}

} // namespace Fleet
