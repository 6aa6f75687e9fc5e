#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace Fleet {

class JimiApi;
class StoreWriter;

// What "Locate now" brought: how many vehicles were asked, how many answered
// with a usable fix, and the cloud's words when the call failed.
struct LocateOutcome
{
    int asked = 0;
    int located = 0; // answered with a fix
    QStringList withoutFix; // answered, but with no usable fix
    QString error; // the cloud's words; empty when every batch was answered
};

// Asks the cloud for the vehicles' positions now (jimi.device.location.get,
// the reference's POLL-03: up to 50 IMEIs a call, batched by JimiApi) and
// writes them through the writer exactly as the sweep does, so the map moves
// at once. done runs once the answer is committed (or failed).
void locateNow(JimiApi *api, StoreWriter *writer, const QStringList &imeis, QObject *ctx,
               std::function<void(const LocateOutcome &)> done);

// The cloud's share link for a vehicle's live position (jimi.device.location.URL.share).
void shareLocation(JimiApi *api, const QString &imei, QObject *ctx,
                   std::function<void(const QUrl &url, const QString &error)> done);

} // namespace Fleet

Q_DECLARE_METATYPE(Fleet::LocateOutcome)
