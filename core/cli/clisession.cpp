#include "clisession.h"

#include "cli.h"

#include "api/jimiapi.h"
#include "store/storereader.h"
#include "sync/mediadownloader.h"
#include "sync/syncsink.h"
#include "sync/trackfetcher.h"
#include "util/clock.h"
#include "util/utc.h"

#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimer>

namespace Fleet::Cli {

namespace {

QString utc(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

} // namespace

Session::Session(std::FILE *out, std::FILE *err)
    : m_out(out)
    , m_err(err)
{ }

Session::~Session()
{
    m_commands.reset(); // before the api and the writer it uses
    m_service.stop(60000);
}

void Session::say(const QString &line)
{
    std::fprintf(m_err, "%s\n", line.toLocal8Bit().constData());
    std::fflush(m_err);
}

int Session::open(const QCommandLineParser &parser)
{
    const bool hasConfig = parser.isSet(QStringLiteral("config"));
    const bool hasDatabase = parser.isSet(QStringLiteral("database"));
    if (hasConfig == hasDatabase) {
        say(QStringLiteral("give either --config FILE or --database FILE"));
        return Usage;
    }
    IngestServiceConfig sc;
    sc.writer.coalesceMs = 0;
    if (hasConfig) {
        QString error;
        const std::optional<IngestConfig> config = IngestConfig::load(parser.value(QStringLiteral("config")), &error);
        if (!config) {
            say(error);
            return Usage;
        }
        sc.databasePath = config->databasePath;
        if (config->hasApi) {
            sc.account = config->account;
            sc.target = config->target;
            sc.schedule = config->schedule;
        }
    } else {
        sc.databasePath = parser.value(QStringLiteral("database"));
        // Store-only work reads an existing database; a typo must not create an empty one.
        if (!QFileInfo(sc.databasePath).isFile()) {
            say(QStringLiteral("--database: no such file: %1").arg(sc.databasePath));
            return Usage;
        }
    }
    QString error;
    if (!m_service.start(sc, &error)) {
        say(error);
        return Failure;
    }
    return Success;
}

bool Session::waitFor(const std::function<bool()> &done, int timeoutSecs)
{
    // Runs the event loop until a callback that made done() true calls wake(), or the deadline.
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(std::chrono::seconds(timeoutSecs));
    m_waiting = &loop;
    while (!done() && deadline.isActive())
        loop.exec();
    m_waiting = nullptr;
    return done();
}

QUrl Session::openStream(const StreamRequest &request, int timeoutSecs, QString *error)
{
    if (!m_streams)
        m_streams = std::make_unique<StreamSessions>(m_service.api(), m_service.writer(), Clock::system());
    // What a run before this one left open (a crash) is closed first.
    const QList<VideoStreamRecord> leftovers = reader().openVideoStreams();
    int closedLeftovers = 0;
    QObject::connect(m_streams.get(), &StreamSessions::leftoverClosed, m_streams.get(), [this, &closedLeftovers] {
        ++closedLeftovers;
        wake();
    });
    m_streams->closeLeftovers(leftovers);
    waitFor([&] { return closedLeftovers == leftovers.size(); }, timeoutSecs);
    if (!leftovers.isEmpty())
        say(QStringLiteral("closed %1 stream(s) an earlier run left open").arg(leftovers.size()));

    QUrl url;
    QString failure;
    QObject::connect(m_streams.get(), &StreamSessions::opened, m_streams.get(), [this, &url](int, const QUrl &u) {
        url = u;
        wake();
    });
    QObject::connect(m_streams.get(), &StreamSessions::failed, m_streams.get(),
                     [this, &failure](int, const QString &message, const QString &detail) {
                         failure = detail == QLatin1String("228") ? QStringLiteral("the device is offline")
                                                                  : QStringLiteral("the cloud said: %1").arg(message);
                         wake();
                     });
    m_streams->open(1, request);
    if (!waitFor([&] { return url.isValid() || !failure.isEmpty(); }, timeoutSecs))
        failure = QStringLiteral("no answer from the cloud within %1 s").arg(timeoutSecs);
    m_streams->disconnect(m_streams.get());
    if (url.isValid())
        return url;
    *error = failure;
    return {};
}

bool Session::closeStream(int timeoutSecs)
{
    if (!m_streams || m_streams->openCount() == 0)
        return true;
    std::optional<bool> confirmed;
    QObject::connect(m_streams.get(), &StreamSessions::closed, m_streams.get(), [this, &confirmed](int, bool ok) {
        confirmed = ok;
        wake();
    });
    m_streams->close(1);
    waitFor([&] { return confirmed.has_value(); }, timeoutSecs);
    // The journal's close reaches the file before the process ends.
    m_service.writer()->flush(timeoutSecs * 1000);
    return confirmed.value_or(false);
}

bool Session::listRecordings(const QString &imei, int channel, const QDate &day, int timeoutSecs,
                             RecordingLister::Outcome *outcome)
{
    RecordingLister lister(m_service.api(), Clock::system());
    bool done = false;
    QObject::connect(&lister, &RecordingLister::waiting, &lister, [this](int attempt, int seconds) {
        say(QStringLiteral("waiting for the device to upload its list (asked %1 time(s); again in %2 s)")
                .arg(attempt)
                .arg(seconds));
    });
    QObject::connect(&lister, &RecordingLister::finished, &lister,
                     [this, &done, outcome](const RecordingLister::Outcome &o) {
                         *outcome = o;
                         done = true;
                         wake();
                     });
    lister.list(imei, channel, day);
    return waitFor([&done] { return done; }, timeoutSecs);
}

bool Session::captureMedia(const MediaCapture::Request &request, int timeoutSecs, MediaCapture::Outcome *outcome)
{
    MediaCapture capture(m_service.api(), m_service.writer(), Clock::system());
    bool done = false;
    QObject::connect(&capture, &MediaCapture::sent, &capture,
                     [this] { say(QStringLiteral("the device took the command; waiting for its file")); });
    QObject::connect(&capture, &MediaCapture::finished, &capture,
                     [this, &done, outcome](int, const MediaCapture::Outcome &o) {
                         *outcome = o;
                         done = true;
                         wake();
                     });
    capture.capture(1, request);
    return waitFor([&done] { return done; }, timeoutSecs);
}

void Session::runUntilStopped()
{
    while (!m_stopped)
        waitFor([this] { return m_stopped; }, kMaxTimeoutSecs);
}

void Session::stop()
{
    m_stopped = true;
    wake();
}

void Session::wake()
{
    if (m_waiting)
        m_waiting->quit();
}

CommandSender *Session::commandSender()
{
    if (!m_commands && m_service.api()) {
        CommandSender::Options o;
        o.pollIntervalMs = 2000;
        m_commands = std::make_unique<CommandSender>(m_service.api(), m_service.writer(), Clock::system(), o);
        QObject::connect(m_commands.get(), &CommandSender::progress, m_commands.get(),
                         [this](const QString &batch, int done, int total) {
                             m_commandProgress.insert(batch, {done, total});
                             wake();
                         });
        QObject::connect(m_commands.get(), &CommandSender::batchFinished, m_commands.get(),
                         [this](const QString &batch) {
                             m_finishedBatches.insert(batch);
                             wake();
                         });
    }
    return m_commands.get();
}

bool Session::commandTemplates(const QString &imei, int timeoutSecs, QList<CommandTemplate> *templates, QString *error)
{
    const auto answer = std::make_shared<std::optional<Result<ApiList<CommandTemplate>>>>();
    m_service.api()->commandTemplates(imei, m_service.api(), [this, answer](const Result<ApiList<CommandTemplate>> &r) {
        *answer = r;
        wake();
    });
    if (!waitFor([&answer] { return answer->has_value(); }, timeoutSecs)) {
        *error = QStringLiteral("no answer within %1 s").arg(timeoutSecs);
        return false;
    }
    if (!(*answer)->ok()) {
        *error = (*answer)->error().message.isEmpty() ? (*answer)->error().toString() : (*answer)->error().message;
        return false;
    }
    *templates = (*answer)->value().items;
    return true;
}

std::optional<CommandRefusal> Session::sendCommand(const CommandOrder &order, QString *batchKey)
{
    const auto sent = commandSender()->send(order);
    if (const auto *refusal = std::get_if<CommandRefusal>(&sent))
        return *refusal;
    *batchKey = std::get<QString>(sent);
    return std::nullopt;
}

QList<CommandRecord> Session::followCommands(const QStringList &batchKeys, int waitSecs,
                                             const std::function<void(const CommandRecord &)> &onUpdate,
                                             int sendTimeoutSecs)
{
    CommandSender *sender = commandSender();
    const QMetaObject::Connection updates = QObject::connect(sender, &CommandSender::updated, sender, onUpdate);
    const auto sendsAnswered = [&] {
        for (const QString &b : batchKeys) {
            const auto p = m_commandProgress.value(b, {0, 1});
            if (p.first < p.second && !m_finishedBatches.contains(b))
                return false;
        }
        return true;
    };
    const auto allFinal = [&] {
        for (const QString &b : batchKeys) {
            if (!m_finishedBatches.contains(b))
                return false;
        }
        return true;
    };
    waitFor(sendsAnswered, sendTimeoutSecs);
    if (waitSecs > 0)
        waitFor(allFinal, waitSecs);
    // The last answers' rows committed before they are read.
    m_service.writer()->flush(10000);
    QObject::disconnect(updates);
    QList<CommandRecord> rows;
    for (const QString &b : batchKeys) {
        CommandFilter f;
        f.batchKey = b;
        QList<CommandRecord> batch = reader().commands(f, {}, 100000);
        std::reverse(batch.begin(), batch.end()); // as sent
        rows += batch;
    }
    return rows;
}

void Session::askAboutCommands(const QString &imei, int timeoutSecs)
{
    CommandSender *sender = commandSender();
    bool done = false;
    const QMetaObject::Connection polled =
        QObject::connect(sender, &CommandSender::polled, sender, [this, &done, imei](const QString &which, bool) {
            done = done || which == imei;
            wake();
        });
    sender->pollDevices({imei});
    waitFor([&done] { return done; }, timeoutSecs);
    QObject::disconnect(polled);
}

bool Session::updateDevice(const QString &imei, const DeviceUpdate &update, int timeoutSecs, AdminOutcome *outcome)
{
    const auto answer = std::make_shared<std::optional<AdminOutcome>>();
    updateDeviceRecord(m_service.api(), m_service.writer(), imei, update, m_service.api(),
                       [this, answer](const AdminOutcome &o) {
                           *answer = o;
                           wake();
                       });
    if (!waitFor([&answer] { return answer->has_value(); }, timeoutSecs))
        return false;
    *outcome = **answer;
    return true;
}

bool Session::administer(const FleetAdminRequest &request, int timeoutSecs, AdminOutcome *outcome)
{
    const auto answer = std::make_shared<std::optional<AdminOutcome>>();
    administerFleet(m_service.api(), m_service.writer(), nullptr, account(), request, m_service.api(),
                    [this, answer](const AdminOutcome &o) {
                        *answer = o;
                        wake();
                    });
    if (!waitFor([&answer] { return answer->has_value(); }, timeoutSecs))
        return false;
    *outcome = **answer;
    return true;
}

QString Session::account()
{
    JimiApi *api = m_service.api();
    if (!m_service.config().target.isEmpty() || !api)
        return m_service.config().target;
    return api->defaultTarget();
}

bool Session::locate(const QStringList &imeis, int timeoutSecs, LocateOutcome *outcome)
{
    const auto answer = std::make_shared<std::optional<LocateOutcome>>();
    locateNow(m_service.api(), m_service.writer(), imeis, m_service.api(), [this, answer](const LocateOutcome &o) {
        *answer = o;
        wake();
    });
    if (!waitFor([&answer] { return answer->has_value(); }, timeoutSecs))
        return false;
    *outcome = **answer;
    return true;
}

std::optional<QStringList> localGroupImeis(Session &session, const QString &name)
{
    for (const LocalGroup &g : session.reader().localGroups()) {
        if (g.name.compare(name.trimmed(), Qt::CaseInsensitive) != 0)
            continue;
        if (g.imeis.isEmpty()) {
            session.say(QStringLiteral("the group %1 has no vehicles").arg(g.name));
            return std::nullopt;
        }
        return g.imeis;
    }
    session.say(QStringLiteral("there is no group called %1 (group list shows them)").arg(name.trimmed()));
    return std::nullopt;
}

std::optional<QString> operatorOption(Session &session, const QCommandLineParser &parser)
{
    const QString name = parser.isSet(QStringLiteral("operator")) ? parser.value(QStringLiteral("operator")).trimmed()
                                                                  : osUserName();
    if (name.isEmpty()) {
        session.say(QStringLiteral("--operator: the name must not be empty"));
        return std::nullopt;
    }
    return name;
}

bool Session::hasInstructionGateway()
{
    return AlarmDeviceAcker(m_service.api(), m_service.writer(), nullptr).available();
}

bool Session::ackOnDevice(const DeviceAckRequest &request, AlarmDeviceAck *answer, int timeoutSecs)
{
    AlarmDeviceAcker acker(m_service.api(), m_service.writer(), nullptr);
    const auto outcome = std::make_shared<std::optional<AlarmDeviceAck>>();
    acker.send(request, [this, outcome](const AlarmDeviceAck &a) {
        *outcome = a;
        wake();
    });
    waitFor([&outcome] { return outcome->has_value(); }, timeoutSecs);
    if (!outcome->has_value())
        return false;
    *answer = **outcome;
    return true;
}

bool Session::fetchAlarmMedia(const AlarmMediaRequest &request, AlarmMediaOutcome *outcome, int timeoutSecs)
{
    if (!m_service.api()) {
        *outcome = AlarmMediaOutcome{request.alarmId, 0, QStringLiteral("no cloud: --config has no [api] section")};
        return true;
    }
    AlarmMediaFetcher fetcher(m_service.api(), m_service.writer());
    const auto answer = std::make_shared<std::optional<AlarmMediaOutcome>>();
    fetcher.fetch(request, [this, answer](const AlarmMediaOutcome &o) {
        *answer = o;
        wake();
    });
    waitFor([&answer] { return answer->has_value(); }, timeoutSecs);
    if (!answer->has_value())
        return false;
    *outcome = **answer;
    return true;
}

QString Session::download(const QUrl &url, const QString &path, qint64 maxBytes, int timeoutSecs)
{
    // The timeout is for silence: a large file that keeps arriving is
    // waited for (at most a day).
    MediaDownloader downloader;
    downloader.setTimeoutMs(timeoutSecs * 1000);
    const auto answer = std::make_shared<std::optional<QString>>();
    downloader.download(url, path, maxBytes, [this, answer](const QString &error) {
        *answer = error;
        wake();
    });
    waitFor([&answer] { return answer->has_value(); }, kMaxTimeoutSecs);
    return answer->has_value() ? **answer : QStringLiteral("no answer within a day");
}

int Session::commit(IngestBatch batch, int timeoutSecs)
{
    // Shared: the writer may call back after a timeout, when this frame is gone.
    struct Outcome
    {
        bool done = false;
        bool committed = false;
        QString failure;
    };
    const auto outcome = std::make_shared<Outcome>();
    StoreWriter *writer = m_service.writer();
    const QMetaObject::Connection failed =
        QObject::connect(writer, &StoreWriter::writeFailed, writer, [this, outcome](const QString &message) {
            outcome->failure = message;
            wake();
        });
    const bool queued = writer->write(std::move(batch), [this, outcome](bool ok) {
        outcome->done = true;
        outcome->committed = ok;
        wake();
    });
    if (queued)
        waitFor([&outcome] { return outcome->done || !outcome->failure.isEmpty(); }, timeoutSecs);
    QObject::disconnect(failed);
    if (outcome->committed)
        return Success;
    say(QStringLiteral("the store did not take the change: %1")
            .arg(!outcome->failure.isEmpty() ? outcome->failure
                 : !queued                   ? writer->errorString()
                                             : QStringLiteral("no commit within %1 s").arg(timeoutSecs)));
    return Failure;
}

int Session::requireDevices(const QStringList &imeis)
{
    const auto unknown = [&] {
        for (const QString &imei : imeis) {
            if (!reader().device(imei))
                return imei;
        }
        return QString();
    };
    if (unknown().isEmpty())
        return Success;
    if (hasCloud()) {
        // Not in the store yet: the account's device list says whether it exists.
        bool answered = false;
        bool stored = false;
        QString failure;
        JimiApi *api = m_service.api();
        api->deviceList(account(), api, [&](const Result<ApiList<Device>> &r) {
                            answered = true;
                            if (!r.ok()) {
                                failure = r.error().toString();
                                stored = true;
                                wake();
                                return;
                            }
                            SyncSink::Delivery d;
                            d.devices = r.value().items;
                            d.onStored = [&](bool) {
                                stored = true;
                                wake();
                            };
                            m_service.sink()->deliver(std::move(d));
                        });
        if (!waitFor([&] { return answered && stored; }, 120)) {
            say(QStringLiteral("the cloud did not answer the device list within 120 s"));
            return Failure;
        }
        if (!failure.isEmpty()) {
            say(QStringLiteral("device list: %1").arg(failure));
            return Failure;
        }
    }
    if (const QString imei = unknown(); !imei.isEmpty()) {
        say(QStringLiteral("unknown IMEI: %1").arg(imei));
        return Usage;
    }
    return Success;
}

int Session::ensureTracks(const QStringList &imeis, const TimeSpan &span, int timeoutSecs)
{
    if (!hasCloud()) {
        for (const QString &imei : imeis) {
            for (const TimeSpan &gap : TimeSpans::uncovered(span, reader().trackCoverage(imei, span.from, span.to)))
                say(QStringLiteral("note: %1: the store may not hold every fix from %2 to %3 (no cloud configured; "
                                   "what it holds is exported)")
                        .arg(imei, utc(gap.from), utc(gap.to)));
        }
        return Success;
    }
    TrackFetcher fetcher(m_service.api(), m_service.reader(), m_service.sink(), nullptr);
    std::optional<TrackFetcher::Outcome> outcome;
    QObject::connect(&fetcher, &TrackFetcher::progress, [this](int done, int total) {
        if (total > 0)
            say(QStringLiteral("fetching history: %1 of %2 windows").arg(done).arg(total));
    });
    QObject::connect(&fetcher, &TrackFetcher::finished, [&outcome, this](const TrackFetcher::Outcome &o) {
        outcome = o;
        wake();
    });
    fetcher.fetch(imeis, span);
    if (!waitFor([&] { return outcome.has_value(); }, timeoutSecs)) {
        fetcher.cancel();
        waitFor([&] { return outcome.has_value(); }, 30);
        say(QStringLiteral("timed out after %1 s waiting for the cloud").arg(timeoutSecs));
        if (outcome) {
            for (const TrackFetcher::Missing &m : outcome->missing)
                say(QStringLiteral("missing: %1 from %2 to %3").arg(m.imei, utc(m.span.from), utc(m.span.to)));
        }
        return Failure;
    }
    m_service.writer()->flush(60000);
    if (!outcome->missing.isEmpty()) {
        for (const TrackFetcher::Missing &m : outcome->missing)
            say(QStringLiteral("missing: %1 from %2 to %3: %4").arg(m.imei, utc(m.span.from), utc(m.span.to), m.reason));
        return Failure;
    }
    return Success;
}

int Session::writeResult(const QString &outputPath, const QByteArray &bytes)
{
    if (outputPath.isEmpty()) {
        if (std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), m_out) != std::size_t(bytes.size())
            || std::fflush(m_out) != 0) {
            say(QStringLiteral("cannot write to standard output"));
            return Failure;
        }
        return Success;
    }
    QSaveFile file(outputPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        say(QStringLiteral("%1: %2").arg(outputPath, file.errorString()));
        return Failure;
    }
    return Success;
}

std::optional<QStringList> imeiList(Session &session, const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString imei = part.trimmed();
        if (!JimiApi::isValidImei(imei)) {
            session.say(QStringLiteral("--imei: not an IMEI: \"%1\"").arg(imei));
            return std::nullopt;
        }
        if (!out.contains(imei))
            out.append(imei);
    }
    if (out.isEmpty()) {
        session.say(QStringLiteral("--imei: at least one IMEI is required"));
        return std::nullopt;
    }
    return out;
}

std::optional<QDateTime> isoTime(Session &session, const QString &option, const QString &text)
{
    static const QRegularExpression form(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?(Z|[+-]\\d\\d:?\\d\\d)$"));
    const QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    if (!form.match(text).hasMatch() || !t.isValid()) {
        session.say(QStringLiteral("--%1: expected ISO 8601 with an offset or Z (2026-12-04T09:00:00+01:00), got \"%2\"")
                        .arg(option, text));
        return std::nullopt;
    }
    return Utc::fromSecs(t.toSecsSinceEpoch());
}

std::optional<int> timeoutOption(Session &session, const QCommandLineParser &parser, int fallback)
{
    if (!parser.isSet(QStringLiteral("timeout")))
        return fallback;
    bool ok = false;
    const int timeout = parser.value(QStringLiteral("timeout")).toInt(&ok);
    if (!ok || timeout <= 0 || timeout > kMaxTimeoutSecs) {
        session.say(QStringLiteral("--timeout: expected a number of seconds (1 to %1), got \"%2\"")
                        .arg(kMaxTimeoutSecs)
                        .arg(parser.value(QStringLiteral("timeout"))));
        return std::nullopt;
    }
    return timeout;
}

std::optional<QString> csvOrJson(Session &session, const QCommandLineParser &parser)
{
    const QString name =
        parser.isSet(QStringLiteral("format")) ? parser.value(QStringLiteral("format")) : QStringLiteral("csv");
    if (name != QLatin1String("csv") && name != QLatin1String("json")) {
        session.say(QStringLiteral("--format: expected csv or json, got \"%1\"").arg(name));
        return std::nullopt;
    }
    return name;
}

std::optional<QString> downloadOption(Session &session, const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("download")))
        return QString();
    const QString directory = parser.value(QStringLiteral("download"));
    if (directory.isEmpty() || !QDir().mkpath(directory)) {
        session.say(QStringLiteral("--download: cannot make the folder \"%1\"").arg(directory));
        return std::nullopt;
    }
    return directory;
}

std::optional<TimeSpan> timeRange(Session &session, const QCommandLineParser &parser)
{
    const auto from = isoTime(session, QStringLiteral("from"), parser.value(QStringLiteral("from")));
    if (!from)
        return std::nullopt;
    const auto to = isoTime(session, QStringLiteral("to"), parser.value(QStringLiteral("to")));
    if (!to)
        return std::nullopt;
    if (*to < *from) {
        session.say(QStringLiteral("--to is before --from"));
        return std::nullopt;
    }
    return TimeSpan{*from, *to};
}

} // namespace Fleet::Cli
