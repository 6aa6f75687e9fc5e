// MapWidget as the user drives it, offscreen: drag and momentum, zoom around
// the pointer (wheel, pinch, double-click, keys), clicks on vehicles and
// clusters, following, the tooltip, the overlays, programmatic views.

#include "map/geomath.h"
#include "map/mapviewport.h"
#include "map/mapwidget.h"
#include "map/tilelayer.h"
#include "map/tilesource.h"
#include "map/vehiclelayer.h"
#include "util/clock.h"

#include <QGestureEvent>
#include <QHelpEvent>
#include <QImage>
#include <QNativeGestureEvent>
#include <QPinchGesture>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>
#include <memory>

using namespace Fleet;
using namespace Fleet::Map;

namespace {

const QSize kSize(800, 600);
const QPointF kCity = project(48.8566, 2.3522);
// No status colour, rim, halo or overlay comes near it.
const QColor kTileColour(255, 0, 255);

// Answers every request with a plain magenta tile on the next turn of the
// event loop (as the TileSource contract demands): a map with nothing on it.
class PlainSource : public TileSource
{
public:
    QString name() const override { return QStringLiteral("Plain"); }
    QString attribution() const override { return QStringLiteral("© Plain test tiles"); }
    int minZoom() const override { return 0; }
    int maxZoom() const override { return kMaxZoom; }
    void requestTile(TileId tile) override
    {
        if (m_pending.contains(tile))
            return;
        m_pending.insert(tile);
        QTimer::singleShot(0, this, [this, tile] {
            if (!m_pending.remove(tile))
                return;
            QImage image(kTileSize, kTileSize, QImage::Format_ARGB32_Premultiplied);
            image.fill(kTileColour);
            Q_EMIT tileReady(tile, image);
        });
    }
    void cancelTile(TileId tile) override { m_pending.remove(tile); }
    void cancelAll() override { m_pending.clear(); }
    int pendingCount() const override { return int(m_pending.size()); }

private:
    QSet<TileId> m_pending;
};

QString imeiOf(int n)
{
    return QStringLiteral("8600001%1").arg(n, 8, 10, QLatin1Char('0'));
}

VehicleMarker markerAt(QPointF world, VehicleStatus status = VehicleStatus::Moving)
{
    VehicleMarker m;
    m.world = world;
    m.status = status;
    m.headingDeg = 45;
    m.label = QStringLiteral("Van");
    return m;
}

// The middle of the clustering grid cell around `world` at `zoom`.
QPointF cellCentre(QPointF world, double zoom)
{
    const double cell = VehicleLayer::kClusterCellPx / worldSizePx(zoom);
    return {(std::floor(world.x() / cell) + 0.5) * cell, (std::floor(world.y() / cell) + 0.5) * cell};
}

double distance(QPointF a, QPointF b)
{
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

int countNotTile(const QImage &image, const QRect &area)
{
    int n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            n += image.pixelColor(x, y) != kTileColour;
    return n;
}

} // namespace

class tst_MapWidget : public QObject
{
    Q_OBJECT

private:
    MapWidget *map() const { return m_map.get(); }
    QPointF worldAt(QPointF screen) const { return m_map->viewport().screenToWorld(screen); }
    QPointF screenOf(QPointF world) const { return m_map->viewport().worldToScreen(world); }
    QPointF centre() const { return m_map->viewport().centre(); }
    double zoom() const { return m_map->viewport().zoom(); }

    // A vehicle `offsetPx` screen pixels from the middle of the current view.
    QPointF addVehicle(int n, QPointF offsetPx, VehicleStatus status = VehicleStatus::Moving)
    {
        const QPointF world = centre() + offsetPx / m_map->viewport().scale();
        m_map->vehicleLayer()->upsert(imeiOf(n), markerAt(world, status));
        return world;
    }

    void wheel(QPointF pos, QPoint angleDelta, QPoint pixelDelta = {})
    {
        QWheelEvent event(pos, m_map->mapToGlobal(pos), pixelDelta, angleDelta, Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(m_map.get(), &event);
    }

    // A quick flick: three 30 px moves with no pause, released at once.
    void flick(QPoint from, QPoint step = QPoint(30, 0))
    {
        QTest::mousePress(map(), Qt::LeftButton, {}, from);
        for (int i = 1; i <= 3; ++i)
            QTest::mouseMove(map(), from + i * step);
        QTest::mouseRelease(map(), Qt::LeftButton, {}, from + 3 * step);
    }

    // Times drags and glides: moves without a pause are a fast throw, and a
    // rest before release lasts as long as the test says.
    ManualClock m_clock;
    std::unique_ptr<MapWidget> m_map;

private Q_SLOTS:
    void init()
    {
        m_map = std::make_unique<MapWidget>();
        m_map->setClock(&m_clock);
        m_map->tileLayer()->setSource(std::make_unique<PlainSource>());
        m_map->resize(kSize);
        m_map->setView(kCity, 10);
        m_map->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_map.get()));
        QCOMPARE(m_map->viewport().size(), kSize);
    }

    void cleanup() { m_map.reset(); }

    void clickOnNoVehicleIsSaidWithItsPlace()
    {
        // No vehicles: a click lands on the map itself (an overlay such as playback answers it).
        QSignalSpy clicked(map(), &MapWidget::mapClicked);
        QSignalSpy vehicles(map(), &MapWidget::vehicleClicked);
        const QPoint at(200, 150);
        QTest::mouseClick(map(), Qt::LeftButton, {}, at);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(vehicles.count(), 0);
        QCOMPARE(clicked.at(0).at(0).toPointF(), worldAt(at));
        QCOMPARE(clicked.at(0).at(1).toPointF(), QPointF(at));
        // A drag is not a click.
        QTest::mousePress(map(), Qt::LeftButton, {}, at);
        QTest::mouseMove(map(), at + QPoint(40, 0));
        QTest::mouseRelease(map(), Qt::LeftButton, {}, at + QPoint(40, 0));
        QCOMPARE(clicked.count(), 1);
    }

    void dragPansByExactlyThePointersMovement()
    {
        const QPoint from(300, 250);
        const QPoint to(420, 190);
        const QPointF grabbed = worldAt(from);
        const QPointF before = centre();
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        QTest::mousePress(map(), Qt::LeftButton, {}, from);
        // Within the drag threshold nothing moves: it may still be a click.
        QTest::mouseMove(map(), from + QPoint(2, 1));
        QCOMPARE(centre(), before);
        QCOMPARE(byUser.count(), 0);
        QTest::mouseMove(map(), QPoint(350, 230));
        QTest::mouseMove(map(), to);
        // The world point that was grabbed is under the pointer, to the pixel
        // and below (the threshold's first pixels are not lost).
        QVERIFY2(distance(screenOf(grabbed), to) < 1e-6,
                 qPrintable(
                     QStringLiteral("grabbed point at %1,%2").arg(screenOf(grabbed).x()).arg(screenOf(grabbed).y())));
        QCOMPARE(zoom(), 10.0);
        QCOMPARE(byUser.count(), 2);
        QTest::mouseRelease(map(), Qt::LeftButton, {}, to);
    }

    void fastReleaseGlidesOnAndStopsByItself()
    {
        const QPoint from(200, 300);
        const QPointF grabbed = worldAt(from);
        QSignalSpy changed(map(), &MapWidget::viewChanged);
        flick(from);
        QVERIFY(distance(screenOf(grabbed), QPointF(290, 300)) < 1e-6);
        QVERIFY(map()->isGliding());
        const int changesAtRelease = changed.count();
        // Momentum carries the map on in the direction of the throw...
        QTRY_VERIFY(changed.count() > changesAtRelease + 2);
        QTRY_VERIFY(screenOf(grabbed).x() > 300);
        // ... and friction stops it: two seconds on, the next step finds it
        // too slow to go on.
        m_clock.advanceMs(2000);
        QTRY_VERIFY(!map()->isGliding());
        // Nothing else moves the map: what is due now changes nothing.
        const QPointF rest = centre();
        const int changesAtRest = changed.count();
        QCoreApplication::processEvents();
        QCOMPARE(centre(), rest);
        QCOMPARE(changed.count(), changesAtRest);
        const QPointF glidedTo = screenOf(grabbed);
        QVERIFY(glidedTo.x() > 300);
        QVERIFY(std::abs(glidedTo.y() - 300) < 1e-6); // a horizontal throw glides horizontally
        QCOMPARE(zoom(), 10.0);
    }

    void slowReleaseDoesNotGlide()
    {
        const QPoint from(200, 300);
        QTest::mousePress(map(), Qt::LeftButton, {}, from);
        QTest::mouseMove(map(), from + QPoint(30, 0));
        QTest::mouseMove(map(), from + QPoint(60, 0));
        // The pointer rests longer than any glide would allow before release.
        m_clock.advanceMs(200);
        const QPointF atRelease = centre();
        QSignalSpy changed(map(), &MapWidget::viewChanged);
        QTest::mouseRelease(map(), Qt::LeftButton, {}, from + QPoint(60, 0));
        // No glide: nothing moves the map, and what is due now changes nothing.
        QVERIFY(!map()->isGliding());
        QCoreApplication::processEvents();
        QCOMPARE(changed.count(), 0);
        QCOMPARE(centre(), atRelease);
    }

    void aPressCatchesTheGlide()
    {
        flick(QPoint(200, 300));
        QVERIFY(map()->isGliding());
        QSignalSpy changed(map(), &MapWidget::viewChanged);
        QVERIFY(changed.wait(1000));
        QTest::mousePress(map(), Qt::LeftButton, {}, QPoint(400, 300));
        // The glide is over: what is due now changes nothing.
        QVERIFY(!map()->isGliding());
        const QPointF held = centre();
        const int changesAtPress = changed.count();
        QCoreApplication::processEvents();
        QCOMPARE(changed.count(), changesAtPress);
        QCOMPARE(centre(), held);
        QTest::mouseRelease(map(), Qt::LeftButton, {}, QPoint(400, 300));
    }

    void programmaticMoveEndsTheGlide()
    {
        flick(QPoint(200, 300));
        QVERIFY(map()->isGliding());
        QSignalSpy changed(map(), &MapWidget::viewChanged);
        QVERIFY(changed.wait(1000));
        const QPointF target = project(52.52, 13.405);
        map()->setView(target, 12);
        // The glide is over: what is due now leaves the map where it was put.
        QVERIFY(!map()->isGliding());
        QCoreApplication::processEvents();
        QVERIFY(distance(centre(), target) < 1e-12);
        // Following a vehicle, too, keeps the map on it rather than on the throw.
        const QPointF vehicle = addVehicle(1, QPointF(150, 100));
        flick(QPoint(200, 300));
        QVERIFY(map()->isGliding());
        QVERIFY(changed.wait(1000));
        map()->setFollowed(imeiOf(1));
        QVERIFY(!map()->isGliding());
        QCoreApplication::processEvents();
        QVERIFY(distance(centre(), vehicle) < 1e-12);
    }

    void wheelZoomsAroundTheCursor()
    {
        const QPointF cursor(620, 140);
        const QPointF under = worldAt(cursor);
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        wheel(cursor, QPoint(0, 120)); // a notch: half a level
        QCOMPARE(zoom(), 10.5);
        QVERIFY(distance(screenOf(under), cursor) < 1e-6);
        wheel(cursor, QPoint(0, -480));
        QCOMPARE(zoom(), 8.5);
        QVERIFY(distance(screenOf(under), cursor) < 1e-6);
        // A touchpad that sends pixels only.
        wheel(cursor, QPoint(), QPoint(0, 100));
        QCOMPARE(zoom(), 9.0);
        QVERIFY(distance(screenOf(under), cursor) < 1e-6);
        QCOMPARE(byUser.count(), 3);
        // A horizontal wheel does not zoom.
        wheel(cursor, QPoint(120, 0));
        QCOMPARE(zoom(), 9.0);
        QCOMPARE(byUser.count(), 3);
    }

    void wheelZoomIsClampedToOneToNineteen()
    {
        const QPointF cursor(500, 400);
        map()->setView(kCity, 18.8);
        const QPointF under = worldAt(cursor);
        wheel(cursor, QPoint(0, 120 * 8));
        QCOMPARE(zoom(), double(kMaxZoom));
        QVERIFY(distance(screenOf(under), cursor) < 1e-6);
        const QPointF atMax = centre();
        wheel(cursor, QPoint(0, 120));
        QCOMPARE(zoom(), double(kMaxZoom));
        QCOMPARE(centre(), atMax);
        map()->setView(kCity, 1.5);
        wheel(cursor, QPoint(0, -120 * 8));
        QCOMPARE(zoom(), double(kMinZoom));
        wheel(cursor, QPoint(0, -120));
        QCOMPARE(zoom(), double(kMinZoom));
    }

    void pinchZoomsAroundItsCentre()
    {
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        // A touchpad's native pinch.
        const QPointF at(250, 420);
        const QPointF under = worldAt(at);
        QNativeGestureEvent native(Qt::ZoomNativeGesture, QPointingDevice::primaryPointingDevice(), 2, at, at,
                                   map()->mapToGlobal(at), 0.5, QPointF());
        QApplication::sendEvent(map(), &native);
        QCOMPARE(zoom(), 11.0);
        QVERIFY(distance(screenOf(under), at) < 1e-6);
        QCOMPARE(byUser.count(), 1);
        // A touchscreen pinch, as the gesture framework delivers it: a
        // doubling is one level in, around the fingers' centre.
        const QPointF middle(560, 200);
        const QPointF underMiddle = worldAt(middle);
        QPinchGesture pinch;
        pinch.setChangeFlags(QPinchGesture::ScaleFactorChanged);
        pinch.setScaleFactor(2.0);
        pinch.setCenterPoint(map()->mapToGlobal(middle));
        QGestureEvent gesture({&pinch});
        QApplication::sendEvent(map(), &gesture);
        QCOMPARE(zoom(), 12.0);
        QVERIFY(distance(screenOf(underMiddle), middle) < 1e-6);
        QCOMPARE(byUser.count(), 2);
    }

    void doubleClickZoomsInOneLevelAroundThePoint()
    {
        const QPoint at(600, 420);
        const QPointF under = worldAt(at);
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        QSignalSpy clicked(map(), &MapWidget::vehicleClicked);
        // What a real double-click delivers: press, release, double-click, release.
        QTest::mouseClick(map(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(map(), Qt::LeftButton, {}, at);
        QTest::mouseRelease(map(), Qt::LeftButton, {}, at);
        QCOMPARE(zoom(), 11.0);
        QVERIFY(distance(screenOf(under), at) < 1e-6);
        // The user moved the map (the main window stops fitting the fleet).
        QCOMPARE(byUser.count(), 1);
        QCOMPARE(clicked.count(), 0);
        // From a fractional zoom it lands on the next whole level.
        map()->setView(kCity, 11.4);
        QTest::mouseClick(map(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(map(), Qt::LeftButton, {}, at);
        QTest::mouseRelease(map(), Qt::LeftButton, {}, at);
        QCOMPARE(zoom(), 12.0);
    }

    void doubleClickOnAVehicleOpensItInsteadOfZooming()
    {
        map()->setView(kCity, 15);
        addVehicle(1, QPointF(100, 50));
        const QPoint at = screenOf(map()->vehicleLayer()->marker(imeiOf(1))->world).toPoint();
        QSignalSpy doubleClicked(map(), &MapWidget::vehicleDoubleClicked);
        QTest::mouseClick(map(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(map(), Qt::LeftButton, {}, at);
        QTest::mouseRelease(map(), Qt::LeftButton, {}, at);
        QCOMPARE(doubleClicked.count(), 1);
        QCOMPARE(doubleClicked.at(0).at(0).toString(), imeiOf(1));
        QCOMPARE(zoom(), 15.0);
    }

    void keysZoomAndPan()
    {
        const QPointF middle(kSize.width() / 2.0, kSize.height() / 2.0);
        const QPointF atMiddle = worldAt(middle);
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        QTest::keyClick(map(), Qt::Key_Plus);
        QCOMPARE(zoom(), 11.0);
        QTest::keyClick(map(), Qt::Key_Equal); // "+" without Shift
        QCOMPARE(zoom(), 12.0);
        QTest::keyClick(map(), Qt::Key_Minus);
        QCOMPARE(zoom(), 11.0);
        QVERIFY(distance(screenOf(atMiddle), middle) < 1e-6); // around the middle
        // An arrow shows more of that side: the map moves the other way.
        const QPointF p = worldAt(middle);
        QTest::keyClick(map(), Qt::Key_Left);
        QVERIFY(screenOf(p).x() > middle.x() + 50);
        QTest::keyClick(map(), Qt::Key_Right);
        QVERIFY(distance(screenOf(p), middle) < 1e-6);
        QTest::keyClick(map(), Qt::Key_Up);
        QVERIFY(screenOf(p).y() > middle.y() + 50);
        QTest::keyClick(map(), Qt::Key_Down);
        QVERIFY(distance(screenOf(p), middle) < 1e-6);
        QCOMPARE(byUser.count(), 7);
        // Other keys are not the map's.
        QTest::keyClick(map(), Qt::Key_A);
        QCOMPARE(byUser.count(), 7);
    }

    void clickOnAVehicleEmitsItsImei()
    {
        map()->setView(kCity, 15);
        addVehicle(1, QPointF(-150, -80));
        addVehicle(2, QPointF(120, 40), VehicleStatus::Parked);
        addVehicle(3, QPointF(0, 150), VehicleStatus::Alarm);
        QSignalSpy clicked(map(), &MapWidget::vehicleClicked);
        QSignalSpy changed(map(), &MapWidget::viewChanged);
        for (int n : {2, 3, 1}) {
            const QPointF world = map()->vehicleLayer()->marker(imeiOf(n))->world;
            QTest::mouseClick(map(), Qt::LeftButton, {}, screenOf(world).toPoint());
        }
        QCOMPARE(clicked.count(), 3);
        QCOMPARE(clicked.at(0).at(0).toString(), imeiOf(2));
        QCOMPARE(clicked.at(1).at(0).toString(), imeiOf(3));
        QCOMPARE(clicked.at(2).at(0).toString(), imeiOf(1));
        QCOMPARE(changed.count(), 0); // a click does not move the map
        // Other buttons do not select.
        const QPointF world = map()->vehicleLayer()->marker(imeiOf(1))->world;
        QTest::mouseClick(map(), Qt::RightButton, {}, screenOf(world).toPoint());
        QCOMPARE(clicked.count(), 3);
    }

    void clickOnEmptyMapEmitsNothing()
    {
        map()->setView(kCity, 15);
        addVehicle(1, QPointF(-150, -80));
        QSignalSpy clicked(map(), &MapWidget::vehicleClicked);
        QSignalSpy changed(map(), &MapWidget::viewChanged);
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        QSignalSpy stopped(map(), &MapWidget::followingStopped);
        QTest::mouseClick(map(), Qt::LeftButton, {}, QPoint(600, 450));
        QCOMPARE(clicked.count(), 0);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(byUser.count(), 0);
        QCOMPARE(stopped.count(), 0);
        QCOMPARE(zoom(), 15.0);
    }

    void clickOnAClusterZoomsInUntilItComesApart()
    {
        // Six vehicles within a few hundred metres, inside one cluster cell.
        const double z = 8;
        map()->setView(cellCentre(kCity, z), z);
        const QPointF offsets[] = {{-1.0, -0.6}, {0.8, -0.9}, {0.2, 0.3}, {-0.5, 0.9}, {1.0, 0.7}, {0.0, -0.2}};
        double left = 2, right = -1, top = 2, bottom = -1;
        QPointF mean;
        int n = 0;
        for (const QPointF &o : offsets) {
            const QPointF world = addVehicle(++n, o); // about 400 m a pixel at zoom 8
            left = std::min(left, world.x());
            right = std::max(right, world.x());
            top = std::min(top, world.y());
            bottom = std::max(bottom, world.y());
            mean += world / 6.0;
        }
        const QRectF bounds(QPointF(left, top), QPointF(right, bottom));
        (void)map()->grab();
        QCOMPARE(map()->vehicleLayer()->lastFrameStats().clusters, 1);
        QCOMPARE(map()->vehicleLayer()->lastFrameStats().markers, 0);
        QSignalSpy clicked(map(), &MapWidget::vehicleClicked);
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        QTest::mouseClick(map(), Qt::LeftButton, {}, screenOf(mean).toPoint());
        QCOMPARE(clicked.count(), 0);
        QVERIFY2(zoom() >= z + 2, qPrintable(QString::number(zoom())));
        // The cluster's vehicles fill the view, each on its own.
        QVERIFY(map()->viewport().visibleWorld().contains(bounds));
        QVERIFY(bounds.width() * map()->viewport().scale() > kSize.width() / 2.0
                || bounds.height() * map()->viewport().scale() > kSize.height() / 2.0);
        (void)map()->grab();
        QCOMPARE(map()->vehicleLayer()->lastFrameStats().clusters, 0);
        QCOMPARE(map()->vehicleLayer()->lastFrameStats().markers, 6);
        for (int i = 1; i <= 6; ++i) {
            const QPointF world = map()->vehicleLayer()->marker(imeiOf(i))->world;
            const VehicleLayer::Hit hit = map()->vehicleLayer()->hitTest(map()->viewport(), screenOf(world));
            QCOMPARE(hit.kind, VehicleLayer::Hit::Vehicle);
        }
        // The user moved the map (the main window stops fitting the fleet).
        QCOMPARE(byUser.count(), 1);
    }

    void followKeepsTheVehicleCentredUntilDragged()
    {
        map()->setView(kCity, 14);
        const QPointF start = addVehicle(1, QPointF(200, -100));
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        QSignalSpy stopped(map(), &MapWidget::followingStopped);
        map()->setFollowed(imeiOf(1));
        QCOMPARE(map()->followed(), imeiOf(1));
        QVERIFY(distance(centre(), start) < 1e-12);
        const QPointF moved = start + QPointF(40, 25) / map()->viewport().scale();
        map()->vehicleLayer()->upsert(imeiOf(1), markerAt(moved));
        map()->vehiclesMoved();
        QVERIFY(distance(centre(), moved) < 1e-12);
        // Zooming keeps it in the middle, wherever the pointer is.
        wheel(QPointF(100, 100), QPoint(0, 240));
        QCOMPARE(zoom(), 15.0);
        QVERIFY(distance(centre(), moved) < 1e-12);
        QCOMPARE(stopped.count(), 0);
        QCOMPARE(byUser.count(), 1);
        // A drag takes the map back.
        QTest::mousePress(map(), Qt::LeftButton, {}, QPoint(300, 300));
        QTest::mouseMove(map(), QPoint(340, 310));
        QTest::mouseMove(map(), QPoint(380, 320));
        m_clock.advanceMs(150); // let go without a throw
        QTest::mouseRelease(map(), Qt::LeftButton, {}, QPoint(380, 320));
        QVERIFY(!map()->isGliding());
        QCOMPARE(stopped.count(), 1);
        QVERIFY(map()->followed().isEmpty());
        const QPointF afterDrag = centre();
        map()->vehicleLayer()->upsert(imeiOf(1), markerAt(moved + QPointF(1e-4, 0)));
        map()->vehiclesMoved();
        QCOMPARE(centre(), afterDrag);
    }

    void arrowKeysStopFollowingZoomKeysDoNot()
    {
        map()->setView(kCity, 14);
        const QPointF at = addVehicle(1, QPointF(-120, 60));
        map()->setFollowed(imeiOf(1));
        QSignalSpy stopped(map(), &MapWidget::followingStopped);
        QTest::keyClick(map(), Qt::Key_Plus);
        QCOMPARE(map()->followed(), imeiOf(1));
        QVERIFY(distance(centre(), at) < 1e-12);
        QTest::keyClick(map(), Qt::Key_Right);
        QCOMPARE(stopped.count(), 1);
        QVERIFY(map()->followed().isEmpty());
    }

    void tooltipAsksTheProvider()
    {
        map()->setView(kCity, 15);
        addVehicle(1, QPointF(-100, 0));
        QStringList asked;
        map()->setTooltipProvider([&asked](const QString &imei) {
            asked << imei;
            return QStringLiteral("Van %1").arg(imei);
        });
        const auto help = [this](QPointF pos) {
            QHelpEvent event(QEvent::ToolTip, pos.toPoint(), map()->mapToGlobal(pos.toPoint()));
            QApplication::sendEvent(map(), &event);
        };
        help(screenOf(map()->vehicleLayer()->marker(imeiOf(1))->world));
        QCOMPARE(asked, QStringList{imeiOf(1)});
        QTRY_VERIFY(QToolTip::isVisible());
        QCOMPARE(QToolTip::text(), QStringLiteral("Van %1").arg(imeiOf(1)));
        // Nothing there: no question, no tip.
        help(QPointF(600, 450));
        QCOMPARE(asked.size(), 1);
        QTRY_VERIFY(!QToolTip::isVisible());
        // A cluster says what it holds itself.
        map()->setView(cellCentre(kCity, 6), 6);
        for (int n = 2; n <= 4; ++n)
            addVehicle(n, QPointF(n * 0.3, 0));
        (void)map()->grab();
        help(screenOf(map()->vehicleLayer()->marker(imeiOf(3))->world));
        QCOMPARE(asked.size(), 1);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QLatin1String("vehicles")), qPrintable(QToolTip::text()));
        QToolTip::hideText();
    }

    void programmaticViewsAreNotUserMoves()
    {
        QSignalSpy changed(map(), &MapWidget::viewChanged);
        QSignalSpy byUser(map(), &MapWidget::viewMovedByUser);
        map()->setView(project(51.5, -0.12), 12);
        map()->setCentre(40.4, -3.7);
        map()->setZoom(9);
        map()->fitWorldRect(QRectF(project(41, -4), project(40, -3)).normalized());
        map()->zoomBy(1);
        map()->panBy(QPointF(10, 10));
        QCOMPARE(changed.count(), 6);
        QCOMPARE(byUser.count(), 0);
        // Each move is told as it is made, and none leaves anything behind
        // that moves the map later: what is due now changes nothing.
        QVERIFY(!map()->isGliding());
        QCoreApplication::processEvents();
        QCOMPARE(changed.count(), 6);
    }

    void scaleBarAndAttributionAreDrawn()
    {
        QCOMPARE(map()->tileLayer()->attribution().isEmpty(), false);
        // Once the plain tiles are in, everything that is not magenta is overlay.
        QImage frame;
        QTRY_VERIFY((frame = map()->grab().toImage()).pixelColor(400, 300) == kTileColour
                    && countNotTile(frame, QRect(0, 0, 800, 520)) == 0);
        QCOMPARE(frame.size(), kSize);
        QCOMPARE(map()->tileLayer()->attribution(), QStringLiteral("© Plain test tiles"));
        const int w = kSize.width();
        const int h = kSize.height();
        // Scale bar, bottom left.
        QVERIFY(countNotTile(frame, QRect(12, h - 30, 100, 25)) > 200);
        // Attribution, bottom right, in a box as wide as its text.
        QFont small = map()->font();
        small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.85));
        const int textWidth = QFontMetrics(small).horizontalAdvance(map()->tileLayer()->attribution());
        QVERIFY(textWidth > 30);
        QVERIFY(countNotTile(frame, QRect(w - 20, h - 12, 18, 8)) > 100);
        QVERIFY(countNotTile(frame, QRect(w - textWidth, h - 12, 10, 8)) > 50);
        // Nothing between them.
        QCOMPARE(countNotTile(frame, QRect(260, h - 40, 200, 40)), 0);
    }

    void fitWorldRectShowsTheRect()
    {
        const QRectF paris = QRectF(project(48.95, 2.20), project(48.80, 2.50)).normalized();
        QSignalSpy changed(map(), &MapWidget::viewChanged);
        map()->fitWorldRect(paris, 48);
        QCOMPARE(changed.count(), 1);
        QVERIFY(distance(centre(), paris.center()) < 1e-12);
        QVERIFY(map()->viewport().visibleWorld().contains(paris));
        // It fills the view less the margin in its tighter direction.
        const double scale = map()->viewport().scale();
        const double wPx = paris.width() * scale;
        const double hPx = paris.height() * scale;
        QVERIFY(wPx <= kSize.width() - 96 + 1e-6 && hPx <= kSize.height() - 96 + 1e-6);
        QVERIFY(std::abs(wPx - (kSize.width() - 96)) < 1e-6 || std::abs(hPx - (kSize.height() - 96)) < 1e-6);
        // A single point: as close as the map goes.
        map()->fitWorldRect(QRectF(kCity, QSizeF(0, 0)));
        QCOMPARE(zoom(), double(kMaxZoom));
        QVERIFY(distance(centre(), kCity) < 1e-12);
        // More than the world: as far out as the map goes.
        map()->fitWorldRect(QRectF(-1, 0, 3, 1));
        QCOMPARE(zoom(), double(kMinZoom));
    }
};

QTEST_MAIN(tst_MapWidget)
#include "tst_mapwidget.moc"
