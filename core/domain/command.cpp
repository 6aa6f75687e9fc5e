#include "command.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Fleet {

QString CommandRequest::toJson() const
{
    // Field order and string-typed is_cover follow every official example.
    QJsonObject o;
    o.insert(QStringLiteral("inst_id"), templateId);
    o.insert(QStringLiteral("inst_template"), templateText);
    o.insert(QStringLiteral("params"), QJsonArray::fromStringList(params));
    o.insert(QStringLiteral("is_cover"), overwriteOffline ? QStringLiteral("true") : QStringLiteral("false"));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
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
