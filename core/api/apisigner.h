#pragma once

#include "net/formcodec.h"

#include <QByteArray>
#include <QString>

namespace Fleet {

// Request parameters. QMap keeps keys in QString order, which is ordinal
// UTF-16 order — exactly the case-sensitive order the official signer uses.
using ApiParams = FormParams;

namespace ApiSigner {

// The string the official Java signer hashes: secret + k1v1k2v2… + secret over
// all parameters except "sign", skipping pairs with an empty key or value.
// Values are taken raw (not URL-encoded).
QByteArray stringToSign(const ApiParams &params, const QString &secret);

// Upper-case hex MD5 of stringToSign().
QString sign(const ApiParams &params, const QString &secret);

} // namespace ApiSigner

} // namespace Fleet
