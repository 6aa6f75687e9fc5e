// Fuzz target for everything that reads a cloud answer: the JSON reader, the
// envelope and every method's parser. Built with libFuzzer under clang
// (-DFLEET_FUZZ=ON); with any compiler it is also built into a replay
// program that runs the fixture corpus, so CI exercises the same entry point.

#include "api/apienvelope.h"
#include "api/apiparsers.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

using namespace Fleet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<ApiEnvelope> env = ApiEnvelope::parse(body, QStringLiteral("fuzz"));
    if (!env.ok())
        return 0;
    const ApiEnvelope &e = env.value();
    (void)e.detailCode();
    const QString imei = QStringLiteral("862798051058689");
    (void)ApiParse::token(e);
    (void)ApiParse::deviceList(e);
    (void)ApiParse::deviceDetail(e);
    (void)ApiParse::expirationUpdate(e);
    (void)ApiParse::deviceMove(e);
    (void)ApiParse::groupCreate(e);
    (void)ApiParse::groupList(e);
    (void)ApiParse::locations(e);
    (void)ApiParse::shareUrl(e);
    (void)ApiParse::mileage(e);
    (void)ApiParse::track(e, imei);
    (void)ApiParse::lbsAddress(e);
    (void)ApiParse::parking(e);
    (void)ApiParse::tagLocation(e, imei);
    (void)ApiParse::alarms(e);
    (void)ApiParse::livePage(e);
    (void)ApiParse::mediaCommand(e);
    (void)ApiParse::mediaFiles(e, imei);
    (void)ApiParse::mediaEvents(e);
    (void)ApiParse::streamUrl(e);
    (void)ApiParse::videoSegments(e);
    (void)ApiParse::commandTemplates(e);
    (void)ApiParse::commandResults(e);
    (void)ApiParse::fenceId(e);
    (void)ApiParse::fenceBindCount(e);
    (void)ApiParse::instruct(e);
    return 0;
}
