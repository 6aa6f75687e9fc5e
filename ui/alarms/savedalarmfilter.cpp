#include "savedalarmfilter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Fleet {

namespace {

constexpr int kMaxNameLength = 80;

} // namespace

QString SavedAlarmFilter::listToJson(const QList<SavedAlarmFilter> &list)
{
    QJsonArray array;
    for (const SavedAlarmFilter &f : list) {
        array.append(QJsonObject{
            {QStringLiteral("name"), f.name},
            {QStringLiteral("state"), f.state},
            {QStringLiteral("severity"), f.severity},
            {QStringLiteral("period"), f.period},
            {QStringLiteral("group"), f.groupId},
            {QStringLiteral("text"), f.text},
        });
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<SavedAlarmFilter> SavedAlarmFilter::listFromJson(const QString &json)
{
    QList<SavedAlarmFilter> list;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    const QJsonArray array = doc.array();
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        SavedAlarmFilter f;
        f.name = o.value(QStringLiteral("name")).toString().trimmed().left(kMaxNameLength);
        if (f.name.isEmpty())
            continue;
        f.state = o.value(QStringLiteral("state")).toString();
        f.severity = o.value(QStringLiteral("severity")).toString();
        f.period = o.value(QStringLiteral("period")).toString();
        f.groupId = o.value(QStringLiteral("group")).toString();
        f.text = o.value(QStringLiteral("text")).toString();
        list.append(f);
    }
    return list;
}

} // namespace Fleet
