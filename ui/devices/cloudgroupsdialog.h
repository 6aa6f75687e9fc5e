#pragma once

#include "admindialog.h"

class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace Fleet {

// A group of the account in the cloud, with the vehicles in view in it.
struct CloudGroupRow
{
    QString id;
    QString name;
    int vehicles = 0;
};

// "Cloud groups…": the account's groups as the cloud has them; create,
// rename and delete them there (jimi.device.group.*). The API has no call
// that moves a vehicle into a group, so membership is only shown; the
// desk's own (local) groups are for sorting vehicles. After each change the
// list shows what the cloud then lists (setGroups, from the store).
class CloudGroupsDialog : public AdminDialog
{
    Q_OBJECT

public:
    explicit CloudGroupsDialog(const QString &account, QWidget *parent = nullptr);

    void setGroups(const QList<CloudGroupRow> &groups);

    QTreeWidget *list() const { return m_list; }
    QLineEdit *nameField() const { return m_name; }
    QPushButton *createButton() const { return m_create; }
    QPushButton *renameButton() const { return m_rename; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *readButton() const { return m_read; }

protected:
    void answered(const AdminOutcome &outcome) override;
    void busyChanged(bool busy) override;

private:
    void updateButtons();
    QString selectedId() const;
    QString selectedName() const;

    QTreeWidget *m_list;
    QLineEdit *m_name;
    QPushButton *m_create;
    QPushButton *m_rename;
    QPushButton *m_delete;
    QPushButton *m_read;
    FleetAdminRequest::Kind m_last = FleetAdminRequest::Kind::ReadGroups;
};

} // namespace Fleet
