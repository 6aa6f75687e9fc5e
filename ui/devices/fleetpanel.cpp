#include "fleetpanel.h"

#include "localgroupslist.h"

#include "models/fleetfiltermodel.h"
#include "models/fleettreemodel.h"
#include "style/vehiclestyle.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <QGridLayout>

namespace Fleet {

namespace {

QIcon dotIcon(const QColor &colour)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(colour.darker(140), 1));
    p.setBrush(colour);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return QIcon(pm);
}

} // namespace

FleetPanel::FleetPanel(FleetTreeModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new FleetFilterModel(this))
    , m_search(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_groups(new LocalGroupsList(this))
    , m_view(new QTreeView(this))
{
    m_filter->setSourceModel(model);
    m_search->setPlaceholderText(tr("Search name, IMEI, plate, driver"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search vehicles"));

    auto *buttons = new QGridLayout;
    buttons->setSpacing(2);
    for (int i = 0; i < kVehicleStatusCount; ++i) {
        const auto status = VehicleStatus(i);
        auto *b = new QToolButton(this);
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setIcon(dotIcon(vehicleStatusColor(status)));
        b->setToolTip(tr("Show only vehicles that are: %1 (several may be chosen)").arg(vehicleStatusName(status)));
        b->setObjectName(QStringLiteral("status_") + vehicleStatusKey(status));
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        connect(b, &QToolButton::toggled, this, &FleetPanel::statusToggled);
        m_statusButtons[std::size_t(i)] = b;
        buttons->addWidget(b, i / 4, i % 4);
    }

    m_summary->setObjectName(QStringLiteral("summary"));
    m_view->setModel(m_filter);
    m_view->setUniformRowHeights(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(0, Qt::AscendingOrder);
    // Several vehicles for one command or "Locate now"; the current one is the
    // window's selection.
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setAlternatingRowColors(true);
    m_view->setAllColumnsShowFocus(true);
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(FleetTreeModel::NameColumn, QHeaderView::Stretch);
    header->resizeSection(FleetTreeModel::StatusColumn, 78);
    header->resizeSection(FleetTreeModel::SpeedColumn, 52);
    header->resizeSection(FleetTreeModel::LastFixColumn, 118);
    header->resizeSection(FleetTreeModel::PlateColumn, 80);
    header->resizeSection(FleetTreeModel::DriverColumn, 100);
    // Plate and driver are there for who wants them: the header's menu.
    header->setSectionHidden(FleetTreeModel::PlateColumn, true);
    header->setSectionHidden(FleetTreeModel::DriverColumn, true);
    header->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (int c = FleetTreeModel::StatusColumn; c < FleetTreeModel::ColumnCount; ++c) {
        auto *toggle = new QAction(m_model->headerData(c, Qt::Horizontal).toString(), header);
        toggle->setCheckable(true);
        toggle->setChecked(!header->isSectionHidden(c));
        connect(toggle, &QAction::toggled, header, [header, c](bool on) { header->setSectionHidden(c, !on); });
        header->addAction(toggle);
    }
    m_view->setAccessibleName(tr("Fleet"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addLayout(buttons);
    layout->addWidget(m_summary);
    // The desk's own groups: a few rows, the fleet below.
    m_groups->setMaximumHeight(m_groups->fontMetrics().height() * 5 + 8);
    layout->addWidget(m_groups);
    layout->addWidget(m_view, 1);
    m_view->setDragEnabled(true);
    m_view->setDragDropMode(QAbstractItemView::DragOnly);
    m_view->setDefaultDropAction(Qt::CopyAction);
    m_groups->setSelectionProvider([this] { return selectedVehicles(); });
    connect(m_groups, &LocalGroupsList::limitChanged, m_filter, &FleetFilterModel::setVehicleLimit);

    connect(m_search, &QLineEdit::textChanged, m_filter, &FleetFilterModel::setSearchText);
    connect(m_filter, &FleetFilterModel::countsChanged, this, &FleetPanel::updateCounts);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        const QString imei = imeiAt(current);
        if (!imei.isEmpty())
            Q_EMIT vehicleSelected(imei);
    });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QString imei = imeiAt(index);
        if (!imei.isEmpty())
            Q_EMIT vehicleActivated(imei);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex under = m_view->indexAt(at);
        if (!under.isValid())
            return;
        // A right click outside the selection selects what it is on.
        if (!m_view->selectionModel()->isRowSelected(under.row(), under.parent()))
            m_view->setCurrentIndex(under);
        const QStringList imeis = selectedVehicles();
        if (!imeis.isEmpty())
            Q_EMIT vehicleMenuRequested(imeis, m_view->viewport()->mapToGlobal(at));
    });
    // New groups appear expanded.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &under, int first, int last) {
        if (!under.isValid())
            for (int r = first; r <= last; ++r)
                m_view->expand(m_filter->index(r, 0));
    });
    connect(m_filter, &QAbstractItemModel::modelReset, m_view, &QTreeView::expandAll);
    connect(m_filter, &QAbstractItemModel::layoutChanged, m_view, &QTreeView::expandAll);
    updateCounts();
}

QString FleetPanel::imeiAt(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || proxyIndex.data(FleetTreeModel::IsGroupRole).toBool())
        return {};
    return proxyIndex.data(FleetTreeModel::ImeiRole).toString();
}

QString FleetPanel::currentVehicle() const
{
    return imeiAt(m_view->currentIndex());
}

QStringList FleetPanel::selectedVehicles() const
{
    QStringList out;
    const QString current = currentVehicle();
    if (!current.isEmpty())
        out.append(current);
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows()) {
        if (row.data(FleetTreeModel::IsGroupRole).toBool()) {
            for (int r = 0; r < m_filter->rowCount(row); ++r) {
                const QString imei = imeiAt(m_filter->index(r, 0, row));
                if (!imei.isEmpty() && !out.contains(imei))
                    out.append(imei);
            }
            continue;
        }
        const QString imei = imeiAt(row);
        if (!imei.isEmpty() && !out.contains(imei))
            out.append(imei);
    }
    return out;
}

void FleetPanel::selectVehicle(const QString &imei)
{
    QModelIndex source = m_model->indexOf(imei);
    if (!source.isValid())
        return;
    QModelIndex proxy = m_filter->mapFromSource(source);
    if (!proxy.isValid()) {
        // Hidden by the filter: show everything rather than select nothing.
        m_search->clear();
        for (QToolButton *b : m_statusButtons)
            b->setChecked(false);
        proxy = m_filter->mapFromSource(source);
    }
    if (!proxy.isValid() || proxy == m_view->currentIndex())
        return;
    m_view->setCurrentIndex(proxy);
    m_view->scrollTo(proxy);
}

void FleetPanel::selectNext(int step)
{
    // Vehicles in display order: the children of each group, groups in order.
    QList<QModelIndex> rows;
    for (int g = 0; g < m_filter->rowCount(); ++g) {
        const QModelIndex group = m_filter->index(g, 0);
        for (int r = 0; r < m_filter->rowCount(group); ++r)
            rows.append(m_filter->index(r, 0, group));
    }
    if (rows.isEmpty())
        return;
    const QModelIndex current = m_view->currentIndex().siblingAtColumn(0);
    int at = int(rows.indexOf(current));
    at = at < 0 ? (step > 0 ? 0 : int(rows.size()) - 1) : int((at + step + rows.size()) % rows.size());
    m_view->setCurrentIndex(rows.at(at));
    m_view->scrollTo(rows.at(at));
}

QByteArray FleetPanel::saveColumns() const
{
    return m_view->header()->saveState();
}

void FleetPanel::restoreColumns(const QByteArray &state)
{
    QHeaderView *header = m_view->header();
    if (state.isEmpty() || !header->restoreState(state))
        return;
    const QList<QAction *> toggles = header->actions();
    for (int i = 0; i < toggles.size(); ++i)
        toggles[i]->setChecked(!header->isSectionHidden(FleetTreeModel::StatusColumn + i));
}

void FleetPanel::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void FleetPanel::statusToggled()
{
    QSet<VehicleStatus> wanted;
    for (int i = 0; i < kVehicleStatusCount; ++i)
        if (m_statusButtons[std::size_t(i)]->isChecked())
            wanted.insert(VehicleStatus(i));
    m_filter->setStatusFilter(wanted);
}

void FleetPanel::updateCounts()
{
    const auto counts = m_filter->statusCounts();
    for (int i = 0; i < kVehicleStatusCount; ++i) {
        QToolButton *b = m_statusButtons[std::size_t(i)];
        b->setText(QStringLiteral("%1 %2").arg(vehicleStatusName(VehicleStatus(i))).arg(counts[std::size_t(i)]));
    }
    m_summary->setText(
        tr("%1 of %n vehicles shown", nullptr, m_model->vehicleCount()).arg(m_filter->visibleVehicleCount()));
}

} // namespace Fleet
