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
    QString cloudDetail;          // the last error, or the account's address
    QDateTime lastSweep;          // UTC; the last successful fleet sweep
    bool webhookListening = false;
    QString webhookAddress;       // "http://127.0.0.1:PORT", empty when off
    qint64 pushRequests = 0;      // accepted push requests
    qint64 pushItems = 0;
    qint64 pushRefused = 0;
    QString databasePath;
    QString databaseError;        // empty when writes go through
    qint64 pendingRows = 0;       // queued in the writer

    friend bool operator==(const SessionStatus &, const SessionStatus &) = default;
};

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::SessionStatus)
