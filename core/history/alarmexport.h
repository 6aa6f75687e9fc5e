#pragma once

#include "domain/alarmdesk.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

class QIODevice;

namespace Fleet::AlarmExport {

// The alarm desk's rows as files, for the desk's Export and for
// `fleetdesk-cli alarms list`: one line (CSV) or object (JSON) per row, with
// the alarm's id, IMEI, vehicle, type code and name (English, the
// appendix's, else the cloud's), severity, times in UTC with Z, position,
// speed, how many alarms the row folds, state, operator, when handled, and
// the note. Locale-free; text is written as given (a CSV cell that a
// spreadsheet would run as a formula gets a leading ').
enum class Format { Csv, Json };

std::optional<Format> formatFromName(const QString &name); // "csv", "json" (any case)

// False, with *error, when the device fails to take the bytes.
bool write(const QList<AlarmDeskRow> &rows, const AlarmSeverities &severities, Format format, QIODevice *out,
           QString *error);

// The English name an export gives a row's type.
QString typeName(const Alarm &alarm);

} // namespace Fleet::AlarmExport
