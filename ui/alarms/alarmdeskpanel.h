#pragma once

#include "alarmlistmodel.h"
#include "savedalarmfilter.h"

#include "sync/alarmdeviceacker.h"
#include "sync/alarmmediafetcher.h"

#include <QSet>

#include <QWidget>

#include <functional>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QToolButton;

namespace Fleet {

class AlarmMediaStrip;
class Clock;

// The alarm desk, in a dock: the list (AlarmListModel) with its filters, the
// steps (acknowledge, resolve, a note) on the selected rows, the selected
// alarm's details and story, Replay, and export. It reads the store itself
// and hands its steps to an action sink (the session's writer).
class AlarmDeskPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AlarmDeskPanel(QWidget *parent = nullptr);
    ~AlarmDeskPanel() override;

    bool open(const QString &databasePath);
    AlarmListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    // Where the steps go (LiveSession::actOnAlarms); without one the steps are off.
    using ActionSink = std::function<void(const QList<AlarmAction> &actions)>;
    void setActionSink(ActionSink sink);
    // Where "Acknowledge on the device" goes (LiveSession::ackOnDevice): set
    // only for an account with an instruction gateway; without one the
    // button is hidden. The answer comes back through deviceAckAnswered().
    using DeviceAckSink = std::function<void(const DeviceAckRequest &request)>;
    void setDeviceAckSink(DeviceAckSink sink);
    void deviceAckAnswered(const AlarmDeviceAck &answer);
    // Sends the acknowledgement for the selected row (one row, whose alarms
    // carry a serial number); false when there is none to send.
    bool ackSelectedOnDevice();
    // The line under the buttons that says how the last one went.
    QString deviceAckStatus() const;
    // Where "look for this alarm's photos and clips in the cloud" goes
    // (LiveSession::fetchAlarmMedia); the answer comes back through
    // alarmMediaFetched(). An alarm whose device named a file (or whose
    // stored media lack their links) is looked up once when first shown;
    // any other on request. Without a sink the store's media are shown alone.
    using MediaSink = std::function<void(const AlarmMediaRequest &request)>;
    void setMediaSink(MediaSink sink);
    void alarmMediaFetched(const AlarmMediaOutcome &outcome);
    AlarmMediaStrip *mediaStrip() const { return m_media; }
    void setOperatorName(const QString &name);
    QString operatorName() const { return m_operator; }
    void setSeverities(const AlarmSeverities &severities);
    // The time the period filter counts back from (the session's); the system's by default.
    void setClock(Clock *clock);

    // A widget of the window's beside "Acting as …" (the sound controls).
    void addFooterWidget(QWidget *widget);

    // The filters as the settings keep them: "unhandled", "new",
    // "acknowledged", "resolved", "all"; "day", "week", "month", "all".
    QString stateFilter() const;
    QString period() const;
    void setView(const QString &state, const QString &period);
    void setSearchText(const QString &text);
    // The vehicle selected in the window: "Only this vehicle" lists its
    // alarms alone (and follows the selection while on).
    void setSelectedVehicle(const QString &imei, const QString &name);
    void setVehicleOnly(bool on);
    bool vehicleOnly() const;

    // Named filters: the current ones saved under a name (replacing one of
    // that name), applied by choosing the name, deleted. The list changes
    // with savedFiltersChanged.
    QList<SavedAlarmFilter> savedFilters() const { return m_saved; }
    void setSavedFilters(const QList<SavedAlarmFilter> &filters);
    SavedAlarmFilter currentFilters(const QString &name) const;
    bool saveFiltersAs(const QString &name);
    bool applySavedFilter(const QString &name);
    bool deleteSavedFilter(const QString &name);
    // The selected rows' first alarm ids.
    QList<qint64> selectedIds() const;
    void selectId(qint64 id);
    // Steps on the selected rows, with the note field's text (then cleared).
    void acknowledgeSelected();
    void resolveSelected();
    void addNoteToSelected();

    // "Alarms — 12 new, 3 acknowledged".
    QString titleText() const;
    // The details of the current row, as shown.
    QString detailsText() const;

    // Writes the rows the filter matches (all of them, not only those
    // loaded) as CSV; false with *error.
    bool exportCsv(const QString &path, QString *error);

Q_SIGNALS:
    void titleChanged(const QString &title);
    // Double-click: show the alarm on the map (hasPlace false: no position).
    void locateRequested(const QString &imei, double lat, double lng, bool hasPlace);
    void replayRequested(const QString &imei, const QDateTime &from, const QDateTime &to);
    // "Cameras": the selected alarm's vehicle, live.
    void camerasRequested(const QString &imei);
    // "Photos and clips" for the selected alarm's vehicle (its gallery).
    void galleryRequested(const QString &imei);
    void operatorChangeRequested();
    void savedFiltersChanged(const QList<Fleet::SavedAlarmFilter> &filters);

private:
    void buildUi();
    void applyFilter();
    void act(AlarmActionKind kind);
    void updateButtons();
    void updateTitle();
    void showDetails();
    void activate(const QModelIndex &index);
    void replaySelected();
    void chooseExport();
    void askSaveFilters();
    void fillSavedMenu();
    // The alarm of the current single selection that a device acknowledgement names.
    std::optional<DeviceAckRequest> deviceAckRequest();
    std::optional<DeviceAckRequest> findDeviceAck(const AlarmDeskRow &row);
    int savedIndex(const QString &name) const;
    void showMedia(const AlarmDeskRow &row);
    void askMedia(qint64 alarmId);
    void forgetMediaAsked();

    AlarmListModel *m_model;
    QTableView *m_view = nullptr;
    QComboBox *m_state = nullptr;
    QComboBox *m_severity = nullptr;
    QComboBox *m_period = nullptr;
    QComboBox *m_group = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_searching = nullptr;
    QToolButton *m_vehicleOnly = nullptr;
    QString m_vehicleImei;
    QComboBox *m_savedBox = nullptr;
    QToolButton *m_saveFilters = nullptr;
    QToolButton *m_deleteFilters = nullptr;
    QList<SavedAlarmFilter> m_saved;
    QLineEdit *m_note = nullptr;
    QPushButton *m_ack = nullptr;
    QPushButton *m_resolve = nullptr;
    QPushButton *m_addNote = nullptr;
    QPushButton *m_replay = nullptr;
    QPushButton *m_cameras = nullptr;
    QPushButton *m_gallery = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_deviceAck = nullptr;
    QLabel *m_deviceAckStatus = nullptr;
    QLabel *m_operatorLabel = nullptr;
    QHBoxLayout *m_footer = nullptr;
    QPlainTextEdit *m_details = nullptr;
    AlarmMediaStrip *m_media = nullptr;
    MediaSink m_mediaSink;
    QSet<qint64> m_mediaAsked; // folds looked up in the cloud in this session
    QSet<qint64> m_mediaAsking; // ... and not answered yet
    bool m_mediaCountShown = false; // the media line says how many (not a fetch, not an error)
    QTimer m_searchDelay;
    ActionSink m_sink;
    DeviceAckSink m_deviceAckSink;
    struct AckTarget
    {
        qint64 id = 0;
        int count = 0;
        bool numbered = false; // the row's own alarm carries a serial number
        std::optional<DeviceAckRequest> request;
    };
    AckTarget m_ackTarget; // the last row asked about
    QString m_operator;
    Clock *m_clock;
};

} // namespace Fleet
