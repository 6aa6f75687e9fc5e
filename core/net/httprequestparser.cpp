#include "httprequestparser.h"

#include <QUrl>

#include <utility>

namespace Fleet::Http {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Space and control characters (the request target has neither).
bool hasSpaceOrControl(QByteArrayView text)
{
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f)
            return true;
    }
    return false;
}

// A field value is visible characters, spaces, tabs and obs-text (RFC 9110
// §5.5): CR, LF, NUL and the other controls are refused.
bool isFieldValue(QByteArrayView text)
{
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

enum class ListResult { Absent, Ok, EmptyElement };

// The comma-separated elements of every header called name, trimmed, lower
// case. A header that is present but holds an empty element (an empty value,
// "," or "5,,5") is EmptyElement: for the framing headers that is an error.
ListResult listHeader(const Request &request, QByteArrayView name, QList<QByteArray> *out)
{
    ListResult result = ListResult::Absent;
    for (const auto &[key, value] : request.headers) {
        if (key != name)
            continue;
        if (result == ListResult::Absent)
            result = ListResult::Ok;
        const QList<QByteArray> parts = value.split(',');
        for (const QByteArray &part : parts) {
            const QByteArray element = part.trimmed().toLower();
            if (element.isEmpty())
                result = ListResult::EmptyElement;
            else
                out->append(element);
        }
    }
    return result;
}

} // namespace

RequestParser::RequestParser(const Limits &limits)
    : m_limits(limits)
{ }

RequestParser::Step RequestParser::fail(int status, const QString &message)
{
    m_failed = true;
    m_error = Error{status, message};
    m_in.clear();
    m_inBody = false;
    return Step::Error;
}

Request RequestParser::takeRequest()
{
    Request out = std::move(m_request);
    m_request = Request();
    return out;
}

RequestParser::Step RequestParser::next()
{
    if (m_failed)
        return Step::Error;
    if (!m_inBody)
        return parseHead(); // a head is seen by the caller before its body
    if (m_in.size() < m_bodyLength)
        return Step::NeedMore;
    m_request.body = m_in.left(m_bodyLength);
    m_in.remove(0, m_bodyLength);
    m_inBody = false;
    m_bodyLength = 0;
    m_started = false;
    return Step::Request;
}

RequestParser::Step RequestParser::parseHead()
{
    // Empty lines before a request line are skipped, but they count: the
    // request (and its clock) has started.
    qsizetype skip = 0;
    while (skip < m_in.size() && (m_in.at(skip) == '\r' || m_in.at(skip) == '\n'))
        ++skip;
    if (skip > 0) {
        m_started = true;
        m_in.remove(0, skip);
    }
    if (m_in.isEmpty())
        return Step::NeedMore;
    m_started = true;

    // The head ends with an empty line; bare LF line ends are tolerated.
    const qsizetype crlf = m_in.indexOf("\n\r\n");
    const qsizetype lf = m_in.indexOf("\n\n");
    qsizetype end = -1;
    qsizetype endLength = 0;
    if (crlf >= 0 && (lf < 0 || crlf < lf)) {
        end = crlf;
        endLength = 3;
    } else if (lf >= 0) {
        end = lf;
        endLength = 2;
    }
    if (end < 0) {
        if (m_in.size() > m_limits.maxHeaderBytes)
            return fail(431, QStringLiteral("the request head is longer than %1 bytes").arg(m_limits.maxHeaderBytes));
        return Step::NeedMore;
    }
    if (end + 1 > m_limits.maxHeaderBytes)
        return fail(431, QStringLiteral("the request head is longer than %1 bytes").arg(m_limits.maxHeaderBytes));
    QList<QByteArray> lines = m_in.left(end).split('\n');
    m_in.remove(0, end + endLength);
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
        // A CR that does not end a line: a proxy may take it for a line end.
        if (line.contains('\r'))
            return fail(400, QStringLiteral("a bare CR in the request head"));
    }

    const QList<QByteArray> requestLine = lines.first().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine.at(0)) || requestLine.at(1).isEmpty()
        || hasSpaceOrControl(requestLine.at(1))) {
        return fail(400, QStringLiteral("malformed request line"));
    }
    Request request;
    request.peer = m_peer;
    request.method = requestLine.at(0);
    request.target = requestLine.at(1);
    const QByteArray &version = requestLine.at(2);
    if (version == "HTTP/1.1")
        request.versionMinor = 1;
    else if (version == "HTTP/1.0")
        request.versionMinor = 0;
    else if (version.startsWith("HTTP/"))
        return fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"));
    else
        return fail(400, QStringLiteral("malformed request line"));

    QByteArray rawPath;
    if (request.target.startsWith('/')) {
        const qsizetype question = request.target.indexOf('?');
        rawPath = question < 0 ? request.target : request.target.left(question);
        request.query = question < 0 ? QByteArray() : request.target.mid(question + 1);
    } else if (request.target.startsWith("http://") || request.target.startsWith("https://")) {
        const QUrl url = QUrl::fromEncoded(request.target, QUrl::StrictMode);
        if (!url.isValid())
            return fail(400, QStringLiteral("malformed request target"));
        rawPath = url.path(QUrl::FullyEncoded).toLatin1();
        request.query = url.query(QUrl::FullyEncoded).toLatin1();
    } else if (request.target == "*") {
        rawPath = request.target;
    } else {
        return fail(400, QStringLiteral("malformed request target"));
    }
    request.path = QUrl::fromPercentEncoding(rawPath);

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        // Line folding is obsolete and a smuggling vector: refused (RFC 9112 §5.2).
        if (line.startsWith(' ') || line.startsWith('\t'))
            return fail(400, QStringLiteral("folded header lines are not accepted"));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
            return fail(400, QStringLiteral("malformed header line"));
        if (request.headers.size() >= m_limits.maxHeaderCount)
            return fail(431, QStringLiteral("more than %1 header fields").arg(m_limits.maxHeaderCount));
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (!isFieldValue(value))
            return fail(400, QStringLiteral("a control character in a header value"));
        request.headers.append({line.left(colon).toLower(), value});
    }

    int hosts = 0;
    for (const auto &header : std::as_const(request.headers))
        hosts += header.first == "host" ? 1 : 0;
    if (request.versionMinor == 1 && hosts != 1)
        return fail(400, QStringLiteral("an HTTP/1.1 request needs exactly one Host header"));

    // No transfer codings: a chunked body is refused, as the cloud's clients
    // always send Content-Length; its end cannot be found, so the connection
    // closes. A Transfer-Encoding that is present is never "no coding", even
    // when it is empty.
    QList<QByteArray> codings;
    const ListResult te = listHeader(request, "transfer-encoding", &codings);
    if (te == ListResult::EmptyElement)
        return fail(400, QStringLiteral("invalid Transfer-Encoding"));
    if (te == ListResult::Ok) {
        if (codings.last() == "chunked")
            return fail(411, QStringLiteral("chunked request bodies are not accepted; send Content-Length"));
        return fail(501, QStringLiteral("transfer coding not implemented"));
    }
    // Content-Length: one value, or the same value repeated (RFC 9110
    // §8.6); an empty one is not "no body" (RFC 9112 §6.3).
    qint64 length = 0;
    bool haveLength = false;
    QList<QByteArray> lengths;
    if (listHeader(request, "content-length", &lengths) == ListResult::EmptyElement)
        return fail(400, QStringLiteral("invalid Content-Length"));
    for (const QByteArray &value : std::as_const(lengths)) {
        bool digitsOnly = !value.isEmpty() && value.size() <= 18;
        for (const char c : value)
            digitsOnly = digitsOnly && c >= '0' && c <= '9';
        const qint64 v = digitsOnly ? value.toLongLong() : -1;
        if (v < 0 || (haveLength && v != length))
            return fail(400, QStringLiteral("invalid Content-Length"));
        length = v;
        haveLength = true;
    }
    if (length > m_limits.maxBodyBytes)
        return fail(413, QStringLiteral("the request body is larger than %1 bytes").arg(m_limits.maxBodyBytes));

    QList<QByteArray> connection;
    listHeader(request, "connection", &connection);
    request.keepAlive = request.versionMinor == 1 ? !connection.contains("close") : connection.contains("keep-alive");

    m_request = std::move(request);
    m_inBody = true;
    m_bodyLength = length;
    return Step::Head;
}

} // namespace Fleet::Http
