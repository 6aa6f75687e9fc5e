#include "ingestsubjects.h"

#include <QSqlError>
#include <QTimeZone>

#include <algorithm>

namespace Fleet::Ingest {

namespace {

constexpr const char *kColumns = "id, state, result_code, result_message, server_flag_id, deadline, reply_content, "
                                 "reply_msg_type, result_key, code_id, sender, reply_time, state_time";

QString stateText(CommandState s)
{
    return QString(commandStateKey(s));
}

} // namespace

bool CommandIngest::prepare(QString *error)
{
    const QString select = QStringLiteral("SELECT %1 FROM commands WHERE ").arg(QLatin1String(kColumns));
    return m_context.prepareQuery(m_byClientKey, select + QStringLiteral("client_key = ?"), error)
        && m_context.prepareQuery(m_byId, select + QStringLiteral("id = ?"), error)
        && m_context.prepareQuery(m_byResultKey, select + QStringLiteral("imei = ? AND result_key = ?"), error)
        && m_context.prepareQuery(m_byServerFlag, select + QStringLiteral("imei = ? AND server_flag_id = ?"), error)
        && m_context.prepareQuery(
            m_candidates,
            QStringLiteral("SELECT id, command_text, sent_time FROM commands WHERE imei = ? AND origin = 'fleetdesk' "
                           "AND result_key IS NULL AND route IN ('template', 'gateway') AND sent_time BETWEEN ? AND ?"),
            error)
        && m_context.prepareQuery(
            m_insert,
            QStringLiteral("INSERT INTO commands (imei, client_key, batch_key, origin, route, template_id, "
                           "template_name, command_text, params_json, danger, operator, sent_time, sender, "
                           "result_code, result_message, server_flag_id, state, state_time, deadline, code_id, "
                           "result_key, reply_content, reply_time, reply_msg_type, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            error)
        && m_context.prepareQuery(
            m_update,
            QStringLiteral("UPDATE commands SET state = ?, result_code = ?, result_message = ?, server_flag_id = ?, "
                           "deadline = ?, reply_content = ?, reply_msg_type = ?, result_key = ?, code_id = ?, "
                           "sender = ?, reply_time = ?, state_time = ?, updated_at = ? WHERE id = ?"),
            error);
}

std::optional<CommandIngest::Stored> CommandIngest::find(Tx &tx, QSqlQuery &query, const QVariantList &keys,
                                                         bool *ok)
{
    for (int i = 0; i < keys.size(); ++i)
        query.bindValue(i, keys.at(i));
    *ok = query.exec();
    if (!*ok) {
        tx.error = QStringLiteral("commands: %1").arg(query.lastError().text());
        return std::nullopt;
    }
    if (!query.next()) {
        query.finish();
        return std::nullopt;
    }
    Stored s;
    s.id = query.value(0).toLongLong();
    s.state = commandStateFromKey(query.value(1).toString()).value_or(CommandState::Unknown);
    for (int i = 2; i < 13; ++i)
        s.values.append(query.value(i));
    query.finish();
    return s;
}

bool CommandIngest::merge(Tx &tx, const Stored &stored, const Change &change, const QString &imei, qint64 spanTime)
{
    // values: result_code, result_message, server_flag_id, deadline,
    // reply_content, reply_msg_type, result_key, code_id, sender, reply_time,
    // state_time.
    QVariantList v = stored.values;
    const auto fill = [&](int i, const QVariant &value) {
        if (!value.isNull())
            v[i] = value;
    };
    const CommandState state = advanceCommandState(stored.state, change.state);
    fill(0, change.code);
    fill(1, change.message);
    fill(2, change.serverFlagId);
    fill(3, change.deadline);
    if (!change.reply.isNull() && v[4] != change.reply) {
        v[4] = change.reply;
        v[9] = change.replied;
    }
    const bool replyTimeMoved = v[9] != stored.values.at(9);
    fill(5, change.msgType);
    fill(6, change.resultKey);
    fill(7, change.codeId);
    fill(8, change.sender);
    if (state != stored.state)
        v[10] = tx.now;
    if (state == stored.state && v == stored.values) {
        ++tx.change.count(StoreTable::Commands).duplicates;
        return true;
    }
    if (change.touchReplied && !replyTimeMoved)
        v[9] = change.replied; // an answer that said something new: when it came
    m_update.bindValue(0, stateText(state));
    for (int i = 0; i < v.size(); ++i)
        m_update.bindValue(i + 1, v.at(i));
    m_update.bindValue(12, tx.now);
    m_update.bindValue(13, stored.id);
    if (Context::run(tx, m_update, QStringLiteral("commands")) < 0)
        return false;
    ++tx.change.count(StoreTable::Commands).updated;
    tx.change.imeis.insert(imei);
    tx.change.addSpan(spanTime, spanTime);
    return true;
}

bool CommandIngest::insert(Tx &tx, const CommandRecord &r, const Change &change)
{
    const QVariantList values{
        r.imei,
        text(r.clientKey),
        text(r.batchKey),
        r.fromFleetDesk ? QStringLiteral("fleetdesk") : QStringLiteral("cloud"),
        r.fromFleetDesk ? QVariant(QString(commandRouteKey(r.route))) : QVariant(),
        text(r.templateId),
        text(r.templateName),
        text(r.text),
        text(r.paramsJson),
        text(QString(commandDangerKey(r.danger))),
        text(r.operatorName),
        secs(r.sentTime),
        change.sender,
        change.code,
        change.message,
        change.serverFlagId,
        stateText(change.state),
        tx.now,
        change.deadline,
        change.codeId,
        change.resultKey,
        change.reply,
        change.reply.isNull() && !change.touchReplied ? QVariant() : change.replied,
        change.msgType,
        tx.now,
    };
    for (int i = 0; i < values.size(); ++i)
        m_insert.bindValue(i, values.at(i));
    if (Context::run(tx, m_insert, QStringLiteral("commands")) < 0)
        return false;
    ++tx.change.count(StoreTable::Commands).inserted;
    tx.change.imeis.insert(r.imei);
    const qint64 t = r.sentTime.isValid() ? r.sentTime.toSecsSinceEpoch() : tx.now;
    tx.change.addSpan(t, t);
    return true;
}

bool CommandIngest::writeCommands(Tx &tx, const IngestBatch &b)
{
    for (const CommandRecord &r : b.commands) {
        if (r.clientKey.isEmpty() || r.imei.isEmpty()) {
            tx.reject(StoreTable::Commands, QStringLiteral("command without client key or IMEI"));
            continue;
        }
        Change c;
        c.state = r.state;
        c.code = integer(r.resultCode);
        c.message = text(r.resultMessage);
        c.serverFlagId = text(r.serverFlagId);
        c.deadline = secs(r.deadline);
        c.reply = text(r.reply);
        c.replied = tx.now;
        bool ok = false;
        const auto stored = find(tx, m_byClientKey, {r.clientKey}, &ok);
        if (!ok)
            return false;
        const qint64 t = r.sentTime.isValid() ? r.sentTime.toSecsSinceEpoch() : tx.now;
        if (!stored && (r.text.isEmpty() || !r.sentTime.isValid())) {
            // An update of a command that was never written.
            tx.reject(StoreTable::Commands, QStringLiteral("new command without text or send time"));
            continue;
        }
        if (!stored && !m_context.ensureDevice(tx, r.imei))
            return false;
        if (stored ? !merge(tx, *stored, c, r.imei, t) : !insert(tx, r, c))
            return false;
    }
    return true;
}

bool CommandIngest::writeResults(Tx &tx, const IngestBatch &b)
{
    for (const CommandResultList &list : b.commandResults) {
        if (list.imei.isEmpty()) {
            tx.reject(StoreTable::Commands, QStringLiteral("command results without IMEI"));
            continue;
        }
        if (!m_context.ensureDevice(tx, list.imei))
            return false;
        // Each row of the answer once (the newest first, as listed).
        QList<CommandResult> results;
        QSet<QString> keys;
        for (const CommandResult &r : list.results) {
            if (r.code.isEmpty()) {
                tx.reject(StoreTable::Commands, QStringLiteral("command result without command text"));
                continue;
            }
            if (!keys.contains(commandResultKey(r))) {
                keys.insert(commandResultKey(r));
                results.append(r);
            }
        }
        const auto changeOf = [&](const CommandResult &r) {
            Change c;
            c.state = commandStateFromResult(r);
            c.reply = text(r.content);
            c.replied = tx.now;
            c.resultKey = commandResultKey(r);
            c.codeId = text(r.codeId);
            c.sender = text(r.sender);
            return c;
        };
        const auto spanOf = [&](const CommandResult &r) {
            return r.sendTime.isValid() ? r.sendTime.toSecsSinceEpoch() : tx.now;
        };

        // 1. Rows already matched to a command.
        QList<int> open;
        for (int i = 0; i < results.size(); ++i) {
            bool ok = false;
            const auto stored = find(tx, m_byResultKey, {list.imei, commandResultKey(results.at(i))}, &ok);
            if (!ok)
                return false;
            if (stored) {
                if (!merge(tx, *stored, changeOf(results.at(i)), list.imei, spanOf(results.at(i))))
                    return false;
            } else {
                open.append(i);
            }
        }
        if (open.isEmpty())
            continue;

        // 2. The others, to the commands sent around their times.
        QList<CommandResult> rest;
        qint64 from = std::numeric_limits<qint64>::max(), to = std::numeric_limits<qint64>::min();
        for (int i : open) {
            rest.append(results.at(i));
            if (results.at(i).sendTime.isValid()) {
                from = std::min(from, results.at(i).sendTime.toSecsSinceEpoch());
                to = std::max(to, results.at(i).sendTime.toSecsSinceEpoch());
            }
        }
        QList<SentCommand> sent;
        if (from <= to) {
            m_candidates.bindValue(0, list.imei);
            m_candidates.bindValue(1, from - kMatchWindowSecs);
            m_candidates.bindValue(2, to + kMatchWindowSecs);
            if (!m_candidates.exec()) {
                tx.error = QStringLiteral("commands: %1").arg(m_candidates.lastError().text());
                return false;
            }
            while (m_candidates.next()) {
                sent.append(SentCommand{m_candidates.value(0).toLongLong(), m_candidates.value(1).toString(),
                                        QDateTime::fromSecsSinceEpoch(m_candidates.value(2).toLongLong(), QTimeZone::utc()),
                                        {}});
            }
            m_candidates.finish();
        }
        const QList<CommandMatch> matches = matchCommandResults(sent, rest, kMatchWindowSecs);
        for (const CommandMatch &m : matches) {
            const CommandResult &r = rest.at(m.result);
            if (m.commandId != 0) {
                bool ok = false;
                const auto stored = find(tx, m_byId, {m.commandId}, &ok);
                if (!ok || !stored || !merge(tx, *stored, changeOf(r), list.imei, spanOf(r))) {
                    if (ok && !stored)
                        tx.error = QStringLiteral("commands: row %1 vanished").arg(m.commandId);
                    return false;
                }
                continue;
            }
            // 3. Nobody here sent it: kept, flagged as the cloud's.
            CommandRecord unknown;
            unknown.imei = list.imei;
            unknown.fromFleetDesk = false;
            unknown.text = r.code;
            unknown.sentTime = r.sendTime;
            if (!insert(tx, unknown, changeOf(r)))
                return false;
        }
    }
    return true;
}

bool CommandIngest::writeResponses(Tx &tx, const IngestBatch &b)
{
    for (const CommandResponse &r : b.commandResponses) {
        if (r.imei.isEmpty() || r.serverFlagId.isEmpty()) {
            tx.reject(StoreTable::Commands, QStringLiteral("command response without IMEI or server flag id"));
            continue;
        }
        if (!m_context.ensureDevice(tx, r.imei))
            return false;
        // The push carries no time of its own: the answer came when it arrived.
        const qint64 replied = r.received.isValid() ? r.received.toSecsSinceEpoch() : tx.now;
        Change c;
        c.state = commandStateFromGateway(r.code, r.content);
        c.code = integer(r.code);
        c.message = text(r.message);
        c.serverFlagId = r.serverFlagId;
        c.reply = text(r.content);
        c.replied = replied;
        c.msgType = integer(r.msgType);
        c.touchReplied = true;
        bool ok = false;
        const auto stored = find(tx, m_byServerFlag, {r.imei, r.serverFlagId}, &ok);
        if (!ok)
            return false;
        if (stored) {
            if (!merge(tx, *stored, c, r.imei, replied))
                return false;
            continue;
        }
        // An answer to a command sent elsewhere (the web platform, another client).
        CommandRecord unknown;
        unknown.imei = r.imei;
        unknown.fromFleetDesk = false;
        if (!insert(tx, unknown, c))
            return false;
    }
    return true;
}

} // namespace Fleet::Ingest
