#include "commandspanel.h"

#include "commandlistmodel.h"
#include "commandwords.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTableView>
#include <QVBoxLayout>

namespace Fleet {

CommandsPanel::CommandsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new CommandListModel(this))
    , m_state(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_selectedOnly(new QCheckBox(tr("Selected &vehicle only"), this))
    , m_view(new QTableView(this))
    , m_details(new QLabel(this))
    , m_askAgain(new QPushButton(tr("&Ask the cloud again"), this))
    , m_sendAgain(new QPushButton(tr("Send command…"), this)) // Alt letters are all taken in the window
{
    setObjectName(QStringLiteral("commandsPanel"));
    m_state->setObjectName(QStringLiteral("stateFilter"));
    m_state->addItem(tr("All commands"), int(StateFilter::All));
    m_state->addItem(tr("Waiting for an answer"), int(StateFilter::Open));
    m_state->addItem(tr("Answered"), int(StateFilter::Answered));
    m_state->addItem(tr("Failed, timed out or offline"), int(StateFilter::Problems));
    m_state->addItem(tr("Not sent from FleetDesk"), int(StateFilter::NotFromFleetDesk));
    m_search->setObjectName(QStringLiteral("commandSearch"));
    m_search->setPlaceholderText(tr("Search command, answer, vehicle, operator"));
    m_search->setClearButtonEnabled(true);
    m_selectedOnly->setObjectName(QStringLiteral("selectedOnly"));

    m_view->setObjectName(QStringLiteral("commandsView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(CommandListModel::Answer, QHeaderView::Stretch);
    m_view->setColumnWidth(CommandListModel::Sent,
                           m_view->fontMetrics().horizontalAdvance(QStringLiteral("30 Dec 2026 10:00:00")) + 16);
    m_view->setColumnWidth(CommandListModel::Vehicle, 120);
    m_view->setColumnWidth(CommandListModel::Command, 150);
    m_view->setColumnWidth(CommandListModel::State, 150);
    m_view->setAccessibleName(tr("Commands"));

    m_details->setObjectName(QStringLiteral("commandDetails"));
    m_details->setTextFormat(Qt::PlainText); // the device's and the cloud's words, never HTML
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto *detailsScroll = new QScrollArea(this);
    detailsScroll->setWidget(m_details);
    detailsScroll->setWidgetResizable(true);
    detailsScroll->setFrameShape(QFrame::NoFrame);
    detailsScroll->setMaximumHeight(110);

    m_askAgain->setObjectName(QStringLiteral("askAgain"));
    m_askAgain->setToolTip(tr("Ask the cloud now what became of the selected commands (a late answer shows "
                              "even after a timeout)"));
    m_sendAgain->setObjectName(QStringLiteral("sendCommand"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_state);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_selectedOnly);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(detailsScroll, 1);
    auto *buttonColumn = new QVBoxLayout;
    buttonColumn->addWidget(m_askAgain);
    buttonColumn->addWidget(m_sendAgain);
    buttonColumn->addStretch(1);
    buttons->addLayout(buttonColumn);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_state, &QComboBox::currentIndexChanged, this, &CommandsPanel::applyFilter);
    connect(m_search, &QLineEdit::textChanged, this, &CommandsPanel::applyFilter);
    connect(m_selectedOnly, &QCheckBox::toggled, this, &CommandsPanel::applyFilter);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &CommandsPanel::showCurrent);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &CommandsPanel::showCurrent);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        showCurrent();
        updateTitle();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &CommandsPanel::updateTitle);
    connect(m_askAgain, &QPushButton::clicked, this, [this] {
        QStringList imeis;
        for (const QModelIndex &i : m_view->selectionModel()->selectedRows()) {
            const QString imei = i.data(CommandListModel::ImeiRole).toString();
            if (!imeis.contains(imei))
                imeis.append(imei);
        }
        if (imeis.isEmpty() && m_view->currentIndex().isValid())
            imeis.append(m_view->currentIndex().data(CommandListModel::ImeiRole).toString());
        if (!imeis.isEmpty())
            Q_EMIT askAgainRequested(imeis);
    });
    connect(m_sendAgain, &QPushButton::clicked, this, [this] {
        const CommandRecord *r = m_model->rowAt(m_view->currentIndex().row());
        if (r)
            Q_EMIT sendCommandRequested(r->imei);
    });
    showCurrent();
}

bool CommandsPanel::open(const QString &databasePath)
{
    const bool ok = m_model->open(databasePath);
    m_model->setExternalPollInterval(2000);
    applyFilter();
    return ok;
}

void CommandsPanel::setSelectedVehicle(const QString &imei)
{
    m_selectedVehicle = imei;
    if (m_selectedOnly->isChecked())
        applyFilter();
}

void CommandsPanel::setStateFilter(StateFilter filter)
{
    m_state->setCurrentIndex(m_state->findData(int(filter)));
}

void CommandsPanel::applyFilter()
{
    CommandFilter f;
    f.text = m_search->text();
    if (m_selectedOnly->isChecked() && !m_selectedVehicle.isEmpty())
        f.imeis = {m_selectedVehicle};
    using S = CommandState;
    switch (StateFilter(m_state->currentData().toInt())) {
    case StateFilter::All: break;
    case StateFilter::Open: f.states = {S::Sending, S::Accepted, S::Queued, S::Delivered}; break;
    case StateFilter::Answered: f.states = {S::Answered}; break;
    case StateFilter::Problems: f.states = {S::Failed, S::TimedOut, S::Offline, S::Cancelled}; break;
    case StateFilter::NotFromFleetDesk: f.origin = CommandFilter::Origin::Cloud; break;
    }
    if (!m_model->databasePath().isEmpty())
        m_model->setFilter(f);
}

void CommandsPanel::updateTitle()
{
    qint64 open = 0;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const CommandRecord *r = m_model->rowAt(i);
        if (r->fromFleetDesk && !isFinalCommandState(r->state) && r->route != CommandRoute::Raw)
            ++open;
    }
    Q_EMIT titleChanged(open > 0 ? tr("Commands (%n waiting)", nullptr, int(open)) : tr("Commands"));
}

void CommandsPanel::showCurrent()
{
    const CommandRecord *r = m_model->rowAt(m_view->currentIndex().row());
    m_askAgain->setEnabled(r && r->route != CommandRoute::Raw);
    m_sendAgain->setEnabled(r != nullptr);
    if (!r) {
        m_details->setText(tr("Select a command to see its story."));
        return;
    }
    const auto local = [](const QDateTime &t) {
        return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
    };
    QStringList lines;
    lines.append(tr("%1 to %2 (%3)").arg(r->text, r->deviceName.isEmpty() ? r->imei : r->deviceName, r->imei));
    if (r->fromFleetDesk) {
        lines.append(tr("Sent %1 by %2%3")
                         .arg(local(r->sentTime), r->operatorName,
                              r->templateName.isEmpty() ? QString() : tr(", as \"%1\"").arg(r->templateName)));
    } else {
        lines.append(tr("Not sent from FleetDesk: the cloud reported it%1.")
                         .arg(r->sender.isEmpty() ? QString() : tr(" (sent by %1)").arg(r->sender)));
    }
    lines.append(tr("%1: %2").arg(CommandWords::stateName(r->state), CommandWords::stateMeaning(r->state)));
    if (!r->resultMessage.isEmpty() || r->resultCode)
        lines.append(tr("The cloud said: %1%2")
                         .arg(r->resultMessage)
                         .arg(r->resultCode ? tr(" (code %1)").arg(*r->resultCode) : QString()));
    if (!r->reply.isEmpty())
        lines.append(tr("The device answered %1: %2").arg(local(r->replyTime), r->reply));
    m_details->setText(lines.join(QLatin1Char('\n')));
}

} // namespace Fleet
