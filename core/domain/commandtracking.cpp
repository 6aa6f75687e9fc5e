#include "commandtracking.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <limits>

namespace Fleet {

namespace {

constexpr std::pair<CommandState, const char *> kStateKeys[] = {
    {CommandState::Sending, "sending"},     {CommandState::Accepted, "accepted"},   {CommandState::Queued, "queued"},
    {CommandState::Delivered, "delivered"}, {CommandState::Answered, "answered"},   {CommandState::Failed, "failed"},
    {CommandState::TimedOut, "timed_out"},  {CommandState::Offline, "offline"},     {CommandState::Cancelled, "cancelled"},
    {CommandState::Unknown, "unknown"},
};

int rank(CommandState s)
{
    switch (s) {
    case CommandState::Unknown: return -1;
    case CommandState::Sending: return 0;
    case CommandState::Accepted: return 1;
    case CommandState::Queued: return 2;
    case CommandState::Delivered: return 3;
    case CommandState::TimedOut:
    case CommandState::Offline: return 4;
    case CommandState::Answered:
    case CommandState::Failed:
    case CommandState::Cancelled: return 5;
    }
    return -1;
}

} // namespace

QLatin1String commandStateKey(CommandState state)
{
    for (const auto &[s, key] : kStateKeys) {
        if (s == state)
            return QLatin1String(key);
    }
    return QLatin1String("unknown");
}

std::optional<CommandState> commandStateFromKey(const QString &key)
{
    for (const auto &[s, k] : kStateKeys) {
        if (key == QLatin1String(k))
            return s;
    }
    return std::nullopt;
}

bool isFinalCommandState(CommandState state)
{
    return rank(state) >= 4;
}

CommandState advanceCommandState(CommandState current, CommandState next)
{
    if (next == CommandState::Unknown || next == current)
        return current;
    if (current == CommandState::Unknown)
        return next;
    // The cloud holds a queued command until the device is back: no deadline
    // of ours ends it (whoever's view of the state was older).
    if (current == CommandState::Queued && next == CommandState::TimedOut)
        return current;
    // Soft finals: the tracker stopped asking, but the cloud may still answer
    // (a late reply; an offline command the cloud queued after all).
    if (current == CommandState::TimedOut || current == CommandState::Offline)
        return rank(next) == 5 && next != CommandState::Offline ? next : current;
    return rank(next) > rank(current) ? next : current;
}

CommandState commandStateFromSendError(int code, const QString &message)
{
    static const QRegularExpression resultCode(QStringLiteral("Result code\\s*[:\uff1a]\\s*(\\d+)"));
    const QRegularExpressionMatch m = resultCode.match(message);
    const int device = m.hasMatch() ? m.captured(1).toInt() : 0;
    if (code == 12005 && device == 228)
        return CommandState::Offline;
    if (code == 12005 && device == 225)
        return CommandState::TimedOut;
    return CommandState::Failed;
}

CommandState commandStateFromGateway(std::optional<int> code, const QString &content)
{
    if (!code)
        return CommandState::Unknown;
    switch (*code) {
    case 100: return content.isEmpty() ? CommandState::Delivered : CommandState::Answered;
    case 200: return CommandState::Failed;
    case 300: return CommandState::Offline;
    case 600: return CommandState::TimedOut;
    default: return CommandState::Failed;
    }
}

CommandState commandStateFromResult(const CommandResult &result)
{
    switch (result.state) {
    case CommandResult::State::Succeeded:
        return result.content.isEmpty() ? CommandState::Delivered : CommandState::Answered;
    case CommandResult::State::Failed: return CommandState::Failed;
    case CommandResult::State::Waiting:
        // isExecute 3: waiting to be sent; for an offline device the cloud queues it.
        return result.offline.value_or(false) ? CommandState::Queued : CommandState::Accepted;
    case CommandResult::State::Cancelled: return CommandState::Cancelled;
    case CommandResult::State::Unknown: break;
    }
    return CommandState::Unknown;
}

QString commandResultKey(const CommandResult &result)
{
    return commandTextKey(result.code) + QLatin1Char('@')
        + (result.sendTime.isValid() ? QString::number(result.sendTime.toSecsSinceEpoch()) : QStringLiteral("-"));
}

QList<CommandMatch> matchCommandResults(const QList<SentCommand> &sent, const QList<CommandResult> &results,
                                        int windowSecs)
{
    QList<CommandMatch> out(results.size());
    QHash<QString, qint64> byKey;
    for (const SentCommand &c : sent) {
        if (!c.resultKey.isEmpty())
            byKey.insert(c.resultKey, c.id);
    }

    // 1. Rows already matched; the others grouped by text.
    QHash<QString, QList<int>> openResults;
    for (int i = 0; i < results.size(); ++i) {
        out[i].result = i;
        const QString key = commandResultKey(results.at(i));
        if (const auto it = byKey.constFind(key); it != byKey.cend())
            out[i].commandId = *it;
        else if (results.at(i).sendTime.isValid())
            openResults[commandTextKey(results.at(i).code)].append(i);
    }
    QHash<QString, QList<const SentCommand *>> openSent;
    for (const SentCommand &c : sent) {
        if (c.resultKey.isEmpty() && c.sentTime.isValid())
            openSent[commandTextKey(c.text)].append(&c);
    }

    // 2. Per text, an order-keeping alignment: most pairs, then least total
    // |Δt| (a small dynamic programme; a device has few open commands).
    for (auto group = openResults.begin(); group != openResults.end(); ++group) {
        QList<int> rs = group.value();
        QList<const SentCommand *> cs = openSent.value(group.key());
        if (cs.isEmpty())
            continue;
        std::stable_sort(rs.begin(), rs.end(),
                         [&](int a, int b) { return results.at(a).sendTime < results.at(b).sendTime; });
        std::stable_sort(cs.begin(), cs.end(),
                         [](const SentCommand *a, const SentCommand *b) { return a->sentTime < b->sentTime; });
        const qsizetype n = rs.size(), m = cs.size();
        struct Cell
        {
            int pairs = 0;
            qint64 cost = 0;
            bool better(const Cell &o) const { return pairs > o.pairs || (pairs == o.pairs && cost < o.cost); }
        };
        // best[i][j]: the best alignment of rs[i..] with cs[j..].
        QList<QList<Cell>> best(n + 1, QList<Cell>(m + 1));
        for (qsizetype i = n - 1; i >= 0; --i) {
            for (qsizetype j = m - 1; j >= 0; --j) {
                Cell cell = best[i + 1][j];
                if (best[i][j + 1].better(cell))
                    cell = best[i][j + 1];
                const qint64 dt = qAbs(results.at(rs[i]).sendTime.secsTo(cs[j]->sentTime));
                if (dt <= windowSecs) {
                    Cell take = best[i + 1][j + 1];
                    take.pairs += 1;
                    take.cost += dt;
                    if (take.better(cell))
                        cell = take;
                }
                best[i][j] = cell;
            }
        }
        // Walk the choices back.
        qsizetype i = 0, j = 0;
        while (i < n && j < m) {
            const qint64 dt = qAbs(results.at(rs[i]).sendTime.secsTo(cs[j]->sentTime));
            if (dt <= windowSecs) {
                Cell take = best[i + 1][j + 1];
                take.pairs += 1;
                take.cost += dt;
                if (!best[i][j].better(take)) {
                    out[rs[i]].commandId = cs[j]->id;
                    ++i;
                    ++j;
                    continue;
                }
            }
            if (!best[i + 1][j].better(best[i][j]) && !best[i][j].better(best[i + 1][j]))
                ++i;
            else
                ++j;
        }
    }
    return out;
}

QLatin1String commandRouteKey(CommandRoute route)
{
    switch (route) {
    case CommandRoute::Gateway: return QLatin1String("gateway");
    case CommandRoute::Raw: return QLatin1String("raw");
    case CommandRoute::Template: break;
    }
    return QLatin1String("template");
}

CommandRoute commandRouteFromKey(const QString &key)
{
    if (key == QLatin1String("gateway"))
        return CommandRoute::Gateway;
    if (key == QLatin1String("raw"))
        return CommandRoute::Raw;
    return CommandRoute::Template;
}

} // namespace Fleet
