#pragma once

#include "admindialog.h"
#include "domain/device.h"

#include <QDateTime>

class QDateEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace Fleet {

// "Service expiry…": the vehicles whose service ends within N days (the
// expired ones first, in red), and "Extend to" a day for those selected
// (jimi.user.device.expiration.update) where the account may. The list then
// shows the dates the cloud lists; the devices it refused are named.
class ExpiryDialog : public AdminDialog
{
    Q_OBJECT

public:
    // The devices in view expiring at or before a time (StoreReader::expiringDevices).
    using Source = std::function<QList<Device>(const QDateTime &until)>;

    ExpiryDialog(Source source, const QDateTime &now, QWidget *parent = nullptr);

    // Reads the list again (after an answer, or when the days change).
    void reload();
    QStringList selectedImeis() const;

    QSpinBox *daysField() const { return m_days; }
    QTreeWidget *list() const { return m_list; }
    QDateEdit *dateField() const { return m_date; }
    QPushButton *extendButton() const { return m_extend; }

protected:
    void answered(const AdminOutcome &outcome) override;
    void busyChanged(bool busy) override;

private:
    void updateExtend();

    Source m_source;
    QDateTime m_now;
    QSpinBox *m_days;
    QTreeWidget *m_list;
    QDateEdit *m_date;
    QPushButton *m_extend;
};

} // namespace Fleet
