#include "map/vehiclesprites.h"
#include "style/vehiclestyle.h"

#include <QTest>

#include <numeric>

using namespace Fleet;
using namespace Fleet::Map;

namespace {

int headingStep(int index)
{
    return index % (VehicleSprites::kHeadingSteps + 1);
}

} // namespace

class tst_VehicleSprites : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headingIsQuantisedToFiveDegrees_data()
    {
        QTest::addColumn<double>("heading");
        QTest::addColumn<int>("step");
        QTest::newRow("north") << 0.0 << 0;
        QTest::newRow("just under 2.5") << 2.4 << 0;
        QTest::newRow("2.5 rounds up") << 2.5 << 1;
        QTest::newRow("east") << 90.0 << 18;
        QTest::newRow("357.6 is north") << 357.6 << 0;
        QTest::newRow("negative") << -90.0 << 54;
        QTest::newRow("beyond a turn") << 725.0 << 1;
    }
    void headingIsQuantisedToFiveDegrees()
    {
        QFETCH(double, heading);
        QFETCH(int, step);
        const int index = VehicleSprites::markerIndex(VehicleStatus::Moving, heading);
        QCOMPARE(headingStep(index), step);
        QCOMPARE(VehicleSprites::markerStatus(index), VehicleStatus::Moving);
    }

    void circleWithoutHeadingOrStanding()
    {
        const int circle = VehicleSprites::kHeadingSteps;
        QCOMPARE(headingStep(VehicleSprites::markerIndex(VehicleStatus::Moving, std::nullopt)), circle);
        QCOMPARE(headingStep(VehicleSprites::markerIndex(VehicleStatus::Moving, std::nan(""))), circle);
        QCOMPARE(headingStep(VehicleSprites::markerIndex(VehicleStatus::Parked, 45.0)), circle);
        QCOMPARE(headingStep(VehicleSprites::markerIndex(VehicleStatus::Offline, 45.0)), circle);
        QCOMPARE(headingStep(VehicleSprites::markerIndex(VehicleStatus::Alarm, 45.0)), 9);
        QCOMPARE(headingStep(VehicleSprites::markerIndex(VehicleStatus::Idle, 45.0)), 9);
    }

    void markersAreCentredPremultipliedAndCached()
    {
        VehicleSprites sprites;
        for (const VehicleStatus status : {VehicleStatus::Moving, VehicleStatus::Parked, VehicleStatus::Alarm}) {
            const int index = VehicleSprites::markerIndex(status, 30.0);
            const VehicleSprites::Sprite &s = sprites.marker(index);
            QCOMPARE(s.image.format(), QImage::Format_ARGB32_Premultiplied);
            QVERIFY(s.image.width() <= 25 && s.image.height() <= 25);
            QCOMPARE(s.image.pixelColor(s.anchor), vehicleStatusColor(status));
            // Rendered once.
            QCOMPARE(sprites.marker(index).image.cacheKey(), s.image.cacheKey());
        }
    }

    void followTheDevicePixelRatio()
    {
        VehicleSprites sprites;
        const int index = VehicleSprites::markerIndex(VehicleStatus::Parked, std::nullopt);
        const int width = sprites.marker(index).image.width();
        sprites.setDevicePixelRatio(2);
        const VehicleSprites::Sprite &s = sprites.marker(index);
        QVERIFY2(s.image.width() >= 2 * width - 3 && s.image.width() <= 2 * width + 3,
                 qPrintable(QStringLiteral("%1 at 1, %2 at 2").arg(width).arg(s.image.width())));
        QCOMPARE(s.image.pixelColor(s.anchor + QPoint(10, 0)), vehicleStatusColor(VehicleStatus::Parked));
        QVERIFY(sprites.selectionHalo().image.width() > s.image.width());
    }

    void ringUnitsShowEveryStatus()
    {
        VehicleSprites::StatusCounts counts{};
        counts[int(VehicleStatus::Alarm)] = 1;
        counts[int(VehicleStatus::Moving)] = 998;
        counts[int(VehicleStatus::Parked)] = 1;
        const VehicleSprites::StatusCounts units = VehicleSprites::ringUnits(counts);
        QCOMPARE(std::accumulate(units.begin(), units.end(), 0), VehicleSprites::kRingUnits);
        QCOMPARE(units[int(VehicleStatus::Alarm)], 1);
        QCOMPARE(units[int(VehicleStatus::Parked)], 1);
        QCOMPARE(units[int(VehicleStatus::Moving)], VehicleSprites::kRingUnits - 2);
        QCOMPARE(units[int(VehicleStatus::Idle)], 0);

        counts = {};
        counts[int(VehicleStatus::Idle)] = 1;
        counts[int(VehicleStatus::Parked)] = 2;
        const VehicleSprites::StatusCounts thirds = VehicleSprites::ringUnits(counts);
        QCOMPARE(thirds[int(VehicleStatus::Idle)], 16);
        QCOMPARE(thirds[int(VehicleStatus::Parked)], 32);
        QCOMPARE(VehicleSprites::ringUnits({}), VehicleSprites::StatusCounts{});
    }

    void clusterBadgesGrowWithTheCount()
    {
        QVERIFY(VehicleSprites::clusterRadius(2) < VehicleSprites::clusterRadius(20));
        QVERIFY(VehicleSprites::clusterRadius(20) < VehicleSprites::clusterRadius(20000));
        VehicleSprites sprites;
        VehicleSprites::StatusCounts counts{};
        counts[int(VehicleStatus::Moving)] = 5;
        const qint64 small = sprites.cluster(5, counts).image.cacheKey();
        QCOMPARE(sprites.cluster(5, counts).image.cacheKey(), small);
        counts[int(VehicleStatus::Moving)] = 5000;
        QVERIFY(sprites.cluster(5000, counts).image.width() > 2 * VehicleSprites::clusterRadius(5));
    }

    void labelsAreCachedAndStyled()
    {
        VehicleSprites sprites;
        const QString text = QStringLiteral("Van 12");
        const QSizeF size = sprites.labelSize(text);
        QVERIFY(size.width() > 20 && size.height() > 10);
        QVERIFY(sprites.labelSize(QString()).isEmpty());
        const QImage light = sprites.label(text);
        QCOMPARE(light.size(), size.toSize());
        QCOMPARE(sprites.label(text).cacheKey(), light.cacheKey());
        sprites.setDarkStyle(true);
        const QImage dark = sprites.label(text);
        QVERIFY(dark != light);
        sprites.setDevicePixelRatio(2);
        QCOMPARE(sprites.label(text).size(), (size * 2).toSize());
    }
};

QTEST_MAIN(tst_VehicleSprites)
#include "tst_vehiclesprites.moc"
