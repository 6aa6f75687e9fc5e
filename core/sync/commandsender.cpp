#include "commandsender.h"

#include "api/jimiapi.h"
#include "store/ingestbatch.h"
#include "store/storereader.h"
#include "store/storewriter.h"
#include "util/clock.h"
#include "util/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QUuid>

#include <utility>

namespace Fleet {

namespace {

constexpr int kTextCommand = 128; // Appendix A: universal text command

QString newKey()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Errors after which the command may or may not have reached the cloud.
bool outcomeUnknown(const ApiError &e)
{
    switch (e.kind) {
    case ApiError::Kind::Network:
    case ApiError::Kind::Timeout:
    case ApiError::Kind::Http:
    case ApiError::Kind::MalformedResponse:
    case ApiError::Kind::Cancelled: return true;
    case ApiError::Kind::Api:
    case ApiError::Kind::TokenInvalid:
    case ApiError::Kind::RateLimited:
    case ApiError::Kind::InvalidArgument: break;
    }
    return false;
}

// What an error of the send call means for the command.
CommandRecord refused(const CommandRecord &sent, const ApiError &e)
{
    CommandRecord u;
    u.clientKey = sent.clientKey;
    u.imei = sent.imei;
    u.resultMessage = e.message.isEmpty() ? e.toString() : e.message;
    if (e.kind == ApiError::Kind::Api || e.apiCode != 0)
        u.resultCode = e.apiCode;
    if (outcomeUnknown(e)) {
        u.state = CommandState::Sending; // stays: only the result list can tell
        u.resultMessage = QStringLiteral("No answer from the cloud (%1): whether the command was sent is not known.")
                              .arg(u.resultMessage);
    } else if (e.detail == QLatin1String("228")) {
        u.state = CommandState::Offline;
    } else {
        u.state = commandStateFromSendError(e.apiCode, e.message);
    }
    return u;
}

// The cloud took it (code 0), or what its refusal means.
CommandRecord acceptedOrRefused(const CommandRecord &sent, const Result<Done> &r)
{
    if (!r.ok())
        return refused(sent, r.error());
    CommandRecord u;
    u.clientKey = sent.clientKey;
    u.imei = sent.imei;
    u.state = CommandState::Accepted;
    u.resultCode = 0;
    return u;
}

} // namespace

QString CommandRefusal::describe(const CommandEntry &entry) const
{
    switch (kind) {
    case Kind::NoVehicles: return QStringLiteral("no vehicle to send the command to");
    case Kind::NoOperator: return QStringLiteral("no operator name is set");
    case Kind::NotConfirmed: return QStringLiteral("this command is dangerous: it needs confirmation (--yes)");
    case Kind::BadHex: return QStringLiteral("the raw command must be hexadecimal bytes, e.g. 0B02C3A4");
    case Kind::NoGateway:
        return QStringLiteral("this command needs the account's instruction gateway (instruct_url), which is not set");
    case Kind::BadValues: {
        QStringList words;
        for (const ParamIssue &i : issues)
            words.append(describeParamIssue(i, entry.params));
        return words.join(QStringLiteral("; "));
    }
    }
    return {};
}

CommandSender::CommandSender(JimiApi *api, StoreWriter *writer, Clock *clock, const Options &options, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_writer(writer)
    , m_clock(clock ? clock : Clock::system())
    , m_options(options)
    , m_reader(std::make_unique<StoreReader>())
{
    if (!m_reader->open(writer->path()))
        qCWarning(lcSync) << "commands: cannot read the store:" << m_reader->errorString();
    m_timer.setInterval(m_options.pollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &CommandSender::tick);
}

CommandSender::~CommandSender() = default;

bool CommandSender::hasGateway() const
{
    return m_api && m_api->client() && !m_api->client()->account().instructionUrl.isEmpty();
}

std::variant<QString, CommandRefusal> CommandSender::send(const CommandOrder &order)
{
    using K = CommandRefusal::Kind;
    QStringList imeis;
    for (const QString &imei : order.imeis) {
        if (!imei.isEmpty() && !imeis.contains(imei))
            imeis.append(imei);
    }
    if (imeis.isEmpty())
        return CommandRefusal{K::NoVehicles, {}};
    if (order.operatorName.trimmed().isEmpty())
        return CommandRefusal{K::NoOperator, {}};

    CommandRecord base;
    base.batchKey = newKey();
    base.operatorName = order.operatorName.trimmed();
    base.sentTime = m_clock->nowUtc();
    base.state = CommandState::Sending;
    CommandRequest request;
    if (!order.rawHex.isEmpty()) {
        const std::optional<QString> hex = normaliseRawHex(order.rawHex);
        if (!hex)
            return CommandRefusal{K::BadHex, {}};
        base.route = CommandRoute::Raw;
        base.text = *hex;
    } else {
        const QList<ParamIssue> issues = order.entry.validate(order.values);
        if (!issues.isEmpty())
            return CommandRefusal{K::BadValues, issues};
        base.danger = order.entry.danger(order.values);
        if (base.danger != CommandDanger::None && !order.confirmed)
            return CommandRefusal{K::NotConfirmed, {}};
        base.route = order.entry.route;
        if (base.route == CommandRoute::Gateway && !hasGateway())
            return CommandRefusal{K::NoGateway, {}};
        base.text = order.entry.fill(order.values);
        base.templateId = base.route == CommandRoute::Template ? order.entry.tmpl.id : QString();
        base.templateName = order.entry.tmpl.name;
        base.paramsJson =
            QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(order.values)).toJson(QJsonDocument::Compact));
        base.deadline = base.sentTime.addSecs(m_options.deadlineSecs);
        request = order.entry.request(order.values);
    }

    Batch &batch = m_batches[base.batchKey];
    batch.total = int(imeis.size());
    IngestBatch rows;
    QStringList keys;
    for (const QString &imei : imeis) {
        CommandRecord r = base;
        r.clientKey = newKey();
        r.imei = imei;
        m_open.insert(r.clientKey, r);
        m_requests.insert(r.clientKey, request);
        batch.open.insert(r.clientKey);
        rows.commands.append(r);
        keys.append(r.clientKey);
    }
    Q_EMIT progress(base.batchKey, 0, batch.total);
    // First every row of the order, committed in one transaction: then the
    // calls, a few at a time. A crash in between leaves what is known.
    QPointer<CommandSender> self(this);
    const bool queued = m_writer->write(std::move(rows), [self, keys](bool committed) {
        if (!self)
            return;
        if (!committed) {
            for (const QString &key : keys)
                self->notSent(key, QStringLiteral("The command could not be recorded; nothing was sent."));
            return;
        }
        self->readBack(keys);
        self->m_queue += keys;
        self->pump();
    });
    if (!queued) {
        for (const QString &key : std::as_const(keys))
            notSent(key, QStringLiteral("The store is not accepting writes; nothing was sent."));
    }
    return base.batchKey;
}

void CommandSender::pump()
{
    while (m_inFlight < m_options.concurrency && !m_queue.isEmpty()) {
        const QString key = m_queue.takeFirst();
        if (!m_open.contains(key))
            continue;
        ++m_inFlight;
        sendOne(key);
    }
}

void CommandSender::notSent(const QString &key, const QString &why)
{
    CommandRecord r = m_open.take(key);
    m_requests.remove(key);
    r.state = CommandState::Failed;
    r.resultMessage = why;
    Q_EMIT updated(r);
    finished(r);
    countDone(r.batchKey);
}

void CommandSender::sendOne(const QString &key)
{
    const CommandRecord sent = m_open.value(key);
    QPointer<CommandSender> self(this);
    switch (sent.route) {
    case CommandRoute::Template:
        m_api->sendCommand(sent.imei, m_requests.value(key), this, [self, sent](const Result<Done> &r) {
            if (self)
                self->answered(sent.clientKey, acceptedOrRefused(sent, r));
        });
        break;
    case CommandRoute::Gateway: {
        const QJsonObject content{{QStringLiteral("cmdContent"), sent.text},
                                  {QStringLiteral("sync"), true},
                                  {QStringLiteral("timeOut"), m_options.gatewayWaitSecs}};
        m_api->sendInstruct(sent.imei, kTextCommand, content, this,
                            [self, sent](const Result<InstructResult> &r) {
                                if (!self)
                                    return;
                                CommandRecord u;
                                if (r.ok()) {
                                    u.clientKey = sent.clientKey;
                                    u.imei = sent.imei;
                                    u.state = commandStateFromGateway(r.value().code, r.value().content);
                                    u.resultCode = r.value().code;
                                    u.resultMessage = r.value().message;
                                    u.serverFlagId = r.value().serverFlagId;
                                    u.reply = r.value().content;
                                } else {
                                    u = refused(sent, r.error());
                                }
                                self->answered(sent.clientKey, u);
                            });
        break;
    }
    case CommandRoute::Raw:
        // Raw bytes get no result row: accepted is all that will be known.
        m_api->sendRawCommand(sent.imei, sent.text, this, [self, sent](const Result<Done> &r) {
            if (self)
                self->answered(sent.clientKey, acceptedOrRefused(sent, r));
        });
        break;
    }
}

void CommandSender::answered(const QString &key, CommandRecord update)
{
    --m_inFlight;
    m_requests.remove(key);
    const QString batch = m_open.value(key).batchKey;
    write({update}, {}, {key});
    countDone(batch);
    pump();
}

void CommandSender::countDone(const QString &batchKey)
{
    const auto it = m_batches.find(batchKey);
    if (it == m_batches.end())
        return;
    ++it->done;
    Q_EMIT progress(batchKey, it->done, it->total);
}

void CommandSender::write(QList<CommandRecord> records, QList<CommandResultList> results, const QStringList &keys,
                          std::function<void()> afterCommit)
{
    IngestBatch b;
    b.commands = std::move(records);
    b.commandResults = std::move(results);
    QPointer<CommandSender> self(this);
    ++m_writes;
    const bool queued = m_writer->write(std::move(b), [self, keys, afterCommit](bool committed) {
        if (!self)
            return;
        --self->m_writes;
        if (committed)
            self->readBack(keys);
        if (afterCommit)
            afterCommit();
    });
    if (!queued) {
        --m_writes;
        qCWarning(lcSync) << "commands: the store is not accepting writes";
        if (afterCommit)
            afterCommit();
    }
}

void CommandSender::readBack(const QStringList &keys)
{
    if (keys.isEmpty())
        return;
    for (const CommandRecord &row : m_reader->commandsByClientKey(keys)) {
        const auto it = m_open.find(row.clientKey);
        if (it == m_open.end())
            continue;
        const bool changed = it->id == 0 || it->state != row.state || it->reply != row.reply
            || it->resultMessage != row.resultMessage;
        *it = row;
        if (changed)
            Q_EMIT updated(row);
        // A raw command is as far as it will get once the cloud took it.
        const bool done = isFinalCommandState(row.state)
            || (row.route == CommandRoute::Raw && row.state != CommandState::Sending);
        if (done && !m_requests.contains(row.clientKey)) {
            const CommandRecord last = m_open.take(row.clientKey);
            finished(last);
        }
    }
    if (!m_open.isEmpty() && !m_timer.isActive())
        m_timer.start();
}

void CommandSender::finished(const CommandRecord &r)
{
    const auto it = m_batches.find(r.batchKey);
    if (it == m_batches.end())
        return;
    it->open.remove(r.clientKey);
    if (it->open.isEmpty()) {
        m_batches.erase(it);
        Q_EMIT batchFinished(r.batchKey);
    }
    if (m_open.isEmpty())
        m_timer.stop();
}

void CommandSender::follow(const QList<CommandRecord> &open)
{
    for (const CommandRecord &r : open) {
        if (r.clientKey.isEmpty() || m_open.contains(r.clientKey) || isFinalCommandState(r.state)
            || r.route == CommandRoute::Raw)
            continue;
        m_open.insert(r.clientKey, r);
        Batch &b = m_batches[r.batchKey];
        ++b.total;
        ++b.done; // sent before
        b.open.insert(r.clientKey);
    }
    if (!m_open.isEmpty() && !m_timer.isActive())
        m_timer.start();
}

void CommandSender::pollNow()
{
    m_lastPoll.clear();
    tick();
}

void CommandSender::pollDevices(const QStringList &imeis)
{
    for (const QString &imei : imeis) {
        if (!imei.isEmpty() && !m_polling.contains(imei))
            pollDevice(imei);
    }
}

void CommandSender::tick()
{
    const QDateTime now = m_clock->nowUtc();
    QList<CommandRecord> timedOut;
    QHash<QString, bool> devices; // IMEI -> every open command of it is queued
    for (const CommandRecord &r : std::as_const(m_open)) {
        if (m_requests.contains(r.clientKey))
            continue; // not sent yet, or its send call is out
        if (r.state != CommandState::Queued && r.deadline.isValid() && r.deadline <= now) {
            CommandRecord u;
            u.clientKey = r.clientKey;
            u.imei = r.imei;
            u.state = CommandState::TimedOut;
            timedOut.append(u);
            continue;
        }
        const auto it = devices.find(r.imei);
        const bool queued = r.state == CommandState::Queued;
        if (it == devices.end())
            devices.insert(r.imei, queued);
        else
            *it = *it && queued;
    }
    if (!timedOut.isEmpty()) {
        QStringList keys;
        for (const CommandRecord &u : std::as_const(timedOut))
            keys.append(u.clientKey);
        write(timedOut, {}, keys);
    }
    const qint64 secs = now.toSecsSinceEpoch();
    for (auto it = devices.cbegin(); it != devices.cend(); ++it) {
        if (m_polling.contains(it.key()))
            continue;
        const auto last = m_lastPoll.constFind(it.key());
        if (it.value() && last != m_lastPoll.cend() && secs - *last < m_options.queuedPollSecs)
            continue;
        pollDevice(it.key());
    }
}

void CommandSender::pollDevice(const QString &imei)
{
    m_polling.insert(imei);
    m_lastPoll.insert(imei, m_clock->nowUtc().toSecsSinceEpoch());
    QPointer<CommandSender> self(this);
    m_api->commandResults(imei, this, [self, imei](const Result<ApiList<CommandResult>> &r) {
        if (!self)
            return;
        self->m_polling.remove(imei);
        if (!r.ok()) {
            qCInfo(lcSync).noquote() << "commands: results of" << imei << "not read:" << r.error().toString();
            Q_EMIT self->polled(imei, false);
            return;
        }
        QStringList keys;
        for (const CommandRecord &c : std::as_const(self->m_open)) {
            if (c.imei == imei)
                keys.append(c.clientKey);
        }
        self->write({}, {CommandResultList{imei, r.value().items}}, keys, [self, imei] {
            if (self)
                Q_EMIT self->polled(imei, true);
        });
    });
}

} // namespace Fleet
