#include "expirydialog.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Fleet {

namespace {

enum Column { Vehicle, Imei, Expires, DaysLeft };

} // namespace

ExpiryDialog::ExpiryDialog(Source source, const QDateTime &now, QWidget *parent)
    : AdminDialog(parent)
    , m_source(std::move(source))
    , m_now(now)
    , m_days(new QSpinBox(this))
    , m_list(new QTreeWidget(this))
    , m_date(new QDateEdit(this))
    , m_extend(new QPushButton(tr("E&xtend selected"), this))
{
    setObjectName(QStringLiteral("expiryDialog"));
    setWindowTitle(tr("Service expiry"));
    m_days->setObjectName(QStringLiteral("days"));
    m_days->setRange(0, 3650);
    m_days->setValue(30);
    m_days->setSuffix(tr(" days"));
    connect(m_days, &QSpinBox::valueChanged, this, &ExpiryDialog::reload);
    auto *within = new QLabel(tr("Expiring &within:"), this);
    within->setBuddy(m_days);

    m_list->setObjectName(QStringLiteral("devices"));
    m_list->setHeaderLabels({tr("Vehicle"), tr("IMEI"), tr("Expires"), tr("Days left")});
    m_list->setRootIsDecorated(false);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->header()->setSectionResizeMode(Vehicle, QHeaderView::Stretch);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &ExpiryDialog::updateExtend);

    m_date->setObjectName(QStringLiteral("date"));
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_date->setMinimumDate(now.date());
    m_date->setDate(now.date().addYears(1));
    auto *to = new QLabel(tr("Extend &to:"), this);
    to->setBuddy(m_date);
    m_extend->setObjectName(QStringLiteral("extend"));
    connect(m_extend, &QPushButton::clicked, this, [this] {
        FleetAdminRequest r;
        r.kind = FleetAdminRequest::Kind::ExtendExpiry;
        r.imeis = selectedImeis();
        r.expiration = m_date->date();
        send(r, tr("Extending in the cloud…"));
    });

    auto *top = new QHBoxLayout;
    top->addWidget(within);
    top->addWidget(m_days);
    top->addStretch();
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(to);
    bottom->addWidget(m_date);
    bottom->addWidget(m_extend);
    bottom->addStretch();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_list, 1);
    layout->addLayout(bottom);
    layout->addWidget(messageLabel());
    layout->addWidget(buttons);
    resize(620, 460);
    reload();
}

void ExpiryDialog::reload()
{
    const QStringList keep = selectedImeis();
    m_list->clear();
    const QList<Device> devices = m_source ? m_source(m_now.addDays(m_days->value())) : QList<Device>();
    QList<AdminVehicle> names;
    const QColor expired(0xc6, 0x28, 0x28);
    for (const Device &d : devices) {
        auto *item = new QTreeWidgetItem(m_list);
        const QString name = !d.vehicleName.isEmpty() ? d.vehicleName : d.name;
        names.append({d.imei, name});
        item->setText(Vehicle, name.isEmpty() ? d.imei : name);
        item->setText(Imei, d.imei);
        item->setData(Imei, Qt::UserRole, d.imei);
        item->setText(Expires, QLocale().toString(d.expiration.toLocalTime().date(), QLocale::ShortFormat));
        const qint64 days = m_now.daysTo(d.expiration);
        const bool over = d.expiration <= m_now;
        item->setText(DaysLeft, over ? tr("expired") : QString::number(days));
        item->setTextAlignment(DaysLeft, Qt::AlignRight | Qt::AlignVCenter);
        if (over) {
            for (int c = Vehicle; c <= DaysLeft; ++c)
                item->setForeground(c, expired);
        }
        if (keep.contains(d.imei))
            item->setSelected(true);
    }
    setVehicleNames(names);
    for (int c = Imei; c <= DaysLeft; ++c)
        m_list->resizeColumnToContents(c);
    updateExtend();
}

QStringList ExpiryDialog::selectedImeis() const
{
    QStringList imeis;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (item->isSelected())
            imeis.append(item->data(Imei, Qt::UserRole).toString());
    }
    return imeis;
}

void ExpiryDialog::updateExtend()
{
    m_extend->setEnabled(!isBusy() && !selectedImeis().isEmpty());
}

void ExpiryDialog::busyChanged(bool busy)
{
    m_date->setEnabled(!busy);
    m_days->setEnabled(!busy);
    updateExtend();
}

void ExpiryDialog::answered(const AdminOutcome &outcome)
{
    reload();
    if (!outcome.ok) {
        AdminDialog::answered(outcome);
        return;
    }
    showMessage(tr("Extended %n vehicle(s) to %1.", nullptr, int(outcome.changed.size()))
                    .arg(QLocale().toString(m_date->date(), QLocale::ShortFormat)),
                false);
}

} // namespace Fleet
