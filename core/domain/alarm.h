#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace Fleet {

// One alarm. typeId is the appendix code as text ("1", "2", "ACC_ON", "overSpeed", ...).
struct Alarm
{
    QString imei;
    QString deviceName;
    QString model;
    QString typeId; // alertTypeId (poll) / alarmType (push) — BUG-01
    QString typeName; // alarmTypeName (poll) / alarmName (push)
    QDateTime time; // alertTime (poll) / gateTime or alarmTime (push)
    QDateTime positionTime;
    std::optional<double> lat;
    std::optional<double> lng;
    std::optional<double> speedKmh;
    QString fenceId; // geoid
    QString account; // the account the device belongs to (poll)
    // The device's serial number of the alarm (push, JT/T 808 devices): what
    // Appendix A's "acknowledge alarm" command (proNo 33283) takes.
    std::optional<qint64> serialNo; // alarmSerialNo
    QString driverName; // the driver logged in (card, face ID)
    QString driverId;
    QString mediaFile; // file: the photo or clip the device took for it
    QString value; // alertValue, as sent (its meaning depends on the type)

    friend bool operator==(const Alarm &, const Alarm &) = default;
};

// The official alarm code table (api-field-notes §3.5), in English; empty
// when unknown.
QString alarmTypeText(const QString &typeId);
// A type's name in English: the table's; for a code the table does not
// know, the cloud's name with the code ("Tow alert (301)"), or the code
// alone. Never empty for a non-empty code: no alarm goes unnamed. (The views
// translate the table's names: alarmTypeDisplayName in ui/alarms.)
QString alarmTypeLabel(const QString &typeId, const QString &cloudName = {});
// Every code of the table, in the appendix's order.
QStringList alarmTypeCodes();

} // namespace Fleet
