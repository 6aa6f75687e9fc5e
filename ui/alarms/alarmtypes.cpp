#include "alarmtypes.h"

#include "domain/alarm.h"

#include <QCoreApplication>

namespace Fleet {

QString alarmTypeDisplayName(const QString &typeId, const QString &cloudName)
{
    const QString english = alarmTypeText(typeId);
    if (!english.isEmpty())
        return QCoreApplication::translate("AlarmType", english.toUtf8().constData());
    return alarmTypeLabel(typeId, cloudName);
}

} // namespace Fleet
