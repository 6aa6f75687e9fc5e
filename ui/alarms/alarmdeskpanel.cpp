#include "alarmdeskpanel.h"

#include "alarmmediastrip.h"

#include "alarmtypes.h"

#include "history/alarmexport.h"
#include "util/clock.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace Fleet {

namespace {

QString localText(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

QString localSeconds(const QDateTime &t)
{
    if (!t.isValid())
        return {};
    const QDateTime local = t.toLocalTime();
    return QLocale().toString(local.date(), QLocale::ShortFormat) + QLatin1Char(' ')
        + local.time().toString(QStringLiteral("HH:mm:ss"));
}

QString actionText(AlarmActionKind kind)
{
    switch (kind) {
    case AlarmActionKind::Acknowledge: return AlarmDeskPanel::tr("acknowledged");
    case AlarmActionKind::Resolve: return AlarmDeskPanel::tr("resolved");
    case AlarmActionKind::Note: return AlarmDeskPanel::tr("added a note");
    case AlarmActionKind::DeviceAck: return AlarmDeskPanel::tr("sent the acknowledgement to the device");
    }
    return {};
}

QString deviceAckText(DeviceAckResult result)
{
    switch (result) {
    case DeviceAckResult::Sending: return AlarmDeskPanel::tr("sent, no answer recorded");
    case DeviceAckResult::Confirmed: return AlarmDeskPanel::tr("confirmed");
    case DeviceAckResult::Refused: return AlarmDeskPanel::tr("refused");
    case DeviceAckResult::Offline: return AlarmDeskPanel::tr("the device is offline");
    case DeviceAckResult::TimedOut: return AlarmDeskPanel::tr("the device did not answer in time");
    case DeviceAckResult::Failed: return AlarmDeskPanel::tr("not delivered");
    }
    return {};
}

// "confirmed", "the device is offline (300): Device offline".
QString deviceAnswerText(DeviceAckResult result, std::optional<int> code, const QString &message)
{
    QString text = deviceAckText(result);
    if (code)
        text += QStringLiteral(" (%1)").arg(*code);
    if (!message.isEmpty() && result != DeviceAckResult::Confirmed)
        text += QStringLiteral(": ") + message;
    return text;
}

} // namespace

AlarmDeskPanel::AlarmDeskPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new AlarmListModel(this))
    , m_operator(osUserName())
    , m_clock(Clock::system())
{
    buildUi();
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);
    connect(&m_searchDelay, &QTimer::timeout, this, &AlarmDeskPanel::applyFilter);
    connect(m_model, &AlarmListModel::countsChanged, this, &AlarmDeskPanel::updateTitle);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &top, const QModelIndex &bottom) {
        updateButtons();
        // The details (and their story and media, read from the store) only
        // when the row shown changed: a flood changes other rows every frame.
        const int current = m_view->selectionModel()->currentIndex().row();
        if (current >= top.row() && current <= bottom.row())
            showDetails();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateButtons();
        showDetails();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &AlarmDeskPanel::updateButtons);
}

AlarmDeskPanel::~AlarmDeskPanel() = default;

void AlarmDeskPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *filters = new QHBoxLayout;
    m_state = new QComboBox(this);
    m_state->setObjectName(QStringLiteral("alarmStateFilter"));
    m_state->addItem(tr("Unhandled"), QStringLiteral("unhandled"));
    m_state->addItem(tr("New"), QStringLiteral("new"));
    m_state->addItem(tr("Acknowledged"), QStringLiteral("acknowledged"));
    m_state->addItem(tr("Resolved"), QStringLiteral("resolved"));
    m_state->addItem(tr("All states"), QStringLiteral("all"));
    m_severity = new QComboBox(this);
    m_severity->setObjectName(QStringLiteral("alarmSeverityFilter"));
    m_severity->addItem(tr("Any severity"), QString());
    m_severity->addItem(tr("Critical"), QStringLiteral("critical"));
    m_severity->addItem(tr("Warning"), QStringLiteral("warning"));
    m_severity->addItem(tr("Info"), QStringLiteral("info"));
    m_period = new QComboBox(this);
    m_period->setObjectName(QStringLiteral("alarmPeriodFilter"));
    m_period->addItem(tr("Last 24 hours"), QStringLiteral("day"));
    m_period->addItem(tr("Last 7 days"), QStringLiteral("week"));
    m_period->addItem(tr("Last 30 days"), QStringLiteral("month"));
    m_period->addItem(tr("All time"), QStringLiteral("all"));
    m_period->setCurrentIndex(1);
    m_group = new QComboBox(this);
    m_group->setObjectName(QStringLiteral("alarmGroupFilter"));
    m_group->addItem(tr("All groups"), QString());
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("alarmSearch"));
    m_search->setPlaceholderText(tr("Vehicle, plate, IMEI, alarm, note…"));
    m_search->setClearButtonEnabled(true);
    for (QComboBox *box : {m_state, m_severity, m_period, m_group}) {
        filters->addWidget(box);
        connect(box, &QComboBox::currentIndexChanged, this, &AlarmDeskPanel::applyFilter);
    }
    filters->addWidget(m_search, 1);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    m_vehicleOnly = new QToolButton(this);
    m_vehicleOnly->setObjectName(QStringLiteral("alarmVehicleOnly"));
    m_vehicleOnly->setCheckable(true);
    m_vehicleOnly->setEnabled(false);
    m_vehicleOnly->setText(tr("Only this vehicle"));
    m_vehicleOnly->setToolTip(tr("Select a vehicle to list its alarms alone"));
    filters->insertWidget(filters->indexOf(m_search), m_vehicleOnly);
    connect(m_vehicleOnly, &QToolButton::toggled, this, &AlarmDeskPanel::applyFilter);
    m_searching = new QLabel(tr("Searching…"), this);
    m_searching->setObjectName(QStringLiteral("alarmSearching"));
    m_searching->setVisible(false);
    filters->addWidget(m_searching);
    connect(m_model, &AlarmListModel::searchingChanged, m_searching, &QLabel::setVisible);
    m_savedBox = new QComboBox(this);
    m_savedBox->setObjectName(QStringLiteral("alarmSavedFilters"));
    m_savedBox->setToolTip(tr("Filters saved under a name: choose one to apply it"));
    m_savedBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_saveFilters = new QToolButton(this);
    m_saveFilters->setObjectName(QStringLiteral("alarmSaveFilters"));
    m_saveFilters->setText(tr("Save…"));
    m_saveFilters->setToolTip(tr("Save these filters under a name"));
    m_deleteFilters = new QToolButton(this);
    m_deleteFilters->setObjectName(QStringLiteral("alarmDeleteFilters"));
    m_deleteFilters->setText(tr("Delete"));
    m_deleteFilters->setToolTip(tr("Delete the saved filters chosen"));
    filters->addWidget(m_savedBox);
    filters->addWidget(m_saveFilters);
    filters->addWidget(m_deleteFilters);
    connect(m_savedBox, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            applySavedFilter(m_savedBox->itemText(index));
    });
    connect(m_saveFilters, &QToolButton::clicked, this, &AlarmDeskPanel::askSaveFilters);
    connect(m_deleteFilters, &QToolButton::clicked, this, [this] {
        if (m_savedBox->currentIndex() > 0)
            deleteSavedFilter(m_savedBox->currentText());
    });
    fillSavedMenu();
    layout->addLayout(filters);

    // The dock is wide and short: the details beside the list.
    auto *split = new QSplitter(Qt::Horizontal, this);
    m_view = new QTableView(split);
    m_view->setObjectName(QStringLiteral("alarmList"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setMinimumSectionSize(3 * m_view->fontMetrics().horizontalAdvance(QLatin1Char('M')));
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const int em = m_view->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int widths[AlarmListModel::ColumnCount] = {10, 14, 8, 13, 6, 11, 5, 8, 8};
    for (int c = 0; c < AlarmListModel::ColumnCount; ++c)
        m_view->setColumnWidth(c, widths[c] * em);
    connect(m_view, &QTableView::doubleClicked, this, &AlarmDeskPanel::activate);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        showDetails();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AlarmDeskPanel::showDetails);

    // The details over the photos and clips; the dispatcher moves the line.
    auto *side = new QSplitter(Qt::Vertical, split);
    side->setChildrenCollapsible(false);
    m_details = new QPlainTextEdit(side);
    m_details->setObjectName(QStringLiteral("alarmDetails"));
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select an alarm to see its details and what was done about it."));
    m_media = new AlarmMediaStrip(side);
    m_media->setObjectName(QStringLiteral("alarmMedia"));
    side->setStretchFactor(0, 1);
    side->setStretchFactor(1, 0);
    connect(m_media, &AlarmMediaStrip::askRequested, this, &AlarmDeskPanel::askMedia);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({900, 300});
    layout->addWidget(split, 1);

    auto *actions = new QHBoxLayout;
    m_note = new QLineEdit(this);
    m_note->setObjectName(QStringLiteral("alarmNote"));
    m_note->setPlaceholderText(tr("Note (optional)"));
    m_note->setMaxLength(2000);
    m_ack = new QPushButton(tr("&Acknowledge"), this);
    m_ack->setObjectName(QStringLiteral("alarmAcknowledge"));
    m_ack->setToolTip(tr("Acknowledge the selected alarms (Ctrl+K), with the note"));
    m_ack->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_resolve = new QPushButton(tr("Re&solve"), this);
    m_resolve->setObjectName(QStringLiteral("alarmResolve"));
    m_resolve->setToolTip(tr("Resolve the selected alarms, with the note"));
    m_addNote = new QPushButton(tr("Add &note"), this);
    m_addNote->setObjectName(QStringLiteral("alarmAddNote"));
    m_replay = new QPushButton(tr("&Replay"), this);
    m_replay->setObjectName(QStringLiteral("alarmReplay"));
    m_replay->setToolTip(tr("Replay the vehicle from 10 minutes before the alarm to 5 minutes after"));
    m_cameras = new QPushButton(tr("Ca&meras"), this);
    m_cameras->setObjectName(QStringLiteral("alarmCameras"));
    m_cameras->setToolTip(tr("Watch the vehicle's dashcam live"));
    connect(m_cameras, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        if (const AlarmDeskRow *r = rows.size() == 1 ? m_model->rowAt(rows.constFirst().row()) : nullptr)
            Q_EMIT camerasRequested(r->alarm.imei);
    });
    m_gallery = new QPushButton(tr("Photos && clips"), this);
    m_gallery->setObjectName(QStringLiteral("alarmGallery"));
    m_gallery->setToolTip(tr("All the photos and clips of the vehicle's dashcam; take one now"));
    connect(m_gallery, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        if (const AlarmDeskRow *r = rows.size() == 1 ? m_model->rowAt(rows.constFirst().row()) : nullptr)
            Q_EMIT galleryRequested(r->alarm.imei);
    });
    m_export = new QPushButton(tr("&Export…"), this);
    m_export->setObjectName(QStringLiteral("alarmExport"));
    m_export->setToolTip(tr("Export every alarm the filters match as CSV"));
    connect(m_ack, &QPushButton::clicked, this, &AlarmDeskPanel::acknowledgeSelected);
    connect(m_resolve, &QPushButton::clicked, this, &AlarmDeskPanel::resolveSelected);
    connect(m_addNote, &QPushButton::clicked, this, &AlarmDeskPanel::addNoteToSelected);
    connect(m_note, &QLineEdit::returnPressed, this, &AlarmDeskPanel::acknowledgeSelected);
    connect(m_note, &QLineEdit::textChanged, this, &AlarmDeskPanel::updateButtons);
    connect(m_replay, &QPushButton::clicked, this, &AlarmDeskPanel::replaySelected);
    connect(m_export, &QPushButton::clicked, this, &AlarmDeskPanel::chooseExport);
    m_deviceAck = new QPushButton(tr("On &device"), this);
    m_deviceAck->setObjectName(QStringLiteral("alarmDeviceAck"));
    m_deviceAck->setToolTip(tr("Acknowledge the alarm on the device itself (clears its alarm state), "
                               "through the account's instruction gateway"));
    m_deviceAck->setVisible(false);
    connect(m_deviceAck, &QPushButton::clicked, this, &AlarmDeskPanel::ackSelectedOnDevice);
    actions->addWidget(m_note, 1);
    actions->addWidget(m_ack);
    actions->addWidget(m_deviceAck);
    actions->addWidget(m_resolve);
    actions->addWidget(m_addNote);
    actions->addWidget(m_replay);
    actions->addWidget(m_cameras);
    actions->addWidget(m_gallery);
    actions->addWidget(m_export);
    layout->addLayout(actions);

    auto *who = new QHBoxLayout;
    m_operatorLabel = new QLabel(this);
    m_operatorLabel->setTextFormat(Qt::PlainText);
    auto *change = new QToolButton(this);
    change->setText(tr("Change…"));
    change->setAutoRaise(true);
    connect(change, &QToolButton::clicked, this, &AlarmDeskPanel::operatorChangeRequested);
    m_deviceAckStatus = new QLabel(this);
    m_deviceAckStatus->setObjectName(QStringLiteral("alarmDeviceAckStatus"));
    m_deviceAckStatus->setTextFormat(Qt::PlainText); // it quotes the cloud
    who->addWidget(m_operatorLabel);
    who->addWidget(change);
    who->addWidget(m_deviceAckStatus);
    who->addStretch(1);
    m_footer = who;
    layout->addLayout(who);
    setOperatorName(m_operator);
    updateButtons();
}

void AlarmDeskPanel::addFooterWidget(QWidget *widget)
{
    m_footer->addWidget(widget);
}

bool AlarmDeskPanel::open(const QString &databasePath)
{
    if (!m_model->open(databasePath))
        return false;
    const QList<DeviceGroup> groups = m_model->reader().groups();
    const QSignalBlocker block(m_group);
    while (m_group->count() > 1) // a database opened before: its groups go
        m_group->removeItem(1);
    for (const DeviceGroup &g : groups)
        m_group->addItem(g.name.isEmpty() ? g.id : g.name, g.id);
    m_model->setExternalPollInterval(2000);
    // Another database: its alarm ids are other alarms.
    forgetMediaAsked();
    m_media->setMedia(0, {});
    applyFilter();
    return true;
}

void AlarmDeskPanel::setActionSink(ActionSink sink)
{
    m_sink = std::move(sink);
    updateButtons();
}

void AlarmDeskPanel::setDeviceAckSink(DeviceAckSink sink)
{
    m_deviceAckSink = std::move(sink);
    m_deviceAck->setVisible(bool(m_deviceAckSink));
    updateButtons();
}

std::optional<DeviceAckRequest> AlarmDeskPanel::deviceAckRequest()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    const AlarmDeskRow *r = rows.size() == 1 ? m_model->rowAt(rows.constFirst().row()) : nullptr;
    if (!r)
        return std::nullopt;
    // A fold's alarms are read once per row and size, not at every keystroke.
    // (A row's serial number may come later: the push's, after the poll's row.)
    if (m_ackTarget.id == r->id && m_ackTarget.count == r->count
        && m_ackTarget.numbered == r->alarm.serialNo.has_value()) {
        if (m_ackTarget.request)
            m_ackTarget.request->operatorName = m_operator;
        return m_ackTarget.request;
    }
    m_ackTarget = AckTarget{r->id, r->count, r->alarm.serialNo.has_value(), findDeviceAck(*r)};
    return m_ackTarget.request;
}

std::optional<DeviceAckRequest> AlarmDeskPanel::findDeviceAck(const AlarmDeskRow &row)
{
    // A row that folds nothing is its own fold: no read.
    return Fleet::deviceAckRequest(row.count == 1 ? QList<AlarmDeskRow>{row} : m_model->reader().alarmFold(row.id),
                                   m_operator);
}

bool AlarmDeskPanel::ackSelectedOnDevice()
{
    if (!m_deviceAckSink)
        return false;
    const std::optional<DeviceAckRequest> request = deviceAckRequest();
    if (!request)
        return false;
    m_deviceAckStatus->setText(tr("Asking the device to acknowledge alarm %1…").arg(request->alarmId));
    m_deviceAckSink(*request);
    return true;
}

void AlarmDeskPanel::deviceAckAnswered(const AlarmDeviceAck &answer)
{
    m_deviceAckStatus->setText(tr("Device acknowledgement of alarm %1 (serial %2): %3")
                                   .arg(answer.alarmId)
                                   .arg(answer.serialNo)
                                   .arg(deviceAnswerText(answer.result, answer.code, answer.message)));
    showDetails();
}

QString AlarmDeskPanel::deviceAckStatus() const
{
    return m_deviceAckStatus->text();
}

void AlarmDeskPanel::setOperatorName(const QString &name)
{
    m_operator = name.trimmed().isEmpty() ? osUserName() : name.trimmed();
    m_operatorLabel->setText(tr("Acting as %1").arg(m_operator));
}

void AlarmDeskPanel::setSeverities(const AlarmSeverities &severities)
{
    m_model->setSeverities(severities);
    applyFilter();
}

void AlarmDeskPanel::setClock(Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
    applyFilter();
}

QString AlarmDeskPanel::stateFilter() const
{
    return m_state->currentData().toString();
}

QString AlarmDeskPanel::period() const
{
    return m_period->currentData().toString();
}

void AlarmDeskPanel::setView(const QString &state, const QString &period)
{
    const QSignalBlocker a(m_state);
    const QSignalBlocker b(m_period);
    if (const int i = m_state->findData(state); i >= 0)
        m_state->setCurrentIndex(i);
    if (const int i = m_period->findData(period); i >= 0)
        m_period->setCurrentIndex(i);
    applyFilter();
}

void AlarmDeskPanel::setSearchText(const QString &text)
{
    m_search->setText(text);
    m_searchDelay.stop();
    applyFilter();
}

void AlarmDeskPanel::setSelectedVehicle(const QString &imei, const QString &name)
{
    m_vehicleImei = imei;
    m_vehicleOnly->setEnabled(!imei.isEmpty());
    // The name is the cloud's: no mnemonic from its '&', no markup in the tooltip.
    QString shown = name.isEmpty() ? imei : name;
    m_vehicleOnly->setText(imei.isEmpty() ? tr("Only this vehicle")
                                          : tr("Only %1").arg(shown.replace(QLatin1Char('&'), QStringLiteral("&&"))));
    m_vehicleOnly->setToolTip(imei.isEmpty() ? tr("Select a vehicle to list its alarms alone")
                                             : QStringLiteral("<p>%1</p>")
                                                   .arg(tr("List the alarms of %1 (IMEI %2) alone")
                                                            .arg(name, imei)
                                                            .toHtmlEscaped()));
    if (imei.isEmpty() && m_vehicleOnly->isChecked())
        m_vehicleOnly->setChecked(false); // applies the filter
    else if (m_vehicleOnly->isChecked())
        applyFilter();
}

void AlarmDeskPanel::setVehicleOnly(bool on)
{
    m_vehicleOnly->setChecked(on && !m_vehicleImei.isEmpty());
}

bool AlarmDeskPanel::vehicleOnly() const
{
    return m_vehicleOnly->isChecked();
}

void AlarmDeskPanel::setSavedFilters(const QList<SavedAlarmFilter> &filters)
{
    m_saved = filters;
    fillSavedMenu();
}

int AlarmDeskPanel::savedIndex(const QString &name) const
{
    // Item 0 is the box's title, whatever a saved name says.
    for (int i = 1; i < m_savedBox->count(); ++i) {
        if (m_savedBox->itemText(i) == name)
            return i;
    }
    return 0;
}

void AlarmDeskPanel::fillSavedMenu()
{
    const QString current = m_savedBox->currentIndex() > 0 ? m_savedBox->currentText() : QString();
    const QSignalBlocker block(m_savedBox);
    m_savedBox->clear();
    m_savedBox->addItem(m_saved.isEmpty() ? tr("No saved filters") : tr("Saved filters"));
    for (const SavedAlarmFilter &f : std::as_const(m_saved))
        m_savedBox->addItem(f.name); // plain text: a combo box item is never markup
    m_savedBox->setCurrentIndex(current.isEmpty() ? 0 : savedIndex(current));
    m_savedBox->setEnabled(!m_saved.isEmpty());
    m_deleteFilters->setEnabled(m_savedBox->currentIndex() > 0);
}

SavedAlarmFilter AlarmDeskPanel::currentFilters(const QString &name) const
{
    SavedAlarmFilter f;
    f.name = name.trimmed();
    f.state = stateFilter();
    f.severity = m_severity->currentData().toString();
    f.period = period();
    f.groupId = m_group->currentData().toString();
    f.text = m_search->text().trimmed();
    return f;
}

bool AlarmDeskPanel::saveFiltersAs(const QString &name)
{
    const SavedAlarmFilter f = currentFilters(name);
    if (f.name.isEmpty())
        return false;
    const auto same = std::find_if(m_saved.begin(), m_saved.end(),
                                   [&f](const SavedAlarmFilter &s) { return s.name == f.name; });
    if (same != m_saved.end())
        *same = f;
    else
        m_saved.append(f);
    fillSavedMenu();
    m_savedBox->setCurrentIndex(savedIndex(f.name));
    m_deleteFilters->setEnabled(true);
    Q_EMIT savedFiltersChanged(m_saved);
    return true;
}

bool AlarmDeskPanel::applySavedFilter(const QString &name)
{
    const auto it = std::find_if(m_saved.cbegin(), m_saved.cend(),
                                 [&name](const SavedAlarmFilter &s) { return s.name == name; });
    if (it == m_saved.cend())
        return false;
    {
        const QSignalBlocker a(m_state);
        const QSignalBlocker b(m_severity);
        const QSignalBlocker c(m_period);
        const QSignalBlocker d(m_group);
        const QSignalBlocker e(m_search);
        // A value the desk no longer has (a group gone) falls back to "all".
        const auto choose = [](QComboBox *box, const QString &value) {
            const int i = box->findData(value);
            box->setCurrentIndex(i >= 0 ? i : box->findData(QString()) >= 0 ? box->findData(QString()) : 0);
        };
        choose(m_state, it->state);
        choose(m_severity, it->severity);
        choose(m_period, it->period);
        choose(m_group, it->groupId);
        m_search->setText(it->text);
    }
    m_searchDelay.stop();
    m_savedBox->setCurrentIndex(savedIndex(it->name));
    m_deleteFilters->setEnabled(true);
    applyFilter();
    return true;
}

bool AlarmDeskPanel::deleteSavedFilter(const QString &name)
{
    const qsizetype removed = m_saved.removeIf([&name](const SavedAlarmFilter &s) { return s.name == name; });
    if (removed == 0)
        return false;
    m_savedBox->setCurrentIndex(0);
    fillSavedMenu();
    Q_EMIT savedFiltersChanged(m_saved);
    return true;
}

void AlarmDeskPanel::askSaveFilters()
{
    bool ok = false;
    const QString suggested = m_savedBox->currentIndex() > 0 ? m_savedBox->currentText() : QString();
    const QString name = QInputDialog::getText(this, tr("Save filters"), tr("Name of these filters:"),
                                               QLineEdit::Normal, suggested, &ok)
                             .trimmed();
    if (ok && !name.isEmpty())
        saveFiltersAs(name);
}

void AlarmDeskPanel::applyFilter()
{
    // The saved filters' name stays shown only while the filters are theirs.
    if (m_savedBox && m_savedBox->currentIndex() > 0) {
        const QString name = m_savedBox->currentText();
        const bool same = std::any_of(m_saved.cbegin(), m_saved.cend(), [this, &name](const SavedAlarmFilter &s) {
            return s == currentFilters(name);
        });
        if (!same) {
            const QSignalBlocker block(m_savedBox);
            m_savedBox->setCurrentIndex(0);
            m_deleteFilters->setEnabled(false);
        }
    }
    AlarmFilter f;
    const QString state = stateFilter();
    if (state == QLatin1String("unhandled"))
        f.states = {AlarmState::New, AlarmState::Acknowledged};
    else if (const std::optional<AlarmState> s = alarmStateFromName(state))
        f.states = {*s};
    const AlarmSeverities &sev = m_model->severities();
    const QString severity = m_severity->currentData().toString();
    if (severity == QLatin1String("critical"))
        f.typeIds = sev.codes(AlarmSeverity::Critical);
    else if (severity == QLatin1String("info"))
        f.typeIds = sev.codes(AlarmSeverity::Info);
    else if (severity == QLatin1String("warning"))
        f.excludedTypeIds = sev.codes(AlarmSeverity::Critical) + sev.codes(AlarmSeverity::Info);
    const QString p = period();
    const QDateTime now = m_clock->nowUtc();
    if (p == QLatin1String("day"))
        f.from = now.addDays(-1);
    else if (p == QLatin1String("week"))
        f.from = now.addDays(-7);
    else if (p == QLatin1String("month"))
        f.from = now.addDays(-30);
    f.groupId = m_group->currentData().toString();
    if (m_vehicleOnly && m_vehicleOnly->isChecked() && !m_vehicleImei.isEmpty())
        f.imeis = {m_vehicleImei};
    f.text = m_search->text().trimmed();
    if (!f.text.isEmpty()) {
        // The names on screen are ours (and translated): match them here.
        const QStringList codes = alarmTypeCodes();
        for (const QString &code : codes) {
            if (alarmTypeDisplayName(code).contains(f.text, Qt::CaseInsensitive))
                f.textTypeIds.append(code);
        }
    }
    if (f == m_model->filter() && m_model->rowCount() > 0)
        return;
    m_model->setFilter(f);
}

QList<qint64> AlarmDeskPanel::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &i : rows)
        ids.append(i.data(AlarmListModel::IdRole).toLongLong());
    return ids;
}

void AlarmDeskPanel::selectId(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    m_view->selectionModel()->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::ClearAndSelect
                                                                         | QItemSelectionModel::Rows);
    m_view->scrollTo(m_model->index(row, 0));
}

void AlarmDeskPanel::acknowledgeSelected()
{
    act(AlarmActionKind::Acknowledge);
}

void AlarmDeskPanel::resolveSelected()
{
    act(AlarmActionKind::Resolve);
}

void AlarmDeskPanel::addNoteToSelected()
{
    act(AlarmActionKind::Note);
}

void AlarmDeskPanel::act(AlarmActionKind kind)
{
    if (!m_sink)
        return;
    const QString note = m_note->text().trimmed();
    if (kind == AlarmActionKind::Note && note.isEmpty()) {
        m_note->setFocus();
        return;
    }
    QList<AlarmAction> actions;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &i : rows) {
        const AlarmDeskRow *r = m_model->rowAt(i.row());
        if (!r)
            continue;
        const AlarmState target = kind == AlarmActionKind::Resolve ? AlarmState::Resolved : AlarmState::Acknowledged;
        if (kind != AlarmActionKind::Note && !alarmStepAllowed(r->state, target))
            continue;
        AlarmAction a;
        a.alarmId = r->id;
        a.kind = kind;
        a.operatorName = m_operator;
        a.note = note;
        actions.append(a);
    }
    if (actions.isEmpty())
        return;
    m_sink(actions);
    m_note->clear();
}

void AlarmDeskPanel::updateButtons()
{
    bool canAck = false;
    bool canResolve = false;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &i : rows) {
        const AlarmState s = AlarmState(i.data(AlarmListModel::StateRole).toInt());
        canAck = canAck || alarmStepAllowed(s, AlarmState::Acknowledged);
        canResolve = canResolve || alarmStepAllowed(s, AlarmState::Resolved);
    }
    const bool writable = bool(m_sink);
    m_ack->setEnabled(writable && canAck);
    m_resolve->setEnabled(writable && canResolve);
    m_addNote->setEnabled(writable && !rows.isEmpty() && !m_note->text().trimmed().isEmpty());
    m_replay->setEnabled(rows.size() == 1);
    m_cameras->setEnabled(rows.size() == 1);
    m_gallery->setEnabled(rows.size() == 1);
    if (m_deviceAckSink) {
        const std::optional<DeviceAckRequest> request = deviceAckRequest();
        m_deviceAck->setEnabled(request.has_value());
        m_deviceAck->setToolTip(request ? tr("Acknowledge alarm %1 on the device (serial %2), through the account's "
                                             "instruction gateway")
                                              .arg(request->alarmId)
                                              .arg(request->serialNo)
                                        : tr("Only one alarm whose device sent a serial number can be acknowledged "
                                             "on the device"));
    }
}

QString AlarmDeskPanel::titleText() const
{
    const QHash<AlarmState, qint64> &c = m_model->counts();
    QStringList parts;
    if (const qint64 n = c.value(AlarmState::New))
        parts.append(tr("%n new", nullptr, int(qMin<qint64>(n, INT_MAX))));
    if (const qint64 n = c.value(AlarmState::Acknowledged))
        parts.append(tr("%n acknowledged", nullptr, int(qMin<qint64>(n, INT_MAX))));
    return parts.isEmpty() ? tr("Alarms") : tr("Alarms — %1").arg(parts.join(QStringLiteral(", ")));
}

void AlarmDeskPanel::updateTitle()
{
    Q_EMIT titleChanged(titleText());
}

QString AlarmDeskPanel::detailsText() const
{
    return m_details->toPlainText();
}

void AlarmDeskPanel::showDetails()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    const AlarmDeskRow *r = current.isValid() ? m_model->rowAt(current.row()) : nullptr;
    if (!r) {
        m_details->clear();
        m_media->setMedia(0, {});
        m_media->setStatus(QString());
        return;
    }
    showMedia(*r);
    const Alarm &a = r->alarm;
    QStringList lines;
    lines << QStringLiteral("%1 — %2")
                 .arg(AlarmListModel::typeText(*r),
                      AlarmListModel::severityText(m_model->severities().of(a.typeId)));
    lines << tr("Vehicle: %1%2 (IMEI %3)")
                 .arg(r->vehicleName, r->plate.isEmpty() ? QString() : QStringLiteral(" · ") + r->plate, a.imei);
    if (!r->knownDevice)
        lines << tr("This IMEI is not among the account's devices.");
    if (!r->groupName.isEmpty())
        lines << tr("Group: %1").arg(r->groupName);
    lines << tr("Time: %1 (%2 UTC)")
                 .arg(localSeconds(a.time), a.time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    if (r->count > 1)
        lines << tr("Raised %1 times, the last at %2").arg(r->count).arg(localSeconds(r->lastTime));
    if (a.lat && a.lng) {
        lines << tr("Place: %1, %2%3")
                     .arg(*a.lat, 0, 'f', 6)
                     .arg(*a.lng, 0, 'f', 6)
                     .arg(a.speedKmh ? tr(" at %1 km/h").arg(qRound(*a.speedKmh)) : QString());
    } else {
        lines << tr("Place: the alarm carries no position");
    }
    if (!a.typeName.isEmpty() && a.typeName != alarmTypeText(a.typeId))
        lines << tr("The cloud's name: %1 (code %2)").arg(a.typeName, a.typeId);
    if (!a.driverName.isEmpty() || !a.driverId.isEmpty())
        lines << tr("Driver: %1 %2").arg(a.driverName, a.driverId.isEmpty() ? QString() : QStringLiteral("(%1)").arg(a.driverId));
    if (a.serialNo)
        lines << tr("Device serial number: %1").arg(*a.serialNo);
    if (!a.value.isEmpty())
        lines << tr("Value: %1").arg(a.value);
    if (!a.mediaFile.isEmpty())
        lines << tr("Media taken by the device: %1").arg(a.mediaFile);
    lines << tr("State: %1").arg(AlarmListModel::stateText(r->state))
                 + (r->handledBy.isEmpty() ? QString()
                                           : tr(" by %1 at %2").arg(r->handledBy, localText(r->handledAt)));
    // The story, each step once (a step on a fold is kept for each of its alarms).
    const QList<AlarmActionRecord> story = m_model->reader().alarmActions(r->id);
    if (!story.isEmpty()) {
        lines << QString() << tr("History:");
        struct Step
        {
            const AlarmActionRecord *record;
            int alarms;
        };
        QList<Step> steps;
        for (const AlarmActionRecord &s : story) {
            if (!steps.isEmpty()) {
                const AlarmActionRecord &last = *steps.constLast().record;
                if (s.kind != AlarmActionKind::DeviceAck && last.kind == s.kind && last.operatorName == s.operatorName
                    && last.at == s.at && last.note == s.note) {
                    ++steps.last().alarms;
                    continue;
                }
            }
            steps.append(Step{&s, 1});
        }
        for (const Step &step : std::as_const(steps)) {
            const AlarmActionRecord &s = *step.record;
            QString line = tr("%1  %2 %3").arg(localSeconds(s.at), s.operatorName, actionText(s.kind));
            if (step.alarms > 1)
                line += tr(" (%n alarms)", nullptr, step.alarms);
            if (!s.note.isEmpty())
                line += QStringLiteral(": ") + s.note;
            if (s.kind == AlarmActionKind::DeviceAck && s.deviceResult) {
                line += tr(" (serial %1): %2")
                            .arg(s.serialNo.value_or(0))
                            .arg(deviceAnswerText(*s.deviceResult, s.resultCode, s.resultMessage));
            }
            lines << line;
        }
    }
    m_details->setPlainText(lines.join(QLatin1Char('\n')));
}

namespace {

// The lines under the thumbnails.
QString mediaCountText(qsizetype n)
{
    return AlarmDeskPanel::tr("%n photo(s) or clip(s); double-click one to open it.", nullptr, int(n));
}

QString askingText()
{
    return AlarmDeskPanel::tr("Asking the cloud for photos and clips…");
}

} // namespace

void AlarmDeskPanel::setMediaSink(MediaSink sink)
{
    m_mediaSink = std::move(sink);
    m_media->setCanAsk(bool(m_mediaSink));
    // A new session: what the last one was asked is not its to answer.
    forgetMediaAsked();
}

void AlarmDeskPanel::forgetMediaAsked()
{
    m_mediaAsked.clear();
    if (m_mediaAsking.remove(m_media->alarmId()))
        m_media->setStatus(QString());
    m_mediaAsking.clear();
}

void AlarmDeskPanel::showMedia(const AlarmDeskRow &row)
{
    const QList<StoredMedia> media = m_model->reader().alarmMedia(row.id);
    // Details are shown again on every change of the list: the line under
    // the thumbnails (a fetch, an error) stays until another alarm is shown
    // or its media change.
    const bool another = m_media->alarmId() != row.id;
    const bool changed = m_media->setMedia(row.id, media);
    if (m_mediaAsking.contains(row.id)) {
        m_media->setStatus(askingText());
        return;
    }
    // The device named a file, or the store knows of files but not where
    // they are: the cloud has them to list.
    const bool named = !row.alarm.mediaFile.isEmpty()
        || std::any_of(media.cbegin(), media.cend(), [](const StoredMedia &m) { return m.fileUrl.isEmpty(); });
    if (m_mediaSink && named && !m_mediaAsked.contains(row.id)) {
        askMedia(row.id);
        return;
    }
    if (!another && !(changed && m_mediaCountShown))
        return;
    m_mediaCountShown = true;
    if (media.isEmpty()) {
        m_media->setStatus(m_mediaSink ? tr("No photos or clips are known for this alarm.")
                                       : tr("No photos or clips for this alarm."));
    } else {
        m_media->setStatus(mediaCountText(media.size()));
    }
}

void AlarmDeskPanel::askMedia(qint64 alarmId)
{
    if (!m_mediaSink || m_mediaAsking.contains(alarmId))
        return;
    const std::optional<AlarmMediaRequest> request = alarmMediaRequest(m_model->reader().alarmFold(alarmId));
    if (!request) {
        m_media->setStatus(tr("This alarm has no device or time to look up."));
        return;
    }
    m_mediaAsked.insert(alarmId);
    m_mediaAsking.insert(alarmId);
    m_mediaCountShown = false;
    m_media->setStatus(askingText());
    m_mediaSink(*request);
}

void AlarmDeskPanel::alarmMediaFetched(const AlarmMediaOutcome &outcome)
{
    m_mediaAsking.remove(outcome.alarmId);
    if (m_media->alarmId() != outcome.alarmId)
        return;
    const QList<StoredMedia> media = m_model->reader().alarmMedia(outcome.alarmId);
    m_media->setMedia(outcome.alarmId, media);
    m_mediaCountShown = outcome.error.isEmpty() && !media.isEmpty();
    if (!outcome.error.isEmpty())
        m_media->setStatus(tr("The cloud's list could not be read whole: %1").arg(outcome.error));
    else if (media.isEmpty())
        m_media->setStatus(tr("The cloud has no photos or clips for this alarm."));
    else
        m_media->setStatus(mediaCountText(media.size()));
}

void AlarmDeskPanel::activate(const QModelIndex &index)
{
    const AlarmDeskRow *r = m_model->rowAt(index.row());
    if (!r)
        return;
    const bool hasPlace = r->alarm.lat && r->alarm.lng;
    Q_EMIT locateRequested(r->alarm.imei, hasPlace ? *r->alarm.lat : 0, hasPlace ? *r->alarm.lng : 0, hasPlace);
}

void AlarmDeskPanel::replaySelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return;
    const AlarmDeskRow *r = m_model->rowAt(rows.constFirst().row());
    if (!r)
        return;
    Q_EMIT replayRequested(r->alarm.imei, r->alarm.time.addSecs(-10 * 60), r->lastTime.addSecs(5 * 60));
}

bool AlarmDeskPanel::exportCsv(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    const QList<AlarmDeskRow> rows = m_model->allMatching();
    if (!AlarmExport::write(rows, m_model->severities(), AlarmExport::Format::Csv, &file, error))
        return false;
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void AlarmDeskPanel::chooseExport()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export alarms"), dir + QStringLiteral("/alarms.csv"),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export alarms"), tr("The alarms could not be written: %1").arg(error));
}

} // namespace Fleet
