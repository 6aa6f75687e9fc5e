// RecordingSaver: a recording the simulated cloud streams, saved to an MP4
// file without re-encoding: whole (every picture of it, playable by the
// player), written under a temporary name and renamed; a cancelled save, a
// refused connection and a URL that cannot be played leave no file.

#include "../core/sync/simcloud.h"
#include "recordingsaver.h"
#include "videostream.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTcpServer>

using namespace Fleet;
using Fleet::Player::RecordingSaver;
using Fleet::Player::VideoStream;
using namespace Qt::StringLiterals;

class TestRecordingSaver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void savesTheWholeRecording();
    void endsAfterItsLength();
    void cancelledLeavesNoFile();
    void refusedConnectionLeavesNoFile();
    void unsupportedUrl();

private:
    QUrl recording(int seconds);

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    QString m_imei;
    int m_channel = 0;
    QTemporaryDir m_dir;
};

void TestRecordingSaver::init()
{
    QVERIFY(m_cloud.start(SimCloudTest::fleet(8, 3, m_clock), &m_clock));
    QVERIFY(SimCloudTest::onlineDashcam(*m_cloud.server, &m_imei, &m_channel));
}

void TestRecordingSaver::cleanup()
{
    m_cloud.stop();
}

QUrl TestRecordingSaver::recording(int seconds)
{
    const QDateTime begin = m_cloud.server->fleetNow().addSecs(-3600);
    std::optional<Result<QUrl>> answer;
    m_cloud.api->historyStream(m_imei, m_channel, u"S4ve0000000000a"_s, begin, begin.addSecs(seconds), {}, this,
                               [&answer](const Result<QUrl> &r) { answer = r; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10000) || !answer->ok())
        return {};
    return answer->value();
}

void TestRecordingSaver::savesTheWholeRecording()
{
    const QUrl url = recording(5);
    QVERIFY(url.isValid());
    QCOMPARE(url.scheme(), u"ws"_s); // as the cloud hands it out
    const QString path = m_dir.filePath(u"van.mp4"_s);
    RecordingSaver saver;
    QSignalSpy finished(&saver, &RecordingSaver::finished);
    QVERIFY(saver.start(url, path));
    QVERIFY(saver.isRunning());
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(!saver.isRunning());
    QVERIFY(QFile::exists(path));
    QVERIFY(!QFile::exists(path + u".part"_s));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // An MP4 file with its index first ("moov" before "mdat": faststart).
    const QByteArray head = file.read(4096);
    QCOMPARE(head.mid(4, 4), QByteArray("ftyp"));
    QVERIFY(head.contains("moov"));
    // The player reads every picture of it (5 s at 15 a second, 640x360):
    // as many as in the stream itself, read again.
    const auto pictures = [](const QUrl &source) {
        VideoStream stream;
        stream.open(source);
        if (!QTest::qWaitFor([&] { return stream.state() == VideoStream::State::Ended; }, 20000))
            return std::pair{QSize(), qint64(-1)};
        return std::pair{stream.frameSize(), stream.framesDelivered() + stream.framesDropped()};
    };
    const auto [size, saved] = pictures(QUrl::fromLocalFile(path));
    QCOMPARE(size, QSize(640, 360));
    const auto [streamSize, streamed] = pictures(url);
    QCOMPARE(streamSize, size);
    QCOMPARE(saved, streamed);
    QVERIFY2(saved >= 75, qPrintable(QString::number(saved)));
}

void TestRecordingSaver::endsAfterItsLength()
{
    const QUrl url = recording(10);
    const QString path = m_dir.filePath(u"short.mp4"_s);
    RecordingSaver saver;
    QSignalSpy finished(&saver, &RecordingSaver::finished);
    QVERIFY(saver.start(url, path, 2000));
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    VideoStream stream;
    stream.open(QUrl::fromLocalFile(path));
    QVERIFY(QTest::qWaitFor([&] { return stream.state() == VideoStream::State::Ended; }, 20000));
    QCOMPARE(stream.framesDelivered() + stream.framesDropped(), 30);
}

void TestRecordingSaver::cancelledLeavesNoFile()
{
    // A long recording, cancelled once part of it is written.
    const QUrl url = recording(3600);
    const QString path = m_dir.filePath(u"cancelled.mp4"_s);
    RecordingSaver saver;
    QSignalSpy progress(&saver, &RecordingSaver::progress);
    QSignalSpy finished(&saver, &RecordingSaver::finished);
    QVERIFY(saver.start(url, path));
    QVERIFY(progress.wait(20000));
    saver.cancel();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!finished.at(0).at(0).toBool());
    QCOMPARE(saver.errorString(), u"cancelled"_s);
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QFile::exists(path + u".part"_s));
}

void TestRecordingSaver::refusedConnectionLeavesNoFile()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    const QString path = m_dir.filePath(u"refused.mp4"_s);
    RecordingSaver saver;
    QSignalSpy finished(&saver, &RecordingSaver::finished);
    QVERIFY(saver.start(QUrl(u"http://127.0.0.1:%1/1/1.history.flv"_s.arg(port)), path));
    QVERIFY(finished.wait(20000));
    QVERIFY(!finished.at(0).at(0).toBool());
    QVERIFY2(finished.at(0).at(1).toString().startsWith(u"cannot open the stream"_s),
             qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QFile::exists(path + u".part"_s));
}

void TestRecordingSaver::unsupportedUrl()
{
    RecordingSaver saver;
    QVERIFY(!saver.start(QUrl(u"ftp://example.org/a.flv"_s), m_dir.filePath(u"x.mp4"_s)));
    QVERIFY2(saver.errorString().contains(u"ftp"_s), qPrintable(saver.errorString()));
    QVERIFY(!saver.isRunning());
    QVERIFY(!QFile::exists(m_dir.filePath(u"x.mp4"_s)));
}

QTEST_MAIN(TestRecordingSaver)
#include "tst_recordingsaver.moc"
