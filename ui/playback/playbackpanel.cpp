#include "playbackpanel.h"

#include "playbackmodel.h"
#include "timelinewidget.h"
#include "tracklayer.h"

#include "history/trackexport.h"
#include "map/geomath.h"
#include "map/mapwidget.h"
#include "settings/appsettings.h"
#include "store/storereader.h"
#include "sync/livesession.h"
#include "util/clock.h"
#include "util/utc.h"

#include <QBuffer>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPdfWriter>
#include <QPrintDialog>
#include <QPrinter>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QSplitter>
#include <QThread>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Fleet {

namespace {

const char *const kPresetKeys[] = {"today", "yesterday", "last24h", "week", "custom"};

QString durationText(qint64 secs)
{
    const qint64 h = secs / 3600;
    const qint64 m = (secs % 3600) / 60;
    return h > 0 ? QObject::tr("%1 h %2 min").arg(h).arg(m, 2, 10, QLatin1Char('0'))
                 : QObject::tr("%1 min").arg(m);
}

QString placeText(const std::optional<double> &lat, const std::optional<double> &lng)
{
    if (!lat || !lng)
        return QString();
    return QStringLiteral("%1, %2").arg(*lat, 0, 'f', 5).arg(*lng, 0, 'f', 5);
}

QString localText(const QDateTime &t)
{
    return QLocale().toString(t.toLocalTime(), QStringLiteral("ddd d MMM HH:mm"));
}

} // namespace

PlaybackPanel::PlaybackPanel(Map::MapWidget *map, AppSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_map(map)
    , m_settings(settings)
    , m_clock(Clock::system())
    , m_model(new PlaybackModel(this))
    , m_layer(new TrackLayer(m_model, this))
{
    m_timeline = new TimelineWidget(m_model, this);
    buildUi();
    if (m_map) {
        m_map->addOverlay(m_layer);
        connect(m_map, &Map::MapWidget::mapClicked, this,
                [this](const QPointF &, const QPointF &screen) { pickFix(screen); });
        connect(m_map, &Map::MapWidget::mapContextMenu, this, [this](const QPointF &screen, const QPoint &global) {
            if (QMenu *menu = trackPointMenu(screen)) {
                menu->setAttribute(Qt::WA_DeleteOnClose);
                menu->popup(global);
            }
        });
    }
    connect(m_model, &PlaybackModel::playheadChanged, this, [this] {
        updatePoint();
        if (m_followButton->isChecked() && m_map && !m_model->vehicles().isEmpty()) {
            int focus = m_model->vehicleIndex(m_layer->focused());
            const PlaybackModel::Sample s = m_model->sample(focus < 0 ? 0 : focus);
            m_map->setCentre(s.lat, s.lng);
        }
    });
    connect(m_model, &PlaybackModel::playingChanged, this, [this](bool playing) {
        m_playButton->setText(playing ? tr("Pause") : tr("Play"));
        m_playButton->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    });
    connect(m_model, &PlaybackModel::speedChanged, this, [this](int speed) {
        m_speed->setCurrentIndex(int(PlaybackModel::speeds().indexOf(speed)));
        if (m_settings)
            m_settings->setPlaybackSpeed(speed);
    });
    if (m_settings) {
        for (const QString &imei : m_settings->playbackVehicles())
            addVehicle(imei);
        const QString preset = m_settings->playbackRange();
        for (int i = 0; i < int(std::size(kPresetKeys)); ++i) {
            if (preset == QLatin1String(kPresetKeys[i]))
                m_preset->setCurrentIndex(i);
        }
        if (m_settings->playbackFrom().isValid())
            setCustomRange(m_settings->playbackFrom(), m_settings->playbackTo());
        m_model->setSpeed(m_settings->playbackSpeed());
    }
}

PlaybackPanel::~PlaybackPanel()
{
    if (m_map)
        m_map->removeOverlay(m_layer);
    // A load still running finishes on its own thread; its answer has nobody to go to.
    for (QThread *t : std::as_const(m_loaders)) {
        t->wait();
        delete t;
    }
}

void PlaybackPanel::buildUi()
{
    // Left: what to replay. Right: the controls, the timeline, and the trips.
    auto *chooser = new QWidget(this);
    auto *chooserLayout = new QVBoxLayout(chooser);
    chooserLayout->setContentsMargins(0, 0, 0, 0);
    m_vehicleList = new QListWidget(chooser);
    m_vehicleList->setToolTip(tr("The vehicles to replay. Add the selected vehicle of the fleet list with "
                                 "Vehicle ▸ Replay track (Ctrl+R)."));
    m_vehicleList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_addGroup = new QToolButton(chooser);
    m_addGroup->setObjectName(QStringLiteral("addGroupButton"));
    m_addGroup->setText(tr("Add group"));
    m_addGroup->setToolTip(tr("Add the vehicles of one of your groups"));
    m_addGroup->setPopupMode(QToolButton::InstantPopup);
    m_addGroup->setMenu(new QMenu(m_addGroup));
    m_addGroup->setEnabled(false);
    auto *remove = new QPushButton(tr("Remove"), chooser);
    connect(remove, &QPushButton::clicked, this, [this] {
        for (QListWidgetItem *item : m_vehicleList->selectedItems())
            removeVehicle(item->data(Qt::UserRole).toString());
    });
    m_preset = new QComboBox(chooser);
    m_preset->addItems({tr("Today"), tr("Yesterday"), tr("Last 24 hours"), tr("This week"), tr("Custom range")});
    m_from = new QDateTimeEdit(chooser);
    m_to = new QDateTimeEdit(chooser);
    for (QDateTimeEdit *e : {m_from, m_to}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        e->setTimeSpec(Qt::LocalTime);
    }
    const auto presetChosen = [this] {
        const bool custom = m_preset->currentIndex() == int(Preset::Custom);
        m_from->setEnabled(custom);
        m_to->setEnabled(custom);
        if (!custom) {
            const TimeSpan r = presetRange(Preset(m_preset->currentIndex()), m_clock->nowUtc());
            m_from->setDateTime(r.from.toLocalTime());
            m_to->setDateTime(r.to.toLocalTime());
        }
    };
    connect(m_preset, &QComboBox::currentIndexChanged, this, presetChosen);
    m_showButton = new QPushButton(tr("Show"), chooser);
    m_showButton->setDefault(true);
    connect(m_showButton, &QPushButton::clicked, this, &PlaybackPanel::show);
    chooserLayout->addWidget(m_vehicleList, 1);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_addGroup);
    listButtons->addWidget(remove);
    chooserLayout->addLayout(listButtons);
    chooserLayout->addWidget(m_preset);
    chooserLayout->addWidget(m_from);
    chooserLayout->addWidget(m_to);
    chooserLayout->addWidget(m_showButton);
    presetChosen();

    auto *controls = new QHBoxLayout;
    const auto tool = [this](const QString &text, QStyle::StandardPixmap icon, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setIcon(style()->standardIcon(icon));
        b->setToolTip(tip);
        b->setToolButtonStyle(Qt::ToolButtonIconOnly);
        return b;
    };
    QToolButton *prevStop = tool(tr("Previous stop"), QStyle::SP_MediaSkipBackward, tr("Previous stop (Ctrl+Left)"));
    QToolButton *prevFix = tool(tr("Previous fix"), QStyle::SP_MediaSeekBackward, tr("Previous fix (Left)"));
    m_playButton = tool(tr("Play"), QStyle::SP_MediaPlay, tr("Play or pause (Space)"));
    m_playButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    QToolButton *nextFix = tool(tr("Next fix"), QStyle::SP_MediaSeekForward, tr("Next fix (Right)"));
    QToolButton *nextStop = tool(tr("Next stop"), QStyle::SP_MediaSkipForward, tr("Next stop (Ctrl+Right)"));
    QToolButton *nextAlarm = tool(tr("Next alarm"), QStyle::SP_MessageBoxWarning, tr("Next alarm (Shift+Right)"));
    connect(prevStop, &QToolButton::clicked, this, [this] { m_model->stepStop(-1); });
    connect(prevFix, &QToolButton::clicked, this, [this] { m_model->stepFix(-1); });
    connect(m_playButton, &QToolButton::clicked, m_model, &PlaybackModel::togglePlay);
    connect(nextFix, &QToolButton::clicked, this, [this] { m_model->stepFix(1); });
    connect(nextStop, &QToolButton::clicked, this, [this] { m_model->stepStop(1); });
    connect(nextAlarm, &QToolButton::clicked, this, [this] { m_model->stepAlarm(1); });
    m_speed = new QComboBox(this);
    for (int s : PlaybackModel::speeds())
        m_speed->addItem(QStringLiteral("%1×").arg(s), s);
    m_speed->setToolTip(tr("Playback speed, in proportion to real time (+ and −)"));
    m_speed->setCurrentIndex(int(PlaybackModel::speeds().indexOf(m_model->speed())));
    connect(m_speed, &QComboBox::activated, this,
            [this](int i) { m_model->setSpeed(m_speed->itemData(i).toInt()); });
    m_followButton = tool(tr("Follow"), QStyle::SP_ArrowDown, tr("Keep the map on the playhead"));
    m_followButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_followButton->setCheckable(true);
    QToolButton *fit = tool(tr("Fit"), QStyle::SP_TitleBarMaxButton, tr("Fit the map to the track"));
    fit->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(fit, &QToolButton::clicked, this, &PlaybackPanel::fitToTrack);
    QToolButton *videoButton = tool(tr("Video"), QStyle::SP_MediaPlay,
                                    tr("The dashcam's recording at the playhead, kept in step with it (V)"));
    videoButton->setObjectName(QStringLiteral("playbackVideo"));
    videoButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(videoButton, &QToolButton::clicked, this, &PlaybackPanel::requestVideo);
    QToolButton *exportButton = tool(tr("Export"), QStyle::SP_DialogSaveButton, tr("Export or save a PDF report"));
    exportButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(exportButton);
    const char *const formats[] = {"GPX", "KML", "CSV", "GeoJSON"};
    for (int f = 0; f < 4; ++f)
        connect(menu->addAction(tr("Track as %1…").arg(QLatin1String(formats[f]))), &QAction::triggered, this,
                [this, f] { chooseExport(false, f); });
    menu->addSeparator();
    connect(menu->addAction(tr("Trips as CSV…")), &QAction::triggered, this, [this] { chooseExport(true, 2); });
    connect(menu->addAction(tr("Trips as GeoJSON…")), &QAction::triggered, this, [this] { chooseExport(true, 3); });
    menu->addSeparator();
    connect(menu->addAction(tr("Report as PDF…")), &QAction::triggered, this, &PlaybackPanel::choosePdf);
    connect(menu->addAction(tr("Print report…")), &QAction::triggered, this, &PlaybackPanel::printReport);
    exportButton->setMenu(menu);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(160);
    m_progress->setVisible(false);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setVisible(false);
    connect(m_cancelButton, &QPushButton::clicked, this, &PlaybackPanel::cancelFetch);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    for (QWidget *w : std::initializer_list<QWidget *>{prevStop, prevFix, m_playButton, nextFix, nextStop, nextAlarm,
                                                       m_speed, m_followButton, fit, videoButton, exportButton})
        controls->addWidget(w);
    controls->addWidget(m_progress);
    controls->addWidget(m_cancelButton);
    controls->addWidget(m_status, 1);

    m_point = new QLabel(this);
    m_point->setTextFormat(Qt::PlainText);
    m_point->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_trips = new QTreeWidget(this);
    m_trips->setHeaderLabels({tr("Vehicle / trip"), tr("Start"), tr("End"), tr("From"), tr("To"), tr("Duration"),
                              tr("km"), tr("Max km/h"), tr("Avg km/h"), tr("Idle"), tr("Parked")});
    m_trips->setRootIsDecorated(true);
    m_trips->setUniformRowHeights(true);
    m_trips->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(m_trips, &QTreeWidget::itemClicked, this, &PlaybackPanel::tripActivated);
    connect(m_trips, &QTreeWidget::itemActivated, this, &PlaybackPanel::tripActivated);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(controls);
    auto *split = new QSplitter(Qt::Horizontal, right);
    split->addWidget(m_timeline);
    split->addWidget(m_trips);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    rightLayout->addWidget(split, 1);
    rightLayout->addWidget(m_point);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    chooser->setMaximumWidth(230);
    layout->addWidget(chooser);
    layout->addWidget(right, 1);

    // Keys: space plays, arrows step (Ctrl: stops, Shift: alarms), + and − change speed.
    const auto key = [this](const QKeySequence &seq, auto slot) {
        auto *s = new QShortcut(seq, this, slot);
        s->setContext(Qt::WidgetWithChildrenShortcut);
    };
    key(QKeySequence(Qt::Key_Space), [this] { m_model->togglePlay(); });
    key(QKeySequence(Qt::Key_Right), [this] { m_model->stepFix(1); });
    key(QKeySequence(Qt::Key_Left), [this] { m_model->stepFix(-1); });
    key(QKeySequence(Qt::CTRL | Qt::Key_Right), [this] { m_model->stepStop(1); });
    key(QKeySequence(Qt::CTRL | Qt::Key_Left), [this] { m_model->stepStop(-1); });
    key(QKeySequence(Qt::SHIFT | Qt::Key_Right), [this] { m_model->stepAlarm(1); });
    key(QKeySequence(Qt::SHIFT | Qt::Key_Left), [this] { m_model->stepAlarm(-1); });
    key(QKeySequence(Qt::Key_Plus), [this] { m_model->faster(); });
    key(QKeySequence(Qt::Key_Equal), [this] { m_model->faster(); });
    key(QKeySequence(Qt::Key_Minus), [this] { m_model->slower(); });
    key(QKeySequence(Qt::Key_V), [this] { requestVideo(); });
}

void PlaybackPanel::setSession(LiveSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (!session)
        return;
    connect(session, &LiveSession::trackProgress, this, &PlaybackPanel::trackProgress);
    connect(session, &LiveSession::trackStored, this, [this](int id) {
        // Shown as it arrives: read again once the burst settles.
        if (id != m_fetchId || m_reloadQueued)
            return;
        m_reloadQueued = true;
        QTimer::singleShot(250, this, [this] {
            m_reloadQueued = false;
            load();
        });
    });
    connect(session, &LiveSession::trackFetched, this, &PlaybackPanel::trackFetched);
}

void PlaybackPanel::setClock(Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
    if (m_preset->currentIndex() != int(Preset::Custom))
        Q_EMIT m_preset->currentIndexChanged(m_preset->currentIndex());
}

void PlaybackPanel::setNameLookup(std::function<QString(const QString &)> lookup)
{
    m_names = std::move(lookup);
    refreshNames();
}

void PlaybackPanel::refreshNames()
{
    for (int i = 0; i < m_vehicleList->count(); ++i) {
        QListWidgetItem *item = m_vehicleList->item(i);
        const QString imei = item->data(Qt::UserRole).toString();
        const QString name = m_names ? m_names(imei) : QString();
        item->setText(name.isEmpty() ? imei : name);
    }
}

void PlaybackPanel::addVehicle(const QString &imei)
{
    if (imei.isEmpty() || vehicles().contains(imei))
        return;
    const QString name = m_names ? m_names(imei) : QString();
    auto *item = new QListWidgetItem(name.isEmpty() ? imei : name, m_vehicleList);
    item->setData(Qt::UserRole, imei);
    item->setToolTip(imei);
    saveSettings();
}

void PlaybackPanel::setLocalGroups(const QList<LocalGroup> &groups)
{
    QMenu *menu = m_addGroup->menu();
    menu->clear();
    for (const LocalGroup &g : groups) {
        QAction *a = menu->addAction(tr("%1 (%n vehicle(s))", nullptr, int(g.imeis.size())).arg(g.name));
        a->setEnabled(!g.imeis.isEmpty());
        const QStringList imeis = g.imeis;
        connect(a, &QAction::triggered, this, [this, imeis] {
            for (const QString &imei : imeis)
                addVehicle(imei);
        });
    }
    m_addGroup->setEnabled(!groups.isEmpty());
}

void PlaybackPanel::removeVehicle(const QString &imei)
{
    for (int i = m_vehicleList->count() - 1; i >= 0; --i) {
        if (m_vehicleList->item(i)->data(Qt::UserRole).toString() == imei)
            delete m_vehicleList->takeItem(i);
    }
    saveSettings();
}

QStringList PlaybackPanel::vehicles() const
{
    QStringList out;
    for (int i = 0; i < m_vehicleList->count(); ++i)
        out.append(m_vehicleList->item(i)->data(Qt::UserRole).toString());
    return out;
}

void PlaybackPanel::setPreset(Preset preset)
{
    m_preset->setCurrentIndex(int(preset));
}

void PlaybackPanel::setCustomRange(const QDateTime &from, const QDateTime &to)
{
    m_preset->setCurrentIndex(int(Preset::Custom));
    m_from->setDateTime(from.toLocalTime());
    m_to->setDateTime(to.toLocalTime());
}

TimeSpan PlaybackPanel::presetRange(Preset preset, const QDateTime &now)
{
    // Days are the local calendar's, daylight-saving changes included.
    const QDateTime local = now.toLocalTime();
    const QDateTime midnight(local.date(), QTime(0, 0), Qt::LocalTime);
    switch (preset) {
    case Preset::Today: return {midnight.toUTC(), now.toUTC()};
    case Preset::Yesterday:
        return {QDateTime(local.date().addDays(-1), QTime(0, 0), Qt::LocalTime).toUTC(), midnight.toUTC().addSecs(-1)};
    case Preset::Last24h: return {now.toUTC().addSecs(-86400), now.toUTC()};
    case Preset::ThisWeek: {
        const QDate monday = local.date().addDays(1 - local.date().dayOfWeek());
        return {QDateTime(monday, QTime(0, 0), Qt::LocalTime).toUTC(), now.toUTC()};
    }
    case Preset::Custom: break;
    }
    return {};
}

TimeSpan PlaybackPanel::range() const
{
    if (m_preset->currentIndex() != int(Preset::Custom))
        return presetRange(Preset(m_preset->currentIndex()), m_clock->nowUtc());
    const QDateTime from = m_from->dateTime().toUTC();
    const QDateTime to = m_to->dateTime().toUTC();
    return {Utc::fromSecs(from.toSecsSinceEpoch()), Utc::fromSecs(to.toSecsSinceEpoch())};
}

void PlaybackPanel::saveSettings()
{
    if (!m_settings)
        return;
    m_settings->setPlaybackVehicles(vehicles());
    const bool custom = m_preset->currentIndex() == int(Preset::Custom);
    m_settings->setPlaybackRange(QString::fromLatin1(kPresetKeys[m_preset->currentIndex()]),
                                 custom ? m_from->dateTime().toUTC() : QDateTime(),
                                 custom ? m_to->dateTime().toUTC() : QDateTime());
}

void PlaybackPanel::show()
{
    const TimeSpan span = range();
    saveSettings();
    m_missingText.clear();
    if (vehicles().isEmpty()) {
        m_status->setText(tr("Choose a vehicle first: select it in the fleet list, then Vehicle ▸ Replay track."));
        return;
    }
    if (!span.isValid()) {
        m_status->setText(tr("The range ends before it starts."));
        return;
    }
    m_model->pause();
    m_model->setRange(span);
    m_model->setVehicles(QList<PlaybackModel::Vehicle>());
    if (m_session) {
        m_fetchId = m_session->fetchTrack(vehicles(), span);
        m_progress->setRange(0, 0);
        m_progress->setVisible(true);
        m_cancelButton->setVisible(true);
        m_status->setText(tr("Reading the store…"));
    }
    load();
}

void PlaybackPanel::cancelFetch()
{
    if (m_session && m_fetchId)
        m_session->cancelTrack(m_fetchId);
}

void PlaybackPanel::load()
{
    if (!m_session)
        return;
    const QString path = m_session->settings().databasePath;
    const QStringList imeis = vehicles();
    const TimeSpan span = m_model->range();
    const int generation = ++m_generation;
    auto result = std::make_shared<QList<PlaybackModel::Vehicle>>();
    // Off the GUI thread: a week of a vehicle is tens of thousands of rows.
    QThread *thread = QThread::create([path, imeis, span, result] {
        StoreReader reader;
        if (!reader.open(path))
            return;
        for (const QString &imei : imeis)
            result->append(PlaybackModel::Vehicle::make(TrackExport::prepare(VehicleHistory::load(reader, imei, span))));
    });
    m_loaders.append(thread);
    connect(thread, &QThread::finished, this, [this, thread, generation, result] {
        m_loaders.removeAll(thread);
        thread->deleteLater();
        loadFinished(generation, *result);
    });
    thread->start();
}

void PlaybackPanel::loadFinished(int generation, const QList<PlaybackModel::Vehicle> &vehicles)
{
    if (generation != m_generation)
        return; // a newer load is on its way
    const bool first = m_model->vehicles().isEmpty();
    m_model->setVehicles(vehicles);
    if (m_layer->focused().isEmpty() && !vehicles.isEmpty())
        m_layer->setFocused(vehicles.first().data.history.imei);
    fillTrips();
    updatePoint();
    qsizetype fixes = 0;
    for (const PlaybackModel::Vehicle &v : vehicles)
        fixes += v.data.history.fixes.size();
    if (!m_progress->isVisible()) {
        QString text = fixes == 0 ? tr("No fixes in this range.") : tr("%n fixes.", nullptr, int(fixes));
        if (!m_missingText.isEmpty())
            text += QLatin1Char(' ') + m_missingText;
        m_status->setText(text);
    }
    if (first && fixes > 0)
        fitToTrack();
    Q_EMIT loaded();
}

void PlaybackPanel::trackProgress(int id, int done, int total)
{
    if (id != m_fetchId)
        return;
    if (total == 0)
        return;
    m_progress->setRange(0, total);
    m_progress->setValue(done);
    m_status->setText(tr("Fetching history from the cloud: %1 of %2 parts…").arg(done).arg(total));
}

void PlaybackPanel::trackFetched(int id, const TrackFetcher::Outcome &outcome)
{
    if (id != m_fetchId)
        return;
    m_progress->setVisible(false);
    m_cancelButton->setVisible(false);
    QStringList parts;
    for (const TrackFetcher::Missing &m : outcome.missing) {
        const QString name = m_names ? m_names(m.imei) : QString();
        parts.append(tr("%1 from %2 to %3 (%4)")
                         .arg(name.isEmpty() ? m.imei : name, localText(m.span.from), localText(m.span.to), m.reason));
    }
    m_missingText = parts.isEmpty() ? QString()
        : outcome.cancelled         ? tr("Cancelled; not fetched: %1.").arg(parts.join(QStringLiteral("; ")))
                                    : tr("Missing: %1.").arg(parts.join(QStringLiteral("; ")));
    Q_EMIT fetchFinished(outcome);
    load();
}

void PlaybackPanel::fillTrips()
{
    m_trips->clear();
    for (const PlaybackModel::Vehicle &v : m_model->vehicles()) {
        const TrackAnalysis::Totals &t = v.data.summary.totals;
        auto *top = new QTreeWidgetItem(m_trips);
        top->setText(0, v.data.history.name);
        top->setForeground(0, v.colour);
        top->setText(5, tr("moving %1").arg(durationText(t.movingSecs)));
        top->setText(6, QString::number(t.distanceKm, 'f', 1));
        top->setText(7, QString::number(t.maxSpeedKmh, 'f', 0));
        top->setText(8, QString::number(t.avgSpeedKmh, 'f', 0));
        top->setText(9, durationText(t.idleSecs));
        top->setText(10, durationText(t.parkingSecs));
        top->setData(0, Qt::UserRole, v.data.history.imei);
        for (qsizetype i = 0; i < v.data.summary.trips.size(); ++i) {
            const TrackAnalysis::TripSummary &trip = v.data.summary.trips[i];
            auto *item = new QTreeWidgetItem(top);
            item->setText(0, trip.origin == TrackAnalysis::Origin::Cloud ? tr("Trip (cloud)") : tr("Trip"));
            item->setText(1, localText(trip.start));
            item->setText(2, localText(trip.end));
            item->setText(3, placeText(trip.startLat, trip.startLng));
            item->setText(4, placeText(trip.endLat, trip.endLng));
            item->setText(5, durationText(trip.seconds()));
            item->setText(6, QString::number(trip.distanceKm, 'f', 1));
            item->setText(7, QString::number(trip.maxSpeedKmh, 'f', 0));
            item->setText(8, QString::number(trip.avgSpeedKmh, 'f', 0));
            item->setText(9, durationText(trip.idleSecs));
            item->setData(0, Qt::UserRole, v.data.history.imei);
            item->setData(1, Qt::UserRole, trip.start.toMSecsSinceEpoch());
            item->setData(2, Qt::UserRole, trip.end.toMSecsSinceEpoch());
        }
        top->setExpanded(m_model->vehicles().size() <= 3);
    }
}

void PlaybackPanel::tripActivated(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const QString imei = item->data(0, Qt::UserRole).toString();
    m_layer->setFocused(imei);
    updatePoint();
    if (!item->parent())
        return;
    const qint64 from = item->data(1, Qt::UserRole).toLongLong();
    const qint64 to = item->data(2, Qt::UserRole).toLongLong();
    const qint64 margin = std::max<qint64>(60000, (to - from) / 10);
    m_timeline->setView(from - margin, to + margin);
    m_model->setPlayheadMs(from);
    // The trip on the map.
    const int index = m_model->vehicleIndex(imei);
    if (index < 0 || !m_map)
        return;
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(index);
    QRectF bounds;
    for (std::size_t i = 0; i < v.timesMs.size(); ++i) {
        if (v.timesMs[i] >= from && v.timesMs[i] <= to)
            bounds = bounds.united(QRectF(v.world[i], QSizeF(1e-9, 1e-9)));
    }
    if (!bounds.isNull())
        m_map->fitWorldRect(bounds);
}

PlaybackPanel::NearFix PlaybackPanel::nearestFix(const QPointF &screenPos) const
{
    NearFix near;
    if (!m_map || m_model->vehicles().isEmpty() || !m_layer->isVisible())
        return near;
    // The nearest fix within a finger's width.
    const Map::MapViewport &view = m_map->viewport();
    double best = 12.0 * 12.0;
    for (int i = 0; i < m_model->vehicles().size(); ++i) {
        const PlaybackModel::Vehicle &v = m_model->vehicles().at(i);
        for (std::size_t f = 0; f < v.world.size(); ++f) {
            const QPointF d = view.worldToScreen(v.world[f]) - screenPos;
            const double d2 = d.x() * d.x() + d.y() * d.y();
            if (d2 < best) {
                best = d2;
                near = {i, f};
            }
        }
    }
    return near;
}

bool PlaybackPanel::pickFix(const QPointF &screenPos)
{
    // Its vehicle in focus, the playhead on it.
    const NearFix near = nearestFix(screenPos);
    if (near.vehicle < 0)
        return false;
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(near.vehicle);
    m_layer->setFocused(v.data.history.imei);
    m_model->pause();
    m_model->setPlayheadMs(v.timesMs[near.fix]);
    updatePoint();
    return true;
}

QMenu *PlaybackPanel::trackPointMenu(const QPointF &screenPos)
{
    const NearFix near = nearestFix(screenPos);
    if (near.vehicle < 0)
        return nullptr;
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(near.vehicle);
    const QString imei = v.data.history.imei;
    const QDateTime at = Utc::fromMSecs(v.timesMs[near.fix]);
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("trackPointMenu"));
    QAction *video = menu->addAction(tr("&Video at this moment"));
    video->setObjectName(QStringLiteral("trackPointVideo"));
    video->setToolTip(tr("The recording of %1's dashcam at %2").arg(v.data.history.name, localText(at)));
    connect(video, &QAction::triggered, this, [this, screenPos, imei, at] {
        pickFix(screenPos);
        Q_EMIT videoRequested(imei, at);
    });
    QAction *here = menu->addAction(tr("&Playhead here"));
    here->setObjectName(QStringLiteral("trackPointPlayhead"));
    connect(here, &QAction::triggered, this, [this, screenPos] { pickFix(screenPos); });
    return menu;
}

void PlaybackPanel::requestVideo()
{
    int index = m_model->vehicleIndex(m_layer->focused());
    if (index < 0 && !m_model->vehicles().isEmpty())
        index = 0;
    if (index < 0) {
        m_status->setText(tr("Show a vehicle's track first: the video is of a moment of it."));
        return;
    }
    Q_EMIT videoRequested(m_model->vehicles().at(index).data.history.imei, m_model->playhead().toUTC());
}

void PlaybackPanel::updatePoint()
{
    int index = m_model->vehicleIndex(m_layer->focused());
    if (index < 0 && !m_model->vehicles().isEmpty())
        index = 0;
    if (index < 0) {
        m_point->clear();
        return;
    }
    const PlaybackModel::Vehicle &v = m_model->vehicles().at(index);
    const PlaybackModel::Sample s = m_model->sample(index);
    if (!s.valid || s.fixIndex < 0) {
        m_point->setText(tr("%1: no fix yet at %2").arg(v.data.history.name, localText(m_model->playhead())));
        return;
    }
    const Position &f = v.data.history.fixes[s.fixIndex];
    QStringList parts{v.data.history.name,
                      QLocale().toString(f.gpsTime.toLocalTime(), QStringLiteral("ddd d MMM HH:mm:ss")),
                      tr("%1 km/h").arg(QString::number(f.speedKmh.value_or(0.0), 'f', 0))};
    if (f.courseDeg)
        parts.append(tr("heading %1°").arg(QString::number(*f.courseDeg, 'f', 0)));
    if (f.acc)
        parts.append(*f.acc ? tr("ignition on") : tr("ignition off"));
    if (f.satellites)
        parts.append(tr("%n satellites", nullptr, *f.satellites));
    parts.append(positionTypeName(f.type));
    if (f.type == PositionType::Lbs || f.type == PositionType::Wifi)
        parts.append(tr("approximate (not GPS)"));
    if (f.reuploaded == true)
        parts.append(tr("sent late from the device's memory"));
    if (s.inGap)
        parts.append(tr("no fix for a while after this one"));
    m_point->setText(parts.join(QStringLiteral(" · ")));
}

QString PlaybackPanel::statusText() const
{
    return m_status->text();
}

QString PlaybackPanel::pointText() const
{
    return m_point->text();
}

void PlaybackPanel::setFollowPlayhead(bool follow)
{
    m_followButton->setChecked(follow);
}

void PlaybackPanel::fitToTrack()
{
    if (!m_map)
        return;
    QRectF bounds;
    for (const PlaybackModel::Vehicle &v : m_model->vehicles()) {
        for (const QPointF &w : v.world)
            bounds = bounds.united(QRectF(w, QSizeF(1e-9, 1e-9)));
    }
    if (!bounds.isNull())
        m_map->fitWorldRect(bounds);
}

namespace {

QList<TrackExport::Vehicle> shown(const PlaybackModel *model)
{
    QList<TrackExport::Vehicle> out;
    for (const PlaybackModel::Vehicle &v : model->vehicles())
        out.append(v.data);
    return out;
}

bool saveBytes(const QString &path, const std::function<bool(QIODevice *, QString *)> &write, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    if (!write(&file, error))
        return false;
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace

bool PlaybackPanel::exportTrack(const QString &path, int format, QString *error) const
{
    return exportShown(path, false, format, error);
}

bool PlaybackPanel::exportTrips(const QString &path, int format, QString *error) const
{
    return exportShown(path, true, format, error);
}

bool PlaybackPanel::exportShown(const QString &path, bool trips, int format, QString *error) const
{
    const QList<TrackExport::Vehicle> vehicles = shown(m_model);
    const auto f = TrackExport::Format(format);
    return saveBytes(
        path,
        [&](QIODevice *out, QString *e) {
            return trips ? TrackExport::writeTrips(vehicles, f, out, e) : TrackExport::writeTrack(vehicles, f, out, e);
        },
        error);
}

void PlaybackPanel::chooseExport(bool trips, int format)
{
    if (m_model->vehicles().isEmpty()) {
        m_status->setText(tr("Nothing to export: show a range first."));
        return;
    }
    const TrackExport::Format f = TrackExport::Format(format);
    const QString suggested = QStringLiteral("%1-%2.%3")
                                  .arg(trips ? QStringLiteral("trips") : QStringLiteral("track"),
                                       m_model->range().from.toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmm")),
                                       TrackExport::formatName(f));
    const QString path = QFileDialog::getSaveFileName(this, trips ? tr("Export trips") : tr("Export track"), suggested);
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = trips ? exportTrips(path, format, &error) : exportTrack(path, format, &error);
    if (!ok)
        QMessageBox::warning(this, tr("Export"), tr("Could not write %1: %2").arg(path, error));
    else
        m_status->setText(tr("Saved %1.").arg(path));
}

void PlaybackPanel::choosePdf()
{
    if (m_model->vehicles().isEmpty()) {
        m_status->setText(tr("Nothing to report: show a range first."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save report as PDF"), QStringLiteral("report.pdf"),
                                                      tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!savePdf(path, &error))
        QMessageBox::warning(this, tr("Report"), tr("Could not write %1: %2").arg(path, error));
    else
        m_status->setText(tr("Saved %1.").arg(path));
}

bool PlaybackPanel::savePdf(const QString &path, QString *error) const
{
    QPdfWriter pdf(path);
    pdf.setTitle(tr("FleetDesk track report"));
    pdf.setCreator(QStringLiteral("FleetDesk"));
    pdf.setResolution(150);
    return paintReport(&pdf, error);
}

void PlaybackPanel::printReport()
{
    if (m_model->vehicles().isEmpty()) {
        m_status->setText(tr("Nothing to report: show a range first."));
        return;
    }
    QPrinter printer(QPrinter::HighResolution);
    printer.setDocName(tr("FleetDesk track report"));
    QPrintDialog dialog(&printer, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!paintReport(&printer, &error))
        QMessageBox::warning(this, tr("Print"), tr("Could not print: %1").arg(error));
}

bool PlaybackPanel::paintReport(QPagedPaintDevice *device, QString *error) const
{
    device->setPageSize(QPageSize(QPageSize::A4));
    device->setPageOrientation(QPageLayout::Portrait);
    device->setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    QPainter p;
    if (!p.begin(device)) {
        *error = tr("cannot open the file or printer for writing");
        return false;
    }
    const QRect page = p.viewport();
    const int line = device->logicalDpiY() / 5; // about 5 mm
    QFont title = p.font();
    title.setPointSizeF(14);
    title.setBold(true);
    QFont body = p.font();
    body.setPointSizeF(9);
    int y = 0;
    const auto newPageIfNeeded = [&](int needed) {
        if (y + needed > page.height()) {
            device->newPage();
            y = 0;
        }
    };
    const auto text = [&](const QString &s, const QFont &font, int indent = 0) {
        p.setFont(font);
        newPageIfNeeded(line);
        p.drawText(QRect(indent, y, page.width() - indent, line), Qt::AlignLeft | Qt::AlignVCenter, s);
        y += line;
    };
    const TimeSpan r = m_model->range();
    text(tr("Track report: %1 to %2").arg(localText(r.from), localText(r.to)), title);
    text(tr("Times in local time (%1).").arg(r.from.toLocalTime().timeZoneAbbreviation()), body);
    y += line / 2;
    // The map as it is on screen, with the tracks.
    if (m_map) {
        const QPixmap shot = m_map->grab();
        const QSize fit = shot.size().scaled(page.width(), page.height() / 2, Qt::KeepAspectRatio);
        p.drawPixmap(QRect(QPoint(0, y), fit), shot);
        y += fit.height() + line / 2;
    }
    for (const PlaybackModel::Vehicle &v : m_model->vehicles()) {
        const TrackAnalysis::Totals &t = v.data.summary.totals;
        QFont bold = body;
        bold.setBold(true);
        newPageIfNeeded(4 * line);
        text(QStringLiteral("%1 (IMEI %2)").arg(v.data.history.name, v.data.history.imei), bold);
        text(tr("Distance %1 km · moving %2 · idling %3 · parked %4 · max %5 km/h · average %6 km/h · %7 trips")
                 .arg(QString::number(t.distanceKm, 'f', 1), durationText(t.movingSecs), durationText(t.idleSecs),
                      durationText(t.parkingSecs), QString::number(t.maxSpeedKmh, 'f', 0),
                      QString::number(t.avgSpeedKmh, 'f', 0))
                 .arg(t.trips),
             body, line);
        text(tr("Stops:"), bold, line);
        for (const TrackAnalysis::Stop &s : v.data.summary.stops) {
            text(tr("%1 – %2  %3  %4  %5")
                     .arg(localText(s.from), s.to.toLocalTime().toString(QStringLiteral("HH:mm")), durationText(s.seconds()),
                          s.kind == TrackAnalysis::StopKind::Parking ? tr("parked") : tr("idling"),
                          s.address.isEmpty() ? placeText(s.lat, s.lng) : s.address),
                 body, 2 * line);
        }
        if (v.data.summary.stops.isEmpty())
            text(tr("none"), body, 2 * line);
        y += line / 2;
    }
    if (!p.end()) {
        *error = tr("the PDF could not be finished");
        return false;
    }
    return true;
}

} // namespace Fleet
