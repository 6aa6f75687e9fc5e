#include "alarmexport.h"

#include "trackexport.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Fleet::AlarmExport {

namespace {

QString optionalNumber(const std::optional<double> &v, int decimals)
{
    return v ? QString::number(*v, 'f', decimals) : QString();
}

QByteArray csv(const QList<AlarmDeskRow> &rows, const AlarmSeverities &severities)
{
    QByteArray out = "id,imei,vehicle,plate,group,type_code,type_name,severity,time,last_time,count,lat,lng,"
                     "speed_kmh,state,operator,handled_at,note,known_device\r\n";
    for (const AlarmDeskRow &r : rows) {
        const Alarm &a = r.alarm;
        const QStringList fields{
            QString::number(r.id),
            TrackExport::csvText(a.imei),
            TrackExport::csvText(r.vehicleName),
            TrackExport::csvText(r.plate),
            TrackExport::csvText(r.groupName),
            TrackExport::csvText(a.typeId),
            TrackExport::csvText(typeName(a)),
            QString(alarmSeverityName(severities.of(a.typeId))),
            TrackExport::utcText(a.time),
            TrackExport::utcText(r.lastTime),
            QString::number(r.count),
            a.lat ? TrackExport::coordinateText(*a.lat) : QString(),
            a.lng ? TrackExport::coordinateText(*a.lng) : QString(),
            optionalNumber(a.speedKmh, 1),
            QString(alarmStateName(r.state)),
            TrackExport::csvText(r.handledBy),
            r.handledAt.isValid() ? TrackExport::utcText(r.handledAt) : QString(),
            TrackExport::csvText(r.note),
            r.knownDevice ? QStringLiteral("1") : QStringLiteral("0"),
        };
        out += fields.join(QLatin1Char(',')).toUtf8();
        out += "\r\n";
    }
    return out;
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QByteArray json(const QList<AlarmDeskRow> &rows, const AlarmSeverities &severities)
{
    QJsonArray list;
    for (const AlarmDeskRow &r : rows) {
        const Alarm &a = r.alarm;
        QJsonObject o{
            {QStringLiteral("id"), r.id},
            {QStringLiteral("imei"), a.imei},
            {QStringLiteral("vehicle"), r.vehicleName},
            {QStringLiteral("plate"), orNull(r.plate)},
            {QStringLiteral("group"), orNull(r.groupName)},
            {QStringLiteral("type_code"), a.typeId},
            {QStringLiteral("type_name"), typeName(a)},
            {QStringLiteral("severity"), QString(alarmSeverityName(severities.of(a.typeId)))},
            {QStringLiteral("time"), TrackExport::utcText(a.time)},
            {QStringLiteral("last_time"), TrackExport::utcText(r.lastTime)},
            {QStringLiteral("count"), r.count},
            {QStringLiteral("lat"), a.lat ? QJsonValue(*a.lat) : QJsonValue()},
            {QStringLiteral("lng"), a.lng ? QJsonValue(*a.lng) : QJsonValue()},
            {QStringLiteral("speed_kmh"), a.speedKmh ? QJsonValue(*a.speedKmh) : QJsonValue()},
            {QStringLiteral("state"), QString(alarmStateName(r.state))},
            {QStringLiteral("operator"), orNull(r.handledBy)},
            {QStringLiteral("handled_at"), r.handledAt.isValid() ? QJsonValue(TrackExport::utcText(r.handledAt))
                                                                 : QJsonValue()},
            {QStringLiteral("note"), orNull(r.note)},
            {QStringLiteral("known_device"), r.knownDevice},
        };
        if (a.serialNo)
            o.insert(QStringLiteral("serial_no"), *a.serialNo);
        if (!a.mediaFile.isEmpty())
            o.insert(QStringLiteral("media_file"), a.mediaFile);
        list.append(o);
    }
    return QJsonDocument(list).toJson(QJsonDocument::Indented);
}

} // namespace

std::optional<Format> formatFromName(const QString &name)
{
    if (name.compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0)
        return Format::Csv;
    if (name.compare(QLatin1String("json"), Qt::CaseInsensitive) == 0)
        return Format::Json;
    return std::nullopt;
}

QString typeName(const Alarm &alarm)
{
    const QString known = alarmTypeText(alarm.typeId);
    return !known.isEmpty() ? known : !alarm.typeName.isEmpty() ? alarm.typeName : alarm.typeId;
}

bool write(const QList<AlarmDeskRow> &rows, const AlarmSeverities &severities, Format format, QIODevice *out,
           QString *error)
{
    const QByteArray bytes = format == Format::Csv ? csv(rows, severities) : json(rows, severities);
    if (out->write(bytes) == bytes.size())
        return true;
    if (error)
        *error = out->errorString().isEmpty() ? QStringLiteral("cannot write") : out->errorString();
    return false;
}

} // namespace Fleet::AlarmExport
