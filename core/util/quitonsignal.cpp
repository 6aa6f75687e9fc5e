#include "quitonsignal.h"

#include <QCoreApplication>
#include <QTimer>

#include <csignal>

#ifdef Q_OS_UNIX
#include <QSocketNotifier>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace Fleet {

namespace {

#ifdef Q_OS_UNIX
// Self-pipe: the signal handler only writes a byte; the event loop reads it.
int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFds[0], &byte, 1);
}

void installHandlers(QCoreApplication *app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [notifier] {
        notifier->setEnabled(false);
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(g_signalFds[1], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}
#else
// Elsewhere a flag polled by a timer: the handler does nothing unsafe.
volatile std::sig_atomic_t g_stop = 0;

void onSignal(int)
{
    g_stop = 1;
}

void installHandlers(QCoreApplication *app)
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    auto *timer = new QTimer(app);
    QObject::connect(timer, &QTimer::timeout, app, [] {
        if (g_stop)
            QCoreApplication::quit();
    });
    timer->start(100);
}
#endif

} // namespace

void quitOnTerminationSignals(QCoreApplication *app)
{
    installHandlers(app);
}

} // namespace Fleet
