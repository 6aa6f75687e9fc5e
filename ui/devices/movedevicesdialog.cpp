#include "movedevicesdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Fleet {

MoveDevicesDialog::MoveDevicesDialog(const QList<AdminVehicle> &vehicles, const QString &fromAccount,
                                     const QStringList &knownAccounts, QWidget *parent)
    : AdminDialog(parent)
    , m_vehicles(vehicles)
    , m_from(fromAccount)
    , m_account(new QComboBox(this))
    , m_clear(new QCheckBox(tr("Also &unbind their app users"), this))
    , m_move(new QPushButton(tr("&Move…"), this))
{
    setObjectName(QStringLiteral("moveDevicesDialog"));
    setVehicleNames(vehicles);
    setWindowTitle(tr("Move to another account"));
    auto *which = new QLabel(vehicleNames(vehicles), this);
    which->setObjectName(QStringLiteral("vehicles"));
    which->setTextFormat(Qt::PlainText);
    which->setWordWrap(true);
    auto *from = new QLabel(fromAccount, this);
    from->setTextFormat(Qt::PlainText);
    m_account->setObjectName(QStringLiteral("account"));
    m_account->setEditable(true);
    m_account->setInsertPolicy(QComboBox::NoInsert);
    for (const QString &a : knownAccounts)
        if (a != fromAccount)
            m_account->addItem(a);
    m_account->setCurrentIndex(-1);
    m_account->lineEdit()->setPlaceholderText(tr("Sub-account"));
    m_account->lineEdit()->setMaxLength(100);
    connect(m_account, &QComboBox::currentTextChanged, this, &MoveDevicesDialog::updateMove);
    m_clear->setObjectName(QStringLiteral("clearBindings"));
    m_clear->setToolTip(tr("The app users bound to these vehicles lose them"));
    m_move->setObjectName(QStringLiteral("move"));
    m_move->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Vehicles:"), which);
    form->addRow(tr("From account:"), from);
    form->addRow(tr("&To account:"), m_account);
    form->addRow(QString(), m_clear);
    auto *note = new QLabel(tr("Moved vehicles leave this account's view: FleetDesk no longer shows or polls them. "
                               "Their history stays in the database."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_move, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_move, &QPushButton::clicked, this, [this] {
        const QString to = m_account->currentText().trimmed();
        if (!confirm(tr("Move vehicles"), confirmationText(to)))
            return;
        FleetAdminRequest r;
        r.kind = FleetAdminRequest::Kind::MoveDevices;
        r.account = m_from;
        r.toAccount = to;
        r.clearBindings = m_clear->isChecked();
        for (const AdminVehicle &v : std::as_const(m_vehicles))
            r.imeis.append(v.imei);
        send(r, tr("Moving in the cloud…"));
    });
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(messageLabel());
    layout->addWidget(buttons);
    updateMove();
}

QString MoveDevicesDialog::confirmationText(const QString &account) const
{
    QString text = tr("Move %n vehicle(s) from account “%1” to account “%2”?", nullptr, int(m_vehicles.size()))
                       .arg(m_from, account);
    text += QStringLiteral("\n\n") + vehicleNames(m_vehicles) + QStringLiteral("\n\n");
    text += tr("They leave this account's view: FleetDesk no longer shows or polls them.");
    if (m_clear->isChecked())
        text += QLatin1Char(' ') + tr("Their app users are unbound.");
    return text;
}

void MoveDevicesDialog::updateMove()
{
    const QString to = m_account->currentText().trimmed();
    m_move->setEnabled(!isBusy() && !to.isEmpty() && to != m_from && !m_vehicles.isEmpty());
}

void MoveDevicesDialog::busyChanged(bool busy)
{
    m_account->setEnabled(!busy);
    m_clear->setEnabled(!busy);
    updateMove();
}

} // namespace Fleet
