#include "jsondom.h"

#include "bytes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QScopeGuard>
#include <QVarLengthArray>

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <string_view>
#include <vector>

namespace Fleet {

namespace {

// Validates a string's escapes from the byte after its opening quote and
// finds its closing quote: *end (the quote), *escaped. UTF-8 has been checked
// by simdjson for the whole document; control characters and escapes are
// checked here (RFC 8259 §7; \u escapes must pair their surrogates).
const char *scanString(const char *p, const char *end, bool *escaped)
{
    *escaped = false;
    const auto hex4 = [](const char *q) {
        int v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = q[k];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v |= c - 'A' + 10;
            else
                return -1;
        }
        return v;
    };
    while (p < end) {
        const unsigned char c = uchar(*p);
        if (c == '"')
            return p;
        if (c < 0x20)
            return nullptr;
        if (c != '\\') {
            ++p;
            continue;
        }
        *escaped = true;
        if (end - p < 2)
            return nullptr;
        const char e = p[1];
        if (e != 'u') {
            if (!std::strchr("\"\\/bfnrt", e) || e == 0)
                return nullptr;
            p += 2;
            continue;
        }
        if (end - p < 6)
            return nullptr;
        const int cp = hex4(p + 2);
        if (cp < 0)
            return nullptr;
        p += 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return nullptr; // a low surrogate alone
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
                return nullptr;
            const int lo = hex4(p + 2);
            if (lo < 0xDC00 || lo > 0xDFFF)
                return nullptr;
            p += 6;
        }
    }
    return nullptr;
}

// A JSON number literal exactly (RFC 8259 §6), and its value. Beyond double
// range: a negative exponent underflows to zero, anything else overflows to
// infinity (readers reject non-finite numbers; the literal is kept).
bool readNumber(std::string_view literal, double *out)
{
    const char *start = literal.data();
    const char *end = start + literal.size();
    const char *p = start;
    if (p < end && *p == '-')
        ++p;
    if (p >= end)
        return false;
    if (*p == '0') {
        ++p;
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
    } else {
        return false;
    }
    if (p < end && *p == '.') {
        ++p;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < end && (*p == '+' || *p == '-'))
            ++p;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
    }
    if (p != end)
        return false;
    double d = 0.0;
    const auto res = std::from_chars(start, end, d);
    if (res.ec == std::errc::result_out_of_range) {
        const char *e = start;
        while (e < end && *e != 'e' && *e != 'E')
            ++e;
        const bool underflow = e < end && e + 1 < end && e[1] == '-';
        const double sign = *start == '-' ? -1.0 : 1.0;
        d = underflow ? sign * 0.0 : sign * HUGE_VAL;
    } else if (res.ec != std::errc() || res.ptr != end) {
        return false;
    }
    *out = d;
    return true;
}

// What went wrong, in the words our other errors use.
const char *describe(simdjson::error_code e)
{
    switch (e) {
    case simdjson::TAPE_ERROR: return "invalid JSON structure";
    case simdjson::DEPTH_ERROR: return "nesting too deep";
    case simdjson::STRING_ERROR:
    case simdjson::UNESCAPED_CHARS: return "invalid string";
    case simdjson::UNCLOSED_STRING: return "unterminated string";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "invalid literal";
    case simdjson::NUMBER_ERROR: return "invalid number";
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::EMPTY:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "unexpected end of input";
    case simdjson::TRAILING_CONTENT: return "unexpected content after the JSON value";
    case simdjson::MEMALLOC:
    case simdjson::CAPACITY: return "document too large";
    default: return simdjson::error_message(e);
    }
}

// The keys of one object, for the duplicate check in linear time. Up to 64
// keys: a 64-bit filter over their hashes and a short list, so the common
// object costs one bit test per key. Beyond: an open-addressing table
// (reused from object to object, no allocation per key).
class KeySet
{
public:
    explicit KeySet(std::vector<qint32> *table)
        : m_table(table)
    { }

    // False when name was there already.
    bool insert(std::string_view name)
    {
        const quint64 h = hash(name);
        if (m_keys.size() < kSmall) {
            const quint64 bit = quint64(1) << (h & 63);
            if (m_filter & bit) {
                for (const Key &k : m_keys) {
                    if (k.hash == h && k.name == name)
                        return false;
                }
            }
            m_filter |= bit;
            m_keys.append(Key{h, name});
            if (m_keys.size() == kSmall)
                rebuild(kSmall * 4);
            return true;
        }
        if (!find(h, name, true))
            return false;
        m_keys.append(Key{h, name});
        if (qsizetype(m_keys.size()) * 2 > qsizetype(m_table->size()))
            rebuild(m_table->size() * 2);
        return true;
    }

private:
    struct Key
    {
        quint64 hash;
        std::string_view name;
    };
    static constexpr qsizetype kSmall = 64;

    static quint64 hash(std::string_view s)
    {
        quint64 h = 1469598103934665603ULL; // FNV-1a
        for (const char c : s)
            h = (h ^ uchar(c)) * 1099511628211ULL;
        return h;
    }

    // True (and, with insertNew, the slot taken for the next key) when name
    // is not in the table.
    bool find(quint64 h, std::string_view name, bool insertNew)
    {
        const std::size_t mask = m_table->size() - 1;
        for (std::size_t i = std::size_t(h) & mask;; i = (i + 1) & mask) {
            const qint32 at = (*m_table)[i];
            if (at < 0) {
                if (insertNew)
                    (*m_table)[i] = qint32(m_keys.size());
                return true;
            }
            const Key &k = m_keys[at];
            if (k.hash == h && k.name == name)
                return false;
        }
    }

    void rebuild(std::size_t tableSize)
    {
        m_table->assign(tableSize, -1);
        const std::size_t mask = tableSize - 1;
        for (qint32 n = 0; n < qint32(m_keys.size()); ++n) {
            std::size_t i = std::size_t(m_keys[n].hash) & mask;
            while ((*m_table)[i] >= 0)
                i = (i + 1) & mask;
            (*m_table)[i] = n;
        }
    }

    quint64 m_filter = 0;
    QVarLengthArray<Key, kSmall> m_keys;
    std::vector<qint32> *m_table;
};

std::string_view trimmedToken(std::string_view token)
{
    while (!token.empty()
           && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t'))
        token.remove_suffix(1);
    return token;
}

} // namespace

// Walks simdjson's On-Demand iterator over the whole document once, building
// the flat node array. simdjson validates UTF-8 and the structure; strings
// and numbers are checked here, where their raw bytes are kept.
class JsonDomParser
{
public:
    JsonDomParser(JsonDom &dom, int maxDepth)
        : m_dom(dom)
        , m_begin(dom.m_bytes.constData())
        , m_end(dom.m_bytes.constData() + dom.m_bytes.size())
        , m_maxDepth(maxDepth)
    { }

    bool run()
    {
        m_dom.m_nodes.reserve(size_t(m_end - m_begin) / 8 + 4);
        // The parser keeps its buffers for the next document on this thread.
        thread_local simdjson::ondemand::parser parser;
        // simdjson reads up to SIMDJSON_PADDING bytes past the end: the
        // buffer was given that capacity (JsonDom::parse).
        const simdjson::padded_string_view input(m_begin, size_t(m_end - m_begin), size_t(m_dom.m_bytes.capacity()));
        // A lone scalar is checked here; objects and arrays go through simdjson.
        const char *first = m_begin;
        while (first < m_end && isSpace(*first))
            ++first;
        if (first == m_end)
            return failAt("unexpected end of input", first);
        if (*first != '{' && *first != '[')
            return rootScalar(first);
        simdjson::ondemand::document doc;
        if (const auto e = parser.iterate(input).get(doc))
            return fail(e, nullptr);
        m_doc = &doc;
        // The document lives in this call only.
        const auto forget = qScopeGuard([this] { m_doc = nullptr; });
        simdjson::ondemand::value root;
        if (const auto e = doc.get_value().get(root))
            return fail(e, doc);
        if (!value(root, 0))
            return false;
        // Nothing may follow the value: a location that is still inside the
        // document is trailing content.
        const char *rest = nullptr;
        if (doc.current_location().get(rest) == simdjson::SUCCESS && rest && rest < m_end)
            return failAt("unexpected content after the JSON value", rest);
        return true;
    }

    QString error;

private:
    static bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

    bool rootScalar(const char *first)
    {
        const char *last = m_end;
        while (last > first && isSpace(last[-1]))
            --last;
        const std::string_view token(first, size_t(last - first));
        if (*first == '"') {
            bool escaped = false;
            const char *close = scanString(first + 1, last, &escaped);
            if (!close || close + 1 != last)
                return failAt("invalid string", first);
            if (!Bytes::isUtf8(QByteArrayView(first + 1, close - first - 1)))
                return failAt("invalid UTF-8", first);
            return string(first);
        }
        if (token == "true" || token == "false") {
            const qint32 i = push(JsonDom::Type::Bool);
            m_dom.m_nodes[size_t(i)].boolValue = token == "true";
            return true;
        }
        if (token == "null") {
            push(JsonDom::Type::Null);
            return true;
        }
        return scalar(simdjson::ondemand::json_type::number, token, [](bool *) { return simdjson::INCORRECT_TYPE; });
    }

    bool failAt(const char *what, simdjson::ondemand::document &doc)
    {
        const char *at = nullptr;
        if (doc.current_location().get(at) != simdjson::SUCCESS || !at)
            at = m_end;
        return failAt(what, at);
    }

    bool failAt(const char *what, const char *at)
    {
        if (error.isEmpty())
            error = QStringLiteral("%1 at offset %2")
                        .arg(QLatin1String(what))
                        .arg(qint64(qBound(m_begin, at, m_end) - m_begin));
        return false;
    }

    bool fail(simdjson::error_code e, simdjson::ondemand::document &doc) { return failAt(describe(e), doc); }

    // Where the iterator stopped, or else where the value began.
    bool fail(simdjson::error_code e, const char *at)
    {
        const char *stopped = nullptr;
        if (m_doc && m_doc->current_location().get(stopped) == simdjson::SUCCESS && stopped)
            at = stopped;
        if (error.isEmpty())
            error = at ? QStringLiteral("%1 at offset %2")
                             .arg(QLatin1String(describe(e)))
                             .arg(qint64(qBound(m_begin, at, m_end) - m_begin))
                       : QLatin1String(describe(e));
        return false;
    }

    qint32 push(JsonDom::Type type)
    {
        JsonDom::Node n;
        n.type = type;
        m_dom.m_nodes.push_back(n);
        return qint32(m_dom.m_nodes.size() - 1);
    }

    // A string from its opening quote: a node over its raw bytes.
    bool string(const char *quote, qint32 *index = nullptr)
    {
        bool escaped = false;
        const char *close = scanString(quote + 1, m_end, &escaped);
        if (!close)
            return failAt("invalid string", quote);
        const qint32 i = push(JsonDom::Type::String);
        JsonDom::Node &n = m_dom.m_nodes[size_t(i)];
        n.offset = qint32(quote + 1 - m_begin);
        n.size = qint32(close - quote - 1);
        n.escaped = escaped;
        if (index)
            *index = i;
        return true;
    }

    template<typename GetBool>
    bool scalar(simdjson::ondemand::json_type type, std::string_view token, GetBool getBool)
    {
        using simdjson::ondemand::json_type;
        token = trimmedToken(token);
        switch (type) {
        case json_type::string: return string(token.data());
        case json_type::number: {
            double d = 0.0;
            if (!readNumber(token, &d))
                return failAt("invalid number", token.data());
            const qint32 i = push(JsonDom::Type::Number);
            JsonDom::Node &n = m_dom.m_nodes[size_t(i)];
            n.number = d;
            // The literal is kept so that a value beyond double range (1e400)
            // or an identifier's digits can be reproduced exactly.
            n.offset = qint32(token.data() - m_begin);
            n.size = qint32(token.size());
            return true;
        }
        case json_type::boolean: {
            bool b = false;
            if (const auto e = getBool(&b))
                return fail(e, token.data());
            const qint32 i = push(JsonDom::Type::Bool);
            m_dom.m_nodes[size_t(i)].boolValue = b;
            return true;
        }
        case json_type::null:
            if (token != "null")
                return failAt("invalid literal", token.data());
            push(JsonDom::Type::Null);
            return true;
        default: return failAt("unexpected value", token.data());
        }
    }

    bool value(simdjson::ondemand::value &v, int depth)
    {
        // The first byte says what the value is. Scalars are read from their
        // raw token (the iterator skips what is not consumed).
        const std::string_view token = v.raw_json_token();
        const char *at = token.data();
        using simdjson::ondemand::json_type;
        switch (token.empty() ? '\0' : token.front()) {
        case '{': return object(v, depth + 1, at);
        case '[': return array(v, depth + 1, at);
        case '"': return string(at);
        case 't':
        case 'f': {
            const std::string_view literal = trimmedToken(token);
            if (literal != "true" && literal != "false")
                return failAt("invalid literal", at);
            const qint32 i = push(JsonDom::Type::Bool);
            m_dom.m_nodes[size_t(i)].boolValue = literal == "true";
            return true;
        }
        case 'n': return scalar(json_type::null, token, [](bool *) { return simdjson::INCORRECT_TYPE; });
        default: return scalar(json_type::number, token, [](bool *) { return simdjson::INCORRECT_TYPE; });
        }
    }

    // The decoded bytes of a key, for the duplicate check.
    std::string_view keyBytes(qint32 key)
    {
        const JsonDom::Node &n = m_dom.m_nodes[size_t(key)];
        if (!n.escaped)
            return std::string_view(m_begin + n.offset, size_t(n.size));
        m_decodedKeys.push_back(JsonNode(&m_dom, key).toString().toUtf8());
        return std::string_view(m_decodedKeys.back().constData(), size_t(m_decodedKeys.back().size()));
    }

    bool object(simdjson::ondemand::value &v, int depth, const char *at)
    {
        if (depth > m_maxDepth)
            return failAt("nesting too deep", at);
        simdjson::ondemand::object object;
        if (const auto e = v.get_object().get(object))
            return fail(e, at);
        const qint32 self = push(JsonDom::Type::Object);
        qint32 count = 0;
        qint32 prevValue = -1;
        // Duplicate keys are refused, in linear time (KeySet).
        KeySet keys(&m_keyTable);
        for (auto member : object) {
            simdjson::ondemand::field field;
            if (const auto e = std::move(member).get(field))
                return fail(e, at);
            const char *keyQuote = field.key().raw() - 1;
            qint32 key = -1;
            if (!string(keyQuote, &key))
                return false;
            if (!keys.insert(keyBytes(key)))
                return failAt("duplicate key", keyQuote);
            if (prevValue >= 0)
                m_dom.m_nodes[size_t(prevValue)].next = key;
            const qint32 val = qint32(m_dom.m_nodes.size());
            if (!value(field.value(), depth))
                return false;
            m_dom.m_nodes[size_t(key)].next = val;
            prevValue = val;
            ++count;
        }
        m_dom.m_nodes[size_t(self)].size = count;
        return true;
    }

    bool array(simdjson::ondemand::value &v, int depth, const char *at)
    {
        if (depth > m_maxDepth)
            return failAt("nesting too deep", at);
        simdjson::ondemand::array array;
        if (const auto e = v.get_array().get(array))
            return fail(e, at);
        const qint32 self = push(JsonDom::Type::Array);
        qint32 count = 0;
        qint32 prev = -1;
        for (auto element : array) {
            simdjson::ondemand::value item;
            if (const auto e = element.get(item))
                return fail(e, at);
            const qint32 index = qint32(m_dom.m_nodes.size());
            if (!value(item, depth))
                return false;
            if (prev >= 0)
                m_dom.m_nodes[size_t(prev)].next = index;
            prev = index;
            ++count;
        }
        m_dom.m_nodes[size_t(self)].size = count;
        return true;
    }

    JsonDom &m_dom;
    const char *m_begin;
    const char *m_end;
    int m_maxDepth;
    std::deque<QByteArray> m_decodedKeys;
    simdjson::ondemand::document *m_doc = nullptr;
    std::vector<qint32> m_keyTable; // KeySet's table for objects of many keys
};

std::optional<JsonDom> JsonDom::parse(const QByteArray &utf8, QString *error, int maxDepth)
{
    if (utf8.size() >= std::numeric_limits<qint32>::max() / 2) {
        if (error)
            *error = QStringLiteral("document too large");
        return std::nullopt;
    }
    JsonDom dom;
    // simdjson may read (never write) up to SIMDJSON_PADDING bytes past the
    // end: a buffer allocated that far is shared, any other is copied into
    // one that is.
    const qsizetype padding = qsizetype(simdjson::SIMDJSON_PADDING);
    if (utf8.capacity() - utf8.size() >= padding) {
        dom.m_bytes = utf8;
    } else {
        dom.m_bytes.reserve(utf8.size() + padding);
        dom.m_bytes.append(utf8);
    }
    JsonDomParser parser(dom, maxDepth);
    if (!parser.run()) {
        if (error)
            *error = parser.error;
        return std::nullopt;
    }
    return dom;
}

JsonNode JsonDom::root() const
{
    return m_nodes.empty() ? JsonNode() : JsonNode(this, 0);
}

QString JsonNode::toString() const
{
    if (!isString())
        return QString();
    const JsonDom::Node &n = m_dom->node(m_index);
    const char *s = m_dom->bytes().constData() + n.offset;
    if (!n.escaped)
        return QString::fromUtf8(s, n.size);
    QString out;
    out.reserve(n.size);
    QByteArray run;
    auto flush = [&] {
        if (!run.isEmpty()) {
            out += QString::fromUtf8(run);
            run.clear();
        }
    };
    for (qint32 i = 0; i < n.size; ++i) {
        if (s[i] != '\\') {
            run += s[i];
            continue;
        }
        flush();
        const char e = s[++i];
        switch (e) {
        case 'b': out += QLatin1Char('\b'); break;
        case 'f': out += QLatin1Char('\f'); break;
        case 'n': out += QLatin1Char('\n'); break;
        case 'r': out += QLatin1Char('\r'); break;
        case 't': out += QLatin1Char('\t'); break;
        case 'u': {
            const int cp = QByteArray(s + i + 1, 4).toInt(nullptr, 16);
            out += QChar(char16_t(cp));
            i += 4;
            break;
        }
        default: out += QLatin1Char(e); break;
        }
    }
    flush();
    return out;
}

bool JsonNode::stringIsEmptyOrBlank() const
{
    if (!isString())
        return false;
    const JsonDom::Node &n = m_dom->node(m_index);
    const char *s = m_dom->bytes().constData() + n.offset;
    for (qint32 i = 0; i < n.size; ++i)
        if (s[i] != ' ')
            return false;
    return true;
}

bool JsonNode::stringEquals(QLatin1String str) const
{
    if (!isString())
        return false;
    const JsonDom::Node &n = m_dom->node(m_index);
    if (n.escaped)
        return toString() == str;
    return n.size == str.size() && std::memcmp(m_dom->bytes().constData() + n.offset, str.data(), size_t(n.size)) == 0;
}

std::optional<QByteArrayView> JsonNode::rawString() const
{
    if (!isString())
        return std::nullopt;
    const JsonDom::Node &n = m_dom->node(m_index);
    if (n.escaped)
        return std::nullopt;
    return QByteArrayView(m_dom->bytes().constData() + n.offset, n.size);
}

JsonObjectIndex::JsonObjectIndex(const JsonNode &object)
{
    if (!object.isObject())
        return;
    m_dom = object.m_dom;
    m_entries.reserve(object.size());
    for (JsonNode k = object.firstChild(); !k.isUndefined();) {
        const JsonNode v = k.nextSibling();
        const JsonDom::Node &kn = m_dom->node(k.m_index);
        const char *key = m_dom->bytes().constData() + kn.offset;
        m_entries.append(Entry{key, kn.escaped ? -1 : kn.size, prefixOf(key, kn.size), k.m_index, v.m_index});
        k = v.nextSibling();
    }
}

quint32 JsonObjectIndex::prefixOf(const char *key, qint32 size)
{
    quint32 p = 0;
    std::memcpy(&p, key, size_t(qMin(size, 4)));
    return p;
}

JsonNode JsonObjectIndex::value(QLatin1String key) const
{
    const qint32 len = qint32(key.size());
    const quint32 prefix = prefixOf(key.data(), len);
    for (const Entry &e : m_entries) {
        if (e.size == len && e.prefix == prefix
            && (len <= 4 || std::memcmp(e.key + 4, key.data() + 4, size_t(len - 4)) == 0))
            return JsonNode(m_dom, e.value);
        // An escaped key (rare) is compared in decoded form.
        if (e.size < 0 && JsonNode(m_dom, e.keyIndex).toString() == key)
            return JsonNode(m_dom, e.value);
    }
    return JsonNode();
}

JsonNode JsonNode::firstChild() const
{
    if (size() == 0)
        return JsonNode();
    return JsonNode(m_dom, m_index + 1);
}

JsonNode JsonNode::nextSibling() const
{
    if (!m_dom)
        return JsonNode();
    const qint32 next = m_dom->node(m_index).next;
    return next < 0 ? JsonNode() : JsonNode(m_dom, next);
}

JsonNode JsonNode::value(QLatin1String key) const
{
    if (!isObject())
        return JsonNode();
    for (JsonNode k = firstChild(); !k.isUndefined();) {
        const JsonNode v = k.nextSibling();
        if (k.stringEquals(key))
            return v;
        k = v.nextSibling();
    }
    return JsonNode();
}

QJsonValue JsonNode::toJsonValue() const
{
    switch (type()) {
    case JsonDom::Type::Undefined: return QJsonValue(QJsonValue::Undefined);
    case JsonDom::Type::Null: return QJsonValue();
    case JsonDom::Type::Bool: return toBool();
    case JsonDom::Type::Number: return toDouble();
    case JsonDom::Type::String: return toString();
    case JsonDom::Type::Array: {
        QJsonArray a;
        for (JsonNode c = firstChild(); !c.isUndefined(); c = c.nextSibling())
            a.append(c.toJsonValue());
        return a;
    }
    case JsonDom::Type::Object: {
        QJsonObject o;
        for (JsonNode k = firstChild(); !k.isUndefined();) {
            const JsonNode v = k.nextSibling();
            o.insert(k.toString(), v.toJsonValue());
            k = v.nextSibling();
        }
        return o;
    }
    }
    return QJsonValue();
}

// Recursion is bounded by the parser's depth limit.
void JsonNode::appendCompact(QByteArray *out) const
{
    if (!m_dom)
        return;
    const JsonDom::Node &n = m_dom->node(m_index);
    const char *source = m_dom->bytes().constData();
    switch (n.type) {
    case JsonDom::Type::Undefined: return;
    case JsonDom::Type::Null: out->append("null"); return;
    case JsonDom::Type::Bool: out->append(n.boolValue ? "true" : "false"); return;
    case JsonDom::Type::Number: out->append(source + n.offset, n.size); return;
    case JsonDom::Type::String:
        out->append('"');
        out->append(source + n.offset, n.size);
        out->append('"');
        return;
    case JsonDom::Type::Array:
    case JsonDom::Type::Object: {
        const bool object = n.type == JsonDom::Type::Object;
        out->append(object ? '{' : '[');
        qint32 i = 0;
        for (JsonNode c = firstChild(); !c.isUndefined(); c = c.nextSibling(), ++i) {
            // Objects alternate key, value.
            if (i > 0)
                out->append(object && i % 2 == 1 ? ':' : ',');
            c.appendCompact(out);
        }
        out->append(object ? '}' : ']');
        return;
    }
    }
}

QByteArray JsonNode::toCompactJson() const
{
    QByteArray out;
    appendCompact(&out);
    return out;
}

} // namespace Fleet
