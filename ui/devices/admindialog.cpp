#include "admindialog.h"

#include <QLabel>
#include <QMessageBox>

namespace Fleet {

QString vehicleNames(const QList<AdminVehicle> &vehicles)
{
    constexpr int kNamed = 10;
    QStringList names;
    for (const AdminVehicle &v : vehicles.mid(0, kNamed))
        names.append(v.name.isEmpty() ? v.imei : v.name);
    QString text = names.join(QStringLiteral(", "));
    if (vehicles.size() > kNamed)
        text = AdminDialog::tr("%1 and %n more", nullptr, int(vehicles.size() - kNamed)).arg(text);
    return text;
}

AdminDialog::AdminDialog(QWidget *parent)
    : QDialog(parent)
    , m_message(new QLabel(this))
    , m_confirm([](QWidget *p, const QString &title, const QString &text) {
        return QMessageBox::question(p, title, text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    })
{
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setTextFormat(Qt::PlainText); // the cloud's words
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
}

QString AdminDialog::describe(const AdminOutcome &o) const
{
    QStringList lines;
    if (!o.message.isEmpty() && (o.refused.size() != 1 || o.message != o.refused.constFirst().second))
        lines.append(o.code ? tr("The cloud refused: %1 (%2)").arg(o.message).arg(*o.code)
                            : (o.ok ? o.message : tr("The cloud refused: %1").arg(o.message)));
    for (const auto &[imei, reason] : o.refused)
        lines.append(tr("%1: %2").arg(nameOf(imei), reason));
    return lines.join(QLatin1Char('\n'));
}

void AdminDialog::setVehicleNames(const QList<AdminVehicle> &vehicles)
{
    for (const AdminVehicle &v : vehicles)
        if (!v.name.isEmpty())
            m_names.insert(v.imei, v.name);
}

void AdminDialog::send(const FleetAdminRequest &request, const QString &waiting)
{
    if (m_busy)
        return;
    if (const QString bad = checkAdminRequest(request); !bad.isEmpty()) {
        showMessage(bad, true);
        return;
    }
    m_busy = true;
    busyChanged(true);
    showMessage(waiting, false);
    Q_EMIT requested(request);
}

bool AdminDialog::confirm(const QString &title, const QString &text)
{
    return m_confirm(this, title, text);
}

void AdminDialog::showMessage(const QString &text, bool problem)
{
    QPalette p = palette();
    if (problem)
        p.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_message->setPalette(p);
    m_message->setText(text);
}

void AdminDialog::finished(const AdminOutcome &outcome)
{
    m_busy = false;
    busyChanged(false);
    answered(outcome);
}

void AdminDialog::answered(const AdminOutcome &outcome)
{
    if (outcome.ok) {
        accept();
        return;
    }
    showMessage(describe(outcome), true);
}

} // namespace Fleet
