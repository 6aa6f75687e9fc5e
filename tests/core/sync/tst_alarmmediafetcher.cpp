// The photos and clips of an alarm, against the simulated cloud and a real
// store: the simulator's dashcams film every alarm and name the clip in the
// push; AlarmMediaFetcher lists the alarm's event media
// (jimi.device.media.event.URL) into the media table, where
// StoreReader::alarmMedia finds them by the rule it documents; and
// MediaDownloader fetches the files whole or not at all: http(s) only, a
// size limit, a 404 for a link the cloud never gave.
#include "sync/alarmmediafetcher.h"
#include "sync/mediadownloader.h"

#include "simcloud.h"

#include "sim/simfleet.h"
#include "sim/simpushfeed.h"
#include "store/ingestbatch.h"

#include <QFile>
#include <QtTest>

using namespace Fleet;
using namespace Fleet::Sim;

class TestAlarmMediaFetcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void pushesNameTheDashcamsClip();
    void keysAndTypesOfListedFiles();
    void fetchesTheAlarmsPhotoAndClip();
    void mediaOfAnotherAlarmAreNotShown();
    void listedLinksFillTheCallbacksRow();
    void plainTrackerHasNone();
    void unreachableCloudIsAnError();
    void stoppingAnswersWhatIsUnderWay();
    void downloadsTheFilesWhole();
    void unknownLinkIsNotFound();
    void onlyHttpLinksAreFollowed();
    void tooLargeIsNotKept();

private:
    // A dashcam's alarm raised now, stored as the push brings it; its id.
    qint64 raiseAndStore(int index, const QString &type = QStringLiteral("1"));
    int dashcam() const;
    int plainTracker() const;
    AlarmMediaOutcome fetch(qint64 alarmId);
    QString download(const QString &url, const QString &path, qint64 maxBytes = 10'000'000);

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    SimCloudTest::Store m_store;
    std::unique_ptr<AlarmMediaFetcher> m_fetcher;
};

void TestAlarmMediaFetcher::init()
{
    m_clock.set(SimCloudTest::thursday());
    QVERIFY(m_store.open(&m_clock));
    SimServerConfig config = SimCloudTest::fleet(40, 7, m_clock);
    config.fleet.offlineShare = 0.0;
    QVERIFY(m_cloud.start(config, &m_clock));
    m_fetcher = std::make_unique<AlarmMediaFetcher>(m_cloud.api.get(), m_store.writer.get());
}

void TestAlarmMediaFetcher::cleanup()
{
    m_fetcher.reset();
    m_store.close();
    m_cloud.stop();
}

int TestAlarmMediaFetcher::dashcam() const
{
    const SimFleet &fleet = m_cloud.server->fleet();
    for (int i = 0; i < fleet.size(); ++i) {
        if (fleet.device(i).dashcam)
            return i;
    }
    return -1;
}

int TestAlarmMediaFetcher::plainTracker() const
{
    const SimFleet &fleet = m_cloud.server->fleet();
    for (int i = 0; i < fleet.size(); ++i) {
        if (!fleet.device(i).dashcam)
            return i;
    }
    return -1;
}

qint64 TestAlarmMediaFetcher::raiseAndStore(int index, const QString &type)
{
    const QString imei = m_cloud.server->fleet().device(index).imei;
    if (!m_cloud.server->raiseAlarm(imei, type))
        return 0;
    m_clock.advanceSecs(5);
    const QList<SimAlarm> raised = m_cloud.server->fleet().alarms(index, m_clock.nowUtc().addSecs(-10), m_clock.nowUtc());
    if (raised.isEmpty())
        return 0;
    const SimAlarm &s = raised.constLast();
    Alarm a;
    a.imei = imei;
    a.typeId = s.typeId;
    a.typeName = s.typeName;
    a.time = s.time;
    a.mediaFile = s.mediaFile;
    IngestBatch b;
    b.addAlarms({a}, ReportSource::Push);
    if (!m_store.writer->write(std::move(b)) || !m_store.writer->flush(10000))
        return 0;
    AlarmFilter f;
    f.imeis = {imei};
    const QList<AlarmDeskRow> rows = m_store.reader->alarmDesk(f);
    return rows.isEmpty() ? 0 : rows.constFirst().id;
}

AlarmMediaOutcome TestAlarmMediaFetcher::fetch(qint64 alarmId)
{
    const std::optional<AlarmMediaRequest> request = alarmMediaRequest(m_store.reader->alarmFold(alarmId));
    if (!request)
        return AlarmMediaOutcome{alarmId, -1, QStringLiteral("no request")};
    std::optional<AlarmMediaOutcome> outcome;
    m_fetcher->fetch(*request, [&outcome](const AlarmMediaOutcome &o) { outcome = o; });
    if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 30000))
        return AlarmMediaOutcome{alarmId, -1, QStringLiteral("no answer")};
    return *outcome;
}

QString TestAlarmMediaFetcher::download(const QString &url, const QString &path, qint64 maxBytes)
{
    MediaDownloader downloader;
    std::optional<QString> error;
    downloader.download(QUrl(url), path, maxBytes, [&error](const QString &e) { error = e; });
    if (!QTest::qWaitFor([&error] { return error.has_value(); }, 30000))
        return QStringLiteral("no answer");
    return *error;
}

void TestAlarmMediaFetcher::pushesNameTheDashcamsClip()
{
    const SimFleet &fleet = m_cloud.server->fleet();
    SimPushFeed feed(fleet, false);
    int named = 0;
    int plain = 0;
    for (const SimPushBatch &batch : feed.collect(m_clock.nowUtc().addDays(-3), m_clock.nowUtc())) {
        if (batch.endpoint != Push::Endpoint::Alarm)
            continue;
        for (const QJsonObject &item : batch.items) {
            // Flat items carry it at the top, the IoT Hub's in msg{}.
            const QJsonObject body = item.contains(QStringLiteral("msg")) ? item.value(QStringLiteral("msg")).toObject()
                                                                          : item;
            const QString imei =
                item.value(QStringLiteral("imei")).toString(body.value(QStringLiteral("deviceImei")).toString());
            const int index = fleet.indexOf(imei);
            QVERIFY(index >= 0);
            const QString file = body.value(QStringLiteral("file")).toString();
            if (fleet.device(index).dashcam) {
                QVERIFY2(file.startsWith(imei + QStringLiteral("_EVENT_")) && file.endsWith(QStringLiteral(".mp4")),
                         qPrintable(file));
                ++named;
            } else {
                QVERIFY(!body.contains(QStringLiteral("file")));
                ++plain;
            }
        }
    }
    QVERIFY(named > 0);
    QVERIFY(plain > 0);
}

void TestAlarmMediaFetcher::keysAndTypesOfListedFiles()
{
    MediaFile f;
    f.fileUrl = QStringLiteral("https://sg-file.example/normal/get?fileKey=357730090564767_29057540_I_28_128.mp4");
    QCOMPARE(mediaFileKey(f), QStringLiteral("357730090564767_29057540_I_28_128.mp4"));
    f.fileUrl = QStringLiteral("http://files.example/media/a%20b.jpg?sig=1");
    QCOMPARE(mediaFileKey(f), QStringLiteral("files.example/media/a b.jpg"));
    f.fileUrl = QStringLiteral("http://files.example/ch2/a%20b.jpg?sig=2");
    QCOMPARE(mediaFileKey(f), QStringLiteral("files.example/ch2/a b.jpg")); // another file
    f.fileUrl = QStringLiteral("no-scheme-or-host");
    QCOMPARE(mediaFileKey(f), QStringLiteral("no-scheme-or-host"));
    f.fileUrl.clear();
    QCOMPARE(mediaFileKey(f), QString());
    QCOMPARE(mediaTypeName(QStringLiteral("1")), QStringLiteral("photo"));
    QCOMPARE(mediaTypeName(QStringLiteral(" VIDEO ")), QStringLiteral("video"));
    QCOMPARE(mediaTypeName(QStringLiteral("3")), QStringLiteral("3"));
    QVERIFY(isFetchableMediaUrl(QUrl(QStringLiteral("https://a.example/x"))));
    QVERIFY(!isFetchableMediaUrl(QUrl(QStringLiteral("file:///etc/passwd"))));
    QVERIFY(!isFetchableMediaUrl(QUrl(QStringLiteral("data:image/png;base64,AAAA"))));
    QVERIFY(!isFetchableMediaUrl(QUrl(QStringLiteral("/etc/passwd"))));
    QVERIFY(!isFetchableMediaUrl(QUrl(QStringLiteral("http:///nohost"))));
}

void TestAlarmMediaFetcher::fetchesTheAlarmsPhotoAndClip()
{
    const int cam = dashcam();
    QVERIFY(cam >= 0);
    const qint64 id = raiseAndStore(cam);
    QVERIFY(id > 0);
    const std::optional<AlarmDeskRow> row = m_store.reader->alarmDeskRow(id);
    QVERIFY(row && !row->alarm.mediaFile.isEmpty());
    QVERIFY(m_store.reader->alarmMedia(id).isEmpty());

    const AlarmMediaOutcome outcome = fetch(id);
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.alarmId, id);
    QVERIFY2(outcome.files >= 2, qPrintable(QString::number(outcome.files)));
    const QList<StoredMedia> media = m_store.reader->alarmMedia(id);
    QCOMPARE(media.size(), 2); // the photo and the clip of this alarm
    const auto clip = std::find_if(media.cbegin(), media.cend(), [](const StoredMedia &m) { return m.isVideo(); });
    const auto photo = std::find_if(media.cbegin(), media.cend(), [](const StoredMedia &m) { return !m.isVideo(); });
    QVERIFY(clip != media.cend() && photo != media.cend());
    QCOMPARE(clip->fileKey, row->alarm.mediaFile); // the push named it
    QCOMPARE(clip->mediaType, QStringLiteral("video"));
    QCOMPARE(photo->mediaType, QStringLiteral("photo"));
    QCOMPARE(photo->mimeType, QStringLiteral("image/jpeg"));
    QCOMPARE(clip->alarmTime, row->alarm.time);
    QCOMPARE(clip->eventTypeId, row->alarm.typeId);
    QVERIFY(clip->fileUrl.contains(QStringLiteral("fileKey=") + clip->fileKey));
    QVERIFY(!photo->thumbUrl.isEmpty());
    QVERIFY(clip->fileSize.has_value());

    // Asked again: the same rows, none added.
    const qint64 before = m_store.reader->rowCounts().value(QStringLiteral("media"));
    QCOMPARE(fetch(id).error, QString());
    QCOMPARE(m_store.reader->rowCounts().value(QStringLiteral("media")), before);
    QCOMPARE(m_store.reader->alarmMedia(id), media);
}

void TestAlarmMediaFetcher::mediaOfAnotherAlarmAreNotShown()
{
    const int cam = dashcam();
    const qint64 id = raiseAndStore(cam);
    QVERIFY(id > 0);
    const AlarmDeskRow row = *m_store.reader->alarmDeskRow(id);
    // A repeat 50 s later folds into the alarm's row and names a file of its own.
    Alarm repeat = row.alarm;
    repeat.time = row.alarm.time.addSecs(50);
    repeat.mediaFile = QStringLiteral("repeat.mp4");
    repeat.serialNo.reset();
    {
        IngestBatch b;
        b.addAlarms({repeat}, ReportSource::Push);
        QVERIFY(m_store.writer->write(std::move(b)) && m_store.writer->flush(10000));
    }
    const QList<AlarmDeskRow> fold = m_store.reader->alarmFold(id);
    QCOMPARE(fold.size(), 2);
    const qint64 repeatId = fold.at(1).id;
    const auto event = [&row](const QString &type, qint64 offset, const QString &key) {
        MediaEvent e;
        e.imei = row.alarm.imei;
        e.eventTypeId = type;
        e.alarmTime = row.alarm.time.addSecs(offset);
        MediaFile f;
        f.mediaType = QStringLiteral("1");
        f.fileUrl = QStringLiteral("http://files.example/normal/get?fileKey=") + key;
        e.files = {f};
        return e;
    };
    IngestBatch b;
    b.mediaEvents = {
        // The window runs from 60 s before the first alarm to 60 s after the repeat.
        event(row.alarm.typeId, 50 + kAlarmMediaWindowSecs, QStringLiteral("edge.jpg")), // at its end: in
        event(row.alarm.typeId, -kAlarmMediaWindowSecs, QStringLiteral("start.jpg")), // at its start: in
        event(QString(), -30, QStringLiteral("untyped.jpg")), // no type said: in
        event(row.alarm.typeId, 50 + kAlarmMediaWindowSecs + 1, QStringLiteral("late.jpg")), // out
        event(row.alarm.typeId, -kAlarmMediaWindowSecs - 1, QStringLiteral("early.jpg")), // out
        event(QStringLiteral("999"), 0, QStringLiteral("other-type.jpg")), // another alarm's: out
        event(QStringLiteral("999"), 600, QStringLiteral("repeat.mp4")), // named by the repeat: in
    };
    MediaEvent otherDevice = event(row.alarm.typeId, 0, QStringLiteral("other-device.jpg"));
    otherDevice.imei = m_cloud.server->fleet().device(plainTracker()).imei;
    b.mediaEvents.append(otherDevice);
    QVERIFY(m_store.writer->write(std::move(b)) && m_store.writer->flush(10000));
    QStringList keys;
    for (const StoredMedia &m : m_store.reader->alarmMedia(id))
        keys << m.fileKey;
    keys.sort();
    QCOMPARE(keys,
             (QStringList{QStringLiteral("edge.jpg"), QStringLiteral("repeat.mp4"), QStringLiteral("start.jpg"),
                          QStringLiteral("untyped.jpg")}));
    // Asked by the repeat's id: the same, oldest first.
    const QList<StoredMedia> byRepeat = m_store.reader->alarmMedia(repeatId);
    QCOMPARE(byRepeat, m_store.reader->alarmMedia(id));
    QCOMPARE(byRepeat.constFirst().fileKey, QStringLiteral("start.jpg"));
    QCOMPARE(byRepeat.constLast().fileKey, QStringLiteral("repeat.mp4"));
}

void TestAlarmMediaFetcher::listedLinksFillTheCallbacksRow()
{
    const int cam = dashcam();
    const qint64 id = raiseAndStore(cam);
    QVERIFY(id > 0);
    const AlarmDeskRow row = *m_store.reader->alarmDeskRow(id);
    // /uploadCallback first: the file's name, nothing of where it is.
    MediaUpload upload;
    upload.imei = row.alarm.imei;
    upload.fileKey = row.alarm.mediaFile;
    upload.businessType = QStringLiteral("eventAttachment");
    upload.mediaType = QStringLiteral("video");
    upload.durationSeconds = 10;
    upload.received = m_clock.nowUtc();
    IngestBatch b;
    b.mediaUploads = {upload};
    QVERIFY(m_store.writer->write(std::move(b)) && m_store.writer->flush(10000));
    QList<StoredMedia> media = m_store.reader->alarmMedia(id);
    QCOMPARE(media.size(), 1);
    QVERIFY(media.constFirst().fileUrl.isEmpty());
    QCOMPARE(media.constFirst().durationSeconds, std::optional<int>(10));

    QCOMPARE(fetch(id).error, QString());
    media = m_store.reader->alarmMedia(id);
    QCOMPARE(media.size(), 2);
    for (const StoredMedia &m : std::as_const(media))
        QVERIFY2(!m.fileUrl.isEmpty(), qPrintable(m.fileKey));
    const auto clip = std::find_if(media.cbegin(), media.cend(), [](const StoredMedia &m) { return m.isVideo(); });
    QCOMPARE(clip->fileKey, row.alarm.mediaFile);
    QCOMPARE(clip->durationSeconds, std::optional<int>(10)); // the callback's, kept
}

void TestAlarmMediaFetcher::plainTrackerHasNone()
{
    const qint64 id = raiseAndStore(plainTracker());
    QVERIFY(id > 0);
    const AlarmMediaOutcome outcome = fetch(id);
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.files, 0);
    QVERIFY(m_store.reader->alarmMedia(id).isEmpty());
}

void TestAlarmMediaFetcher::unreachableCloudIsAnError()
{
    const qint64 id = raiseAndStore(dashcam());
    QVERIFY(id > 0);
    m_cloud.server.reset(); // the cloud is gone
    const AlarmMediaOutcome outcome = fetch(id);
    QCOMPARE(outcome.files, 0);
    QVERIFY(!outcome.error.isEmpty());
    QVERIFY(m_store.reader->alarmMedia(id).isEmpty());
}

void TestAlarmMediaFetcher::stoppingAnswersWhatIsUnderWay()
{
    const qint64 id = raiseAndStore(dashcam());
    QVERIFY(id > 0);
    const std::optional<AlarmMediaRequest> request = alarmMediaRequest(m_store.reader->alarmFold(id));
    QVERIFY(request);
    std::optional<AlarmMediaOutcome> outcome;
    m_fetcher->fetch(*request, [&outcome](const AlarmMediaOutcome &o) { outcome = o; });
    QVERIFY(!outcome); // the cloud is asked; no answer yet
    m_fetcher.reset();
    QVERIFY(outcome.has_value());
    QVERIFY(outcome->error.contains(QStringLiteral("stopped")));
}

void TestAlarmMediaFetcher::downloadsTheFilesWhole()
{
    const qint64 id = raiseAndStore(dashcam());
    QCOMPARE(fetch(id).error, QString());
    const QList<StoredMedia> media = m_store.reader->alarmMedia(id);
    QCOMPARE(media.size(), 2);
    for (const StoredMedia &m : media) {
        const QString path = m_store.dir.filePath(QStringLiteral("dl/") + m.fileKey);
        QCOMPARE(download(m.fileUrl, path), QString());
        QFile served(m.isVideo() ? QStringLiteral(":/simmedia/clip.mp4") : QStringLiteral(":/simmedia/photo.jpg"));
        QVERIFY(served.open(QIODevice::ReadOnly));
        QFile got(path);
        QVERIFY(got.open(QIODevice::ReadOnly));
        QCOMPARE(got.readAll(), served.readAll());
        QVERIFY(got.size() > 1000);
        if (!m.isVideo()) {
            const QString thumb = m_store.dir.filePath(QStringLiteral("dl/thumb.jpg"));
            QCOMPARE(download(m.thumbUrl, thumb), QString());
            QFile servedThumb(QStringLiteral(":/simmedia/thumb.jpg"));
            QVERIFY(servedThumb.open(QIODevice::ReadOnly));
            QFile gotThumb(thumb);
            QVERIFY(gotThumb.open(QIODevice::ReadOnly));
            QCOMPARE(gotThumb.readAll(), servedThumb.readAll());
        }
    }
}

void TestAlarmMediaFetcher::unknownLinkIsNotFound()
{
    const QString path = m_store.dir.filePath(QStringLiteral("nf.jpg"));
    const QString base = QStringLiteral("http://%1/normal/get?fileKey=").arg(m_cloud.server->hostPort());
    const QString imei = m_cloud.server->fleet().device(dashcam()).imei;
    // Made up: a key the cloud never gave, an alarm that never was.
    for (const QString &key :
         {QStringLiteral("nothing.jpg"), imei + QStringLiteral("_EVENT_2026_12_03_14_59_59_1_1.jpg"),
          QStringLiteral("../../etc/passwd")}) {
        const QString error = download(base + QString::fromLatin1(QUrl::toPercentEncoding(key)), path);
        QVERIFY2(error.contains(QStringLiteral("404")), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }
}

void TestAlarmMediaFetcher::onlyHttpLinksAreFollowed()
{
    const QString path = m_store.dir.filePath(QStringLiteral("passwd"));
    for (const QString &url : {QStringLiteral("file:///etc/passwd"), QStringLiteral("ftp://example.com/a.jpg"),
                               QStringLiteral("/etc/passwd")}) {
        const QString error = download(url, path);
        QVERIFY2(error.contains(QStringLiteral("only http and https")), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }
}

void TestAlarmMediaFetcher::tooLargeIsNotKept()
{
    const qint64 id = raiseAndStore(dashcam());
    QCOMPARE(fetch(id).error, QString());
    const QList<StoredMedia> media = m_store.reader->alarmMedia(id);
    const auto clip = std::find_if(media.cbegin(), media.cend(), [](const StoredMedia &m) { return m.isVideo(); });
    QVERIFY(clip != media.cend());
    const QString path = m_store.dir.filePath(QStringLiteral("big.mp4"));
    const QString error = download(clip->fileUrl, path, 1000);
    QVERIFY2(error.contains(QStringLiteral("larger than")), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestAlarmMediaFetcher)
#include "tst_alarmmediafetcher.moc"
