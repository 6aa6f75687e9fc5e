// VideoStream, the low-latency player path: the simulator's live HTTP-FLV
// played into a QVideoSink, files played at their own pace, and every kind
// of bad stream ending in a message, not a crash. Waits for signals, never
// for a quiet moment.

#include "../core/sync/simcloud.h"
#include "sim/simflv.h"
#include "sim/simmediaapi.h"
#include "videostream.h"

#include <QCryptographicHash>
#include <QFile>
#include <QAudioDevice>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QVideoSink>

using namespace Fleet;
using Fleet::Player::VideoStream;
using namespace Qt::StringLiterals;

namespace {

// A server of our own making for the bad streams: each connection gets
// `answer` once, then `more()` every 20 ms while it returns bytes.
struct FakeServer
{
    QTcpServer server;
    QByteArray answer;
    // Instead of answer: made from the request (a WebSocket's accept key).
    std::function<QByteArray(const QByteArray &request)> respond;
    QByteArray received; // everything the clients sent
    std::function<QByteArray()> more;
    bool closeAfterAnswer = false;
    bool silent = false; // accept and never answer
    QList<QTcpSocket *> sockets;

    FakeServer()
    {
        server.listen(QHostAddress::LocalHost);
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                sockets.append(s);
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    const QByteArray request = s->readAll();
                    received += request;
                    if (silent || s->property("answered").toBool())
                        return;
                    s->setProperty("answered", true);
                    s->write(respond ? respond(request) : answer);
                    if (closeAfterAnswer) {
                        s->disconnectFromHost();
                        return;
                    }
                    if (more) {
                        auto *t = new QTimer(s);
                        QObject::connect(t, &QTimer::timeout, s, [this, s] { s->write(more()); });
                        t->start(20);
                    }
                });
            }
        });
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1/stream.flv"_s.arg(server.serverPort())); }
};

QByteArray resource(const QString &name)
{
    QFile f(u":/simmedia/"_s + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const QByteArray kFlvOk = "HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nConnection: close\r\n\r\n";

} // namespace

class TestVideoStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void liveStreamFromTheSimulator();
    void closedInTheCloudEndsThePlayback();
    void liveStreamOverAWebSocket();
    void websocketRecordingEndsWithItsClose();
    void websocketRefusedFallsBackToHttp();
    void websocketPingIsAnsweredAndMasksHonoured();
    void websocketWithAWrongAcceptKey();
    void unsupportedUrlsFailAtOnce_data();
    void unsupportedUrlsFailAtOnce();
    void refusedConnection();
    void garbageIsAMessage();
    void streamCutMidFrame();
    void noKeyframeEver();
    void stopWhileConnecting();
    void pacedFilePlaysEveryPicture();
    void recordingSkippedIntoFromItsStart();
    void soundIsDecodedOnlyWhenSwitchedOn();

private:
    QUrl liveUrl();
    // A recording's URL (history.stream): by time, or by file names.
    QUrl historyUrl(const QDateTime &begin, const QDateTime &end, const QStringList &files);
    static bool waitForState(VideoStream &stream, VideoStream::State state, int ms);

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    QString m_imei;
    int m_channel = 0;
    const QString m_appId = u"W1g3vp27z06a486"_s;
};

void TestVideoStream::init()
{
    QVERIFY(m_cloud.start(SimCloudTest::fleet(8, 3, m_clock), &m_clock));
    QVERIFY2(SimCloudTest::onlineDashcam(*m_cloud.server, &m_imei, &m_channel),
             "an online dashcam at the pinned fleet time");
}

void TestVideoStream::cleanup()
{
    m_cloud.stop();
}

QUrl TestVideoStream::historyUrl(const QDateTime &begin, const QDateTime &end, const QStringList &files)
{
    std::optional<Result<QUrl>> answer;
    m_cloud.api->historyStream(m_imei, m_channel, m_appId, begin, end, files, this,
                               [&answer](const Result<QUrl> &r) { answer = r; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10000) || !answer->ok())
        return {};
    return answer->value();
}

QUrl TestVideoStream::liveUrl()
{
    std::optional<Result<QUrl>> answer;
    m_cloud.api->liveStream(m_imei, m_channel, m_appId, this, [&answer](const Result<QUrl> &r) { answer = r; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10000) || !answer->ok())
        return {};
    return answer->value();
}

bool TestVideoStream::waitForState(VideoStream &stream, VideoStream::State state, int ms)
{
    return QTest::qWaitFor([&] { return stream.state() == state; }, ms);
}

void TestVideoStream::liveStreamFromTheSimulator()
{
    const QUrl url = liveUrl();
    QVERIFY(url.isValid());
    QVideoSink sink;
    QSignalSpy frames(&sink, &QVideoSink::videoFrameChanged);
    VideoStream stream;
    stream.setVideoSink(&sink);
    QSignalSpy first(&stream, &VideoStream::firstFrame);
    stream.open(url);
    QCOMPARE(stream.state(), VideoStream::State::Connecting);
    QVERIFY(first.wait(10000));
    QCOMPARE(stream.state(), VideoStream::State::Playing);
    QVERIFY(stream.firstFrameMs() >= 0);
    QCOMPARE(stream.frameSize(), QSize(640, 360));
    QCOMPARE(stream.codecName(), u"h264"_s);
    QCOMPARE(sink.videoFrame().size(), QSize(640, 360));
    // It goes on playing: more than a second of pictures (15 a second).
    QVERIFY(QTest::qWaitFor([&] { return stream.framesDelivered() > 20; }, 10000));
    QVERIFY(frames.size() >= 20);
    QVERIFY(stream.positionMs() > 0);
    // A picture, not a blank: the test pattern's colours.
    const QImage picture = stream.snapshot();
    QCOMPARE(picture.size(), QSize(640, 360));
    QSet<QRgb> colours;
    for (int x = 0; x < 640; x += 40)
        colours.insert(picture.pixel(x, 180) & 0xf0f0f0);
    QVERIFY2(colours.size() >= 4, qPrintable(QString::number(colours.size())));
    stream.stop();
    QCOMPARE(stream.state(), VideoStream::State::Idle);
}

void TestVideoStream::liveStreamOverAWebSocket()
{
    // A live URL as ws://: the simulator takes the upgrade, and the FLV
    // comes in WebSocket messages.
    QUrl url = liveUrl();
    QVERIFY(url.isValid());
    url.setScheme(u"ws"_s);
    VideoStream stream;
    QSignalSpy first(&stream, &VideoStream::firstFrame);
    stream.open(url);
    QVERIFY(first.wait(10000));
    QCOMPARE(stream.frameSize(), QSize(640, 360));
    QCOMPARE(stream.url(), url);
    QCOMPARE(stream.transport(), u"websocket"_s);
    QCOMPARE(liveUrl().scheme(), u"http"_s); // the live URLs themselves are HTTP-FLV
}

void TestVideoStream::websocketRecordingEndsWithItsClose()
{
    // A recording as the cloud hands it out (ws://…history.flv): played
    // over the WebSocket, and ended (not broken) by the server's close.
    const QDateTime begin = m_cloud.server->fleetNow().addSecs(-3600);
    const QUrl url = historyUrl(begin, begin.addSecs(2), {});
    QVERIFY(url.isValid());
    QCOMPARE(url.scheme(), u"ws"_s);
    VideoStream stream;
    stream.open(url, {Player::PlayMode::Paced, 5000, 5000, 2000});
    QVERIFY(waitForState(stream, VideoStream::State::Ended, 20000));
    QCOMPARE(stream.transport(), u"websocket"_s);
    QCOMPARE(stream.framesDelivered() + stream.framesDropped(), 30);
}

void TestVideoStream::websocketRefusedFallsBackToHttp()
{
    // A server that answers the upgrade with plain HTTP-FLV: the same path
    // is read over HTTP (the reference: the protocols are interchangeable).
    FakeServer fake;
    fake.answer = kFlvOk + resource(u"live-road.flv"_s);
    fake.closeAfterAnswer = true;
    QUrl url = fake.url();
    url.setScheme(u"ws"_s);
    VideoStream stream;
    QSignalSpy first(&stream, &VideoStream::firstFrame);
    stream.open(url);
    QVERIFY(first.wait(10000));
    QCOMPARE(stream.transport(), u"http"_s);
    QVERIFY(fake.sockets.size() >= 2); // the upgrade, then HTTP
}

namespace {

QByteArray webSocketKey(const QByteArray &request)
{
    for (const QByteArray &line : request.split('\n')) {
        if (line.toLower().startsWith("sec-websocket-key:"))
            return line.mid(18).trimmed();
    }
    return {};
}

// A server frame; masked (which servers must not, but a reader copes) when mask is given.
QByteArray wsFrame(quint8 opcode, const QByteArray &payload, const QByteArray &mask = {})
{
    QByteArray f;
    f.append(char(0x80 | opcode));
    const quint8 maskBit = mask.isEmpty() ? 0 : 0x80;
    if (payload.size() < 126) {
        f.append(char(maskBit | payload.size()));
    } else {
        f.append(char(maskBit | 126));
        f.append(char(payload.size() >> 8));
        f.append(char(payload.size() & 0xff));
    }
    if (mask.isEmpty())
        return f + payload;
    f += mask;
    for (qsizetype i = 0; i < payload.size(); ++i)
        f.append(char(payload.at(i) ^ mask.at(i % 4)));
    return f;
}

} // namespace

void TestVideoStream::websocketPingIsAnsweredAndMasksHonoured()
{
    // A ping first, then the FLV in masked binary frames of 60000 bytes at most.
    const QByteArray flv = resource(u"live-road.flv"_s);
    FakeServer fake;
    fake.respond = [&flv](const QByteArray &request) {
        QByteArray out = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: "
            + QCryptographicHash::hash(webSocketKey(request) + "258EAFA5-E914-47DA-95CA-C5AB0DC11B85",
                                       QCryptographicHash::Sha1)
                  .toBase64()
            + "\r\n\r\n";
        out += wsFrame(0x9, "are you there");
        for (qsizetype at = 0; at < flv.size(); at += 60000)
            out += wsFrame(0x2, flv.mid(at, 60000), QByteArray::fromHex("a1b2c3d4"));
        return out;
    };
    QUrl url = fake.url();
    url.setScheme(u"ws"_s);
    VideoStream stream;
    QSignalSpy first(&stream, &VideoStream::firstFrame);
    stream.open(url);
    QVERIFY(first.wait(10000));
    QCOMPARE(stream.transport(), u"websocket"_s);
    QCOMPARE(stream.frameSize(), QSize(640, 360));
    // The pong: a masked client frame (0x8A) carrying the ping's words.
    QVERIFY(QTest::qWaitFor([&fake] { return fake.received.contains(char(0x8a)); }, 5000));
    const qsizetype pong = fake.received.indexOf(char(0x8a));
    QCOMPARE(quint8(fake.received.at(pong + 1)), quint8(0x80 | 13));
    const QByteArray key = fake.received.mid(pong + 2, 4);
    QByteArray words = fake.received.mid(pong + 6, 13);
    for (qsizetype i = 0; i < words.size(); ++i)
        words[i] = char(words.at(i) ^ key.at(i % 4));
    QCOMPARE(words, QByteArray("are you there"));
}

void TestVideoStream::websocketWithAWrongAcceptKey()
{
    FakeServer fake;
    fake.answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: bm90IGZvciB5b3U=\r\n\r\n";
    QUrl url = fake.url();
    url.setScheme(u"ws"_s);
    VideoStream stream;
    QSignalSpy failed(&stream, &VideoStream::failed);
    stream.open(url);
    QVERIFY(failed.wait(10000));
    QCOMPARE(stream.errorString(), u"the server's WebSocket answer is not for this request"_s);
}

void TestVideoStream::closedInTheCloudEndsThePlayback()
{
    const QUrl url = liveUrl();
    QVERIFY(url.isValid());
    VideoStream stream;
    QSignalSpy first(&stream, &VideoStream::firstFrame);
    stream.open(url);
    QVERIFY(first.wait(10000));
    std::optional<bool> closed;
    m_cloud.api->closeStream(m_imei, m_channel, StreamKind::Live, m_appId, this,
                             [&closed](const Result<Done> &r) { closed = r.ok(); });
    QVERIFY(QTest::qWaitFor([&closed] { return closed.has_value(); }, 10000) && *closed);
    QVERIFY(waitForState(stream, VideoStream::State::Ended, 10000));
}

void TestVideoStream::unsupportedUrlsFailAtOnce_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("message");
    QTest::newRow("mms") << QUrl(u"mms://127.0.0.1:1/1/868120300000000.flv"_s) << u"mms://"_s;
    QTest::newRow("ftp") << QUrl(u"ftp://example.org/a.flv"_s) << u"ftp://"_s;
    QTest::newRow("concat") << QUrl(u"concat:a.flv|b.flv"_s) << u"concat://"_s;
    QTest::newRow("no host") << QUrl(u"http:///a.flv"_s) << u"no host"_s;
    QTest::newRow("no scheme") << QUrl(u"just text"_s) << u"not a stream URL"_s;
}

void TestVideoStream::unsupportedUrlsFailAtOnce()
{
    QFETCH(QUrl, url);
    QFETCH(QString, message);
    VideoStream stream;
    QSignalSpy failed(&stream, &VideoStream::failed);
    stream.open(url);
    QCOMPARE(stream.state(), VideoStream::State::Failed);
    QCOMPARE(failed.size(), 1);
    QVERIFY2(stream.errorString().contains(message), qPrintable(stream.errorString()));
    QVERIFY(!VideoStream::unsupportedReason(url).isEmpty());
}

void TestVideoStream::refusedConnection()
{
    quint16 port = 0;
    {
        QTcpServer s;
        QVERIFY(s.listen(QHostAddress::LocalHost));
        port = s.serverPort();
    }
    VideoStream stream;
    QSignalSpy failed(&stream, &VideoStream::failed);
    stream.open(QUrl(u"http://127.0.0.1:%1/x.flv"_s.arg(port)));
    QVERIFY(failed.wait(10000));
    QVERIFY2(stream.errorString().startsWith(u"cannot open the stream"_s), qPrintable(stream.errorString()));
}

void TestVideoStream::garbageIsAMessage()
{
    FakeServer fake;
    QByteArray noise(64 * 1024, '\0');
    for (int i = 0; i < noise.size(); ++i)
        noise[i] = char((i * 7919 + 13) % 251);
    fake.answer = kFlvOk + noise;
    fake.closeAfterAnswer = true;
    VideoStream stream;
    QSignalSpy failed(&stream, &VideoStream::failed);
    stream.open(fake.url());
    QVERIFY(failed.wait(10000));
    QVERIFY(!stream.errorString().isEmpty());
    QCOMPARE(stream.firstFrameMs(), -1);
}

void TestVideoStream::streamCutMidFrame()
{
    // The head and half of the first keyframe, then the connection closes.
    const Sim::SimFlvClip clip = Sim::SimFlvClip::parse(resource(u"live-road.flv"_s));
    QVERIFY(clip.isValid());
    const Sim::SimFlvClip::Tag &key = clip.media().first();
    const QByteArray tag = Sim::SimFlvClip::encode(key.type, 0, key.data);
    FakeServer fake;
    fake.answer = kFlvOk + clip.head() + tag.left(tag.size() / 2);
    fake.closeAfterAnswer = true;
    VideoStream stream;
    stream.open(fake.url(), {Player::PlayMode::Live, 5000, 1000, 2000});
    QVERIFY(QTest::qWaitFor([&] {
        return stream.state() == VideoStream::State::Ended || stream.state() == VideoStream::State::Failed;
    }, 10000));
    QCOMPARE(stream.firstFrameMs(), -1);
}

void TestVideoStream::noKeyframeEver()
{
    // Data keeps coming, but never a picture the decoder can start from.
    const Sim::SimFlvClip clip = Sim::SimFlvClip::parse(resource(u"live-road.flv"_s));
    QVERIFY(clip.isValid());
    QList<Sim::SimFlvClip::Tag> deltas;
    for (const Sim::SimFlvClip::Tag &t : clip.media()) {
        if (t.type == 9 && !t.keyframe)
            deltas.append(t);
    }
    FakeServer fake;
    fake.answer = kFlvOk + clip.head();
    int next = 0;
    fake.more = [&deltas, &next] {
        const Sim::SimFlvClip::Tag &t = deltas.at(next % deltas.size());
        return Sim::SimFlvClip::encode(9, qint64(next++) * 67, t.data);
    };
    VideoStream stream;
    QSignalSpy failed(&stream, &VideoStream::failed);
    QSignalSpy states(&stream, &VideoStream::stateChanged);
    stream.open(fake.url(), {Player::PlayMode::Live, 5000, 500, 2000});
    QVERIFY(failed.wait(10000));
    QVERIFY2(stream.errorString().contains(u"no picture"_s), qPrintable(stream.errorString()));
    // It said it was stalled before it gave up.
    bool stalled = false;
    for (const QList<QVariant> &s : std::as_const(states))
        stalled |= s.at(0).value<VideoStream::State>() == VideoStream::State::Stalled;
    QVERIFY(stalled);
    QCOMPARE(stream.firstFrameMs(), -1);
}

void TestVideoStream::stopWhileConnecting()
{
    FakeServer fake;
    fake.silent = true;
    VideoStream stream;
    QSignalSpy failed(&stream, &VideoStream::failed);
    stream.open(fake.url());
    QVERIFY(QTest::qWaitFor([&fake] { return !fake.sockets.isEmpty(); }, 10000));
    QCOMPARE(stream.state(), VideoStream::State::Connecting);
    stream.stop();
    QCOMPARE(stream.state(), VideoStream::State::Idle);
    // Opened again and dropped with the object: no thread left behind to crash.
    auto *second = new VideoStream;
    second->open(fake.url());
    QVERIFY(QTest::qWaitFor([&fake] { return fake.sockets.size() == 2; }, 10000));
    delete second;
    QCOMPARE(failed.size(), 0);
}

void TestVideoStream::pacedFilePlaysEveryPicture()
{
    // The simulator's 4 s clip at 10 pictures a second, from a file, at its own pace.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"clip.mp4"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(resource(u"clip.mp4"_s));
    }
    VideoStream stream;
    QList<qint64> positions;
    connect(&stream, &VideoStream::frameDelivered, this, [&] { positions.append(stream.positionMs()); });
    stream.open(QUrl::fromLocalFile(path), {Player::PlayMode::Paced, 5000, 5000, 2000});
    QVERIFY(waitForState(stream, VideoStream::State::Ended, 20000));
    QCOMPARE(stream.framesDelivered() + stream.framesDropped(), 40);
    QCOMPARE(stream.frameSize(), QSize(320, 180));
    for (int i = 1; i < positions.size(); ++i)
        QVERIFY(positions.at(i) > positions.at(i - 1));
    QVERIFY(positions.last() >= 3800);
}

void TestVideoStream::recordingSkippedIntoFromItsStart()
{
    // A Concox file is sent from its beginning: the player skips 40.5 s into
    // it, decodes only the picture group before that moment, shows nothing
    // earlier, and plays on from there at its own pace.
    const QUrl url = historyUrl({}, {}, {u"2026_12_03_09_00_00_01.mp4"_s});
    QVERIFY(url.isValid());
    VideoStream stream;
    QList<qint64> elapsed;
    connect(&stream, &VideoStream::frameDelivered, this, [&] { elapsed.append(stream.elapsedMs()); });
    QSignalSpy first(&stream, &VideoStream::firstFrame);
    Player::StreamOptions options;
    options.mode = Player::PlayMode::Paced;
    options.startAtMs = 40500;
    stream.open(url, options);
    QVERIFY(first.wait(10000));
    QVERIFY(QTest::qWaitFor([&] { return elapsed.size() >= 5; }, 10000));
    QVERIFY2(elapsed.first() >= 40500 && elapsed.first() < 41500, qPrintable(QString::number(elapsed.first())));
    for (int i = 1; i < elapsed.size(); ++i)
        QVERIFY(elapsed.at(i) > elapsed.at(i - 1));
    // 40 s of pictures were skipped, not waited for; the ones before the
    // moment in its picture group were decoded and dropped.
    QVERIFY(stream.framesDropped() >= 1);
    QVERIFY2(stream.firstFrameMs() < 8000, qPrintable(QString::number(stream.firstFrameMs())));
}

void TestVideoStream::soundIsDecodedOnlyWhenSwitchedOn()
{
    const QUrl url = liveUrl();
    QVERIFY(url.isValid());
    VideoStream stream;
    QSignalSpy first(&stream, &VideoStream::firstFrame);
    stream.open(url);
    QVERIFY(first.wait(10000));
    // Muted by default: pictures, and no sound decoded.
    QVERIFY(QTest::qWaitFor([&] { return stream.framesDelivered() > 15; }, 10000));
    QVERIFY(!stream.audioEnabled());
    QCOMPARE(stream.audioSamplesDecoded(), 0);
    // Switched on: the simulator's tone (16 kHz, one channel) is decoded as
    // it comes; with no sound output (a test machine), it says so and the
    // picture plays on.
    QSignalSpy audio(&stream, &VideoStream::audioChanged);
    stream.setAudioEnabled(true);
    QCOMPARE(audio.size(), 1);
    QVERIFY(QTest::qWaitFor([&] { return stream.audioSamplesDecoded() >= 16000; }, 10000));
    QCOMPARE(stream.audioSampleRate(), 16000);
    QCOMPARE(stream.audioChannels(), 1);
    if (QMediaDevices::defaultAudioOutput().isNull())
        QCOMPARE(stream.audioError(), u"no sound output on this computer"_s);
    const qint64 frames = stream.framesDelivered();
    QVERIFY(QTest::qWaitFor([&] { return stream.framesDelivered() > frames + 15; }, 10000));
    // Off again: the count stays where it was once the stream is reopened.
    stream.setAudioEnabled(false);
    QVERIFY(!stream.audioEnabled());
    QVERIFY(stream.audioError().isEmpty());
    stream.open(liveUrl());
    QVERIFY(first.wait(10000));
    QVERIFY(QTest::qWaitFor([&] { return stream.framesDelivered() > 15; }, 10000));
    QCOMPARE(stream.audioSamplesDecoded(), 0);
}

QTEST_MAIN(TestVideoStream)
#include "tst_videostream.moc"
