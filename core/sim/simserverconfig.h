#pragma once

#include "sim/simfleet.h"
#include "net/httpmessage.h"

#include <QDateTime>
#include <QString>

namespace Fleet::Sim {

// Faults the simulated cloud injects into its answers. Every decision comes
// from one seeded generator, so a test run is reproducible.
struct SimFaultConfig
{
    int latencyMs = 0; // every answer is sent this much later …
    int latencyJitterMs = 0; // … plus a uniform extra in [0, jitter]
                             // (answers on one connection still leave in order)
    double dropRate = 0.0; // 0..1: close the connection without answering
    bool dropAfterProcessing = false; // drop after the request took effect (lost answer)
    double errorRate = 0.0; // 0..1: answer errorCode instead (not token methods)
    int errorCode = -1;
    QString errorMessage; // empty: the usual message for errorCode
    quint64 seed = 1;
};

// Everything the simulated cloud needs. Times:
//  * Request timestamps, token expiry and the token.get interval use the REAL
//    clock (the injected Fleet::Clock), as the client signs with real time.
//  * The fleet lives in FLEET time:
//        fleetNow = fleetStart + (clock.now - realStart) * speedup
//    and every time range in a request (begin_time, end_time, ...) and every
//    time in an answer is fleet time. With speedup 1 and the default
//    fleetStart (= real start time) the two coincide. A client that wants to
//    live in fleet time too (the demo session) builds the same ScaledClock
//    from realStart, fleetStart and speedup.
struct SimServerConfig
{
    // Demo credentials: obviously not real ones.
    QString appKey = QStringLiteral("FLEETDESK-DEMO-KEY");
    QString appSecret = QStringLiteral("d3m0f1ee7de5c0ffee5ec7e7a11d3m05");
    QString userId = QStringLiteral("demo"); // the account
    QString password = QStringLiteral("demo1234"); // plain; the server keeps only its MD5

    int vehicles = 50;
    quint64 seed = 1;
    double speedup = 1.0;
    QDateTime fleetStart; // fleet time at realStart; invalid = the clock's now
    QDateTime realStart; // the clock's time when the fleet is at fleetStart; invalid = when the server is made
    QDateTime fleetEpoch; // first day of history; invalid = start of day(fleetStart) - 60 days
    // Remaining fleet knobs (area, shares of expired/offline devices). Its
    // vehicles, seed, epoch and account are overridden by the fields above.
    SimFleetConfig fleet;

    int tokenGetIntervalSecs = 60; // a faster token.get for the same user answers 1006
    // true: the interval starts at every token.get the cloud answers, refused
    // ones included (a wrong password, a 1006), and is checked before the
    // password. A client that counts from when it sent, or retries exactly
    // on the minute, is locked out for good.
    bool strictTokenLimit = false;
    // The lifetime the cloud grants, whatever expires_in asks for (the
    // official sample grants 60 s); 0: what was asked, within 60..7200.
    int tokenLifetimeSecs = 0;
    // false: a new token leaves the user's other tokens valid until they
    // expire (several workstations share one account). true: token.get
    // revokes them, the stricter behaviour, for testing a client's recovery.
    bool revokeTokensOnIssue = false;
    int timestampToleranceSecs = 600;
    int historyListDelayMs = 2000; // media.history.list.get answers 1207 until then
    bool instructionGateway = true; // serve POST /api/device/sendInstruct
    // jimi.open.instruction.result lists a command only this long (fleet
    // seconds) after it was sent: the cloud's lag.
    int commandResultLagSecs = 60;
    // A live stream starts with the picture group up to now, at once (a
    // media server's GOP cache); without it, at the next keyframe, in real
    // time, as a server that only relays the device does.
    bool videoGopCache = true;
    // jimi.device.alarm.list answers page 1 whatever page_no asks for: the
    // reference's parameter table has no page_no, so a cloud may not page.
    bool ignorePageNo = false;
    // An alarm reaches the cloud this long after it was raised (a device out
    // of coverage uploads it later): alarm.list serves it only from then on.
    int alarmDelaySecs = 0;

    SimFaultConfig faults;
    Http::Limits http;
};

} // namespace Fleet::Sim
