#include "clipplayerdialog.h"

#include "videostream.h"
#include "videosurface.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QMimeDatabase>
#include <QPushButton>
#include <QVBoxLayout>

namespace Fleet {

using Player::VideoStream;

ClipPlayerDialog::ClipPlayerDialog(const QUrl &localFile, QWidget *parent)
    : QDialog(parent)
    , m_file(localFile)
    , m_stream(std::make_unique<VideoStream>())
{
    setObjectName(QStringLiteral("clipPlayer"));
    setWindowTitle(QFileInfo(localFile.toLocalFile()).fileName());
    m_surface = new VideoSurface(this);
    m_surface->setMinimumSize(320, 180);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("clipStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_again = new QPushButton(tr("Play &again"), this);
    m_again->setObjectName(QStringLiteral("clipAgain"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_again, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_again, &QPushButton::clicked, this, &ClipPlayerDialog::playAgain);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_surface, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(660, 460);

    m_stream->setVideoSink(m_surface->videoSink());
    m_stream->setAudioEnabled(true);
    connect(m_stream.get(), &VideoStream::stateChanged, this, &ClipPlayerDialog::updateStatus);
    connect(m_stream.get(), &VideoStream::frameDelivered, this, &ClipPlayerDialog::updateStatus);
    playAgain();
}

ClipPlayerDialog::~ClipPlayerDialog() = default;

void ClipPlayerDialog::playAgain()
{
    Player::StreamOptions options;
    options.mode = Player::PlayMode::Paced;
    m_stream->open(m_file, options);
    updateStatus();
}

QString ClipPlayerDialog::statusText() const
{
    return m_status->text();
}

void ClipPlayerDialog::updateStatus()
{
    const qint64 at = std::max<qint64>(0, m_stream->elapsedMs()) / 1000;
    const QString position = QStringLiteral("%1:%2").arg(at / 60).arg(at % 60, 2, 10, QLatin1Char('0'));
    switch (m_stream->state()) {
    case VideoStream::State::Ended:
        m_status->setText(tr("Ended at %1").arg(position));
        break;
    case VideoStream::State::Failed:
        m_status->setText(tr("Cannot play it: %1").arg(m_stream->errorString()));
        break;
    case VideoStream::State::Playing:
    case VideoStream::State::Stalled:
        m_status->setText(m_stream->audioError().isEmpty() ? tr("Playing · %1").arg(position)
                                                           : tr("Playing · %1 · no sound: %2")
                                                                 .arg(position, m_stream->audioError()));
        break;
    case VideoStream::State::Connecting:
    case VideoStream::State::Idle:
        m_status->setText(tr("Opening…"));
        break;
    }
}

bool ClipPlayerDialog::isVideo(const QUrl &localFile)
{
    return localFile.isLocalFile()
        && QMimeDatabase().mimeTypeForFile(localFile.toLocalFile()).name().startsWith(QLatin1String("video/"));
}

bool ClipPlayerDialog::open(const QUrl &localFile, QWidget *parent, const std::function<bool(const QUrl &)> &fallback)
{
    if (!isVideo(localFile))
        return fallback && fallback(localFile);
    auto *dialog = new ClipPlayerDialog(localFile, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return true;
}

} // namespace Fleet
