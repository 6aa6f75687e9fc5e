#include "map/labelplacer.h"

#include <QRandomGenerator>
#include <QTest>

#include <set>

using namespace Fleet::Map;
using Side = LabelPlacer::Side;

namespace {

LabelPlacer::Label label(QPointF anchor, QSizeF size = {60, 14}, int priority = 0, int obstacle = -1)
{
    LabelPlacer::Label l;
    l.anchor = anchor;
    l.size = size;
    l.offset = 12;
    l.priority = priority;
    l.obstacle = obstacle;
    return l;
}

bool overlap(const QRectF &a, const QRectF &b)
{
    return a.left() < b.right() && b.left() < a.right() && a.top() < b.bottom() && b.top() < a.bottom();
}

const LabelPlacer::Placement *find(const std::vector<LabelPlacer::Placement> &placed, int index)
{
    for (const auto &p : placed) {
        if (p.label == index)
            return &p;
    }
    return nullptr;
}

} // namespace

class tst_LabelPlacer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prefersRight()
    {
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 400, 300));
        const std::vector<LabelPlacer::Label> labels{label({100, 100})};
        const auto &placed = placer.place(labels, {});
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(placed[0].side, Side::Right);
        QCOMPARE(placed[0].rect, QRectF(112, 93, 60, 14));
        QVERIFY(!placed[0].coversIcon);
    }

    void snapsToWholePixels()
    {
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 400, 300));
        const std::vector<LabelPlacer::Label> labels{label({100.4, 99.6}, {59.2, 13.5})};
        const auto &placed = placer.place(labels, {});
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(placed[0].rect, QRectF(112, 93, 60, 14));
    }

    void fallsBackToOtherSides_data()
    {
        QTest::addColumn<QPointF>("anchor");
        QTest::addColumn<int>("side");
        QTest::newRow("right edge: left") << QPointF(380, 150) << int(Side::Left);
        // Too narrow either side, room above.
        QTest::newRow("narrow: above") << QPointF(50, 150) << int(Side::Above);
        QTest::newRow("narrow, top edge: below") << QPointF(50, 10) << int(Side::Below);
    }
    void fallsBackToOtherSides()
    {
        QFETCH(QPointF, anchor);
        QFETCH(int, side);
        LabelPlacer placer;
        const double width = anchor.x() < 100 ? 100 : 400;
        placer.setBounds(QRectF(0, 0, width, 300));
        const std::vector<LabelPlacer::Label> labels{label(anchor, {70, 14})};
        const auto &placed = placer.place(labels, {});
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(int(placed[0].side), side);
        QVERIFY(placer.bounds().contains(placed[0].rect));
    }

    void secondLabelMovesAside()
    {
        // Two markers one above the other: the first label takes the right,
        // the second's right would overlap it, so it goes left.
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 400, 300));
        const std::vector<QRectF> icons{QRectF(90, 90, 20, 20), QRectF(90, 100, 20, 20)};
        const std::vector<LabelPlacer::Label> labels{label({100, 100}, {60, 14}, 0, 0),
                                                     label({100, 110}, {60, 14}, 1, 1)};
        const auto &placed = placer.place(labels, icons);
        QCOMPARE(placed.size(), std::size_t(2));
        QCOMPARE(find(placed, 0)->side, Side::Right);
        QCOMPARE(find(placed, 1)->side, Side::Left);
        QVERIFY(!overlap(placed[0].rect, placed[1].rect));
    }

    void priorityRespected()
    {
        // Room for exactly one label; the higher priority (lower number)
        // wins although it comes second.
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 100, 20));
        const std::vector<LabelPlacer::Label> labels{label({10, 10}, {60, 14}, 5), label({10, 10}, {60, 14}, 1)};
        const auto &placed = placer.place(labels, {});
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(placed[0].label, 1);
    }

    void equalPriorityKeepsInputOrder()
    {
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 100, 20));
        const std::vector<LabelPlacer::Label> labels{label({10, 10}, {60, 14}, 3), label({10, 10}, {60, 14}, 3)};
        const auto &placed = placer.place(labels, {});
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(placed[0].label, 0);
    }

    void wideRangeOfPriorities()
    {
        // Beyond the counting sort's range: the comparison sort, same rules.
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 100, 20));
        const std::vector<LabelPlacer::Label> labels{label({10, 10}, {60, 14}, 1000000), label({10, 10}, {60, 14}, -5),
                                                     label({10, 10}, {60, 14}, -5)};
        const auto &placed = placer.place(labels, {});
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(placed[0].label, 1);
    }

    void droppedWhenNoRoom()
    {
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 50, 50));
        const std::vector<LabelPlacer::Label> labels{label({25, 25}, {80, 14}), label({25, 25}, {10, 10})};
        const auto &placed = placer.place(labels, {});
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(placed[0].label, 1);
    }

    void avoidsOtherIcons()
    {
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 400, 300));
        // Another vehicle's icon right of the marker, its own icon under it.
        const std::vector<QRectF> icons{QRectF(90, 90, 20, 20), QRectF(130, 92, 16, 16)};
        const std::vector<LabelPlacer::Label> labels{label({100, 100}, {60, 14}, 0, 0)};
        const auto &placed = placer.place(labels, icons);
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(placed[0].side, Side::Left);
        QVERIFY(!placed[0].coversIcon);
    }

    void coversAnIconOnlyWhenUnavoidable()
    {
        LabelPlacer placer;
        placer.setBounds(QRectF(0, 0, 400, 300));
        // Icons on all four sides.
        const std::vector<QRectF> icons{QRectF(90, 90, 20, 20), QRectF(140, 92, 16, 16), QRectF(50, 92, 16, 16),
                                        QRectF(92, 70, 16, 16), QRectF(92, 115, 16, 16)};
        std::vector<LabelPlacer::Label> labels{label({100, 100}, {60, 14}, 0, 0)};
        // An ordinary label is dropped rather than hide another vehicle...
        QVERIFY(placer.place(labels, icons).empty());
        // ...one that must show (the selected vehicle's) takes the first free side.
        labels[0].mayCoverIcons = true;
        const auto &placed = placer.place(labels, icons);
        QCOMPARE(placed.size(), std::size_t(1));
        QCOMPARE(placed[0].side, Side::Right);
        QVERIFY(placed[0].coversIcon);
    }

    void noOverlapsInACrowd()
    {
        QRandomGenerator rng(3);
        std::vector<LabelPlacer::Label> labels;
        std::vector<QRectF> icons;
        for (int i = 0; i < 3000; ++i) {
            const QPointF anchor(rng.bounded(1280.0), rng.bounded(720.0));
            icons.emplace_back(anchor - QPointF(10, 10), QSizeF(20, 20));
            labels.push_back(label(anchor, {30.0 + rng.bounded(60), 15}, rng.bounded(8), i));
            labels.back().mayCoverIcons = labels.back().priority == 0;
        }
        LabelPlacer placer;
        const QRectF bounds(0, 0, 1280, 720);
        placer.setBounds(bounds);
        const auto placed = placer.place(labels, icons);
        QVERIFY(placed.size() > 100);
        QVERIFY(placed.size() < labels.size());
        std::set<int> seen;
        for (std::size_t a = 0; a < placed.size(); ++a) {
            QVERIFY(bounds.contains(placed[a].rect));
            QVERIFY(seen.insert(placed[a].label).second);
            QCOMPARE(placed[a].rect, LabelPlacer::candidate(labels[std::size_t(placed[a].label)], placed[a].side));
            for (std::size_t b = a + 1; b < placed.size(); ++b)
                QVERIFY2(!overlap(placed[a].rect, placed[b].rect), qPrintable(QStringLiteral("%1 / %2").arg(a).arg(b)));
            QVERIFY(!placed[a].coversIcon || labels[std::size_t(placed[a].label)].mayCoverIcons);
            if (!placed[a].coversIcon) {
                for (std::size_t i = 0; i < icons.size(); ++i) {
                    if (int(i) != placed[a].label)
                        QVERIFY(!overlap(placed[a].rect, icons[i]));
                }
            }
        }
        // Greedy by priority: placement order never goes back to a higher priority.
        for (std::size_t a = 1; a < placed.size(); ++a)
            QVERIFY(labels[std::size_t(placed[a - 1].label)].priority <= labels[std::size_t(placed[a].label)].priority);
    }

    void deterministic()
    {
        QRandomGenerator rng(5);
        std::vector<LabelPlacer::Label> labels;
        std::vector<QRectF> icons;
        for (int i = 0; i < 1000; ++i) {
            const QPointF anchor(rng.bounded(800.0), rng.bounded(600.0));
            icons.emplace_back(anchor - QPointF(8, 8), QSizeF(16, 16));
            labels.push_back(label(anchor, {40, 14}, rng.bounded(4), i));
        }
        LabelPlacer a;
        a.setBounds(QRectF(0, 0, 800, 600));
        const auto first = a.place(labels, icons);
        const auto again = a.place(labels, icons);
        LabelPlacer b;
        b.setBounds(QRectF(0, 0, 800, 600));
        b.setCellSize(17);
        const auto other = b.place(labels, icons);
        QCOMPARE(first.size(), again.size());
        QCOMPARE(first.size(), other.size());
        for (std::size_t i = 0; i < first.size(); ++i) {
            QCOMPARE(first[i].label, again[i].label);
            QCOMPARE(first[i].rect, again[i].rect);
            // The grid is an index only: another cell size, the same result.
            QCOMPARE(first[i].label, other[i].label);
            QCOMPARE(first[i].side, other[i].side);
        }
    }
};

QTEST_GUILESS_MAIN(tst_LabelPlacer)
#include "tst_labelplacer.moc"
