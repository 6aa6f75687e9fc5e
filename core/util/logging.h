#pragma once

#include <QLoggingCategory>

// One logging category per area. Secrets, signatures and tokens are never
// passed to these; use Fleet::redact() for anything that might hold one.
Q_DECLARE_LOGGING_CATEGORY(lcApi)
Q_DECLARE_LOGGING_CATEGORY(lcSim)
Q_DECLARE_LOGGING_CATEGORY(lcSync)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcPush)

namespace Fleet {

// Replaces a secret by a short one-way fingerprint, safe to log.
QString redact(const QString &secret);

} // namespace Fleet
