// StreamSessions against the simulated cloud: a stream opened with an appId
// of its own, asked again with the same appId, closed with it; the store's
// journal from before the cloud is asked until the close is confirmed; what
// a crash left open closed at the next start. And the camera table.

#include "../sync/simcloud.h"
#include "domain/camera.h"
#include "media/streamsessions.h"
#include "sim/simmediaapi.h"

#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSignalSpy>
#include <QTest>

using namespace Fleet;
using namespace Qt::StringLiterals;

class TestStreamSessions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cameraTable();
    void appIdsAreFifteenLettersAndDigits();
    void openRenewClose();
    void closedStreamsLeaveTheJournal();
    void aRefusedOpenIsSaid();
    void leftoversOfACrashAreClosed();
    void closeAllWaitsForTheCloud();

private:
    int openStreamsInTheCloud() const { return m_cloud.server->stateJson().value(u"openStreams"_s).toInt(); }
    StreamRequest live(int channelOffset = 0) const { return {m_imei, m_first + channelOffset, false, {}, {}, {}}; }

    ManualClock m_clock{SimCloudTest::thursday()};
    SimCloudTest::Cloud m_cloud;
    SimCloudTest::Store m_store;
    QString m_imei;
    int m_first = 0;
};

void TestStreamSessions::init()
{
    QVERIFY(m_cloud.start(SimCloudTest::fleet(8, 3, m_clock), &m_clock));
    QVERIFY(m_store.open(&m_clock));
    QVERIFY2(SimCloudTest::onlineDashcam(*m_cloud.server, &m_imei, &m_first),
             "an online dashcam at the pinned fleet time");
}

void TestStreamSessions::cleanup()
{
    m_store.close();
    m_cloud.stop();
}

void TestStreamSessions::cameraTable()
{
    QCOMPARE(cameraLayout(u"JC400P"_s).first, 0);
    QVERIFY(cameraLayout(u"JC400P"_s).dashcam);
    QCOMPARE(cameraLayout(u"jc261"_s).first, 0);
    QCOMPARE(cameraLayout(u"JC450"_s).first, 1);
    QCOMPARE(cameraLayout(u"JC181"_s).first, 1);
    QCOMPARE(cameraLayout(u"JC450"_s).count, 2);
    QVERIFY(!cameraLayout(u"GT06N"_s).dashcam);
    QVERIFY(!cameraLayout({}).dashcam);
    // The simulator numbers its dashcams' channels by the same table.
    QCOMPARE(Sim::SimMediaApi::firstChannel(u"JC400"_s), 0);
    QCOMPARE(Sim::SimMediaApi::firstChannel(u"JC450"_s), 1);
}

void TestStreamSessions::appIdsAreFifteenLettersAndDigits()
{
    static const QRegularExpression shape(u"^[A-Za-z0-9]{15}$"_s);
    QSet<QString> seen;
    for (int i = 0; i < 200; ++i) {
        const QString id = newStreamAppId();
        QVERIFY2(shape.match(id).hasMatch(), qPrintable(id));
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 200);
}

void TestStreamSessions::openRenewClose()
{
    StreamSessions sessions(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    QSignalSpy opened(&sessions, &StreamSessions::opened);
    QSignalSpy closed(&sessions, &StreamSessions::closed);
    sessions.open(7, live());
    QVERIFY(opened.wait(10000));
    QCOMPARE(opened.at(0).at(0).toInt(), 7);
    const QUrl first = opened.at(0).at(1).toUrl();
    QVERIFY(first.path().endsWith(u".flv"_s));
    QCOMPARE(openStreamsInTheCloud(), 1);
    const QString appId = sessions.appId(7);
    QCOMPARE(appId.size(), 15);
    // In the journal, open.
    QVERIFY(QTest::qWaitFor([this] { return m_store.reader->openVideoStreams().size() == 1; }, 5000));
    const VideoStreamRecord row = m_store.reader->openVideoStreams().first();
    QCOMPARE(row.appId, appId);
    QCOMPARE(row.imei, m_imei);
    QCOMPARE(row.channel, m_first);
    QVERIFY(!row.history);
    QCOMPARE(row.openedAt, m_clock.nowUtc());

    // Asked again: a new URL, the same appId, still one stream in the cloud.
    sessions.renew(7);
    QVERIFY(opened.wait(10000));
    QVERIFY(opened.at(1).at(1).toUrl() != first);
    QCOMPARE(sessions.appId(7), appId);
    QCOMPARE(openStreamsInTheCloud(), 1);

    sessions.close(7);
    QVERIFY(closed.wait(10000));
    QCOMPARE(closed.at(0).at(0).toInt(), 7);
    QVERIFY(closed.at(0).at(1).toBool());
    QCOMPARE(openStreamsInTheCloud(), 0);
    QCOMPARE(sessions.openCount(), 0);
}

void TestStreamSessions::closedStreamsLeaveTheJournal()
{
    StreamSessions sessions(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    QSignalSpy opened(&sessions, &StreamSessions::opened);
    QSignalSpy closed(&sessions, &StreamSessions::closed);
    sessions.open(1, live(0));
    sessions.open(2, live(1));
    QVERIFY(QTest::qWaitFor([&] { return opened.size() == 2; }, 10000));
    QCOMPARE(openStreamsInTheCloud(), 2);
    QVERIFY(sessions.appId(1) != sessions.appId(2));
    m_clock.advanceSecs(90);
    sessions.close(1);
    QVERIFY(closed.wait(10000));
    // The one closed has left the journal; its row keeps when it was watched.
    QVERIFY(QTest::qWaitFor([this] { return m_store.reader->openVideoStreams().size() == 1; }, 5000));
    QCOMPARE(m_store.reader->openVideoStreams().first().appId, sessions.appId(2));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
        db.setDatabaseName(m_store.dir.filePath(u"fleet-closedStreamsLeaveTheJournal.db"_s));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"SELECT opened_at, closed_at, close_result FROM video_streams WHERE closed_at IS NOT NULL"_s));
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toLongLong() - q.value(0).toLongLong(), 90);
        QCOMPARE(q.value(2).toString(), u"closed"_s);
    }
    QSqlDatabase::removeDatabase(u"peek"_s);
}

void TestStreamSessions::aRefusedOpenIsSaid()
{
    StreamSessions sessions(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    QSignalSpy failed(&sessions, &StreamSessions::failed);
    // A channel the model does not have: the cloud's parameter error.
    sessions.open(3, live(5));
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.at(0).at(0).toInt(), 3);
    QVERIFY2(failed.at(0).at(1).toString().contains(u"channel"_s), qPrintable(failed.at(0).at(1).toString()));
    QCOMPARE(openStreamsInTheCloud(), 0);
}

void TestStreamSessions::leftoversOfACrashAreClosed()
{
    // A run that opened two streams and never closed them (no close, no
    // closeAll: the process died).
    {
        StreamSessions crashed(m_cloud.api.get(), m_store.writer.get(), &m_clock);
        QSignalSpy opened(&crashed, &StreamSessions::opened);
        crashed.open(1, live(0));
        crashed.open(2, live(1));
        QVERIFY(QTest::qWaitFor([&] { return opened.size() == 2; }, 10000));
    }
    QVERIFY(QTest::qWaitFor([this] { return m_store.reader->openVideoStreams().size() == 2; }, 5000));
    QCOMPARE(openStreamsInTheCloud(), 2);

    // The next start closes them in the cloud, with their appIds.
    StreamSessions next(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    QSignalSpy leftovers(&next, &StreamSessions::leftoverClosed);
    next.closeLeftovers(m_store.reader->openVideoStreams());
    QVERIFY(QTest::qWaitFor([&] { return leftovers.size() == 2; }, 10000));
    QVERIFY(leftovers.at(0).at(1).toBool() && leftovers.at(1).at(1).toBool());
    QCOMPARE(openStreamsInTheCloud(), 0);
    QVERIFY(QTest::qWaitFor([this] { return m_store.reader->openVideoStreams().isEmpty(); }, 5000));

    // A cloud that cannot be reached: the rows stay for the start after.
    QSignalSpy opened(&next, &StreamSessions::opened);
    next.open(3, live());
    QVERIFY(opened.wait(10000));
    QVERIFY(QTest::qWaitFor([this] { return m_store.reader->openVideoStreams().size() == 1; }, 5000));
    const QList<VideoStreamRecord> left = m_store.reader->openVideoStreams();
    m_cloud.server->setDropRate(1.0);
    StreamSessions unreachable(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    QSignalSpy gaveUp(&unreachable, &StreamSessions::leftoverClosed);
    unreachable.closeLeftovers(left);
    QVERIFY(gaveUp.wait(30000));
    QVERIFY(!gaveUp.at(0).at(1).toBool());
    m_store.writer->flush();
    QCOMPARE(m_store.reader->openVideoStreams().size(), 1);
}

void TestStreamSessions::closeAllWaitsForTheCloud()
{
    StreamSessions sessions(m_cloud.api.get(), m_store.writer.get(), &m_clock);
    QSignalSpy opened(&sessions, &StreamSessions::opened);
    sessions.open(1, live(0));
    sessions.open(2, live(1));
    QVERIFY(QTest::qWaitFor([&] { return opened.size() == 2; }, 10000));
    sessions.closeAll(10000);
    // Returned with the cloud's answers in.
    QCOMPARE(openStreamsInTheCloud(), 0);
    QCOMPARE(sessions.openCount(), 0);
}

QTEST_GUILESS_MAIN(TestStreamSessions)
#include "tst_streamsessions.moc"
