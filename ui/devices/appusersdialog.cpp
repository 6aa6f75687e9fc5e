#include "appusersdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Fleet {

AppUsersDialog::AppUsersDialog(const QList<AdminVehicle> &vehicles, QWidget *parent)
    : AdminDialog(parent)
    , m_vehicles(vehicles)
    , m_user(new QLineEdit(this))
    , m_bind(new QPushButton(tr("&Bind"), this))
    , m_unbind(new QPushButton(tr("&Unbind"), this))
{
    setObjectName(QStringLiteral("appUsersDialog"));
    setWindowTitle(tr("App users"));
    setVehicleNames(vehicles);
    auto *which = new QLabel(vehicleNames(vehicles), this);
    which->setObjectName(QStringLiteral("vehicles"));
    which->setTextFormat(Qt::PlainText);
    which->setWordWrap(true);
    m_user->setObjectName(QStringLiteral("user"));
    m_user->setMaxLength(100);
    m_user->setPlaceholderText(tr("The app user's id"));
    connect(m_user, &QLineEdit::textChanged, this, &AppUsersDialog::updateButtons);
    m_bind->setObjectName(QStringLiteral("bind"));
    m_unbind->setObjectName(QStringLiteral("unbind"));
    connect(m_bind, &QPushButton::clicked, this, [this] { request(FleetAdminRequest::Kind::BindUser); });
    connect(m_unbind, &QPushButton::clicked, this, [this] { request(FleetAdminRequest::Kind::UnbindUser); });

    auto *form = new QFormLayout;
    form->addRow(tr("Vehicles:"), which);
    form->addRow(tr("App &user:"), m_user);
    auto *note = new QLabel(tr("The cloud does not list the users bound to a vehicle: it only says whether a "
                               "binding was made or removed."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_bind, QDialogButtonBox::ActionRole);
    buttons->addButton(m_unbind, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(messageLabel());
    layout->addWidget(buttons);
    updateButtons();
}

void AppUsersDialog::request(FleetAdminRequest::Kind kind)
{
    FleetAdminRequest r;
    r.kind = m_last = kind;
    r.userId = m_user->text().trimmed();
    for (const AdminVehicle &v : std::as_const(m_vehicles))
        r.imeis.append(v.imei);
    send(r, kind == FleetAdminRequest::Kind::BindUser ? tr("Binding in the cloud…") : tr("Unbinding in the cloud…"));
}

void AppUsersDialog::updateButtons()
{
    const bool ready = !isBusy() && !m_user->text().trimmed().isEmpty() && !m_vehicles.isEmpty();
    m_bind->setEnabled(ready);
    m_unbind->setEnabled(ready);
}

void AppUsersDialog::busyChanged(bool busy)
{
    m_user->setEnabled(!busy);
    updateButtons();
}

void AppUsersDialog::answered(const AdminOutcome &outcome)
{
    const int n = int(outcome.changed.size());
    const QString done = m_last == FleetAdminRequest::Kind::BindUser
        ? tr("“%1” bound to %n vehicle(s).", nullptr, n).arg(m_user->text().trimmed())
        : tr("“%1” unbound from %n vehicle(s).", nullptr, n).arg(m_user->text().trimmed());
    if (outcome.ok) {
        showMessage(done, false);
        return;
    }
    showMessage((n > 0 ? done + QLatin1Char('\n') : QString()) + describe(outcome), true);
}

} // namespace Fleet
