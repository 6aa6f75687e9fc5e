// Http::Server against clients that mean harm, with raw sockets: each hostile
// case gets a clear 4xx or a closed connection, and meanwhile another client
// is still served.

#include "net/httpserver.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

#include <memory>
#include <vector>

using namespace Fleet;
using namespace Fleet::Http;

namespace {

// A client over a raw socket, optionally from another loopback address.
class RawClient
{
public:
    explicit RawClient(quint16 port, const QHostAddress &from = QHostAddress())
    {
        if (!from.isNull())
            socket.bind(from, 0);
        socket.connectToHost(QHostAddress::LocalHost, port);
        connected = socket.waitForConnected(5000);
    }
    void send(const QByteArray &bytes)
    {
        socket.write(bytes);
        socket.flush();
    }
    // Everything received until the server closes the connection.
    QByteArray untilClosed(int timeoutMs = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (socket.state() != QAbstractSocket::UnconnectedState && t.elapsed() < timeoutMs) {
            if (!socket.waitForReadyRead(50))
                QCoreApplication::processEvents();
            received += socket.readAll();
        }
        received += socket.readAll();
        return received;
    }
    bool closedByServer() const { return socket.state() == QAbstractSocket::UnconnectedState; }

    QTcpSocket socket;
    bool connected = false;
    QByteArray received;
};

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blankLinesCountTowardTheRequestTimeout();
    void oldestIdleConnectionMakesRoom();
    void tableFullOfBusyConnectionsTurnsNewOnesAway();
    void perAddressLimit();
    void bodiesInFlightAreCapped();
    void headCheckRefusesBeforeTheBody();
    void emptyFramingHeadersAreRefused_data();
    void emptyFramingHeadersAreRefused();
    void controlCharactersInHeaderValuesAreRefused_data();
    void controlCharactersInHeaderValuesAreRefused();

private:
    void startServer(const Limits &limits);
    // A whole GET over a fresh connection: true when it was answered 200.
    bool servedNow();

    std::unique_ptr<Server> m_server;
    int m_handled = 0;
    QList<QString> m_paths;
};

void TestHttpServer::startServer(const Limits &limits)
{
    m_handled = 0;
    m_paths.clear();
    m_server = std::make_unique<Server>(
        [this](const Request &request, const Responder &responder) {
            ++m_handled;
            m_paths.append(request.path);
            Response r;
            r.contentType = "text/plain";
            r.body = "ok " + request.body;
            responder.answer(r);
        },
        limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

bool TestHttpServer::servedNow()
{
    RawClient c(m_server->serverPort());
    if (!c.connected)
        return false;
    c.send("GET /served HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    return c.untilClosed().startsWith("HTTP/1.1 200");
}

void TestHttpServer::blankLinesCountTowardTheRequestTimeout()
{
    // A crowd that sends a bare CR LF now and then, never a request: the
    // blank lines start a request, and its clock runs out.
    Limits limits;
    limits.maxConnections = 8;
    limits.idleTimeoutMs = 60000;
    limits.requestTimeoutMs = 800;
    startServer(limits);
    std::vector<std::unique_ptr<RawClient>> crowd;
    for (int i = 0; i < limits.maxConnections; ++i) {
        crowd.push_back(std::make_unique<RawClient>(m_server->serverPort()));
        QVERIFY(crowd.back()->connected);
    }
    QTRY_COMPARE(m_server->connectionCount(), limits.maxConnections);
    QTimer drip;
    QObject::connect(&drip, &QTimer::timeout, this, [&crowd] {
        for (auto &c : crowd) {
            if (c->socket.state() == QAbstractSocket::ConnectedState)
                c->send("\r\n");
        }
    });
    drip.start(200);
    for (auto &c : crowd)
        c->send("\r\n");
    // Every one of them is told 408 and closed, though it never went quiet.
    for (auto &c : crowd) {
        const QByteArray answer = c->untilClosed();
        QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
        QVERIFY(c->closedByServer());
    }
    drip.stop();
    QVERIFY(servedNow());
    QCOMPARE(m_paths, QList<QString>{QStringLiteral("/served")});
}

void TestHttpServer::oldestIdleConnectionMakesRoom()
{
    Limits limits;
    limits.maxConnections = 4;
    limits.idleTimeoutMs = 60000;
    startServer(limits);
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < limits.maxConnections; ++i) {
        idle.push_back(std::make_unique<RawClient>(m_server->serverPort()));
        QVERIFY(idle.back()->connected);
        // Accepted one after the other, so the first has been idle longest.
        QTRY_COMPARE(m_server->connectionCount(), i + 1);
    }
    // The table is full of idle connections: a new client is served, and
    // the longest-idle connection made room.
    QVERIFY(servedNow());
    QCOMPARE(m_server->idleEvicted(), 1);
    QCOMPARE(m_server->turnedAway(), 0);
    QSignalSpy firstClosed(&idle.front()->socket, &QTcpSocket::disconnected);
    QVERIFY(idle.front()->closedByServer() || firstClosed.wait(5000));
    for (std::size_t i = 1; i < idle.size(); ++i)
        QCOMPARE(idle[i]->socket.state(), QAbstractSocket::ConnectedState);
}

void TestHttpServer::tableFullOfBusyConnectionsTurnsNewOnesAway()
{
    // Requests under way are not idle: no one makes room, the new client is
    // turned away (closed), and it is counted.
    Limits limits;
    limits.maxConnections = 2;
    limits.requestTimeoutMs = 60000;
    startServer(limits);
    RawClient a(m_server->serverPort());
    RawClient b(m_server->serverPort());
    a.send("GET /slow HTTP/1.1\r\nHost");
    b.send("GET /slow HTTP/1.1\r\nHost");
    QTRY_COMPARE(m_server->connectionCount(), 2);
    RawClient c(m_server->serverPort());
    QVERIFY(c.untilClosed().isEmpty());
    QVERIFY(c.closedByServer());
    QCOMPARE(m_server->turnedAway(), 1);
    QCOMPARE(m_server->idleEvicted(), 0);
    // The busy ones finish their requests and are answered.
    a.send(": x\r\nConnection: close\r\n\r\n");
    QVERIFY(a.untilClosed().startsWith("HTTP/1.1 200"));
    QVERIFY(servedNow());
}

void TestHttpServer::perAddressLimit()
{
    Limits limits;
    limits.maxConnections = 16;
    limits.maxConnectionsPerAddress = 2;
    limits.idleTimeoutMs = 60000;
    startServer(limits);
    RawClient first(m_server->serverPort());
    RawClient second(m_server->serverPort());
    QTRY_COMPARE(m_server->connectionCount(), 2);
    // A third from the same address is closed at once, unanswered...
    RawClient third(m_server->serverPort());
    QVERIFY(third.untilClosed().isEmpty());
    QVERIFY(third.closedByServer());
    QCOMPARE(m_server->turnedAway(), 1);
    // ... while a client from another address is served.
    RawClient other(m_server->serverPort(), QHostAddress(QStringLiteral("127.0.0.2")));
    if (other.socket.localAddress() != QHostAddress(QStringLiteral("127.0.0.2")))
        QSKIP("this system routes no 127.0.0.2 (Linux does; macOS needs an alias on lo0)");
    QVERIFY(other.connected);
    other.send("GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY(other.untilClosed().startsWith("HTTP/1.1 200"));
    QCOMPARE(first.socket.state(), QAbstractSocket::ConnectedState);
    // When one of the first two goes, the address has room again.
    first.socket.disconnectFromHost();
    QTRY_COMPARE(m_server->connectionCount(), 1);
    QVERIFY(servedNow());
}

void TestHttpServer::bodiesInFlightAreCapped()
{
    // Stalled uploads: heads that announce a body that never comes. Together
    // they may hold only the budget; the next is refused with 503 before a
    // byte of its body is buffered.
    Limits limits;
    limits.maxConnections = 32;
    limits.maxBodyBytes = 1000;
    limits.maxBodyBytesInFlight = 3000;
    limits.requestTimeoutMs = 60000;
    startServer(limits);
    const QByteArray head = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n";
    std::vector<std::unique_ptr<RawClient>> stalled;
    for (int i = 0; i < 3; ++i) {
        stalled.push_back(std::make_unique<RawClient>(m_server->serverPort()));
        stalled.back()->send(head + "partial");
    }
    QTRY_COMPARE(m_server->bodyBytesInFlight(), qint64(3000));
    RawClient over(m_server->serverPort());
    over.send(head);
    const QByteArray answer = over.untilClosed();
    QVERIFY2(answer.startsWith("HTTP/1.1 503"), answer.constData());
    QVERIFY(answer.contains("Retry-After: 1"));
    QCOMPARE(m_server->bodyBytesInFlight(), qint64(3000));
    // A request without a body is still served.
    QVERIFY(servedNow());
    // A stalled upload that completes gives its share back.
    stalled.front()->send(QByteArray(1000 - 7, 'x'));
    QTRY_COMPARE(m_server->bodyBytesInFlight(), qint64(2000));
    stalled.back()->socket.abort();
    QTRY_COMPARE(m_server->bodyBytesInFlight(), qint64(1000));
    QCOMPARE(m_handled, 2);
}

void TestHttpServer::headCheckRefusesBeforeTheBody()
{
    Limits limits;
    limits.requestTimeoutMs = 60000;
    startServer(limits);
    m_server->setHeadCheck([](const Request &head) -> std::optional<Response> {
        if (head.path != QLatin1String("/secret"))
            return std::nullopt;
        Response r;
        r.status = 401;
        r.body = "no";
        return r;
    });
    // Only the head: the refusal cannot wait for the body.
    RawClient c(m_server->serverPort());
    c.send("POST /secret HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
    const QByteArray answer = c.untilClosed();
    QVERIFY2(answer.startsWith("HTTP/1.1 401"), answer.constData());
    QCOMPARE(m_server->bodyBytesInFlight(), qint64(0));
    QCOMPARE(m_handled, 0);
    QVERIFY(servedNow());
}

void TestHttpServer::emptyFramingHeadersAreRefused_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("empty Content-Length") << QByteArray("Content-Length:");
    QTest::newRow("blank Content-Length") << QByteArray("Content-Length:   ");
    QTest::newRow("comma Content-Length") << QByteArray("Content-Length: ,");
    QTest::newRow("5,,5") << QByteArray("Content-Length: 5,,5");
    QTest::newRow("empty Transfer-Encoding") << QByteArray("Transfer-Encoding:");
    QTest::newRow("comma Transfer-Encoding") << QByteArray("Transfer-Encoding: ,");
    QTest::newRow("commas Transfer-Encoding") << QByteArray("Transfer-Encoding: , ,");
}

void TestHttpServer::emptyFramingHeadersAreRefused()
{
    // Read as "no body", the bytes after the head would be taken for a
    // second request, which a proxy in front sees as this one's body.
    QFETCH(QByteArray, header);
    startServer(Limits{});
    RawClient c(m_server->serverPort());
    c.send("POST /first HTTP/1.1\r\nHost: x\r\n" + header
           + "\r\n\r\n"
             "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    const QByteArray answer = c.untilClosed();
    QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
    QCOMPARE(m_handled, 0);
    QVERIFY(!m_paths.contains(QStringLiteral("/smuggled")));
    QVERIFY(servedNow());
}

void TestHttpServer::controlCharactersInHeaderValuesAreRefused_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("bare CR in a value") << QByteArray("X-Note: a\rb");
    QTest::newRow("bare CR before Content-Length") << QByteArray("X-Note: a\rContent-Length: 5");
    QTest::newRow("NUL in a value") << QByteArray("X-Note: a\0b", 11);
    QTest::newRow("NUL in Content-Length") << QByteArray("Content-Length: 0\0 5", 20);
    QTest::newRow("escape in a value") << QByteArray("X-Note: a\x1b[2Jb");
    QTest::newRow("DEL in a value") << QByteArray("X-Note: a\x7f");
}

void TestHttpServer::controlCharactersInHeaderValuesAreRefused()
{
    QFETCH(QByteArray, line);
    startServer(Limits{});
    RawClient c(m_server->serverPort());
    c.send("GET /first HTTP/1.1\r\nHost: x\r\n" + line + "\r\n\r\n");
    const QByteArray answer = c.untilClosed();
    QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
    QCOMPARE(m_handled, 0);
    // A tab is a value's own character.
    RawClient tab(m_server->serverPort());
    tab.send("GET /tab HTTP/1.1\r\nHost: x\r\nX-Note: a\tb\r\nConnection: close\r\n\r\n");
    QVERIFY(tab.untilClosed().startsWith("HTTP/1.1 200"));
    QVERIFY(servedNow());
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
