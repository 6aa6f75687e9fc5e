#pragma once

#include <QDateTime>
#include "util/jsondom.h"

#include <QStringList>

#include <optional>

namespace Fleet {

// Reads one JSON object of a cloud answer, tolerant of the API's type drift
// (numbers as strings and back, "" and null for absent, units inside strings)
// and strict about the rest: a value that is present but unreadable is
// reported as a problem, never turned into a plausible-looking wrong value.
class JsonReader
{
public:
    JsonReader(const JsonNode &object, QStringList *problems, const QString &context = {});
    // Context "item <index>", formatted only if a problem is reported.
    JsonReader(const JsonNode &object, QStringList *problems, qsizetype itemIndex);

    const JsonNode &object() const { return m_object; }
    bool has(QLatin1String key) const;

    // Text: numbers are rendered without a spurious ".0"; null/absent → "".
    QString text(QLatin1String key, QLatin1String alternative = {}) const;
    std::optional<double> number(QLatin1String key, QLatin1String alternative = {}) const;
    std::optional<int> integer(QLatin1String key, QLatin1String alternative = {}) const;
    std::optional<qint64> integer64(QLatin1String key, QLatin1String alternative = {}) const;
    // 1/0, "1"/"0", true/false, "ON"/"OFF", "on"/"off", "yes"/"no".
    std::optional<bool> flag(QLatin1String key, QLatin1String alternative = {}) const;
    // An identifier (an IMEI, an account): a string, or a number written as
    // digits alone (an IMEI sent as a number keeps its digits). true, -0,
    // 1.5 or 1e400 are no identifier: a problem, and "".
    QString identifier(QLatin1String key, QLatin1String alternative = {}) const;
    QDateTime time(QLatin1String key, QLatin1String alternative = {}) const;

    // Required variants: a missing or unreadable value marks the reader failed.
    QString requiredText(QLatin1String key, QLatin1String alternative = {});
    QString requiredIdentifier(QLatin1String key, QLatin1String alternative = {});
    std::optional<double> requiredNumber(QLatin1String key, QLatin1String alternative = {});
    QDateTime requiredTime(QLatin1String key, QLatin1String alternative = {});

    bool failed() const { return m_failed; }
    void fail(const QString &problem);
    // Records a problem that leaves the item usable.
    void warn(const QString &problem);

    // Helpers usable on bare values.
    static std::optional<double> toNumber(const JsonNode &v, bool *ok);
    static QString toText(const JsonNode &v, bool *ok);
    static QString toIdentifier(const JsonNode &v, bool *ok);
    // null, absent, "" and "null" all mean "no value" in the cloud's answers.
    static bool isAbsent(const JsonNode &v);

private:
    JsonNode pick(QLatin1String key, QLatin1String alternative, QLatin1String *used) const;
    void problem(QLatin1String key, const QString &what) const;

    JsonNode m_object;
    JsonObjectIndex m_index;
    QStringList *m_problems;
    QString context() const;

    QString m_context;
    qsizetype m_itemIndex = -1;
    bool m_failed = false;
};

} // namespace Fleet
