#include "alarmmediafetcher.h"

#include "api/jimiapi.h"
#include "store/ingestbatch.h"
#include "store/storewriter.h"

#include <QPointer>

#include <utility>

namespace Fleet {

std::optional<AlarmMediaRequest> alarmMediaRequest(const QList<AlarmDeskRow> &fold)
{
    if (fold.isEmpty() || fold.constFirst().alarm.imei.isEmpty())
        return std::nullopt;
    QDateTime first, last;
    for (const AlarmDeskRow &r : fold) {
        const QDateTime t = r.alarm.time;
        if (!t.isValid())
            continue;
        if (!first.isValid() || t < first)
            first = t;
        if (!last.isValid() || t > last)
            last = t;
    }
    if (!first.isValid())
        return std::nullopt;
    AlarmMediaRequest request;
    request.alarmId = fold.constFirst().id;
    request.imei = fold.constFirst().alarm.imei;
    request.to = last.addSecs(kAlarmMediaWindowSecs).toUTC();
    request.from = std::max(first.addSecs(-kAlarmMediaWindowSecs).toUTC(), request.to.addDays(-1));
    return request;
}

AlarmMediaFetcher::AlarmMediaFetcher(JimiApi *api, StoreWriter *writer, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_writer(writer)
{ }

AlarmMediaFetcher::~AlarmMediaFetcher()
{
    const QHash<int, Job> jobs = std::exchange(m_jobs, {});
    for (const Job &job : jobs) {
        if (job.done)
            job.done(AlarmMediaOutcome{job.request.alarmId, 0,
                                       QStringLiteral("The session stopped before the cloud answered.")});
    }
}

void AlarmMediaFetcher::fetch(const AlarmMediaRequest &request, Done done)
{
    if (request.imei.isEmpty() || !request.from.isValid() || !request.to.isValid()) {
        if (done)
            done(AlarmMediaOutcome{request.alarmId, 0, QStringLiteral("The alarm has no device or time to look up.")});
        return;
    }
    const int id = ++m_lastId;
    Job job;
    job.request = request;
    job.done = std::move(done);
    m_jobs.insert(id, std::move(job));
    ask(id);
}

void AlarmMediaFetcher::ask(int id)
{
    const Job &asked = m_jobs[id];
    const MediaKind kind = asked.kind == 0 ? MediaKind::Photo : MediaKind::Video;
    QPointer<AlarmMediaFetcher> self(this);
    m_api->mediaEvents({asked.request.imei}, kind, asked.request.from, asked.request.to, asked.page, kPageSize,
                       QString(), this, [self, id](const Result<ApiList<MediaEvent>> &r) {
                           if (!self || !self->m_jobs.contains(id))
                               return;
                           Job &job = self->m_jobs[id];
                           if (!r.ok()) {
                               job.error = r.error().message;
                               self->store(id);
                               return;
                           }
                           const ApiList<MediaEvent> &list = r.value();
                           job.found.append(list.items);
                           // More pages only when the cloud says there are
                           // (its totals are unreliable: a short page ends it).
                           const bool more = list.items.size() >= kPageSize
                               && (!list.totalRows || *list.totalRows > job.page * kPageSize);
                           if (more && job.page >= kMaxPages) {
                               job.error = QStringLiteral("The cloud lists more than %1 %2 around this alarm; only "
                                                          "the first %1 were kept.")
                                               .arg(kMaxPages * kPageSize)
                                               .arg(job.kind == 0 ? QStringLiteral("photo events")
                                                                  : QStringLiteral("clip events"));
                           }
                           if (more && job.page < kMaxPages) {
                               ++job.page;
                           } else if (job.kind == 0) {
                               job.kind = 1;
                               job.page = 1;
                           } else {
                               self->store(id);
                               return;
                           }
                           self->ask(id);
                       });
}

void AlarmMediaFetcher::store(int id)
{
    Job job = m_jobs.take(id);
    AlarmMediaOutcome outcome{job.request.alarmId, 0, job.error};
    IngestBatch batch;
    for (const MediaEvent &e : std::as_const(job.found)) {
        // The cloud was asked for one device; anything else is not ours to keep.
        if (e.imei != job.request.imei)
            continue;
        outcome.files += int(e.files.size());
        batch.mediaEvents.append(e);
    }
    const Done done = job.done;
    if (batch.mediaEvents.isEmpty()) {
        if (done)
            done(outcome);
        return;
    }
    const bool queued = m_writer->write(std::move(batch), [outcome, done](bool committed) mutable {
        if (!committed) {
            outcome.files = 0;
            outcome.error = QStringLiteral("The media list could not be stored.");
        }
        if (done)
            done(outcome);
    });
    if (!queued && done) {
        outcome.files = 0;
        outcome.error = QStringLiteral("The store is not accepting writes.");
        done(outcome);
    }
}

} // namespace Fleet
