#include "consolemonitor.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace Fleet {

namespace {

QString compass(std::optional<double> course)
{
    if (!course)
        return QStringLiteral("--");
    static const char *names[] = {"N", "NE", "E", "SE", "S", "SW", "W", "NW"};
    return QLatin1String(names[int((*course + 22.5) / 45.0) % 8]);
}

QString ago(const QDateTime &t, const QDateTime &now)
{
    const qint64 s = t.secsTo(now);
    if (s < 120)
        return QStringLiteral("%1 s ago").arg(qMax<qint64>(0, s));
    if (s < 7200)
        return QStringLiteral("%1 min ago").arg(s / 60);
    if (s < 172800)
        return QStringLiteral("%1 h ago").arg(s / 3600);
    return QStringLiteral("%1 d ago").arg(s / 86400);
}

} // namespace

ConsoleMonitor::ConsoleMonitor(JimiApi *api, int intervalMs, int maxSweeps, FILE *out, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_intervalMs(intervalMs)
    , m_maxSweeps(maxSweeps)
    , m_out(out)
#ifdef Q_OS_UNIX
    , m_tty(::isatty(fileno(out)) == 1)
#else
    , m_tty(false)
#endif
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ConsoleMonitor::sweep);
}

void ConsoleMonitor::start()
{
    loadDevices();
}

void ConsoleMonitor::loadDevices()
{
    // Names, plates and drivers come from the device list; the sweep has positions only.
    m_api->deviceList({}, this, [this](const Result<ApiList<Device>> &r) {
        if (!r.ok()) {
            printError(r.error());
        } else {
            for (const Device &d : r.value().items)
                m_devices.insert(d.imei, d);
            std::fprintf(m_out, "%lld devices on the account; sweeping every %d s (Ctrl-C to stop)\n",
                         qlonglong(m_devices.size()), m_intervalMs / 1000);
            std::fflush(m_out);
        }
        sweep();
        m_timer.start();
    });
}

void ConsoleMonitor::sweep()
{
    if (m_busy)
        return; // a slow sweep is never overlapped by the next one
    m_busy = true;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_api->locationList({}, this, [this, timer](const Result<ApiList<DeviceLocation>> &r) {
        m_busy = false;
        if (r.ok())
            print(r.value(), timer->elapsed());
        else
            printError(r.error());
        afterSweep();
    });
}

void ConsoleMonitor::afterSweep()
{
    ++m_sweeps;
    if (m_maxSweeps > 0 && m_sweeps >= m_maxSweeps) {
        m_timer.stop();
        Q_EMIT finished();
    }
}

void ConsoleMonitor::printError(const ApiError &error)
{
    ++m_failed;
    std::fprintf(m_out, "%s  cloud unavailable: %s\n", qPrintable(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"))),
                 qPrintable(error.toString()));
    std::fflush(m_out);
}

void ConsoleMonitor::print(const ApiList<DeviceLocation> &fleet, qint64 elapsedMs)
{
    int moving = 0, idling = 0, parked = 0, offline = 0, expired = 0;
    QList<const DeviceLocation *> active;
    QDateTime newest;
    for (const DeviceLocation &l : fleet.items) {
        if (l.expired.value_or(false)) {
            ++expired;
            continue;
        }
        if (!l.online.value_or(true))
            ++offline;
        if (!l.fix)
            continue;
        newest = newest.isValid() ? qMax(newest, l.fix->gpsTime) : l.fix->gpsTime;
        if (l.fix->acc.value_or(false) && l.fix->speedKmh.value_or(0) > 3.0) {
            ++moving;
            active.append(&l);
        } else if (l.fix->acc.value_or(false)) {
            ++idling;
        } else if (l.online.value_or(true)) {
            ++parked;
        }
    }
    const int noFix = qMax(0, int(m_devices.size()) - int(fleet.items.size()));
    std::sort(active.begin(), active.end(), [](const DeviceLocation *a, const DeviceLocation *b) {
        return a->fix->speedKmh.value_or(0) > b->fix->speedKmh.value_or(0);
    });

    if (m_tty)
        std::fputs("\x1b[H\x1b[2J", m_out); // redraw in place
    const QDateTime now = newest.isValid() ? newest : QDateTime::currentDateTimeUtc();
    std::fprintf(m_out, "%s  sweep %d: %lld reporting — %d moving, %d idling, %d parked, %d offline, %d expired, %d without a fix  (%lld ms)\n",
                 qPrintable(now.toLocalTime().toString(QStringLiteral("HH:mm:ss"))), m_sweeps + 1,
                 qlonglong(fleet.items.size()), moving, idling, parked, offline, expired, noFix, elapsedMs);
    const int rows = int(qMin<qsizetype>(active.size(), 12));
    for (int i = 0; i < rows; ++i) {
        const DeviceLocation &l = *active.at(i);
        const Device d = m_devices.value(l.imei);
        const QString name = !d.name.isEmpty() ? d.name : (!l.name.isEmpty() ? l.name : l.imei);
        std::fprintf(m_out, "  %-14s %-11s %-16s %4.0f km/h %-2s  %9.5f, %10.5f  %s\n", qPrintable(name.left(14)),
                     qPrintable(d.plate.left(11)), qPrintable(d.driverName.left(16)), l.fix->speedKmh.value_or(0),
                     qPrintable(compass(l.fix->courseDeg)), l.fix->lat, l.fix->lng,
                     qPrintable(ago(l.fix->gpsTime, now)));
    }
    if (!fleet.skipped.isEmpty())
        std::fprintf(m_out, "  (%lld rows of the answer were unreadable and left out)\n", qlonglong(fleet.skipped.size()));
    std::fflush(m_out);
}

} // namespace Fleet
