#include "mediacapture.h"

#include "api/apierror.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include <QPointer>
#include <QTimer>

#include <algorithm>

namespace Fleet {

MediaCapture::MediaCapture(JimiApi *api, StoreWriter *writer, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_writer(writer)
    , m_clock(clock ? clock : Clock::system())
{
}

MediaCapture::~MediaCapture() = default;

int MediaCapture::pollDelaySecs(int attempt)
{
    static const int delays[] = {2, 2, 3, 5};
    return attempt >= 1 && attempt <= 4 ? delays[attempt - 1] : 5;
}

QList<MediaFile> MediaCapture::newFiles(const QList<MediaFile> &listed, const QSet<QString> &before,
                                        const Request &request)
{
    const bool wantVideo = request.kind == MediaKind::Video;
    QList<MediaFile> out;
    for (const MediaFile &f : listed) {
        const QString key = mediaFileKey(f);
        if (key.isEmpty() || before.contains(key) || (!f.imei.isEmpty() && f.imei != request.imei))
            continue;
        const QString type = mediaTypeName(f.mediaType);
        const bool video = type == QLatin1String("video") || f.mimeType.startsWith(QLatin1String("video/"));
        if ((!type.isEmpty() || !f.mimeType.isEmpty()) && video != wantVideo)
            continue;
        if (request.camera != 3 && f.camera && *f.camera != request.camera)
            continue;
        out.append(f);
    }
    std::sort(out.begin(), out.end(), [](const MediaFile &a, const MediaFile &b) { return a.created > b.created; });
    return out;
}

void MediaCapture::capture(int id, const Request &request)
{
    Job job;
    job.request = request;
    job.sentAt = m_clock->nowUtc();
    job.timer = new QTimer(this);
    job.timer->setSingleShot(true);
    connect(job.timer, &QTimer::timeout, this, [this, id] { poll(id); });
    m_jobs.insert(id, job);
    // What is there already, so that the capture is told by being new.
    list(id, [this, id](const Result<ApiList<MediaFile>> &r) {
        if (!r.ok()) {
            finish(id, {false, {}, r.error().message, r.error().detail, {}, 0});
            return;
        }
        QSet<QString> &before = m_jobs[id].before;
        for (const MediaFile &f : r.value().items)
            before.insert(mediaFileKey(f));
        send(id);
    });
}

void MediaCapture::list(int id, std::function<void(const Result<ApiList<MediaFile>> &)> then)
{
    const Request request = m_jobs.value(id).request; // a copy: the job may end before the answer
    // Camera 3 ("both") is listed as each camera's files: ask for all (0).
    m_api->mediaFiles(request.imei, request.camera == 3 ? 0 : request.camera, request.kind, {}, {}, 0, kPageSize, this,
                      [this, id, then](const Result<ApiList<MediaFile>> &r) {
                          if (m_jobs.contains(id))
                              then(r);
                      });
}

void MediaCapture::send(int id)
{
    const Request request = m_jobs.value(id).request;
    m_jobs[id].sentAt = m_clock->nowUtc();
    m_api->captureMedia(request.imei, request.camera, request.kind, request.videoSeconds, this,
                        [this, id](const Result<MediaCommandAck> &r) {
                            if (!m_jobs.contains(id))
                                return;
                            if (!r.ok()) {
                                finish(id, {false, {}, r.error().message, r.error().detail, {}, 0});
                                return;
                            }
                            if (r.value().code == QLatin1String("228")) {
                                finish(id, {false, {}, r.value().message, r.value().code, {}, 0});
                                return;
                            }
                            Job &sentJob = m_jobs[id];
                            sentJob.cmdSeqNo = r.value().cmdSeqNo;
                            Q_EMIT sent(id, sentJob.cmdSeqNo);
                            const int secs = pollDelaySecs(1);
                            Q_EMIT waiting(id, 0, secs);
                            sentJob.timer->start(secs * 1000);
                        });
}

void MediaCapture::poll(int id)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    ++it->polls;
    list(id, [this, id](const Result<ApiList<MediaFile>> &r) {
        auto job = m_jobs.find(id);
        if (!r.ok()) {
            finish(id, {false, {}, r.error().message, r.error().detail, job->cmdSeqNo, job->polls});
            return;
        }
        const QList<MediaFile> taken = newFiles(r.value().items, job->before, job->request);
        const int wanted = job->request.camera == 3 ? 2 : 1;
        if (taken.size() >= wanted) {
            finish(id, {true, taken, {}, {}, job->cmdSeqNo, job->polls});
            return;
        }
        if (job->sentAt.secsTo(m_clock->nowUtc()) >= kMaxWaitSecs) {
            finish(id, {false, taken, QStringLiteral("the device sent no file within %1 s").arg(kMaxWaitSecs), {},
                        job->cmdSeqNo, job->polls});
            return;
        }
        const int secs = pollDelaySecs(job->polls + 1);
        Q_EMIT waiting(id, job->polls, secs);
        job->timer->start(secs * 1000);
    });
}

void MediaCapture::finish(int id, Outcome outcome)
{
    Job job = m_jobs.take(id);
    if (job.timer)
        job.timer->deleteLater();
    if (outcome.files.isEmpty() || !m_writer) {
        Q_EMIT finished(id, outcome);
        return;
    }
    // Into the store, as the cloud listed them: the gallery reads them there.
    IngestBatch batch;
    for (const MediaFile &f : std::as_const(outcome.files)) {
        MediaEvent e;
        e.imei = job.request.imei;
        e.created = f.created;
        e.files = {f};
        batch.mediaEvents.append(e);
    }
    QPointer<MediaCapture> self(this);
    const bool queued = m_writer->write(std::move(batch), [self, id, outcome](bool committed) mutable {
        if (!committed && outcome.ok) {
            outcome.ok = false;
            outcome.error = QStringLiteral("the file came but could not be stored");
        }
        if (self)
            Q_EMIT self->finished(id, outcome);
    });
    if (!queued) {
        outcome.ok = false;
        outcome.error = QStringLiteral("the store is not accepting writes");
        Q_EMIT finished(id, outcome);
    }
}

} // namespace Fleet
