#pragma once

#include <QDialog>
#include <QUrl>

#include <functional>
#include <memory>

class QLabel;
class QPushButton;

namespace Fleet {

namespace Player {
class VideoStream;
}
class VideoSurface;

// A photo's or an event clip's file, fetched into the cache: clips play
// here, in FleetDesk's own player, at their own pace and with their
// sound; anything else goes to the system's viewer.
class ClipPlayerDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ClipPlayerDialog(const QUrl &localFile, QWidget *parent = nullptr);
    ~ClipPlayerDialog() override;

    void playAgain();
    QString statusText() const;
    VideoSurface *surface() const { return m_surface; }
    Player::VideoStream *stream() const { return m_stream.get(); }

    // Whether a local file is a video this player plays (by its content's type).
    static bool isVideo(const QUrl &localFile);
    // Opens a fetched media file: a video in a ClipPlayerDialog (deleted on
    // close), anything else with fallback (the system's opener).
    static bool open(const QUrl &localFile, QWidget *parent, const std::function<bool(const QUrl &)> &fallback);

private:
    void updateStatus();

    QUrl m_file;
    VideoSurface *m_surface = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_again = nullptr;
    std::unique_ptr<Player::VideoStream> m_stream;
};

} // namespace Fleet
