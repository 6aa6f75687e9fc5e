#include "pushload.h"

#include "util/percentile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <memory>

namespace PushLoad {

namespace {

constexpr qint64 kBaseTime = 1'700'000'000;

struct Connection
{
    std::unique_ptr<QTcpSocket> socket;
    int request = -1; // in flight, -1 when idle
    qint64 dueUs = 0;
    QByteArray in;
    bool broken = false;
};

// The status and the total length of the first complete answer in `in`, or
// status 0 when it is not complete yet.
std::pair<int, qsizetype> parseAnswer(const QByteArray &in)
{
    const qsizetype headEnd = in.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return {0, 0};
    const int status = in.mid(9, 3).toInt();
    qsizetype length = 0;
    const QList<QByteArray> lines = in.left(headEnd).split('\n');
    for (const QByteArray &line : lines) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    const qsizetype total = headEnd + 4 + length;
    if (in.size() < total)
        return {0, 0};
    return {status, total};
}

} // namespace

qint64 Result::percentileUs(double p) const
{
    return Fleet::percentile(std::vector<qint64>(latenciesUs.cbegin(), latenciesUs.cend()), p);
}

Result run(const Options &options)
{
    Result result;
    QEventLoop loop;
    QElapsedTimer clock;
    std::vector<Connection> connections(std::size_t(std::max(1, options.connections)));
    int next = 0; // next request to send
    bool over = false; // the run is over: closing sockets is no error
    qint64 firstDueUs = -1;
    qint64 lastAnswerUs = 0;
    const QByteArray host = options.host.toUtf8();
    const QByteArray path = options.path.toUtf8();

    const auto dueUs = [&options](int request) -> qint64 {
        return options.ratePerSec > 0 ? qint64(double(request) * 1e6 / options.ratePerSec) : 0;
    };
    const auto finished = [&] {
        if (next < options.requests)
            return false;
        return std::all_of(connections.begin(), connections.end(), [](const Connection &c) { return c.request < 0; });
    };
    std::function<void()> pump;
    const auto send = [&](Connection &c) {
        const qint64 now = clock.nsecsElapsed() / 1000;
        const qint64 due = dueUs(next);
        if (next >= options.requests || due > now || c.broken || c.request >= 0)
            return;
        const QByteArray body = options.body(next);
        QByteArray request;
        request.reserve(body.size() + 200);
        request += "POST " + path + " HTTP/1.1\r\nHost: " + host
            + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        c.request = next++;
        c.dueUs = options.ratePerSec > 0 ? due : now;
        if (firstDueUs < 0)
            firstDueUs = c.dueUs;
        c.socket->write(request);
        ++result.sent;
    };
    pump = [&] {
        for (Connection &c : connections)
            send(c);
        if (finished())
            loop.quit();
    };

    for (Connection &c : connections) {
        c.socket = std::make_unique<QTcpSocket>();
        c.socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        Connection *cp = &c;
        QObject::connect(c.socket.get(), &QTcpSocket::readyRead, &loop, [&, cp] {
            cp->in += cp->socket->readAll();
            for (;;) {
                const auto [status, length] = parseAnswer(cp->in);
                if (status == 0 || cp->request < 0)
                    break;
                cp->in.remove(0, length);
                const qint64 now = clock.nsecsElapsed() / 1000;
                result.latenciesUs.append(now - cp->dueUs);
                lastAnswerUs = now;
                ++result.answered;
                result.ok += status == 200 ? 1 : 0;
                if (options.onAnswer)
                    options.onAnswer(cp->request, status);
                cp->request = -1;
                send(*cp);
            }
            if (finished())
                loop.quit();
        });
        QObject::connect(c.socket.get(), &QTcpSocket::disconnected, &loop, [&, cp] {
            if (cp->broken || over)
                return;
            cp->broken = true;
            ++result.connectionErrors;
            cp->request = -1; // its answer is lost
            const bool allBroken = std::all_of(connections.begin(), connections.end(),
                                               [](const Connection &x) { return x.broken; });
            if (allBroken || finished())
                loop.quit();
        });
        QObject::connect(c.socket.get(), &QTcpSocket::errorOccurred, &loop,
                         [&, cp](QAbstractSocket::SocketError) { Q_EMIT cp->socket->disconnected(); });
        c.socket->connectToHost(options.host, options.port);
        if (!c.socket->waitForConnected(5000)) {
            c.broken = true;
            ++result.connectionErrors;
        }
    }

    // The pacing timer: requests become due at the configured rate.
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(options.ratePerSec > 0 ? 1 : 0);
    QObject::connect(&ticker, &QTimer::timeout, &loop, pump);
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    const qint64 runUs = dueUs(options.requests);
    deadline.start(int(runUs / 1000) + options.timeoutMs);

    clock.start();
    if (options.ratePerSec > 0)
        ticker.start();
    pump();
    if (!finished())
        loop.exec();
    ticker.stop();
    over = true;
    result.seconds = double(lastAnswerUs - std::max<qint64>(0, firstDueUs)) / 1e6;
    return result;
}

QString gpsImei(int request, int item, int items, int devices)
{
    const qint64 k = qint64(request) * items + item;
    return QString::number(860000000000000LL + k % devices);
}

qint64 gpsTime(int request, int item, int items, int devices)
{
    const qint64 k = qint64(request) * items + item;
    return kBaseTime + k / devices;
}

QByteArray gpsBody(const QByteArray &token, int request, int items, int devices)
{
    QByteArray list;
    list.reserve(items * 260);
    list += '[';
    for (int i = 0; i < items; ++i) {
        if (i > 0)
            list += ',';
        const qint64 t = gpsTime(request, i, items, devices);
        const QByteArray time =
            QDateTime::fromSecsSinceEpoch(t, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")).toLatin1();
        const double lat = 48.80 + double((request * 7 + i * 13) % 2000) / 10000.0;
        const double lng = 2.30 + double((request * 11 + i * 17) % 2000) / 10000.0;
        list += "{\"deviceImei\":\"" + gpsImei(request, i, items, devices).toLatin1() + "\",\"gpsTime\":\"" + time
            + "\",\"gateTime\":\"" + time + "\",\"satelliteNum\":9,\"lng\":" + QByteArray::number(lng, 'f', 6)
            + ",\"lat\":" + QByteArray::number(lat, 'f', 6)
            + ",\"gpsMode\":0,\"gpsSpeed\":42,\"direction\":90,\"acc\":1,\"postType\":1,\"altitude\":35,"
              "\"distance\":1200,\"status\":262147}";
    }
    list += ']';
    return "token=" + QUrl::toPercentEncoding(QString::fromUtf8(token))
        + "&data_list=" + QUrl::toPercentEncoding(QString::fromLatin1(list));
}

} // namespace PushLoad
