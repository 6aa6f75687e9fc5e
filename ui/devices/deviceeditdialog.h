#pragma once

#include "domain/device.h"
#include "sync/fleetadmin.h"

#include <QDialog>

class QDoubleSpinBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Fleet {

// "Edit vehicle…": the fields jimi.open.device.update takes (device and
// vehicle name, plate, icon, driver and phone, SIM, remarks, odometer),
// filled from the record the store holds. Save sends only what changed to
// the cloud first; the dialog closes when the cloud accepted it (the store
// then holds the cloud's new record), and stays open with the cloud's words
// when it refused.
class DeviceEditDialog : public QDialog
{
    Q_OBJECT

public:
    DeviceEditDialog(const Device &device, std::optional<double> odometerKm, QWidget *parent = nullptr);

    // What differs from the record (empty: nothing to send).
    DeviceUpdate changes() const;
    // The session's answer to saveRequested.
    void saved(const AdminOutcome &outcome);

    QLineEdit *field(const QString &name) const;
    QDoubleSpinBox *mileageField() const { return m_mileage; }
    QComboBox *iconField() const { return m_icon; }
    QLabel *messageLabel() const { return m_message; }
    QPushButton *saveButton() const { return m_save; }
    const Device &device() const { return m_device; }

Q_SIGNALS:
    void saveRequested(const QString &imei, const Fleet::DeviceUpdate &update);

private:
    void updateSave();

    Device m_device;
    std::optional<double> m_odometer;
    QList<std::pair<QString, QLineEdit *>> m_fields;
    QComboBox *m_icon;
    QDoubleSpinBox *m_mileage;
    QLabel *m_message;
    QPushButton *m_save;
    bool m_saving = false;
};

} // namespace Fleet
