#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QLatin1String>
#include <QString>
#include <QVarLengthArray>

#include <memory>
#include <optional>
#include <vector>

namespace Fleet {

class JsonNode;

// A read-only JSON document parsed straight from UTF-8 bytes into a flat node
// array. Strings stay in the source buffer and are decoded only when read, so
// a 10,000-device answer parses several times faster than with QJsonDocument.
// Strict: RFC 8259 grammar, valid UTF-8, no lone surrogates, no duplicate
// keys, nesting limited, no trailing content. Owns its bytes.
class JsonDom
{
public:
    enum class Type : quint8 { Undefined, Null, Bool, Number, String, Array, Object };

    struct Node
    {
        Type type = Type::Undefined;
        bool boolValue = false;
        bool escaped = false; // string contains escapes: decode before comparing
        qint32 next = -1; // index of the next sibling, -1 for the last
        qint32 offset = 0; // string: first byte after the opening quote; number: first byte
        qint32 size = 0; // string, number: byte length; array/object: number of children
        double number = 0.0;
    };

    static constexpr int kDefaultMaxDepth = 64;

    // nullopt and *error set for anything that is not exactly one JSON value.
    static std::optional<JsonDom> parse(const QByteArray &utf8, QString *error = nullptr,
                                        int maxDepth = kDefaultMaxDepth);

    JsonNode root() const;
    const Node &node(qint32 i) const { return m_nodes[size_t(i)]; }
    const QByteArray &bytes() const { return m_bytes; }

private:
    friend class JsonDomParser;
    QByteArray m_bytes;
    std::vector<Node> m_nodes;
};

// A cheap handle to one value of a JsonDom; invalid (Undefined) when a
// lookup finds nothing. Must not outlive its document.
class JsonNode
{
public:
    JsonNode() = default;
    JsonNode(const JsonDom *dom, qint32 index)
        : m_dom(dom)
        , m_index(index)
    { }

    JsonDom::Type type() const { return m_dom ? m_dom->node(m_index).type : JsonDom::Type::Undefined; }
    bool isUndefined() const { return type() == JsonDom::Type::Undefined; }
    bool isNull() const { return type() == JsonDom::Type::Null; }
    bool isBool() const { return type() == JsonDom::Type::Bool; }
    bool isNumber() const { return type() == JsonDom::Type::Number; }
    bool isString() const { return type() == JsonDom::Type::String; }
    bool isArray() const { return type() == JsonDom::Type::Array; }
    bool isObject() const { return type() == JsonDom::Type::Object; }

    bool toBool() const { return isBool() && m_dom->node(m_index).boolValue; }
    double toDouble() const { return isNumber() ? m_dom->node(m_index).number : 0.0; }
    QString toString() const; // strings only; "" otherwise
    bool stringIsEmptyOrBlank() const; // "" or only spaces
    bool stringEquals(QLatin1String s) const;
    // The raw UTF-8 bytes of a string without escapes; nullopt for anything
    // else (escaped strings must be read with toString()).
    std::optional<QByteArrayView> rawString() const;

    // Arrays and objects.
    qint32 size() const { return (isArray() || isObject()) ? m_dom->node(m_index).size : 0; }
    JsonNode firstChild() const; // first element / first member's key
    JsonNode nextSibling() const;
    // Objects: the value of key, or an invalid node.
    JsonNode value(QLatin1String key) const;
    bool contains(QLatin1String key) const { return !value(key).isUndefined(); }

    // For diagnostics and compatibility with Qt's JSON types.
    QJsonValue toJsonValue() const;
    // The value as compact JSON: the source's own literals (numbers keep
    // their digits, strings their escapes), insignificant whitespace removed.
    QByteArray toCompactJson() const;

private:
    friend class JsonObjectIndex;
    void appendCompact(QByteArray *out) const;

    const JsonDom *m_dom = nullptr;
    qint32 m_index = 0;
};

// Fast repeated member lookup in one object: a flat table of its keys, built
// once. Used by readers that ask an object for many fields.
class JsonObjectIndex
{
public:
    explicit JsonObjectIndex(const JsonNode &object);
    JsonNode value(QLatin1String key) const;

private:
    static quint32 prefixOf(const char *key, qint32 size);

    struct Entry
    {
        const char *key;
        qint32 size; // -1: escaped key, compare decoded
        quint32 prefix; // first (up to) four bytes, for a quick reject
        qint32 keyIndex;
        qint32 value;
    };
    const JsonDom *m_dom = nullptr;
    QVarLengthArray<Entry, 40> m_entries; // inline for typical answers: no allocation
};

} // namespace Fleet
