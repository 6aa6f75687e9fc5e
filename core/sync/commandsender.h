#pragma once

#include "api/apierror.h"
#include "domain/commandcatalog.h"
#include "domain/commandtracking.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

namespace Fleet {

class Clock;
class JimiApi;
class StoreReader;
class StoreWriter;

// What the dispatcher asks for: one command to one or many vehicles.
struct CommandOrder
{
    QStringList imeis;
    CommandEntry entry; // Template or Gateway route; ignored when rawHex is set
    QStringList values; // the entry's params, as typed
    QString rawHex; // set: jimi.open.instruction.raw.send with these bytes
    QString operatorName;
    // A dangerous command (CommandEntry::danger) is only sent once the
    // dispatcher confirmed it (the dialog's confirmation, the CLI's --yes).
    bool confirmed = false;
};

// Why an order was refused before anything was sent; the UI and CLI word it.
struct CommandRefusal
{
    enum class Kind { NoVehicles, BadValues, NotConfirmed, BadHex, NoGateway, NoOperator };
    Kind kind = Kind::NoVehicles;
    QList<ParamIssue> issues; // BadValues
    QString describe(const CommandEntry &entry) const; // English, for the CLI and logs
};

// Sends commands and follows them to the end (docs/COMMANDS.md).
//
// Every command is first written as 'sending' (operator, time, vehicle,
// text, values; one transaction per order) and only once that is committed
// sent to the cloud, so a crash in between leaves what is known. The cloud's answer moves it on
// (accepted, or failed/offline with the cloud's words). Nothing is ever sent
// twice: the client does not retry these calls, and neither does this class;
// an answer that never came leaves the command 'sending' until the result
// list or the deadline says more.
//
// Open commands are followed by polling jimi.open.instruction.result per
// device (its rows are matched to what was sent by the writer, inside the
// transaction), by the gateway's answers, and by /pushInstructResponse
// through the session's writer. A command the cloud queued for an offline
// device is asked about less often and never times out; any other open
// command times out at its deadline (a later answer still replaces that).
//
// Vehicles of one order are sent at most `concurrency` at a time; progress()
// counts them. Lives on the thread of the JimiApi and StoreWriter it uses.
class CommandSender : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int deadlineSecs = 300; // an open command times out after this (session clock)
        int pollIntervalMs = 15000; // how often devices with open commands are asked
        int queuedPollSecs = 300; // a device whose commands are all queued: this often
        int concurrency = 4; // sends in flight at once
        int gatewayWaitSecs = 30; // the gateway's timeOut: how long it waits for the device
    };

    CommandSender(JimiApi *api, StoreWriter *writer, Clock *clock, const Options &options,
                  QObject *parent = nullptr);
    CommandSender(JimiApi *api, StoreWriter *writer, Clock *clock, QObject *parent = nullptr)
        : CommandSender(api, writer, clock, Options(), parent)
    { }
    ~CommandSender() override;

    // Whether the account has an instruction gateway (for our text commands
    // on models without a user-defined template).
    bool hasGateway() const;

    // Checks the order and starts it: the batch key its rows share, or why it
    // was refused (nothing sent, nothing written).
    std::variant<QString, CommandRefusal> send(const CommandOrder &order);
    // Follows commands written before (another run, another process): their
    // devices are polled until they are final.
    void follow(const QList<CommandRecord> &open);
    // Commands not yet final that this sender follows.
    int openCount() const { return int(m_open.size()); }
    // No call of this sender is out and no write of it waits.
    bool isIdle() const { return m_inFlight == 0 && m_polling.isEmpty() && m_writes == 0; }
    // Polls now instead of at the next tick (the dock's "Refresh").
    void pollNow();
    // Asks the cloud about these devices' commands now, open or not: a late
    // answer to a command that timed out ("Ask again").
    void pollDevices(const QStringList &imeis);

Q_SIGNALS:
    // A command's row as stored after a change this sender made or learnt.
    void updated(const Fleet::CommandRecord &record);
    // Vehicles of the batch whose send has an answer (or none will come).
    void progress(const QString &batchKey, int done, int total);
    // Every command of the batch has reached a final state.
    void batchFinished(const QString &batchKey);
    // A device's result list was asked for and (if it came) is stored.
    void polled(const QString &imei, bool answered);

private:
    struct Batch
    {
        int total = 0;
        int done = 0;
        QSet<QString> open; // client keys not yet final
    };
    // Sends what waits, up to `concurrency` at once.
    void pump();
    void sendOne(const QString &clientKey);
    void answered(const QString &clientKey, CommandRecord update);
    // Its row could not be written: the command is dropped, unsent.
    void notSent(const QString &clientKey, const QString &why);
    void countDone(const QString &batchKey);
    void finished(const CommandRecord &record);
    void write(QList<CommandRecord> records, QList<CommandResultList> results, const QStringList &readBack,
               std::function<void()> afterCommit = {});
    void readBack(const QStringList &keys);
    void tick();
    void pollDevice(const QString &imei);

    JimiApi *m_api;
    StoreWriter *m_writer;
    Clock *m_clock;
    Options m_options;
    std::unique_ptr<StoreReader> m_reader;
    QHash<QString, CommandRecord> m_open; // by client key: commands not yet final
    QHash<QString, CommandRequest> m_requests; // by client key: not sent yet, or the send call is out
    QStringList m_queue; // client keys waiting for a free slot
    QHash<QString, Batch> m_batches;
    QHash<QString, qint64> m_lastPoll; // IMEI -> session seconds of its last poll
    QSet<QString> m_polling; // IMEIs whose result call is out
    QTimer m_timer;
    int m_inFlight = 0;
    int m_writes = 0; // writes queued whose commit was not reported yet
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::CommandRefusal)
Q_DECLARE_METATYPE(Fleet::CommandOrder)
