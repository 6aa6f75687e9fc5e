#include "streamsessions.h"

#include "api/jimiapi.h"
#include "store/ingestbatch.h"
#include "store/storewriter.h"
#include "util/clock.h"

#include <QEventLoop>
#include <QTimer>

namespace Fleet {

StreamSessions::StreamSessions(JimiApi *api, StoreWriter *writer, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_writer(writer)
    , m_clock(clock ? clock : Clock::system())
{
}

StreamSessions::~StreamSessions() = default;

void StreamSessions::journal(const Stream &stream, const QDateTime &closedAt, const QString &result)
{
    if (!m_writer)
        return;
    IngestBatch b;
    VideoStreamRecord r;
    r.appId = stream.appId;
    r.imei = stream.request.imei;
    r.channel = stream.request.channel;
    r.history = stream.request.history;
    r.openedAt = stream.openedAt;
    r.closedAt = closedAt;
    r.closeResult = result;
    b.videoStreams.append(r);
    m_writer->write(b);
}

void StreamSessions::open(int id, const StreamRequest &request)
{
    Stream stream;
    stream.request = request;
    stream.appId = newStreamAppId();
    stream.openedAt = m_clock->nowUtc();
    m_streams.insert(id, stream);
    // In the journal before the cloud is asked: a crash between the two
    // still leaves a trace to close.
    journal(stream, {}, {});
    ask(id);
}

void StreamSessions::renew(int id)
{
    if (m_streams.contains(id))
        ask(id);
}

void StreamSessions::ask(int id)
{
    const Stream &s = m_streams[id];
    const auto done = [this, id](const Result<QUrl> &r) {
        if (!m_streams.contains(id))
            return; // closed meanwhile
        if (r.ok())
            Q_EMIT opened(id, r.value());
        else
            Q_EMIT failed(id, r.error().message, r.error().detail);
    };
    if (s.request.history) {
        m_api->historyStream(s.request.imei, s.request.channel, s.appId, s.request.begin, s.request.end,
                             s.request.fileNames, this, done);
    } else {
        m_api->liveStream(s.request.imei, s.request.channel, s.appId, this, done);
    }
}

void StreamSessions::closeInCloud(const QString &imei, int channel, bool history, const QString &appId,
                                  std::function<void(bool, bool, const QString &)> done)
{
    ++m_closing;
    m_api->closeStream(imei, channel, history ? StreamKind::History : StreamKind::Live, appId, this,
                       [this, done = std::move(done)](const Result<Done> &r) {
                           --m_closing;
                           if (r.ok()) {
                               done(true, false, {});
                               return;
                           }
                           // The cloud's own "no" ends it; a network failure may be tried again.
                           const ApiError &e = r.error();
                           const bool refused = e.kind == ApiError::Kind::Api || e.kind == ApiError::Kind::Http
                               || e.kind == ApiError::Kind::InvalidArgument;
                           done(false, refused, e.message);
                       });
}

void StreamSessions::close(int id)
{
    const auto it = m_streams.constFind(id);
    if (it == m_streams.cend())
        return;
    const Stream stream = *it;
    m_streams.erase(it);
    closeInCloud(stream.request.imei, stream.request.channel, stream.request.history, stream.appId,
                 [this, id, stream](bool confirmed, bool refused, const QString &why) {
                     if (confirmed || refused)
                         journal(stream, m_clock->nowUtc(), confirmed ? QStringLiteral("closed") : why);
                     Q_EMIT closed(id, confirmed);
                 });
}

void StreamSessions::closeLeftovers(const QList<VideoStreamRecord> &journalRows)
{
    for (const VideoStreamRecord &row : journalRows) {
        Stream stream;
        stream.appId = row.appId;
        stream.request.imei = row.imei;
        stream.request.channel = row.channel;
        stream.request.history = row.history;
        stream.openedAt = row.openedAt;
        closeInCloud(row.imei, row.channel, row.history, row.appId,
                     [this, stream](bool confirmed, bool refused, const QString &why) {
                         if (confirmed || refused) {
                             journal(stream, m_clock->nowUtc(),
                                     confirmed ? QStringLiteral("closed at the next start") : why);
                         }
                         Q_EMIT leftoverClosed(stream.appId, confirmed);
                     });
    }
}

void StreamSessions::closeAll(int timeoutMs)
{
    const QList<int> ids = m_streams.keys();
    for (const int id : ids)
        close(id);
    if (m_closing == 0)
        return;
    QEventLoop loop;
    QTimer poll;
    connect(&poll, &QTimer::timeout, &loop, [this, &loop] {
        if (m_closing == 0)
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start(10);
    loop.exec();
}

} // namespace Fleet
