#include "playback/playbackmodel.h"
#include "playback/timelinewidget.h"

#include "playbacktestdata.h"

#include <QMouseEvent>
#include <QWheelEvent>
#include <QtTest>

using namespace Fleet;
using namespace PlaybackTest;

class TestTimelineWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void rowsPerVehicleAndASpeedChart();
    void pressAndDragMoveThePlayhead();
    void wheelZoomsDownToAMinute();
    void shiftWheelAndAxisDragPan();
    void playheadStaysInViewWhilePlaying();

private:
    void wheel(QPointF at, int steps, Qt::KeyboardModifiers modifiers = {});
    void move(QPointF at, Qt::MouseButtons buttons);

    PlaybackModel *m_model = nullptr;
    TimelineWidget *m_timeline = nullptr;
};

void TestTimelineWidget::init()
{
    m_model = new PlaybackModel;
    m_model->setRange({at(0), at(3600)});
    m_model->setVehicles({vehicle(QStringLiteral("860000000000001"), QStringLiteral("VAN-001")),
                          vehicle(QStringLiteral("860000000000002"), QStringLiteral("VAN-002"), 300)});
    m_timeline = new TimelineWidget(m_model);
    m_timeline->resize(900, 220);
    m_timeline->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_timeline));
}

void TestTimelineWidget::cleanup()
{
    delete m_timeline;
    delete m_model;
}

void TestTimelineWidget::wheel(QPointF at, int steps, Qt::KeyboardModifiers modifiers)
{
    QWheelEvent e(at, m_timeline->mapToGlobal(at), QPoint(), QPoint(0, steps * 120), Qt::NoButton, modifiers,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_timeline, &e);
}

void TestTimelineWidget::move(QPointF at, Qt::MouseButtons buttons)
{
    QMouseEvent e(QEvent::MouseMove, at, m_timeline->mapToGlobal(at), Qt::NoButton, buttons, Qt::NoModifier);
    QApplication::sendEvent(m_timeline, &e);
}

void TestTimelineWidget::rowsPerVehicleAndASpeedChart()
{
    // Two rows, then the chart, all under the axis and on one time axis.
    QVERIFY(m_timeline->rowRect(0).top() >= m_timeline->axisRect().bottom());
    QVERIFY(m_timeline->rowRect(1).top() > m_timeline->rowRect(0).bottom());
    QVERIFY(m_timeline->speedRect().top() > m_timeline->rowRect(1).bottom());
    QCOMPARE(m_timeline->viewFromMs(), at(0).toMSecsSinceEpoch());
    QCOMPARE(m_timeline->viewToMs(), at(3600).toMSecsSinceEpoch());
    QVERIFY(qAbs(m_timeline->msAt(m_timeline->xOf(at(1800).toMSecsSinceEpoch())) - at(1800).toMSecsSinceEpoch()) < 10);
    // The first vehicle's trip is painted in its colour on its row.
    const QImage image = m_timeline->grab().toImage();
    const int x = int(m_timeline->xOf(at(200).toMSecsSinceEpoch()));
    const int y = m_timeline->rowRect(0).center().y();
    QCOMPARE(image.pixelColor(x, y), m_model->vehicles().at(0).colour);
}

void TestTimelineWidget::pressAndDragMoveThePlayhead()
{
    const QPoint press(int(m_timeline->xOf(at(900).toMSecsSinceEpoch())), m_timeline->rowRect(0).center().y());
    QTest::mousePress(m_timeline, Qt::LeftButton, {}, press);
    QVERIFY(qAbs(m_model->playheadMs() - at(900).toMSecsSinceEpoch()) < 5000); // within a pixel's worth
    const double x2 = m_timeline->xOf(at(2700).toMSecsSinceEpoch());
    move(QPointF(x2, m_timeline->speedRect().center().y()), Qt::LeftButton);
    QVERIFY(qAbs(m_model->playheadMs() - at(2700).toMSecsSinceEpoch()) < 5000);
    QTest::mouseRelease(m_timeline, Qt::LeftButton, {}, QPoint(int(x2), press.y()));
    // Moving without a button does not.
    move(QPointF(press), Qt::NoButton);
    QVERIFY(qAbs(m_model->playheadMs() - at(2700).toMSecsSinceEpoch()) < 5000);
}

void TestTimelineWidget::wheelZoomsDownToAMinute()
{
    const qint64 around = at(1800).toMSecsSinceEpoch();
    const QPointF at1800(m_timeline->xOf(around), m_timeline->rowRect(0).center().y());
    wheel(at1800, 1);
    const qint64 span = m_timeline->viewToMs() - m_timeline->viewFromMs();
    QVERIFY(qAbs(span - 3600000 * 8 / 10) < 1000);
    // The time under the pointer stays under it.
    QVERIFY(qAbs(m_timeline->msAt(at1800.x()) - around) < 5000);
    for (int i = 0; i < 60; ++i)
        wheel(at1800, 1);
    QCOMPARE(m_timeline->viewToMs() - m_timeline->viewFromMs(), TimelineWidget::kMinSpanMs);
    // And out again: never beyond the range.
    for (int i = 0; i < 60; ++i)
        wheel(at1800, -1);
    QCOMPARE(m_timeline->viewFromMs(), at(0).toMSecsSinceEpoch());
    QCOMPARE(m_timeline->viewToMs(), at(3600).toMSecsSinceEpoch());
}

void TestTimelineWidget::shiftWheelAndAxisDragPan()
{
    m_timeline->setView(at(1000).toMSecsSinceEpoch(), at(1600).toMSecsSinceEpoch());
    wheel(QPointF(400, m_timeline->rowRect(0).center().y()), -1, Qt::ShiftModifier);
    QCOMPARE(m_timeline->viewFromMs(), at(1060).toMSecsSinceEpoch());
    QCOMPARE(m_timeline->viewToMs() - m_timeline->viewFromMs(), 600000);
    // Dragging the axis to the left shows later times; the playhead stays.
    const qint64 playhead = m_model->playheadMs();
    const QPoint start(600, m_timeline->axisRect().center().y());
    QTest::mousePress(m_timeline, Qt::LeftButton, {}, start);
    move(QPointF(start.x() - 100, start.y()), Qt::LeftButton);
    QTest::mouseRelease(m_timeline, Qt::LeftButton, {}, QPoint(start.x() - 100, start.y()));
    QVERIFY(m_timeline->viewFromMs() > at(1060).toMSecsSinceEpoch());
    QCOMPARE(m_model->playheadMs(), playhead);
}

void TestTimelineWidget::playheadStaysInViewWhilePlaying()
{
    m_timeline->setView(at(0).toMSecsSinceEpoch(), at(600).toMSecsSinceEpoch());
    m_model->setPlayhead(at(1500));
    QVERIFY(m_timeline->viewFromMs() <= at(1500).toMSecsSinceEpoch());
    QVERIFY(m_timeline->viewToMs() >= at(1500).toMSecsSinceEpoch());
    QCOMPARE(m_timeline->viewToMs() - m_timeline->viewFromMs(), 600000);
}

QTEST_MAIN(TestTimelineWidget)
#include "tst_timelinewidget.moc"
