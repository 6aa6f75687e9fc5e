#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QSaveFile;

namespace Fleet {

// Fetches a file the cloud named (a photo, a clip, a thumbnail) into a local
// file, whole or not at all: http and https only, never a redirect to a less
// safe scheme, at most maxBytes, written under a temporary name and renamed
// when complete. A second request for the same file while one runs waits for
// that one. Everything on the thread that owns it.
class MediaDownloader : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultTimeoutMs = 30000;

    explicit MediaDownloader(QObject *parent = nullptr);
    ~MediaDownloader() override;

    // Without data for this long, a transfer fails.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // done(error): empty when path now holds the whole file.
    using Done = std::function<void(const QString &error)>;
    void download(const QUrl &url, const QString &path, qint64 maxBytes, Done done);
    int running() const { return int(m_jobs.size()); }

private:
    struct Job
    {
        QNetworkReply *reply = nullptr;
        QSaveFile *file = nullptr;
        qint64 maxBytes = 0;
        QString error;
        QList<Done> done;
    };
    // Writes a chunk to the job's file: why not, or empty.
    static QString keep(Job &job, const QByteArray &chunk, const QString &path);
    void finish(const QString &path);

    QNetworkAccessManager *m_network;
    QHash<QString, Job> m_jobs; // by path
    int m_timeoutMs = kDefaultTimeoutMs;
};

} // namespace Fleet
