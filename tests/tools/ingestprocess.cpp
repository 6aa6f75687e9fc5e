#include "ingestprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

IngestProcess::IngestProcess(const QString &executable, const QString &dir, quint16 port, const QByteArray &token)
    : m_executable(executable)
    , m_config(QDir(dir).filePath(QStringLiteral("ingest.ini")))
    , m_database(QDir(dir).filePath(QStringLiteral("fleet.db")))
    , m_port(port)
{
    QFile f(m_config);
    if (f.open(QIODevice::WriteOnly)) {
        f.write("[store]\ndatabase = fleet.db\n[webhook]\nlisten = 127.0.0.1:" + QByteArray::number(port)
                + "\ntoken = " + token + "\n");
    }
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                     [this] { m_output += QString::fromUtf8(m_process.readAllStandardError()); });
}

IngestProcess::~IngestProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool IngestProcess::start(int timeoutMs)
{
    m_process.start(m_executable, {QStringLiteral("--config"), m_config});
    if (!m_process.waitForStarted(5000))
        return false;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (m_process.state() == QProcess::NotRunning)
            return false;
        QTcpSocket probe;
        probe.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        if (probe.waitForConnected(200))
            return true;
        m_process.waitForReadyRead(50);
    }
    return false;
}

int IngestProcess::terminate(int timeoutMs)
{
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    m_output += QString::fromUtf8(m_process.readAllStandardError());
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void IngestProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
    m_output += QString::fromUtf8(m_process.readAllStandardError());
}

quint16 IngestProcess::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}
