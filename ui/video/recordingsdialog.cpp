#include "recordingsdialog.h"

#include "domain/camera.h"
#include "sync/livesession.h"
#include "videowall.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace Fleet {

RecordingsDialog::RecordingsDialog(LiveSession *session, VideoWall *wall, const QString &imei, const QString &vehicle,
                                   const QString &model, const QDate &day, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_wall(wall)
    , m_imei(imei)
    , m_vehicle(vehicle)
{
    setObjectName(QStringLiteral("recordingsDialog"));
    setWindowTitle(tr("Recordings of %1").arg(vehicle));
    const CameraLayout cameras = cameraLayout(model);
    m_cameras = cameras;
    m_channel = new QComboBox(this);
    m_channel->setObjectName(QStringLiteral("recordingsChannel"));
    for (int ch = cameras.first; ch < cameras.first + cameras.count; ++ch)
        m_channel->addItem(tr("Camera %1").arg(ch), ch);
    m_day = new QDateEdit(day, this);
    m_day->setObjectName(QStringLiteral("recordingsDay"));
    m_day->setCalendarPopup(true);
    m_list = new QPushButton(tr("&List"), this);
    m_list->setObjectName(QStringLiteral("recordingsList"));
    m_list->setToolTip(tr("Ask the device for the recordings on its card"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("recordingsStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_segments = new QListWidget(this);
    m_segments->setObjectName(QStringLiteral("recordingsSegments"));
    m_play = new QPushButton(tr("&Play"), this);
    m_play->setObjectName(QStringLiteral("recordingsPlay"));
    m_next = new QPushButton(tr("Play &next"), this);
    m_next->setObjectName(QStringLiteral("recordingsNext"));
    m_play->setEnabled(false);
    m_next->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(tr("&Camera:"), m_channel);
    auto *dayRow = new QHBoxLayout;
    dayRow->addWidget(m_day, 1);
    dayRow->addWidget(m_list);
    form->addRow(tr("&Day:"), dayRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_play, QDialogButtonBox::ActionRole);
    buttons->addButton(m_next, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Enter plays the recording under the cursor (the list's activation);
    // it must not also press a button of the dialog (List would start over).
    for (QPushButton *b : {m_list, m_play, m_next, buttons->button(QDialogButtonBox::Close)}) {
        b->setAutoDefault(false);
        b->setDefault(false);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_segments, 1);
    layout->addWidget(buttons);
    resize(420, 480);

    connect(m_list, &QPushButton::clicked, this, &RecordingsDialog::list);
    connect(m_play, &QPushButton::clicked, this, [this] { play(); });
    connect(m_next, &QPushButton::clicked, this, &RecordingsDialog::playNext);
    connect(m_segments, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) { play(m_segments->row(item)); });
    connect(m_segments, &QListWidget::currentRowChanged, this, &RecordingsDialog::updateButtons);
    if (m_session) {
        connect(m_session, &LiveSession::recordingsWaiting, this, [this](int id, int attempt, int seconds) {
            if (id == m_request)
                m_status->setText(tr("Waiting for the device to upload its list (asked %n time(s); again in %1 s)…",
                                     nullptr, attempt)
                                      .arg(seconds));
        });
        connect(m_session, &LiveSession::recordingsListed, this, &RecordingsDialog::listed);
    }
}

QString RecordingsDialog::statusText() const
{
    return m_status->text();
}

void RecordingsDialog::list()
{
    if (!m_session) {
        m_status->setText(tr("Not connected: recordings need a session with the cloud."));
        return;
    }
    m_segments->clear();
    m_listed.clear();
    updateButtons();
    m_listedChannel = m_channel->currentData().toInt();
    m_list->setEnabled(false);
    m_status->setText(tr("Asking the device…"));
    m_request = m_session->listRecordings(m_imei, m_listedChannel, m_day->date());
}

void RecordingsDialog::listed(int id, const RecordingLister::Outcome &outcome)
{
    if (id != m_request)
        return;
    m_list->setEnabled(true);
    if (!outcome.ok) {
        m_status->setText(outcome.detail == QLatin1String("228")
                              ? tr("The device is offline: it cannot send its list.")
                              : tr("No list: %1").arg(outcome.error));
        return;
    }
    m_listed = outcome.segments;
    const QLocale locale;
    for (const VideoSegment &s : std::as_const(m_listed)) {
        const qint64 secs = s.begin.secsTo(s.end);
        auto *item = new QListWidgetItem(tr("%1 – %2 (%3 min %4 s)")
                                             .arg(locale.toString(s.begin.toLocalTime().time(), QLocale::LongFormat),
                                                  locale.toString(s.end.toLocalTime().time(), QLocale::LongFormat))
                                             .arg(secs / 60)
                                             .arg(secs % 60));
        m_segments->addItem(item);
    }
    m_status->setText(m_listed.isEmpty() ? tr("No recordings on this day.")
                                         : tr("%n recording(s). Double-click one to play it.", nullptr,
                                              int(m_listed.size())));
    if (!m_listed.isEmpty())
        m_segments->setCurrentRow(0);
    updateButtons();
}

void RecordingsDialog::updateButtons()
{
    const int row = m_segments->currentRow();
    m_play->setEnabled(row >= 0);
    m_next->setEnabled(row >= 0 && row + 1 < m_segments->count());
}

bool RecordingsDialog::play(int row)
{
    if (row < 0)
        row = m_segments->currentRow();
    if (row < 0 || row >= m_listed.size() || !m_wall)
        return false;
    const VideoSegment &s = m_listed.at(row);
    VideoTile::Camera camera;
    camera.imei = m_imei;
    camera.vehicle = m_vehicle;
    camera.channel = m_listedChannel;
    camera.recordingBegin = s.begin;
    camera.recordingEnd = s.end;
    camera.recordingFile = s.fileName;
    camera.firstChannel = m_cameras.first;
    camera.channelCount = m_cameras.count;
    if (!m_wall->openCamera(camera))
        return false;
    m_segments->setCurrentRow(row);
    Q_EMIT playing();
    return true;
}

bool RecordingsDialog::playNext()
{
    const int next = m_segments->currentRow() + 1;
    return next < m_listed.size() && play(next);
}

} // namespace Fleet
