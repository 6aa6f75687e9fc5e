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
    const double h = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
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
    QVERIFY2(metres(gcj, {39.91010, 116.40374}) < 15, qPrintable(QStringLiteral("%1,%2").arg(gcj.lat, 0, 'f', 6).arg(gcj.lng, 0, 'f', 6)));
}

QTEST_GUILESS_MAIN(TestGcj02)
#include "tst_gcj02.moc"
