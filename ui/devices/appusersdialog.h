#pragma once

#include "admindialog.h"

class QLineEdit;
class QPushButton;

namespace Fleet {

// "App users…": binds an app user (the driver's or the customer's phone
// app) to the selected vehicles, or unbinds one (jimi.open.device.bind /
// unbind). The cloud offers no list of the users bound, so the dialog says
// what it did, vehicle by vehicle, and stays open.
class AppUsersDialog : public AdminDialog
{
    Q_OBJECT

public:
    explicit AppUsersDialog(const QList<AdminVehicle> &vehicles, QWidget *parent = nullptr);

    QLineEdit *userField() const { return m_user; }
    QPushButton *bindButton() const { return m_bind; }
    QPushButton *unbindButton() const { return m_unbind; }

protected:
    void answered(const AdminOutcome &outcome) override;
    void busyChanged(bool busy) override;

private:
    void request(FleetAdminRequest::Kind kind);
    void updateButtons();

    QList<AdminVehicle> m_vehicles;
    QLineEdit *m_user;
    QPushButton *m_bind;
    QPushButton *m_unbind;
    FleetAdminRequest::Kind m_last = FleetAdminRequest::Kind::BindUser;
};

} // namespace Fleet
