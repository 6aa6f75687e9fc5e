#include "syncengine.h"

#include "util/clock.h"
#include "util/gather.h"
#include "util/logging.h"

#include <QPointer>
#include <QSet>

namespace Fleet {

namespace {

// Reports only include trips and stops that have ended, so each window
// reaches back over anything that may have been in progress last time.
constexpr int kReportOverlapSecs = 12 * 3600;
// track.list wants an end time in the past.
constexpr int kTrackEndMarginSecs = 5;

// What one task of a job came to.
struct TaskOutcome
{
    bool ok = true;
    qint64 rows = 0;
    QString error;
};
using TaskDone = std::function<void(const TaskOutcome &)>;

// A job's tasks, joined (gather()): done is called once, with the overall
// outcome: ok when all were, their rows, the first failed task's error.
QList<TaskDone> joinTasks(qsizetype count, std::function<void(bool ok, qint64 rows, const QString &error)> done)
{
    return gather<TaskOutcome>(count, [done = std::move(done)](const QList<TaskOutcome> &all) {
        bool ok = true;
        qint64 rows = 0;
        QString error;
        for (const TaskOutcome &t : all) {
            if (!t.ok && ok)
                error = t.error;
            ok = ok && t.ok;
            rows += t.rows;
        }
        done(ok, rows, error);
    });
}

} // namespace

SyncEngine::SyncEngine(JimiApi *api, SyncSink *sink, const SyncSchedule &schedule, const QString &target, Clock *clock,
                       QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_sink(sink)
    , m_schedule(schedule)
    , m_target(target)
    , m_clock(clock ? clock : Clock::system())
{
    const std::array<int, kJobCount> intervals = {schedule.deviceSyncSecs, schedule.fleetSweepSecs,
                                                  schedule.gpsTrailSecs,   schedule.tripsSecs,
                                                  schedule.parkingSecs,    schedule.alarmsSecs};
    for (int i = 0; i < kJobCount; ++i) {
        m_timers[size_t(i)].setInterval(intervals[size_t(i)] * 1000);
        connect(&m_timers[size_t(i)], &QTimer::timeout, this, [this, i] { run(Job(i)); });
    }
}

QString SyncEngine::jobName(Job job)
{
    switch (job) {
    case Job::DeviceSync: return QStringLiteral("device_sync");
    case Job::FleetSweep: return QStringLiteral("fleet_sweep");
    case Job::GpsTrail: return QStringLiteral("gps_trail");
    case Job::Trips: return QStringLiteral("trips");
    case Job::Parking: return QStringLiteral("parking");
    case Job::Alarms: return QStringLiteral("alarms");
    }
    return QString();
}

void SyncEngine::start()
{
    // Devices first, then the sweep; the rest follow as their timers fire,
    // and once right away so a fresh start back-fills without waiting.
    run(Job::DeviceSync, [this](bool) {
        run(Job::FleetSweep, [this](bool) {
            for (Job j : {Job::GpsTrail, Job::Trips, Job::Parking, Job::Alarms})
                run(j);
        });
    });
    for (QTimer &t : m_timers)
        t.start();
}

void SyncEngine::stop()
{
    for (QTimer &t : m_timers)
        t.stop();
}

void SyncEngine::runOnce()
{
    auto allOk = std::make_shared<bool>(true);
    const auto tasks = joinTasks(4, [this, allOk](bool ok, qint64, const QString &) {
        Q_EMIT onceFinished(*allOk && ok);
    });
    run(Job::DeviceSync, [this, allOk, tasks](bool devicesOk) {
        *allOk = *allOk && devicesOk;
        run(Job::FleetSweep, [this, allOk, tasks](bool sweepOk) {
            *allOk = *allOk && sweepOk;
            qsizetype next = 0;
            for (Job j : {Job::GpsTrail, Job::Trips, Job::Parking, Job::Alarms})
                run(j, [task = tasks[next++]](bool ok) { task({ok, 0, {}}); });
        });
    });
}

void SyncEngine::run(Job job, std::function<void(bool)> then)
{
    const size_t i = size_t(job);
    if (m_busy[i]) {
        // Never two passes of one job at once; a caller waiting for it is
        // told it did not run.
        if (then)
            then(false);
        return;
    }
    m_busy[i] = true;
    Q_EMIT jobStarted(job);
    QPointer<SyncEngine> self(this);
    Done done = [self, job, i, then](bool ok, qint64 rows, const QString &error) {
        if (!self)
            return;
        self->m_busy[i] = false;
        JobStats &s = self->m_stats[i];
        ++s.runs;
        s.rows += rows;
        if (ok) {
            s.lastSuccess = self->m_clock->nowUtc();
        } else {
            ++s.failures;
            s.lastError = error;
            qCWarning(lcSync).noquote() << jobName(job) << "failed:" << error;
        }
        Q_EMIT self->jobFinished(job, ok, ok ? QStringLiteral("%1 rows").arg(rows) : error);
        if (then)
            then(ok);
    };
    switch (job) {
    case Job::DeviceSync: deviceSync(done); break;
    case Job::FleetSweep: fleetSweep(done); break;
    case Job::GpsTrail: gpsTrail(done); break;
    case Job::Trips: trips(done); break;
    case Job::Parking: parking(done); break;
    case Job::Alarms: alarms(done); break;
    }
}

QDateTime SyncEngine::backfillStart(const QDateTime &now) const
{
    return now.addSecs(-qint64(m_schedule.backfillHours) * 3600);
}

QMap<QDateTime, QStringList> SyncEngine::windows(const QString &job, int overlapSecs, const QDateTime &now) const
{
    const QDateTime oldest = now.addDays(-m_schedule.maxBackfillDays);
    QMap<QDateTime, QStringList> groups;
    for (const QString &imei : m_imeis) {
        const std::optional<QDateTime> w = m_sink->watermark(job, imei);
        QDateTime from = w ? w->addSecs(-overlapSecs) : backfillStart(now);
        if (from < oldest)
            from = oldest; // a gap longer than this is not back-filled
        if (from >= now)
            continue;
        groups[from].append(imei);
    }
    return groups;
}

void SyncEngine::forgetDevices(const QStringList &imeis)
{
    ++m_forgetCount;
    for (const QString &imei : imeis) {
        m_imeis.removeAll(imei);
        m_forgotten.insert(imei);
    }
}

void SyncEngine::deviceSync(Done done)
{
    QPointer<SyncEngine> self(this);
    const int forgetCount = m_forgetCount;
    m_api->deviceList(m_target, this, [self, done, forgetCount](const Result<ApiList<Device>> &r) {
        if (!self)
            return;
        if (!r.ok()) {
            done(false, 0, r.error().toString());
            return;
        }
        QList<Device> devices = r.value().items;
        // A list asked for before a move may still name the devices moved;
        // one asked for after it is the cloud's word.
        if (forgetCount != self->m_forgetCount)
            devices.removeIf([self](const Device &d) { return self->m_forgotten.contains(d.imei); });
        else
            self->m_forgotten.clear();
        self->m_imeis.clear();
        for (const Device &d : devices)
            self->m_imeis.append(d.imei);
        // Details (ICCID, VIN, odometer) for devices not seen before.
        QList<int> todo;
        for (int k = 0; k < devices.size(); ++k)
            if (!self->m_detailed.contains(devices[k].imei))
                todo.append(k);
        auto list = std::make_shared<QList<Device>>(devices);
        auto groups = std::make_shared<QList<DeviceGroup>>();
        auto complete = std::make_shared<bool>(false);
        // The groups, then each detail.
        const auto tasks = joinTasks(todo.size() + 1,
                                     [self, list, groups, complete, done, forgetCount](bool ok, qint64,
                                                                                       const QString &error) {
                                         if (!self)
                                             return;
                                         SyncSink::Delivery d;
                                         d.devices = *list;
                                         // Not when moved devices were taken out of an older list.
                                         d.devicesComplete = forgetCount == self->m_forgetCount;
                                         d.groups = *groups;
                                         d.groupsComplete = *complete;
                                         self->m_sink->deliver(std::move(d));
                                         done(ok, list->size(), error);
                                     });
        // The account's groups, named, with or without devices. A cloud that
        // does not have the call leaves the names the device list gives.
        self->m_api->groupList(self->m_target, self,
                               [groups, complete, task = tasks[0]](const Result<ApiList<DeviceGroup>> &g) {
            if (g.ok()) {
                *groups = g.value().items;
                *complete = true;
            } else {
                qCWarning(lcSync).noquote() << "device groups not read:" << g.error().toString();
            }
            task({});
        });
        qsizetype next = 1;
        for (int k : todo) {
            const QString imei = devices[k].imei;
            self->m_api->deviceDetail(imei, self,
                                      [self, list, task = tasks[next++], k, imei](const Result<Device> &detail) {
                                          if (!detail.ok()) {
                                              task({false, 0, detail.error().toString()});
                                              return;
                                          }
                                          Device merged = detail.value();
                                          const Device &base = (*list)[k];
                                          // The list knows the group id and driver; the detail the rest.
                                          for (auto field : {&Device::groupId, &Device::groupName, &Device::driverName,
                                                             &Device::driverPhone, &Device::plate, &Device::vehicleName,
                                                             &Device::vehicleIcon, &Device::name, &Device::model}) {
                                              if ((merged.*field).isEmpty())
                                                  merged.*field = base.*field;
                                          }
                                          if (!merged.activationTime.isValid())
                                              merged.activationTime = base.activationTime;
                                          if (!merged.expiration.isValid())
                                              merged.expiration = base.expiration;
                                          if (!merged.enabled)
                                              merged.enabled = base.enabled;
                                          (*list)[k] = merged;
                                          if (self)
                                              self->m_detailed.insert(imei);
                                          task({});
                                      });
        }
    });
}

void SyncEngine::fleetSweep(Done done)
{
    QPointer<SyncEngine> self(this);
    m_api->locationList(m_target, this, [self, done](const Result<ApiList<DeviceLocation>> &r) {
        if (!self)
            return;
        if (!r.ok()) {
            done(false, 0, r.error().toString());
            return;
        }
        // Devices missing from the answer are simply not updated.
        for (const DeviceLocation &l : r.value().items) {
            if (l.fix)
                self->m_lastFix.insert(l.imei, l.fix->gpsTime);
        }
        SyncSink::Delivery d;
        d.sweep = r.value().items;
        const qsizetype rows = d.sweep.size();
        self->m_sink->deliver(std::move(d));
        done(true, rows, QString());
    });
}

void SyncEngine::gpsTrail(Done done)
{
    const QString job = jobName(Job::GpsTrail);
    const QDateTime now = m_clock->nowUtc();
    const QDateTime to = now.addSecs(-kTrackEndMarginSecs);
    const int overlap = qMax(0, m_schedule.gpsTrailLookbackSecs - m_schedule.gpsTrailSecs);
    const QDateTime oldest = now.addDays(-m_schedule.maxBackfillDays);
    // Only devices that reported since their watermark have a trail to fetch.
    QList<std::pair<QString, QDateTime>> work;
    for (const QString &imei : m_imeis) {
        const QDateTime lastFix = m_lastFix.value(imei);
        if (!lastFix.isValid())
            continue;
        const std::optional<QDateTime> w = m_sink->watermark(job, imei);
        if (w && lastFix <= *w)
            continue;
        QDateTime from = w ? w->addSecs(-overlap) : backfillStart(now);
        from = qMax(from, oldest);
        if (from < to)
            work.append({imei, from});
    }
    const auto tasks = joinTasks(work.size(), done);
    qsizetype next = 0;
    QPointer<SyncEngine> self(this);
    for (const auto &[imei, from] : work) {
        const QString device = imei;
        const QDateTime start = from;
        m_api->track(device, start, to, this,
                     [self, task = tasks[next++], job, device, start, to](const Result<ApiList<Position>> &r) {
                         if (!self)
                             return;
                         if (!r.ok()) {
                             task({false, 0, r.error().toString()});
                             return;
                         }
                         SyncSink::Delivery d;
                         d.positions = r.value().items;
                         d.positionSource = SyncSink::Source::TrackList;
                         d.watermarks.append({job, device, to});
                         d.coverage.append({device, TimeSpan{start, to}});
                         const qsizetype rows = d.positions.size();
                         self->m_sink->deliver(std::move(d));
                         task({true, rows, {}});
                     });
    }
}

template<typename T, typename Fetch, typename Fill>
void SyncEngine::reportJob(Job which, int overlapSecs, Done done, Fetch fetch, Fill fill)
{
    reportJob<T>(which, overlapSecs, done, fetch, fill,
                 [](const T &, const QString &, const QDateTime &now) { return now; });
}

template<typename T, typename Fetch, typename Fill, typename Reached>
void SyncEngine::reportJob(Job which, int overlapSecs, Done done, Fetch fetch, Fill fill, Reached reached)
{
    // Reports are fetched per group of devices that are equally far behind;
    // each group's answer moves those devices' watermarks to "now".
    const QString job = jobName(which);
    const QDateTime now = m_clock->nowUtc();
    const auto groups = windows(job, overlapSecs, now);
    const auto tasks = joinTasks(groups.size(), done);
    qsizetype next = 0;
    QPointer<SyncEngine> self(this);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        const QStringList imeis = it.value();
        fetch(imeis, it.key(), now, [self, task = tasks[next++], job, imeis, now, fill, reached](const Result<T> &r) {
            if (!self)
                return;
            if (!r.ok()) {
                task({false, 0, r.error().toString()});
                return;
            }
            SyncSink::Delivery d;
            const qsizetype rows = fill(d, r.value());
            for (const QString &imei : imeis)
                d.watermarks.append({job, imei, reached(r.value(), imei, now)});
            self->m_sink->deliver(std::move(d));
            task({true, rows, {}});
        });
    }
}

void SyncEngine::trips(Done done)
{
    reportJob<MileageReport>(
        Job::Trips, kReportOverlapSecs, done,
        [this](const QStringList &imeis, const QDateTime &from, const QDateTime &to, auto cb) {
            m_api->mileage(imeis, from, to, this, cb);
        },
        [](SyncSink::Delivery &d, const MileageReport &r) {
            d.trips = r.trips.items;
            d.mileageTotals = r.totals;
            return d.trips.size();
        });
}

void SyncEngine::parking(Done done)
{
    reportJob<ApiList<StopPeriod>>(
        Job::Parking, kReportOverlapSecs, done,
        [this](const QStringList &imeis, const QDateTime &from, const QDateTime &to, auto cb) {
            m_api->parking(m_target, imeis, from, to, ParkingFilter::AllStops, this, cb);
        },
        [](SyncSink::Delivery &d, const ApiList<StopPeriod> &r) {
            d.stops = r.items;
            return d.stops.size();
        });
}

void SyncEngine::alarms(Done done)
{
    // The look-back, like the GPS trail's, counts from now: each pass
    // re-asks for [now - look-back, now].
    const int overlap = qMax(0, m_schedule.alarmsLookbackSecs - m_schedule.alarmsSecs);
    reportJob<ApiList<Alarm>>(
        Job::Alarms, overlap, done,
        [this](const QStringList &imeis, const QDateTime &from, const QDateTime &to, auto cb) {
            m_api->alarms(imeis, from, to, this, cb);
        },
        [](SyncSink::Delivery &d, const ApiList<Alarm> &r) {
            d.alarms = r.items;
            for (const IncompleteWindow &w : r.incomplete)
                qCWarning(lcSync).noquote()
                    << "alarms of" << w.imeis.join(QLatin1Char(',')) << "from" << w.begin.toString(Qt::ISODate) << "to"
                    << w.end.toString(Qt::ISODate)
                    << QStringLiteral("are incomplete (%1); asked for again on the next pass").arg(w.reason);
            return d.alarms.size();
        },
        [](const ApiList<Alarm> &r, const QString &imei, const QDateTime &now) {
            return alarmWatermark(r.incomplete, imei, now);
        });
}

QDateTime SyncEngine::alarmWatermark(const QList<IncompleteWindow> &incomplete, const QString &imei,
                                     const QDateTime &now)
{
    QDateTime reached = now;
    for (const IncompleteWindow &w : incomplete) {
        if (w.imeis.contains(imei))
            reached = qMin(reached, w.begin.addSecs(-1));
    }
    return reached;
}

} // namespace Fleet
