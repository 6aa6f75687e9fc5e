#include "videowall.h"

#include "domain/camera.h"
#include "sync/livesession.h"
#include "util/clock.h"
#include "recordingsaver.h"
#include "videostream.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QShortcut>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace Fleet {

VideoWall::VideoWall(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("videoWall"));
    m_since.start();
    m_snapshotDir = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                        .filePath(QStringLiteral("FleetDesk"));
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Layout:"), this));
    m_layout = new QComboBox(this);
    m_layout->setObjectName(QStringLiteral("videoLayout"));
    m_layout->addItem(tr("1 camera"), 1);
    m_layout->addItem(tr("2 × 2"), 2);
    m_layout->addItem(tr("3 × 3"), 3);
    top->addWidget(m_layout);
    top->addSpacing(12);
    auto *watchLabel = new QLabel(tr("Close streams after:"), this);
    top->addWidget(watchLabel);
    m_maxWatch = new QSpinBox(this);
    m_maxWatch->setObjectName(QStringLiteral("videoMaxWatch"));
    m_maxWatch->setRange(1, 240);
    m_maxWatch->setValue(10);
    m_maxWatch->setSuffix(tr(" min"));
    m_maxWatch->setToolTip(tr("The cloud bills video traffic: a camera closes itself after this long"));
    watchLabel->setBuddy(m_maxWatch);
    top->addWidget(m_maxWatch);
    top->addStretch();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("videoStatus"));
    m_status->setTextFormat(Qt::PlainText);
    top->addWidget(m_status);

    m_grid = new QWidget(this);
    m_gridLayout = new QGridLayout(m_grid);
    m_gridLayout->setContentsMargins(0, 0, 0, 0);
    m_gridLayout->setSpacing(2);
    m_empty = new QLabel(tr("No camera open. Choose Vehicle ▸ Cameras (Ctrl+Shift+V), or Cameras in a vehicle's menu "
                            "on the map, for a vehicle with a dashcam."),
                         this);
    m_empty->setObjectName(QStringLiteral("videoEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_grid, 1);
    m_grid->hide();

    connect(m_layout, &QComboBox::currentIndexChanged, this, [this] { setColumns(m_layout->currentData().toInt()); });
    connect(m_maxWatch, &QSpinBox::valueChanged, this, [this](int minutes) {
        // The open tiles keep the time they have watched; the new limit counts from their opening.
        for (auto it = m_watchLimits.begin(); it != m_watchLimits.end(); ++it) {
            const qint64 watched = m_since.elapsed() - it.value()->property("openedMs").toLongLong();
            const qint64 left = qMax<qint64>(0, qint64(minutes) * m_minuteMs - watched);
            it.value()->start(int(qMin<qint64>(left, std::numeric_limits<int>::max())));
        }
        Q_EMIT maxWatchMinutesChanged(minutes);
    });
}

VideoWall::~VideoWall()
{
    closeAll();
}

void VideoWall::setClock(Clock *clock)
{
    m_clock = clock;
}

void VideoWall::setMaxWatchMinutes(int minutes)
{
    m_maxWatch->setValue(minutes);
}

int VideoWall::maxWatchMinutes() const
{
    return m_maxWatch->value();
}

QString VideoWall::statusText() const
{
    return m_status->text();
}

void VideoWall::say(const QString &text)
{
    m_status->setText(text);
    Q_EMIT message(text);
}

void VideoWall::setSession(LiveSession *session)
{
    if (session == m_session)
        return;
    closeAll();
    for (const QMetaObject::Connection &c : std::as_const(m_sessionConnections))
        disconnect(c);
    m_sessionConnections.clear();
    m_session = session;
    if (!session)
        return;
    m_sessionConnections << connect(session, &LiveSession::streamOpened, this, [this](int id, const QUrl &url) {
        if (VideoTile *tile = tileOf(id))
            tile->play(url);
        else if (m_saves.contains(id) && !m_saves.value(id).saver->start(url, m_saves.value(id).path))
            saveFinished(id, false, m_saves.value(id).saver->errorString());
    });
    m_sessionConnections << connect(session, &LiveSession::streamFailed, this,
                                    [this](int id, const QString &message, const QString &detail) {
                                        if (m_saves.contains(id)) {
                                            saveFinished(id, false,
                                                         detail == QLatin1String("228")
                                                             ? tr("the device is offline")
                                                             : tr("the cloud said: %1").arg(message));
                                            return;
                                        }
                                        VideoTile *tile = tileOf(id);
                                        if (!tile)
                                            return;
                                        tile->cloudFailed(detail == QLatin1String("228")
                                                              ? tr("the device is offline")
                                                              : tr("the cloud said: %1").arg(message));
                                    });
}

VideoTile *VideoWall::tileOf(int streamId) const
{
    for (auto it = m_streamIds.cbegin(); it != m_streamIds.cend(); ++it) {
        if (it.value() == streamId)
            return it.key();
    }
    return nullptr;
}

bool VideoWall::openVehicle(const QString &imei, const QString &vehicle, const QString &model)
{
    const CameraLayout cameras = cameraLayout(model);
    if (!cameras.dashcam) {
        say(tr("%1 has no camera the cloud can stream (model %2).").arg(vehicle, model.isEmpty() ? tr("unknown") : model));
        return false;
    }
    bool any = false;
    for (int ch = cameras.first; ch < cameras.first + cameras.count; ++ch) {
        VideoTile::Camera camera;
        camera.imei = imei;
        camera.vehicle = vehicle;
        camera.channel = ch;
        camera.firstChannel = cameras.first;
        camera.channelCount = cameras.count;
        any |= openCamera(camera);
    }
    return any;
}

bool VideoWall::openCamera(const VideoTile::Camera &camera)
{
    for (VideoTile *tile : std::as_const(m_tiles)) {
        if (tile->camera().imei == camera.imei && tile->camera().channel == camera.channel
            && tile->camera().recordingBegin == camera.recordingBegin)
            return true; // already open
    }
    if (!m_session) {
        say(tr("Not connected: cameras need a session with the cloud."));
        return false;
    }
    if (m_tiles.size() >= kMaxTiles) {
        say(tr("Nine cameras are open; close one first."));
        return false;
    }
    auto *tile = new VideoTile(camera, m_grid);
    m_tiles.append(tile);
    m_streamIds.insert(tile, m_session->openStream(requestOf(camera)));
    connect(tile, &VideoTile::renewRequested, this, [this, tile] {
        if (m_session && m_streamIds.contains(tile))
            m_session->renewStream(m_streamIds.value(tile));
    });
    connect(tile, &VideoTile::closeRequested, this, [this, tile] { closeTile(tile); });
    connect(tile, &VideoTile::snapshotRequested, this, [this, tile] { snapshot(tile); });
    connect(tile, &VideoTile::fullScreenRequested, this, [this, tile] { toggleFullScreen(tile); });
    connect(tile, &VideoTile::channelRequested, this, [this, tile](int channel) { switchChannel(tile, channel); });
    connect(tile, &VideoTile::seekRequested, this, [this, tile](const QDateTime &at) { seek(tile, at); });
    connect(tile, &VideoTile::saveRequested, this, [this, tile] { chooseSaveFile(tile); });
    // One camera's sound at a time: switched on here, off everywhere else.
    connect(tile, &VideoTile::soundToggled, this, [this, tile](bool on) {
        if (!on)
            return;
        for (VideoTile *other : std::as_const(m_tiles)) {
            if (other != tile)
                other->setSound(false);
        }
    });
    // The maximum watch time.
    auto *limit = new QTimer(tile);
    limit->setSingleShot(true);
    limit->setProperty("openedMs", m_since.elapsed());
    connect(limit, &QTimer::timeout, this, [this, tile] {
        say(tr("%1 closed after %n min of watching (the limit is set above).", nullptr, m_maxWatch->value())
                .arg(tile->title()));
        closeTile(tile);
    });
    limit->start(m_maxWatch->value() * m_minuteMs);
    m_watchLimits.insert(tile, limit);
    // Grow the grid to hold every tile.
    int columns = m_columns;
    while (columns * columns < m_tiles.size() && columns < 3)
        ++columns;
    if (columns != m_columns)
        m_layout->setCurrentIndex(m_layout->findData(columns));
    relayout();
    return true;
}

StreamRequest VideoWall::requestOf(const VideoTile::Camera &camera)
{
    StreamRequest request;
    request.imei = camera.imei;
    request.channel = camera.channel;
    if (camera.isRecording()) {
        // JT/T 1078 models are asked by time (from the moment wanted),
        // Concox models by file name (the player skips into it).
        request.history = true;
        request.begin = camera.streamOrigin();
        request.end = camera.recordingEnd;
        if (camera.byFile())
            request.fileNames = {camera.recordingFile};
    }
    return request;
}

void VideoWall::retarget(VideoTile *tile, const VideoTile::Camera &camera, const QString &why)
{
    if (!m_tiles.contains(tile) || !m_session)
        return;
    tile->retarget(camera, why);
    // The old stream closes in the cloud (it bills), the new one opens; the
    // tile keeps its watch limit.
    m_session->closeStream(m_streamIds.value(tile));
    m_streamIds.insert(tile, m_session->openStream(requestOf(camera)));
    if (m_fullScreen == tile)
        tile->setWindowTitle(tile->title());
}

bool VideoWall::switchChannel(VideoTile *tile, int channel)
{
    VideoTile::Camera camera = tile->camera();
    if (channel == camera.channel || channel < camera.firstChannel
        || channel >= camera.firstChannel + camera.channelCount || camera.byFile())
        return false;
    camera.channel = channel;
    if (camera.isRecording())
        camera.startAt = tile->moment().isValid() ? tile->moment() : camera.startAt;
    retarget(tile, camera, tr("switching to camera %1…").arg(channel));
    return true;
}

bool VideoWall::seek(VideoTile *tile, const QDateTime &at)
{
    VideoTile::Camera camera = tile->camera();
    if (!camera.isRecording() || at < camera.recordingBegin || at >= camera.recordingEnd)
        return false;
    camera.startAt = at;
    retarget(tile, camera, tr("going to %1…").arg(QLocale().toString(at.toLocalTime().time(), QLocale::LongFormat)));
    return true;
}

void VideoWall::chooseSaveFile(VideoTile *tile)
{
    const VideoTile::Camera &camera = tile->camera();
    QString name = camera.vehicle;
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    }
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    const QString suggested = QDir(dir).filePath(
        QStringLiteral("%1-camera%2-%3.mp4")
            .arg(name.left(60))
            .arg(camera.channel)
            .arg(camera.recordingBegin.toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the recording"), suggested, tr("MP4 video (*.mp4)"));
    if (!path.isEmpty())
        saveRecording(tile, path);
}

bool VideoWall::saveRecording(VideoTile *tile, const QString &path)
{
    if (!m_tiles.contains(tile) || !tile->camera().isRecording() || !m_session)
        return false;
    // The whole recording, from its beginning, through a stream of its own.
    VideoTile::Camera whole = tile->camera();
    whole.startAt = QDateTime();
    Save save;
    save.saver = new Player::RecordingSaver(this);
    save.path = path;
    save.title = tile->title();
    const int id = m_session->openStream(requestOf(whole));
    connect(save.saver, &Player::RecordingSaver::finished, this,
            [this, id](bool ok, const QString &error) { saveFinished(id, ok, error); });
    connect(save.saver, &Player::RecordingSaver::progress, this, [this, id](qint64 ms) {
        if (m_saves.contains(id))
            say(tr("Saving %1: %2 s…").arg(m_saves.value(id).title).arg(ms / 1000));
    });
    m_saves.insert(id, save);
    say(tr("Saving %1…").arg(save.title));
    return true;
}

void VideoWall::saveFinished(int streamId, bool ok, const QString &error)
{
    if (!m_saves.contains(streamId))
        return;
    const Save save = m_saves.take(streamId);
    save.saver->deleteLater();
    if (m_session)
        m_session->closeStream(streamId);
    say(ok ? tr("Saved %1 to %2").arg(save.title, QDir::toNativeSeparators(save.path))
           : tr("%1 not saved: %2").arg(save.title, error));
    Q_EMIT recordingSaved(save.path, ok, error);
}

void VideoWall::closeTile(VideoTile *tile)
{
    if (!m_tiles.contains(tile))
        return;
    if (m_fullScreen == tile)
        toggleFullScreen(tile);
    m_tiles.removeAll(tile);
    m_watchLimits.remove(tile);
    const int id = m_streamIds.take(tile);
    // The player first, then the cloud: nothing reads the stream once it is closed.
    tile->stream()->stop();
    if (m_session)
        m_session->closeStream(id);
    tile->deleteLater();
    relayout();
}

void VideoWall::closeAll()
{
    const QList<VideoTile *> open = m_tiles;
    for (VideoTile *tile : open)
        closeTile(tile);
    // Saves under way end too (their files are not left half written).
    const QList<int> saving = m_saves.keys();
    for (int id : saving) {
        if (m_saves.contains(id))
            m_saves.value(id).saver->cancel();
        saveFinished(id, false, tr("cancelled"));
    }
}

void VideoWall::setColumns(int columns)
{
    m_columns = std::clamp(columns, 1, 3);
    relayout();
}

void VideoWall::relayout()
{
    while (m_gridLayout->count() > 0)
        delete m_gridLayout->takeAt(0); // the item only; the tile stays
    const int capacity = m_columns * m_columns;
    for (int i = 0; i < m_tiles.size(); ++i) {
        VideoTile *tile = m_tiles.at(i);
        if (tile == m_fullScreen)
            continue;
        if (i < capacity) {
            m_gridLayout->addWidget(tile, i / m_columns, i % m_columns);
            tile->show();
        } else {
            tile->hide(); // beyond the layout: still open, shown in a larger one
        }
    }
    for (int c = 0; c < 3; ++c) {
        m_gridLayout->setColumnStretch(c, c < m_columns ? 1 : 0);
        m_gridLayout->setRowStretch(c, c < m_columns ? 1 : 0);
    }
    m_empty->setVisible(m_tiles.isEmpty());
    m_grid->setVisible(!m_tiles.isEmpty());
    const int hidden = std::max(0, int(m_tiles.size()) - capacity);
    if (hidden > 0)
        m_status->setText(tr("%n camera(s) open beyond this layout", nullptr, hidden));
    else if (m_status->property("beyond").toBool())
        m_status->clear();
    m_status->setProperty("beyond", hidden > 0);
}

void VideoWall::snapshot(VideoTile *tile)
{
    QString error;
    const QDateTime now = (m_clock ? m_clock->nowUtc() : QDateTime::currentDateTimeUtc()).toLocalTime();
    const QString path = tile->saveSnapshot(m_snapshotDir, now, &error);
    say(path.isEmpty() ? tr("Snapshot of %1 not saved: %2").arg(tile->title(), error)
                       : tr("Snapshot saved: %1").arg(QDir::toNativeSeparators(path)));
}

void VideoWall::toggleFullScreen(VideoTile *tile)
{
    if (m_fullScreen == tile) {
        // Back into the grid.
        m_fullScreen = nullptr;
        qDeleteAll(tile->findChildren<QShortcut *>(Qt::FindDirectChildrenOnly));
        tile->setParent(m_grid);
        tile->setWindowFlags(Qt::Widget);
        relayout();
        return;
    }
    if (m_fullScreen)
        toggleFullScreen(m_fullScreen);
    m_fullScreen = tile;
    m_gridLayout->removeWidget(tile);
    tile->setParent(nullptr);
    tile->setWindowTitle(tile->title());
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), tile);
    connect(escape, &QShortcut::activated, this, [this, tile] {
        if (m_fullScreen == tile)
            toggleFullScreen(tile);
    });
    tile->showFullScreen();
    relayout();
}

} // namespace Fleet
