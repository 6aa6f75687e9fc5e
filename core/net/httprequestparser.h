#pragma once

#include "net/httpmessage.h"

#include <QByteArray>
#include <QString>

namespace Fleet::Http {

// The request side of HTTP/1.1 (RFC 9112), incrementally and without I/O:
// bytes go in with append(), and next() says what they hold, one step at a
// time. Connection drives it from its socket; the fuzz target drives it from
// random input. Strict where a proxy in front might read the bytes
// differently: no obs-fold, no chunked or other transfer coding, exactly one
// Content-Length value (an empty or comma-only one is an error, not "no
// body"), no CR, NUL or other control character in a header value, no bare CR
// in a line. Empty lines before a request line are skipped (RFC 9112 §2.2),
// but they start the request: see requestStarted().
class RequestParser
{
public:
    enum class Step {
        NeedMore, // the input ends inside a request (or holds none)
        Head, // a head is complete: head() and bodyLength(); the body follows
        Request, // a whole request: takeRequest()
        Error, // the input is not HTTP that we serve: error(); nothing more is parsed
    };
    struct Error
    {
        int status = 400;
        QString message;
    };

    explicit RequestParser(const Limits &limits = {});

    // The client's address, put in every request (for logs).
    void setPeer(const QString &peer) { m_peer = peer; }
    void append(QByteArrayView bytes) { m_in.append(bytes.data(), bytes.size()); }
    Step next();

    // After Head: the request without its body, and the body's length.
    const Request &head() const { return m_request; }
    qint64 bodyLength() const { return m_bodyLength; }
    // After Request.
    Request takeRequest();
    const Error &error() const { return m_error; }

    // Some byte of the next request has arrived, blank lines included: the
    // request clock runs from then on.
    bool requestStarted() const { return m_started; }
    bool inBody() const { return m_inBody; }
    bool failed() const { return m_failed; }
    qsizetype bufferedBytes() const { return m_in.size(); }

private:
    Step fail(int status, const QString &message);
    Step parseHead();

    Limits m_limits;
    QString m_peer;
    QByteArray m_in;
    Request m_request;
    qint64 m_bodyLength = 0;
    bool m_started = false;
    bool m_inBody = false;
    bool m_failed = false;
    Error m_error;
};

} // namespace Fleet::Http
