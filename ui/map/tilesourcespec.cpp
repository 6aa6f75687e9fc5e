#include "tilesourcespec.h"

#include "mbtilessource.h"
#include "offlinebasemapsource.h"
#include "xyztilesource.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace Fleet::Map {

namespace {

const QString kKind = QStringLiteral("kind");
const QString kName = QStringLiteral("name");
const QString kUrl = QStringLiteral("url");
const QString kPath = QStringLiteral("path");

QString tr(const char *text)
{
    return QCoreApplication::translate("Fleet::Map::TileSourceSpec", text);
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

TileSourceSpec TileSourceSpec::offline()
{
    return {Kind::Offline, QString(), QString()};
}

TileSourceSpec TileSourceSpec::openStreetMap()
{
    return xyz(XyzTileSource::openStreetMapUrl(), QStringLiteral("OpenStreetMap"));
}

TileSourceSpec TileSourceSpec::xyz(const QString &urlTemplate, const QString &name)
{
    return {Kind::Xyz, name, urlTemplate};
}

TileSourceSpec TileSourceSpec::mbTiles(const QString &path, const QString &name)
{
    return {Kind::MbTiles, name, path};
}

QString TileSourceSpec::toString() const
{
    QJsonObject o;
    switch (kind) {
    case Kind::Offline: o.insert(kKind, QStringLiteral("offline")); break;
    case Kind::Xyz:
        o.insert(kKind, QStringLiteral("xyz"));
        o.insert(kUrl, urlOrPath);
        break;
    case Kind::MbTiles:
        o.insert(kKind, QStringLiteral("mbtiles"));
        o.insert(kPath, urlOrPath);
        break;
    }
    if (!name.isEmpty())
        o.insert(kName, name);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<TileSourceSpec> TileSourceSpec::fromString(const QString &text, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        setError(error, tr("not a tile source setting: %1").arg(text.left(80)));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    const QString kind = o.value(kKind).toString();
    TileSourceSpec spec;
    spec.name = o.value(kName).toString();
    if (kind == QLatin1String("offline")) {
        spec.kind = Kind::Offline;
    } else if (kind == QLatin1String("xyz")) {
        spec.kind = Kind::Xyz;
        spec.urlOrPath = o.value(kUrl).toString().trimmed();
        if (spec.urlOrPath.isEmpty()) {
            setError(error, tr("the tile source setting has no URL"));
            return std::nullopt;
        }
    } else if (kind == QLatin1String("mbtiles")) {
        spec.kind = Kind::MbTiles;
        spec.urlOrPath = o.value(kPath).toString();
        if (spec.urlOrPath.isEmpty()) {
            setError(error, tr("the tile source setting has no file path"));
            return std::nullopt;
        }
    } else {
        setError(error, tr("unknown kind of tile source: \"%1\"").arg(kind));
        return std::nullopt;
    }
    return spec;
}

std::unique_ptr<TileSource> createTileSource(const TileSourceSpec &spec, QString *error)
{
    switch (spec.kind) {
    case TileSourceSpec::Kind::Offline: {
        auto source = std::make_unique<OfflineBasemapSource>();
        if (!source->isValid()) {
            setError(error, source->errorString());
            return nullptr;
        }
        return source;
    }
    case TileSourceSpec::Kind::Xyz: {
        auto source = std::make_unique<XyzTileSource>(spec.urlOrPath);
        if (!source->isValid()) {
            setError(error, source->errorString());
            return nullptr;
        }
        if (!spec.name.isEmpty())
            source->setName(spec.name);
        return source;
    }
    case TileSourceSpec::Kind::MbTiles: {
        auto source = std::make_unique<MbTilesSource>();
        if (!source->open(spec.urlOrPath)) {
            setError(error, source->errorString());
            return nullptr;
        }
        if (!spec.name.isEmpty())
            source->setName(spec.name);
        return source;
    }
    }
    setError(error, tr("unknown kind of tile source"));
    return nullptr;
}

} // namespace Fleet::Map
