// Fuzz target for the HTTP request parser that faces the internet
// (Http::RequestParser): request lines, headers, bodies and pipelined
// requests. Each input is parsed twice, at once and in pieces whose sizes
// come from the input itself, and the two must agree step by step: where
// the bytes happen to be split must never change what a request is. Beyond
// not crashing, every request's body has the length its head announced, and
// an error is final.

#include "net/httprequestparser.h"

#include <QByteArray>
#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Fleet::Http;

namespace {

void check(bool ok)
{
    if (!ok)
        std::abort();
}

// What the parser made of the input: one line per step.
QList<QByteArray> steps(QByteArrayView input, QByteArrayView pieces)
{
    Limits limits;
    limits.maxHeaderBytes = 2048;
    limits.maxHeaderCount = 16;
    limits.maxBodyBytes = 4096;
    RequestParser parser(limits);
    QList<QByteArray> out;
    qsizetype at = 0;
    qsizetype piece = 0;
    qint64 announced = -1;
    for (;;) {
        const RequestParser::Step step = parser.next();
        if (step == RequestParser::Step::Head) {
            const Request &head = parser.head();
            check(parser.bodyLength() >= 0 && parser.bodyLength() <= limits.maxBodyBytes);
            check(head.headers.size() <= limits.maxHeaderCount);
            announced = parser.bodyLength();
            out.append("head " + head.method + ' ' + head.target + ' ' + QByteArray::number(head.headers.size()) + ' '
                       + QByteArray::number(parser.bodyLength()));
            continue;
        }
        if (step == RequestParser::Step::Request) {
            const Request request = parser.takeRequest();
            // A request's body is exactly what its head announced.
            check(!parser.inBody() && request.body.size() == announced);
            announced = -1;
            out.append("request " + request.method + ' ' + QByteArray::number(request.body.size()) + ' '
                       + request.body.left(16).toHex());
            continue;
        }
        if (step == RequestParser::Step::Error) {
            out.append("error " + QByteArray::number(parser.error().status));
            // Final: nothing more comes out of it.
            parser.append("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            check(parser.next() == RequestParser::Step::Error);
            return out;
        }
        if (at >= input.size())
            return out;
        // Pieces of 1 to 64 bytes, as the input's tail says, or all at once.
        qsizetype n = input.size() - at;
        if (!pieces.isEmpty())
            n = qMin<qsizetype>(n, 1 + (uchar(pieces.at(piece++ % pieces.size())) & 63));
        parser.append(input.sliced(at, n));
        at += n;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<QByteArray> whole = steps(input, {});
    const QList<QByteArray> pieces = steps(input,
                                           input.isEmpty() ? QByteArrayView("\x01")
                                                           : input.last(qMin<qsizetype>(8, input.size())));
    check(whole == pieces);
    return 0;
}
