#pragma once

#include <QList>
#include <QString>

namespace Fleet {

// A named set of the alarm desk's filters, as a dispatcher saves it ("Night
// shift: unhandled criticals, Trucks"). Each field is the desk's own value
// (AlarmDeskPanel: state, severity, period, group id) or the search text.
struct SavedAlarmFilter
{
    QString name;
    QString state; // "unhandled", "new", "acknowledged", "resolved", "all"
    QString severity; // "", "critical", "warning", "info"
    QString period; // "day", "week", "month", "all"
    QString groupId; // empty: all groups
    QString text;

    friend bool operator==(const SavedAlarmFilter &, const SavedAlarmFilter &) = default;

    // As the settings keep them: a JSON array. Entries without a name, and
    // text that is not such an array, are skipped.
    static QString listToJson(const QList<SavedAlarmFilter> &list);
    static QList<SavedAlarmFilter> listFromJson(const QString &json);
};

} // namespace Fleet
