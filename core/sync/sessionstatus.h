#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Fleet {

// What the desktop's status bar says about the ingest side: the cloud
// connection, the last fleet sweep, the webhook listener and the database.
struct SessionStatus
{
    enum class Cloud { Off, Connecting, Connected, Failing };

    bool demo = false;
    Cloud cloud = Cloud::Off;
    QString cloudDetail; // the last error, or the account's address
    // The cloud refused the account's sign-in (a wrong password, app key or
    // secret): nothing works until the account is edited.
    bool accountRefused = false;
    // A sign-in held back by the cloud's one-a-minute rule until then (the
    // real clock, UTC); invalid when none is waiting.
    QDateTime signInAt;
    QDateTime lastSweep; // UTC; the last successful fleet sweep
    bool webhookListening = false;
    QString webhookAddress; // "http://127.0.0.1:PORT", empty when off
    qint64 pushRequests = 0; // accepted push requests
    qint64 pushItems = 0;
    qint64 pushRefused = 0;
    qint64 pushUnauthorized = 0; // refused for a missing or wrong token
    qint64 pushQuarantined = 0; // items kept in push_quarantine: the cloud's content could not be read
    QString databasePath;
    QString databaseError; // empty when writes go through
    qint64 pendingRows = 0; // queued in the writer

    friend bool operator==(const SessionStatus &, const SessionStatus &) = default;
};

// Why a session could not start, as a code with its data: the window words it.
struct SessionFailure
{
    enum class Kind {
        EmbeddedCloudCannotListen, // the demo's cloud found no port on 127.0.0.1
        IngestCannotStart, // the store or the webhook: detail says which and why
    };
    Kind kind = Kind::IngestCannotStart;
    QString detail; // the lower layer's own text ("store: …", "webhook: …"), not for translation

    friend bool operator==(const SessionFailure &, const SessionFailure &) = default;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::SessionStatus)
Q_DECLARE_METATYPE(Fleet::SessionFailure)
