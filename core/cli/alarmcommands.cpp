#include "clicommands.h"
#include "cli.h"
#include "clisession.h"

#include "history/alarmexport.h"
#include "history/trackexport.h"
#include "store/storereader.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace Fleet::Cli {

namespace {

constexpr qint64 kMaxMediaFileBytes = 500'000'000;

std::optional<qint64> alarmId(Session &session, const QCommandLineParser &parser)
{
    bool ok = false;
    const qint64 id = parser.value(QStringLiteral("id")).toLongLong(&ok);
    if (!ok || id <= 0) {
        session.say(QStringLiteral("--id: expected an alarm id (a positive number), got \"%1\"")
                        .arg(parser.value(QStringLiteral("id"))));
        return std::nullopt;
    }
    return id;
}

// --id and --operator, then the store opened: for the commands on one alarm.
int openForAlarm(Session &session, const QCommandLineParser &parser, qint64 *id, QString *operatorName)
{
    const std::optional<qint64> alarm = alarmId(session, parser);
    const std::optional<QString> name = alarm ? operatorOption(session, parser) : std::nullopt;
    if (!alarm || !name)
        return Usage;
    *id = *alarm;
    *operatorName = *name;
    return session.open(parser);
}

// ack and resolve: one step on an alarm's row, and every alarm folded into it.
int step(Session &session, const QCommandLineParser &parser, AlarmActionKind kind)
{
    qint64 id = 0;
    QString operatorName;
    if (const int rc = openForAlarm(session, parser, &id, &operatorName); rc != Success)
        return rc;
    const std::optional<AlarmDeskRow> before = session.reader().alarmDeskRow(id);
    if (!before) {
        session.say(QStringLiteral("alarm %1 does not exist").arg(id));
        return Usage;
    }
    const AlarmState target = kind == AlarmActionKind::Resolve ? AlarmState::Resolved : AlarmState::Acknowledged;
    if (before->state == target) {
        session.say(QStringLiteral("alarm %1 is already %2 (by %3)")
                        .arg(QString::number(before->id), alarmStateName(target), before->handledBy));
        return Success;
    }
    if (!alarmStepAllowed(before->state, target)) {
        session.say(QStringLiteral("alarm %1 is %2: it cannot be %3")
                        .arg(QString::number(before->id), alarmStateName(before->state), alarmStateName(target)));
        return Usage;
    }
    AlarmAction action;
    action.alarmId = id;
    action.kind = kind;
    action.operatorName = operatorName;
    action.note = parser.value(QStringLiteral("note"));
    IngestBatch batch;
    batch.alarmActions = {action};
    if (const int rc = session.commit(std::move(batch)); rc != Success)
        return rc;
    const std::optional<AlarmDeskRow> after = session.reader().alarmDeskRow(id);
    if (!after || after->state != target) {
        session.say(QStringLiteral("alarm %1 was not %2").arg(QString::number(id), alarmStateName(target)));
        return Failure;
    }
    const QString line = QStringLiteral("alarm %1 %2 by %3 (%4 alarm(s))\n")
                             .arg(QString::number(after->id), alarmStateName(target), after->handledBy)
                             .arg(after->count);
    return session.writeResult({}, line.toUtf8());
}

} // namespace

int alarmsList(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> formatName = csvOrJson(session, parser);
    if (!formatName)
        return Usage;
    const std::optional<AlarmExport::Format> format = AlarmExport::formatFromName(*formatName);
    AlarmFilter filter;
    if (parser.isSet(QStringLiteral("state"))) {
        for (const QString &name : parser.value(QStringLiteral("state")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const std::optional<AlarmState> state = alarmStateFromName(name.trimmed());
            if (!state) {
                session.say(QStringLiteral("--state: expected new, acknowledged or resolved, got \"%1\"").arg(name));
                return Usage;
            }
            filter.states.append(*state);
        }
    }
    for (const auto &[option, time] : {std::pair{QStringLiteral("from"), &filter.from},
                                       std::pair{QStringLiteral("to"), &filter.to}}) {
        if (!parser.isSet(option))
            continue;
        const std::optional<QDateTime> t = isoTime(session, option, parser.value(option));
        if (!t)
            return Usage;
        *time = *t;
    }
    if (filter.from.isValid() && filter.to.isValid() && filter.to < filter.from) {
        session.say(QStringLiteral("--to is before --from"));
        return Usage;
    }
    if (parser.isSet(QStringLiteral("imei"))) {
        const std::optional<QStringList> imeis = imeiList(session, parser.value(QStringLiteral("imei")));
        if (!imeis)
            return Usage;
        filter.imeis = *imeis;
    }
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    const QList<AlarmDeskRow> rows = session.reader().alarmDesk(filter);
    if (!session.reader().errorString().isEmpty()) {
        session.say(QStringLiteral("alarms: %1").arg(session.reader().errorString()));
        return Failure;
    }
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    if (!AlarmExport::write(rows, AlarmSeverities(), *format, &buffer, &error)) {
        session.say(QStringLiteral("alarms: %1").arg(error));
        return Failure;
    }
    return session.writeResult(parser.value(QStringLiteral("output")), buffer.data());
}

int alarmsDeviceAck(Session &session, const QCommandLineParser &parser)
{
    const std::optional<int> timeout = timeoutOption(session, parser, 120);
    if (!timeout)
        return Usage;
    qint64 id = 0;
    QString operatorName;
    if (const int rc = openForAlarm(session, parser, &id, &operatorName); rc != Success)
        return rc;
    if (!session.hasInstructionGateway()) {
        session.say(QStringLiteral("device-ack needs the account's instruction gateway: [api] instruct_url in --config"));
        return Usage;
    }
    const QList<AlarmDeskRow> fold = session.reader().alarmFold(id);
    if (fold.isEmpty()) {
        session.say(QStringLiteral("alarm %1 does not exist").arg(id));
        return Usage;
    }
    const std::optional<DeviceAckRequest> request = deviceAckRequest(fold, operatorName);
    if (!request) {
        session.say(QStringLiteral("alarm %1 carries no serial number (alarmSerialNo): its device cannot be asked")
                        .arg(id));
        return Usage;
    }
    AlarmDeviceAck answer;
    if (!session.ackOnDevice(*request, &answer, *timeout)) {
        session.say(QStringLiteral("alarm %1: no answer from the gateway within %2 s (kept as 'sending')")
                        .arg(request->alarmId)
                        .arg(*timeout));
        return Failure;
    }
    const QString line = QStringLiteral("alarm %1 device %2 serial %3: %4%5%6\n")
                             .arg(QString::number(request->alarmId), request->imei, QString::number(request->serialNo),
                                  deviceAckResultName(answer.result),
                                  answer.code ? QStringLiteral(" (%1)").arg(*answer.code) : QString(),
                                  answer.message.isEmpty() ? QString() : QStringLiteral(" ") + answer.message);
    if (answer.result != DeviceAckResult::Confirmed) {
        session.say(line.trimmed());
        return Failure;
    }
    return session.writeResult({}, line.toUtf8());
}

int writeMediaList(Session &session, const QCommandLineParser &parser, const QList<StoredMedia> &media,
                   const QString &directory, int timeoutSecs, const QString &formatName, std::optional<qint64> alarm)
{
    int rc = Success;
    // --download: each file with a link, named by its key (made safe), and
    // never over another file.
    QStringList saved;
    for (const StoredMedia &m : std::as_const(media)) {
        QString path;
        if (!directory.isEmpty() && !m.fileUrl.isEmpty()) {
            QString name = QFileInfo(m.fileKey).fileName();
            name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
            if (name.isEmpty() || name.startsWith(QLatin1Char('.')))
                name.prepend(QStringLiteral("media"));
            path = QDir(directory).filePath(name);
            const QFileInfo info(path);
            for (int n = 2; QFileInfo::exists(path) || saved.contains(path); ++n) {
                path = info.dir().filePath(QStringLiteral("%1-%2%3").arg(
                    info.completeBaseName(), QString::number(n),
                    info.suffix().isEmpty() ? QString() : QLatin1Char('.') + info.suffix()));
            }
            const QString error = session.download(QUrl(m.fileUrl), path, kMaxMediaFileBytes, timeoutSecs);
            if (!error.isEmpty()) {
                session.say(QStringLiteral("%1: %2").arg(m.fileKey, error));
                path.clear();
                rc = Failure;
            }
        }
        saved.append(path);
    }
    const QString alarmText = alarm ? QString::number(*alarm) : QString();
    QByteArray out;
    if (formatName == QLatin1String("json")) {
        QJsonArray rows;
        for (qsizetype i = 0; i < media.size(); ++i) {
            const StoredMedia &m = media.at(i);
            rows.append(QJsonObject{
                {QStringLiteral("alarm_id"), alarm ? QJsonValue(double(*alarm)) : QJsonValue()},
                {QStringLiteral("imei"), m.imei},
                {QStringLiteral("file_key"), m.fileKey},
                {QStringLiteral("media_type"), m.mediaType},
                {QStringLiteral("mime_type"), m.mimeType},
                {QStringLiteral("camera"), m.camera ? QJsonValue(*m.camera) : QJsonValue()},
                {QStringLiteral("created"), m.created.isValid() ? QJsonValue(m.created.toUTC().toString(Qt::ISODate)) : QJsonValue()},
                {QStringLiteral("alarm_time"), m.alarmTime.isValid() ? QJsonValue(m.alarmTime.toUTC().toString(Qt::ISODate)) : QJsonValue()},
                {QStringLiteral("file_size"), m.fileSize ? QJsonValue(double(*m.fileSize)) : QJsonValue()},
                {QStringLiteral("file_url"), m.fileUrl},
                {QStringLiteral("thumb_url"), m.thumbUrl},
                {QStringLiteral("saved_as"), saved.at(i)},
            });
        }
        out = QJsonDocument(rows).toJson(QJsonDocument::Indented);
    } else {
        out = "alarm_id,imei,file_key,media_type,mime_type,camera,alarm_time,file_size,file_url,thumb_url,saved_as,created\n";
        for (qsizetype i = 0; i < media.size(); ++i) {
            const StoredMedia &m = media.at(i);
            const QStringList fields{alarmText,
                                     TrackExport::csvText(m.imei),
                                     TrackExport::csvText(m.fileKey),
                                     TrackExport::csvText(m.mediaType),
                                     TrackExport::csvText(m.mimeType),
                                     m.camera ? QString::number(*m.camera) : QString(),
                                     m.alarmTime.isValid() ? m.alarmTime.toUTC().toString(Qt::ISODate) : QString(),
                                     m.fileSize ? QString::number(*m.fileSize) : QString(),
                                     TrackExport::csvText(m.fileUrl),
                                     TrackExport::csvText(m.thumbUrl),
                                     TrackExport::csvText(saved.at(i)),
                                     m.created.isValid() ? m.created.toUTC().toString(Qt::ISODate) : QString()};
            out += fields.join(QLatin1Char(',')).toUtf8() + '\n';
        }
    }
    const int written = session.writeResult(parser.value(QStringLiteral("output")), out);
    return written != Success ? written : rc;
}

int alarmsMedia(Session &session, const QCommandLineParser &parser)
{
    const std::optional<QString> format = csvOrJson(session, parser);
    if (!format)
        return Usage;
    const QString &formatName = *format;
    const std::optional<int> timeout = timeoutOption(session, parser, 120);
    if (!timeout)
        return Usage;
    const std::optional<qint64> id = alarmId(session, parser);
    if (!id)
        return Usage;
    const std::optional<QString> download = downloadOption(session, parser);
    if (!download)
        return Usage;
    const QString directory = *download;
    if (const int rc = session.open(parser); rc != Success)
        return rc;
    const QList<AlarmDeskRow> fold = session.reader().alarmFold(*id);
    if (fold.isEmpty()) {
        session.say(QStringLiteral("alarm %1 does not exist").arg(*id));
        return Usage;
    }
    const qint64 head = fold.constFirst().id;
    QList<StoredMedia> media = session.reader().alarmMedia(head);
    int rc = Success;
    // The store knows where every file is: nothing to ask. Else the cloud
    // lists the alarm's event media (kept in the store for the next time).
    const bool linked = !media.isEmpty()
        && std::all_of(media.cbegin(), media.cend(), [](const StoredMedia &m) { return !m.fileUrl.isEmpty(); });
    if (!linked && session.hasCloud()) {
        const std::optional<AlarmMediaRequest> request = alarmMediaRequest(fold);
        AlarmMediaOutcome outcome;
        if (!request) {
            session.say(QStringLiteral("alarm %1 has no device or time to look up").arg(head));
        } else if (!session.fetchAlarmMedia(*request, &outcome, *timeout)) {
            session.say(QStringLiteral("alarm %1: the cloud did not list its media within %2 s").arg(head).arg(*timeout));
            rc = Failure;
        } else if (!outcome.error.isEmpty()) {
            session.say(QStringLiteral("alarm %1: the cloud's media list is not whole: %2").arg(head).arg(outcome.error));
            rc = Failure;
        }
        media = session.reader().alarmMedia(head);
    }
    if (media.isEmpty())
        session.say(QStringLiteral("alarm %1: no photos or clips").arg(head));
    const int written = writeMediaList(session, parser, media, directory, *timeout, formatName, head);
    return written != Success ? written : rc;
}

int alarmsAck(Session &session, const QCommandLineParser &parser)
{
    return step(session, parser, AlarmActionKind::Acknowledge);
}

int alarmsResolve(Session &session, const QCommandLineParser &parser)
{
    return step(session, parser, AlarmActionKind::Resolve);
}

} // namespace Fleet::Cli
