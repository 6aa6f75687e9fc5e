#pragma once

#include "util/utc.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <memory>
#include <optional>

namespace Fleet::Sim {

// SimFleet with its configuration and the plain value types it answers with
// (device, fix, trip, stop, alarm): grouped in one header because none of
// them is used without SimFleet.

struct SimFleetConfig
{
    int vehicles = 50;
    quint64 seed = 1;
    // Centre of the operating area (WGS-84) and the fleet's local time offset,
    // which drives the working day (shifts, overnight parking).
    double centreLat = 48.8566;
    double centreLng = 2.3522;
    int utcOffsetSecs = 3600;
    // First day the fleet exists; history is available from here on.
    QDateTime epoch = Utc::dateTime(QDate(2026, 1, 1), QTime(0, 0));
    // Share of devices that are expired (expireFlag 0, lat/lng 0) and that are
    // offline for days (status 0, stale fix); some offline ones never had a fix.
    double expiredShare = 0.03;
    double offlineShare = 0.05;
    QString account = QStringLiteral("demo");
};

// Static facts about one simulated device (what device.list / detail report).
struct SimDevice
{
    int index = 0;
    QString imei; // 15 digits, unique, deterministic
    QString name; // deviceName
    QString model; // mcType, e.g. "GT06N", "JC400", "VL802"
    QString sim;
    QString iccid;
    QString imsi;
    QString vin;
    QString vehicleName;
    QString plate;
    QString vehicleIcon; // "car", "truck", "bus", "van"
    QString driverName;
    QString driverPhone;
    QString groupId;
    QString groupName;
    QDateTime activationTime;
    QDateTime expiration;
    bool expired = false;
    bool offline = false; // stopped reporting at offlineSince
    QDateTime offlineSince; // valid when offline
    bool neverFixed = false; // offline device that never had a GPS fix
    bool dashcam = false; // DVR model with camera channels
    int cameraChannels = 0;
    double initialOdometerKm = 0.0;
};

// One fix as the device reported it.
struct SimFix
{
    QDateTime gpsTime; // UTC, whole seconds
    double lat = 0.0;
    double lng = 0.0;
    double speedKmh = 0.0;
    int course = 0; // 0..359
    bool acc = false;
    int satellites = 0;
    int altitudeM = 0;
    double odometerKm = 0.0; // device odometer at this fix
};

// A trip: ignition on and moving, from leaving one planned stop to arriving at
// the next. Planned stops (SimStop: parking, or idling with the engine on at a
// job site, both >= 60 s) end trips; traffic-light stops (10-90 s) stay inside
// them as idleSeconds. So trips and stops alternate without gaps: each trip
// starts where and when a stop ends and ends where and when the next begins.
struct SimTrip
{
    QDateTime start;
    QDateTime end;
    double distanceKm = 0.0; // exactly what the odometer advances by
    double maxSpeedKmh = 0.0; // of the speed profile (no fix reports more)
    double avgSpeedKmh = 0.0; // distanceKm / (runSeconds / 3600)
    int runSeconds = 0; // seconds spent moving
    int idleSeconds = 0; // stopped inside the trip; run + idle = end - start
    double startLat = 0, startLng = 0, endLat = 0, endLng = 0;
};

// A stationary period: parking (ignition off) or idling (ignition on, >= 60 s).
// The night at home is one parking stop from the evening's arrival to the next
// working day's departure (over weekends too); the first one starts at the
// epoch and the last one ends when the device goes offline or expires.
struct SimStop
{
    QDateTime start;
    QDateTime end;
    bool accOn = false;
    double lat = 0, lng = 0;
    QString address; // synthetic, e.g. "12 Ring Road 2, Sector 4"
};

struct SimAlarm
{
    QDateTime time;
    // Official appendix code as text: "1" SOS, "2" power cut, "3" vibration
    // (parked), "4"/"5" enter/exit the depot geofence, "6" overspeed (limit +
    // 10 km/h for 10 s), "41"/"48" sudden acceleration/deceleration.
    QString typeId;
    QString typeName; // official English name (Fleet::alarmTypeText)
    double lat = 0, lng = 0;
    double speedKmh = 0;
    QString fenceId; // geofence alarms only
    // Dashcams (JT/T 808 devices) number their alarm messages: the serial
    // number Appendix A's "acknowledge alarm" (proNo 33283) takes back.
    std::optional<int> serialNo;
    // Dashcams film every alarm: the clip's file name, as the push's "file"
    // and jimi.device.media.event.URL name it (simEventFileKey).
    QString mediaFile;
};

// The name of the photo or clip a dashcam took for an alarm:
// IMEI_EVENT_yyyy_MM_dd_HH_mm_ss_TYPE_1.jpg / .mp4 (channel 1, UTC).
QString simEventFileKey(const QString &imei, const QDateTime &alarmTime, const QString &typeId, bool video);

// The simulated fleet: a deterministic function of (config, time). Every
// query about the past gives the same answer for the same seed, so the
// simulator can serve history and state its ground truth.
//
// Vehicles drive a synthetic city around the centre (radial avenues, ring
// roads). Each has a home (a depot, with a geofence, or the driver's street),
// a shift (leaving 06:00-09:30 local, 7-11 h, some also at weekends) and a
// driving style. A working day is a round of job sites from home and back;
// the odometer is the initial reading plus every metre driven since the epoch.
// Offline and expired devices report nothing from their cut-off on and are
// parked at home when it comes; so does every device at the horizon. Days are generated lazily and cached (bounded),
// so the object is not thread-safe, though every method is const.
class RoadNetwork;

class SimFleet
{
public:
    // The fleet's history ends this many days after the epoch's (local)
    // day, at local midnight: from then on every device is silent (offline,
    // no fixes, trips or alarms). It bounds what a query can make the fleet
    // compute, whatever time it asks about.
    static constexpr int kHorizonDays = 3 * 365 + 1;

    explicit SimFleet(const SimFleetConfig &config);
    ~SimFleet();
    SimFleet(const SimFleet &) = delete;
    SimFleet &operator=(const SimFleet &) = delete;

    const SimFleetConfig &config() const;
    const RoadNetwork &roads() const;
    QDateTime horizon() const;
    int size() const;
    const SimDevice &device(int index) const;
    int indexOf(const QString &imei) const; // -1 if unknown

    // Latest fix reported at or before t; nullopt if none (never fixed, or t before epoch).
    std::optional<SimFix> lastFix(int index, const QDateTime &t) const;
    // Every fix reported in [from, to], oldest first. Moving: every 10-30 s;
    // parked: one fix when parking starts.
    // (Exactly: from the moment the ignition comes on, every fix interval of
    // the device (10, 15, 20 or 30 s), idling included; one fix with acc off
    // when it goes off; and one at the epoch, when the device was installed.)
    QList<SimFix> fixes(int index, const QDateTime &from, const QDateTime &to) const;
    // Latest heartbeat at or before t (every 3 min while online); invalid if none.
    QDateTime lastHeartbeat(int index, const QDateTime &t) const;
    bool isOnline(int index, const QDateTime &t) const;

    // Trips / stops / alarms overlapping [from, to] (trips: starting in it), oldest first.
    QList<SimTrip> trips(int index, const QDateTime &from, const QDateTime &to) const;
    QList<SimStop> stops(int index, const QDateTime &from, const QDateTime &to) const;
    QList<SimAlarm> alarms(int index, const QDateTime &from, const QDateTime &to) const;
    // Whether the device raised an alarm with this serial number within
    // (at - window, at]: what its acknowledgement may name.
    bool hasAlarmSerial(int index, int serialNo, const QDateTime &at, int windowSecs) const;

    // Raises an alarm of the type on the vehicle at a time (whole seconds),
    // where its last fix puts it: for training ("raise an SOS now") and
    // tests. It is part of the fleet from then on, served and pushed like
    // any other. Thread-safe against the queries. False: unknown vehicle or
    // no fix yet.
    bool raiseAlarm(int index, const QString &typeId, const QDateTime &at);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Fleet::Sim
