// The simulated cloud's video server: the stream URLs that live.stream and
// history.stream hand out play real FLV, loop without end, start at a
// keyframe, end when the recording does, and stop when close.stream
// closes them. Waits for bytes and signals, never for a quiet moment.

#include "../sync/simcloud.h"
#include "sim/simflv.h"
#include "sim/simmediaapi.h"
#include "sim/simstreamserver.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using namespace Fleet;
using namespace Qt::StringLiterals;

namespace {

// An HTTP-FLV client that keeps what it reads, split into the answer's
// head and the FLV tags after the file header.
struct FlvReader
{
    QTcpSocket socket;
    QByteArray raw; // as read
    QByteArray bytes; // the body, de-chunked
    bool lastChunk = false;
    int status = 0;
    QByteArray head;
    struct Tag
    {
        int type;
        qint64 ts;
        bool keyframe;
        bool sequenceHeader;
    };
    QList<Tag> tags;
    qsizetype parsed = 0; // bytes of tags parsed past the head
    bool fileHeader = false;

    explicit FlvReader(const QUrl &url)
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [this] { read(); });
        socket.connectToHost(url.host(), quint16(url.port()));
        const QByteArray target = url.path(QUrl::FullyEncoded).toLatin1() + '?' + url.query(QUrl::FullyEncoded).toLatin1();
        socket.write("GET " + target + " HTTP/1.1\r\nHost: " + url.host().toLatin1() + "\r\n\r\n");
    }
    void read()
    {
        raw += socket.readAll();
        if (status == 0) {
            const qsizetype end = raw.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            head = raw.left(end);
            status = head.mid(9, 3).toInt();
            raw.remove(0, end + 4);
        }
        if (status != 200)
            return;
        // The body comes in chunks (Transfer-Encoding: chunked).
        for (;;) {
            const qsizetype line = raw.indexOf("\r\n");
            if (line < 0)
                break;
            bool ok = false;
            const qsizetype size = raw.left(line).toLongLong(&ok, 16);
            QVERIFY(ok);
            if (raw.size() < line + 2 + size + 2)
                break;
            if (size == 0)
                lastChunk = true;
            bytes += raw.mid(line + 2, size);
            raw.remove(0, line + 2 + size + 2);
        }
        if (!fileHeader) {
            if (bytes.size() < 13)
                return;
            QVERIFY(bytes.startsWith("FLV"));
            parsed = 13;
            fileHeader = true;
        }
        while (parsed + 11 <= bytes.size()) {
            const auto *p = reinterpret_cast<const uchar *>(bytes.constData() + parsed);
            const qsizetype size = p[1] << 16 | p[2] << 8 | p[3];
            if (parsed + 11 + size + 4 > bytes.size())
                break;
            const qint64 ts = qint64(p[4] << 16 | p[5] << 8 | p[6]) | qint64(p[7]) << 24;
            const bool video = p[0] == 9;
            tags.append({p[0], ts, video && (p[11] >> 4) == 1, (p[0] == 9 || p[0] == 8) && p[12] == 0 && (video ? (p[11] & 0x0f) == 7 : (p[11] >> 4) == 10)});
            parsed += 11 + size + 4;
        }
    }
    qint64 lastVideoTs() const
    {
        for (qsizetype i = tags.size() - 1; i >= 0; --i) {
            if (tags.at(i).type == 9)
                return tags.at(i).ts;
        }
        return -1;
    }
};

} // namespace

class TestSimStreamServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void liveStreamLoopsFromAKeyframe();
    void closingInTheCloudEndsThePlayback();
    void recordingEndsWithItsLength();
    void unknownSecretsAndWrongPaths();

private:
    QUrl call(const std::function<void(JimiApi::Callback<QUrl>)> &method);
    bool closeStream(StreamKind kind);

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    QString m_imei;
    int m_channel = 0;
    const QString m_appId = u"W1g3vp27z06a486"_s;
};

void TestSimStreamServer::init()
{
    // Seed 3 has dashcams (two of eight vehicles).
    QVERIFY(m_cloud.start(SimCloudTest::fleet(8, 3, m_clock), &m_clock));
    QVERIFY2(SimCloudTest::onlineDashcam(*m_cloud.server, &m_imei, &m_channel),
             "an online dashcam at the pinned fleet time");
}

void TestSimStreamServer::cleanup()
{
    m_cloud.stop();
}


QUrl TestSimStreamServer::call(const std::function<void(JimiApi::Callback<QUrl>)> &method)
{
    std::optional<Result<QUrl>> answer;
    method([&answer](const Result<QUrl> &r) { answer = r; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10000) || !answer->ok())
        return {};
    return answer->value();
}

bool TestSimStreamServer::closeStream(StreamKind kind)
{
    std::optional<bool> ok;
    m_cloud.api->closeStream(m_imei, m_channel, kind, m_appId, this, [&ok](const Result<Done> &r) { ok = r.ok(); });
    return QTest::qWaitFor([&ok] { return ok.has_value(); }, 10000) && *ok;
}

void TestSimStreamServer::liveStreamLoopsFromAKeyframe()
{
    const QUrl url = call([this](auto done) { m_cloud.api->liveStream(m_imei, m_channel, m_appId, this, done); });
    QVERIFY(url.isValid());
    // On the media server's own port, as the cloud's stream URLs are.
    QCOMPARE(url.scheme(), u"http"_s);
    QVERIFY(url.port() != m_cloud.server->serverPort());
    QVERIFY(url.path().endsWith(u".flv"_s));
    QVERIFY(!QUrlQuery(url).queryItemValue(u"secret"_s).isEmpty());

    QSignalSpy started(&m_cloud.server->streamServer(), &Sim::SimStreamServer::streamStarted);
    FlvReader reader(url);
    // More than a loop (4 s): the timestamps go on past the clip's end.
    QVERIFY(QTest::qWaitFor([&reader] { return reader.lastVideoTs() > 4500; }, 20000));
    QCOMPARE(reader.status, 200);
    QVERIFY(reader.head.contains("Content-Type: video/x-flv"));
    QVERIFY(reader.head.contains("Transfer-Encoding: chunked"));
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.at(0).at(0).toString(), u"%1/%2/%3/0"_s.arg(m_imei).arg(m_channel).arg(m_appId));
    // The head first (metadata and both codecs' configurations), then the
    // pictures from a keyframe on, their timestamps never going back.
    QCOMPARE(reader.tags.at(0).type, 18);
    int firstPicture = 1;
    while (reader.tags.at(firstPicture).sequenceHeader)
        ++firstPicture;
    QCOMPARE(firstPicture, 3);
    const auto picture = std::find_if(reader.tags.cbegin() + firstPicture, reader.tags.cend(),
                                      [](const FlvReader::Tag &t) { return t.type == 9; });
    QVERIFY(picture != reader.tags.cend());
    QVERIFY(picture->keyframe);
    QCOMPARE(picture->ts, 0);
    qint64 last = 0;
    int keyframes = 0;
    for (auto it = picture; it != reader.tags.cend(); ++it) {
        if (it->type != 9)
            continue;
        QVERIFY2(it->ts >= last, qPrintable(u"%1 after %2"_s.arg(it->ts).arg(last)));
        last = it->ts;
        keyframes += it->keyframe;
    }
    QVERIFY(keyframes >= 5);
    QCOMPARE(m_cloud.server->streamServer().activeStreams(), 1);
}

void TestSimStreamServer::closingInTheCloudEndsThePlayback()
{
    const QUrl url = call([this](auto done) { m_cloud.api->liveStream(m_imei, m_channel, m_appId, this, done); });
    QVERIFY(url.isValid());
    FlvReader reader(url);
    QVERIFY(QTest::qWaitFor([&reader] { return reader.lastVideoTs() >= 0; }, 10000));
    QSignalSpy ended(&m_cloud.server->streamServer(), &Sim::SimStreamServer::streamEnded);
    QSignalSpy disconnected(&reader.socket, &QTcpSocket::disconnected);
    QVERIFY(closeStream(StreamKind::Live));
    QVERIFY(ended.size() == 1 || ended.wait(5000));
    QCOMPARE(ended.at(0).at(1).toString(), u"closed in the cloud"_s);
    QVERIFY(disconnected.size() == 1 || disconnected.wait(5000));
    reader.read();
    QVERIFY(reader.lastChunk); // ended, not broken off
    QCOMPARE(m_cloud.server->streamServer().activeStreams(), 0);
    // The URL is spent: asked again, it is not found.
    FlvReader again(url);
    QVERIFY(QTest::qWaitFor([&again] { return again.status != 0; }, 5000));
    QCOMPARE(again.status, 404);
}

void TestSimStreamServer::recordingEndsWithItsLength()
{
    const QDateTime begin = m_cloud.server->fleetNow().addSecs(-3600);
    const QUrl url = call([&](auto done) {
        m_cloud.api->historyStream(m_imei, m_channel, m_appId, begin, begin.addSecs(2), {}, this, done);
    });
    QVERIFY(url.isValid());
    // ws://, as the real cloud answers; the same path over HTTP plays.
    QCOMPARE(url.scheme(), u"ws"_s);
    QVERIFY(url.path().endsWith(u".history.flv"_s));
    QSignalSpy ended(&m_cloud.server->streamServer(), &Sim::SimStreamServer::streamEnded);
    FlvReader reader(url);
    QSignalSpy disconnected(&reader.socket, &QTcpSocket::disconnected);
    QVERIFY(ended.wait(10000));
    QCOMPARE(ended.at(0).at(1).toString(), u"recording ended"_s);
    QVERIFY(disconnected.size() == 1 || disconnected.wait(5000));
    reader.read();
    QVERIFY(reader.lastChunk);
    // From the recording's start, 2 s of it, and no more.
    const auto first = std::find_if(reader.tags.cbegin(), reader.tags.cend(),
                                    [](const FlvReader::Tag &t) { return t.type == 9 && !t.sequenceHeader; });
    QVERIFY(first != reader.tags.cend());
    QVERIFY(first->keyframe);
    QCOMPARE(first->ts, 0);
    QVERIFY(reader.lastVideoTs() >= 1800);
    QVERIFY(reader.lastVideoTs() < 2000);
}

void TestSimStreamServer::unknownSecretsAndWrongPaths()
{
    const QUrl url = call([this](auto done) { m_cloud.api->liveStream(m_imei, m_channel, m_appId, this, done); });
    QVERIFY(url.isValid());
    const auto statusOf = [](const QUrl &u) {
        FlvReader r(u);
        [[maybe_unused]] const bool answered = QTest::qWaitFor([&r] { return r.status != 0; }, 5000);
        return r.status;
    };
    QUrl wrongSecret = url;
    wrongSecret.setQuery(u"secret=0123456789abcdef0123456789abcdef"_s);
    QCOMPARE(statusOf(wrongSecret), 404);
    QUrl noSecret = url;
    noSecret.setQuery(QString());
    QCOMPARE(statusOf(noSecret), 404);
    // Another camera's path with this one's secret.
    QUrl otherPath = url;
    otherPath.setPath(u"/%1/%2.flv"_s.arg(m_channel + 1).arg(m_imei));
    QCOMPARE(statusOf(otherPath), 404);
    QCOMPARE(m_cloud.server->streamServer().streamsServed(), 0);
}

QTEST_GUILESS_MAIN(TestSimStreamServer)
#include "tst_simstreamserver.moc"
