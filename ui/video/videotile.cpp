#include "videotile.h"

#include "videostream.h"

#include <QDir>
#include <QLocale>
#include <QHBoxLayout>
#include <QMouseEvent>
#include <QPainter>
#include <QMenu>
#include <QSaveFile>
#include <QSlider>
#include <QToolButton>

namespace Fleet {

using Player::VideoStream;

VideoTile::VideoTile(const Camera &camera, QWidget *parent)
    : VideoSurface(parent)
    , m_camera(camera)
    , m_stream(std::make_unique<VideoStream>())
{
    setObjectName(QStringLiteral("videoTile"));
    setMinimumSize(160, 90);
    setAccessibleName(title());
    m_stream->setVideoSink(videoSink());
    connect(m_stream.get(), &VideoStream::stateChanged, this, &VideoTile::onStreamState);
    connect(m_stream.get(), &VideoStream::frameDelivered, this, [this] {
        if (m_attempt > 0)
            m_attempt = 0; // playing again: the next drop starts the back-off anew
    });
    m_renewal.setSingleShot(true);
    connect(&m_renewal, &QTimer::timeout, this, [this] {
        m_countdown.stop();
        setState(tr("connecting…"));
        Q_EMIT renewRequested();
    });
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        const int left = int((m_renewal.remainingTime() + 999) / 1000);
        setState(tr("reconnecting in %n s", nullptr, left));
    });
    // The live delay, once a second.
    auto *liveTimer = new QTimer(this);
    connect(liveTimer, &QTimer::timeout, this, &VideoTile::updateLiveText);
    liveTimer->start(1000);

    m_bar = new QWidget(this);
    m_bar->setObjectName(QStringLiteral("videoTileBar"));
    // Readable over any picture: white on a dark veil.
    m_bar->setAttribute(Qt::WA_StyledBackground);
    m_bar->setStyleSheet(QStringLiteral("#videoTileBar { background: rgba(0, 0, 0, 150); } "
                                        "QToolButton { color: white; }"));
    auto *bar = new QHBoxLayout(m_bar);
    bar->setContentsMargins(4, 2, 4, 2);
    // A recording's position: dragged (or moved with the keys), it seeks.
    m_position = new QSlider(Qt::Horizontal, m_bar);
    m_position->setObjectName(QStringLiteral("videoPosition"));
    m_position->setToolTip(tr("Position in the recording: drag to go to another moment"));
    m_position->setPageStep(30);
    m_position->setSingleStep(5);
    bar->addWidget(m_position, 1);
    const auto seekToSlider = [this] {
        if (!m_settingPosition && m_camera.isRecording())
            Q_EMIT seekRequested(m_camera.recordingBegin.addSecs(m_position->value()));
    };
    connect(m_position, &QSlider::sliderReleased, this, seekToSlider);
    connect(m_position, &QSlider::valueChanged, this, [this, seekToSlider] {
        if (!m_position->isSliderDown())
            seekToSlider();
    });
    m_bar->setFocusProxy(m_position);
    bar->addStretch();
    const auto button = [this, bar](const QString &name, const QString &text, const QString &tip) {
        auto *b = new QToolButton(m_bar);
        b->setObjectName(name);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        bar->addWidget(b);
        return b;
    };
    m_channel = button(QStringLiteral("videoChannel"), {}, tr("Show another camera of this vehicle here"));
    m_channel->setPopupMode(QToolButton::InstantPopup);
    m_channel->setMenu(new QMenu(m_channel));
    // Made when shown: a choice may retarget the tile, and its menu must
    // not be rebuilt under the action being triggered.
    connect(m_channel->menu(), &QMenu::aboutToShow, this, [this] {
        QMenu *menu = m_channel->menu();
        menu->clear();
        for (int ch = m_camera.firstChannel; ch < m_camera.firstChannel + m_camera.channelCount; ++ch) {
            QAction *a = menu->addAction(tr("Camera %1").arg(ch));
            a->setData(ch);
            a->setCheckable(true);
            a->setChecked(ch == m_camera.channel);
            a->setEnabled(ch != m_camera.channel);
        }
    });
    connect(m_channel->menu(), &QMenu::triggered, this, [this](QAction *a) {
        const int channel = a->data().toInt();
        // After the menu's own handling of the click.
        QMetaObject::invokeMethod(this, [this, channel] { Q_EMIT channelRequested(channel); }, Qt::QueuedConnection);
    });
    m_sound = button(QStringLiteral("videoSound"), tr("Sound"), tr("Hear this camera (one camera at a time)"));
    m_sound->setCheckable(true);
    connect(m_sound, &QToolButton::toggled, this, [this](bool on) {
        m_stream->setAudioEnabled(on);
        Q_EMIT soundToggled(on);
    });
    connect(m_stream.get(), &VideoStream::audioChanged, this, [this] {
        const QString error = m_stream->audioError();
        m_sound->setToolTip(error.isEmpty() ? tr("Hear this camera (one camera at a time)")
                                            : tr("No sound: %1").arg(error));
    });
    m_save = button(QStringLiteral("videoSave"), tr("Save…"), tr("Save this recording to an MP4 file"));
    connect(m_save, &QToolButton::clicked, this, &VideoTile::saveRequested);
    connect(button(QStringLiteral("videoSnapshot"), tr("Snapshot"), tr("Save the picture as a PNG")),
            &QToolButton::clicked, this, &VideoTile::snapshotRequested);
    connect(button(QStringLiteral("videoFullScreen"), tr("Full screen"),
                   tr("Show this camera on the whole screen (Esc or a double-click returns)")),
            &QToolButton::clicked, this, &VideoTile::fullScreenRequested);
    connect(button(QStringLiteral("videoClose"), tr("Close"), tr("Close this camera and its stream in the cloud")),
            &QToolButton::clicked, this, &VideoTile::closeRequested);
    updateControls();
    setState(tr("connecting…"));
}

void VideoTile::updateControls()
{
    // Another camera: live, or a recording asked for by time (a file holds one camera only).
    m_channel->setText(tr("Camera %1").arg(m_camera.channel));
    m_channel->setVisible(m_camera.channelCount > 1 && !m_camera.byFile());
    m_position->setVisible(m_camera.isRecording());
    m_save->setVisible(m_camera.isRecording());
    if (m_camera.isRecording()) {
        m_settingPosition = true;
        m_position->setRange(0, int(std::max<qint64>(1, m_camera.recordingBegin.secsTo(m_camera.recordingEnd))));
        m_position->setValue(int(m_camera.recordingBegin.secsTo(m_camera.startAt.isValid() ? m_camera.startAt
                                                                                              : m_camera.recordingBegin)));
        m_settingPosition = false;
    }
    setAccessibleName(title());
}

void VideoTile::retarget(const Camera &camera, const QString &why)
{
    m_stream->stop();
    m_renewal.stop();
    m_countdown.stop();
    m_attempt = 0;
    m_camera = camera;
    updateControls();
    setState(why);
}

void VideoTile::setSound(bool on)
{
    m_sound->setChecked(on);
}

bool VideoTile::sound() const
{
    return m_sound->isChecked();
}

QDateTime VideoTile::moment() const
{
    const qint64 elapsed = m_camera.isRecording() ? m_stream->elapsedMs() : -1;
    return elapsed < 0 ? QDateTime() : m_camera.streamOrigin().addMSecs(elapsed);
}

VideoTile::~VideoTile() = default;

QString VideoTile::title() const
{
    if (m_camera.isRecording()) {
        return tr("%1 · camera %2 · recording of %3")
            .arg(m_camera.vehicle)
            .arg(m_camera.channel)
            .arg(QLocale().toString(m_camera.recordingBegin.toLocalTime(), QLocale::ShortFormat));
    }
    return tr("%1 · camera %2").arg(m_camera.vehicle).arg(m_camera.channel);
}

int VideoTile::backoffSecs(int attempt)
{
    return attempt <= 1 ? 1 : std::min(30, 1 << std::min(attempt - 1, 5));
}

void VideoTile::play(const QUrl &url)
{
    m_renewal.stop();
    m_countdown.stop();
    setState(tr("connecting…"));
    Player::StreamOptions options;
    // A recording plays at its own pace; live shows each picture at once.
    options.mode = m_camera.isRecording() ? Player::PlayMode::Paced : Player::PlayMode::Live;
    if (m_camera.byFile() && m_camera.startAt.isValid())
        options.startAtMs = std::max<qint64>(0, m_camera.recordingBegin.msecsTo(m_camera.startAt));
    m_stream->open(url, options);
}

void VideoTile::cloudFailed(const QString &message)
{
    scheduleRenewal(message);
}

void VideoTile::scheduleRenewal(const QString &why)
{
    ++m_attempt;
    const int secs = backoffSecs(m_attempt);
    m_renewal.start(secs * 1000);
    m_countdown.start();
    setState(tr("%1 — reconnecting in %n s", nullptr, secs).arg(why));
    setToolTip(why);
}

void VideoTile::onStreamState()
{
    switch (m_stream->state()) {
    case VideoStream::State::Connecting:
        setState(tr("connecting…"));
        break;
    case VideoStream::State::Playing:
        setToolTip({});
        if (m_camera.isRecording())
            setState(tr("recording"));
        updateLiveText();
        break;
    case VideoStream::State::Stalled:
        setState(tr("stalled: no data"));
        break;
    case VideoStream::State::Ended:
        if (m_camera.isRecording())
            setState(tr("recording ended"));
        else
            scheduleRenewal(tr("the stream ended"));
        break;
    case VideoStream::State::Failed:
        scheduleRenewal(m_stream->errorString());
        break;
    case VideoStream::State::Idle:
        break;
    }
}

void VideoTile::updateLiveText()
{
    if (m_stream->state() != VideoStream::State::Playing)
        return;
    if (m_camera.isRecording()) {
        const QDateTime at = moment();
        if (!at.isValid())
            return;
        if (!m_position->isSliderDown()) {
            m_settingPosition = true;
            m_position->setValue(int(m_camera.recordingBegin.secsTo(at)));
            m_settingPosition = false;
        }
        setState(tr("recording · %1").arg(QLocale().toString(at.toLocalTime().time(), QLocale::LongFormat)));
        return;
    }
    setState(tr("live · %1 s behind").arg(double(m_stream->delayMs()) / 1000.0, 0, 'f', 1));
}

void VideoTile::setState(const QString &text)
{
    if (text == m_state)
        return;
    m_state = text;
    setAccessibleDescription(text);
    update();
}

QString VideoTile::saveSnapshot(const QString &dir, const QDateTime &localTime, QString *error) const
{
    const QImage shot = picture();
    if (shot.isNull()) {
        *error = tr("no picture yet");
        return {};
    }
    if (!QDir().mkpath(dir)) {
        *error = tr("cannot make the folder %1").arg(dir);
        return {};
    }
    // The vehicle's name may hold anything: only letters, digits, - and _ go into the file name.
    QString name = m_camera.vehicle;
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    }
    const QString path = QDir(dir).filePath(QStringLiteral("%1-camera%2-%3.png")
                                                .arg(name.left(60))
                                                .arg(m_camera.channel)
                                                .arg(localTime.toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !shot.save(&file, "PNG") || !file.commit()) {
        *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return {};
    }
    return path;
}

void VideoTile::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const int h = m_bar->sizeHint().height();
    m_bar->setGeometry(0, height() - h, width(), h);
}

void VideoTile::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        Q_EMIT fullScreenRequested();
}

void VideoTile::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    paintPicture(p);
    // The labels: plain text (a vehicle's name from the cloud is never markup).
    const QFontMetrics fm = fontMetrics();
    const auto label = [&](const QString &text, Qt::Alignment side) {
        const QString shown = fm.elidedText(text, Qt::ElideRight, width() / 2 - 12);
        QRect box = fm.boundingRect(shown).adjusted(-4, -2, 4, 2);
        box.moveTop(4);
        if (side == Qt::AlignLeft)
            box.moveLeft(4);
        else
            box.moveRight(width() - 5);
        p.fillRect(box, QColor(0, 0, 0, 160));
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter, shown);
    };
    label(title(), Qt::AlignLeft);
    label(m_state, Qt::AlignRight);
}

} // namespace Fleet
