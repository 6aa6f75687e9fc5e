#pragma once

#include "api/jimiapi.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <cstdio>

namespace Fleet {

// Shows the fleet's live state in a terminal: one fleet sweep
// (jimi.user.device.location.list) per interval, a summary line and the
// most recently moving vehicles. Stands in for the map window until the
// desktop UI exists.
class ConsoleMonitor : public QObject
{
    Q_OBJECT
public:
    ConsoleMonitor(JimiApi *api, int intervalMs, int maxSweeps, FILE *out, QObject *parent = nullptr);

    void start();
    int failedSweeps() const { return m_failed; }

Q_SIGNALS:
    void finished();

private:
    void loadDevices();
    void sweep();
    void print(const ApiList<DeviceLocation> &fleet, qint64 elapsedMs);
    void printError(const ApiError &error);
    void afterSweep();

    JimiApi *m_api;
    QTimer m_timer;
    int m_intervalMs;
    int m_maxSweeps;
    int m_sweeps = 0;
    int m_failed = 0;
    bool m_busy = false;
    FILE *m_out;
    bool m_tty;
    QHash<QString, Device> m_devices;
};

} // namespace Fleet
