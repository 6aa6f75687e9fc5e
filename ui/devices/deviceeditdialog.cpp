#include "deviceeditdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Fleet {

namespace {

// The icons the cloud's web platform offers.
const char *const kIcons[] = {"car", "van", "truck", "bus", "motorcycle", "taxi", "other"};

} // namespace

DeviceEditDialog::DeviceEditDialog(const Device &device, std::optional<double> odometerKm, QWidget *parent)
    : QDialog(parent)
    , m_device(device)
    , m_odometer(odometerKm)
    , m_icon(new QComboBox(this))
    , m_mileage(new QDoubleSpinBox(this))
    , m_message(new QLabel(this))
    , m_save(new QPushButton(tr("&Save to the cloud"), this))
{
    setObjectName(QStringLiteral("deviceEditDialog"));
    setWindowTitle(tr("Edit %1").arg(device.name.isEmpty() ? device.imei : device.name));
    auto *form = new QFormLayout;
    QLabel *imei = new QLabel(device.imei, this);
    imei->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("IMEI:"), imei);
    const std::pair<const char *, QString> fields[] = {
        {"name", device.name},          {"vehicleName", device.vehicleName}, {"plate", device.plate},
        {"driver", device.driverName},  {"driverPhone", device.driverPhone}, {"sim", device.sim},
        {"remarks", device.remark},
    };
    const QString labels[] = {tr("Device &name:"), tr("&Vehicle name:"), tr("&Plate:"),  tr("&Driver:"),
                              tr("Driver's p&hone:"), tr("&SIM number:"), tr("&Remarks:")};
    for (std::size_t i = 0; i < std::size(fields); ++i) {
        auto *line = new QLineEdit(fields[i].second, this);
        line->setObjectName(QString::fromLatin1(fields[i].first));
        line->setMaxLength(100);
        connect(line, &QLineEdit::textChanged, this, &DeviceEditDialog::updateSave);
        form->addRow(labels[i], line);
        m_fields.append({QString::fromLatin1(fields[i].first), line});
    }
    m_icon->setObjectName(QStringLiteral("icon"));
    for (const char *icon : kIcons)
        m_icon->addItem(QString::fromLatin1(icon), QString::fromLatin1(icon));
    if (!device.vehicleIcon.isEmpty() && m_icon->findData(device.vehicleIcon) < 0)
        m_icon->addItem(device.vehicleIcon, device.vehicleIcon); // the cloud's own word
    m_icon->setCurrentIndex(qMax(0, m_icon->findData(device.vehicleIcon)));
    connect(m_icon, &QComboBox::currentIndexChanged, this, &DeviceEditDialog::updateSave);
    form->addRow(tr("&Icon:"), m_icon);
    m_mileage->setObjectName(QStringLiteral("mileage"));
    m_mileage->setRange(0, 10'000'000);
    m_mileage->setDecimals(1);
    m_mileage->setSuffix(tr(" km"));
    m_mileage->setValue(odometerKm.value_or(device.odometerKm.value_or(0)));
    m_mileage->setToolTip(tr("Sets the odometer; it counts on from there"));
    connect(m_mileage, &QDoubleSpinBox::valueChanged, this, &DeviceEditDialog::updateSave);
    form->addRow(tr("&Odometer:"), m_mileage);

    QLabel *note = new QLabel(tr("Changes go to the cloud first; FleetDesk shows them once the cloud has them."),
                              this);
    note->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setTextFormat(Qt::PlainText); // the cloud's words
    m_message->setWordWrap(true);
    QPalette red = m_message->palette();
    red.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_message->setPalette(red);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, [this] {
        const DeviceUpdate update = changes();
        if (isEmptyUpdate(update) || m_saving)
            return;
        m_saving = true;
        m_message->setText(tr("Saving to the cloud…"));
        updateSave();
        Q_EMIT saveRequested(m_device.imei, update);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    updateSave();
}

QLineEdit *DeviceEditDialog::field(const QString &name) const
{
    for (const auto &[n, line] : m_fields) {
        if (n == name)
            return line;
    }
    return nullptr;
}

DeviceUpdate DeviceEditDialog::changes() const
{
    DeviceUpdate u;
    const auto diff = [this](const char *name, const QString &was, std::optional<QString> *out) {
        const QString now = field(QString::fromLatin1(name))->text().trimmed();
        if (now != was.trimmed())
            *out = now;
    };
    diff("name", m_device.name, &u.deviceName);
    diff("vehicleName", m_device.vehicleName, &u.vehicleName);
    diff("plate", m_device.plate, &u.plate);
    diff("driver", m_device.driverName, &u.driverName);
    diff("driverPhone", m_device.driverPhone, &u.driverPhone);
    diff("sim", m_device.sim, &u.sim);
    diff("remarks", m_device.remark, &u.remarks);
    if (m_icon->currentData().toString() != m_device.vehicleIcon && !(m_device.vehicleIcon.isEmpty() && m_icon->currentIndex() == 0))
        u.vehicleIcon = m_icon->currentData().toString();
    const double was = m_odometer.value_or(m_device.odometerKm.value_or(0));
    if (qAbs(m_mileage->value() - was) >= 0.05)
        u.mileageKm = m_mileage->value();
    return u;
}

void DeviceEditDialog::updateSave()
{
    m_save->setEnabled(!m_saving && !isEmptyUpdate(changes()) && !field(QStringLiteral("name"))->text().trimmed().isEmpty());
}

void DeviceEditDialog::saved(const AdminOutcome &outcome)
{
    m_saving = false;
    if (outcome.ok) {
        accept();
        return;
    }
    m_message->setText(outcome.code ? tr("The cloud refused: %1 (%2)").arg(outcome.message).arg(*outcome.code)
                                    : tr("The cloud refused: %1").arg(outcome.message));
    updateSave();
}

} // namespace Fleet
