// The spatial index of fences: what it finds for a position equals what
// asking every fence finds, for two thousand fences of every shape, with
// and without a margin; fences are replaced and removed.

#include "fencetestdata.h"
#include "fences/fenceindex.h"
#include "fences/preparedfence.h"

#include <QRandomGenerator>
#include <QtTest>

#include <cmath>
#include <numbers>
#include <vector>

using namespace Fleet;
using namespace FenceTest;

namespace {

const GeoPoint kCity{45.764, 4.8357}; // Lyon

} // namespace

class TestFenceIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsWhatEveryFenceSays_data();
    void findsWhatEveryFenceSays();
    void replacesAndRemoves();
    void refusesUnusableShapes();
};

void TestFenceIndex::findsWhatEveryFenceSays_data()
{
    QTest::addColumn<double>("marginM");
    QTest::newRow("no margin") << 0.0;
    QTest::newRow("50 m margin") << 50.0;
}

void TestFenceIndex::findsWhatEveryFenceSays()
{
    QFETCH(double, marginM);
    QRandomGenerator random(16);
    FenceIndex index;
    std::vector<PreparedFence> fences;
    for (int i = 0; i < 2000; ++i) {
        const GeoPoint centre = offset(kCity, random.bounded(60000.0) - 30000, random.bounded(60000.0) - 30000);
        const FenceShape shape = someFence(random, centre);
        fences.emplace_back(shape);
        QVERIFY(index.insert(i, shape, marginM));
    }
    QCOMPARE(index.size(), 2000);
    int hits = 0;
    for (int p = 0; p < 500; ++p) {
        const GeoPoint at = offset(kCity, random.bounded(60000.0) - 30000, random.bounded(60000.0) - 30000);
        QList<FenceIndex::Near> expected;
        for (int i = 0; i < int(fences.size()); ++i) {
            const double d = fences[std::size_t(i)].signedDistanceM(at);
            if (d <= marginM)
                expected.append(FenceIndex::Near{i, d});
        }
        const QList<FenceIndex::Near> found = index.near(at);
        QCOMPARE(found.size(), expected.size());
        for (int k = 0; k < found.size(); ++k) {
            QCOMPARE(found.at(k).id, expected.at(k).id);
            QVERIFY(std::abs(found.at(k).signedDistanceM - expected.at(k).signedDistanceM) < 1e-6);
        }
        hits += int(found.size());
    }
    QVERIFY(hits > 50); // the points do meet fences
}

void TestFenceIndex::replacesAndRemoves()
{
    FenceIndex index;
    QVERIFY(index.insert(7, FenceShape::circle(kCity, 100)));
    QCOMPARE(index.near(kCity).size(), 1);
    const GeoPoint far = offset(kCity, 5000, 0);
    QVERIFY(index.near(far).isEmpty());
    // Moved: the old place no longer finds it.
    QVERIFY(index.insert(7, FenceShape::circle(far, 100)));
    QCOMPARE(index.size(), 1);
    QVERIFY(index.near(kCity).isEmpty());
    QCOMPARE(index.near(far).constFirst().id, qint64(7));
    QVERIFY(index.signedDistanceM(7, far) < 0);
    QVERIFY(index.remove(7));
    QVERIFY(!index.remove(7));
    QVERIFY(index.near(far).isEmpty());
    QVERIFY(std::isinf(index.signedDistanceM(7, far)));
    QVERIFY(index.insert(1, FenceShape::circle(kCity, 10)));
    index.clear();
    QCOMPARE(index.size(), 0);
}

void TestFenceIndex::refusesUnusableShapes()
{
    FenceIndex index;
    QVERIFY(!index.insert(1, FenceShape::circle(kCity, -5)));
    QVERIFY(!index.insert(2, FenceShape::polygon({kCity})));
    QVERIFY(!index.insert(3, FenceShape::circle(kCity, 100), -1));
    QCOMPARE(index.size(), 0);
    QVERIFY(index.near(GeoPoint{std::nan(""), 0}).isEmpty());
}

QTEST_GUILESS_MAIN(TestFenceIndex)
#include "tst_fenceindex.moc"
