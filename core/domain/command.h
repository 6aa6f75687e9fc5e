#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace Fleet {

// A command template the device model supports (jimi.open.instruction.list).
struct CommandTemplate
{
    QString id;
    QString name; // orderName
    QString content; // orderContent, e.g. "RELAY,{0}#"
    QString explain; // orderExplain
    std::optional<bool> offlineCapable; // isOffLine

    friend bool operator==(const CommandTemplate &, const CommandTemplate &) = default;
};

// What jimi.open.instruction.send takes as inst_param_json.
struct CommandRequest
{
    QString templateId;
    QString templateText;
    QStringList params;
    bool overwriteOffline = true; // is_cover

    // The JSON text exactly as sent and signed.
    QString toJson() const;
};

// One entry of jimi.open.instruction.result.
struct CommandResult
{
    enum class State { Unknown, Failed, Succeeded, Waiting, Cancelled };

    QString codeId;
    QString code;
    QString content; // the device's reply
    State state = State::Unknown;
    QDateTime sendTime;
    QString sender;
    QString receiveDevice;
    std::optional<bool> offline;

    friend bool operator==(const CommandResult &, const CommandResult &) = default;
};

// The instruction gateway's answer (Appendix A, data._code etc.).
struct InstructResult
{
    int code = 0; // 100 ok, 200 bad parameter, 300 offline, 600 timeout
    QString message;
    QString imei;
    QString serverFlagId;
    QString content;

    bool succeeded() const { return code == 100; }
    friend bool operator==(const InstructResult &, const InstructResult &) = default;
};

QString commandStateName(CommandResult::State state);

} // namespace Fleet
