#pragma once

#include "domain/media.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace Fleet::Cli {

class Session;

// One fleetdesk-cli command: the words that name it ("export track"), what it
// takes, and what runs it. A new command is one more row of commands() (and
// its options, if new, in options()); run() does the rest.
struct Command
{
    QStringList words;
    QString synopsis; // its arguments, as the help shows them
    QString description;
    QStringList options; // the names of options() it accepts
    QStringList required;
    int (*run)(Session &session, const QCommandLineParser &parser) = nullptr;
};

const QList<Command> &commands();
// Every command's options; --config, --database, --help and --version come on top.
QList<QCommandLineOption> options();

// The export commands (exportcommands.cpp).
int exportTrack(Session &session, const QCommandLineParser &parser);
int exportTrips(Session &session, const QCommandLineParser &parser);

// The alarm desk's commands (alarmcommands.cpp).
int alarmsList(Session &session, const QCommandLineParser &parser);
int alarmsAck(Session &session, const QCommandLineParser &parser);
int alarmsResolve(Session &session, const QCommandLineParser &parser);
int alarmsDeviceAck(Session &session, const QCommandLineParser &parser);
int alarmsMedia(Session &session, const QCommandLineParser &parser);

// The video commands (videocommands.cpp).
int videoProbe(Session &session, const QCommandLineParser &parser);
int videoSnapshot(Session &session, const QCommandLineParser &parser);
int videoLive(Session &session, const QCommandLineParser &parser);
int videoRecordings(Session &session, const QCommandLineParser &parser);
int videoCapture(Session &session, const QCommandLineParser &parser);
int videoMedia(Session &session, const QCommandLineParser &parser);
int videoSave(Session &session, const QCommandLineParser &parser);

// The device commands (commandcommands.cpp).
int commandTemplates(Session &session, const QCommandLineParser &parser);
int commandSend(Session &session, const QCommandLineParser &parser);
int commandStatus(Session &session, const QCommandLineParser &parser);
int locate(Session &session, const QCommandLineParser &parser);
int deviceUpdate(Session &session, const QCommandLineParser &parser);
int groupList(Session &session, const QCommandLineParser &parser);
int groupChange(Session &session, const QCommandLineParser &parser);

// Fleet administration (admincommands.cpp).
int cloudGroupList(Session &session, const QCommandLineParser &parser);
int cloudGroupChange(Session &session, const QCommandLineParser &parser);
int deviceMove(Session &session, const QCommandLineParser &parser);
int deviceExpiring(Session &session, const QCommandLineParser &parser);
int deviceExtend(Session &session, const QCommandLineParser &parser);
int deviceBind(Session &session, const QCommandLineParser &parser);

// The media rows of alarms media, video capture and video media (with
// --download DIR, each file saved there first), to --output or standard
// output: Success, or Failure when a file could not be saved.
int writeMediaList(Session &session, const QCommandLineParser &parser, const QList<StoredMedia> &media,
                   const QString &directory, int timeoutSecs, const QString &formatName, std::optional<qint64> alarm);

} // namespace Fleet::Cli
