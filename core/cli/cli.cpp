#include "cli.h"

#include "clicommands.h"
#include "clisession.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace Fleet::Cli {

namespace {

QString usageText()
{
    QString text = QStringLiteral("Usage: fleetdesk-cli (--config FILE | --database FILE) COMMAND [OPTIONS]\n\n"
                                  "Commands:\n");
    for (const Command &c : commands())
        text += QStringLiteral("  %1 %2\n      %3\n").arg(c.words.join(QLatin1Char(' ')), c.synopsis, c.description);
    text += QStringLiteral("\nTimes are ISO 8601 with an offset or Z; output times are UTC. Exit codes: 0 success, "
                           "1 the cloud, the store or a timeout failed, 2 bad usage. See docs/CLI.md.\n");
    return text;
}

} // namespace

int run(const QStringList &arguments, std::FILE *out, std::FILE *err, const VideoProber &prober,
        const VideoSaver &saver)
{
    Session session(out, err);
    session.setVideoProber(prober);
    session.setVideoSaver(saver);
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
    parser.addOptions({help, version,
                       {QStringLiteral("config"), QStringLiteral("The INI file shared with fleetdesk-ingest."),
                        QStringLiteral("FILE")},
                       {QStringLiteral("database"), QStringLiteral("A FleetDesk database, for store-only work."),
                        QStringLiteral("FILE")}});
    parser.addOptions(options());
    if (!parser.parse(arguments)) {
        session.say(parser.errorText());
        return Usage;
    }
    if (parser.isSet(help)) {
        std::fprintf(out, "%s", usageText().toLocal8Bit().constData());
        return Success;
    }
    if (parser.isSet(version)) {
        std::fprintf(out, "fleetdesk-cli %s\n", QCoreApplication::applicationVersion().toLocal8Bit().constData());
        return Success;
    }
    const QStringList words = parser.positionalArguments();
    const Command *command = nullptr;
    for (const Command &c : commands()) {
        if (words == c.words)
            command = &c;
    }
    if (!command) {
        session.say(words.isEmpty() ? QStringLiteral("no command given (try --help)")
                                    : QStringLiteral("unknown command: %1 (try --help)").arg(words.join(QLatin1Char(' '))));
        return Usage;
    }
    const QString name = command->words.join(QLatin1Char(' '));
    for (const QString &option : parser.optionNames()) {
        if (option != QLatin1String("config") && option != QLatin1String("database") && !command->options.contains(option)) {
            session.say(QStringLiteral("%1 does not take --%2").arg(name, option));
            return Usage;
        }
    }
    for (const QString &option : command->required) {
        if (!parser.isSet(option)) {
            session.say(QStringLiteral("%1 needs --%2 (usage: %1 %3)").arg(name, option, command->synopsis));
            return Usage;
        }
    }
    return command->run(session, parser);
}

} // namespace Fleet::Cli
