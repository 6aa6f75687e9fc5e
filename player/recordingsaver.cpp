#include "recordingsaver.h"

#include "ffmpegsupport.h"
#include "videostream.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>

#include <atomic>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

namespace Fleet::Player {

namespace {

constexpr qint64 kStallMs = 15000; // no data for this long: the save fails

} // namespace

struct RecordingSaver::Shared : std::enable_shared_from_this<RecordingSaver::Shared>
{
    QUrl url;
    QString path;
    qint64 maxDurationMs = 0;
    std::atomic<bool> abort{false};
    QElapsedTimer clock;
    std::atomic<qint64> lastDataMs{0};
    std::atomic<bool> whole{false}; // the file is at path, complete

    QMutex mutex;
    RecordingSaver *owner = nullptr; // null once the object let go

    template<typename F>
    void post(F f)
    {
        QMutexLocker lock(&mutex);
        if (owner)
            QMetaObject::invokeMethod(owner, std::move(f), Qt::QueuedConnection);
    }
    void done(bool ok, const QString &error)
    {
        post([self = shared_from_this(), ok, error] {
            RecordingSaver *o = self->owner;
            if (!o || o->m_shared != self)
                return;
            o->m_running = false;
            o->m_error = error;
            Q_EMIT o->finished(ok, error);
        });
    }
    // The copy itself; an empty string when the file is whole.
    QString copy(const QString &partPath);
    void run();

    static int interrupt(void *opaque)
    {
        auto *s = static_cast<Shared *>(opaque);
        return s->abort || s->clock.elapsed() - s->lastDataMs > kStallMs ? 1 : 0;
    }
};

QString RecordingSaver::Shared::copy(const QString &partPath)
{
    AVDictionary *opts = nullptr;
    av_dict_set(&opts, "protocol_whitelist", url.isLocalFile() ? "file" : Ffmpeg::kRemoteProtocols, 0);
    av_dict_set(&opts, "rw_timeout", QByteArray::number(kStallMs * 1000).constData(), 0);
    av_dict_set(&opts, "user_agent", "FleetDesk", 0);
    av_dict_set(&opts, "tls_verify", "1", 0);
    lastDataMs = clock.elapsed();
    Ffmpeg::Input input;
    QString error;
    int rc = input.open(url, AVIOInterruptCB{&Shared::interrupt, this}, &opts, &error);
    av_dict_free(&opts);
    if (rc < 0)
        return error;
    AVFormatContext *in = input.format();
    if ((rc = avformat_find_stream_info(in, nullptr)) < 0)
        return QStringLiteral("cannot read the stream's head: %1").arg(Ffmpeg::errorText(rc));

    AVFormatContext *outRaw = nullptr;
    const QByteArray outPath = QFile::encodeName(partPath);
    if ((rc = avformat_alloc_output_context2(&outRaw, nullptr, "mp4", outPath.constData())) < 0 || !outRaw)
        return QStringLiteral("cannot make an MP4 file: %1").arg(Ffmpeg::errorText(rc));
    const auto closeOutput = [](AVFormatContext *c) {
        if (c->pb)
            avio_closep(&c->pb);
        avformat_free_context(c);
    };
    std::unique_ptr<AVFormatContext, decltype(closeOutput)> out(outRaw, closeOutput);
    // The pictures and the sound, as they are; what MP4 cannot hold is left out.
    std::vector<int> map(in->nb_streams, -1);
    bool video = false;
    for (unsigned i = 0; i < in->nb_streams; ++i) {
        const AVCodecParameters *par = in->streams[i]->codecpar;
        if ((par->codec_type != AVMEDIA_TYPE_VIDEO && par->codec_type != AVMEDIA_TYPE_AUDIO)
            || avformat_query_codec(out->oformat, par->codec_id, FF_COMPLIANCE_NORMAL) != 1)
            continue;
        AVStream *s = avformat_new_stream(out.get(), nullptr);
        if (!s || avcodec_parameters_copy(s->codecpar, par) < 0)
            return QStringLiteral("cannot set up the file's streams");
        s->codecpar->codec_tag = 0;
        s->time_base = in->streams[i]->time_base;
        map[i] = s->index;
        video |= par->codec_type == AVMEDIA_TYPE_VIDEO;
    }
    if (!video)
        return QStringLiteral("the stream has no video an MP4 file can hold");
    if ((rc = avio_open(&out->pb, outPath.constData(), AVIO_FLAG_WRITE)) < 0)
        return QStringLiteral("cannot write %1: %2").arg(path, Ffmpeg::errorText(rc));
    AVDictionary *muxOpts = nullptr;
    av_dict_set(&muxOpts, "movflags", "+faststart", 0); // the index first: any player starts at once
    rc = avformat_write_header(out.get(), &muxOpts);
    av_dict_free(&muxOpts);
    if (rc < 0)
        return QStringLiteral("cannot write the file's head: %1").arg(Ffmpeg::errorText(rc));

    AVPacket *packetRaw = av_packet_alloc();
    const auto freePacket = [](AVPacket *p) { av_packet_free(&p); };
    std::unique_ptr<AVPacket, decltype(freePacket)> packet(packetRaw, freePacket);
    // Every stream starts at the first packet's time: the file starts at 0.
    qint64 originMs = -1;
    qint64 lastPostedMs = -1000;
    while (!abort) {
        rc = av_read_frame(in, packet.get());
        if (rc == AVERROR_EOF)
            break;
        if (rc < 0)
            return abort ? QStringLiteral("cancelled")
                         : QStringLiteral("the stream broke off: %1").arg(Ffmpeg::errorText(rc));
        lastDataMs = clock.elapsed();
        const int index = packet->stream_index;
        if (index < 0 || index >= int(map.size()) || map[std::size_t(index)] < 0 || packet->dts == AV_NOPTS_VALUE) {
            av_packet_unref(packet.get());
            continue;
        }
        const AVStream *from = in->streams[index];
        AVStream *to = out->streams[map[std::size_t(index)]];
        const qint64 atMs = av_rescale_q(packet->dts, from->time_base, AVRational{1, 1000});
        if (originMs < 0)
            originMs = atMs;
        const qint64 savedMs = atMs - originMs;
        if (maxDurationMs > 0 && savedMs >= maxDurationMs) {
            av_packet_unref(packet.get());
            break;
        }
        const int64_t shift = av_rescale_q(originMs, AVRational{1, 1000}, from->time_base);
        packet->dts -= shift;
        if (packet->pts != AV_NOPTS_VALUE)
            packet->pts -= shift;
        av_packet_rescale_ts(packet.get(), from->time_base, to->time_base);
        packet->stream_index = to->index;
        packet->pos = -1;
        if ((rc = av_interleaved_write_frame(out.get(), packet.get())) < 0)
            return QStringLiteral("cannot write %1: %2").arg(path, Ffmpeg::errorText(rc));
        if (savedMs - lastPostedMs >= 500) {
            lastPostedMs = savedMs;
            post([self = shared_from_this(), savedMs] {
                RecordingSaver *o = self->owner;
                if (!o || o->m_shared != self)
                    return;
                o->m_savedMs = savedMs;
                Q_EMIT o->progress(savedMs);
            });
        }
    }
    if (abort)
        return QStringLiteral("cancelled");
    if (originMs < 0)
        return QStringLiteral("the stream ended before its first picture");
    if ((rc = av_write_trailer(out.get())) < 0)
        return QStringLiteral("cannot finish %1: %2").arg(path, Ffmpeg::errorText(rc));
    return {};
}

void RecordingSaver::Shared::run()
{
    const QString part = path + QStringLiteral(".part");
    const QString error = copy(part);
    if (error.isEmpty()) {
        QFile::remove(path);
        if (QFile::rename(part, path)) {
            whole = true;
            done(true, {});
            return;
        }
        QFile::remove(part);
        done(false, QStringLiteral("cannot rename the file to %1").arg(path));
        return;
    }
    QFile::remove(part);
    done(false, error);
}

RecordingSaver::RecordingSaver(QObject *parent)
    : QObject(parent)
{
}

RecordingSaver::~RecordingSaver()
{
    join();
}

bool RecordingSaver::start(const QUrl &url, const QString &path, qint64 maxDurationMs)
{
    join();
    m_path = path;
    m_savedMs = 0;
    m_error = VideoStream::unsupportedReason(url);
    if (!m_error.isEmpty())
        return false;
    Ffmpeg::routeLog();
    m_shared = std::make_shared<Shared>();
    m_shared->url = url;
    m_shared->path = path;
    m_shared->maxDurationMs = maxDurationMs;
    m_shared->owner = this;
    m_shared->clock.start();
    m_running = true;
    m_thread = std::thread([shared = m_shared] { shared->run(); });
    return true;
}

void RecordingSaver::cancel()
{
    if (!m_shared || !m_running)
        return;
    const std::shared_ptr<Shared> shared = m_shared;
    join();
    m_running = false;
    // Too late to cancel: the file was whole already.
    m_error = shared->whole ? QString() : QStringLiteral("cancelled");
    Q_EMIT finished(shared->whole, m_error);
}

void RecordingSaver::join()
{
    if (!m_shared)
        return;
    const std::shared_ptr<Shared> shared = Ffmpeg::letGo(m_shared);
    if (m_thread.joinable())
        m_thread.join();
}

QString saveStream(const QUrl &url, const QString &path, qint64 maxDurationMs)
{
    RecordingSaver saver;
    QEventLoop loop;
    QString error;
    QObject::connect(&saver, &RecordingSaver::finished, &loop, [&](bool ok, const QString &why) {
        error = ok ? QString() : why;
        loop.quit();
    });
    if (!saver.start(url, path, maxDurationMs))
        return saver.errorString();
    loop.exec();
    return error;
}

} // namespace Fleet::Player
