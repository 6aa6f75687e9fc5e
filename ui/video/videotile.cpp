#include "videotile.h"

#include "videostream.h"

#include <QDir>
#include <QLocale>
#include <QHBoxLayout>
#include <QMouseEvent>
#include <QPainter>
#include <QSaveFile>
#include <QToolButton>

namespace Fleet {

using Player::VideoStream;

VideoTile::VideoTile(const Camera &camera, QWidget *parent)
    : QWidget(parent)
    , m_camera(camera)
    , m_stream(std::make_unique<VideoStream>())
{
    setObjectName(QStringLiteral("videoTile"));
    setMinimumSize(160, 90);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(title());
    m_stream->setVideoSink(&m_sink);
    // The newest picture, painted scaled (converted when painted: see picture()).
    connect(&m_sink, &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame &frame) {
        m_frame = frame;
        m_pictureStale = true;
        update();
    });
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
    connect(button(QStringLiteral("videoSnapshot"), tr("Snapshot"), tr("Save the picture as a PNG")),
            &QToolButton::clicked, this, &VideoTile::snapshotRequested);
    connect(button(QStringLiteral("videoFullScreen"), tr("Full screen"),
                   tr("Show this camera on the whole screen (Esc or a double-click returns)")),
            &QToolButton::clicked, this, &VideoTile::fullScreenRequested);
    connect(button(QStringLiteral("videoClose"), tr("Close"), tr("Close this camera and its stream in the cloud")),
            &QToolButton::clicked, this, &VideoTile::closeRequested);
    setState(tr("connecting…"));
}

VideoTile::~VideoTile() = default;

QImage VideoTile::picture() const
{
    if (m_pictureStale) {
        const QImage converted = VideoStream::toImage(m_frame); // swscale, no GPU
        if (!converted.isNull())
            m_picture = converted;
        m_pictureStale = false;
    }
    return m_picture;
}

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
        else
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
        const qint64 at = std::max<qint64>(0, m_stream->positionMs()) / 1000;
        setState(tr("recording · %1:%2").arg(at / 60).arg(at % 60, 2, 10, QLatin1Char('0')));
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
    p.fillRect(rect(), Qt::black);
    if (const QImage shown = picture(); !shown.isNull()) {
        QSize size = shown.size().scaled(this->size(), Qt::KeepAspectRatio);
        const QRect target(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(target, shown);
    }
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
