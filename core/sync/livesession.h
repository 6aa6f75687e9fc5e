#pragma once

#include "sessionworker.h"

#include "util/clock.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace Fleet {

// The desktop's ingest side, off the GUI thread: owns a thread on which a
// SessionWorker runs the sync engine, the webhook receiver, the store writer
// (and in demo mode the simulated cloud). Its signals arrive on the thread
// that owns the LiveSession, queued.
class LiveSession : public QObject
{
    Q_OBJECT

public:
    // A demo's fleet start is settled here (see SessionSettings::demoFleetStart).
    explicit LiveSession(const SessionSettings &settings, QObject *parent = nullptr);
    ~LiveSession() override; // stop()

    void start();
    // Stops the worker (which commits what is queued) and joins its thread.
    void stop();
    bool isRunning() const { return m_thread.isRunning(); }
    const SessionSettings &settings() const { return m_settings; }
    // The session's time, for the views' "… ago" texts: the simulated
    // fleet's in a demo, else the system's. Thread-safe.
    Clock *clock() const { return m_clock ? m_clock.get() : Clock::system(); }

Q_SIGNALS:
    void started(int vehicleCount);
    void failed(const QString &message);
    void vehiclesLoaded(const QList<Fleet::VehicleSnapshot> &all);
    void vehiclesChanged(const QList<Fleet::VehicleSnapshot> &changed);
    void statusChanged(const Fleet::SessionStatus &status);

private:
    SessionSettings m_settings;
    std::unique_ptr<ScaledClock> m_clock; // demo only
    QThread m_thread;
    SessionWorker *m_worker = nullptr;
};

} // namespace Fleet
