#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>

namespace Fleet {

// Request parameters. QMap keeps keys in QString order, which is ordinal
// UTF-16 order — exactly the case-sensitive order the official signer uses.
using ApiParams = QMap<QString, QString>;

namespace ApiSigner {

// The string the official Java signer hashes: secret + k1v1k2v2… + secret over
// all parameters except "sign", skipping pairs with an empty key or value.
// Values are taken raw (not URL-encoded).
QByteArray stringToSign(const ApiParams &params, const QString &secret);

// Upper-case hex MD5 of stringToSign().
QString sign(const ApiParams &params, const QString &secret);

// Constant-time comparison for signatures and tokens.
bool equalsConstantTime(const QByteArray &a, const QByteArray &b);

} // namespace ApiSigner

namespace FormCodec {

// application/x-www-form-urlencoded with every reserved character
// percent-encoded (so '+', '#', ',', '&', '=' and spaces survive). Parameters
// with an empty value are not sent at all.
QByteArray encode(const ApiParams &params);

// Decodes a form body: '+' is a space, %XX escapes are bytes, the result must
// be UTF-8. A repeated key or invalid UTF-8 is an error (message in *error).
std::optional<ApiParams> decode(const QByteArray &body, QString *error = nullptr);

// One key or value of a form body: '+' is a space, %XX a byte. nullopt on a
// malformed escape, with what is wrong in *error ("truncated percent escape",
// "invalid percent escape") and where, from the start of text, in *errorAt.
std::optional<QByteArray> percentDecode(QByteArrayView text, QString *error = nullptr, qsizetype *errorAt = nullptr);

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF.
bool isUtf8(QByteArrayView bytes);

} // namespace FormCodec

} // namespace Fleet
