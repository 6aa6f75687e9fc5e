#include "quitonsignal.h"

#include <QCoreApplication>

#include <csignal>

#ifdef Q_OS_UNIX
#include <QPointer>
#include <QSocketNotifier>
#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#else
#include <QPointer>
#include <QTimer>
#endif

namespace Fleet {

namespace {

std::function<void()> &terminationHandler()
{
    static std::function<void()> handler;
    return handler;
}

void terminate()
{
    if (terminationHandler())
        terminationHandler()();
    else
        QCoreApplication::quit();
}

#ifdef Q_OS_UNIX
// Self-pipe: the signal handler only writes a byte; the event loop reads it.
// Both ends are non-blocking, so a flood of signals can never block the
// handler (a full pipe already holds a pending quit), and close-on-exec.
int g_signalFds[2] = {-1, -1};
QPointer<QSocketNotifier> g_notifier;

void onSignal(int)
{
    // write() may change errno, which belongs to the code the signal interrupted.
    const int savedErrno = errno;
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFds[0], &byte, 1);
    errno = savedErrno;
}

bool setNonBlockingCloseOnExec(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    const int fdFlags = ::fcntl(fd, F_GETFD);
    return flags >= 0 && fdFlags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0
        && ::fcntl(fd, F_SETFD, fdFlags | FD_CLOEXEC) == 0;
}

bool openSocketPair()
{
#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, g_signalFds) == 0)
        return true;
#endif
    // Systems without the socket flags (macOS): the same, in two steps.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return false;
    if (setNonBlockingCloseOnExec(g_signalFds[0]) && setNonBlockingCloseOnExec(g_signalFds[1]))
        return true;
    ::close(g_signalFds[0]);
    ::close(g_signalFds[1]);
    g_signalFds[0] = g_signalFds[1] = -1;
    return false;
}

void installHandlers(QCoreApplication *app)
{
    // Idempotent: the pair and the handlers are set up once per process; a
    // notifier exists once per application object.
    if (g_notifier)
        return;
    if (g_signalFds[0] < 0) {
        if (!openSocketPair())
            return;
        struct sigaction sa = {};
        sa.sa_handler = onSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        sigaction(SIGINT, &sa, nullptr);
        sigaction(SIGTERM, &sa, nullptr);
    }
    g_notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, app);
    QObject::connect(g_notifier, &QSocketNotifier::activated, app, [] {
        // Drain every byte (the notifier stays enabled); quitting twice is harmless.
        char buffer[64];
        while (::read(g_signalFds[1], buffer, sizeof buffer) > 0) { }
        terminate();
    });
}
#else
// Elsewhere a flag polled by a timer: the handler does nothing unsafe.
volatile std::sig_atomic_t g_stop = 0;
QPointer<QTimer> g_timer;

void onSignal(int)
{
    g_stop = 1;
}

void installHandlers(QCoreApplication *app)
{
    if (g_timer)
        return;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    g_timer = new QTimer(app);
    QObject::connect(g_timer, &QTimer::timeout, app, [] {
        if (g_stop) {
            g_stop = 0;
            terminate();
        }
    });
    g_timer->start(100);
}
#endif

} // namespace

void quitOnTerminationSignals(QCoreApplication *app)
{
    installHandlers(app);
}

void setTerminationHandler(std::function<void()> handler)
{
    terminationHandler() = std::move(handler);
}

} // namespace Fleet
