// MediaCapture against the simulated cloud: "take a photo now" and "record
// 10 s now" send the capture command, wait (the test moves the clock on at
// each wait, as the device shoots and uploads meanwhile) until the cloud
// lists a file that was not there before, and keep it in the store. A
// device that never sends its file, an offline one and one without a
// camera end with a message.

#include "../sync/simcloud.h"
#include "media/mediacapture.h"
#include "store/storereader.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace Fleet;
using namespace Qt::StringLiterals;

class TestMediaCapture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void pollDelays();
    void newFilesAreTheOnesNotThereBefore();
    void photoArrivesAndIsStored();
    void clipOfBothCameras();
    void fileThatNeverComes();
    void offlineDashcam();
    void trackerWithoutCamera();

private:
    MediaCapture::Outcome run(MediaCapture &capture, const MediaCapture::Request &request, ManualClock *advance,
                              int advanceSecs, int *waits = nullptr);
    QString findDevice(bool dashcam, bool online) const;

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    SimCloudTest::Store m_store;
    QString m_imei;
    int m_channel = 0;
};

void TestMediaCapture::init()
{
    QVERIFY(m_cloud.start(SimCloudTest::fleet(40, 3, m_clock), &m_clock));
    QVERIFY(SimCloudTest::onlineDashcam(*m_cloud.server, &m_imei, &m_channel));
    QVERIFY(m_store.open(&m_clock));
}

void TestMediaCapture::cleanup()
{
    m_store.close();
    m_cloud.stop();
}

QString TestMediaCapture::findDevice(bool dashcam, bool online) const
{
    const Sim::SimFleet &fleet = m_cloud.server->fleet();
    for (int i = 0; i < fleet.size(); ++i) {
        if (fleet.device(i).dashcam == dashcam && fleet.isOnline(i, m_cloud.server->fleetNow()) == online)
            return fleet.device(i).imei;
    }
    return {};
}

MediaCapture::Outcome TestMediaCapture::run(MediaCapture &capture, const MediaCapture::Request &request,
                                            ManualClock *advance, int advanceSecs, int *waits)
{
    connect(&capture, &MediaCapture::waiting, this, [advance, advanceSecs, waits](int, int, int) {
        if (waits)
            ++*waits;
        advance->advanceSecs(advanceSecs);
    });
    QSignalSpy finished(&capture, &MediaCapture::finished);
    capture.capture(7, request);
    if (!finished.wait(60000))
        return {false, {}, u"no answer"_s, {}, {}, 0};
    [&] { QCOMPARE(finished.at(0).at(0).toInt(), 7); }();
    return finished.at(0).at(1).value<MediaCapture::Outcome>();
}

void TestMediaCapture::pollDelays()
{
    const QList<int> expected{2, 2, 3, 5, 5, 5};
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(MediaCapture::pollDelaySecs(i + 1), expected.at(i));
}

void TestMediaCapture::newFilesAreTheOnesNotThereBefore()
{
    const auto file = [](const QString &key, int camera, const QString &type, int minute) {
        MediaFile f;
        f.imei = u"862798051058689"_s;
        f.camera = camera;
        f.mediaType = type;
        f.fileUrl = u"http://files.example/normal/get?fileKey="_s + key;
        f.created = QDateTime(QDate(2026, 12, 3), QTime(9, minute), QTimeZone::utc());
        return f;
    };
    const QList<MediaFile> listed{file(u"a.jpg"_s, 1, u"1"_s, 1), file(u"b.jpg"_s, 1, u"photo"_s, 3),
                                  file(u"c.jpg"_s, 2, u"1"_s, 4), file(u"d.mp4"_s, 1, u"2"_s, 5),
                                  file(u"e.jpg"_s, 1, u"1"_s, 2)};
    MediaCapture::Request photo;
    photo.imei = u"862798051058689"_s;
    photo.camera = 1;
    // Known before: a; new: b and e (road photos), newest first.
    QList<MediaFile> got = MediaCapture::newFiles(listed, {u"a.jpg"_s}, photo);
    QCOMPARE(got.size(), 2);
    QCOMPARE(mediaFileKey(got.at(0)), u"b.jpg"_s);
    QCOMPARE(mediaFileKey(got.at(1)), u"e.jpg"_s);
    // Both cameras: the cabin's photo too.
    photo.camera = 3;
    QCOMPARE(MediaCapture::newFiles(listed, {u"a.jpg"_s, u"e.jpg"_s}, photo).size(), 2);
    // A clip: only the clip.
    MediaCapture::Request clip = photo;
    clip.kind = MediaKind::Video;
    got = MediaCapture::newFiles(listed, {}, clip);
    QCOMPARE(got.size(), 1);
    QCOMPARE(mediaFileKey(got.at(0)), u"d.mp4"_s);
    // Another device's file, or one without a URL, is never ours.
    MediaFile other = file(u"f.jpg"_s, 1, u"1"_s, 6);
    other.imei = u"862798051058690"_s;
    MediaFile nowhere = file(u"g.jpg"_s, 1, u"1"_s, 6);
    nowhere.fileUrl.clear();
    QVERIFY(MediaCapture::newFiles({other, nowhere}, {}, photo).isEmpty());
}

void TestMediaCapture::photoArrivesAndIsStored()
{
    MediaCapture capture(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    QSignalSpy sent(&capture, &MediaCapture::sent);
    MediaCapture::Request request;
    request.imei = m_imei;
    request.camera = 1;
    int waits = 0;
    const MediaCapture::Outcome o = run(capture, request, &m_clock, 2, &waits);
    QVERIFY2(o.ok, qPrintable(o.error));
    QCOMPARE(sent.size(), 1);
    QVERIFY(!o.cmdSeqNo.isEmpty());
    QVERIFY(waits >= 1);
    QCOMPARE(o.files.size(), 1);
    const MediaFile &f = o.files.first();
    QCOMPARE(f.camera, 1);
    QCOMPARE(f.mimeType, u"image/jpeg"_s);
    QVERIFY(isFetchableMediaUrl(QUrl(f.fileUrl)));
    QCOMPARE(capture.running(), 0);
    // In the store: the vehicle's gallery reads it.
    const QList<StoredMedia> stored = m_store.reader->vehicleMedia(m_imei);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().fileKey, mediaFileKey(f));
    QVERIFY(!stored.first().isVideo());
    // A second photo is a new file, not the first one again.
    MediaCapture again(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    const MediaCapture::Outcome second = run(again, request, &m_clock, 2);
    QVERIFY2(second.ok, qPrintable(second.error));
    QVERIFY(mediaFileKey(second.files.first()) != mediaFileKey(f));
    QCOMPARE(m_store.reader->vehicleMedia(m_imei).size(), 2);
}

void TestMediaCapture::clipOfBothCameras()
{
    MediaCapture capture(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    MediaCapture::Request request;
    request.imei = m_imei;
    request.camera = 3;
    request.kind = MediaKind::Video;
    request.videoSeconds = 10;
    int waits = 0;
    // The clip is there once its 10 s are recorded: 5 s a wait.
    const MediaCapture::Outcome o = run(capture, request, &m_clock, 5, &waits);
    QVERIFY2(o.ok, qPrintable(o.error));
    QVERIFY(waits >= 2);
    QCOMPARE(o.files.size(), 2);
    QSet<int> cameras;
    for (const MediaFile &f : o.files) {
        cameras.insert(f.camera.value_or(0));
        QCOMPARE(f.mimeType, u"video/mp4"_s);
    }
    QCOMPARE(cameras, (QSet<int>{1, 2}));
    const QList<StoredMedia> stored = m_store.reader->vehicleMedia(m_imei);
    QCOMPARE(stored.size(), 2);
    QVERIFY(stored.first().isVideo());
}

void TestMediaCapture::fileThatNeverComes()
{
    // The session's clock runs on while the cloud's fleet time stands
    // still: the device's file never shows; the capture gives up after
    // kMaxWaitSecs of the session's clock.
    ManualClock session(m_clock.nowUtc());
    MediaCapture capture(m_cloud.api.get(), m_store.writer.get(), &session);
    MediaCapture::Request request;
    request.imei = m_imei;
    int waits = 0;
    const MediaCapture::Outcome o = run(capture, request, &session, 50, &waits);
    QVERIFY(!o.ok);
    QVERIFY2(o.error.contains(u"no file within 120 s"_s), qPrintable(o.error));
    QCOMPARE(waits, 3); // 0, 50, 100 s: the poll at 150 s gives up
    QVERIFY(o.files.isEmpty());
    QVERIFY(m_store.reader->vehicleMedia(m_imei).isEmpty());
}

void TestMediaCapture::offlineDashcam()
{
    const QString offline = findDevice(true, false);
    QVERIFY2(!offline.isEmpty(), "an offline dashcam among the 40 at the pinned fleet time");
    MediaCapture capture(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    QSignalSpy sent(&capture, &MediaCapture::sent);
    MediaCapture::Request request;
    request.imei = offline;
    const MediaCapture::Outcome o = run(capture, request, &m_clock, 2);
    QVERIFY(!o.ok);
    QCOMPARE(o.detail, u"228"_s);
    QCOMPARE(sent.size(), 0);
}

void TestMediaCapture::trackerWithoutCamera()
{
    const QString tracker = findDevice(false, true);
    QVERIFY(!tracker.isEmpty());
    MediaCapture capture(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    MediaCapture::Request request;
    request.imei = tracker;
    const MediaCapture::Outcome o = run(capture, request, &m_clock, 2);
    QVERIFY(!o.ok);
    QVERIFY2(o.error.contains(u"not support"_s), qPrintable(o.error));
}

QTEST_GUILESS_MAIN(TestMediaCapture)
#include "tst_mediacapture.moc"
