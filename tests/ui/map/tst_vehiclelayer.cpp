#include "map/geomath.h"
#include "map/mapviewport.h"
#include "map/vehiclelayer.h"
#include "style/vehiclestyle.h"
#include "util/utc.h"

#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Fleet;
using namespace Fleet::Map;

namespace {

// Magenta: no status colour, rim or halo comes near it.
const QColor kBackground(255, 0, 255);
const QSize kSize(400, 300);
const QPoint kCentre(200, 150);

MapViewport cityView(double zoom = 14)
{
    return MapViewport(project(48.85, 2.35), zoom, kSize);
}

VehicleMarker at(QPointF world, VehicleStatus status = VehicleStatus::Moving, std::optional<double> heading = {},
                 const QString &label = {})
{
    VehicleMarker m;
    m.world = world;
    m.status = status;
    m.headingDeg = heading;
    m.label = label;
    m.fixTime = Utc::fromSecs(1'780'000'000);
    return m;
}

// The world point under a screen pixel's position.
QPointF worldAt(const MapViewport &v, QPointF screen)
{
    return v.screenToWorld(screen);
}

QImage render(VehicleLayer &layer, const MapViewport &v, qreal ratio = 1)
{
    QImage image(v.size() * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(kBackground);
    QPainter p(&image);
    layer.paint(&p, v);
    return image;
}

bool closeTo(QColor a, QColor b, int tolerance = 3)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

bool isBackground(const QImage &image, QPoint p)
{
    return image.pixelColor(p) == kBackground;
}

QString describe(const QImage &image, QPoint p)
{
    return QStringLiteral("pixel (%1, %2) is %3").arg(p.x()).arg(p.y()).arg(image.pixelColor(p).name());
}

} // namespace

class tst_VehicleLayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void markerColourAtProjectedPosition()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.setLabelsVisible(false);
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Moving));
        layer.upsert(QStringLiteral("b"), at(worldAt(v, {260, 110}), VehicleStatus::Parked));
        layer.upsert(QStringLiteral("c"), at(worldAt(v, {100, 250}), VehicleStatus::Alarm, 45.0));
        const QImage image = render(layer, v);
        QVERIFY2(closeTo(image.pixelColor(kCentre), vehicleStatusColor(VehicleStatus::Moving)),
                 qPrintable(describe(image, kCentre)));
        QVERIFY2(closeTo(image.pixelColor(260, 110), vehicleStatusColor(VehicleStatus::Parked)),
                 qPrintable(describe(image, {260, 110})));
        QVERIFY2(closeTo(image.pixelColor(100, 250), vehicleStatusColor(VehicleStatus::Alarm)),
                 qPrintable(describe(image, {100, 250})));
        QVERIFY(isBackground(image, {330, 60}));
        QCOMPARE(layer.lastFrameStats().markers, 3);
        QCOMPARE(layer.lastFrameStats().clusters, 0);
    }

    void noFixIsNotDrawn()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.upsert(QStringLiteral("nofix"), VehicleMarker());
        layer.upsert(QStringLiteral("half"), at(QPointF(v.centre().x(), std::nan(""))));
        QCOMPARE(layer.count(), 2);
        QCOMPARE(layer.locatedCount(), 0);
        QVERIFY(!layer.marker(QStringLiteral("half"))->hasFix());
        const QImage image = render(layer, v);
        QImage blank(kSize, QImage::Format_ARGB32_Premultiplied);
        blank.fill(kBackground);
        QCOMPARE(image, blank);
        QCOMPARE(layer.lastFrameStats().markers, 0);
        QCOMPARE(layer.hitTest(v, kCentre).kind, VehicleLayer::Hit::None);
        layer.upsert(QStringLiteral("nofix"), at(v.centre()));
        QCOMPARE(layer.locatedCount(), 1);
    }

    void headingTurnsTheArrow()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.setLabelsVisible(false);
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Moving, 0.0));
        QImage image = render(layer, v);
        // North: the tip is above the centre, the notch leaves the back open.
        QVERIFY(!isBackground(image, kCentre + QPoint(0, -8)));
        QVERIFY(isBackground(image, kCentre + QPoint(0, 8)));
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Moving, 180.0));
        image = render(layer, v);
        QVERIFY(isBackground(image, kCentre + QPoint(0, -8)));
        QVERIFY(!isBackground(image, kCentre + QPoint(0, 8)));
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Moving, 90.0));
        image = render(layer, v);
        QVERIFY(!isBackground(image, kCentre + QPoint(8, 0)));
        QVERIFY(isBackground(image, kCentre + QPoint(-8, 0)));
        // Parked: a circle whatever the heading.
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Parked, 90.0));
        image = render(layer, v);
        QVERIFY(!isBackground(image, kCentre + QPoint(6, 0)));
        QVERIFY(!isBackground(image, kCentre + QPoint(-6, 0)));
        QVERIFY(!isBackground(image, kCentre + QPoint(0, 6)));
        QVERIFY(!isBackground(image, kCentre + QPoint(0, -6)));
    }

    void selectedGetsAHalo()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.setLabelsVisible(false);
        QSignalSpy selection(&layer, &VehicleLayer::selectionChanged);
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Idle));
        const QPoint ring = kCentre + QPoint(14, 0);
        QVERIFY(isBackground(render(layer, v), ring));
        layer.setSelected(QStringLiteral("a"));
        QCOMPARE(layer.selected(), QStringLiteral("a"));
        QCOMPARE(selection.count(), 1);
        QCOMPARE(selection.at(0).at(0).toString(), QStringLiteral("a"));
        const QImage image = render(layer, v);
        QVERIFY2(!isBackground(image, ring), qPrintable(describe(image, ring)));
        QVERIFY(closeTo(image.pixelColor(kCentre), vehicleStatusColor(VehicleStatus::Idle)));
        layer.setSelected(QString());
        QCOMPARE(selection.count(), 2);
        QVERIFY(isBackground(render(layer, v), ring));
    }

    void alarmAndSelectedDrawnOnTop()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.setLabelsVisible(false);
        // The alarm first in storage: still drawn over the others.
        layer.upsert(QStringLiteral("alarm"), at(v.centre(), VehicleStatus::Alarm));
        layer.upsert(QStringLiteral("moving"), at(v.centre(), VehicleStatus::Moving));
        QImage image = render(layer, v);
        QVERIFY(closeTo(image.pixelColor(kCentre), vehicleStatusColor(VehicleStatus::Alarm)));
        QCOMPARE(layer.hitTest(v, kCentre).imei, QStringLiteral("alarm"));

        layer.setSelected(QStringLiteral("moving"));
        image = render(layer, v);
        QVERIFY(closeTo(image.pixelColor(kCentre), vehicleStatusColor(VehicleStatus::Moving)));
        QCOMPARE(layer.hitTest(v, kCentre).imei, QStringLiteral("moving"));
    }

    void clusterAtLowZoom()
    {
        // Six vehicles in the middle of one grid cell, at zoom 8.
        const double zoom = 8;
        const double scale = worldSizePx(zoom);
        const QPointF base = project(48.85, 2.35);
        const QPointF mid((std::floor(base.x() * scale / 64) + 0.5) * 64 / scale,
                          (std::floor(base.y() * scale / 64) + 0.5) * 64 / scale);
        const MapViewport v(mid, zoom, kSize);
        VehicleLayer layer;
        QList<QPointF> members;
        for (int i = 0; i < 6; ++i) {
            const int row = i / 3;
            const QPointF w = mid + QPointF((i % 3 - 1) * 4.0, row * 4.0 - 2.0) / scale;
            members.append(w);
            layer.upsert(QStringLiteral("v%1").arg(i), at(w, i == 5 ? VehicleStatus::Alarm : VehicleStatus::Parked));
        }
        QImage image = render(layer, v);
        QCOMPARE(layer.lastFrameStats().clusters, 1);
        QCOMPARE(layer.lastFrameStats().markers, 0);
        // A ring of the members' statuses clockwise from twelve o'clock in
        // precedence order (one alarm of six: the first 60°, then parked),
        // a red outer ring for the alarm, the count on a white disc.
        const QColor red = vehicleStatusColor(VehicleStatus::Alarm);
        const QColor blue = vehicleStatusColor(VehicleStatus::Parked);
        for (const auto &[offset, colour] : {std::pair{QPoint(7, -13), red}, std::pair{QPoint(14, 0), blue},
                                             std::pair{QPoint(-14, 0), blue}, std::pair{QPoint(0, 19), red}}) {
            const QPoint p = kCentre + offset;
            QVERIFY2(closeTo(image.pixelColor(p), colour), qPrintable(describe(image, p)));
        }
        int textPixels = 0;
        for (int y = -5; y <= 5; ++y)
            for (int x = -4; x <= 4; ++x)
                textPixels += qGray(image.pixel(kCentre + QPoint(x, y))) < 100 ? 1 : 0;
        QVERIFY2(textPixels > 5, qPrintable(QString::number(textPixels)));

        const VehicleLayer::Hit hit = layer.hitTest(v, kCentre + QPoint(3, 3));
        QCOMPARE(hit.kind, VehicleLayer::Hit::Cluster);
        QCOMPARE(hit.count, 6);
        QVERIFY(hit.imei.isEmpty());
        for (const QPointF &w : members) {
            QVERIFY(w.x() >= hit.worldBounds.left() && w.x() <= hit.worldBounds.right());
            QVERIFY(w.y() >= hit.worldBounds.top() && w.y() <= hit.worldBounds.bottom());
        }
        QCOMPARE(hit.worldBounds.left(), members[0].x());
        QCOMPARE(hit.worldBounds.right(), members[2].x());

        // At the cluster zoom limit and above, or with clustering off: markers.
        layer.setClusterMaxZoom(8);
        render(layer, v);
        QCOMPARE(layer.lastFrameStats().clusters, 0);
        QCOMPARE(layer.lastFrameStats().markers, 6);
        layer.setClusterMaxZoom(12);
        layer.setClusteringEnabled(false);
        render(layer, v);
        QCOMPARE(layer.lastFrameStats().markers, 6);
        layer.setClusteringEnabled(true);

        // The selected vehicle stays out of its cluster.
        layer.setSelected(QStringLiteral("v0"));
        render(layer, v);
        QCOMPARE(layer.lastFrameStats().clusters, 1);
        QCOMPARE(layer.lastFrameStats().markers, 1);
        QCOMPARE(layer.hitTest(v, kCentre + QPoint(15, 0)).count, 5);
    }

    void wrapsAtTheAntimeridian()
    {
        const double zoom = 10;
        const double scale = worldSizePx(zoom);
        const MapViewport v(QPointF(0.0, 0.3), zoom, kSize);
        QCOMPARE(v.centre().x(), 0.0);
        VehicleLayer layer;
        layer.setLabelsVisible(false);
        // 50 px west of the antimeridian (given unwrapped and wrapped), 30 px east.
        layer.upsert(QStringLiteral("west"), at(QPointF(1.0 - 50 / scale, 0.3), VehicleStatus::Moving));
        layer.upsert(QStringLiteral("west2"), at(QPointF(-120 / scale, 0.3 + 40 / scale), VehicleStatus::Idle));
        layer.upsert(QStringLiteral("east"), at(QPointF(30 / scale, 0.3), VehicleStatus::Parked));
        QVERIFY(layer.marker(QStringLiteral("west2"))->world.x() > 0.99);
        const QImage image = render(layer, v);
        QVERIFY2(closeTo(image.pixelColor(150, 150), vehicleStatusColor(VehicleStatus::Moving)),
                 qPrintable(describe(image, {150, 150})));
        QVERIFY2(closeTo(image.pixelColor(80, 190), vehicleStatusColor(VehicleStatus::Idle)),
                 qPrintable(describe(image, {80, 190})));
        QVERIFY2(closeTo(image.pixelColor(230, 150), vehicleStatusColor(VehicleStatus::Parked)),
                 qPrintable(describe(image, {230, 150})));
        const VehicleLayer::Hit hit = layer.hitTest(v, {150, 150});
        QCOMPARE(hit.imei, QStringLiteral("west"));
        QVERIFY(hit.worldBounds.left() < 0); // the copy west of x = 0

        // Zoomed far out, the world repeats: one marker per copy in view.
        VehicleLayer far;
        far.setClusteringEnabled(false);
        far.upsert(QStringLiteral("x"), at(QPointF(0.5, 0.5)));
        render(far, MapViewport(QPointF(0.5, 0.5), 1, QSize(1920, 300)));
        QCOMPARE(far.lastFrameStats().markers, 3);
    }

    void hitTesting()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Moving, {}, QStringLiteral("Van 1")));
        // Hit testing before any paint lays the frame out itself.
        VehicleLayer::Hit hit = layer.hitTest(v, kCentre + QPoint(4, -4));
        QCOMPARE(hit.kind, VehicleLayer::Hit::Vehicle);
        QCOMPARE(hit.imei, QStringLiteral("a"));
        QCOMPARE(hit.count, 1);
        QCOMPARE(layer.hitTest(v, kCentre + QPoint(0, 40)).kind, VehicleLayer::Hit::None);

        render(layer, v);
        QCOMPARE(layer.lastFrameStats().labels, 1);
        // The label (right of the marker) stands for its vehicle.
        QCOMPARE(layer.hitTest(v, kCentre + QPoint(20, 0)).imei, QStringLiteral("a"));

        // Until the next paint, the answer is what the last paint drew.
        layer.upsert(QStringLiteral("a"), at(worldAt(v, {300, 200})));
        QCOMPARE(layer.hitTest(v, kCentre).imei, QStringLiteral("a"));
        render(layer, v);
        QCOMPARE(layer.hitTest(v, kCentre).kind, VehicleLayer::Hit::None);
        QCOMPARE(layer.hitTest(v, {300, 200}).imei, QStringLiteral("a"));
        // A removed vehicle is never answered.
        layer.remove(QStringLiteral("a"));
        QCOMPARE(layer.hitTest(v, {300, 200}).kind, VehicleLayer::Hit::None);
    }

    void trailsGrowAndAreCapped()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.setLabelsVisible(false);
        const QString imei = QStringLiteral("t");
        QList<QPointF> positions;
        for (int i = 0; i < 30; ++i) {
            positions.append(worldAt(v, QPointF(200 - (29 - i) * 10, 150)));
            layer.upsert(imei, at(positions.last()));
            QCOMPARE(layer.trail(imei).size(), std::min(i, VehicleLayer::kDefaultTrailLength));
        }
        QList<QPointF> trail = layer.trail(imei);
        QCOMPARE(trail.first(), positions.at(9));
        QCOMPARE(trail.last(), positions.at(28));
        // The same position again is no move.
        VehicleMarker same = at(positions.last());
        same.status = VehicleStatus::Idle;
        layer.upsert(imei, same);
        QCOMPARE(layer.trail(imei).size(), 20);

        QImage image = render(layer, v);
        QCOMPARE(layer.lastFrameStats().trails, 1);
        QVERIFY2(!isBackground(image, {175, 150}), qPrintable(describe(image, {175, 150})));
        QVERIFY(isBackground(image, {175, 170}));

        layer.setTrailLength(5);
        trail = layer.trail(imei);
        QCOMPARE(trail.size(), 5);
        QCOMPARE(trail.first(), positions.at(24));
        QCOMPARE(trail.last(), positions.at(28));
        layer.setTrailLength(0);
        QVERIFY(layer.trail(imei).isEmpty());
        image = render(layer, v);
        QCOMPARE(layer.lastFrameStats().trails, 0);
        QVERIFY(isBackground(image, {175, 150}));
    }

    void trailsOnlyForTheSelectedInACrowd()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.setLabelsVisible(false);
        QList<std::pair<QString, VehicleMarker>> batch;
        for (int i = 0; i <= VehicleLayer::kTrailVehicleLimit; ++i) {
            const int row = i / 60;
            const QPointF p = worldAt(v, QPointF(10 + (i % 60) * 6, 10 + row * 8));
            batch.append({QStringLiteral("v%1").arg(i), at(p)});
            batch.append({QStringLiteral("v%1").arg(i), at(p + QPointF(2 / v.scale(), 0))});
        }
        layer.upsertMany(batch);
        QCOMPARE(layer.count(), VehicleLayer::kTrailVehicleLimit + 1);
        render(layer, v);
        QCOMPARE(layer.lastFrameStats().markers, VehicleLayer::kTrailVehicleLimit + 1);
        QCOMPARE(layer.lastFrameStats().trails, 0);
        layer.setSelected(QStringLiteral("v7"));
        render(layer, v);
        QCOMPARE(layer.lastFrameStats().trails, 1);
    }

    void upsertRemoveClear()
    {
        VehicleLayer layer;
        QSignalSpy selection(&layer, &VehicleLayer::selectionChanged);
        for (int i = 0; i < 5; ++i)
            layer.upsert(QStringLiteral("v%1").arg(i),
                         at(QPointF(0.1 * i + 1.05, 0.5), VehicleStatus::Moving, {}, QStringLiteral("Van %1").arg(i)));
        QCOMPARE(layer.count(), 5);
        // x is wrapped into [0, 1).
        QVERIFY(std::abs(layer.marker(QStringLiteral("v2"))->world.x() - 0.25) < 1e-12);
        QCOMPARE(layer.marker(QStringLiteral("v2"))->label, QStringLiteral("Van 2"));
        QVERIFY(!layer.marker(QStringLiteral("nope")));

        layer.setSelected(QStringLiteral("v4"));
        QVERIFY(layer.remove(QStringLiteral("v1")));
        QVERIFY(!layer.remove(QStringLiteral("v1")));
        QCOMPARE(layer.count(), 4);
        QVERIFY(!layer.contains(QStringLiteral("v1")));
        // The last vehicle moved into the hole: still found, still selected.
        for (const int i : {0, 2, 3, 4})
            QCOMPARE(layer.marker(QStringLiteral("v%1").arg(i))->label, QStringLiteral("Van %1").arg(i));
        QCOMPARE(layer.selected(), QStringLiteral("v4"));
        const MapViewport v(QPointF(0.45, 0.5), 3, QSize(800, 200));
        layer.setClusteringEnabled(false);
        QCOMPARE(layer.hitTest(v, v.worldToScreen(QPointF(0.45, 0.5))).imei, QStringLiteral("v4"));

        QVERIFY(layer.remove(QStringLiteral("v4")));
        QCOMPARE(layer.selected(), QString());
        QCOMPARE(selection.count(), 2);

        layer.setSelected(QStringLiteral("later"));
        layer.upsert(QStringLiteral("later"), at(QPointF(0.5, 0.5)));
        QCOMPARE(layer.selected(), QStringLiteral("later"));
        layer.clear();
        QCOMPARE(layer.count(), 0);
        QCOMPARE(layer.selected(), QString());
        QCOMPARE(selection.count(), 4);
        QVERIFY(!layer.contains(QStringLiteral("v0")));
        layer.upsert(QStringLiteral("v0"), at(QPointF(0.5, 0.5)));
        QCOMPARE(layer.count(), 1);
        QVERIFY(layer.trail(QStringLiteral("v0")).isEmpty());
    }

    void worldBoundsOfTheFleet()
    {
        VehicleLayer layer;
        QVERIFY(layer.worldBounds().isNull());
        layer.upsert(QStringLiteral("nofix"), VehicleMarker());
        QVERIFY(layer.worldBounds().isNull());
        layer.upsert(QStringLiteral("a"), at(QPointF(0.2, 0.3)));
        layer.upsert(QStringLiteral("b"), at(QPointF(0.4, 0.35)));
        QCOMPARE(layer.worldBounds(), QRectF(QPointF(0.2, 0.3), QPointF(0.4, 0.35)));
        // Across the antimeridian: the narrow box, past x = 1.
        layer.clear();
        layer.upsert(QStringLiteral("fiji"), at(project(-17.7, 178.0)));
        layer.upsert(QStringLiteral("samoa"), at(project(-13.8, -172.0)));
        const QRectF box = layer.worldBounds();
        QVERIFY(std::abs(box.left() - project(0, 178.0).x()) < 1e-12);
        QVERIFY(std::abs(box.right() - (project(0, -172.0).x() + 1)) < 1e-12);
        QVERIFY(box.width() < 0.05);
    }

    void changedIsEmitted()
    {
        VehicleLayer layer;
        QSignalSpy changed(&layer, &VehicleLayer::changed);
        const VehicleMarker m = at(QPointF(0.5, 0.5), VehicleStatus::Moving, 10.0, QStringLiteral("A"));
        layer.upsert(QStringLiteral("a"), m);
        QCOMPARE(changed.count(), 1);
        layer.upsert(QStringLiteral("a"), m);
        QCOMPARE(changed.count(), 1); // nothing new
        VehicleMarker turned = m;
        turned.headingDeg = 20.0;
        layer.upsert(QStringLiteral("a"), turned);
        QCOMPARE(changed.count(), 2);

        layer.upsertMany({{QStringLiteral("b"), m}, {QStringLiteral("c"), m}, {QStringLiteral("d"), m}});
        QCOMPARE(changed.count(), 3);
        layer.upsertMany({{QStringLiteral("b"), m}});
        QCOMPARE(changed.count(), 3);

        layer.setSelected(QStringLiteral("b"));
        layer.setSelected(QStringLiteral("b"));
        QCOMPARE(changed.count(), 4);
        layer.setTrailLength(3);
        layer.setClusterMaxZoom(10);
        layer.setClusteringEnabled(false);
        layer.setLabelsVisible(false);
        layer.setDarkStyle(true);
        layer.setDevicePixelRatio(2);
        QCOMPARE(changed.count(), 10);
        layer.remove(QStringLiteral("c"));
        QCOMPARE(changed.count(), 11);
        layer.clear();
        QCOMPARE(changed.count(), 12);
    }

    void drawsAtTheDevicePixelRatio()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.setLabelsVisible(false);
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Parked));
        const QImage image = render(layer, v, 2);
        QCOMPARE(image.size(), kSize * 2);
        const QColor blue = vehicleStatusColor(VehicleStatus::Parked);
        QVERIFY2(closeTo(image.pixelColor(400, 300), blue), qPrintable(describe(image, {400, 300})));
        // 5 logical px from the centre is 10 device px: still inside the disc.
        QVERIFY2(closeTo(image.pixelColor(410, 300), blue), qPrintable(describe(image, {410, 300})));
        QCOMPARE(layer.devicePixelRatio(), 2.0);
        QCOMPARE(layer.hitTest(v, kCentre + QPoint(5, 0)).imei, QStringLiteral("a"));
    }

    void labelsAreDrawnAndStyled()
    {
        const MapViewport v = cityView();
        VehicleLayer layer;
        layer.upsert(QStringLiteral("a"), at(v.centre(), VehicleStatus::Moving, {}, QStringLiteral("WWWWWW")));
        const QImage light = render(layer, v);
        QCOMPARE(layer.lastFrameStats().labels, 1);
        const QRect labelArea(kCentre + QPoint(14, -6), QSize(30, 12));
        int dark = 0;
        for (int y = labelArea.top(); y <= labelArea.bottom(); ++y)
            for (int x = labelArea.left(); x <= labelArea.right(); ++x)
                dark += qGray(light.pixel(x, y)) < 80 ? 1 : 0;
        QVERIFY2(dark > 10, qPrintable(QString::number(dark)));

        layer.setDarkStyle(true);
        const QImage darkStyle = render(layer, v);
        QVERIFY(light.copy(labelArea) != darkStyle.copy(labelArea));

        layer.setLabelsVisible(false);
        const QImage none = render(layer, v);
        QCOMPARE(layer.lastFrameStats().labels, 0);
        QVERIFY(isBackground(none, kCentre + QPoint(25, 0)));

        // Two vehicles side by side: both labelled, without overlap.
        layer.setLabelsVisible(true);
        layer.upsert(QStringLiteral("b"),
                     at(worldAt(v, kCentre + QPoint(0, 10)), VehicleStatus::Moving, {}, QStringLiteral("WWWWWW")));
        render(layer, v);
        QCOMPARE(layer.lastFrameStats().labels, 2);
    }
};

QTEST_MAIN(tst_VehicleLayer)
#include "tst_vehiclelayer.moc"
