#pragma once

#include "api/apiclient.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace Fleet {

class Clock;

// A cloud that a desktop session runs on its own thread, beside its ingest:
// the demo's simulated cloud (fleet_demo). The session polls it and receives
// its pushes exactly as it would a real account's; sync only knows this
// interface, never what implements it.
class EmbeddedCloud
{
public:
    enum class Failure { CannotListen };

    virtual ~EmbeddedCloud() = default;

    // The session's time: the embedded fleet's. Thread-safe; lives as long as
    // the cloud.
    virtual Clock *clock() = 0;
    // How many vehicles the cloud has (for the window's title).
    virtual int vehicleCount() const = 0;
    // A map layer that helps to read its data, as GeoJSON (the simulated
    // fleet's road network); empty: none. Any thread.
    virtual QByteArray mapOverlay() const { return {}; }

    // On the session's thread. Starts the cloud and returns the account that
    // reaches it, or nullopt with the reason in *failure.
    virtual std::optional<ApiAccount> start(Failure *failure) = 0;
    // Starts pushing to the session's webhook at url with token.
    virtual void startPushing(const QUrl &url, const QByteArray &token) = 0;
    // On the session's thread: stops pushing (before the session's webhook
    // stops), then, after the session's ingest has stopped, serving.
    virtual void stopPushing() = 0;
    virtual void stop() = 0;

    // A simulated cloud raises an alarm of the type on the vehicle now, as
    // if the device had: for training and demonstrations. Any thread; it
    // arrives like any other alarm. False: the cloud cannot (a real one, or
    // not running).
    virtual bool raiseAlarm(const QString &imei, const QString &typeId)
    {
        Q_UNUSED(imei);
        Q_UNUSED(typeId);
        return false;
    }
};

} // namespace Fleet
