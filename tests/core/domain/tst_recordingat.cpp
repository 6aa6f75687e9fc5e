// Which of a dashcam's recordings holds a moment of the track: the one
// whose span holds it, else the next one after it, else none.

#include "domain/media.h"

#include <QTest>
#include <QTimeZone>

using namespace Fleet;

class TestRecordingAt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void momentInsideASegment();
    void momentBetweenSegmentsTakesTheNext();
    void momentAfterEverySegment();
    void listNeedNotBeSorted();

private:
    static VideoSegment segment(int fromMinute, int toMinute)
    {
        VideoSegment s;
        s.begin = day().addSecs(fromMinute * 60);
        s.end = day().addSecs(toMinute * 60);
        return s;
    }
    static QDateTime day() { return QDateTime(QDate(2026, 3, 5), QTime(8, 0), QTimeZone::utc()); }
};

void TestRecordingAt::momentInsideASegment()
{
    const QList<VideoSegment> list{segment(0, 3), segment(3, 6), segment(10, 13)};
    RecordingAt at = recordingAt(list, day().addSecs(4 * 60 + 30));
    QCOMPARE(at.index, 1);
    QVERIFY(at.exact);
    // A segment holds its beginning, not its end: the next one holds that.
    at = recordingAt(list, day().addSecs(3 * 60));
    QCOMPARE(at.index, 1);
    QVERIFY(at.exact);
    at = recordingAt(list, day());
    QCOMPARE(at.index, 0);
    QVERIFY(at.exact);
}

void TestRecordingAt::momentBetweenSegmentsTakesTheNext()
{
    const QList<VideoSegment> list{segment(0, 3), segment(3, 6), segment(10, 13)};
    const RecordingAt at = recordingAt(list, day().addSecs(7 * 60));
    QCOMPARE(at.index, 2);
    QVERIFY(!at.exact);
    const RecordingAt before = recordingAt(list, day().addSecs(-60));
    QCOMPARE(before.index, 0);
    QVERIFY(!before.exact);
}

void TestRecordingAt::momentAfterEverySegment()
{
    const QList<VideoSegment> list{segment(0, 3)};
    QCOMPARE(recordingAt(list, day().addSecs(3 * 60)).index, -1);
    QCOMPARE(recordingAt({}, day()).index, -1);
}

void TestRecordingAt::listNeedNotBeSorted()
{
    const QList<VideoSegment> list{segment(20, 23), segment(10, 13), segment(0, 3)};
    const RecordingAt at = recordingAt(list, day().addSecs(5 * 60));
    QCOMPARE(at.index, 1);
    QVERIFY(!at.exact);
}

QTEST_GUILESS_MAIN(TestRecordingAt)
#include "tst_recordingat.moc"
