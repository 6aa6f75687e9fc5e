#pragma once

#include "sim/simcontext.h"

#include <QDateTime>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace Fleet::Sim {

struct SimFix;

// Parameter checks and value formatting shared by the method handlers. A
// check returns the error answer to send, or nullopt when the value is fine.
namespace SimSupport {

// Paging bounds of every method: rows and pages are computed in qint64.
constexpr qint64 kMaxStartRow = 1'000'000;
constexpr qint64 kMaxPageNo = 1'000'000;
constexpr qint64 kMaxPageSize = 1000;
// The longest window of the range-heavy reports (track.mileage,
// report.parking, jimi.media.URL, media.event.URL): the simulator's choice.
constexpr int kReportMaxDays = 31;
// Ids a client chooses and the simulator keeps (appId, instructionId).
constexpr int kMaxIdChars = 128;

// Strict "yyyy-MM-dd HH:mm:ss" (UTC); nullopt for anything else.
std::optional<QDateTime> parseTime(const QString &text);
QString formatTime(const QDateTime &t); // "yyyy-MM-dd HH:mm:ss"
QString formatIso(const QDateTime &t); // "2022-12-10T01:05:33.000Z"

// 1001 "Parameter validation: <key> is required" when a key is missing/empty.
std::optional<SimReply> require(const SimCall &call, const QStringList &keys);

// A comma-separated IMEI list: 1001 when empty or longer than max (counted
// as sent, duplicates included), 1002 "Illegal device" for an IMEI that is
// not in the fleet. Duplicates then collapse.
std::optional<SimReply> parseImeis(const SimCall &call, const SimContext &ctx, const QString &key, int max,
                                   QList<int> *indexes);
// One IMEI: 1001 when missing, 1002 "Illegal device" when unknown.
std::optional<SimReply> parseImei(const SimCall &call, const SimContext &ctx, const QString &key, int *index);

// Two required times with begin < end; 1001 otherwise.
std::optional<SimReply> parseRange(const SimCall &call, const QString &beginKey, const QString &endKey,
                                   QDateTime *begin, QDateTime *end);

// 1001 "time range is too long" when end is more than maxDays after begin.
std::optional<SimReply> limitRange(const QDateTime &begin, const QDateTime &end, int maxDays);

// Optional integer parameter within [min, max]; 1001 when present but bad.
std::optional<SimReply> parseInt(const SimCall &call, const QString &key, int defaultValue, int min, int max,
                                 int *value);
std::optional<SimReply> parseInt64(const SimCall &call, const QString &key, qint64 defaultValue, qint64 min, qint64 max,
                                   qint64 *value);

// 1001 when a value is longer than maxChars.
std::optional<SimReply> limitLength(const SimCall &call, const QStringList &keys, int maxChars = kMaxIdChars);

// Converts a WGS-84 fix to what map_type asks for: GOOGLE = GCJ-02 (which
// only differs inside mainland China), BAIDU = BD-09, anything else raw.
void toMapType(const QString &mapType, double *lat, double *lng);

double round6(double v);
// JSON null for an empty string, the string otherwise.
QJsonValue nullable(const QString &text);
// A number as the cloud prints it inside strings: no exponent, trailing zeros cut.
QString numberText(double v, int decimals = 2);

// Odometer as shown by the API (SimFleet's odometer plus the user's correction).
double odometerKm(const SimContext &ctx, int index, const std::optional<SimFix> &fix);

} // namespace SimSupport

} // namespace Fleet::Sim
