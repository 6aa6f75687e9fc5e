#pragma once

#include "admindialog.h"

class QCheckBox;
class QComboBox;
class QPushButton;

namespace Fleet {

// "Move to another account…": the selected vehicles go to a sub-account
// (jimi.open.device.move), after a confirmation that names both accounts and
// the vehicles. Moved vehicles leave this account's view; the dialog closes
// when the cloud moved them all, and names those it refused otherwise.
class MoveDevicesDialog : public AdminDialog
{
    Q_OBJECT

public:
    MoveDevicesDialog(const QList<AdminVehicle> &vehicles, const QString &fromAccount, const QStringList &knownAccounts,
                      QWidget *parent = nullptr);

    QComboBox *accountField() const { return m_account; }
    QCheckBox *clearBindingsBox() const { return m_clear; }
    QPushButton *moveButton() const { return m_move; }
    // The confirmation's words for moving to account.
    QString confirmationText(const QString &account) const;

protected:
    void busyChanged(bool busy) override;

private:
    void updateMove();

    QList<AdminVehicle> m_vehicles;
    QString m_from;
    QComboBox *m_account;
    QCheckBox *m_clear;
    QPushButton *m_move;
};

} // namespace Fleet
