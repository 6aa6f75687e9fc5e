#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QMap>
#include <QString>

#include <optional>

namespace Fleet {

// Form parameters, keyed in QString (ordinal UTF-16) order.
using FormParams = QMap<QString, QString>;

namespace FormCodec {

// application/x-www-form-urlencoded with every reserved character
// percent-encoded (so '+', '#', ',', '&', '=' and spaces survive). Parameters
// with an empty value are not sent at all.
QByteArray encode(const FormParams &params);

// Decodes a form body: '+' is a space, %XX escapes are bytes, the result must
// be UTF-8. A repeated key or invalid UTF-8 is an error (message in *error).
std::optional<FormParams> decode(const QByteArray &body, QString *error = nullptr);

// One key or value of a form body: '+' is a space, %XX a byte. nullopt on a
// malformed escape, with what is wrong in *error ("truncated percent escape",
// "invalid percent escape") and where, from the start of text, in *errorAt.
std::optional<QByteArray> percentDecode(QByteArrayView text, QString *error = nullptr, qsizetype *errorAt = nullptr);

} // namespace FormCodec

} // namespace Fleet
