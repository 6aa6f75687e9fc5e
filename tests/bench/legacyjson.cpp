#include "legacyjson.h"

#include <QVarLengthArray>

#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace LegacyJson {

namespace {

enum class Type : quint8 { Undefined, Null, Bool, Number, String, Array, Object };

struct Node
{
    Type type = Type::Undefined;
    bool boolValue = false;
    bool escaped = false;
    qint32 next = -1;
    qint32 offset = 0;
    qint32 size = 0;
    double number = 0.0;
};

struct LegacyDom
{
    QByteArray m_bytes;
    std::vector<Node> m_nodes;
};

// Decodes a string's escapes (the old JsonNode::toString()).
QString unescape(const char *s, qint32 size)
{
    QString out;
    QByteArray run;
    auto flush = [&] {
        if (!run.isEmpty()) {
            out += QString::fromUtf8(run);
            run.clear();
        }
    };
    for (qint32 i = 0; i < size; ++i) {
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
        case 'u':
            out += QChar(char16_t(QByteArray(s + i + 1, 4).toInt(nullptr, 16)));
            i += 4;
            break;
        default: out += QLatin1Char(e); break;
        }
    }
    flush();
    return out;
}

class LegacyParser
{
public:
    LegacyParser(LegacyDom &dom, int maxDepth)
        : m_dom(dom)
        , m_p(dom.m_bytes.constData())
        , m_begin(dom.m_bytes.constData())
        , m_end(dom.m_bytes.constData() + dom.m_bytes.size())
        , m_maxDepth(maxDepth)
    { }

    bool run()
    {
        m_dom.m_nodes.reserve(size_t(m_end - m_begin) / 8 + 4);
        skipSpace();
        if (!value(0))
            return false;
        skipSpace();
        if (m_p != m_end)
            return fail("unexpected content after the JSON value");
        return true;
    }

    QString error;

private:
    bool fail(const char *what)
    {
        if (error.isEmpty())
            error = QStringLiteral("%1 at offset %2").arg(QLatin1String(what)).arg(qint64(m_p - m_begin));
        return false;
    }

    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    qint32 push(Type type)
    {
        Node n;
        n.type = type;
        m_dom.m_nodes.push_back(n);
        return qint32(m_dom.m_nodes.size() - 1);
    }

    bool literal(const char *word, Type type, bool boolValue)
    {
        const size_t len = std::strlen(word);
        if (size_t(m_end - m_p) < len || std::memcmp(m_p, word, len) != 0)
            return fail("invalid literal");
        m_p += len;
        const qint32 i = push(type);
        m_dom.m_nodes[size_t(i)].boolValue = boolValue;
        return true;
    }

    bool value(int depth)
    {
        if (m_p >= m_end)
            return fail("unexpected end of input");
        switch (*m_p) {
        case '{': return object(depth + 1);
        case '[': return array(depth + 1);
        case '"': return string();
        case 't': return literal("true", Type::Bool, true);
        case 'f': return literal("false", Type::Bool, false);
        case 'n': return literal("null", Type::Null, false);
        default: return number();
        }
    }

    bool number()
    {
        const char *start = m_p;
        const char *p = m_p;
        if (p < m_end && *p == '-')
            ++p;
        if (p >= m_end)
            return fail("invalid number");
        if (*p == '0') {
            ++p;
        } else if (*p >= '1' && *p <= '9') {
            while (p < m_end && *p >= '0' && *p <= '9')
                ++p;
        } else {
            return fail("unexpected character");
        }
        if (p < m_end && *p == '.') {
            ++p;
            if (p >= m_end || *p < '0' || *p > '9')
                return fail("invalid number");
            while (p < m_end && *p >= '0' && *p <= '9')
                ++p;
        }
        if (p < m_end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p < m_end && (*p == '+' || *p == '-'))
                ++p;
            if (p >= m_end || *p < '0' || *p > '9')
                return fail("invalid number");
            while (p < m_end && *p >= '0' && *p <= '9')
                ++p;
        }
        double d = 0.0;
        const auto res = std::from_chars(start, p, d);
        if (res.ec == std::errc::result_out_of_range) {
            // Beyond double: a negative exponent underflows to zero, anything
            // else overflows to infinity (readers reject non-finite numbers).
            const char *e = start;
            while (e < p && *e != 'e' && *e != 'E')
                ++e;
            const bool underflow = e < p && e + 1 < p && e[1] == '-';
            const double sign = *start == '-' ? -1.0 : 1.0;
            d = underflow ? sign * 0.0 : sign * HUGE_VAL;
        } else if (res.ec != std::errc() || res.ptr != p) {
            return fail("invalid number");
        }
        const qint32 i = push(Type::Number);
        Node &n = m_dom.m_nodes[size_t(i)];
        n.number = d;
        // The literal is kept so that a value beyond double range (1e400) can
        // still be reproduced exactly (toCompactJson).
        n.offset = qint32(start - m_begin);
        n.size = qint32(p - start);
        m_p = p;
        return true;
    }

    static int hex4(const char *p)
    {
        int v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = p[k];
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
    }

    bool string()
    {
        ++m_p; // opening quote
        const char *start = m_p;
        bool escaped = false;
        while (true) {
            if (m_p >= m_end)
                return fail("unterminated string");
            const unsigned char c = uchar(*m_p);
            if (c == '"')
                break;
            if (c < 0x20)
                return fail("control character in string");
            if (c == '\\') {
                escaped = true;
                if (m_end - m_p < 2)
                    return fail("unterminated escape");
                const char e = m_p[1];
                if (e == 'u') {
                    if (m_end - m_p < 6)
                        return fail("truncated \\u escape");
                    const int cp = hex4(m_p + 2);
                    if (cp < 0)
                        return fail("invalid \\u escape");
                    m_p += 6;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u')
                            return fail("unpaired surrogate");
                        const int lo = hex4(m_p + 2);
                        if (lo < 0xDC00 || lo > 0xDFFF)
                            return fail("unpaired surrogate");
                        m_p += 6;
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return fail("unpaired surrogate");
                    }
                    continue;
                }
                if (!std::strchr("\"\\/bfnrt", e) || e == 0)
                    return fail("invalid escape");
                m_p += 2;
                continue;
            }
            if (c < 0x80) {
                ++m_p;
                continue;
            }
            // Multi-byte UTF-8: reject overlongs, surrogates and > U+10FFFF.
            int len = 0;
            uint cp = 0;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
                cp = c & 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                cp = c & 0x0F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                cp = c & 0x07;
            } else {
                return fail("invalid UTF-8");
            }
            if (m_end - m_p < len)
                return fail("truncated UTF-8");
            for (int k = 1; k < len; ++k) {
                const unsigned char cc = uchar(m_p[k]);
                if ((cc & 0xC0) != 0x80)
                    return fail("invalid UTF-8");
                cp = (cp << 6) | (cc & 0x3F);
            }
            if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
                || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
                return fail("invalid UTF-8");
            m_p += len;
        }
        const qint32 i = push(Type::String);
        Node &n = m_dom.m_nodes[size_t(i)];
        n.offset = qint32(start - m_begin);
        n.size = qint32(m_p - start);
        n.escaped = escaped;
        ++m_p; // closing quote
        return true;
    }

    bool keysEqual(const Node &a, const Node &b) const
    {
        if (!a.escaped && !b.escaped)
            return a.size == b.size && std::memcmp(m_begin + a.offset, m_begin + b.offset, size_t(a.size)) == 0;
        return unescape(m_begin + a.offset, a.size) == unescape(m_begin + b.offset, b.size);
    }

    static quint64 keyHash(const char *p, qint32 n)
    {
        quint64 h = 1469598103934665603ULL; // FNV-1a
        for (qint32 i = 0; i < n; ++i)
            h = (h ^ uchar(p[i])) * 1099511628211ULL;
        return h;
    }

    bool object(int depth)
    {
        if (depth > m_maxDepth)
            return fail("nesting too deep");
        const qint32 self = push(Type::Object);
        ++m_p;
        skipSpace();
        qint32 count = 0;
        qint32 prevValue = -1;
        // Duplicate keys are refused. A 64-bit filter over key hashes makes
        // the common case (no duplicate) cost one bit test per key.
        quint64 seenBits = 0;
        QVarLengthArray<std::pair<quint64, qint32>, 48> keys;
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        while (true) {
            skipSpace();
            if (m_p >= m_end || *m_p != '"')
                return fail("expected a key");
            const qint32 key = qint32(m_dom.m_nodes.size());
            if (!string())
                return false;
            const Node &kn = m_dom.m_nodes[size_t(key)];
            // Escaped keys hash their decoded text, so "a\u0062" meets "ab".
            const QByteArray decodedKey = kn.escaped ? unescape(m_begin + kn.offset, kn.size).toUtf8() : QByteArray();
            const quint64 h = kn.escaped ? keyHash(decodedKey.constData(), qint32(decodedKey.size()))
                                         : keyHash(m_begin + kn.offset, kn.size);
            const quint64 bit = quint64(1) << (h & 63);
            if (seenBits & bit) {
                for (const auto &[otherHash, other] : keys) {
                    if (otherHash == h && keysEqual(m_dom.m_nodes[size_t(other)], m_dom.m_nodes[size_t(key)]))
                        return fail("duplicate key");
                }
            }
            seenBits |= bit;
            keys.append({h, key});
            if (prevValue >= 0)
                m_dom.m_nodes[size_t(prevValue)].next = key;
            skipSpace();
            if (m_p >= m_end || *m_p != ':')
                return fail("expected ':'");
            ++m_p;
            skipSpace();
            const qint32 val = qint32(m_dom.m_nodes.size());
            if (!value(depth))
                return false;
            m_dom.m_nodes[size_t(key)].next = val;
            prevValue = val;
            ++count;
            skipSpace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_end && *m_p == '}') {
                ++m_p;
                break;
            }
            return fail("expected ',' or '}'");
        }
        m_dom.m_nodes[size_t(self)].size = count;
        return true;
    }

    bool array(int depth)
    {
        if (depth > m_maxDepth)
            return fail("nesting too deep");
        const qint32 self = push(Type::Array);
        ++m_p;
        skipSpace();
        qint32 count = 0;
        qint32 prev = -1;
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        while (true) {
            skipSpace();
            const qint32 item = qint32(m_dom.m_nodes.size());
            if (!value(depth))
                return false;
            if (prev >= 0)
                m_dom.m_nodes[size_t(prev)].next = item;
            prev = item;
            ++count;
            skipSpace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_end && *m_p == ']') {
                ++m_p;
                break;
            }
            return fail("expected ',' or ']'");
        }
        m_dom.m_nodes[size_t(self)].size = count;
        return true;
    }

    LegacyDom &m_dom;
    const char *m_p;
    const char *m_begin;
    const char *m_end;
    int m_maxDepth;
};

} // namespace

bool parse(const QByteArray &utf8, qsizetype *nodes, QString *error, int maxDepth)
{
    LegacyDom dom;
    dom.m_bytes = utf8;
    LegacyParser parser(dom, maxDepth);
    const bool ok = parser.run();
    if (!ok && error)
        *error = parser.error;
    if (nodes)
        *nodes = qsizetype(dom.m_nodes.size());
    return ok;
}

} // namespace LegacyJson
