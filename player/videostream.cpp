#include "videostream.h"

#include "ffmpegsupport.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QElapsedTimer>
#include <QMediaDevices>
#include <QFile>
#include <QMutexLocker>
#include <QVideoFrameFormat>
#include <QVideoSink>


#include <condition_variable>
#include <cstring>
#include <algorithm>
#include <mutex>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libswscale/swscale.h>
}

namespace Fleet::Player {

namespace {

struct CodecCloser
{
    void operator()(AVCodecContext *c) const { avcodec_free_context(&c); }
};
struct PacketFree
{
    void operator()(AVPacket *p) const { av_packet_free(&p); }
};
struct FrameFree
{
    void operator()(AVFrame *f) const { av_frame_free(&f); }
};
struct SwsFree
{
    void operator()(SwsContext *s) const { sws_freeContext(s); }
};

// A decoded picture as a QVideoFrame in planar YUV 4:2:0, copied (or
// converted, for any other format) into memory of its own.
QVideoFrame makeFrame(const AVFrame *f, SwsContext **sws)
{
    if (f->width <= 0 || f->height <= 0)
        return {};
    QVideoFrameFormat format(QSize(f->width, f->height), QVideoFrameFormat::Format_YUV420P);
    const bool full = f->color_range == AVCOL_RANGE_JPEG || f->format == AV_PIX_FMT_YUVJ420P;
    format.setColorRange(full ? QVideoFrameFormat::ColorRange_Full : QVideoFrameFormat::ColorRange_Video);
    format.setColorSpace(f->colorspace == AVCOL_SPC_BT709 ? QVideoFrameFormat::ColorSpace_BT709
                                                          : QVideoFrameFormat::ColorSpace_BT601);
    QVideoFrame out(format);
    if (!out.map(QVideoFrame::WriteOnly))
        return {};
    if (f->format == AV_PIX_FMT_YUV420P || f->format == AV_PIX_FMT_YUVJ420P) {
        for (int p = 0; p < 3; ++p) {
            const int rows = p == 0 ? f->height : (f->height + 1) / 2;
            const int bytes = std::min(p == 0 ? f->width : (f->width + 1) / 2, out.bytesPerLine(p));
            for (int r = 0; r < rows; ++r)
                std::memcpy(out.bits(p) + qsizetype(r) * out.bytesPerLine(p), f->data[p] + qsizetype(r) * f->linesize[p],
                            size_t(bytes));
        }
    } else {
        *sws = sws_getCachedContext(*sws, f->width, f->height, AVPixelFormat(f->format), f->width, f->height,
                                    AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
        if (!*sws) {
            out.unmap();
            return {};
        }
        uint8_t *dst[4] = {out.bits(0), out.bits(1), out.bits(2), nullptr};
        const int lines[4] = {out.bytesPerLine(0), out.bytesPerLine(1), out.bytesPerLine(2), 0};
        sws_scale(*sws, f->data, f->linesize, 0, f->height, dst, lines);
    }
    out.unmap();
    return out;
}

} // namespace

// What the stream's thread and the object share. The thread may outlive
// the object (a name lookup cannot be interrupted): it then runs to its
// end with nobody to tell, and frees what it holds.
struct VideoStream::Shared : std::enable_shared_from_this<VideoStream::Shared>
{
    QUrl url;
    Options options;
    QElapsedTimer clock; // since open()
    std::atomic<bool> abort{false};
    std::atomic<bool> opening{true};
    std::atomic<qint64> lastDataMs{0};
    std::atomic<bool> stalled{false};
    std::atomic<bool> audioOn{false};

    std::mutex doneMutex;
    std::condition_variable doneCondition;
    bool done = false;

    QMutex mutex; // guards what follows
    VideoStream *owner = nullptr; // null once the object let go
    QVideoFrame pending;
    bool deliveryQueued = false;
    QString codecName;
    QString transport;
    QSize size;
    qint64 dropped = 0;
    qint64 delay = 0;
    qint64 position = -1;
    qint64 origin = -1; // the first video packet's timestamp, ms

    // Runs f on the object's thread, if the object still listens.
    template<typename F>
    void post(F f)
    {
        QMutexLocker lock(&mutex);
        if (owner)
            QMetaObject::invokeMethod(owner, std::move(f), Qt::QueuedConnection);
    }

    void run();
    void fail(const QString &message) { setState(State::Failed, message); }
    void publish(const QVideoFrame &frame);
    void publishAudio(const AVFrame *f);
    void setState(State state, const QString &message = {});

    static int interrupt(void *opaque);
};

int VideoStream::Shared::interrupt(void *opaque)
{
    auto *s = static_cast<Shared *>(opaque);
    if (s->abort)
        return 1;
    const qint64 quiet = s->clock.elapsed() - s->lastDataMs;
    if (s->opening)
        return quiet > s->options.openTimeoutMs ? 1 : 0;
    if (quiet > s->options.stallMs && !s->stalled.exchange(true))
        s->setState(State::Stalled);
    return quiet > 2 * qint64(s->options.stallMs) ? 1 : 0;
}

void VideoStream::Shared::setState(State state, const QString &message)
{
    post([self = shared_from_this(), state, message] {
        if (self->owner && self->owner->m_shared == self)
            self->owner->changeState(state, message);
    });
}

void VideoStream::Shared::publish(const QVideoFrame &frame)
{
    QMutexLocker lock(&mutex);
    if (pending.isValid())
        ++dropped;
    pending = frame;
    if (deliveryQueued || !owner)
        return;
    deliveryQueued = true;
    QMetaObject::invokeMethod(
        owner,
        [self = shared_from_this()] {
            if (self->owner && self->owner->m_shared == self)
                self->owner->deliver();
        },
        Qt::QueuedConnection);
}

// A decoded piece of sound as interleaved 16-bit samples, to the object's
// thread (AAC decodes to planar float; the other common layouts too).
void VideoStream::Shared::publishAudio(const AVFrame *f)
{
    const int channels = f->ch_layout.nb_channels;
    const int samples = f->nb_samples;
    if (channels <= 0 || samples <= 0 || f->sample_rate <= 0)
        return;
    QByteArray pcm(qsizetype(samples) * channels * 2, Qt::Uninitialized);
    auto *out = reinterpret_cast<int16_t *>(pcm.data());
    const auto fromFloat = [](float v) { return int16_t(std::clamp(v, -1.0f, 1.0f) * 32767.0f); };
    for (int i = 0; i < samples; ++i) {
        for (int c = 0; c < channels; ++c) {
            int16_t v = 0;
            switch (f->format) {
            case AV_SAMPLE_FMT_FLTP:
                v = fromFloat(reinterpret_cast<const float *>(f->extended_data[c])[i]);
                break;
            case AV_SAMPLE_FMT_FLT:
                v = fromFloat(reinterpret_cast<const float *>(f->extended_data[0])[i * channels + c]);
                break;
            case AV_SAMPLE_FMT_S16P:
                v = reinterpret_cast<const int16_t *>(f->extended_data[c])[i];
                break;
            case AV_SAMPLE_FMT_S16:
                v = reinterpret_cast<const int16_t *>(f->extended_data[0])[i * channels + c];
                break;
            default:
                return; // a layout no dashcam sends
            }
            out[i * channels + c] = v;
        }
    }
    const int rate = f->sample_rate;
    post([self = shared_from_this(), pcm, rate, channels, samples] {
        if (self->owner && self->owner->m_shared == self)
            self->owner->playAudio(pcm, rate, channels, samples);
    });
}

void VideoStream::Shared::run()
{
    const auto finish = [this] {
        std::lock_guard lock(doneMutex);
        done = true;
        doneCondition.notify_all();
    };
    AVDictionary *opts = nullptr;
    // Little probing (64 KB, 100 ms): the head of an FLV stream names its codecs; waiting
    // for more only delays the first picture.
    av_dict_set(&opts, "probesize", "65536", 0);
    av_dict_set(&opts, "analyzeduration", "100000", 0);
    av_dict_set(&opts, "protocol_whitelist", url.isLocalFile() ? "file" : Ffmpeg::kRemoteProtocols, 0);
    av_dict_set(&opts, "rw_timeout", QByteArray::number(qint64(options.stallMs) * 2000).constData(), 0);
    av_dict_set(&opts, "user_agent", "FleetDesk", 0);
    av_dict_set(&opts, "tls_verify", "1", 0); // https and wss: the server's certificate is checked
    if (url.scheme().compare(QLatin1String("rtsp"), Qt::CaseInsensitive) == 0)
        av_dict_set(&opts, "rtsp_transport", "tcp", 0);
    lastDataMs = clock.elapsed();
    Ffmpeg::Input input;
    AVIOInterruptCB interruptCallback{&Shared::interrupt, this};
    QString openError;
    int rc = input.open(url, interruptCallback, &opts, &openError);
    av_dict_free(&opts);
    if (rc < 0) {
        fail(abort ? QString()
                   : rc == AVERROR_EXIT ? QStringLiteral("no answer in %1 s").arg(options.openTimeoutMs / 1000.0)
                                        : openError);
        finish();
        return;
    }
    AVFormatContext *format = input.format();
    format->max_analyze_duration = 100000;
    rc = avformat_find_stream_info(format, nullptr);
    if (rc < 0 && !abort) {
        fail(QStringLiteral("cannot read the stream's head: %1").arg(Ffmpeg::errorText(rc)));
        finish();
        return;
    }
    const AVCodec *codec = nullptr;
    const int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (index < 0 || !codec) {
        if (!abort)
            fail(index == AVERROR_DECODER_NOT_FOUND ? QStringLiteral("no decoder for the stream's video")
                                                          : QStringLiteral("the stream has no video"));
        finish();
        return;
    }
    for (unsigned i = 0; i < format->nb_streams; ++i)
        format->streams[i]->discard = int(i) == index ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    const AVStream *stream = format->streams[index];
    std::unique_ptr<AVCodecContext, CodecCloser> decoder(avcodec_alloc_context3(codec));
    if (!decoder || avcodec_parameters_to_context(decoder.get(), stream->codecpar) < 0) {
        fail(QStringLiteral("cannot set up the decoder"));
        finish();
        return;
    }
    // One thread per stream and no frame reordering delay: a picture is
    // shown as soon as its packet is in.
    decoder->thread_count = 1;
    decoder->flags |= AV_CODEC_FLAG_LOW_DELAY;
    if ((rc = avcodec_open2(decoder.get(), codec, nullptr)) < 0) {
        fail(QStringLiteral("cannot open the %1 decoder: %2")
                 .arg(QString::fromUtf8(codec->name), Ffmpeg::errorText(rc)));
        finish();
        return;
    }
    {
        QMutexLocker lock(&mutex);
        codecName = QString::fromUtf8(codec->name);
        transport = input.transport();
    }
    // The sound, decoded only while it is switched on.
    const AVCodec *audioCodec = nullptr;
    const int audioIndex = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, index, &audioCodec, 0);
    std::unique_ptr<AVCodecContext, CodecCloser> audioDecoder;
    if (audioIndex >= 0 && audioCodec) {
        audioDecoder.reset(avcodec_alloc_context3(audioCodec));
        if (!audioDecoder
            || avcodec_parameters_to_context(audioDecoder.get(), format->streams[audioIndex]->codecpar) < 0
            || avcodec_open2(audioDecoder.get(), audioCodec, nullptr) < 0)
            audioDecoder.reset();
        else
            format->streams[audioIndex]->discard = AVDISCARD_DEFAULT;
    }
    std::unique_ptr<AVFrame, FrameFree> audioFrame(av_frame_alloc());
    opening = false;

    std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
    std::unique_ptr<AVFrame, FrameFree> frame(av_frame_alloc());
    SwsContext *swsRaw = nullptr;
    const double toMs = av_q2d(stream->time_base) * 1000.0;
    qint64 baseWall = -1, basePts = 0, bestLag = 0;
    qint64 lastPictureMs = clock.elapsed();
    bool skipping = false;
    // Skipping into the stream (startAtMs): the packets since the last
    // keyframe are held until one reaches the moment; only that picture
    // group is decoded.
    qint64 firstPts = -1; // the stream's first timestamp, ms (shared as origin)
    bool seeking = options.startAtMs > 0;
    std::vector<std::unique_ptr<AVPacket, PacketFree>> group;

    const auto handle = [&](AVFrame *f) {
        lastPictureMs = clock.elapsed();
        const qint64 ts = f->best_effort_timestamp == AV_NOPTS_VALUE ? -1 : qint64(double(f->best_effort_timestamp) * toMs);
        if (options.startAtMs > 0 && ts >= 0 && firstPts >= 0 && ts - firstPts < options.startAtMs) {
            QMutexLocker lock(&mutex);
            ++dropped; // before the moment asked for: decoded for what follows, not shown
            return;
        }
        const qint64 now = clock.elapsed();
        if (baseWall < 0 || ts < 0 || ts < basePts) { // the first, or the stream's clock went back
            baseWall = now;
            basePts = std::max<qint64>(ts, 0);
            bestLag = 0;
        }
        const qint64 lag = (now - baseWall) - (std::max<qint64>(ts, 0) - basePts);
        if (skipping && f->key_frame) {
            skipping = false;
            decoder->skip_frame = AVDISCARD_DEFAULT;
            baseWall = now;
            basePts = std::max<qint64>(ts, 0);
            bestLag = 0;
        } else if (skipping) {
            QMutexLocker lock(&mutex);
            ++dropped;
            return;
        }
        qint64 behind = 0;
        if (options.mode == Mode::Live) {
            bestLag = std::min(bestLag, lag);
            behind = lag - bestLag;
        } else {
            // Paced: wait for the picture's time, in short naps so a stop is quick.
            qint64 wait = -lag;
            while (wait > 0 && !abort) {
                std::this_thread::sleep_for(std::chrono::milliseconds(std::min<qint64>(wait, 20)));
                wait = -((clock.elapsed() - baseWall) - (std::max<qint64>(ts, 0) - basePts));
            }
            behind = std::max<qint64>(0, -wait);
        }
        if (behind > options.maxLagMs) {
            // Too far behind: drop pictures up to the next keyframe, and
            // decode only what later pictures need meanwhile.
            skipping = true;
            decoder->skip_frame = AVDISCARD_NONREF;
            QMutexLocker lock(&mutex);
            ++dropped;
            return;
        }
        const QVideoFrame picture = makeFrame(f, &swsRaw);
        {
            QMutexLocker lock(&mutex);
            size = QSize(f->width, f->height);
            delay = behind;
            position = ts;
        }
        if (picture.isValid())
            publish(picture);
    };

    const auto decode = [&](AVPacket *p) {
        if (avcodec_send_packet(decoder.get(), p) >= 0) {
            while (!abort && avcodec_receive_frame(decoder.get(), frame.get()) == 0)
                handle(frame.get());
        }
    };
    const auto flushGroup = [&] {
        seeking = false;
        for (auto &held : group) {
            if (!abort)
                decode(held.get());
        }
        group.clear();
    };

    QString ending;
    while (!abort) {
        rc = av_read_frame(format, packet.get());
        if (rc < 0) {
            if (abort)
                break;
            if (rc == AVERROR_EOF) {
                flushGroup(); // the stream ended before the moment: its last pictures
                avcodec_send_packet(decoder.get(), nullptr);
                while (avcodec_receive_frame(decoder.get(), frame.get()) == 0)
                    handle(frame.get());
                setState(State::Ended);
            } else {
                ending = rc == AVERROR_EXIT
                    ? QStringLiteral("no data for %1 s").arg(2 * options.stallMs / 1000.0)
                    : QStringLiteral("the stream broke off: %1").arg(Ffmpeg::errorText(rc));
            }
            break;
        }
        lastDataMs = clock.elapsed();
        if (stalled.exchange(false))
            setState(State::Playing);
        if (audioDecoder && packet->stream_index == audioIndex) {
            if (audioOn && !seeking && avcodec_send_packet(audioDecoder.get(), packet.get()) >= 0) {
                while (!abort && avcodec_receive_frame(audioDecoder.get(), audioFrame.get()) == 0)
                    publishAudio(audioFrame.get());
            }
        } else if (packet->stream_index == index) {
            const int64_t pts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
            if (firstPts < 0 && pts != AV_NOPTS_VALUE) {
                firstPts = qint64(double(pts) * toMs);
                QMutexLocker lock(&mutex);
                origin = firstPts;
            }
            if (seeking) {
                if (packet->flags & AV_PKT_FLAG_KEY)
                    group.clear();
                group.emplace_back(av_packet_clone(packet.get()));
                lastPictureMs = clock.elapsed(); // getting there is progress
                if (pts != AV_NOPTS_VALUE && firstPts >= 0 && qint64(double(pts) * toMs) - firstPts >= options.startAtMs)
                    flushGroup();
            } else {
                decode(packet.get());
            }
        }
        av_packet_unref(packet.get());
        const qint64 noPicture = clock.elapsed() - lastPictureMs;
        if (noPicture > options.stallMs && !stalled.exchange(true))
            setState(State::Stalled);
        if (noPicture > 2 * qint64(options.stallMs)) {
            ending = QStringLiteral("data but no picture for %1 s (no keyframe, or video the decoder cannot read)")
                         .arg(noPicture / 1000);
            break;
        }
    }
    std::unique_ptr<SwsContext, SwsFree> sws(swsRaw);
    if (!ending.isEmpty() && !abort)
        fail(ending);
    finish();
}

VideoStream::VideoStream(QObject *parent)
    : QObject(parent)
{
}

VideoStream::~VideoStream()
{
    join();
}

void VideoStream::setVideoSink(QVideoSink *sink)
{
    m_sink = sink;
    if (m_sink && m_frame.isValid())
        m_sink->setVideoFrame(m_frame);
}

QString VideoStream::unsupportedReason(const QUrl &given)
{
    if (!given.isValid() || given.scheme().isEmpty())
        return QStringLiteral("not a stream URL: %1").arg(given.toString());
    const QUrl url = Ffmpeg::interchanged(given);
    if (url.isLocalFile())
        return QString();
    if (!Ffmpeg::isRemote(url)) {
        return QStringLiteral("cannot play %1:// streams (http, https, ws, wss, rtmp, rtsp and local files can be played)")
            .arg(url.scheme());
    }
    if (url.host().isEmpty())
        return QStringLiteral("the stream URL names no host: %1").arg(url.toString());
    if (!avio_find_protocol_name(url.toEncoded().constData()))
        return QStringLiteral("this build of FFmpeg cannot open %1:// streams").arg(url.scheme());
    return QString();
}

void VideoStream::open(const QUrl &url, const Options &options)
{
    join();
    m_url = url;
    m_frame = QVideoFrame();
    m_firstFrameMs = -1;
    m_audioSamples = 0;
    stopAudio();
    m_delivered = 0;
    const QString why = unsupportedReason(url);
    if (!why.isEmpty()) {
        changeState(State::Failed, why);
        return;
    }
    Ffmpeg::routeLog();
    m_shared = std::make_shared<Shared>();
    m_shared->url = url;
    m_shared->options = options;
    m_shared->audioOn = m_audioOn;
    m_shared->owner = this;
    m_shared->clock.start();
    changeState(State::Connecting);
    m_thread = std::thread([shared = m_shared] { shared->run(); });
}

void VideoStream::stop()
{
    const bool active = m_shared != nullptr;
    stopAudio();
    join();
    if (active)
        changeState(State::Idle);
}

void VideoStream::setAudioEnabled(bool on)
{
    if (on == m_audioOn)
        return;
    m_audioOn = on;
    if (m_shared)
        m_shared->audioOn = on;
    if (!on)
        stopAudio();
    m_audioError.clear();
    Q_EMIT audioChanged();
}

void VideoStream::stopAudio()
{
    if (!m_audioSink)
        return;
    m_audioSink->stop();
    delete m_audioSink;
    m_audioSink = nullptr;
    m_audioOut = nullptr;
}

void VideoStream::playAudio(const QByteArray &pcm, int rate, int channels, int samples)
{
    if (!m_audioOn)
        return;
    m_audioSamples += samples;
    m_audioRate = rate;
    m_audioChannels = channels;
    if (m_audioSink
        && (m_audioSink->format().sampleRate() != rate || m_audioSink->format().channelCount() != channels))
        stopAudio();
    if (!m_audioSink) {
        if (!m_audioError.isEmpty())
            return; // said once
        const QAudioDevice device = QMediaDevices::defaultAudioOutput();
        QAudioFormat format;
        format.setSampleRate(rate);
        format.setChannelCount(channels);
        format.setSampleFormat(QAudioFormat::Int16);
        if (device.isNull() || !device.isFormatSupported(format)) {
            m_audioError = device.isNull() ? QStringLiteral("no sound output on this computer")
                                           : QStringLiteral("the sound output cannot play %1 Hz").arg(rate);
            Q_EMIT audioChanged();
            return;
        }
        m_audioSink = new QAudioSink(device, format, this);
        m_audioSink->setBufferSize(rate * channels * 2 / 4); // a quarter of a second
        m_audioOut = m_audioSink->start();
        if (!m_audioOut) {
            m_audioError = QStringLiteral("the sound output did not start");
            stopAudio();
            Q_EMIT audioChanged();
            return;
        }
    }
    // Live: what the output cannot take now is dropped, never queued behind.
    if (m_audioSink->bytesFree() >= pcm.size())
        m_audioOut->write(pcm);
}

void VideoStream::join()
{
    if (!m_shared)
        return;
    const std::shared_ptr<Shared> shared = Ffmpeg::letGo(m_shared);
    // A stream ends within a read's wait once told to; a name lookup does
    // not listen, so after a moment the thread is left to end on its own.
    std::unique_lock lock(shared->doneMutex);
    if (shared->doneCondition.wait_for(lock, std::chrono::milliseconds(1000), [&] { return shared->done; }))
        m_thread.join();
    else
        m_thread.detach();
}

void VideoStream::deliver()
{
    QVideoFrame frame;
    {
        QMutexLocker lock(&m_shared->mutex);
        frame = std::exchange(m_shared->pending, QVideoFrame());
        m_shared->deliveryQueued = false;
    }
    if (!frame.isValid())
        return;
    m_frame = frame;
    ++m_delivered;
    if (m_sink)
        m_sink->setVideoFrame(frame);
    if (m_firstFrameMs < 0) {
        m_firstFrameMs = m_shared->clock.elapsed();
        changeState(State::Playing);
        Q_EMIT firstFrame(m_firstFrameMs);
    }
    Q_EMIT frameDelivered();
}

void VideoStream::changeState(State state, const QString &error)
{
    if (state == m_state && error == m_error)
        return;
    // Stalled and back again are told by the thread; Playing before the
    // first picture would be early.
    if (state == State::Playing && m_firstFrameMs < 0)
        return;
    m_state = state;
    m_error = error;
    Q_EMIT stateChanged(state);
    if (state == State::Failed)
        Q_EMIT failed(error);
}

QString VideoStream::codecName() const
{
    if (!m_shared)
        return {};
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->codecName;
}

QString VideoStream::transport() const
{
    if (!m_shared)
        return {};
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->transport;
}

QSize VideoStream::frameSize() const
{
    return m_frame.isValid() ? m_frame.size() : QSize();
}

qint64 VideoStream::framesDropped() const
{
    if (!m_shared)
        return 0;
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->dropped;
}

qint64 VideoStream::delayMs() const
{
    if (!m_shared)
        return 0;
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->delay;
}

qint64 VideoStream::positionMs() const
{
    if (!m_shared)
        return -1;
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->position;
}

qint64 VideoStream::elapsedMs() const
{
    if (!m_shared)
        return -1;
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->position < 0 || m_shared->origin < 0 ? -1 : m_shared->position - m_shared->origin;
}

QImage VideoStream::snapshot() const
{
    return toImage(m_frame);
}

QImage VideoStream::toImage(const QVideoFrame &source)
{
    QVideoFrame frame = source;
    if (!frame.isValid() || frame.pixelFormat() != QVideoFrameFormat::Format_YUV420P
        || !frame.map(QVideoFrame::ReadOnly))
        return {};
    const int w = frame.width();
    const int h = frame.height();
    QImage image(w, h, QImage::Format_RGB32);
    const bool full = frame.surfaceFormat().colorRange() == QVideoFrameFormat::ColorRange_Full;
    // One converter per thread, kept while the size stays (sws_getCachedContext).
    thread_local std::unique_ptr<SwsContext, SwsFree> cached;
    SwsContext *sws = sws_getCachedContext(cached.release(), w, h, full ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P, w,
                                           h, AV_PIX_FMT_BGRA, SWS_BILINEAR, nullptr, nullptr, nullptr);
    cached.reset(sws);
    if (sws) {
        const uint8_t *src[4] = {frame.bits(0), frame.bits(1), frame.bits(2), nullptr};
        const int srcLines[4] = {frame.bytesPerLine(0), frame.bytesPerLine(1), frame.bytesPerLine(2), 0};
        uint8_t *dst[4] = {image.bits(), nullptr, nullptr, nullptr};
        const int dstLines[4] = {int(image.bytesPerLine()), 0, 0, 0};
        sws_scale(sws, src, srcLines, 0, h, dst, dstLines);
    }
    frame.unmap();
    return sws ? image : QImage();
}

} // namespace Fleet::Player
