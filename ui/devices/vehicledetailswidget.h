#pragma once

#include "domain/commandtracking.h"
#include "domain/vehiclestatus.h"

#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;
class QScrollArea;

namespace Fleet {

class Clock;

// The selected vehicle at a glance: who it is, where and when it last was,
// how it is (ignition, power, satellites, odometer, heartbeat), its address
// where the cloud gave one, and its last alarm. Times are local on screen.
class VehicleDetailsWidget : public QWidget
{
    Q_OBJECT

public:
    explicit VehicleDetailsWidget(QWidget *parent = nullptr);

    // The time "… ago" texts are measured against (the session's; a demo's
    // fleet lives in a time of its own). Not owned; the system's by default.
    void setClock(Clock *clock);
    void setVehicle(const std::optional<VehicleSnapshot> &vehicle);
    std::optional<VehicleSnapshot> vehicle() const { return m_vehicle; }
    // The vehicle's newest commands (newest first), shown under its last alarm.
    void setCommands(const QList<CommandRecord> &commands);
    // Re-renders "… ago" texts against now.
    void refresh(const QDateTime &nowUtc);

    // The text of a row ("Speed", …), for tests and accessibility.
    QString fieldText(const QString &field) const;
    QSize sizeHint() const override;

private:
    enum Field {
        NameField,
        StatusField,
        ImeiField,
        PlateField,
        DriverField,
        GroupField,
        ModelField,
        LastFixField,
        PositionField,
        SpeedField,
        HeadingField,
        IgnitionField,
        PowerField,
        SatellitesField,
        OdometerField,
        HeartbeatField,
        SignalField,
        AddressField,
        LastAlarmField,
        LastCommandsField,
        FieldCount
    };
    void set(Field field, const QString &text);

    std::optional<VehicleSnapshot> m_vehicle;
    QList<CommandRecord> m_commands;
    Clock *m_clock;
    QLabel *m_placeholder;
    QWidget *m_form;
    QScrollArea *m_scroll;
    QLabel *m_values[FieldCount] = {};
    QString m_names[FieldCount];
};

// "12 s ago", "5 min ago", "3 h ago", "2 d ago" (empty for an invalid time).
QString agoText(const QDateTime &then, const QDateTime &now);
// 0–360° → "N", "NE", ...
QString compassPoint(double degrees);

} // namespace Fleet
