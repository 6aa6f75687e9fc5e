#include "domain/gcj02.h"

#include <QtTest>

#include <cmath>

using namespace Fleet;

namespace {
double metres(const GeoPoint &a, const GeoPoint &b)
{
    const double r = 6371008.8;
    const double p1 = a.lat * M_PI / 180, p2 = b.lat * M_PI / 180;
    const double dp = p2 - p1, dl = (b.lng - a.lng) * M_PI / 180;
    const double h = std::sin(dp / 2) * std::sin(dp / 2)
        + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2 * r * std::asin(std::sqrt(h));
}
} // namespace

class TestGcj02 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void identityOutsideChina();
    void shiftsInsideChina_data();
    void shiftsInsideChina();
    void knownValue();
    void onlyMainlandChinaIsShifted_data();
    void onlyMainlandChinaIsShifted();
    void unusableCoordinatesAreOutside();
};

void TestGcj02::identityOutsideChina()
{
    const GeoPoint paris{48.8566, 2.3522};
    QCOMPARE(Gcj02::fromWgs84(paris), paris);
    QCOMPARE(Gcj02::toWgs84(paris), paris);
}

void TestGcj02::shiftsInsideChina_data()
{
    QTest::addColumn<double>("lat");
    QTest::addColumn<double>("lng");
    QTest::newRow("Shenzhen") << 22.576562 << 113.943084;
    QTest::newRow("Beijing") << 39.9087 << 116.3975;
    QTest::newRow("Urumqi") << 43.8256 << 87.6168;
    QTest::newRow("Harbin") << 45.8038 << 126.5349;
}

void TestGcj02::shiftsInsideChina()
{
    QFETCH(double, lat);
    QFETCH(double, lng);
    const GeoPoint wgs{lat, lng};
    const GeoPoint gcj = Gcj02::fromWgs84(wgs);
    // The datum moves points by a few hundred metres, never by kilometres.
    const double shift = metres(wgs, gcj);
    QVERIFY2(shift > 50 && shift < 1000, qPrintable(QString::number(shift)));
    // And the inverse brings them back to well under a millimetre.
    QVERIFY(metres(Gcj02::toWgs84(gcj), wgs) < 0.001);
}

void TestGcj02::knownValue()
{
    // Tiananmen: WGS-84 (39.9087, 116.3975) is GCJ-02 (39.91010, 116.40374) to ~1 m
    // in every published implementation of the algorithm.
    const GeoPoint gcj = Gcj02::fromWgs84({39.9087, 116.3975});
    QVERIFY2(metres(gcj, {39.91010, 116.40374}) < 15,
             qPrintable(QStringLiteral("%1,%2").arg(gcj.lat, 0, 'f', 6).arg(gcj.lng, 0, 'f', 6)));
}

void TestGcj02::onlyMainlandChinaIsShifted_data()
{
    QTest::addColumn<double>("lat");
    QTest::addColumn<double>("lng");
    QTest::addColumn<bool>("mainland");
    // Both sides of the borders that matter, each point well clear of the
    // outline (at least 1.4 km), and the neighbours a box around China takes in.
    const struct
    {
        const char *name;
        double lat, lng;
        bool mainland;
    } points[] = {
        {"Shenzhen Futian (Civic Center)", 22.5431, 114.0579, true},
        {"Hong Kong Sheung Shui", 22.5016, 114.1280, false},
        {"Hong Kong San Tin (Lok Ma Chau)", 22.4960, 114.0720, false},
        {"Shenzhen Shekou (Nanshan)", 22.5077, 113.9215, true},
        {"Shenzhen Houhai (Shenzhen Bay)", 22.5170, 113.9420, true},
        {"Hong Kong Tin Shui Wai", 22.4580, 114.0030, false},
        {"Hong Kong Yuen Long", 22.4450, 114.0220, false},
        {"Hong Kong Tung Ping Chau", 22.5433, 114.4306, false},
        {"Hong Kong airport", 22.3080, 113.9185, false},
        {"Zhuhai Gongbei", 22.2350, 113.5430, true},
        {"Macau peninsula (Senado Square)", 22.1937, 113.5399, false},
        {"Zhuhai Hengqin (central Hengqin island)", 22.1110, 113.5060, true},
        {"Macau Taipa (Taipa village)", 22.1560, 113.5560, false},
        {"Macau Cotai (Venetian)", 22.1476, 113.5603, false},
        {"Macau airport", 22.1496, 113.5915, false},
        {"Xiamen island (Siming, Lianban)", 24.4900, 118.1300, true},
        {"Xiamen Gaoqi airport", 24.5440, 118.1280, true},
        {"Xiamen Xiang'an", 24.6180, 118.2480, true},
        {"Kinmen Jincheng", 24.4340, 118.3180, false},
        {"Kinmen Jinsha", 24.4900, 118.4130, false},
        {"Kinmen airport", 24.4300, 118.3600, false},
        {"Lesser Kinmen (Lieyu)", 24.4320, 118.2400, false},
        {"Matsu Nangan", 26.1550, 119.9350, false},
        {"Taipei", 25.0330, 121.5654, false},
        {"Seoul", 37.5665, 126.9780, false},
        {"Pyongyang", 39.0392, 125.7625, false},
        {"Hanoi", 21.0278, 105.8342, false},
        {"Delhi", 28.6139, 77.2090, false},
        {"Kathmandu", 27.7172, 85.3240, false},
        {"Ulaanbaatar", 47.8864, 106.9057, false},
        {"Vladivostok", 43.1155, 131.8855, false},
        {"Beijing Tiananmen", 39.9087, 116.3975, true},
        {"Shanghai People's Square", 31.2304, 121.4737, true},
        {"Shanghai Pudong airport", 31.1443, 121.8083, true},
        {"Urumqi", 43.8256, 87.6168, true},
        {"Lhasa", 29.6520, 91.1721, true},
        {"Harbin", 45.8038, 126.5349, true},
        {"Haikou (Hainan)", 20.0440, 110.1999, true},
        {"Sanya (Hainan)", 18.2528, 109.5119, true},
    };
    for (const auto &p : points)
        QTest::newRow(p.name) << p.lat << p.lng << p.mainland;
}

void TestGcj02::onlyMainlandChinaIsShifted()
{
    QFETCH(double, lat);
    QFETCH(double, lng);
    QFETCH(bool, mainland);
    const GeoPoint wgs{lat, lng};
    QCOMPARE(Gcj02::insideChina(wgs), mainland);
    const GeoPoint gcj = Gcj02::fromWgs84(wgs);
    if (mainland) {
        const double shift = metres(wgs, gcj);
        QVERIFY2(shift > 50 && shift < 1000, qPrintable(QString::number(shift)));
    } else {
        // A fence in Hong Kong, Macau or Kinmen lands where it was drawn.
        QCOMPARE(gcj, wgs);
        QCOMPARE(Gcj02::toWgs84(wgs), wgs);
    }
}

void TestGcj02::unusableCoordinatesAreOutside()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (const GeoPoint &p : {GeoPoint{nan, 114.0}, GeoPoint{22.5, nan}, GeoPoint{inf, inf}, GeoPoint{0.0, 0.0},
                              GeoPoint{-90.0, -180.0}, GeoPoint{90.0, 180.0}})
        QVERIFY(!Gcj02::insideChina(p));
}

QTEST_GUILESS_MAIN(TestGcj02)
#include "tst_gcj02.moc"
