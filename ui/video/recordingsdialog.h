#pragma once

#include "domain/camera.h"
#include "media/recordinglister.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDateEdit;
class QLabel;
class QListWidget;
class QPushButton;

namespace Fleet {

class Clock;
class LiveSession;
class VideoWall;

// "Recordings…" of a vehicle with a dashcam: pick a camera and a day, ask
// the device for its list (it uploads it; meanwhile the dialog says it
// waits for the device), and play a recording, or the next one, in the
// Cameras dock.
class RecordingsDialog : public QDialog
{
    Q_OBJECT
public:
    RecordingsDialog(LiveSession *session, VideoWall *wall, const QString &imei, const QString &vehicle,
                     const QString &model, const QDate &day, QWidget *parent = nullptr);

    // Asks the device for the list of the chosen camera and day.
    void list();
    // Plays the selected recording (or the row given) in the Cameras dock.
    bool play(int row = -1);
    bool playNext();

    QListWidget *segments() const { return m_segments; }
    QString statusText() const;

Q_SIGNALS:
    // A recording went to the Cameras dock.
    void playing();

private:
    void listed(int id, const RecordingLister::Outcome &outcome);
    void updateButtons();

    QPointer<LiveSession> m_session;
    QPointer<VideoWall> m_wall;
    QString m_imei;
    QString m_vehicle;
    QComboBox *m_channel = nullptr;
    QDateEdit *m_day = nullptr;
    QPushButton *m_list = nullptr;
    QPushButton *m_play = nullptr;
    QPushButton *m_next = nullptr;
    QLabel *m_status = nullptr;
    QListWidget *m_segments = nullptr;
    QList<VideoSegment> m_listed;
    int m_listedChannel = 0;
    CameraLayout m_cameras;
    int m_request = 0;
};

} // namespace Fleet
