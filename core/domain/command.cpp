#include "command.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Fleet {

QString CommandRequest::toJson() const
{
    // Field order (inst_id, inst_template, params, is_cover) and the
    // string-typed is_cover follow every official example. QJsonObject would
    // sort the keys, so the object is put together here; each value is
    // escaped by QJsonDocument.
    const auto encode = [](const QJsonArray &a) {
        return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
    };
    const auto string = [&](const QString &v) {
        const QString array = encode(QJsonArray{v}); // ["…"]
        return array.mid(1, array.size() - 2);
    };
    const QString id = string(templateId);
    const QString tmpl = string(templateText);
    return QStringLiteral("{\"inst_id\":%1,\"inst_template\":%2,\"params\":%3,\"is_cover\":\"%4\"}")
        .arg(id, tmpl, encode(QJsonArray::fromStringList(params)),
             overwriteOffline ? QStringLiteral("true") : QStringLiteral("false"));
}

QString commandStateName(CommandResult::State state)
{
    switch (state) {
    case CommandResult::State::Failed: return QStringLiteral("failed");
    case CommandResult::State::Succeeded: return QStringLiteral("succeeded");
    case CommandResult::State::Waiting: return QStringLiteral("waiting");
    case CommandResult::State::Cancelled: return QStringLiteral("cancelled");
    case CommandResult::State::Unknown: break;
    }
    return QStringLiteral("unknown");
}

} // namespace Fleet
