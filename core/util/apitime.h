#pragma once

#include <QDateTime>
#include <QJsonValue>

#include "util/jsondom.h"

namespace Fleet::ApiTime {

// "yyyy-MM-dd HH:mm:ss" in UTC, the API's request format.
QString format(const QDateTime &t);

// Parses every time format the cloud is known to send (api-field-notes §2.0):
// "yyyy-MM-dd HH:mm:ss" (hour may be unpadded), ISO 8601 with Z/offset and
// milliseconds, a bare date, Unix seconds and Unix milliseconds (as numbers or
// digit strings). Returns an invalid QDateTime for null/"" and sets *ok=false
// only for a value that is present but unreadable.
QDateTime parse(const QJsonValue &value, bool *ok = nullptr);
QDateTime parse(const QString &text, bool *ok = nullptr);
QDateTime parse(const JsonNode &value, bool *ok = nullptr);

// BCD-style "yyMMddHHmmss" as used by trip report pushes.
QDateTime parseCompact(const QString &text, bool *ok = nullptr);

} // namespace Fleet::ApiTime
