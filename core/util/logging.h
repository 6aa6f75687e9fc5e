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

// Text that came from outside (a request's path, a header), made safe for one
// log line: control characters (C0, DEL, C1), line and paragraph separators
// and bidirectional overrides become \xNN or \uNNNN escapes, a backslash
// becomes \\, and more than maxChars characters are cut with "…". So a
// client cannot write a line of its own into the log, or disguise one.
QString loggable(QStringView text, qsizetype maxChars = 200);

} // namespace Fleet
