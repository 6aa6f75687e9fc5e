#include "mainwindow.h"

#include "alarms/alarmattention.h"
#include "alarms/alarmdeskpanel.h"
#include "domain/camera.h"
#include "alarms/alarmmediastrip.h"
#include "video/clipplayerdialog.h"
#include "video/mediagallerydialog.h"
#include "video/momentvideo.h"
#include "video/recordingsdialog.h"
#include "video/videowall.h"
#include "alarms/alarmsettingsdialog.h"
#include "alarms/alarmsounds.h"
#include "app/rejecteddatadialog.h"
#include "commands/commandlistmodel.h"
#include "commands/commandspanel.h"
#include "commands/sendcommanddialog.h"
#include "alarms/alarmspotlayer.h"

#include "map/geojsonlayer.h"
#include "playback/playbackpanel.h"

#include "devices/appusersdialog.h"
#include "devices/cloudgroupsdialog.h"
#include "devices/deviceeditdialog.h"
#include "devices/expirydialog.h"
#include "devices/movedevicesdialog.h"
#include "devices/fleetpanel.h"
#include "devices/localgroupslist.h"
#include "store/storereader.h"
#include "devices/vehicledetailswidget.h"
#include "map/geomath.h"
#include "map/mapwidget.h"
#include "map/tilelayer.h"
#include "map/tilesourcespec.h"
#include "map/vehiclelayer.h"
#include "models/fleettreemodel.h"
#include "sync/livesession.h"
#include "util/clock.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDockWidget>
#include <QMenu>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QPointer>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QSystemTrayIcon>
#include <QToolButton>
#include <QTreeView>

#include <cmath>
#include <limits>

namespace Fleet {

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x6a, 0xa9, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xdb));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7d, 0x82));
    return p;
}

QString localTime(const QDateTime &utc)
{
    return QLocale().toString(utc.toLocalTime().time(), QLocale::ShortFormat);
}

} // namespace

MainWindow::MainWindow(AppSettings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_model(new FleetTreeModel(this))
    , m_map(new Map::MapWidget(this))
    , m_panel(new FleetPanel(m_model, this))
    , m_details(new VehicleDetailsWidget(this))
    , m_fleetDock(new QDockWidget(tr("Fleet"), this))
    , m_detailsDock(new QDockWidget(tr("Vehicle"), this))
    , m_playbackDock(new QDockWidget(tr("Playback"), this))
    , m_alarmDock(new QDockWidget(tr("Alarms"), this))
    , m_videoDock(new QDockWidget(tr("Cameras"), this))
    , m_commandsDock(new QDockWidget(tr("Commands"), this))
    , m_clock(Clock::system())
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("FleetDesk"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/fleetdesk.svg")));
    setCentralWidget(m_map);
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    m_fleetDock->setObjectName(QStringLiteral("fleetDock"));
    m_fleetDock->setWidget(m_panel);
    addDockWidget(Qt::LeftDockWidgetArea, m_fleetDock);
    m_detailsDock->setObjectName(QStringLiteral("detailsDock"));
    m_detailsDock->setWidget(m_details);
    addDockWidget(Qt::RightDockWidgetArea, m_detailsDock);
    // Under the map, so the live map stays in view; hidden until asked for.
    m_playback = new PlaybackPanel(m_map, m_settings, m_playbackDock);
    m_playback->setNameLookup([this](const QString &imei) {
        const VehicleSnapshot *v = m_model->vehicle(imei);
        return v ? v->displayName() : QString();
    });
    m_playbackDock->setObjectName(QStringLiteral("playbackDock"));
    m_playbackDock->setWidget(m_playback);
    addDockWidget(Qt::BottomDockWidgetArea, m_playbackDock);
    m_playbackDock->hide();
    // The alarm desk: always there, under the map.
    m_alarms = new AlarmDeskPanel(m_alarmDock);
    m_alarms->setOperatorName(m_settings->alarmOperator());
    m_alarms->setSeverities(m_settings->alarmSeverities());
    m_alarms->setView(m_settings->alarmStateFilter(), m_settings->alarmPeriod());
    m_alarms->setSavedFilters(m_settings->alarmSavedFilters());
    connect(m_alarms, &AlarmDeskPanel::savedFiltersChanged, this,
            [this](const QList<SavedAlarmFilter> &filters) { m_settings->setAlarmSavedFilters(filters); });
    m_alarmDock->setObjectName(QStringLiteral("alarmDock"));
    m_alarmDock->setWidget(m_alarms);
    addDockWidget(Qt::BottomDockWidgetArea, m_alarmDock);
    // Dashcams, live: beside the alarm desk, hidden until a camera is opened.
    m_video = new VideoWall(m_videoDock);
    m_video->setMaxWatchMinutes(m_settings->videoMaxWatchMinutes());
    connect(m_video, &VideoWall::maxWatchMinutesChanged, this,
            [this](int minutes) { m_settings->setVideoMaxWatchMinutes(minutes); });
    connect(m_video, &VideoWall::message, this, [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    m_videoDock->setObjectName(QStringLiteral("videoDock"));
    m_videoDock->setWidget(m_video);
    addDockWidget(Qt::BottomDockWidgetArea, m_videoDock);
    tabifyDockWidget(m_alarmDock, m_videoDock);
    m_videoDock->hide();
    m_alarmDock->raise();
    // "Video at this moment" of a track in the playback, kept in step with it.
    m_moment = new MomentVideo(nullptr, m_video, this);
    m_moment->setPlayback(m_playback->model());
    connect(m_moment, &MomentVideo::message, this, [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(m_moment, &MomentVideo::opened, this, [this] {
        m_videoDock->show();
        m_videoDock->raise();
    });
    connect(m_playback, &PlaybackPanel::videoRequested, this, &MainWindow::showMomentVideo);
    // Commands sent and their answers: beside the alarm desk.
    m_commands = new CommandsPanel(m_commandsDock);
    m_commandsDock->setObjectName(QStringLiteral("commandsDock"));
    m_commandsDock->setWidget(m_commands);
    addDockWidget(Qt::BottomDockWidgetArea, m_commandsDock);
    tabifyDockWidget(m_alarmDock, m_commandsDock);
    m_alarmDock->raise();
    connect(m_commands, &CommandsPanel::titleChanged, m_commandsDock, &QDockWidget::setWindowTitle);
    connect(m_commands, &CommandsPanel::sendCommandRequested, this,
            [this](const QString &imei) { openSendCommand({imei}); });
    connect(m_commands, &CommandsPanel::askAgainRequested, this, [this](const QStringList &imeis) {
        if (m_session)
            m_session->pollCommands(imeis);
        statusBar()->showMessage(tr("Asking the cloud about %n vehicle(s)' commands…", nullptr, int(imeis.size())),
                                 5000);
    });
    connect(m_commands->model(), &QAbstractItemModel::modelReset, this, &MainWindow::showLastCommands);
    connect(m_commands->model(), &QAbstractItemModel::dataChanged, this, &MainWindow::showLastCommands);
    // The desk's own groups: changed through the session, read from the store.
    connect(m_panel->localGroups(), &LocalGroupsList::changeRequested, this,
            [this](const QList<LocalGroupChange> &changes) {
                if (m_session)
                    m_session->changeLocalGroups(changes);
            });
    connect(m_panel->localGroups(), &LocalGroupsList::limitChanged, this, &MainWindow::applyGroupLimit);
    m_alarmSpots = new AlarmSpotLayer(this);
    m_map->addOverlay(m_alarmSpots);
    connect(m_alarms, &AlarmDeskPanel::titleChanged, m_alarmDock, &QDockWidget::setWindowTitle);
    connect(m_alarms, &AlarmDeskPanel::locateRequested, this, &MainWindow::showAlarm);
    connect(m_alarms, &AlarmDeskPanel::replayRequested, this, &MainWindow::replayRange);
    connect(m_alarms, &AlarmDeskPanel::camerasRequested, this, &MainWindow::openCameras);
    connect(m_alarms, &AlarmDeskPanel::galleryRequested, this, &MainWindow::openGallery);
    m_alarms->mediaStrip()->setOpener([this](const QUrl &file) { return openMediaFile(file); });
    connect(m_alarms, &AlarmDeskPanel::operatorChangeRequested, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Operator"),
                                                   tr("The name kept with your steps on alarms:"), QLineEdit::Normal,
                                                   m_alarms->operatorName(), &ok);
        if (!ok || name.trimmed().isEmpty())
            return;
        m_settings->setAlarmOperator(name);
        m_alarms->setOperatorName(name);
    });
    connect(m_alarms->model(), &AlarmListModel::countsChanged, this, [this] { m_pulseTimer.start(); });
    buildAttention();
    m_pulseTimer.setSingleShot(true);
    m_pulseTimer.setInterval(100);
    connect(&m_pulseTimer, &QTimer::timeout, this, &MainWindow::updateAlarmPulses);

    m_map->vehicleLayer()->setLabelsVisible(m_settings->labelsVisible());
    // The map's tooltip is the fleet list's: one text for a vehicle everywhere.
    m_map->setTooltipProvider(
        [this](const QString &imei) { return m_model->indexOf(imei).data(Qt::ToolTipRole).toString(); });

    connect(m_panel, &FleetPanel::vehicleSelected, this, [this](const QString &imei) { selectVehicle(imei, false); });
    connect(m_panel, &FleetPanel::vehicleActivated, this, [this](const QString &imei) { selectVehicle(imei, true); });
    connect(m_map, &Map::MapWidget::vehicleClicked, this, [this](const QString &imei) { selectVehicle(imei, false); });
    connect(m_map, &Map::MapWidget::vehicleContextMenu, this, [this](const QString &imei, const QPoint &at) {
        selectVehicle(imei, false);
        QMenu menu(this);
        fillVehicleMenu(menu, {imei});
        menu.exec(at);
    });
    connect(m_panel, &FleetPanel::vehicleMenuRequested, this, [this](const QStringList &imeis, const QPoint &at) {
        QMenu menu(this);
        fillVehicleMenu(menu, imeis);
        menu.exec(at);
    });
    connect(m_map, &Map::MapWidget::vehicleDoubleClicked, this, [this](const QString &imei) {
        selectVehicle(imei, true);
        setFollowing(true);
    });
    // A user who moves the map before the first vehicle arrives ends the
    // fitting too (autoFit() itself sees only moves after its first fit).
    connect(m_map, &Map::MapWidget::viewMovedByUser, this, [this] { m_autoFit = false; });
    connect(m_map, &Map::MapWidget::followingStopped, this, [this] {
        if (m_followAction)
            m_followAction->setChecked(false);
    });

    buildActions();
    buildStatusBar();

    // "… ago" texts and time-driven statuses age even when nothing arrives.
    m_clockTimer.setInterval(1000);
    connect(&m_clockTimer, &QTimer::timeout, this, [this] {
        m_details->refresh(m_clock->nowUtc());
        showStatus(m_status);
    });
    m_clockTimer.start();

    resize(1440, 900);
    // A first start: the docks wide enough to read (a saved layout wins).
    resizeDocks({m_fleetDock, m_detailsDock}, {m_panel->sizeHint().width(), m_details->sizeHint().width()},
                Qt::Horizontal);
    resizeDocks({m_playbackDock, m_alarmDock}, {300, 260}, Qt::Vertical);
    m_defaultState = QMainWindow::saveState();
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    m_panel->restoreColumns(m_settings->fleetListHeader());
    chooseTileSource(m_settings->tileSource());
    restoreView();
    applyTheme(m_settings->theme());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *account = file->addAction(tr("&Account…"));
    connect(account, &QAction::triggered, this, &MainWindow::accountRequested);
    QAction *alarmSettings = file->addAction(tr("Alarm &settings…"));
    connect(alarmSettings, &QAction::triggered, this, &MainWindow::editAlarmSettings);
    QAction *cloudGroups = file->addAction(tr("Cloud &groups…"));
    cloudGroups->setObjectName(QStringLiteral("cloudGroupsAction"));
    cloudGroups->setToolTip(tr("The account's groups in the cloud: create, rename, delete"));
    connect(cloudGroups, &QAction::triggered, this, [this] { openCloudGroups(); });
    QAction *expiry = file->addAction(tr("Service e&xpiry…"));
    expiry->setObjectName(QStringLiteral("expiryAction"));
    expiry->setToolTip(tr("The vehicles whose service ends soon; extend it"));
    connect(expiry, &QAction::triggered, this, [this] { openExpiry(); });
    QAction *rejected = file->addAction(tr("&Rejected data…"));
    rejected->setToolTip(tr("What the webhook received but could not read"));
    connect(rejected, &QAction::triggered, this, [this] {
        const QString path = m_alarms->model()->databasePath();
        if (path.isEmpty()) {
            statusBar()->showMessage(tr("No database is open yet."), 5000);
            return;
        }
        RejectedDataDialog dialog(path, this);
        dialog.exec();
    });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *search = view->addAction(tr("&Search vehicles"));
    search->setShortcut(QKeySequence::Find);
    connect(search, &QAction::triggered, this, [this] {
        m_fleetDock->show();
        m_fleetDock->raise();
        m_panel->focusSearch();
    });
    view->addSeparator();
    QAction *zoomIn = view->addAction(tr("Zoom &in"));
    zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    connect(zoomIn, &QAction::triggered, this, [this] { m_map->zoomBy(1); });
    QAction *zoomOut = view->addAction(tr("Zoom &out"));
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    connect(zoomOut, &QAction::triggered, this, [this] { m_map->zoomBy(-1); });
    QAction *fit = view->addAction(tr("Show the whole &fleet"));
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(fit, &QAction::triggered, this, [this] {
        const QRectF bounds = m_map->vehicleLayer()->worldBounds();
        if (bounds.isValid() || !bounds.isNull())
            m_map->fitWorldRect(bounds);
    });
    view->addSeparator();
    QAction *labels = view->addAction(tr("Vehicle &labels"));
    labels->setCheckable(true);
    labels->setChecked(m_settings->labelsVisible());
    labels->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    connect(labels, &QAction::toggled, this, [this](bool on) {
        m_map->vehicleLayer()->setLabelsVisible(on);
        m_settings->setLabelsVisible(on);
    });

    m_sourceMenu = view->addMenu(tr("&Map tiles"));
    m_sourceGroup = new QActionGroup(this);
    const auto addSource = [this](const QString &text, const Map::TileSourceSpec &spec) {
        QAction *a = m_sourceMenu->addAction(text);
        a->setCheckable(true);
        a->setData(spec.toString());
        m_sourceGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, s = spec.toString()] { chooseTileSource(s); });
    };
    addSource(tr("OpenStreetMap"), Map::TileSourceSpec::openStreetMap());
    addSource(tr("Offline basemap (Natural Earth)"), Map::TileSourceSpec::offline());
    m_sourceMenu->addSeparator();
    connect(m_sourceMenu->addAction(tr("MBTiles file…")), &QAction::triggered, this, &MainWindow::openMbTiles);
    connect(m_sourceMenu->addAction(tr("Tile server URL…")), &QAction::triggered, this, &MainWindow::customTileUrl);

    QMenu *theme = view->addMenu(tr("&Theme"));
    auto *themes = new QActionGroup(this);
    const std::pair<QString, AppSettings::Theme> themeItems[] = {{tr("Follow the system"), AppSettings::Theme::System},
                                                                 {tr("Light"), AppSettings::Theme::Light},
                                                                 {tr("Dark"), AppSettings::Theme::Dark}};
    for (const auto &[text, value] : themeItems) {
        QAction *a = theme->addAction(text);
        a->setCheckable(true);
        a->setChecked(m_settings->theme() == value);
        themes->addAction(a);
        const AppSettings::Theme t = value;
        connect(a, &QAction::triggered, this, [this, t] {
            m_settings->setTheme(t);
            applyTheme(t);
        });
    }
    view->addSeparator();
    view->addAction(m_fleetDock->toggleViewAction());
    view->addAction(m_detailsDock->toggleViewAction());
    view->addAction(m_playbackDock->toggleViewAction());
    QAction *alarms = m_alarmDock->toggleViewAction();
    alarms->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    view->addAction(alarms);
    view->addAction(m_videoDock->toggleViewAction());
    m_roadsAction = view->addAction(tr("Demo &road network"));
    m_roadsAction->setCheckable(true);
    m_roadsAction->setChecked(true);
    m_roadsAction->setVisible(false);
    m_roadsAction->setToolTip(tr("The simulated city's avenues and ring roads, which the demo fleet drives on"));
    connect(m_roadsAction, &QAction::toggled, this, [this](bool on) {
        if (m_roads)
            m_roads->setVisible(on);
    });
    QAction *reset = view->addAction(tr("&Reset layout"));
    connect(reset, &QAction::triggered, this, [this] {
        restoreState(m_defaultState);
        m_fleetDock->show();
        m_detailsDock->show();
        m_alarmDock->show();
        m_playbackDock->hide();
    });

    QMenu *vehicle = menuBar()->addMenu(tr("V&ehicle"));
    QAction *next = vehicle->addAction(tr("&Next vehicle"));
    next->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    connect(next, &QAction::triggered, this, [this] { m_panel->selectNext(1); });
    QAction *previous = vehicle->addAction(tr("&Previous vehicle"));
    previous->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    connect(previous, &QAction::triggered, this, [this] { m_panel->selectNext(-1); });
    QAction *centre = vehicle->addAction(tr("&Centre on map"));
    centre->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(centre, &QAction::triggered, this, [this] { selectVehicle(m_selected, true); });
    QAction *replay = vehicle->addAction(tr("&Replay track"));
    replay->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    replay->setToolTip(tr("Add the selected vehicle to the playback and show its history"));
    connect(replay, &QAction::triggered, this, [this] { replayVehicle(m_selected); });
    m_camerasAction = vehicle->addAction(tr("&Cameras"));
    m_camerasAction->setObjectName(QStringLiteral("camerasAction"));
    m_camerasAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    m_camerasAction->setToolTip(tr("Watch the selected vehicle's dashcam channels live"));
    connect(m_camerasAction, &QAction::triggered, this, [this] { openCameras(m_selected); });
    QAction *recordings = vehicle->addAction(tr("Recor&dings…"));
    recordings->setObjectName(QStringLiteral("recordingsAction"));
    recordings->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    recordings->setToolTip(tr("List the selected vehicle's dashcam recordings of a day, and play them"));
    connect(recordings, &QAction::triggered, this, [this] { openRecordings(m_selected); });
    QAction *gallery = vehicle->addAction(tr("&Photos and clips…"));
    gallery->setObjectName(QStringLiteral("galleryAction"));
    gallery->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    gallery->setToolTip(tr("The selected vehicle's dashcam photos and clips; take a photo or a clip now"));
    connect(gallery, &QAction::triggered, this, [this] { openGallery(m_selected); });
    vehicle->addSeparator();
    QAction *sendCommand = vehicle->addAction(tr("&Send command…"));
    sendCommand->setObjectName(QStringLiteral("sendCommandAction"));
    sendCommand->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    sendCommand->setToolTip(tr("Send a command to the selected vehicle(s): cut or restore the fuel, ask for the "
                               "status, set the reporting interval…"));
    connect(sendCommand, &QAction::triggered, this, [this] { openSendCommand(selectedVehicles()); });
    QAction *locate = vehicle->addAction(tr("&Locate now"));
    locate->setObjectName(QStringLiteral("locateNowAction"));
    locate->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    locate->setToolTip(tr("Ask the cloud for the selected vehicles' positions now, without waiting for the sweep"));
    connect(locate, &QAction::triggered, this, [this] { locateNow(selectedVehicles()); });
    QAction *share = vehicle->addAction(tr("S&hare location"));
    share->setObjectName(QStringLiteral("shareLocationAction"));
    share->setToolTip(tr("Copy the cloud's link to the selected vehicle's live position"));
    connect(share, &QAction::triggered, this, [this] { shareLocation(m_selected); });
    QAction *edit = vehicle->addAction(tr("&Edit vehicle…"));
    edit->setObjectName(QStringLiteral("editVehicleAction"));
    edit->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    edit->setToolTip(tr("Rename the vehicle, change its plate, driver, SIM or odometer (in the cloud)"));
    connect(edit, &QAction::triggered, this, [this] { editVehicle(m_selected); });
    QAction *move = vehicle->addAction(tr("Mo&ve to another account…"));
    move->setObjectName(QStringLiteral("moveDevicesAction"));
    move->setToolTip(tr("Move the selected vehicles to a sub-account; they leave this account's view"));
    connect(move, &QAction::triggered, this, [this] { openMoveDevices(selectedVehicles()); });
    QAction *appUsers = vehicle->addAction(tr("App &users…"));
    appUsers->setObjectName(QStringLiteral("appUsersAction"));
    appUsers->setToolTip(tr("Bind an app user to the selected vehicles, or unbind one"));
    connect(appUsers, &QAction::triggered, this, [this] { openAppUsers(selectedVehicles()); });
    QAction *commandsView = m_commandsDock->toggleViewAction();
    commandsView->setText(tr("Co&mmands list"));
    commandsView->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    vehicle->addAction(commandsView);
    vehicle->addSeparator();
    m_followAction = vehicle->addAction(tr("&Follow"));
    m_followAction->setCheckable(true);
    m_followAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_followAction, &QAction::toggled, this, &MainWindow::setFollowing);

    // Training: the simulated cloud raises alarms on demand (demo only).
    m_demoMenu = menuBar()->addMenu(tr("&Demo"));
    m_demoMenu->menuAction()->setVisible(false);
    const std::pair<QString, QString> demoAlarms[] = {
        {tr("Raise an &SOS on the selected vehicle"), QStringLiteral("1")},
        {tr("Raise a &power cut on the selected vehicle"), QStringLiteral("2")},
        {tr("Raise a &harsh braking on the selected vehicle"), QStringLiteral("48")},
    };
    for (const auto &[text, code] : demoAlarms) {
        const QString typeId = code;
        connect(m_demoMenu->addAction(text), &QAction::triggered, this, [this, typeId] { raiseDemoAlarm(typeId); });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    connect(help->addAction(tr("&Keyboard shortcuts")), &QAction::triggered, this, &MainWindow::showShortcuts);
    QAction *about = help->addAction(tr("&About FleetDesk"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About FleetDesk"),
                           tr("<b>FleetDesk %1</b><p>A desktop dispatch console for Tracksolid Pro fleets.</p>"
                              "<p>Offline basemap: Natural Earth (public domain). Map tiles: as the chosen source "
                              "states on the map.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
    // Shortcuts work wherever the focus is, docks included.
    for (QAction *a : {search, zoomIn, zoomOut, fit, labels, next, previous, centre, m_followAction, sendCommand, locate})
        addAction(a);
}

void MainWindow::showShortcuts()
{
    QString rows;
    for (QMenu *menu : menuBar()->findChildren<QMenu *>()) {
        for (QAction *a : menu->actions()) {
            if (a->shortcut().isEmpty())
                continue;
            rows += QStringLiteral("<tr><td>%1</td><td>&nbsp;&nbsp;<b>%2</b></td></tr>")
                        .arg(a->text().remove(QLatin1Char('&')).toHtmlEscaped(),
                             a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped());
        }
    }
    rows += tr("<tr><td>Pan the map</td><td>&nbsp;&nbsp;<b>Arrow keys, drag</b></td></tr>"
               "<tr><td>Zoom around the pointer</td><td>&nbsp;&nbsp;<b>Wheel, pinch, double-click</b></td></tr>");
    QMessageBox::information(this, tr("Keyboard shortcuts"), QStringLiteral("<table>%1</table>").arg(rows));
}

void MainWindow::buildStatusBar()
{
    m_cloudLabel = new QLabel(this);
    m_sweepLabel = new QLabel(this);
    m_webhookLabel = new QLabel(this);
    m_databaseLabel = new QLabel(this);
    m_vehiclesLabel = new QLabel(this);
    m_timeLabel = new QLabel(this);
    m_timeLabel->setVisible(false);
    // Cloud and webhook texts carry the cloud's own words: plain text only.
    for (QLabel *l : {m_cloudLabel, m_sweepLabel, m_webhookLabel, m_databaseLabel, m_vehiclesLabel, m_timeLabel})
        l->setTextFormat(Qt::PlainText);
    m_cloudLabel->setObjectName(QStringLiteral("cloudStatus"));
    m_editAccountButton = new QToolButton(this);
    m_editAccountButton->setObjectName(QStringLiteral("editAccountButton"));
    m_editAccountButton->setText(tr("Edit account…"));
    m_editAccountButton->setAutoRaise(true);
    m_editAccountButton->setVisible(false);
    connect(m_editAccountButton, &QToolButton::clicked, this, &MainWindow::accountRequested);
    statusBar()->addWidget(m_cloudLabel);
    statusBar()->addWidget(m_editAccountButton);
    for (QLabel *l : {m_sweepLabel, m_webhookLabel, m_databaseLabel})
        statusBar()->addWidget(l);
    statusBar()->addPermanentWidget(m_timeLabel);
    statusBar()->addPermanentWidget(m_vehiclesLabel);
    showStatus(m_status);
}

QString MainWindow::statusField(const QString &name) const
{
    if (name == QLatin1String("cloud"))
        return m_cloudLabel->text();
    if (name == QLatin1String("sweep"))
        return m_sweepLabel->text();
    if (name == QLatin1String("webhook"))
        return m_webhookLabel->text();
    if (name == QLatin1String("database"))
        return m_databaseLabel->text();
    if (name == QLatin1String("vehicles"))
        return m_vehiclesLabel->text();
    if (name == QLatin1String("time"))
        return m_timeLabel->isVisibleTo(this) ? m_timeLabel->text() : QString();
    return {};
}

void MainWindow::openCameras(const QString &imei)
{
    const VehicleSnapshot *v = imei.isEmpty() ? nullptr : m_model->vehicle(imei);
    if (!v) {
        statusBar()->showMessage(tr("Select a vehicle first."), 5000);
        return;
    }
    if (m_video->openVehicle(imei, v->displayName(), v->device.model)) {
        m_videoDock->show();
        m_videoDock->raise();
    }
}

bool MainWindow::showMomentVideo(const QString &imei, const QDateTime &at)
{
    const VehicleSnapshot *v = imei.isEmpty() ? nullptr : m_model->vehicle(imei);
    if (!v) {
        statusBar()->showMessage(tr("That vehicle is no longer in the fleet."), 5000);
        return false;
    }
    return m_moment->show(imei, v->displayName(), v->device.model, at);
}

bool MainWindow::openMediaFile(const QUrl &localFile)
{
    // Clips in our own player; photos in the system's viewer (or the test's).
    return ClipPlayerDialog::open(localFile, this, m_systemOpener ? m_systemOpener : [](const QUrl &url) {
        return QDesktopServices::openUrl(url);
    });
}

const VehicleSnapshot *MainWindow::dashcam(const QString &imei)
{
    const VehicleSnapshot *v = imei.isEmpty() ? nullptr : m_model->vehicle(imei);
    if (!v) {
        statusBar()->showMessage(tr("Select a vehicle first."), 5000);
        return nullptr;
    }
    if (!cameraLayout(v->device.model).dashcam) {
        statusBar()->showMessage(tr("%1 has no dashcam.").arg(v->displayName()), 5000);
        return nullptr;
    }
    return v;
}

MediaGalleryDialog *MainWindow::openGallery(const QString &imei)
{
    const VehicleSnapshot *v = dashcam(imei);
    if (!v)
        return nullptr;
    auto *dialog = new MediaGalleryDialog(m_session, imei, v->displayName(), v->device.model, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->strip()->setOpener([this](const QUrl &file) { return openMediaFile(file); });
    dialog->show();
    return dialog;
}

RecordingsDialog *MainWindow::openRecordings(const QString &imei)
{
    const VehicleSnapshot *v = dashcam(imei);
    if (!v)
        return nullptr;
    auto *dialog = new RecordingsDialog(m_session, m_video, imei, v->displayName(), v->device.model,
                                        m_clock->nowUtc().toLocalTime().date(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RecordingsDialog::playing, this, [this] {
        m_videoDock->show();
        m_videoDock->raise();
    });
    dialog->show();
    dialog->list();
    return dialog;
}

void MainWindow::attachSession(LiveSession *session, const QString &title)
{
    setWindowTitle(QStringLiteral("FleetDesk — %1").arg(title));
    setClock(session->clock());
    m_timeLabel->setVisible(session->settings().isDemo());
    m_timeLabel->setToolTip(session->settings().isDemo()
                                ? tr("The demo's fleet lives in a simulated time of its own, on a working day, "
                                     "whatever the calendar says.")
                                : QString());
    connect(session, &LiveSession::vehiclesLoaded, this, &MainWindow::loadFleet);
    connect(session, &LiveSession::vehiclesChanged, this, &MainWindow::updateFleet);
    connect(session, &LiveSession::statusChanged, this, &MainWindow::showStatus);
    connect(session, &LiveSession::failed, this, &MainWindow::sessionFailed);
    m_playback->setSession(session);
    m_playback->setClock(session->clock());
    m_session = session;
    m_video->setSession(session);
    m_video->setClock(session->clock());
    m_moment->setSession(session);
    m_demoCloud = session->settings().embeddedCloud;
    m_demoMenu->menuAction()->setVisible(session->settings().isDemo());
    // The alarm desk reads the store once the session has opened (and
    // migrated) it, and writes its steps through the session's writer.
    m_alarms->setClock(session->clock());
    QPointer<LiveSession> live(session);
    m_alarms->setActionSink([live](const QList<AlarmAction> &actions) {
        if (live)
            live->actOnAlarms(actions);
    });
    m_alarms->setDeviceAckSink({}); // until this session says it has a gateway
    m_alarms->setMediaSink([this, live](const AlarmMediaRequest &request) {
        if (live)
            live->fetchAlarmMedia(request);
        else
            m_alarms->alarmMediaFetched(AlarmMediaOutcome{request.alarmId, 0, tr("The session has ended.")});
    });
    const QString database = session->settings().databasePath;
    connect(session, &LiveSession::started, this, [this, database, live] {
        // Offered only on an account with an instruction gateway.
        if (live && live->canAckOnDevice()) {
            m_alarms->setDeviceAckSink([live](const DeviceAckRequest &request) {
                if (live)
                    live->ackOnDevice(request);
            });
        } else {
            m_alarms->setDeviceAckSink({});
        }
        if (!m_groupsReader || !m_groupsReader->isOpen()) {
            m_groupsReader = std::make_unique<StoreReader>();
            if (m_groupsReader->open(database))
                reloadLocalGroups();
        }
        if (m_commands->model()->databasePath() != database && !m_commands->open(database))
            statusBar()->showMessage(
                tr("The commands list cannot read the database: %1").arg(m_commands->model()->errorString()));
        if (m_alarms->model()->databasePath() != database) {
            if (!m_alarms->open(database))
                statusBar()->showMessage(
                    tr("The alarm list cannot read the database: %1").arg(m_alarms->model()->errorString()));
            m_attention->open(database);
        }
        updateAlarmPulses();
    });
    connect(session, &LiveSession::storeChanged, m_alarms->model(), &AlarmListModel::storeChanged);
    connect(session, &LiveSession::storeChanged, m_commands->model(), &CommandListModel::storeChanged);
    connect(session, &LiveSession::storeChanged, this, [this](const StoreChange &change) {
        if (change.touches(StoreTable::LocalGroups))
            reloadLocalGroups();
    });
    connect(session, &LiveSession::localGroupsChanged, this, [this](int, bool committed) {
        if (!committed)
            statusBar()->showMessage(tr("The group could not be saved: the database refused it."), 10000);
    });
    // The dialogs' answers: each takes what is its own.
    connect(session, &LiveSession::commandTemplatesLoaded, this,
            [this](int, const QString &imei, const QList<CommandTemplate> &templates, const QString &error) {
                for (const QPointer<SendCommandDialog> &d : std::as_const(m_commandDialogs)) {
                    if (d)
                        d->templatesLoaded(imei, templates, error);
                }
            });
    connect(session, &LiveSession::commandBatchStarted, this, [this](int id, const QString &batchKey) {
        if (SendCommandDialog *d = m_commandSends.take(id))
            d->batchStarted(batchKey);
    });
    connect(session, &LiveSession::commandRefused, this, [this](int id, const CommandRefusal &refusal) {
        if (SendCommandDialog *d = m_commandSends.take(id))
            d->refused(refusal);
    });
    connect(session, &LiveSession::commandUpdated, this, [this](const CommandRecord &record) {
        for (const QPointer<SendCommandDialog> &d : std::as_const(m_commandDialogs)) {
            if (d)
                d->commandUpdated(record);
        }
    });
    connect(session, &LiveSession::commandProgress, this, [this](const QString &batchKey, int done, int total) {
        for (const QPointer<SendCommandDialog> &d : std::as_const(m_commandDialogs)) {
            if (d)
                d->progress(batchKey, done, total);
        }
    });
    connect(session, &LiveSession::deviceUpdated, this, [this](int id, const QString &, const AdminOutcome &o) {
        if (DeviceEditDialog *d = m_deviceEdits.take(id))
            d->saved(o);
        if (o.ok)
            statusBar()->showMessage(o.message.isEmpty() ? tr("Saved in the cloud.") : o.message, 10000);
    });
    connect(session, &LiveSession::administered, this,
            [this](int id, const FleetAdminRequest &request, const AdminOutcome &o) {
                // The store holds the cloud's lists before the dialog hears.
                if (m_cloudGroups)
                    m_cloudGroups->setGroups(cloudGroupRows());
                if (AdminDialog *d = m_adminDialogs.take(id))
                    d->finished(o);
                if (request.kind == FleetAdminRequest::Kind::MoveDevices && !o.changed.isEmpty())
                    statusBar()->showMessage(tr("%n vehicle(s) moved to %1.", nullptr, int(o.changed.size()))
                                                 .arg(request.toAccount),
                                             10000);
            });
    connect(session, &LiveSession::vehiclesRemoved, this, &MainWindow::removeVehicles);
    connect(session, &LiveSession::located, this, [this](int, const LocateOutcome &o) {
        if (!o.error.isEmpty())
            statusBar()->showMessage(tr("Locate now: %1").arg(o.error), 10000);
        else if (!o.withoutFix.isEmpty())
            statusBar()->showMessage(tr("Located %1 of %2 vehicles; the cloud has no fix for the others.")
                                         .arg(o.located)
                                         .arg(o.asked),
                                     10000);
        else
            statusBar()->showMessage(tr("Located %n vehicle(s) now.", nullptr, o.located), 10000);
    });
    connect(session, &LiveSession::locationShared, this, [this](int, const QUrl &url, const QString &error) {
        if (!error.isEmpty() || !url.isValid()) {
            statusBar()->showMessage(tr("Share location: %1").arg(error.isEmpty() ? tr("the cloud gave no link") : error),
                                     10000);
            return;
        }
        QGuiApplication::clipboard()->setText(url.toString());
        statusBar()->showMessage(tr("The link to the vehicle's live position is on the clipboard."), 10000);
    });
    connect(session, &LiveSession::storeChanged, m_attention, &AlarmAttention::storeChanged);
    connect(session, &LiveSession::deviceAckDone, m_alarms,
            [this](int, const AlarmDeviceAck &answer) { m_alarms->deviceAckAnswered(answer); });
    connect(session, &LiveSession::alarmMediaFetched, m_alarms,
            [this](int, const AlarmMediaOutcome &outcome) { m_alarms->alarmMediaFetched(outcome); });
    connect(session, &LiveSession::alarmActionsDone, this, [this](int, bool committed) {
        if (!committed)
            statusBar()->showMessage(tr("Your step on the alarms could not be saved: the database refused it."), 10000);
    });
    // A demo's fleet drives on roads of its own: draw them, or its tracks
    // cut through the basemap's buildings.
    const QByteArray roads =
        session->settings().embeddedCloud ? session->settings().embeddedCloud->mapOverlay() : QByteArray();
    if (!roads.isEmpty()) {
        if (!m_roads) {
            m_roads = new Map::GeoJsonLayer(this);
            m_map->addOverlay(m_roads);
        }
        m_roads->load(roads);
        m_roads->setVisible(m_roadsAction->isChecked());
        m_roadsAction->setVisible(true);
    }
}

void MainWindow::editAlarmSettings()
{
    AlarmSettingsDialog dialog(m_settings->alarmSeverities(), m_settings->alarmFoldSeconds(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    applyAlarmSettings(dialog.severities(), dialog.foldSeconds());
}

void MainWindow::applyAlarmSettings(const AlarmSeverities &severities, int foldSeconds)
{
    m_settings->setAlarmSeverities(severities);
    m_settings->setAlarmFoldSeconds(foldSeconds);
    m_alarms->setSeverities(severities);
    m_attention->setSeverities(severities);
    m_attention->check();
    updateAlarmPulses();
}

void MainWindow::buildAttention()
{
    m_attention = new AlarmAttention(this);
    m_sounds = new AlarmSounds(this);
    m_attention->setSeverities(m_settings->alarmSeverities());
    m_attention->setMuted(m_settings->alarmsMuted());
    m_attention->setDoNotDisturb(m_settings->alarmDoNotDisturb());
    m_attention->setWindowHidden([this] { return !isVisible() || isMinimized(); });
    connect(m_attention, &AlarmAttention::soundRequested, m_sounds, &AlarmSounds::play);
    connect(m_attention, &AlarmAttention::alerted, this, [this] { m_pulseTimer.start(); });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(QStringLiteral("FleetDesk"));
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            showNormal();
            raise();
            activateWindow();
            m_alarmDock->show();
            m_alarmDock->raise();
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        connect(m_attention, &AlarmAttention::notificationRequested, this,
                [this](const QString &title, const QString &body, AlarmSeverity severity) {
                    m_tray->showMessage(title, body,
                                        severity == AlarmSeverity::Critical ? QSystemTrayIcon::Critical
                                                                            : QSystemTrayIcon::Warning,
                                        severity == AlarmSeverity::Critical ? 0 : 10000);
                });
    }

    // The sound controls, beside "Acting as …".
    auto *button = new QToolButton(m_alarms);
    button->setObjectName(QStringLiteral("alarmSoundButton"));
    button->setPopupMode(QToolButton::InstantPopup);
    button->setAutoRaise(true);
    auto *menu = new QMenu(button);
    QAction *mute = menu->addAction(tr("&Mute alarm sounds"));
    mute->setCheckable(true);
    mute->setChecked(m_attention->isMuted());
    QAction *dnd = menu->addAction(tr("&Do not disturb for non-critical alarms"));
    dnd->setCheckable(true);
    dnd->setChecked(m_attention->doNotDisturb());
    menu->addSeparator();
    for (const auto &[text, minutes] : {std::pair{tr("Snooze for &5 minutes"), 5}, std::pair{tr("Snooze for &15 minutes"), 15},
                                        std::pair{tr("Snooze for &1 hour"), 60}}) {
        const int ms = minutes * 60 * 1000;
        connect(menu->addAction(text), &QAction::triggered, this, [this, ms] { m_attention->snooze(ms); });
    }
    QAction *resume = menu->addAction(tr("&Resume sounds"));
    connect(resume, &QAction::triggered, this, [this] { m_attention->snooze(0); });
    button->setMenu(menu);
    const auto label = [this, button, resume] {
        const bool quiet = m_attention->isMuted() || m_attention->isSnoozed();
        button->setText(m_attention->isMuted()     ? tr("Sound: muted")
                        : m_attention->isSnoozed() ? tr("Sound: snoozed")
                        : m_attention->doNotDisturb() ? tr("Sound: critical only")
                                                      : tr("Sound: on"));
        button->setIcon(style()->standardIcon(quiet ? QStyle::SP_MediaVolumeMuted : QStyle::SP_MediaVolume));
        resume->setEnabled(m_attention->isSnoozed());
    };
    connect(mute, &QAction::toggled, this, [this, label](bool on) {
        m_attention->setMuted(on);
        m_settings->setAlarmsMuted(on);
        label();
    });
    connect(dnd, &QAction::toggled, this, [this, label](bool on) {
        m_attention->setDoNotDisturb(on);
        m_settings->setAlarmDoNotDisturb(on);
        label();
    });
    connect(m_attention, &AlarmAttention::snoozeChanged, this, label);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    label();
    m_alarms->addFooterWidget(button);
}

void MainWindow::showAlarm(const QString &imei, double lat, double lng, bool hasPlace)
{
    setFollowing(false);
    selectVehicle(imei, !hasPlace);
    if (!hasPlace) {
        m_alarmSpots->clearMark();
        return;
    }
    m_autoFit = false;
    m_map->setCentre(lat, lng);
    m_alarmSpots->setMark(lat, lng);
}

bool MainWindow::raiseDemoAlarm(const QString &typeId)
{
    const std::shared_ptr<EmbeddedCloud> cloud = m_demoCloud.lock();
    if (!cloud)
        return false;
    if (m_selected.isEmpty()) {
        statusBar()->showMessage(tr("Select a vehicle first: the alarm is raised on the selected vehicle."), 5000);
        return false;
    }
    return cloud->raiseAlarm(m_selected, typeId);
}

void MainWindow::replayRange(const QString &imei, const QDateTime &from, const QDateTime &to)
{
    m_playback->setCustomRange(from, to);
    replayVehicle(imei);
}

void MainWindow::updateAlarmPulses()
{
    AlarmListModel *alarms = m_alarms->model();
    if (!alarms->reader().isOpen()) {
        m_alarmSpots->setPulses({});
        return;
    }
    AlarmFilter f;
    f.states = {AlarmState::New};
    f.typeIds = alarms->severities().codes(AlarmSeverity::Critical);
    const QList<AlarmDeskRow> rows = alarms->reader().alarmDesk(f, {}, 200);
    QList<QPointF> places;
    QSet<QString> seen;
    for (const AlarmDeskRow &r : rows) {
        if (seen.contains(r.alarm.imei))
            continue;
        seen.insert(r.alarm.imei);
        // Around the vehicle where it is now; where it raised the alarm when unknown.
        const VehicleSnapshot *v = m_model->vehicle(r.alarm.imei);
        if (v && v->location.fix)
            places.append(Map::project(v->location.fix->lat, v->location.fix->lng));
        else if (r.alarm.lat && r.alarm.lng)
            places.append(Map::project(*r.alarm.lat, *r.alarm.lng));
    }
    m_alarmSpots->setPulses(places);
}

QStringList MainWindow::selectedVehicles() const
{
    const QStringList list = m_panel->selectedVehicles();
    if (!m_selected.isEmpty() && !list.contains(m_selected))
        return {m_selected};
    return list.isEmpty() && !m_selected.isEmpty() ? QStringList{m_selected} : list;
}

void MainWindow::fillVehicleMenu(QMenu &menu, const QStringList &imeis)
{
    if (imeis.isEmpty())
        return;
    const QString imei = imeis.first();
    const bool one = imeis.size() == 1;
    if (one) {
        connect(menu.addAction(tr("&Replay track")), &QAction::triggered, this, [this, imei] { replayVehicle(imei); });
        connect(menu.addAction(tr("&Follow")), &QAction::triggered, this, [this, imei] {
            selectVehicle(imei, true);
            setFollowing(true);
        });
        const VehicleSnapshot *v = m_model->vehicle(imei);
        if (v && cameraLayout(v->device.model).dashcam) {
            connect(menu.addAction(tr("&Cameras")), &QAction::triggered, this, [this, imei] { openCameras(imei); });
            connect(menu.addAction(tr("Recor&dings…")), &QAction::triggered, this,
                    [this, imei] { openRecordings(imei); });
            connect(menu.addAction(tr("&Photos and clips…")), &QAction::triggered, this,
                    [this, imei] { openGallery(imei); });
        }
        menu.addSeparator();
    }
    connect(menu.addAction(one ? tr("&Send command…") : tr("&Send command to %n vehicles…", nullptr, int(imeis.size()))),
            &QAction::triggered, this, [this, imeis] { openSendCommand(imeis); });
    connect(menu.addAction(one ? tr("&Locate now") : tr("&Locate %n vehicles now", nullptr, int(imeis.size()))),
            &QAction::triggered, this, [this, imeis] { locateNow(imeis); });
    QMenu *groups = menu.addMenu(tr("Add to &group"));
    for (const LocalGroup &g : m_panel->localGroups()->groups()) {
        const QString name = g.name;
        connect(groups->addAction(name), &QAction::triggered, this, [this, name, imeis] {
            LocalGroupChange c;
            c.kind = LocalGroupChange::Kind::Add;
            c.name = name;
            c.imeis = imeis;
            if (m_session)
                m_session->changeLocalGroups({c});
        });
    }
    groups->addSeparator();
    connect(groups->addAction(tr("&New group…")), &QAction::triggered, this,
            [this, imeis] { m_panel->localGroups()->createGroup(imeis); });
    if (one) {
        connect(menu.addAction(tr("S&hare location")), &QAction::triggered, this, [this, imei] { shareLocation(imei); });
        connect(menu.addAction(tr("&Edit vehicle…")), &QAction::triggered, this, [this, imei] { editVehicle(imei); });
    }
    connect(menu.addAction(tr("Mo&ve to another account…")), &QAction::triggered, this,
            [this, imeis] { openMoveDevices(imeis); });
    connect(menu.addAction(tr("App &users…")), &QAction::triggered, this, [this, imeis] { openAppUsers(imeis); });
}

DeviceEditDialog *MainWindow::editVehicle(const QString &imei)
{
    const VehicleSnapshot *v = imei.isEmpty() ? nullptr : m_model->vehicle(imei);
    if (!v) {
        statusBar()->showMessage(tr("Select a vehicle first."), 5000);
        return nullptr;
    }
    auto *dialog = new DeviceEditDialog(v->device, v->location.odometerKm, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<DeviceEditDialog> guard(dialog);
    connect(dialog, &DeviceEditDialog::saveRequested, this,
            [this, guard](const QString &id, const DeviceUpdate &update) {
                if (!m_session) {
                    if (guard)
                        guard->saved(AdminOutcome::failure(tr("The session is not running.")));
                    return;
                }
                m_deviceEdits.insert(m_session->updateDevice(id, update), guard);
            });
    dialog->show();
    return dialog;
}

void MainWindow::showAdminDialog(AdminDialog *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<AdminDialog> guard(dialog);
    connect(dialog, &AdminDialog::requested, this, [this, guard](const FleetAdminRequest &request) {
        if (!m_session) {
            if (guard)
                guard->finished(AdminOutcome::failure(tr("The session is not running.")));
            return;
        }
        m_adminDialogs.insert(m_session->administer(request), guard);
    });
    dialog->show();
}

QList<AdminVehicle> MainWindow::adminVehicles(const QStringList &imeis)
{
    QList<AdminVehicle> vehicles;
    for (const QString &imei : imeis) {
        if (const VehicleSnapshot *v = m_model->vehicle(imei))
            vehicles.append(AdminVehicle{imei, v->displayName()});
    }
    if (vehicles.isEmpty())
        statusBar()->showMessage(tr("Select a vehicle first."), 5000);
    return vehicles;
}

QList<CloudGroupRow> MainWindow::cloudGroupRows()
{
    QList<CloudGroupRow> rows;
    if (!m_groupsReader || !m_groupsReader->isOpen())
        return rows;
    QHash<QString, int> counts;
    for (const Device &d : m_groupsReader->devices())
        ++counts[d.groupId];
    for (const DeviceGroup &g : m_groupsReader->groups())
        rows.append(CloudGroupRow{g.id, g.name, counts.value(g.id)});
    return rows;
}

CloudGroupsDialog *MainWindow::openCloudGroups()
{
    if (m_cloudGroups) {
        m_cloudGroups->raise();
        m_cloudGroups->activateWindow();
        return m_cloudGroups;
    }
    auto *dialog = new CloudGroupsDialog(m_session ? m_session->account() : QString(), this);
    dialog->setGroups(cloudGroupRows());
    m_cloudGroups = dialog;
    showAdminDialog(dialog);
    return dialog;
}

MoveDevicesDialog *MainWindow::openMoveDevices(const QStringList &imeis)
{
    const QList<AdminVehicle> vehicles = adminVehicles(imeis);
    if (vehicles.isEmpty())
        return nullptr;
    const QString from = m_session ? m_session->account() : QString();
    // The accounts the store has met (devices moved before, detail records).
    QStringList known;
    if (m_groupsReader && m_groupsReader->isOpen()) {
        for (const DeviceDeparture &d : m_groupsReader->departures())
            if (!known.contains(d.toAccount))
                known.append(d.toAccount);
    }
    known.sort();
    auto *dialog = new MoveDevicesDialog(vehicles, from, known, this);
    showAdminDialog(dialog);
    return dialog;
}

ExpiryDialog *MainWindow::openExpiry()
{
    if (m_expiry) {
        m_expiry->raise();
        m_expiry->activateWindow();
        return m_expiry;
    }
    auto *dialog = new ExpiryDialog(
        [this](const QDateTime &until) {
            return m_groupsReader && m_groupsReader->isOpen() ? m_groupsReader->expiringDevices(until)
                                                              : QList<Device>();
        },
        m_clock->nowUtc(), this);
    m_expiry = dialog;
    showAdminDialog(dialog);
    return dialog;
}

AppUsersDialog *MainWindow::openAppUsers(const QStringList &imeis)
{
    const QList<AdminVehicle> vehicles = adminVehicles(imeis);
    if (vehicles.isEmpty())
        return nullptr;
    auto *dialog = new AppUsersDialog(vehicles, this);
    showAdminDialog(dialog);
    return dialog;
}

SendCommandDialog *MainWindow::openSendCommand(const QStringList &imeis)
{
    QList<CommandTarget> targets;
    for (const QString &imei : imeis) {
        const VehicleSnapshot *v = m_model->vehicle(imei);
        if (!v)
            continue;
        targets.append(CommandTarget{imei, v->displayName(), v->device.model, v->location.speedKmh()});
    }
    if (targets.isEmpty()) {
        statusBar()->showMessage(tr("Select a vehicle first."), 5000);
        return nullptr;
    }
    auto *dialog = new SendCommandDialog(targets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setOperatorName(m_settings->alarmOperator());
    dialog->setGatewayAvailable(m_session && m_session->hasInstructionGateway());
    dialog->setFuelCutWarnSpeed(m_settings->fuelCutWarnKmh());
    m_commandDialogs.removeAll(nullptr);
    m_commandDialogs.append(dialog);
    QPointer<SendCommandDialog> guard(dialog);
    connect(dialog, &SendCommandDialog::templatesWanted, this,
            [this, guard](const QString &imei, const QString &model, bool refresh) {
                if (m_session)
                    m_session->commandTemplates(imei, model, refresh);
                else if (guard)
                    guard->templatesLoaded(imei, {}, tr("The session is not running."));
            });
    connect(dialog, &SendCommandDialog::sendRequested, this, [this, guard](const CommandOrder &order) {
        if (!m_session) {
            if (guard)
                guard->refused(CommandRefusal{CommandRefusal::Kind::NoVehicles, {}});
            return;
        }
        m_commandSends.insert(m_session->sendCommand(order), guard);
        m_commandsDock->show();
    });
    dialog->show();
    dialog->start();
    return dialog;
}

int MainWindow::locateNow(const QStringList &imeis)
{
    if (imeis.isEmpty() || !m_session) {
        statusBar()->showMessage(imeis.isEmpty() ? tr("Select a vehicle first.") : tr("The session is not running."),
                                 5000);
        return 0;
    }
    statusBar()->showMessage(tr("Asking the cloud where %n vehicle(s) are now…", nullptr, int(imeis.size())), 5000);
    return m_session->locateNow(imeis);
}

int MainWindow::shareLocation(const QString &imei)
{
    if (imei.isEmpty() || !m_session) {
        statusBar()->showMessage(imei.isEmpty() ? tr("Select a vehicle first.") : tr("The session is not running."),
                                 5000);
        return 0;
    }
    return m_session->shareLocation(imei);
}

void MainWindow::reloadLocalGroups()
{
    if (!m_groupsReader || !m_groupsReader->isOpen())
        return;
    const QList<LocalGroup> groups = m_groupsReader->localGroups();
    m_panel->localGroups()->setGroups(groups);
    m_playback->setLocalGroups(groups);
}

void MainWindow::applyGroupLimit(const std::optional<QSet<QString>> &imeis)
{
    m_groupLimit = imeis;
    // The map shows the chosen group's vehicles only.
    Map::VehicleLayer *layer = m_map->vehicleLayer();
    layer->clear();
    QList<std::pair<QString, Map::VehicleMarker>> markers;
    for (int g = 0; g < m_model->rowCount(); ++g) {
        const QModelIndex group = m_model->index(g, 0);
        for (int r = 0; r < m_model->rowCount(group); ++r) {
            const VehicleSnapshot *v = m_model->vehicle(m_model->index(r, 0, group).data(FleetTreeModel::ImeiRole).toString());
            if (v && onMap(v->imei()))
                markers.append({v->imei(), markerOf(*v)});
        }
    }
    layer->upsertMany(markers);
    layer->setSelected(m_selected);
    m_map->vehiclesMoved();
}

void MainWindow::showLastCommands()
{
    m_details->setCommands(m_selected.isEmpty() ? QList<CommandRecord>()
                                                : m_commands->model()->lastCommands(m_selected, 5));
}

void MainWindow::replayVehicle(const QString &imei)
{
    m_playbackDock->show();
    m_playbackDock->raise();
    if (imei.isEmpty())
        return;
    m_playback->addVehicle(imei);
    m_playback->show();
}

void MainWindow::setClock(Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
    m_details->setClock(m_clock);
    showStatus(m_status);
}

Map::VehicleMarker MainWindow::markerOf(const VehicleSnapshot &v)
{
    Map::VehicleMarker m;
    if (v.location.fix) {
        m.world = Map::project(v.location.fix->lat, v.location.fix->lng);
        m.headingDeg = v.location.fix->courseDeg;
        m.fixTime = v.location.fix->gpsTime;
    } else {
        m.world = QPointF(std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN());
    }
    m.status = v.status;
    m.label = v.displayName();
    return m;
}

void MainWindow::loadFleet(const QList<VehicleSnapshot> &all)
{
    m_model->reset(all);
    m_playback->refreshNames();
    Map::VehicleLayer *layer = m_map->vehicleLayer();
    layer->clear();
    QList<std::pair<QString, Map::VehicleMarker>> markers;
    markers.reserve(all.size());
    for (const VehicleSnapshot &v : all) {
        if (onMap(v.imei()))
            markers.append({v.imei(), markerOf(v)});
    }
    layer->upsertMany(markers);
    const QString selected = m_settings->selectedVehicle();
    if (!selected.isEmpty() && m_model->vehicle(selected))
        selectVehicle(selected, false);
    autoFit();
    if (!m_settings->followedVehicle().isEmpty() && m_settings->followedVehicle() == m_selected)
        setFollowing(true);
    m_vehiclesLabel->setText(tr("%n vehicles", nullptr, m_model->vehicleCount()));
    Q_EMIT fleetLoaded(m_model->vehicleCount());
}

void MainWindow::autoFit()
{
    if (!m_autoFit)
        return;
    // Whoever else moves the map (the user, a menu, follow, a caller) ends it.
    if (m_autoFitCentre
        && (m_map->viewport().centre() != *m_autoFitCentre || m_map->viewport().zoom() != m_autoFitZoom)) {
        m_autoFit = false;
        return;
    }
    const QRectF bounds = m_map->vehicleLayer()->worldBounds();
    if (bounds.isNull())
        return;
    m_map->fitWorldRect(bounds);
    m_autoFitCentre = m_map->viewport().centre();
    m_autoFitZoom = m_map->viewport().zoom();
}

void MainWindow::updateFleet(const QList<VehicleSnapshot> &changed)
{
    // A pulse follows its vehicle.
    if (!m_alarmSpots->pulses().isEmpty() && !m_pulseTimer.isActive())
        m_pulseTimer.start();
    m_model->apply(changed);
    // The playback's chooser names vehicles as the fleet does, once it knows them.
    m_playback->refreshNames();
    QList<std::pair<QString, Map::VehicleMarker>> markers;
    markers.reserve(changed.size());
    for (const VehicleSnapshot &v : changed) {
        if (onMap(v.imei()))
            markers.append({v.imei(), markerOf(v)});
        if (v.imei() == m_selected)
            m_details->setVehicle(v);
    }
    m_map->vehicleLayer()->upsertMany(markers);
    m_map->vehiclesMoved();
    m_vehiclesLabel->setText(tr("%n vehicles", nullptr, m_model->vehicleCount()));
    // A first start fills the fleet in as the first sync delivers it: show
    // it when it arrives, and the vehicle selected last time once it is there.
    autoFit();
    if (m_selected.isEmpty()) {
        const QString saved = m_settings->selectedVehicle();
        if (!saved.isEmpty() && m_model->vehicle(saved))
            selectVehicle(saved, false);
    }
}

void MainWindow::removeVehicles(const QStringList &imeis)
{
    m_model->remove(imeis);
    for (const QString &imei : imeis)
        m_map->vehicleLayer()->remove(imei);
    if (imeis.contains(m_selected)) {
        m_selected.clear();
        m_details->setVehicle(std::nullopt);
    }
    m_vehiclesLabel->setText(tr("%n vehicles", nullptr, m_model->vehicleCount()));
    if (m_cloudGroups)
        m_cloudGroups->setGroups(cloudGroupRows());
}

void MainWindow::selectVehicle(const QString &imei, bool centre)
{
    const VehicleSnapshot *v = m_model->vehicle(imei);
    if (!v)
        return;
    if (imei != m_selected) {
        m_selected = imei;
        m_map->vehicleLayer()->setSelected(imei);
        m_details->setVehicle(*v);
        m_panel->selectVehicle(imei);
        m_alarms->setSelectedVehicle(imei, v->displayName());
        m_commands->setSelectedVehicle(imei);
        showLastCommands();
        if (!m_map->followed().isEmpty() && m_map->followed() != imei)
            m_map->setFollowed(imei);
    }
    if (centre && v->location.fix) {
        const double zoom = std::max(m_map->viewport().zoom(), 14.0);
        m_map->setView(Map::project(v->location.fix->lat, v->location.fix->lng), zoom);
    }
}

void MainWindow::setFollowing(bool follow)
{
    if (follow && m_selected.isEmpty())
        follow = false;
    if (m_followAction && m_followAction->isChecked() != follow)
        m_followAction->setChecked(follow); // re-enters through toggled
    m_map->setFollowed(follow ? m_selected : QString());
}

void MainWindow::showStatus(const SessionStatus &status)
{
    m_status = status;
    const QDateTime now = m_clock->nowUtc();
    if (m_timeLabel->isVisibleTo(this) || status.demo)
        m_timeLabel->setText(
            tr("Simulated time: %1").arg(QLocale().toString(now.toLocalTime(), QStringLiteral("ddd d MMM, HH:mm"))));
    QString cloud;
    QString cloudTip = status.cloudDetail;
    bool problem = false;
    // The countdown is in real time, whatever time a demo's fleet lives in.
    const qint64 signInIn = status.signInAt.isValid() ? Clock::system()->nowUtc().msecsTo(status.signInAt) : 0;
    switch (status.cloud) {
    case SessionStatus::Cloud::Off: cloud = tr("Cloud: not connected"); break;
    case SessionStatus::Cloud::Connecting: cloud = tr("Cloud: connecting…"); break;
    case SessionStatus::Cloud::Connected:
        cloud = status.demo ? tr("Cloud: simulated, connected") : tr("Cloud: connected");
        break;
    case SessionStatus::Cloud::Failing:
        problem = true;
        if (status.cloudDetail.isEmpty()) {
            cloud = status.accountRefused ? tr("Cloud: sign-in refused") : tr("Cloud: failing");
        } else {
            // The whole text is in the tooltip.
            const QString detail = status.cloudDetail.size() > 90 ? status.cloudDetail.left(88) + QStringLiteral("…")
                                                                  : status.cloudDetail;
            cloud = status.accountRefused ? tr("Cloud: sign-in refused: %1").arg(detail)
                                          : tr("Cloud: failing: %1").arg(detail);
        }
        break;
    }
    const int signInSecs = int((signInIn + 999) / 1000);
    if (signInIn > 0 && status.accountRefused) {
        // Still refused; FleetDesk tries again later on its own.
        cloud += signInSecs < 120 ? tr(" (next try in %n s)", nullptr, signInSecs)
                                  : tr(" (next try in %n min)", nullptr, (signInSecs + 59) / 60);
    } else if (signInIn > 0) {
        // Held back by the cloud's rule, not stuck: say so, and for how long.
        cloud = tr("Cloud: signing in in %n s (the cloud allows one sign-in a minute)", nullptr, signInSecs);
        cloudTip = tr("Tracksolid Pro answers a second sign-in within a minute with an error, and counts that "
                      "error as a sign-in too. FleetDesk waits until the minute is over.");
    }
    m_cloudLabel->setText(cloud);
    // A tooltip takes markup when it looks like markup: the cloud's words
    // go in escaped.
    m_cloudLabel->setToolTip(cloudTip.toHtmlEscaped());
    m_cloudLabel->setStyleSheet(problem ? QStringLiteral("color: #d93025") : QString());
    m_editAccountButton->setVisible(problem && !status.demo);
    m_sweepLabel->setText(
        status.lastSweep.isValid()
            ? tr("Last sweep %1 (%2)").arg(localTime(status.lastSweep), agoText(status.lastSweep, now))
            : tr("No sweep yet"));
    QString webhook = status.webhookListening
        ? tr("Webhook: %1, %n pushes", nullptr, int(std::min<qint64>(status.pushRequests, INT_MAX)))
              .arg(status.webhookAddress)
        : tr("Webhook: off");
    // What the cloud sends and we cannot take is the cloud's configuration
    // to fix (a token that does not match) or content to look at.
    if (status.webhookListening && status.pushUnauthorized > 0)
        webhook += tr(", %n refused: wrong token", nullptr, int(std::min<qint64>(status.pushUnauthorized, INT_MAX)));
    else if (status.webhookListening && status.pushRefused > 0)
        webhook += tr(", %n refused", nullptr, int(std::min<qint64>(status.pushRefused, INT_MAX)));
    if (status.webhookListening && status.pushQuarantined > 0)
        webhook += tr(", %n unreadable", nullptr, int(std::min<qint64>(status.pushQuarantined, INT_MAX)));
    m_webhookLabel->setText(webhook);
    m_webhookLabel->setStyleSheet(status.webhookListening && (status.pushRefused > 0 || status.pushQuarantined > 0)
                                      ? QStringLiteral("color: #d93025")
                                      : QString());
    m_webhookLabel->setToolTip(
        status.webhookListening
            ? tr("%1 items received, %2 requests refused (%3 with a missing or wrong token), %4 items kept in the "
                 "quarantine because they could not be read.%5")
                  .arg(status.pushItems)
                  .arg(status.pushRefused)
                  .arg(status.pushUnauthorized)
                  .arg(status.pushQuarantined)
                  .arg(status.pushUnauthorized > 0 ? tr(
                           "\nThe token in the push configuration of the Tracksolid Pro account must be the one in "
                           "File → Account….")
                                                   : QString())
            : QString());
    if (status.databaseError.isEmpty()) {
        m_databaseLabel->setText(status.pendingRows > 0 ? tr("Database: OK, %1 rows queued").arg(status.pendingRows)
                                                        : tr("Database: OK"));
        m_databaseLabel->setStyleSheet(QString());
    } else {
        m_databaseLabel->setText(tr("Database: write failed, data held for retry"));
        m_databaseLabel->setStyleSheet(QStringLiteral("color: #d93025"));
    }
    m_databaseLabel->setToolTip(
        (status.databaseError.isEmpty() ? status.databasePath : status.databaseError).toHtmlEscaped());
}

QString MainWindow::failureText(const SessionFailure &failure)
{
    switch (failure.kind) {
    case SessionFailure::Kind::EmbeddedCloudCannotListen:
        return tr("The simulated cloud could not listen on 127.0.0.1.");
    case SessionFailure::Kind::IngestCannotStart: return tr("The session could not start: %1").arg(failure.detail);
    }
    return failure.detail;
}

void MainWindow::sessionFailed(const SessionFailure &failure)
{
    const QString message = failureText(failure);
    m_cloudLabel->setText(tr("Not running: %1").arg(message));
    QMessageBox::critical(this, tr("FleetDesk could not start"), message);
}

void MainWindow::chooseTileSource(const QString &specText)
{
    std::optional<Map::TileSourceSpec> spec = Map::TileSourceSpec::fromString(specText);
    if (!spec)
        spec = Map::TileSourceSpec::openStreetMap();
    QString error;
    std::unique_ptr<Map::TileSource> source = Map::createTileSource(*spec, &error);
    if (!source) {
        QMessageBox::warning(this, tr("Map tiles"), tr("This tile source cannot be used: %1").arg(error));
        if (m_map->tileLayer()->source())
            return;
        spec = Map::TileSourceSpec::offline();
        source = Map::createTileSource(*spec, &error);
    }
    m_map->tileLayer()->setSource(std::move(source));
    m_settings->setTileSource(spec->toString());
    for (QAction *a : m_sourceGroup->actions())
        a->setChecked(a->data().toString() == spec->toString());
}

void MainWindow::openMbTiles()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open MBTiles file"), QString(),
                                                      tr("MBTiles (*.mbtiles);;All files (*)"));
    if (path.isEmpty())
        return;
    chooseTileSource(Map::TileSourceSpec::mbTiles(path).toString());
}

void MainWindow::customTileUrl()
{
    bool ok = false;
    const QString url = QInputDialog::getText(
        this, tr("Tile server"),
        tr("URL template with {z}, {x} and {y} (and optionally {s}), e.g.\nhttps://tile.example.org/{z}/{x}/{y}.png"),
        QLineEdit::Normal, QString(), &ok);
    if (!ok || url.trimmed().isEmpty())
        return;
    chooseTileSource(Map::TileSourceSpec::xyz(url.trimmed()).toString());
}

void MainWindow::restoreView()
{
    if (m_settings->mapZoom() > 0) {
        m_map->setView(m_settings->mapCentre(), m_settings->mapZoom());
        m_autoFit = false; // the view of last time wins
    }
}

void MainWindow::applyTheme(AppSettings::Theme theme)
{
    static const QPalette systemPalette = QApplication::palette();
    static const QString systemStyle = QApplication::style()->name();
    switch (theme) {
    case AppSettings::Theme::System:
        QApplication::setStyle(QStyleFactory::create(systemStyle));
        QApplication::setPalette(systemPalette);
        break;
    case AppSettings::Theme::Light:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case AppSettings::Theme::Dark:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
        break;
    }
    updateDarkStyle();
}

void MainWindow::updateDarkStyle()
{
    m_map->setDarkStyle(QApplication::palette().color(QPalette::Window).lightness() < 128);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        updateDarkStyle();
    QMainWindow::changeEvent(event);
}

void MainWindow::saveState()
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(QMainWindow::saveState());
    m_settings->setFleetListHeader(m_panel->saveColumns());
    m_settings->setSelectedVehicle(m_selected);
    m_settings->setFollowedVehicle(m_map->followed());
    m_settings->setMapView(m_map->viewport().centre(), m_map->viewport().zoom());
    m_settings->setAlarmView(m_alarms->stateFilter(), m_alarms->period());
    m_settings->sync();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
}

} // namespace Fleet
