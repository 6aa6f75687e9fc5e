#pragma once

#include "ingestconfig.h"
#include "syncsink.h"

#include "api/jimiapi.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <array>

namespace Fleet {

class Clock;

// Runs the polling jobs of the reference on their schedules and hands what
// they fetch to a SyncSink. Each job keeps a watermark per device, so after
// downtime it back-fills the gap (oldest first, bounded) instead of losing
// it, and on first start it fetches a configurable window. Jobs run
// independently: a slow GPS-trail pass never delays the fleet sweep.
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    enum class Job { DeviceSync, FleetSweep, GpsTrail, Trips, Parking, Alarms };
    static constexpr int kJobCount = 6;

    struct JobStats
    {
        int runs = 0;
        int failures = 0;
        qint64 rows = 0;
        QDateTime lastSuccess;
        QString lastError;
    };

    SyncEngine(JimiApi *api, SyncSink *sink, const SyncSchedule &schedule, const QString &target,
               Clock *clock = nullptr, QObject *parent = nullptr);

    // Runs every job now and then on its schedule until stop().
    void start();
    void stop();
    // Every job once, in dependency order; emits onceFinished(allSucceeded).
    void runOnce();
    // One job now (a "refresh" button); ignored while that job is running.
    void runNow(Job job) { run(job); }

    bool isRunning(Job job) const { return m_busy[size_t(job)]; }
    const JobStats &stats(Job job) const { return m_stats[size_t(job)]; }
    static QString jobName(Job job);
    // How far a device's alarm watermark may move after a pass up to now:
    // to just before the first window of its that the cloud could not
    // serve whole, so that the next pass asks for it again.
    static QDateTime alarmWatermark(const QList<IncompleteWindow> &incomplete, const QString &imei,
                                    const QDateTime &now);
    QStringList knownImeis() const { return m_imeis; }
    // Devices moved to another account: no longer polled, and a device list
    // asked for before the move does not bring them back.
    void forgetDevices(const QStringList &imeis);

Q_SIGNALS:
    void jobStarted(Fleet::SyncEngine::Job job);
    void jobFinished(Fleet::SyncEngine::Job job, bool ok, const QString &detail);
    void onceFinished(bool allSucceeded);

private:
    using Done = std::function<void(bool ok, qint64 rows, const QString &error)>;

    void run(Job job, std::function<void(bool)> then = {});
    void deviceSync(Done done);
    void fleetSweep(Done done);
    void gpsTrail(Done done);
    void trips(Done done);
    void parking(Done done);
    void alarms(Done done);
    template<typename T, typename Fetch, typename Fill>
    void reportJob(Job which, int overlapSecs, Done done, Fetch fetch, Fill fill);
    // reached(answer, imei, now): how far that device's watermark may move.
    template<typename T, typename Fetch, typename Fill, typename Reached>
    void reportJob(Job which, int overlapSecs, Done done, Fetch fetch, Fill fill, Reached reached);

    // Groups devices by where their window starts, so one batched call
    // serves every device that is equally far behind.
    QMap<QDateTime, QStringList> windows(const QString &job, int overlapSecs, const QDateTime &now) const;
    QDateTime backfillStart(const QDateTime &now) const;

    JimiApi *m_api;
    SyncSink *m_sink;
    SyncSchedule m_schedule;
    QString m_target;
    Clock *m_clock;
    std::array<QTimer, kJobCount> m_timers;
    std::array<bool, kJobCount> m_busy{};
    std::array<JobStats, kJobCount> m_stats;
    QStringList m_imeis;
    QHash<QString, QDateTime> m_lastFix; // from the latest sweep
    QSet<QString> m_detailed; // devices whose detail was fetched
    QSet<QString> m_forgotten; // moved away since the device list last asked
    int m_forgetCount = 0;
};

} // namespace Fleet
