#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace Fleet::Sim {

// One Open API answer: {"code":N,"message":"...","result":...[,"data":...]}.
// The real service answers API-level errors with HTTP 200 too.
struct SimReply
{
    int code = 0;
    QString message = QStringLiteral("success");
    QJsonValue result = QJsonValue::Null;
    std::optional<QJsonValue> data; // only methods that use "data" carry it

    static SimReply ok(const QJsonValue &result = QJsonValue::Null, const QString &message = QStringLiteral("success"));
    // result null, payload in "data" (reports, platform fences).
    static SimReply okData(const QJsonValue &data, const QString &message = QStringLiteral("success"));
    static SimReply error(int code, const QString &message);
    // 1001 with the message of a parameter check.
    static SimReply badParam(const QString &message);

    bool isOk() const { return code == 0; }
    QJsonObject toJson() const;
};

} // namespace Fleet::Sim
