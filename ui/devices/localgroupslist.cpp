#include "localgroupslist.h"

#include "models/fleettreemodel.h"

#include <QContextMenuEvent>
#include <QDragMoveEvent>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>

namespace Fleet {

namespace {

constexpr int kNameRole = Qt::UserRole + 1;

QStringList imeisOf(const QMimeData *data)
{
    if (!data || !data->hasFormat(QString::fromLatin1(FleetTreeModel::kVehicleMimeType)))
        return {};
    return QString::fromUtf8(data->data(QString::fromLatin1(FleetTreeModel::kVehicleMimeType)))
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

LocalGroupsList::LocalGroupsList(QWidget *parent)
    : QListWidget(parent)
{
    setObjectName(QStringLiteral("localGroups"));
    setAccessibleName(tr("My groups"));
    setAcceptDrops(true);
    setDropIndicatorShown(true);
    setDragDropMode(QAbstractItemView::DropOnly);
    setDefaultDropAction(Qt::CopyAction);
    setToolTip(tr("Your own groups of vehicles, kept at this desk. Drag vehicles from the list onto a group to "
                  "add them; choose a group to see only its vehicles."));
    connect(this, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        const QString name = item ? item->data(kNameRole).toString() : QString();
        if (name == m_current)
            return;
        m_current = name;
        Q_EMIT limitChanged(vehicleLimit());
    });
    setGroups({});
}

void LocalGroupsList::setGroups(const QList<LocalGroup> &groups)
{
    const std::optional<QSet<QString>> before = vehicleLimit();
    m_groups = groups;
    {
        const QSignalBlocker block(this);
        clear();
        auto *all = new QListWidgetItem(tr("All vehicles"), this);
        all->setData(kNameRole, QString());
        all->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        QListWidgetItem *current = all;
        for (const LocalGroup &g : groups) {
            auto *item = new QListWidgetItem(tr("%1 (%2)").arg(g.name).arg(g.imeis.size()), this);
            item->setData(kNameRole, g.name);
            // A drop lands on the group, not between rows.
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled);
            if (g.name.compare(m_current, Qt::CaseInsensitive) == 0)
                current = item;
        }
        setCurrentItem(current);
        m_current = current->data(kNameRole).toString();
    }
    if (vehicleLimit() != before)
        Q_EMIT limitChanged(vehicleLimit());
}

QString LocalGroupsList::currentGroup() const
{
    return m_current;
}

void LocalGroupsList::setCurrentGroup(const QString &name)
{
    for (int i = 0; i < count(); ++i) {
        if (item(i)->data(kNameRole).toString().compare(name, Qt::CaseInsensitive) == 0)
            setCurrentRow(i);
    }
}

std::optional<QSet<QString>> LocalGroupsList::vehicleLimit() const
{
    if (m_current.isEmpty())
        return std::nullopt;
    for (const LocalGroup &g : m_groups) {
        if (g.name.compare(m_current, Qt::CaseInsensitive) == 0)
            return QSet<QString>(g.imeis.cbegin(), g.imeis.cend());
    }
    return std::nullopt;
}

bool LocalGroupsList::isFreeName(const QString &name) const
{
    return std::none_of(m_groups.cbegin(), m_groups.cend(), [&](const LocalGroup &g) {
        return g.name.compare(name.trimmed(), Qt::CaseInsensitive) == 0;
    });
}

QString LocalGroupsList::askName(const QString &title, const QString &label, const QString &initial)
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, title, label, QLineEdit::Normal, initial, &ok).trimmed();
    if (!ok || name.isEmpty() || name == initial)
        return ok ? name : QString();
    if (!isFreeName(name)) {
        QMessageBox::information(this, title, tr("There is a group called %1 already.").arg(name));
        return {};
    }
    return name;
}

void LocalGroupsList::createGroup(const QStringList &imeis)
{
    const QString name = askName(tr("New group"), tr("The group's name:"), QString());
    if (name.isEmpty())
        return;
    LocalGroupChange c;
    c.kind = LocalGroupChange::Kind::Create;
    c.name = name;
    c.imeis = imeis;
    Q_EMIT changeRequested({c});
}

QStringList LocalGroupsList::mimeTypes() const
{
    return {QString::fromLatin1(FleetTreeModel::kVehicleMimeType)};
}

void LocalGroupsList::dragMoveEvent(QDragMoveEvent *event)
{
    // Only onto a group (not "All vehicles").
    const QListWidgetItem *target = itemAt(event->position().toPoint());
    if (target && !target->data(kNameRole).toString().isEmpty() && !imeisOf(event->mimeData()).isEmpty()) {
        event->setDropAction(Qt::CopyAction);
        event->accept();
    } else {
        event->ignore();
    }
}

bool LocalGroupsList::dropMimeData(int index, const QMimeData *mime, Qt::DropAction)
{
    const QListWidgetItem *target = item(index);
    const QStringList imeis = imeisOf(mime);
    if (!target || imeis.isEmpty() || target->data(kNameRole).toString().isEmpty())
        return false;
    LocalGroupChange c;
    c.kind = LocalGroupChange::Kind::Add;
    c.name = target->data(kNameRole).toString();
    c.imeis = imeis;
    Q_EMIT changeRequested({c});
    return true;
}

void LocalGroupsList::contextMenuEvent(QContextMenuEvent *event)
{
    QListWidgetItem *target = itemAt(event->pos());
    const QString name = target ? target->data(kNameRole).toString() : QString();
    QMenu menu(this);
    connect(menu.addAction(tr("&New group…")), &QAction::triggered, this, [this] {
        createGroup(m_selection ? m_selection() : QStringList());
    });
    if (!name.isEmpty()) {
        connect(menu.addAction(tr("&Rename…")), &QAction::triggered, this, [this, name] {
            const QString to = askName(tr("Rename group"), tr("The group's new name:"), name);
            if (to.isEmpty() || to == name)
                return;
            LocalGroupChange c;
            c.kind = LocalGroupChange::Kind::Rename;
            c.name = name;
            c.newName = to;
            if (m_current == name)
                m_current = to;
            Q_EMIT changeRequested({c});
        });
        const QStringList selected = m_selection ? m_selection() : QStringList();
        QAction *remove = menu.addAction(tr("Remove the selected &vehicles from it"));
        remove->setEnabled(!selected.isEmpty());
        connect(remove, &QAction::triggered, this, [this, name, selected] {
            LocalGroupChange c;
            c.kind = LocalGroupChange::Kind::Remove;
            c.name = name;
            c.imeis = selected;
            Q_EMIT changeRequested({c});
        });
        connect(menu.addAction(tr("&Delete the group")), &QAction::triggered, this, [this, name] {
            if (QMessageBox::question(this, tr("Delete group"),
                                      tr("Delete the group %1? Its vehicles stay in the fleet.").arg(name))
                != QMessageBox::Yes)
                return;
            LocalGroupChange c;
            c.kind = LocalGroupChange::Kind::Delete;
            c.name = name;
            Q_EMIT changeRequested({c});
        });
    }
    menu.exec(event->globalPos());
}

} // namespace Fleet
