#include "map/vehicletrail.h"

#include <QTest>

using namespace Fleet::Map;

namespace {

QList<QPointF> points(const VehicleTrail &t)
{
    QList<QPointF> out;
    for (int i = 0; i < t.size(); ++i)
        out.append(t.at(i));
    return out;
}

QPointF p(int i)
{
    return {0.1 + i * 1e-3, 0.2};
}

} // namespace

class tst_VehicleTrail : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void growsThenWraps()
    {
        VehicleTrail t(3);
        QVERIFY(t.isEmpty());
        QCOMPARE(t.capacity(), 3);
        t.append(p(0));
        t.append(p(1));
        QCOMPARE(points(t), (QList<QPointF>{p(0), p(1)}));
        t.append(p(2));
        t.append(p(3));
        t.append(p(4));
        // Oldest first, the oldest dropped.
        QCOMPARE(points(t), (QList<QPointF>{p(2), p(3), p(4)}));
        QCOMPARE(t.size(), 3);
        t.clear();
        QVERIFY(t.isEmpty());
        t.append(p(5));
        QCOMPARE(points(t), (QList<QPointF>{p(5)}));
    }

    void shrinkingKeepsTheNewest()
    {
        VehicleTrail t(5);
        for (int i = 0; i < 7; ++i)
            t.append(p(i));
        t.setCapacity(2);
        QCOMPARE(points(t), (QList<QPointF>{p(5), p(6)}));
        t.setCapacity(4);
        QCOMPARE(points(t), (QList<QPointF>{p(5), p(6)}));
        t.append(p(7));
        t.append(p(8));
        t.append(p(9));
        QCOMPARE(points(t), (QList<QPointF>{p(6), p(7), p(8), p(9)}));
    }

    void zeroCapacityHoldsNothing()
    {
        VehicleTrail t(0);
        t.append(p(0));
        QVERIFY(t.isEmpty());
        t.setCapacity(-3);
        QCOMPARE(t.capacity(), 0);
        t.setCapacity(2);
        t.append(p(1));
        QCOMPARE(points(t), (QList<QPointF>{p(1)}));
    }
};

QTEST_GUILESS_MAIN(tst_VehicleTrail)
#include "tst_vehicletrail.moc"
