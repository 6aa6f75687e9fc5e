#include "jsonreader.h"

#include "apitime.h"

#include <algorithm>
#include <charconv>

#include <cmath>
#include <limits>

namespace Fleet {

namespace {

// A short description of a value for a problem report. Long strings are cut
// so that a problem line never carries a whole token or URL.
QString describe(const JsonNode &v)
{
    QString s;
    switch (v.type()) {
    case JsonDom::Type::String: s = QLatin1Char('"') + v.toString() + QLatin1Char('"'); break;
    case JsonDom::Type::Number: s = QString::fromLatin1(v.toCompactJson()); break; // as sent
    case JsonDom::Type::Bool: s = v.toBool() ? QStringLiteral("true") : QStringLiteral("false"); break;
    case JsonDom::Type::Array: s = QStringLiteral("an array"); break;
    case JsonDom::Type::Object: s = QStringLiteral("an object"); break;
    default: s = QStringLiteral("null"); break;
    }
    return s.size() > 24 ? s.left(21) + QStringLiteral("...") : s;
}

} // namespace

bool JsonReader::isAbsent(const JsonNode &v)
{
    if (v.isNull() || v.isUndefined())
        return true;
    if (v.isString())
        return v.stringIsEmptyOrBlank() || v.stringEquals(QLatin1String("null"));
    return false;
}

JsonReader::JsonReader(const JsonNode &object, QStringList *problems, const QString &context)
    : m_object(object)
    , m_index(object)
    , m_problems(problems)
    , m_context(context)
{ }

JsonReader::JsonReader(const JsonNode &object, QStringList *problems, qsizetype itemIndex)
    : m_object(object)
    , m_index(object)
    , m_problems(problems)
    , m_itemIndex(itemIndex)
{ }

QString JsonReader::context() const
{
    return m_itemIndex >= 0 ? QStringLiteral("item %1").arg(m_itemIndex) : m_context;
}

bool JsonReader::has(QLatin1String key) const
{
    return !isAbsent(m_index.value(key));
}

JsonNode JsonReader::pick(QLatin1String key, QLatin1String alternative, QLatin1String *used) const
{
    const JsonNode v = m_index.value(key);
    *used = key;
    if (!isAbsent(v) || alternative.isEmpty())
        return v;
    *used = alternative;
    return m_index.value(alternative);
}

void JsonReader::problem(QLatin1String key, const QString &what) const
{
    if (!m_problems)
        return;
    const QString ctx = context();
    QString p = ctx.isEmpty() ? QString() : ctx + QStringLiteral(": ");
    p += QStringLiteral("field '%1' %2").arg(key, what);
    m_problems->append(p);
}

void JsonReader::fail(const QString &problemText)
{
    m_failed = true;
    if (m_problems)
        m_problems->append(context().isEmpty() ? problemText : context() + QStringLiteral(": ") + problemText);
}

void JsonReader::warn(const QString &problemText)
{
    if (m_problems)
        m_problems->append(context().isEmpty() ? problemText : context() + QStringLiteral(": ") + problemText);
}

std::optional<double> JsonReader::toNumber(const JsonNode &v, bool *ok)
{
    *ok = true;
    if (isAbsent(v))
        return std::nullopt;
    if (v.isNumber()) {
        const double d = v.toDouble();
        if (!std::isfinite(d)) {
            *ok = false;
            return std::nullopt;
        }
        return d;
    }
    if (v.isString()) {
        const std::optional<QByteArrayView> raw = v.rawString();
        const QByteArray decoded = raw ? QByteArray() : v.toString().toUtf8();
        QByteArrayView text = raw ? *raw : QByteArrayView(decoded);
        text = text.trimmed();
        // A number, optionally followed by a short unit ("0.00L", "12.5V", "60%").
        qsizetype end = text.size();
        qsizetype unitLength = 0;
        while (end > 0 && unitLength < 6) {
            const char c = text.at(end - 1);
            const bool unitChar = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '%' || c == '/';
            if (!unitChar)
                break;
            --end;
            ++unitLength;
        }
        QByteArrayView digits = text.first(end).trimmed();
        if (!digits.isEmpty() && digits.front() == '+')
            digits = digits.sliced(1);
        if (!digits.isEmpty()) {
            double d = 0.0;
            const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), d);
            const bool lettersBeforeNumber = digits.front() == 'e' || digits.front() == 'E' || digits.front() == 'i'
                || digits.front() == 'I' || digits.front() == 'n' || digits.front() == 'N';
            if (res.ec == std::errc() && res.ptr == digits.data() + digits.size() && !lettersBeforeNumber
                && std::isfinite(d))
                return d;
        }
    }
    *ok = false;
    return std::nullopt;
}

QString JsonReader::toText(const JsonNode &v, bool *ok)
{
    *ok = true;
    switch (v.type()) {
    case JsonDom::Type::String: {
        const QString s = v.toString();
        return s == QLatin1String("null") ? QString() : s;
    }
    case JsonDom::Type::Number: {
        const double d = v.toDouble();
        if (std::floor(d) == d && std::fabs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case JsonDom::Type::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case JsonDom::Type::Null:
    case JsonDom::Type::Undefined: return QString();
    default: *ok = false; return QString();
    }
}

QString JsonReader::toIdentifier(const JsonNode &v, bool *ok)
{
    *ok = true;
    switch (v.type()) {
    case JsonDom::Type::String: {
        const QString s = v.toString();
        return s == QLatin1String("null") ? QString() : s;
    }
    case JsonDom::Type::Number: {
        // The literal as sent, if it is digits alone: no sign, fraction or
        // exponent, and never a double's rendering of it.
        const QByteArray literal = v.toCompactJson();
        if (!literal.isEmpty()
            && std::all_of(literal.cbegin(), literal.cend(), [](char c) { return c >= '0' && c <= '9'; }))
            return QString::fromLatin1(literal);
        *ok = false;
        return QString();
    }
    case JsonDom::Type::Null:
    case JsonDom::Type::Undefined: return QString();
    default: *ok = false; return QString();
    }
}

QString JsonReader::identifier(QLatin1String key, QLatin1String alternative) const
{
    QLatin1String used;
    const JsonNode v = pick(key, alternative, &used);
    bool ok = true;
    const QString s = toIdentifier(v, &ok);
    if (!ok)
        problem(used, QStringLiteral("is %1, expected a string or an integer of digits").arg(describe(v)));
    return s.trimmed();
}

QString JsonReader::text(QLatin1String key, QLatin1String alternative) const
{
    QLatin1String used;
    const JsonNode v = pick(key, alternative, &used);
    bool ok = true;
    QString s = toText(v, &ok);
    if (!ok)
        problem(used, QStringLiteral("is %1, expected text").arg(describe(v)));
    return s.trimmed();
}

std::optional<double> JsonReader::number(QLatin1String key, QLatin1String alternative) const
{
    QLatin1String used;
    const JsonNode v = pick(key, alternative, &used);
    bool ok = true;
    const std::optional<double> d = toNumber(v, &ok);
    if (!ok)
        problem(used, QStringLiteral("is %1, expected a number").arg(describe(v)));
    return d;
}

std::optional<qint64> JsonReader::integer64(QLatin1String key, QLatin1String alternative) const
{
    QLatin1String used;
    const JsonNode v = pick(key, alternative, &used);
    bool ok = true;
    const std::optional<double> d = toNumber(v, &ok);
    if (!ok) {
        problem(used, QStringLiteral("is %1, expected an integer").arg(describe(v)));
        return std::nullopt;
    }
    if (!d)
        return std::nullopt;
    if (std::floor(*d) != *d || std::fabs(*d) > 9.0e15) {
        problem(used, QStringLiteral("is %1, expected an integer").arg(describe(v)));
        return std::nullopt;
    }
    return qint64(*d);
}

std::optional<int> JsonReader::integer(QLatin1String key, QLatin1String alternative) const
{
    const std::optional<qint64> v = integer64(key, alternative);
    if (!v)
        return std::nullopt;
    if (*v > std::numeric_limits<int>::max() || *v < std::numeric_limits<int>::min()) {
        problem(key, QStringLiteral("is out of range (%1)").arg(*v));
        return std::nullopt;
    }
    return int(*v);
}

std::optional<bool> JsonReader::flag(QLatin1String key, QLatin1String alternative) const
{
    QLatin1String used;
    const JsonNode v = pick(key, alternative, &used);
    if (isAbsent(v))
        return std::nullopt;
    if (v.isBool())
        return v.toBool();
    if (v.isNumber()) {
        const double d = v.toDouble();
        if (d == 1.0)
            return true;
        if (d == 0.0)
            return false;
    }
    if (v.isString()) {
        const QString s = v.toString().trimmed();
        for (const char *t : {"1", "true", "on", "yes"})
            if (s.compare(QLatin1String(t), Qt::CaseInsensitive) == 0)
                return true;
        for (const char *f : {"0", "false", "off", "no"})
            if (s.compare(QLatin1String(f), Qt::CaseInsensitive) == 0)
                return false;
    }
    problem(used, QStringLiteral("is %1, expected a flag").arg(describe(v)));
    return std::nullopt;
}

QDateTime JsonReader::time(QLatin1String key, QLatin1String alternative) const
{
    QLatin1String used;
    const JsonNode v = pick(key, alternative, &used);
    bool ok = true;
    QDateTime t = ApiTime::parse(v, &ok);
    if (!ok)
        problem(used, QStringLiteral("is %1, expected a time").arg(describe(v)));
    return t;
}

QString JsonReader::requiredText(QLatin1String key, QLatin1String alternative)
{
    QString s = text(key, alternative);
    if (s.isEmpty())
        fail(QStringLiteral("required field '%1' is missing").arg(key));
    return s;
}

QString JsonReader::requiredIdentifier(QLatin1String key, QLatin1String alternative)
{
    QString s = identifier(key, alternative);
    if (s.isEmpty())
        fail(QStringLiteral("required field '%1' is missing or not an identifier").arg(key));
    return s;
}

std::optional<double> JsonReader::requiredNumber(QLatin1String key, QLatin1String alternative)
{
    QLatin1String used;
    const JsonNode v = pick(key, alternative, &used);
    bool ok = true;
    const std::optional<double> d = toNumber(v, &ok);
    if (!ok)
        fail(QStringLiteral("required field '%1' is %2, expected a number").arg(used, describe(v)));
    else if (!d)
        fail(QStringLiteral("required field '%1' is missing").arg(key));
    return ok ? d : std::nullopt;
}

QDateTime JsonReader::requiredTime(QLatin1String key, QLatin1String alternative)
{
    QLatin1String used;
    const JsonNode v = pick(key, alternative, &used);
    bool ok = true;
    QDateTime t = ApiTime::parse(v, &ok);
    if (!ok)
        fail(QStringLiteral("required field '%1' is %2, expected a time").arg(used, describe(v)));
    else if (!t.isValid())
        fail(QStringLiteral("required field '%1' is missing").arg(key));
    return t;
}

} // namespace Fleet
