#include "cloudgroupsdialog.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Fleet {

using Kind = FleetAdminRequest::Kind;

CloudGroupsDialog::CloudGroupsDialog(const QString &account, QWidget *parent)
    : AdminDialog(parent)
    , m_list(new QTreeWidget(this))
    , m_name(new QLineEdit(this))
    , m_create(new QPushButton(tr("&Create"), this))
    , m_rename(new QPushButton(tr("&Rename"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
    , m_read(new QPushButton(tr("Read &again"), this))
{
    setObjectName(QStringLiteral("cloudGroupsDialog"));
    setWindowTitle(tr("Cloud groups"));
    auto *intro = new QLabel(tr("The groups of account “%1” in the cloud. The cloud decides which vehicles are in a "
                                "group: use local groups (in the fleet list) to sort vehicles yourself.")
                                 .arg(account),
                             this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    m_list->setObjectName(QStringLiteral("groups"));
    m_list->setHeaderLabels({tr("Group"), tr("Vehicles")});
    m_list->setRootIsDecorated(false);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(0, Qt::AscendingOrder);
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setMaxLength(50);
    m_name->setPlaceholderText(tr("Group name"));
    m_create->setObjectName(QStringLiteral("create"));
    m_rename->setObjectName(QStringLiteral("rename"));
    m_delete->setObjectName(QStringLiteral("delete"));
    m_read->setObjectName(QStringLiteral("read"));
    m_read->setToolTip(tr("Ask the cloud for its group list now"));

    connect(m_list, &QTreeWidget::itemSelectionChanged, this, [this] {
        if (!selectedName().isEmpty())
            m_name->setText(selectedName());
        updateButtons();
    });
    connect(m_name, &QLineEdit::textChanged, this, &CloudGroupsDialog::updateButtons);
    connect(m_name, &QLineEdit::returnPressed, this, [this] {
        if (m_create->isEnabled())
            m_create->click();
    });
    connect(m_create, &QPushButton::clicked, this, [this] {
        FleetAdminRequest r;
        r.kind = m_last = Kind::CreateGroup;
        r.name = m_name->text().trimmed();
        send(r, tr("Creating “%1” in the cloud…").arg(r.name));
    });
    connect(m_rename, &QPushButton::clicked, this, [this] {
        FleetAdminRequest r;
        r.kind = m_last = Kind::RenameGroup;
        r.groupId = selectedId();
        r.name = m_name->text().trimmed();
        send(r, tr("Renaming in the cloud…"));
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QTreeWidgetItem *item = m_list->currentItem();
        if (!item)
            return;
        const int vehicles = item->data(1, Qt::DisplayRole).toInt();
        if (!confirm(tr("Delete group"),
                     tr("Delete the group “%1” in the cloud?\n\nIts %n vehicle(s) fall back to the account's "
                        "default group.",
                        nullptr, vehicles)
                         .arg(selectedName())))
            return;
        FleetAdminRequest r;
        r.kind = m_last = Kind::DeleteGroup;
        r.groupId = selectedId();
        send(r, tr("Deleting in the cloud…"));
    });
    connect(m_read, &QPushButton::clicked, this, [this] {
        FleetAdminRequest r;
        r.kind = m_last = Kind::ReadGroups;
        send(r, tr("Asking the cloud…"));
    });

    auto *edit = new QGridLayout;
    edit->addWidget(m_name, 0, 0, 1, 3);
    edit->addWidget(m_create, 1, 0);
    edit->addWidget(m_rename, 1, 1);
    edit->addWidget(m_delete, 1, 2);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_read, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addLayout(edit);
    layout->addWidget(messageLabel());
    layout->addWidget(buttons);
    resize(420, 420);
    updateButtons();
}

void CloudGroupsDialog::setGroups(const QList<CloudGroupRow> &groups)
{
    const QString keep = selectedId();
    m_list->clear();
    for (const CloudGroupRow &g : groups) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, g.name.isEmpty() ? g.id : g.name);
        item->setData(0, Qt::UserRole, g.id);
        item->setData(1, Qt::DisplayRole, g.vehicles);
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        if (g.id == keep)
            m_list->setCurrentItem(item);
    }
    updateButtons();
}

QString CloudGroupsDialog::selectedId() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item && item->isSelected() ? item->data(0, Qt::UserRole).toString() : QString();
}

QString CloudGroupsDialog::selectedName() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item && item->isSelected() ? item->text(0) : QString();
}

void CloudGroupsDialog::updateButtons()
{
    const QString name = m_name->text().trimmed();
    const bool idle = !isBusy();
    const bool selected = !selectedId().isEmpty();
    m_create->setEnabled(idle && !name.isEmpty());
    m_rename->setEnabled(idle && selected && !name.isEmpty() && name != selectedName());
    m_delete->setEnabled(idle && selected);
    m_read->setEnabled(idle);
}

void CloudGroupsDialog::busyChanged(bool)
{
    updateButtons();
}

void CloudGroupsDialog::answered(const AdminOutcome &outcome)
{
    if (!outcome.ok) {
        AdminDialog::answered(outcome);
        return;
    }
    QString done;
    switch (m_last) {
    case Kind::CreateGroup: done = tr("Created in the cloud."); break;
    case Kind::RenameGroup: done = tr("Renamed in the cloud."); break;
    case Kind::DeleteGroup: done = tr("Deleted in the cloud."); break;
    default: done = tr("This is the cloud's list."); break;
    }
    if (!outcome.message.isEmpty())
        done += QLatin1Char(' ') + outcome.message;
    showMessage(done, false);
    if (m_last == Kind::CreateGroup) {
        m_name->clear();
        for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
            QTreeWidgetItem *item = m_list->topLevelItem(i);
            if (item->data(0, Qt::UserRole).toString() == outcome.groupId)
                m_list->setCurrentItem(item);
        }
    }
}

} // namespace Fleet
