#include "app/mainwindow.h"

#include "../models/fleetsnapshots.h"
#include "devices/fleetpanel.h"
#include "devices/vehicledetailswidget.h"
#include "map/mapwidget.h"
#include "map/tilelayer.h"
#include "map/vehiclelayer.h"
#include "models/fleettreemodel.h"
#include "util/clock.h"

#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QToolButton>

#include <QAction>
#include <QDockWidget>
#include <QTemporaryDir>
#include <QToolTip>
#include <QTreeView>
#include <QMenu>
#include <QMenuBar>
#include <QtTest>

using namespace Fleet;
using FleetTest::imeiOf;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    static VehicleSnapshot at(int n, double lat, double lng, VehicleStatus status = VehicleStatus::Moving)
    {
        VehicleSnapshot v = FleetTest::vehicle(imeiOf(n), QStringLiteral("Van %1").arg(n), QStringLiteral("g1"),
                                               QStringLiteral("Vans"), status);
        v.location.fix->lat = lat;
        v.location.fix->lng = lng;
        v.location.fix->speedKmh = 40;
        v.location.fix->courseDeg = 90;
        return v;
    }
    static QList<VehicleSnapshot> fleet()
    {
        return {at(1, 22.30, 114.17), at(2, 22.32, 114.19), at(3, 22.28, 114.15, VehicleStatus::Parked)};
    }
    std::unique_ptr<AppSettings> settings()
    {
        return std::make_unique<AppSettings>(
            std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat));
    }
    // A shown window with the test fleet in it.
    std::unique_ptr<MainWindow> shownWithFleet(AppSettings *s)
    {
        auto w = std::make_unique<MainWindow>(s);
        w->resize(1200, 800);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()))
            return nullptr;
        w->loadFleet(fleet());
        return w;
    }
    QAction *action(MainWindow &w, const QString &text)
    {
        for (QAction *a : w.findChildren<QAction *>())
            if (a->text().remove(QLatin1Char('&')) == text)
                return a;
        return nullptr;
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void init() { QFile::remove(m_dir.filePath(QStringLiteral("settings.ini"))); }

    void fleetFillsListMapAndStatusBar()
    {
        auto s = settings();
        MainWindow w(s.get());
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy loaded(&w, &MainWindow::fleetLoaded);
        w.loadFleet(fleet());
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(w.fleetModel()->vehicleCount(), 3);
        QCOMPARE(w.map()->vehicleLayer()->count(), 3);
        QCOMPARE(w.statusField(QStringLiteral("vehicles")), QStringLiteral("3 vehicles"));
        // The map shows the whole fleet.
        const QRectF visible = w.map()->viewport().visibleWorld();
        for (const VehicleSnapshot &v : fleet())
            QVERIFY(visible.contains(Map::project(v.location.fix->lat, v.location.fix->lng)));
        // A new vehicle arrives live.
        w.updateFleet({at(4, 22.31, 114.18)});
        QCOMPARE(w.fleetModel()->vehicleCount(), 4);
        QCOMPARE(w.map()->vehicleLayer()->count(), 4);
        QCOMPARE(w.statusField(QStringLiteral("vehicles")), QStringLiteral("4 vehicles"));
    }

    void everyShortcutIsOneActions()
    {
        auto s = settings();
        MainWindow w(s.get());
        QHash<QString, QString> owner;
        for (QMenu *menu : w.menuBar()->findChildren<QMenu *>()) {
            for (QAction *a : menu->actions()) {
                if (a->shortcut().isEmpty())
                    continue;
                const QString key = a->shortcut().toString();
                QVERIFY2(!owner.contains(key) || owner.value(key) == a->text(),
                         qPrintable(QStringLiteral("%1: %2 and %3").arg(key, owner.value(key), a->text())));
                owner.insert(key, a->text());
            }
        }
        QVERIFY(owner.contains(QStringLiteral("Ctrl+Shift+C"))); // Send command…
    }

    void detailsReadAtTheDefaultSize()
    {
        // A first start at the default window size, a vehicle with long values.
        auto s = settings();
        MainWindow w(s.get());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.size(), QSize(1440, 900));
        VehicleSnapshot v = at(7, 48.856871, 2.406774);
        v.device.imei = QStringLiteral("869676326435390");
        v.location.imei = v.device.imei;
        v.location.fix->imei = v.device.imei;
        v.device.plate = QStringLiteral("BQ-037-KM");
        v.device.driverName = QStringLiteral("Hugo Richard");
        v.device.driverPhone = QStringLiteral("+33605063258");
        v.device.model = QStringLiteral("JC450Pro");
        v.location.heartbeatTime = v.location.fix->gpsTime;
        v.location.externalVoltage = 12.4;
        v.location.batteryVoltage = 4.0;
        v.location.address = QStringLiteral("12 Ring Road 2, Sector 4, a long address the cloud sends as one line");
        v.lastAlarmTime = v.location.fix->gpsTime;
        v.lastAlarmName = QStringLiteral("Power off alarm");
        w.loadFleet({v});
        w.selectVehicle(v.imei(), false);
        QApplication::processEvents();
        auto *scroll = w.details()->findChild<QScrollArea *>();
        QVERIFY(scroll && scroll->isVisible());
        // Nothing scrolls sideways; every value is whole inside the dock.
        QVERIFY(!scroll->horizontalScrollBar()->isVisible());
        const QRect viewport = scroll->viewport()->rect();
        for (QLabel *value :
             scroll->widget()->findChildren<QLabel *>(QRegularExpression(QStringLiteral("^value\\d+$")))) {
            const QRect inViewport(value->mapTo(scroll->viewport(), QPoint(0, 0)), value->size());
            QVERIFY2(viewport.left() <= inViewport.left() && inViewport.right() <= viewport.right(),
                     qPrintable(value->text()));
            // Tall enough for its text at its width (wrapped, not cut off).
            if (value->hasHeightForWidth())
                QVERIFY2(value->height() >= value->heightForWidth(value->width()), qPrintable(value->text()));
        }
        // An IMEI and a date do not break: they fit on their line.
        const QFontMetrics fm(w.details()->font());
        QVERIFY(fm.horizontalAdvance(w.details()->fieldText(QStringLiteral("IMEI")))
                <= scroll->widget()->findChild<QLabel *>(QStringLiteral("value2"))->width());
    }

    void fleetIsFittedAsItArrivesUntilTheMapIsMoved()
    {
        auto s = settings();
        const auto window = shownWithFleet(s.get());
        QVERIFY(window);
        MainWindow &w = *window;
        // A vehicle far away arrives: the view grows to take it in.
        w.updateFleet({at(5, 22.60, 114.50)});
        QVERIFY(w.map()->viewport().visibleWorld().contains(Map::project(22.60, 114.50)));
        // Someone moves the map (here a caller; a menu or the user alike): it stays put.
        w.map()->setView(Map::project(22.30, 114.17), 16);
        const QPointF centre = w.map()->viewport().centre();
        w.updateFleet({at(6, 21.90, 113.80)});
        QCOMPARE(w.map()->viewport().centre(), centre);
        QCOMPARE(w.map()->viewport().zoom(), 16.0);
    }

    void statusBarSaysWhatTheSessionReports()
    {
        auto s = settings();
        MainWindow w(s.get());
        ManualClock clock(QDateTime(QDate(2026, 12, 2), QTime(9, 0), QTimeZone::utc()));
        w.setClock(&clock);
        SessionStatus st;
        st.demo = true;
        st.cloud = SessionStatus::Cloud::Connected;
        st.lastSweep = clock.nowUtc().addSecs(-5);
        st.webhookListening = true;
        st.webhookAddress = QStringLiteral("http://127.0.0.1:5555");
        st.pushRequests = 12;
        w.showStatus(st);
        QCOMPARE(w.statusField(QStringLiteral("cloud")), QStringLiteral("Cloud: simulated, connected"));
        QVERIFY(w.statusField(QStringLiteral("sweep")).startsWith(QLatin1String("Last sweep")));
        QVERIFY(w.statusField(QStringLiteral("sweep")).endsWith(QLatin1String("(5 s ago)")));
        QCOMPARE(w.statusField(QStringLiteral("webhook")), QStringLiteral("Webhook: http://127.0.0.1:5555, 12 pushes"));
        QCOMPARE(w.statusField(QStringLiteral("database")), QStringLiteral("Database: OK"));
        st.cloud = SessionStatus::Cloud::Failing;
        st.databaseError = QStringLiteral("disk I/O error");
        st.webhookListening = false;
        w.showStatus(st);
        QCOMPARE(w.statusField(QStringLiteral("cloud")), QStringLiteral("Cloud: failing"));
        QCOMPARE(w.statusField(QStringLiteral("webhook")), QStringLiteral("Webhook: off"));
        QCOMPARE(w.statusField(QStringLiteral("database")),
                 QStringLiteral("Database: write failed, data held for retry"));
        QVERIFY(w.editAccountButton()->isHidden()); // a demo has no account to edit
    }

    void cloudAndWebhookProblemsAreNamed()
    {
        auto s = settings();
        MainWindow w(s.get());
        QSignalSpy edit(&w, &MainWindow::accountRequested);
        SessionStatus st;
        st.cloud = SessionStatus::Cloud::Connecting;
        // Held back by the one-sign-in-a-minute rule: a countdown, not "connecting".
        st.signInAt = Clock::system()->nowUtc().addSecs(42);
        w.showStatus(st);
        QVERIFY2(w.statusField(QStringLiteral("cloud")).startsWith(QLatin1String("Cloud: signing in in 4")),
                 qPrintable(w.statusField(QStringLiteral("cloud"))));
        QVERIFY(w.statusField(QStringLiteral("cloud")).contains(QLatin1String("one sign-in a minute")));
        QVERIFY(w.editAccountButton()->isHidden());

        // A wrong password: the cloud's words, and a way to fix it.
        st.signInAt = QDateTime();
        st.cloud = SessionStatus::Cloud::Failing;
        st.accountRefused = true;
        st.cloudDetail = QStringLiteral("Incorrect user name or password (1002)");
        w.showStatus(st);
        QCOMPARE(w.statusField(QStringLiteral("cloud")),
                 QStringLiteral("Cloud: sign-in refused: Incorrect user name or password (1002)"));
        QVERIFY(!w.editAccountButton()->isHidden());
        QTest::mouseClick(w.editAccountButton(), Qt::LeftButton);
        QCOMPARE(edit.count(), 1);

        // Cloud text is shown as text, never as markup.
        st.cloudDetail = QStringLiteral("<b>bold</b> & <a href=x>link</a>");
        w.showStatus(st);
        auto *cloud = w.findChild<QLabel *>(QStringLiteral("cloudStatus"));
        QCOMPARE(cloud->textFormat(), Qt::PlainText);
        QVERIFY2(cloud->toolTip().contains(QLatin1String("&lt;b&gt;bold&lt;/b&gt; &amp;")),
                 qPrintable(cloud->toolTip()));
        // A refused account is tried again later on its own, and says when.
        st.signInAt = Clock::system()->nowUtc().addSecs(600);
        w.showStatus(st);
        QVERIFY2(w.statusField(QStringLiteral("cloud")).endsWith(QLatin1String("(next try in 10 min)")),
                 qPrintable(w.statusField(QStringLiteral("cloud"))));
        st.signInAt = QDateTime();

        // Pushes refused for a wrong token and items that could not be read.
        st.webhookListening = true;
        st.webhookAddress = QStringLiteral("http://127.0.0.1:5555");
        st.pushRequests = 3;
        st.pushRefused = 7;
        st.pushUnauthorized = 7;
        st.pushQuarantined = 2;
        w.showStatus(st);
        QCOMPARE(w.statusField(QStringLiteral("webhook")),
                 QStringLiteral("Webhook: http://127.0.0.1:5555, 3 pushes, 7 refused: wrong token, 2 unreadable"));
    }

    void selectionReachesEveryView()
    {
        auto s = settings();
        MainWindow w(s.get());
        w.show();
        w.loadFleet(fleet());
        w.fleetPanel()->selectVehicle(imeiOf(2));
        QCOMPARE(w.selectedVehicle(), imeiOf(2));
        QCOMPARE(w.map()->vehicleLayer()->selected(), imeiOf(2));
        QCOMPARE(w.details()->fieldText(QStringLiteral("Name")), QStringLiteral("Van 2"));
        // Live data for the selected vehicle reaches the details at once.
        VehicleSnapshot moved = at(2, 22.33, 114.20);
        moved.location.fix->speedKmh = 77;
        w.updateFleet({moved});
        QCOMPARE(w.details()->fieldText(QStringLiteral("Speed")), QStringLiteral("77 km/h"));
        // Next / previous vehicle from the keyboard.
        QApplication::setActiveWindow(&w);
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(w.selectedVehicle(), imeiOf(3));
        QTest::keyClick(&w, Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(w.selectedVehicle(), imeiOf(2));
    }

    void clickOnTheMapSelects()
    {
        auto s = settings();
        const auto window = shownWithFleet(s.get());
        QVERIFY(window);
        MainWindow &w = *window;
        w.map()->setView(Map::project(22.30, 114.17), 15);
        const QPointF p = w.map()->viewport().geoToScreen(22.30, 114.17);
        QTest::mouseClick(w.map(), Qt::LeftButton, {}, p.toPoint());
        QCOMPARE(w.selectedVehicle(), imeiOf(1));
        QCOMPARE(w.fleetPanel()->currentVehicle(), imeiOf(1));
        // Hovering it shows the same text as the fleet list's tooltip.
        // The docks' layout settled after the click and resized the map: find the vehicle again.
        const QPoint at = w.map()->viewport().geoToScreen(22.30, 114.17).toPoint();
        QHelpEvent hover(QEvent::ToolTip, at, w.map()->mapToGlobal(at));
        QApplication::sendEvent(w.map(), &hover);
        const QString expected = w.fleetModel()->indexOf(imeiOf(1)).data(Qt::ToolTipRole).toString();
        QVERIFY(expected.contains(QLatin1String("Speed: 40 km/h")));
        QTRY_COMPARE(QToolTip::text(), expected);
    }

    void followKeepsTheVehicleCentredUntilDragged()
    {
        auto s = settings();
        const auto window = shownWithFleet(s.get());
        QVERIFY(window);
        MainWindow &w = *window;
        w.selectVehicle(imeiOf(1), true);
        QAction *follow = action(w, QStringLiteral("Follow"));
        QVERIFY(follow);
        follow->trigger();
        QVERIFY(follow->isChecked());
        QCOMPARE(w.map()->followed(), imeiOf(1));
        w.updateFleet({at(1, 22.35, 114.25)});
        QVERIFY((w.map()->viewport().centre() - Map::project(22.35, 114.25)).manhattanLength() < 1e-12);
        // A drag takes the map back.
        QWidget *map = w.map();
        const QPoint from(300, 300);
        QTest::mousePress(map, Qt::LeftButton, {}, from);
        QTest::mouseMove(map, from + QPoint(40, 10));
        QTest::mouseMove(map, from + QPoint(80, 20));
        QTest::mouseRelease(map, Qt::LeftButton, {}, from + QPoint(80, 20));
        QVERIFY(!follow->isChecked());
        QVERIFY(w.map()->followed().isEmpty());
    }

    void layoutViewAndSelectionAreRestored()
    {
        QByteArray state;
        QPointF centre;
        double zoom = 0;
        {
            auto s = settings();
            MainWindow w(s.get());
            w.resize(1000, 700);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.loadFleet(fleet());
            w.selectVehicle(imeiOf(3), false);
            w.findChild<QDockWidget *>(QStringLiteral("detailsDock"))->hide();
            w.map()->setView(Map::project(22.29, 114.16), 13.25);
            centre = w.map()->viewport().centre();
            zoom = w.map()->viewport().zoom();
            w.close();
        }
        auto s = settings();
        MainWindow w(s.get());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.findChild<QDockWidget *>(QStringLiteral("detailsDock"))->isVisible());
        QVERIFY(w.findChild<QDockWidget *>(QStringLiteral("fleetDock"))->isVisible());
        QCOMPARE(w.size(), QSize(1000, 700));
        w.loadFleet(fleet());
        QCOMPARE(w.selectedVehicle(), imeiOf(3));
        // The saved view wins over "show the whole fleet".
        QCOMPARE(w.map()->viewport().zoom(), zoom);
        QVERIFY((w.map()->viewport().centre() - centre).manhattanLength() < 1e-9);
    }

    void darkThemeTurnsTheWindowDark()
    {
        auto s = settings();
        MainWindow w(s.get());
        w.applyTheme(AppSettings::Theme::Dark);
        QTRY_VERIFY(w.palette().color(QPalette::Window).lightness() < 128);
        QVERIFY(w.map()->tileLayer()->isDarkStyle());
        w.applyTheme(AppSettings::Theme::Light);
        QTRY_VERIFY(w.palette().color(QPalette::Window).lightness() >= 128);
        QVERIFY(!w.map()->tileLayer()->isDarkStyle());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
