#pragma once

// The JSON parser FleetDesk had before simdjson, kept only so that bench_api
// can print both parse times on the same input in the same run. Not used by
// the product.

#include <QByteArray>
#include <QString>

namespace LegacyJson {

// True when utf8 is exactly one JSON value (RFC 8259, valid UTF-8, no
// duplicate keys, nesting up to maxDepth); *nodes: how many values it holds.
bool parse(const QByteArray &utf8, qsizetype *nodes = nullptr, QString *error = nullptr, int maxDepth = 64);

} // namespace LegacyJson
