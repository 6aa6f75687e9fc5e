#pragma once

#include <QByteArrayView>

namespace Fleet::Bytes {

// True when a and b are equal, in time that depends on neither their contents
// nor their lengths (SHA-256 of both, compared fully). For secrets: tokens,
// signatures, passwords.
bool equalsConstantTime(QByteArrayView a, QByteArrayView b);

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF.
bool isUtf8(QByteArrayView bytes);

} // namespace Fleet::Bytes
