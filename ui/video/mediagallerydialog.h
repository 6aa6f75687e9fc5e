#pragma once

#include "media/mediacapture.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QLabel;
class QPushButton;

namespace Fleet {

class AlarmMediaStrip;
class LiveSession;

// A vehicle's photos and clips: what its dashcam took for alarms, on
// demand, or announced by a push, newest first, as thumbnails cached on
// disk (the alarm desk's strip). "Take a photo" and "Record 10 s" ask the
// device to shoot now (MediaCapture): the dialog says that the command was
// sent, waits for the file, and shows it when it arrives; "Look in the
// cloud" lists the device's event media of the last day into the store.
class MediaGalleryDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kLookBackHours = 24;

    MediaGalleryDialog(LiveSession *session, const QString &imei, const QString &vehicle, const QString &model,
                       QWidget *parent = nullptr);
    ~MediaGalleryDialog() override;

    // The store's files of the vehicle again.
    void reload();
    // Asks the device to take a photo (or a clip of seconds) with the chosen camera.
    bool capture(MediaKind kind, int seconds = 10);
    void lookInTheCloud();

    AlarmMediaStrip *strip() const { return m_strip; }
    QString statusText() const;
    int capturesRunning() const { return int(m_captures.size()); }

Q_SIGNALS:
    // A capture ended (its file in the gallery, or why not).
    void captureFinished(bool ok);
    void reloaded();

private:
    void captured(int id, const MediaCapture::Outcome &outcome);
    void say(const QString &text);

    QPointer<LiveSession> m_session;
    QString m_imei;
    QString m_vehicle;
    QComboBox *m_camera = nullptr;
    QPushButton *m_photo = nullptr;
    QPushButton *m_clip = nullptr;
    QPushButton *m_look = nullptr;
    QLabel *m_status = nullptr;
    AlarmMediaStrip *m_strip = nullptr;
    QHash<int, MediaKind> m_captures; // requests under way
    int m_lookRequest = 0;
};

} // namespace Fleet
