#pragma once

#include <QString>

namespace Fleet {

// An alarm type's name on screen: the appendix's name in the user's
// language (translation context "AlarmType"); for a code the appendix does
// not know, the cloud's name with the code, or the code alone.
QString alarmTypeDisplayName(const QString &typeId, const QString &cloudName = {});

} // namespace Fleet
