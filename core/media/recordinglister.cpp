#include "recordinglister.h"

#include "api/apierror.h"
#include "api/jimiapi.h"
#include "domain/camera.h"
#include "util/clock.h"

#include <QUuid>

namespace Fleet {

RecordingLister::RecordingLister(JimiApi *api, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_clock(clock ? clock : Clock::system())
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &RecordingLister::poll);
}

int RecordingLister::backoffSecs(int attempt)
{
    return 1 << std::min(std::max(attempt - 1, 0) / 2, 4); // 1, 1, 2, 2, 4, 4, 8, 8, 16 …
}

void RecordingLister::list(const QString &imei, int channel, const QDate &day)
{
    m_retry.stop();
    // The instructionId is a UUID (field notes §4); the appId one of ours.
    const QString instructionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_instructionId = instructionId;
    m_appId = newStreamAppId();
    m_startedAt = m_clock->nowUtc();
    m_polls = 0;
    m_api->requestVideoList(imei, channel, day, instructionId, m_appId, this,
                            [this, instructionId](const Result<Done> &r) {
                                if (instructionId != m_instructionId)
                                    return; // a newer list was asked for
                                if (!r.ok()) {
                                    finish({false, {}, r.error().message, r.error().detail, 0});
                                    return;
                                }
                                poll();
                            });
}

void RecordingLister::poll()
{
    const QString instructionId = m_instructionId;
    ++m_polls;
    m_api->videoList(instructionId, this, [this, instructionId](const Result<ApiList<VideoSegment>> &r) {
        if (instructionId != m_instructionId)
            return;
        if (r.ok()) {
            QList<VideoSegment> segments = r.value().items;
            std::sort(segments.begin(), segments.end(),
                      [](const VideoSegment &a, const VideoSegment &b) { return a.begin < b.begin; });
            finish({true, segments, {}, {}, m_polls});
            return;
        }
        const ApiError &e = r.error();
        const qint64 waited = m_startedAt.secsTo(m_clock->nowUtc());
        if (e.apiCode == ApiCode::HistoryListNotReady && waited < kMaxWaitSecs) {
            const int secs = backoffSecs(m_polls);
            Q_EMIT waiting(m_polls, secs);
            m_retry.start(secs * 1000);
            return;
        }
        finish({false, {}, e.apiCode == ApiCode::HistoryListNotReady
                   ? QStringLiteral("the device did not upload its list within %1 s").arg(kMaxWaitSecs)
                   : e.message,
                e.detail, m_polls});
    });
}

void RecordingLister::finish(Outcome outcome)
{
    m_instructionId.clear();
    Q_EMIT finished(outcome);
}

} // namespace Fleet
