#include "vehicledetailswidget.h"

#include "commands/commandwords.h"

#include "style/vehiclestyle.h"
#include "util/clock.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

#include <cmath>

namespace Fleet {

namespace {
const QString kDash = QStringLiteral("—");

QString orDash(const QString &s)
{
    return s.trimmed().isEmpty() ? kDash : s.trimmed();
}

QString localTime(const QDateTime &utc)
{
    return utc.isValid() ? QLocale().toString(utc.toLocalTime(), QLocale::ShortFormat) : QString();
}
} // namespace

QString agoText(const QDateTime &then, const QDateTime &now)
{
    if (!then.isValid() || !now.isValid())
        return {};
    const qint64 s = then.secsTo(now);
    if (s < 0)
        return VehicleDetailsWidget::tr("in the future");
    if (s < 60)
        return VehicleDetailsWidget::tr("%1 s ago").arg(s);
    if (s < 3600)
        return VehicleDetailsWidget::tr("%1 min ago").arg(s / 60);
    if (s < 86400)
        return VehicleDetailsWidget::tr("%1 h ago").arg(s / 3600);
    return VehicleDetailsWidget::tr("%1 d ago").arg(s / 86400);
}

QString compassPoint(double degrees)
{
    static const char *const points[] = {"N", "NE", "E", "SE", "S", "SW", "W", "NW"};
    const double d = std::fmod(std::fmod(degrees, 360.0) + 360.0, 360.0);
    return QString::fromLatin1(points[int(std::lround(d / 45.0)) % 8]);
}

VehicleDetailsWidget::VehicleDetailsWidget(QWidget *parent)
    : QWidget(parent)
    , m_clock(Clock::system())
    , m_placeholder(new QLabel(tr("Select a vehicle on the map or in the fleet list."), this))
    , m_form(new QWidget(this))
    , m_scroll(new QScrollArea(this))
{
    const QString names[FieldCount] = {tr("Name"),       tr("Status"),     tr("IMEI"),      tr("Plate"),
                                       tr("Driver"),     tr("Group"),      tr("Model"),     tr("Last fix"),
                                       tr("Position"),   tr("Speed"),      tr("Heading"),   tr("Ignition"),
                                       tr("Power"),      tr("Satellites"), tr("Odometer"),  tr("Last heartbeat"),
                                       tr("GSM signal"), tr("Address"),    tr("Last alarm"), tr("Commands")};
    auto *form = new QFormLayout(m_form);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    for (int i = 0; i < FieldCount; ++i) {
        m_names[i] = names[i];
        auto *value = new QLabel(kDash, m_form);
        value->setObjectName(QStringLiteral("value%1").arg(i));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Every value wraps, so the dock reads at any width instead of
        // scrolling sideways; what the cloud says is shown as text.
        value->setWordWrap(true);
        value->setTextFormat(i == StatusField ? Qt::RichText : Qt::PlainText);
        value->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        m_values[i] = value;
        auto *name = new QLabel(names[i] + QLatin1Char(':'), m_form);
        name->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        form->addRow(name, value);
    }
    QFont bold = m_values[NameField]->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_values[NameField]->setFont(bold);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);

    m_scroll->setWidget(m_form);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_scroll, 1);
    m_form->setObjectName(QStringLiteral("detailsForm"));
    setVehicle(std::nullopt);
}

QSize VehicleDetailsWidget::sizeHint() const
{
    // Wide enough for a date with its "… ago" and an IMEI on one line each.
    const QFontMetrics fm(font());
    // And room for the vertical scroll bar, which the longer story (the
    // last commands) brings on a small screen.
    return {fm.horizontalAdvance(QStringLiteral("Last heartbeat: 22 Dec 2026 08:57:47")) + 24
                + style()->pixelMetric(QStyle::PM_ScrollBarExtent),
            420};
}

void VehicleDetailsWidget::set(Field field, const QString &text)
{
    m_values[field]->setText(text.isEmpty() ? kDash : text);
}

QString VehicleDetailsWidget::fieldText(const QString &field) const
{
    for (int i = 0; i < FieldCount; ++i)
        if (m_names[i] == field)
            return m_values[i]->text();
    return {};
}

void VehicleDetailsWidget::setVehicle(const std::optional<VehicleSnapshot> &vehicle)
{
    m_vehicle = vehicle;
    m_placeholder->setVisible(!vehicle);
    m_scroll->setVisible(bool(vehicle));
    refresh(m_clock->nowUtc());
}

void VehicleDetailsWidget::setCommands(const QList<CommandRecord> &commands)
{
    m_commands = commands;
    QStringList lines;
    for (const CommandRecord &c : commands) {
        const QDateTime t = c.sentTime.isValid() ? c.sentTime : c.replyTime;
        QString line = QStringLiteral("%1 %2: %3").arg(t.isValid() ? localTime(t) : QString(), c.text,
                                                       CommandWords::stateName(c.state));
        const QString answer = c.reply.isEmpty() ? c.resultMessage : c.reply;
        if (!answer.isEmpty())
            line += QStringLiteral(" — ") + answer;
        lines.append(line);
    }
    set(LastCommandsField, lines.join(QLatin1Char('\n')));
}

void VehicleDetailsWidget::setClock(Clock *clock)
{
    m_clock = clock ? clock : Clock::system();
    refresh(m_clock->nowUtc());
}

void VehicleDetailsWidget::refresh(const QDateTime &now)
{
    if (!m_vehicle)
        return;
    const VehicleSnapshot &v = *m_vehicle;
    const DeviceLocation &l = v.location;
    const QLocale locale;
    set(NameField, v.displayName());
    const QColor colour = vehicleStatusColor(v.status);
    m_values[StatusField]->setText(QStringLiteral("<span style=\"color:%1\">●</span> %2")
                                       .arg(colour.name(), vehicleStatusName(v.status).toHtmlEscaped()));
    set(ImeiField, v.imei());
    set(PlateField, v.device.plate);
    set(DriverField,
        v.device.driverPhone.isEmpty()
            ? v.device.driverName
            : QStringLiteral("%1 (%2)").arg(orDash(v.device.driverName), v.device.driverPhone));
    set(GroupField, v.device.groupName);
    set(ModelField, v.device.model.isEmpty() ? l.model : v.device.model);
    if (l.fix) {
        const Position &f = *l.fix;
        set(LastFixField, QStringLiteral("%1 (%2)").arg(localTime(f.gpsTime), agoText(f.gpsTime, now)));
        set(PositionField,
            QStringLiteral("%1, %2").arg(locale.toString(f.lat, 'f', 5), locale.toString(f.lng, 'f', 5)));
    } else {
        set(LastFixField, tr("none yet"));
        set(PositionField, QString());
    }
    // What the vehicle does now: the freshest of the fix and of what the
    // device reported since, fix or not.
    const std::optional<double> speed = l.speedKmh();
    const std::optional<double> course = l.courseDeg();
    const std::optional<bool> ignition = l.ignition();
    const bool readingsNewer = l.readings.motionTime.isValid() && (!l.fix || l.readings.motionTime >= l.fix->gpsTime);
    const std::optional<int> satellites = readingsNewer ? l.readings.satellites
                                                        : (l.fix ? l.fix->satellites : std::nullopt);
    set(SpeedField, speed ? tr("%1 km/h").arg(locale.toString(*speed, 'f', 0)) : QString());
    set(HeadingField,
        course ? QStringLiteral("%1° %2").arg(locale.toString(*course, 'f', 0), compassPoint(*course)) : QString());
    set(IgnitionField, ignition ? (*ignition ? tr("On") : tr("Off")) : QString());
    set(SatellitesField, satellites ? locale.toString(*satellites) : QString());
    QStringList power;
    if (l.externalVoltage)
        power.append(tr("%1 V supply").arg(locale.toString(*l.externalVoltage, 'f', 1)));
    if (l.batteryVoltage)
        power.append(tr("%1 V battery").arg(locale.toString(*l.batteryVoltage, 'f', 2)));
    if (l.batteryPercent)
        power.append(tr("%1 % battery").arg(locale.toString(*l.batteryPercent, 'f', 0)));
    set(PowerField, power.join(QStringLiteral(", ")));
    const std::optional<double> odometer = l.odometerKm
        ? l.odometerKm
        : (l.readings.odometerKm ? l.readings.odometerKm : v.device.odometerKm);
    set(OdometerField, odometer ? tr("%1 km").arg(locale.toString(*odometer, 'f', 1)) : QString());
    set(HeartbeatField,
        l.heartbeatTime.isValid()
            ? QStringLiteral("%1 (%2)").arg(localTime(l.heartbeatTime), agoText(l.heartbeatTime, now))
            : QString());
    set(SignalField, l.gsmSignal ? tr("%1 of 4").arg(*l.gsmSignal) : QString());
    set(AddressField, l.address);
    set(LastAlarmField,
        v.lastAlarmTime.isValid()
            ? QStringLiteral("%1, %2 (%3)")
                  .arg(orDash(v.lastAlarmName), localTime(v.lastAlarmTime), agoText(v.lastAlarmTime, now))
            : QString());
}

} // namespace Fleet
