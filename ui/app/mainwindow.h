#pragma once

#include "domain/vehiclestatus.h"
#include "settings/appsettings.h"
#include "sync/sessionstatus.h"

#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QSystemTrayIcon;
class QToolButton;

namespace Fleet {

class AlarmAttention;
class AlarmDeskPanel;
class AlarmSounds;
class AlarmSpotLayer;
class Clock;
class CommandsPanel;
class StoreReader;
class AdminDialog;
struct AdminVehicle;
struct CloudGroupRow;
class AppUsersDialog;
class CloudGroupsDialog;
class DeviceEditDialog;
class ExpiryDialog;
class MoveDevicesDialog;
class SendCommandDialog;
class EmbeddedCloud;
class FleetPanel;
class FleetTreeModel;
class LiveSession;
class PlaybackPanel;
class VehicleDetailsWidget;
class MediaGalleryDialog;
class MomentVideo;
class VideoWall;
class RecordingsDialog;
namespace Map {
class GeoJsonLayer;
class MapWidget;
struct VehicleMarker;
} // namespace Map

// The dispatcher's desktop: the live map in the middle, the fleet and the
// selected vehicle's details in docks, the ingest side's health in the
// status bar. Layout, geometry, map view, tile source and the selection are
// restored from AppSettings on the next start.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(AppSettings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows what the session ingests; the window does not own it.
    void attachSession(LiveSession *session, const QString &title);
    // The time "… ago" texts are measured against (attachSession() sets the
    // session's). Not owned; the system's by default.
    void setClock(Clock *clock);

    FleetTreeModel *fleetModel() const { return m_model; }
    Map::MapWidget *map() const { return m_map; }
    FleetPanel *fleetPanel() const { return m_panel; }
    VehicleDetailsWidget *details() const { return m_details; }
    PlaybackPanel *playback() const { return m_playback; }
    QDockWidget *playbackDock() const { return m_playbackDock; }
    AlarmDeskPanel *alarmDesk() const { return m_alarms; }
    QDockWidget *alarmDock() const { return m_alarmDock; }
    VideoWall *videoWall() const { return m_video; }
    QDockWidget *videoDock() const { return m_videoDock; }
    MomentVideo *momentVideo() const { return m_moment; }
    // The recording of a vehicle's dashcam at a moment of its track (UTC).
    bool showMomentVideo(const QString &imei, const QDateTime &at);
    // A vehicle's dashcam photos and clips, and captures on demand.
    MediaGalleryDialog *openGallery(const QString &imei);
    // A fetched photo or clip: clips in FleetDesk's player, the rest with
    // the system's opener (which tests replace).
    bool openMediaFile(const QUrl &localFile);
    void setSystemOpener(std::function<bool(const QUrl &)> opener) { m_systemOpener = std::move(opener); }
    // Opens the vehicle's dashcam channels in the Cameras dock.
    void openCameras(const QString &imei);
    // The vehicle's dashcam recordings (a dialog, listing the chosen day at
    // once); null when it has no dashcam.
    RecordingsDialog *openRecordings(const QString &imei);
    // "Send command…" for the vehicles (a dialog; its answers come from the
    // session). Null when none of them is known.
    SendCommandDialog *openSendCommand(const QStringList &imeis);
    // "Locate now": the vehicles' positions from the cloud at once; the
    // status bar says how it went. The session's request id (0: none).
    int locateNow(const QStringList &imeis);
    // "Share location": the cloud's link to the clipboard.
    int shareLocation(const QString &imei);
    // "Edit vehicle…": the device's record, saved to the cloud first.
    DeviceEditDialog *editVehicle(const QString &imei);
    // Fleet administration in the cloud: its groups, moving vehicles to a
    // sub-account, service expiry, app users.
    CloudGroupsDialog *openCloudGroups();
    MoveDevicesDialog *openMoveDevices(const QStringList &imeis);
    ExpiryDialog *openExpiry();
    AppUsersDialog *openAppUsers(const QStringList &imeis);
    CommandsPanel *commandsPanel() const { return m_commands; }
    QDockWidget *commandsDock() const { return m_commandsDock; }
    AlarmSpotLayer *alarmSpots() const { return m_alarmSpots; }
    AlarmAttention *alarmAttention() const { return m_attention; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    // Shows an alarm: selects its vehicle, centres the map on the place and marks it.
    void showAlarm(const QString &imei, double lat, double lng, bool hasPlace);
    // Replays a vehicle over [from, to] (an alarm's moment).
    void replayRange(const QString &imei, const QDateTime &from, const QDateTime &to);
    // The places of unhandled critical alarms pulse: re-read now.
    void updateAlarmPulses();
    // File ▸ Alarm settings…: severities per type and the fold window (the
    // window from the next start; the severities at once).
    void editAlarmSettings();
    void applyAlarmSettings(const AlarmSeverities &severities, int foldSeconds);
    // Demo: the simulated cloud raises an alarm on the selected vehicle.
    bool raiseDemoAlarm(const QString &typeId);
    // Adds the vehicle to the playback, shows the dock and its history.
    void replayVehicle(const QString &imei);
    QString selectedVehicle() const { return m_selected; }
    // The status bar's fields, for tests: "cloud", "sweep", "webhook", "database", "vehicles",
    // "time" (a demo's simulated time).
    QString statusField(const QString &name) const;
    // The status bar's "Edit account…" button, shown while the cloud refuses
    // or fails; for tests.
    QToolButton *editAccountButton() const { return m_editAccountButton; }

    // What the session delivers (public for tests): the whole fleet, then
    // the vehicles that changed, and the ingest side's health.
    void loadFleet(const QList<VehicleSnapshot> &all);
    void updateFleet(const QList<VehicleSnapshot> &changed);
    // Vehicles moved to another account leave the list, the map and the details.
    void removeVehicles(const QStringList &imeis);
    void showStatus(const SessionStatus &status);
    // A session's failure in the user's words.
    static QString failureText(const SessionFailure &failure);

    void selectVehicle(const QString &imei, bool centre);
    void setFollowing(bool follow);
    void applyTheme(AppSettings::Theme theme);

Q_SIGNALS:
    void accountRequested();
    void fleetLoaded(int vehicleCount);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // The vehicle, when it has a dashcam; else null, and said in the status bar.
    const VehicleSnapshot *dashcam(const QString &imei);
    void buildActions();
    void buildStatusBar();
    void sessionFailed(const Fleet::SessionFailure &failure);
    void chooseTileSource(const QString &spec);
    void openMbTiles();
    void customTileUrl();
    void saveState();
    void restoreView();
    // Until the map is moved by anyone else, it shows the whole fleet as it arrives.
    void autoFit();
    void updateDarkStyle();
    void showShortcuts();
    static Map::VehicleMarker markerOf(const VehicleSnapshot &v);
    // The vehicle actions of the map's and the fleet list's context menus.
    void fillVehicleMenu(QMenu &menu, const QStringList &imeis);
    // The selected vehicles: the fleet list's selection when it holds the
    // window's vehicle, else that vehicle alone.
    QStringList selectedVehicles() const;
    // Sends an administration dialog's requests through the session and hands it the answers.
    void showAdminDialog(AdminDialog *dialog);
    QList<CloudGroupRow> cloudGroupRows();
    // The vehicles named, or none (said in the status bar).
    QList<AdminVehicle> adminVehicles(const QStringList &imeis);
    void showLastCommands();
    // The local groups as stored; and the map limited to the chosen one.
    void reloadLocalGroups();
    void applyGroupLimit(const std::optional<QSet<QString>> &imeis);
    bool onMap(const QString &imei) const { return !m_groupLimit || m_groupLimit->contains(imei); }

    AppSettings *m_settings;
    FleetTreeModel *m_model;
    Map::MapWidget *m_map;
    FleetPanel *m_panel;
    VehicleDetailsWidget *m_details;
    QDockWidget *m_fleetDock;
    QDockWidget *m_detailsDock;
    QDockWidget *m_playbackDock;
    QDockWidget *m_alarmDock;
    QDockWidget *m_videoDock;
    QDockWidget *m_commandsDock;
    CommandsPanel *m_commands = nullptr;
    QList<QPointer<SendCommandDialog>> m_commandDialogs;
    QHash<int, QPointer<SendCommandDialog>> m_commandSends; // session request id -> its dialog
    QHash<int, QPointer<DeviceEditDialog>> m_deviceEdits; // session request id -> its dialog
    QHash<int, QPointer<AdminDialog>> m_adminDialogs; // session request id -> its dialog
    QPointer<CloudGroupsDialog> m_cloudGroups;
    QPointer<ExpiryDialog> m_expiry;
    std::unique_ptr<StoreReader> m_groupsReader;
    std::optional<QSet<QString>> m_groupLimit; // the chosen local group's vehicles
    VideoWall *m_video = nullptr;
    MomentVideo *m_moment = nullptr;
    std::function<bool(const QUrl &)> m_systemOpener;
    QPointer<LiveSession> m_session;
    QAction *m_camerasAction = nullptr;
    AlarmDeskPanel *m_alarms = nullptr;
    AlarmSpotLayer *m_alarmSpots = nullptr;
    AlarmAttention *m_attention = nullptr;
    AlarmSounds *m_sounds = nullptr;
    QSystemTrayIcon *m_tray = nullptr; // when the desktop has a tray
    void buildAttention();
    QTimer m_pulseTimer; // coalesces the pulses' re-reads
    QMenu *m_demoMenu = nullptr;
    std::weak_ptr<EmbeddedCloud> m_demoCloud;
    PlaybackPanel *m_playback = nullptr;
    Map::GeoJsonLayer *m_roads = nullptr;
    QAction *m_roadsAction = nullptr;
    QLabel *m_cloudLabel;
    QLabel *m_sweepLabel;
    QLabel *m_webhookLabel;
    QLabel *m_databaseLabel;
    QLabel *m_vehiclesLabel;
    QLabel *m_timeLabel;
    QToolButton *m_editAccountButton;
    QAction *m_followAction = nullptr;
    QActionGroup *m_sourceGroup = nullptr;
    QMenu *m_sourceMenu = nullptr;
    QTimer m_clockTimer;
    Clock *m_clock; // the session's time (a demo's simulated fleet's)
    QString m_selected;
    SessionStatus m_status;
    bool m_autoFit = true;
    std::optional<QPointF> m_autoFitCentre; // the view autoFit() last set

    double m_autoFitZoom = 0;
    QByteArray m_defaultState;
};

} // namespace Fleet
