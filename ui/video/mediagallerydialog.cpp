#include "mediagallerydialog.h"

#include "alarms/alarmmediastrip.h"
#include "domain/camera.h"
#include "store/storereader.h"
#include "sync/alarmmediafetcher.h"
#include "sync/livesession.h"
#include "util/clock.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Fleet {

MediaGalleryDialog::MediaGalleryDialog(LiveSession *session, const QString &imei, const QString &vehicle,
                                       const QString &model, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_imei(imei)
    , m_vehicle(vehicle)
{
    setObjectName(QStringLiteral("mediaGallery"));
    setWindowTitle(tr("Photos and clips of %1").arg(vehicle));
    const CameraLayout cameras = cameraLayout(model);
    // The capture command counts its own way on every model: 1 road, 2 cabin, 3 both.
    m_camera = new QComboBox(this);
    m_camera->setObjectName(QStringLiteral("galleryCamera"));
    m_camera->addItem(tr("Road camera"), 1);
    if (cameras.count > 1) {
        m_camera->addItem(tr("Cabin camera"), 2);
        m_camera->addItem(tr("Both cameras"), 3);
    }
    m_photo = new QPushButton(tr("Take a &photo"), this);
    m_photo->setObjectName(QStringLiteral("galleryPhoto"));
    m_photo->setToolTip(tr("The device takes a photo now and uploads it"));
    m_clip = new QPushButton(tr("&Record 10 s"), this);
    m_clip->setObjectName(QStringLiteral("galleryClip"));
    m_clip->setToolTip(tr("The device records 10 seconds now and uploads the clip"));
    m_look = new QPushButton(tr("&Look in the cloud"), this);
    m_look->setObjectName(QStringLiteral("galleryLook"));
    m_look->setToolTip(tr("List the photos and clips the device took for events in the last %n hour(s)", nullptr,
                          kLookBackHours));
    for (QPushButton *b : {m_photo, m_clip, m_look})
        b->setAutoDefault(false);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("galleryStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_strip = new AlarmMediaStrip(this);
    m_strip->setCanAsk(false);

    auto *top = new QHBoxLayout;
    top->addWidget(m_camera);
    top->addWidget(m_photo);
    top->addWidget(m_clip);
    top->addStretch();
    top->addWidget(m_look);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_strip, 1);
    layout->addWidget(buttons);
    resize(640, 420);

    connect(m_photo, &QPushButton::clicked, this, [this] { capture(MediaKind::Photo); });
    connect(m_clip, &QPushButton::clicked, this, [this] { capture(MediaKind::Video, 10); });
    connect(m_look, &QPushButton::clicked, this, &MediaGalleryDialog::lookInTheCloud);
    if (m_session) {
        connect(m_session, &LiveSession::captureSent, this, [this](int id) {
            if (m_captures.contains(id))
                say(tr("The device took the command; waiting for its file…"));
        });
        connect(m_session, &LiveSession::captureWaiting, this, [this](int id, int attempt, int seconds) {
            if (m_captures.contains(id) && attempt > 0)
                say(tr("Waiting for the device to upload the file (looked %n time(s); again in %1 s)…", nullptr, attempt)
                        .arg(seconds));
        });
        connect(m_session, &LiveSession::captured, this, &MediaGalleryDialog::captured);
        connect(m_session, &LiveSession::alarmMediaFetched, this, [this](int id, const AlarmMediaOutcome &outcome) {
            if (id != m_lookRequest)
                return;
            m_lookRequest = 0;
            m_look->setEnabled(true);
            say(outcome.error.isEmpty() ? tr("The cloud lists %n event file(s) of the last day.", nullptr, outcome.files)
                                        : tr("Not all listed: %1").arg(outcome.error));
            reload();
        });
    }
    reload();
}

MediaGalleryDialog::~MediaGalleryDialog() = default;

QString MediaGalleryDialog::statusText() const
{
    return m_status->text();
}

void MediaGalleryDialog::say(const QString &text)
{
    m_status->setText(text);
}

void MediaGalleryDialog::reload()
{
    QList<StoredMedia> media;
    if (m_session) {
        StoreReader reader;
        if (reader.open(m_session->settings().databasePath))
            media = reader.vehicleMedia(m_imei);
    }
    m_strip->setMedia(0, media);
    if (media.isEmpty() && m_status->text().isEmpty())
        say(tr("No photo or clip of %1 yet.").arg(m_vehicle));
    Q_EMIT reloaded();
}

bool MediaGalleryDialog::capture(MediaKind kind, int seconds)
{
    if (!m_session) {
        say(tr("Not connected: a capture needs a session with the cloud."));
        return false;
    }
    MediaCapture::Request request;
    request.imei = m_imei;
    request.camera = m_camera->currentData().toInt();
    request.kind = kind;
    request.videoSeconds = seconds;
    m_captures.insert(m_session->captureMedia(request), kind);
    say(kind == MediaKind::Photo ? tr("Asking the device to take a photo…")
                                 : tr("Asking the device to record %n s…", nullptr, seconds));
    return true;
}

void MediaGalleryDialog::captured(int id, const MediaCapture::Outcome &outcome)
{
    if (!m_captures.contains(id))
        return;
    const MediaKind kind = m_captures.take(id);
    if (outcome.ok) {
        say(kind == MediaKind::Photo ? tr("The photo is in: %n file(s).", nullptr, int(outcome.files.size()))
                                     : tr("The clip is in: %n file(s).", nullptr, int(outcome.files.size())));
        reload();
    } else {
        say(outcome.detail == QLatin1String("228") ? tr("The device is offline: it cannot take a photo or a clip now.")
                                                   : tr("No file: %1").arg(outcome.error));
    }
    Q_EMIT captureFinished(outcome.ok);
}

void MediaGalleryDialog::lookInTheCloud()
{
    if (!m_session) {
        say(tr("Not connected: the cloud cannot be asked."));
        return;
    }
    AlarmMediaRequest request;
    request.imei = m_imei;
    request.to = m_session->clock()->nowUtc();
    request.from = request.to.addSecs(-3600 * kLookBackHours);
    m_look->setEnabled(false);
    say(tr("Asking the cloud…"));
    m_lookRequest = m_session->fetchAlarmMedia(request);
}

} // namespace Fleet
