// The desk's photos and clips, offscreen, against the simulated cloud's
// file store: thumbnails fetched once into the cache on disk (a second strip
// shows them with the cloud gone), a double-click fetches the whole file and
// hands it to the opener, and every failure is said in the status line.
#include "alarms/alarmmediastrip.h"

#include "sim/simfleet.h"
#include "sim/simserver.h"
#include "util/clock.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

class TestAlarmMediaStrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void thumbnailsAreFetchedOnceAndKept();
    void doubleClickOpensTheWholeFile();
    void failuresAreSaid();

private:
    QList<StoredMedia> alarmMedia() const;
    void doubleClick(AlarmMediaStrip &strip, int row);

    QTemporaryDir m_cache;
    ManualClock m_clock;
    std::unique_ptr<SimServer> m_server;
    QString m_imei;
    QDateTime m_alarmTime;
    QString m_typeId;
};

void TestAlarmMediaStrip::init()
{
    m_clock.set(QDateTime(QDate(2026, 12, 3), QTime(15, 0), QTimeZone::utc()));
    SimServerConfig config;
    config.vehicles = 40;
    config.fleet.offlineShare = 0.0;
    config.seed = 7;
    config.fleetStart = m_clock.nowUtc();
    config.fleetEpoch = QDateTime(QDate(2026, 10, 1), QTime(0, 0), QTimeZone::utc());
    m_server = std::make_unique<SimServer>(config, &m_clock);
    QVERIFY(m_server->listen() != 0);
    int cam = -1;
    for (int i = 0; i < m_server->fleet().size() && cam < 0; ++i) {
        if (m_server->fleet().device(i).dashcam)
            cam = i;
    }
    QVERIFY(cam >= 0);
    m_imei = m_server->fleet().device(cam).imei;
    QVERIFY(m_server->raiseAlarm(m_imei, QStringLiteral("48")));
    m_clock.advanceSecs(5);
    const QList<SimAlarm> raised = m_server->fleet().alarms(cam, m_clock.nowUtc().addSecs(-10), m_clock.nowUtc());
    QVERIFY(!raised.isEmpty());
    m_alarmTime = raised.constLast().time;
    m_typeId = raised.constLast().typeId;
}

void TestAlarmMediaStrip::cleanup()
{
    m_server.reset();
    QDir(m_cache.path()).removeRecursively();
}

// As the cloud lists them (jimi.device.media.event.URL) and the store keeps them.
QList<StoredMedia> TestAlarmMediaStrip::alarmMedia() const
{
    QList<StoredMedia> list;
    for (const bool video : {false, true}) {
        StoredMedia m;
        m.id = list.size() + 1;
        m.imei = m_imei;
        m.fileKey = simEventFileKey(m_imei, m_alarmTime, m_typeId, video);
        m.mediaType = video ? QStringLiteral("video") : QStringLiteral("photo");
        m.mimeType = video ? QStringLiteral("video/mp4") : QStringLiteral("image/jpeg");
        m.fileUrl = QStringLiteral("http://%1/normal/get?fileKey=%2").arg(m_server->hostPort(), m.fileKey);
        m.thumbUrl = m.fileUrl + QStringLiteral("&thumb=1");
        m.alarmTime = m_alarmTime;
        m.camera = 1;
        list.append(m);
    }
    return list;
}

void TestAlarmMediaStrip::doubleClick(AlarmMediaStrip &strip, int row)
{
    QListWidget *list = strip.list();
    const QPoint p = list->visualItemRect(list->item(row)).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, p);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, p);
}

void TestAlarmMediaStrip::thumbnailsAreFetchedOnceAndKept()
{
    {
        AlarmMediaStrip strip;
        strip.setCacheDirectory(m_cache.path());
        strip.resize(500, 200);
        strip.show();
        QSignalSpy shown(&strip, &AlarmMediaStrip::thumbnailShown);
        strip.setMedia(7, alarmMedia());
        QCOMPARE(strip.count(), 2);
        QCOMPARE(strip.list()->item(0)->text(), QStringLiteral("Photo · camera 1"));
        QCOMPARE(strip.list()->item(1)->text(), QStringLiteral("Clip · camera 1"));
        QTRY_COMPARE_WITH_TIMEOUT(strip.thumbnailsShown(), 2, 30000);
        // The icon is the cloud's 160x90 thumbnail, made to fit.
        QCOMPARE(strip.list()->item(0)->icon().availableSizes().value(0), QSize(128, 72));
    }
    // Kept on disk under hashed names: a new strip shows them with the cloud gone.
    const QStringList kept = QDir(m_cache.path()).entryList(QDir::Files);
    QCOMPARE(kept.size(), 2);
    for (const QString &name : kept)
        QVERIFY2(name.endsWith(QStringLiteral("-thumb.jpg")) && !name.contains(m_imei), qPrintable(name));
    const QList<StoredMedia> media = alarmMedia();
    m_server.reset();
    AlarmMediaStrip again;
    again.setCacheDirectory(m_cache.path());
    again.setMedia(7, media);
    QCOMPARE(again.thumbnailsShown(), 2); // at once, from the cache
}

void TestAlarmMediaStrip::doubleClickOpensTheWholeFile()
{
    AlarmMediaStrip strip;
    strip.setCacheDirectory(m_cache.path());
    QList<QUrl> opened;
    strip.setOpener([&opened](const QUrl &url) {
        opened.append(url);
        return true;
    });
    strip.resize(500, 200);
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    const QList<StoredMedia> media = alarmMedia();
    strip.setMedia(7, media);
    QSignalSpy done(&strip, &AlarmMediaStrip::fileOpened);
    doubleClick(strip, 1);
    QVERIFY(done.wait(30000));
    QCOMPARE(opened.size(), 1);
    const QString path = opened.constFirst().toLocalFile();
    QCOMPARE(path, strip.cachedFilePath(media.at(1)));
    QVERIFY(path.endsWith(QStringLiteral(".mp4")));
    QFile served(QStringLiteral(":/simmedia/clip.mp4"));
    QVERIFY(served.open(QIODevice::ReadOnly));
    QFile got(path);
    QVERIFY(got.open(QIODevice::ReadOnly));
    QCOMPARE(got.readAll(), served.readAll());

    // Opened again with the cloud gone: from the cache.
    m_server.reset();
    doubleClick(strip, 1);
    QCOMPARE(opened.size(), 2);
    QCOMPARE(opened.constLast(), opened.constFirst());
}

void TestAlarmMediaStrip::failuresAreSaid()
{
    AlarmMediaStrip strip;
    strip.setCacheDirectory(m_cache.path());
    strip.setOpener([](const QUrl &) { return false; });
    strip.resize(500, 200);
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    QList<StoredMedia> media = alarmMedia();
    // A callback's file the cloud has not placed yet; a link it never gave.
    StoredMedia unplaced = media.at(0);
    unplaced.fileKey = QStringLiteral("<b>upload</b>.jpg");
    unplaced.fileUrl.clear();
    unplaced.thumbUrl.clear();
    StoredMedia madeUp = media.at(0);
    madeUp.fileKey = QStringLiteral("nothing.jpg");
    madeUp.fileUrl = QStringLiteral("http://%1/normal/get?fileKey=nothing.jpg").arg(m_server->hostPort());
    madeUp.thumbUrl.clear();
    strip.setMedia(9, {unplaced, madeUp, media.at(0)});
    QSignalSpy failed(&strip, &AlarmMediaStrip::openFailed);

    doubleClick(strip, 0);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(strip.statusText(),
             QStringLiteral("The cloud has not said where <b>upload</b>.jpg is yet. Look in the cloud again later."));
    QCOMPARE(strip.findChild<QLabel *>(QStringLiteral("alarmMediaStatus"))->textFormat(), Qt::PlainText);
    // The tooltip escapes the cloud's name.
    QVERIFY(strip.list()->item(0)->toolTip().contains(QStringLiteral("&lt;b&gt;upload&lt;/b&gt;.jpg")));

    doubleClick(strip, 1);
    QVERIFY(failed.wait(30000));
    QVERIFY2(strip.statusText().startsWith(
                 QStringLiteral("nothing.jpg could not be fetched: The cloud answered HTTP 404")),
             qPrintable(strip.statusText()));
    QVERIFY(!QFile::exists(strip.cachedFilePath(madeUp)));

    doubleClick(strip, 2);
    QVERIFY(failed.wait(30000));
    QVERIFY2(strip.statusText().startsWith(QStringLiteral("No program on this computer opens ")),
             qPrintable(strip.statusText()));
    QVERIFY(QFile::exists(strip.cachedFilePath(media.at(0)))); // fetched whole all the same
}

QTEST_MAIN(TestAlarmMediaStrip)
#include "tst_alarmmediastrip.moc"
