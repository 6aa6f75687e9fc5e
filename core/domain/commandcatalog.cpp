#include "commandcatalog.h"

#include <QRegularExpression>
#include <QtGlobal>

#include <algorithm>

namespace Fleet {

namespace {

const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression re(QStringLiteral("\\{(\\d{1,2})\\}"));
    return re;
}

using Type = CommandParam::Type;

CommandParam textParam(int index, const char *label, bool required = true)
{
    CommandParam p;
    p.index = index;
    p.label = label;
    p.required = required;
    return p;
}

CommandParam integerParam(int index, const char *label, qint64 min, qint64 max, const char *unit)
{
    CommandParam p;
    p.index = index;
    p.label = label;
    p.type = Type::Integer;
    p.min = min;
    p.max = max;
    p.unit = unit;
    return p;
}

CommandParam phoneParam(int index, const char *label)
{
    CommandParam p;
    p.index = index;
    p.label = label;
    p.type = Type::Phone;
    p.required = false; // an empty number clears that slot
    return p;
}

// Our table of the common Concox/Jimi templates' parameters, by the
// template's text (normalised). Ranges are the devices' documented ones.
QList<CommandParam> knownParams(const QString &content)
{
    const QString key = commandTextKey(content);
    if (key == QLatin1String("RELAY,{0}#")) {
        CommandParam p;
        p.index = 0;
        p.label = QT_TRANSLATE_NOOP("CommandCatalog", "Relay");
        p.type = Type::Choice;
        p.choices = {{QStringLiteral("1"), QT_TRANSLATE_NOOP("CommandCatalog", "Cut off fuel/power (1)")},
                     {QStringLiteral("0"), QT_TRANSLATE_NOOP("CommandCatalog", "Restore fuel/power (0)")}};
        return {p};
    }
    if (key == QLatin1String("TIMER,{0},{1}#")) {
        return {integerParam(0, QT_TRANSLATE_NOOP("CommandCatalog", "Interval with ignition on"), 5, 18000, "s"),
                integerParam(1, QT_TRANSLATE_NOOP("CommandCatalog", "Interval with ignition off"), 5, 18000, "s")};
    }
    if (key == QLatin1String("SPEED,ON,{0},{1},1#")) {
        return {integerParam(0, QT_TRANSLATE_NOOP("CommandCatalog", "Time over the limit"), 5, 600, "s"),
                integerParam(1, QT_TRANSLATE_NOOP("CommandCatalog", "Speed limit"), 1, 255, "km/h")};
    }
    if (key == QLatin1String("SOS,A,{0},{1},{2}#")) {
        return {phoneParam(0, QT_TRANSLATE_NOOP("CommandCatalog", "SOS number 1")),
                phoneParam(1, QT_TRANSLATE_NOOP("CommandCatalog", "SOS number 2")),
                phoneParam(2, QT_TRANSLATE_NOOP("CommandCatalog", "SOS number 3"))};
    }
    if (key == QLatin1String("{0}"))
        return {textParam(0, QT_TRANSLATE_NOOP("CommandCatalog", "Command text"))};
    return {};
}

bool isUserDefined(const CommandTemplate &t)
{
    return t.content.trimmed() == QLatin1String("{0}");
}

// Our named text commands, sent where a model's list lacks them.
struct OurCommand
{
    const char *key;
    const char *name;
    const char *explain;
    const char *text;
    bool relayFamily; // only vehicle trackers with a relay output
};

constexpr OurCommand kOurCommands[] = {
    {"relay.cut", QT_TRANSLATE_NOOP("CommandCatalog", "Cut fuel/power"),
     QT_TRANSLATE_NOOP("CommandCatalog", "Opens the relay: the engine stops and cannot be started."), "RELAY,1#",
     true},
    {"relay.restore", QT_TRANSLATE_NOOP("CommandCatalog", "Restore fuel/power"),
     QT_TRANSLATE_NOOP("CommandCatalog", "Closes the relay: the engine can be started again."), "RELAY,0#", true},
    {"where", QT_TRANSLATE_NOOP("CommandCatalog", "Ask for the position"),
     QT_TRANSLATE_NOOP("CommandCatalog", "The device answers with its current position."), "WHERE#", false},
    {"status", QT_TRANSLATE_NOOP("CommandCatalog", "Ask for the status"),
     QT_TRANSLATE_NOOP("CommandCatalog", "The device answers with its battery, GSM, GPS and ignition state."),
     "STATUS#", false},
    {"param", QT_TRANSLATE_NOOP("CommandCatalog", "Ask for the settings"),
     QT_TRANSLATE_NOOP("CommandCatalog", "The device answers with its parameters."), "PARAM#", false},
    {"reset", QT_TRANSLATE_NOOP("CommandCatalog", "Restart the device"),
     QT_TRANSLATE_NOOP("CommandCatalog", "The device restarts and is away for about a minute."), "RESET#", false},
};

// Concox/Jimi vehicle trackers with a relay output; dashcams (JC…) and
// personal trackers have none.
bool inRelayFamily(const QString &model)
{
    static const QRegularExpression re(QStringLiteral("^(GT06|GT800|GT710|VL|JM-?VL|JM-?LL|LL|X3|AT[0-9]|ET[0-9])"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(model.trimmed()).hasMatch();
}

// Whether a cloud template can produce text (a placeholder stands for any
// value). The user-defined {0} is not counted: it produces anything.
bool templateProduces(const CommandTemplate &t, const QString &text)
{
    if (isUserDefined(t))
        return false;
    const QString content = commandTextKey(t.content);
    QString pattern = QStringLiteral("^");
    qsizetype at = 0;
    for (auto it = placeholderPattern().globalMatch(content); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        pattern += QRegularExpression::escape(content.mid(at, m.capturedStart() - at)) + QStringLiteral(".*");
        at = m.capturedEnd();
    }
    pattern += QRegularExpression::escape(content.mid(at)) + QStringLiteral("$");
    return QRegularExpression(pattern).match(commandTextKey(text)).hasMatch();
}

} // namespace

QString commandTextKey(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (!c.isSpace())
            out.append(c.toUpper());
    }
    return out;
}

QLatin1String commandDangerKey(CommandDanger danger)
{
    switch (danger) {
    case CommandDanger::FuelCut: return QLatin1String("fuel_cut");
    case CommandDanger::Reboot: return QLatin1String("reboot");
    case CommandDanger::FactoryReset: return QLatin1String("factory_reset");
    case CommandDanger::None: break;
    }
    return QLatin1String("");
}

CommandDanger commandDangerFromKey(const QString &key)
{
    for (CommandDanger d : {CommandDanger::FuelCut, CommandDanger::Reboot, CommandDanger::FactoryReset}) {
        if (key == commandDangerKey(d))
            return d;
    }
    return CommandDanger::None;
}

CommandDanger commandDanger(const QString &text)
{
    const QString t = commandTextKey(text);
    static const QRegularExpression cut(QStringLiteral("^(RELAY,1#?|DYD(,[^#]*)?#?)$"));
    if (cut.match(t).hasMatch())
        return CommandDanger::FuelCut;
    if (t == QLatin1String("RESET#") || t == QLatin1String("RESET"))
        return CommandDanger::Reboot;
    if (t == QLatin1String("FACTORY#") || t == QLatin1String("FACTORYALL#") || t == QLatin1String("FORMAT#"))
        return CommandDanger::FactoryReset;
    return CommandDanger::None;
}

QList<int> templatePlaceholders(const QString &content)
{
    QList<int> out;
    for (auto it = placeholderPattern().globalMatch(content); it.hasNext();) {
        const int n = it.next().captured(1).toInt();
        if (!out.contains(n))
            out.append(n);
    }
    std::sort(out.begin(), out.end());
    return out;
}

CommandEntry commandEntry(const CommandTemplate &tmpl)
{
    CommandEntry e;
    e.tmpl = tmpl;
    e.params = knownParams(tmpl.content);
    const QList<int> used = templatePlaceholders(tmpl.content);
    const int count = used.isEmpty() ? 0 : used.last() + 1;
    if (e.params.size() != count) {
        // Unknown to our table: text, labelled by position.
        e.params.clear();
        for (int i = 0; i < count; ++i)
            e.params.append(textParam(i, nullptr, false));
    }
    e.staticDanger = commandDanger(tmpl.content);
    return e;
}

QList<ParamIssue> CommandEntry::validate(const QStringList &values) const
{
    if (values.size() != params.size())
        return {ParamIssue{-1, ParamIssue::Kind::WrongCount}};
    static const QRegularExpression integer(QStringLiteral("^-?[0-9]{1,15}$"));
    static const QRegularExpression phone(QStringLiteral("^\\+?[0-9]{3,20}$"));
    QList<ParamIssue> issues;
    for (const CommandParam &p : params) {
        const QString &v = values.at(p.index);
        const auto issue = [&](ParamIssue::Kind k) { issues.append(ParamIssue{p.index, k}); };
        if (v.isEmpty()) {
            if (p.required)
                issue(ParamIssue::Kind::Required);
            continue;
        }
        if (v.size() > 256) {
            issue(ParamIssue::Kind::TooLong);
            continue;
        }
        switch (p.type) {
        case Type::Text: break;
        case Type::Integer: {
            if (!integer.match(v).hasMatch()) {
                issue(ParamIssue::Kind::NotNumber);
                break;
            }
            const qint64 n = v.toLongLong();
            if (p.min && n < *p.min)
                issue(ParamIssue::Kind::BelowMin);
            else if (p.max && n > *p.max)
                issue(ParamIssue::Kind::AboveMax);
            break;
        }
        case Type::Choice:
            if (std::none_of(p.choices.cbegin(), p.choices.cend(),
                             [&](const CommandParam::Choice &c) { return c.value == v; }))
                issue(ParamIssue::Kind::NotChoice);
            break;
        case Type::Phone:
            if (!phone.match(v).hasMatch())
                issue(ParamIssue::Kind::NotPhone);
            break;
        }
    }
    return issues;
}

QString CommandEntry::fill(const QStringList &values) const
{
    // One pass: a value that itself holds "{1}" reaches the device as typed.
    const QString &content = tmpl.content;
    QString out;
    qsizetype at = 0;
    for (auto it = placeholderPattern().globalMatch(content); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += content.mid(at, m.capturedStart() - at);
        const int n = m.captured(1).toInt();
        out += n < values.size() ? values.at(n) : QString();
        at = m.capturedEnd();
    }
    out += content.mid(at);
    return out;
}

CommandRequest CommandEntry::request(const QStringList &values) const
{
    CommandRequest r;
    r.templateId = tmpl.id;
    if (fromCloud) {
        r.templateText = tmpl.content;
        r.params = values;
    } else {
        // Ours, through the model's user-defined template.
        r.templateText = userDefinedContent;
        r.params = {fill(values)};
    }
    return r;
}

CommandDanger CommandEntry::danger(const QStringList &values) const
{
    const CommandDanger byText = commandDanger(fill(values));
    return byText != CommandDanger::None ? byText : staticDanger;
}

QList<CommandEntry> commandCatalog(const QList<CommandTemplate> &cloud, const QString &model, bool hasGateway)
{
    QList<CommandEntry> out;
    const CommandTemplate *userDefined = nullptr;
    for (const CommandTemplate &t : cloud) {
        out.append(commandEntry(t));
        if (!userDefined && isUserDefined(t))
            userDefined = &t;
    }
    for (const OurCommand &c : kOurCommands) {
        const QString text = QString::fromLatin1(c.text);
        if (c.relayFamily && !inRelayFamily(model))
            continue;
        if (std::any_of(cloud.cbegin(), cloud.cend(),
                        [&](const CommandTemplate &t) { return templateProduces(t, text); }))
            continue;
        CommandEntry e;
        e.key = QString::fromLatin1(c.key);
        e.fromCloud = false;
        e.ourName = c.name;
        e.ourExplain = c.explain;
        e.tmpl.name = QString::fromLatin1(c.name);
        e.tmpl.explain = QString::fromLatin1(c.explain);
        e.tmpl.content = text;
        e.staticDanger = commandDanger(text);
        if (userDefined) {
            e.route = CommandRoute::Template;
            e.tmpl.id = userDefined->id;
            e.tmpl.offlineCapable = userDefined->offlineCapable;
            e.userDefinedContent = userDefined->content;
        } else if (hasGateway) {
            e.route = CommandRoute::Gateway;
        } else {
            continue;
        }
        out.append(e);
    }
    return out;
}

const CommandEntry *findCommandEntry(const QList<CommandEntry> &catalog, const QString &idOrName)
{
    const QString want = idOrName.trimmed();
    for (const CommandEntry &e : catalog) {
        if (e.fromCloud && e.tmpl.id == want)
            return &e;
        if (!e.fromCloud && e.key.compare(want, Qt::CaseInsensitive) == 0)
            return &e;
    }
    for (const CommandEntry &e : catalog) {
        if (e.tmpl.name.compare(want, Qt::CaseInsensitive) == 0)
            return &e;
    }
    return nullptr;
}

std::optional<QString> normaliseRawHex(const QString &text)
{
    QString hex;
    for (const QChar c : text) {
        if (c.isSpace())
            continue;
        const char16_t u = c.unicode();
        const bool digit = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
        if (!digit)
            return std::nullopt;
        hex.append(c.toUpper());
    }
    if (hex.isEmpty() || hex.size() % 2 != 0)
        return std::nullopt;
    return hex;
}

QString describeParamIssue(const ParamIssue &issue, const QList<CommandParam> &params)
{
    if (issue.kind == ParamIssue::Kind::WrongCount)
        return QStringLiteral("the command takes %1 parameter(s)").arg(params.size());
    const auto it = std::find_if(params.cbegin(), params.cend(),
                                 [&](const CommandParam &p) { return p.index == issue.index; });
    if (it == params.cend())
        return QStringLiteral("parameter %1 is not known").arg(issue.index + 1);
    const QString name = it->label ? QString::fromLatin1(it->label) : QStringLiteral("Parameter %1").arg(it->index + 1);
    const QString unit = it->unit ? QStringLiteral(" ") + QString::fromUtf8(it->unit) : QString();
    switch (issue.kind) {
    case ParamIssue::Kind::Missing:
    case ParamIssue::Kind::Required: return QStringLiteral("%1 is required").arg(name);
    case ParamIssue::Kind::NotNumber: return QStringLiteral("%1 must be a whole number").arg(name);
    case ParamIssue::Kind::BelowMin: return QStringLiteral("%1 must be at least %2%3").arg(name).arg(*it->min).arg(unit);
    case ParamIssue::Kind::AboveMax: return QStringLiteral("%1 must be at most %2%3").arg(name).arg(*it->max).arg(unit);
    case ParamIssue::Kind::NotChoice: {
        QStringList values;
        for (const CommandParam::Choice &c : it->choices)
            values.append(c.value);
        return QStringLiteral("%1 must be one of %2").arg(name, values.join(QStringLiteral(", ")));
    }
    case ParamIssue::Kind::NotPhone: return QStringLiteral("%1 must be a phone number (digits, + first)").arg(name);
    case ParamIssue::Kind::TooLong: return QStringLiteral("%1 is longer than 256 characters").arg(name);
    case ParamIssue::Kind::WrongCount: break;
    }
    return name;
}

} // namespace Fleet
