#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>

// fleetdesk-ingest as a user runs it, in push-only mode, for the crash test
// and the load benchmark: a config in `dir`, the process started and waited
// for until its webhook listens.
class IngestProcess
{
public:
    IngestProcess(const QString &executable, const QString &dir, quint16 port, const QByteArray &token);
    ~IngestProcess();

    // Starts it and waits until it accepts connections; false on failure
    // (its stderr is in output()).
    bool start(int timeoutMs = 20000);
    // SIGTERM and wait: the exit code, or -1 when it did not exit in time.
    int terminate(int timeoutMs = 30000);
    // SIGKILL: no chance to flush anything.
    void kill();
    QString output() const { return m_output; }
    QString databasePath() const { return m_database; }
    quint16 port() const { return m_port; }

    // A free TCP port on 127.0.0.1 (bound and released).
    static quint16 freePort();

private:
    QString m_executable;
    QString m_config;
    QString m_database;
    quint16 m_port;
    QProcess m_process;
    QString m_output;
};
