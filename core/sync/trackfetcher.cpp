#include "trackfetcher.h"

#include "syncsink.h"

#include "api/jimiapi.h"
#include "store/storereader.h"
#include "util/clock.h"

#include <QPointer>

namespace Fleet {

TrackFetcher::TrackFetcher(JimiApi *api, StoreReader *reader, SyncSink *sink, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_reader(reader)
    , m_sink(sink)
    , m_clock(clock ? clock : Clock::system())
{ }

QList<TimeSpan> TrackFetcher::plan(const QList<TimeSpan> &covered, const TimeSpan &span, const QDateTime &now)
{
    TimeSpan asked = span;
    asked.to = qMin(asked.to, now.addSecs(-kEndMarginSecs));
    QList<TimeSpan> windows;
    for (const TimeSpan &gap : TimeSpans::uncovered(asked, covered))
        windows += TimeSpans::split(gap, qint64(JimiApi::kTrackMaxDays) * 86400);
    return windows;
}

bool TrackFetcher::fetch(const QStringList &imeis, const TimeSpan &span)
{
    if (m_running || !span.isValid())
        return false;
    m_running = true;
    m_cancelRequested = false;
    m_outcome = {};
    m_windows.clear();
    m_next = 0;
    m_done = 0;
    const QDateTime now = m_clock->nowUtc();
    for (const QString &imei : imeis) {
        for (const TimeSpan &w : plan(m_reader->trackCoverage(imei, span.from, span.to), span, now))
            m_windows.append({imei, w});
    }
    Q_EMIT progress(0, int(m_windows.size()));
    // Always asynchronous, so that a caller connects before the end.
    QMetaObject::invokeMethod(this, &TrackFetcher::next, Qt::QueuedConnection);
    return true;
}

void TrackFetcher::cancel()
{
    if (!m_running || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_outcome.cancelled = true;
    if (!m_callInFlight) {
        missRemaining(QStringLiteral("cancelled"));
        finish();
    }
}

void TrackFetcher::missRemaining(const QString &reason)
{
    for (; m_next < m_windows.size(); ++m_next) {
        m_outcome.missing.append({m_windows[m_next].imei, m_windows[m_next].span, reason});
        ++m_done;
    }
    Q_EMIT progress(m_done, int(m_windows.size()));
}

void TrackFetcher::next()
{
    if (!m_running || m_callInFlight)
        return;
    if (m_cancelRequested)
        missRemaining(QStringLiteral("cancelled"));
    if (m_next >= m_windows.size()) {
        finish();
        return;
    }
    const Window w = m_windows[m_next++];
    m_callInFlight = true;
    QPointer<TrackFetcher> self(this);
    m_api->track(w.imei, w.span.from, w.span.to, this, [self, w](const Result<ApiList<Position>> &r) {
        if (!self)
            return;
        self->m_callInFlight = false;
        ++self->m_done;
        if (!r.ok()) {
            const ApiError &e = r.error();
            self->m_outcome.missing.append({w.imei, w.span, e.toString()});
            Q_EMIT self->progress(self->m_done, int(self->m_windows.size()));
            // Unreachable: the other windows would only wait for their timeouts.
            if (e.kind == ApiError::Kind::Network || e.kind == ApiError::Kind::Timeout)
                self->missRemaining(e.toString());
            self->next();
            return;
        }
        ++self->m_outcome.windowsFetched;
        const int fixes = int(r.value().items.size());
        self->m_outcome.fixes += fixes;
        SyncSink::Delivery d;
        d.positions = r.value().items;
        d.positionSource = SyncSink::Source::TrackList;
        d.coverage.append({w.imei, w.span});
        ++self->m_pendingStores;
        d.onStored = [self, w, fixes](bool stored) {
            if (!self)
                return;
            --self->m_pendingStores;
            if (stored)
                Q_EMIT self->windowStored(w.imei, w.span, fixes);
            else
                self->m_outcome.missing.append({w.imei, w.span, QStringLiteral("the store could not write it")});
            if (!self->m_callInFlight && self->m_next >= self->m_windows.size())
                self->finish();
        };
        self->m_sink->deliver(std::move(d));
        Q_EMIT self->progress(self->m_done, int(self->m_windows.size()));
        self->next();
    });
}

void TrackFetcher::finish()
{
    // The last windows' fixes are reported once they are in the store.
    if (!m_running || m_pendingStores > 0)
        return;
    m_running = false;
    std::sort(m_outcome.missing.begin(), m_outcome.missing.end(), [](const Missing &a, const Missing &b) {
        return std::tie(a.imei, a.span.from) < std::tie(b.imei, b.span.from);
    });
    Q_EMIT finished(m_outcome);
}

} // namespace Fleet
