#include "simcommandapi.h"

#include "sim/simfleet.h"
#include "sim/simserverconfig.h"
#include "sim/simstate.h"
#include "sim/simsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace Fleet::Sim {

using namespace SimSupport;

namespace {

struct CommandTemplate
{
    int id;
    const char *name;
    const char *content;
    const char *explain;
    bool offline;
};

// Each model family lists its own templates, with its own ids (field notes
// §5: the user-defined template is 99 on some models and 96 on others).
// A typical Concox/Jimi vehicle tracker:
constexpr CommandTemplate kTrackerTemplates[] = {
    {99, "User-defined command", "{0}", "Send any text command the device understands, e.g. STATUS#", true},
    {163, "Fuel/Power Remote Control", "RELAY,{0}#", "1: cut off the fuel/power supply; 0: restore it", true},
    {81, "SOS setting", "SOS,A,{0},{1},{2}#", "Set up to three SOS phone numbers", true},
    {15, "Locate", "WHERE#", "Query the current position", false},
    {16, "Device status", "STATUS#", "Query battery, GSM, GPS and ACC status", false},
    {17, "Parameter query", "PARAM#", "Query the device parameters", false},
    {32, "Upload interval", "TIMER,{0},{1}#", "{0}: interval with ACC on (s); {1}: with ACC off (s)", true},
    {40, "Overspeed alarm", "SPEED,ON,{0},{1},1#", "{0}: duration (s); {1}: speed limit (km/h)", true},
};
// The V2.7.14 list (VL802): cut and restore as two fixed templates, user-defined 96.
constexpr CommandTemplate kVlTemplates[] = {
    {96, "User-defined command", "{0}", "", true},
    {113, "Cut off fuel", "RELAY,1#", "", true},
    {114, "Restore fuel", "RELAY,0#", "", true},
    {16, "Device status", "STATUS#", "", false},
    {32, "Upload interval", "TIMER,{0},{1}#", "", true},
};
// A dashcam: no relay and no user-defined template (text commands go
// through the instruction gateway); a template without a description.
constexpr CommandTemplate kDashcamTemplates[] = {
    {16, "Device status", "STATUS#", "Query battery, GSM, GPS and ACC status", false},
    {201, "Restart", "RESET#", "Restart the device", false},
    {202, "Format the memory card", "FORMAT#", "Erase every recording on the card", false},
    {210, "Video upload", "UPLOAD,{0},{1}#", "", false},
};

struct TemplateList
{
    const CommandTemplate *begin;
    const CommandTemplate *end;
};

TemplateList templatesOf(const SimDevice &d)
{
    if (d.dashcam)
        return {std::begin(kDashcamTemplates), std::end(kDashcamTemplates)};
    if (d.model.startsWith(QLatin1String("VL")))
        return {std::begin(kVlTemplates), std::end(kVlTemplates)};
    return {std::begin(kTrackerTemplates), std::end(kTrackerTemplates)};
}

const CommandTemplate *findTemplate(const SimDevice &d, const QString &id)
{
    const TemplateList list = templatesOf(d);
    for (const CommandTemplate *t = list.begin; t != list.end; ++t) {
        if (QString::number(t->id) == id)
            return t;
    }
    return nullptr;
}

bool isUserDefined(const CommandTemplate &t)
{
    return qstrcmp(t.content, "{0}") == 0;
}

// The send failure the notes show, with its full-width colon.
SimReply sendFailed(int resultCode)
{
    return SimReply::error(12005, QStringLiteral("Fail to send command. Result code\uff1a%1").arg(resultCode));
}

// Replaces {0}, {1}, ...; nullopt when the params do not fit the template.
std::optional<QString> fillTemplate(const QString &tmpl, const QStringList &params)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{(\\d+)\\}"));
    int needed = 0;
    for (auto it = placeholder.globalMatch(tmpl); it.hasNext();)
        needed = qMax(needed, it.next().captured(1).toInt() + 1);
    if (needed != params.size())
        return std::nullopt;
    QString out = tmpl;
    for (int i = 0; i < params.size(); ++i)
        out.replace(QStringLiteral("{%1}").arg(i), params.at(i));
    return out;
}

QString jsonText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    return {};
}

} // namespace

SimCommandApi::SimCommandApi(const SimContext &ctx)
    : m_ctx(ctx)
{ }

void SimCommandApi::registerMethods(SimHandlerTable &table)
{
    table.insert(QStringLiteral("jimi.open.instruction.list"), [this](const SimCall &c) { return instructionList(c); });
    table.insert(QStringLiteral("jimi.open.instruction.send"), [this](const SimCall &c) { return instructionSend(c); });
    table.insert(QStringLiteral("jimi.open.instruction.result"),
                 [this](const SimCall &c) { return instructionResult(c); });
    table.insert(QStringLiteral("jimi.open.instruction.raw.send"), [this](const SimCall &c) { return rawSend(c); });
}

QString SimCommandApi::deviceReply(int index, const QString &command, const QDateTime &fleetNow) const
{
    const QString cmd = command.trimmed().toUpper();
    if (cmd == QLatin1String("RELAY,1#"))
        return QStringLiteral("Cut off the fuel supply: Success!");
    if (cmd == QLatin1String("RELAY,0#"))
        return QStringLiteral("Restore fuel supply: Success!");
    const auto fix = m_ctx.fleet->lastFix(index, fleetNow);
    if (cmd == QLatin1String("WHERE#")) {
        if (!fix)
            return QStringLiteral("GPS not fixed, please try again later!");
        return QStringLiteral("Current position!Lat:%1%2,Lon:%3%4,Course:%5,Speed:%6km/h,DateTime:%7")
            .arg(fix->lat >= 0 ? QLatin1Char('N') : QLatin1Char('S'))
            .arg(qAbs(fix->lat), 0, 'f', 6)
            .arg(fix->lng >= 0 ? QLatin1Char('E') : QLatin1Char('W'))
            .arg(qAbs(fix->lng), 0, 'f', 6)
            .arg(fix->course)
            .arg(fix->speedKmh, 0, 'f', 2)
            .arg(formatTime(fix->gpsTime));
    }
    if (cmd == QLatin1String("STATUS#")) {
        return QStringLiteral(
                   "Battery:100%,GPRS:Link Up,GSM Signal Level:Strong,GPS:%1,SVS Used in fix:%2,ACC:%3,Defense:OFF")
            .arg(fix ? QStringLiteral("Successful positioning") : QStringLiteral("Positioning failed"))
            .arg(fix ? fix->satellites : 0)
            .arg(fix && fix->acc ? QStringLiteral("ON") : QStringLiteral("OFF"));
    }
    if (cmd == QLatin1String("PARAM#"))
        return QStringLiteral("IMEI:%1;TIMER:10,300;SOS:,,;CENTER:;").arg(m_ctx.fleet->device(index).imei);
    if (cmd.startsWith(QLatin1String("SOS,")))
        return QStringLiteral("SOS number setting succeeded!");
    if (cmd.startsWith(QLatin1String("TIMER,")) || cmd.startsWith(QLatin1String("SPEED,"))
        || cmd.startsWith(QLatin1String("UPLOAD,")))
        return QStringLiteral("OK!");
    if (cmd == QLatin1String("RESET#"))
        return QStringLiteral("Reset OK! The device will restart.");
    if (cmd == QLatin1String("FORMAT#"))
        return QStringLiteral("Format SD card: Success!");
    return QStringLiteral("Parameter error");
}

SimReply SimCommandApi::instructionList(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    QJsonArray rows;
    const TemplateList list = templatesOf(m_ctx.fleet->device(index));
    for (const CommandTemplate *it = list.begin; it != list.end; ++it) {
        const CommandTemplate &t = *it;
        rows.append(QJsonObject{
            {QStringLiteral("id"), t.id}, // a number here, as in the notes
            {QStringLiteral("orderName"), QString::fromUtf8(t.name)},
            {QStringLiteral("orderContent"), QString::fromUtf8(t.content)},
            {QStringLiteral("orderExplain"), QString::fromUtf8(t.explain)},
            {QStringLiteral("orderMsg"), QString()},
            {QStringLiteral("isOffLine"), t.offline ? QStringLiteral("1") : QStringLiteral("0")},
        });
    }
    return SimReply::ok(rows);
}

SimReply SimCommandApi::instructionSend(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    if (auto err = require(call, {QStringLiteral("inst_param_json")}))
        return *err;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(call.param("inst_param_json").toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return SimReply::badParam(QStringLiteral("Parameter validation: inst_param_json is not a JSON object"));
    const QJsonObject o = doc.object();
    const QString instId = jsonText(o.value(QStringLiteral("inst_id")));
    const QString tmpl = o.value(QStringLiteral("inst_template")).toString();
    if (instId.isEmpty() || !o.value(QStringLiteral("inst_template")).isString()
        || !o.value(QStringLiteral("params")).isArray()) {
        return SimReply::badParam(
            QStringLiteral("Parameter validation: inst_param_json needs inst_id, inst_template and params"));
    }
    QStringList params;
    const QJsonArray paramArray = o.value(QStringLiteral("params")).toArray();
    for (const QJsonValue v : paramArray) {
        if (!v.isString() && !v.isDouble())
            return SimReply::badParam(QStringLiteral("Parameter validation: params must be strings"));
        params.append(v.isString() ? v.toString() : QString::number(v.toDouble()));
    }
    const CommandTemplate *known = findTemplate(m_ctx.fleet->device(index), instId);
    // An id the model does not have, or a template that is not its own: the
    // device-side "parameter error" (226).
    if (!known || QString::fromUtf8(known->content) != tmpl)
        return sendFailed(226);
    const std::optional<QString> text = fillTemplate(tmpl, params);
    if (!text || text->isEmpty())
        return sendFailed(226);
    const QJsonValue coverValue = o.value(QStringLiteral("is_cover"));
    const bool cover = coverValue.isBool()
        ? coverValue.toBool()
        : coverValue.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;

    const bool online = m_ctx.fleet->isOnline(index, call.fleetNow);
    if (!online && !known->offline)
        return sendFailed(228);

    const QString imei = m_ctx.fleet->device(index).imei;
    SimCommandRecord rec;
    rec.imei = imei;
    rec.codeId = instId;
    rec.text = *text;
    rec.sendTime = call.fleetNow;
    rec.sender = call.userId;
    rec.idSource = isUserDefined(*known) ? QStringLiteral("User-defined command") : QStringLiteral("Platform command");
    if (online) {
        answerLater(rec, index, call.fleetNow);
    } else {
        rec.offline = true;
        rec.isExecute = QStringLiteral("3");
        if (cover) {
            // is_cover: a new offline command replaces the one still waiting.
            for (SimCommandRecord &old : m_ctx.state->commands) {
                if (old.imei == imei && old.isExecute == QLatin1String("3"))
                    old.isExecute = QStringLiteral("4");
            }
        }
    }
    m_ctx.state->addCommand(rec);
    return SimReply::ok(QJsonValue::Null, QStringLiteral("command is successfully sent."));
}

int SimCommandApi::replyDelaySecs(int index) const
{
    // Most devices answer within seconds; every eighth one takes minutes
    // (weak coverage, a busy modem): a late answer.
    return index % 8 == 5 ? 240 : 3 + (index * 7) % 15;
}

void SimCommandApi::answerLater(SimCommandRecord &rec, int index, const QDateTime &fleetNow) const
{
    rec.isExecute = QStringLiteral("3");
    rec.replyAt = fleetNow.addSecs(replyDelaySecs(index));
    rec.reply = deviceReply(index, rec.text, rec.replyAt);
}

void SimCommandApi::deliverQueued(const QDateTime &fleetNow)
{
    for (SimCommandRecord &rec : m_ctx.state->commands) {
        if (rec.isExecute != QLatin1String("3"))
            continue;
        const int index = m_ctx.fleet->indexOf(rec.imei);
        if (index < 0)
            continue;
        if (!rec.replyAt.isValid()) {
            // Queued for an offline device: sent when it is back.
            if (m_ctx.fleet->isOnline(index, fleetNow))
                answerLater(rec, index, fleetNow);
            continue;
        }
        if (rec.replyAt <= fleetNow)
            rec.isExecute = rec.reply == QLatin1String("Parameter error") ? QStringLiteral("0") : QStringLiteral("1");
    }
}

SimReply SimCommandApi::instructionResult(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    deliverQueued(call.fleetNow);
    const QString imei = m_ctx.fleet->device(index).imei;
    QJsonArray rows;
    const QList<SimCommandRecord> &commands = m_ctx.state->commands;
    const int lag = m_ctx.config->commandResultLagSecs;
    for (auto it = commands.crbegin(); it != commands.crend(); ++it) {
        // The list lags: a command shows only a while after it was sent.
        if (it->imei != imei || it->sendTime.addSecs(lag) > call.fleetNow)
            continue;
        const bool executed = it->isExecute != QLatin1String("3");
        rows.append(QJsonObject{
            {QStringLiteral("codeId"), it->codeId},
            {QStringLiteral("code"), it->text},
            {QStringLiteral("content"), executed ? it->reply : QString()},
            {QStringLiteral("isExecute"), it->isExecute},
            {QStringLiteral("sendTime"), formatTime(it->sendTime)},
            {QStringLiteral("sender"), it->sender},
            {QStringLiteral("receiveDevice"), it->imei},
            {QStringLiteral("isOffLine"), it->offline ? QStringLiteral("1") : QStringLiteral("0")},
            {QStringLiteral("idsource"), it->idSource},
        });
    }
    return SimReply::ok(rows);
}

SimReply SimCommandApi::rawSend(const SimCall &call)
{
    int index = -1;
    if (auto err = parseImei(call, m_ctx, QStringLiteral("imei"), &index))
        return *err;
    if (auto err = require(call, {QStringLiteral("raw_cmd")}))
        return *err;
    static const QRegularExpression hex(QStringLiteral("^(?:[0-9A-Fa-f]{2})+$"));
    if (!hex.match(call.param("raw_cmd")).hasMatch())
        return SimReply::badParam(QStringLiteral("Parameter validation: raw_cmd must be hexadecimal bytes"));
    if (!m_ctx.fleet->isOnline(index, call.fleetNow))
        return sendFailed(228);
    return SimReply::ok(QJsonValue::Null, QStringLiteral("command is successfully sent."));
}

QJsonObject SimCommandApi::gateway(const SimCall &call)
{
    const auto fail = [](int code, const QString &msg) {
        return QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("msg"), msg}};
    };
    for (const char *key : {"deviceImei", "proNo", "cmdContent"}) {
        if (call.param(key).isEmpty())
            return fail(1001, QStringLiteral("Parameter validation: %1 is required").arg(QLatin1String(key)));
    }
    const QString imei = call.param("deviceImei");
    const int index = m_ctx.fleet->indexOf(imei);
    if (index < 0)
        return fail(1002, QStringLiteral("Illegal device"));

    const int serverFlag = m_ctx.state->nextSequence();
    const auto answer = [&](const QString &code, const QString &msg, const QString &content) {
        return QJsonObject{
            {QStringLiteral("code"), 0},
            {QStringLiteral("msg"), QStringLiteral("success")},
            {QStringLiteral("data"),
             QJsonObject{{QStringLiteral("_code"), code},
                         {QStringLiteral("_msg"), msg},
                         {QStringLiteral("_imei"), imei},
                         {QStringLiteral("_serverFlagId"), QString::number(serverFlag)},
                         {QStringLiteral("_content"), content}}},
        };
    };
    static const QStringList protocols = {QStringLiteral("128"),   QStringLiteral("37121"), QStringLiteral("37122"),
                                          QStringLiteral("37381"), QStringLiteral("37377"), QStringLiteral("33283")};
    const QString proNo = call.param("proNo");
    const QJsonDocument doc = QJsonDocument::fromJson(call.param("cmdContent").toUtf8());
    if (!protocols.contains(proNo) || !doc.isObject())
        return answer(QStringLiteral("200"), QStringLiteral("Invalid parameter"), QString());
    if (proNo != QLatin1String("128") && !m_ctx.fleet->device(index).dashcam)
        return answer(QStringLiteral("200"), QStringLiteral("Invalid parameter"), QString());
    if (!m_ctx.fleet->isOnline(index, call.fleetNow))
        return answer(QStringLiteral("300"), QStringLiteral("Device offline"), QString());

    if (proNo == QLatin1String("128")) {
        const QString text = doc.object().value(QStringLiteral("cmdContent")).toString();
        if (text.isEmpty())
            return answer(QStringLiteral("200"), QStringLiteral("Invalid parameter"), QString());
        SimCommandRecord rec;
        rec.imei = imei;
        rec.codeId = QStringLiteral("128");
        rec.text = text;
        rec.sendTime = call.fleetNow;
        rec.sender = call.userId;
        rec.idSource = QStringLiteral("Instruction gateway");
        answerLater(rec, index, call.fleetNow);
        m_ctx.state->addCommand(rec);
        // The gateway waits for the device's answer up to timeOut seconds
        // (synchronous), then says it timed out; the device may still answer.
        const QJsonValue timeOut = doc.object().value(QStringLiteral("timeOut"));
        const int waitSecs = timeOut.isDouble() ? timeOut.toInt() : timeOut.toString().toInt();
        if (replyDelaySecs(index) > (waitSecs > 0 ? waitSecs : 30))
            return answer(QStringLiteral("600"), QStringLiteral("Timeout"), QString());
        return answer(QStringLiteral("100"), QStringLiteral("success"), rec.reply);
    }
    if (proNo == QLatin1String("33283")) {
        // The serial number of an alarm the device raised lately (a day),
        // as a number or as digits.
        const QJsonValue serial = doc.object().value(QStringLiteral("alarmSerialNo"));
        bool ok = serial.isDouble() && serial.toDouble() == double(serial.toInteger());
        qint64 number = ok ? serial.toInteger(-1) : -1;
        if (serial.isString())
            number = serial.toString().toLongLong(&ok);
        // A 16-bit message counter (JT/T 808).
        ok = ok && number >= 0 && number <= 0xffff;
        if (!ok || !m_ctx.fleet->hasAlarmSerial(index, int(number), call.fleetNow, 24 * 3600))
            return answer(QStringLiteral("200"), QStringLiteral("Invalid parameter"), QString());
    }
    return answer(QStringLiteral("100"), QStringLiteral("success"), QString());
}

} // namespace Fleet::Sim
