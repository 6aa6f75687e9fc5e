#pragma once

#include "domain/device.h"
#include "domain/timespan.h"
#include "history/trackexport.h"
#include "map/mapwidget.h"
#include "playbackmodel.h"
#include "sync/trackfetcher.h"

#include <QList>
#include <QPointer>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QToolButton;
class QPagedPaintDevice;
class QDateTimeEdit;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QThread;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace Fleet {

class AppSettings;
class Clock;
class LiveSession;
class TimelineWidget;
class TrackLayer;

// Trip and track playback, in a dock under the live map: choose vehicles and
// a range, and the history is read from the store (what the store lacks is
// fetched from the cloud first, shown as it arrives, with progress and a
// Cancel button); then the track on the map, the timeline with its speed
// chart and playhead, play/pause and step, the trip list with totals, the
// details of the fix at the playhead, export and a PDF report.
class PlaybackPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Preset { Today, Yesterday, Last24h, ThisWeek, Custom };

    PlaybackPanel(Map::MapWidget *map, AppSettings *settings, QWidget *parent = nullptr);
    ~PlaybackPanel() override;

    // The session whose store and cloud it reads; null: none (the panel then
    // says it has nothing to show).
    void setSession(LiveSession *session);
    // "Now" for the presets (the session's: a demo's fleet time).
    void setClock(Clock *clock);
    // A name for each IMEI (the fleet's), for the chooser.
    void setNameLookup(std::function<QString(const QString &imei)> lookup);
    // Names again, once the fleet is known.
    void refreshNames();

    void addVehicle(const QString &imei);
    // The desk's own groups, offered as "Add group": each adds its vehicles.
    void setLocalGroups(const QList<LocalGroup> &groups);
    QToolButton *addGroupButton() const { return m_addGroup; }
    void removeVehicle(const QString &imei);
    QStringList vehicles() const;
    void setPreset(Preset preset);
    void setCustomRange(const QDateTime &from, const QDateTime &to);
    TimeSpan range() const;
    static TimeSpan presetRange(Preset preset, const QDateTime &now);

    // Reads (and where needed fetches) the chosen vehicles over the range.
    void show();
    void cancelFetch();

    PlaybackModel *model() const { return m_model; }
    TimelineWidget *timeline() const { return m_timeline; }
    TrackLayer *trackLayer() const { return m_layer; }
    QTreeWidget *tripList() const { return m_trips; }
    QString statusText() const;
    QString pointText() const;

    // The shown range to a file (export formats) or a PDF report.
    bool exportTrack(const QString &path, int format, QString *error) const;
    bool exportTrips(const QString &path, int format, QString *error) const;
    bool savePdf(const QString &path, QString *error) const;
    // The report on any paged device: a PDF file, or a printer.
    bool paintReport(QPagedPaintDevice *device, QString *error) const;

    // A click on the map: the nearest fix within 12 px becomes the playhead
    // (its vehicle the focused one), and its details are shown. False: none near.
    bool pickFix(const QPointF &screenPos);
    // The menu of the track point nearest a place on the map (within 12 px):
    // "Video at this moment" and "Playhead here". Null: no point near. The
    // caller owns it.
    QMenu *trackPointMenu(const QPointF &screenPos);
    // Asks for the video of the focused vehicle at the playhead.
    void requestVideo();

    // Keeps the map on the playhead.
    void setFollowPlayhead(bool follow);
    void fitToTrack();

Q_SIGNALS:
    // A load from the store finished (tests wait for it).
    void loaded();
    void fetchFinished(const Fleet::TrackFetcher::Outcome &outcome);
    // "Video at this moment": the recording of a vehicle at a moment (UTC).
    void videoRequested(const QString &imei, const QDateTime &at);

private:
    struct NearFix
    {
        int vehicle = -1;
        std::size_t fix = 0;
    };
    NearFix nearestFix(const QPointF &screenPos) const;
    void buildUi();
    void load();
    void loadFinished(int generation, const QList<PlaybackModel::Vehicle> &vehicles);
    void trackProgress(int id, int done, int total);
    void trackFetched(int id, const TrackFetcher::Outcome &outcome);
    void fillTrips();
    void tripActivated(QTreeWidgetItem *item);
    void updatePoint();
    void saveSettings();
    void chooseExport(bool trips, int format);
    bool exportShown(const QString &path, bool trips, int format, QString *error) const;
    void choosePdf();
    void printReport();

    QPointer<Map::MapWidget> m_map; // the main window may destroy it first
    AppSettings *m_settings;
    QPointer<LiveSession> m_session;
    Clock *m_clock = nullptr;
    std::function<QString(const QString &)> m_names;
    PlaybackModel *m_model;
    TrackLayer *m_layer;
    TimelineWidget *m_timeline;

    QListWidget *m_vehicleList;
    QToolButton *m_addGroup;
    QComboBox *m_preset;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QPushButton *m_showButton;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    QLabel *m_status;
    QToolButton *m_playButton;
    QComboBox *m_speed;
    QToolButton *m_followButton;
    QLabel *m_point;
    QTreeWidget *m_trips;

    int m_fetchId = 0;
    int m_generation = 0;
    bool m_reloadQueued = false;
    QList<QThread *> m_loaders;
    QString m_missingText;
};

} // namespace Fleet
