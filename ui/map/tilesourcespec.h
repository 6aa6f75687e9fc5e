#pragma once

#include <QString>

#include <memory>
#include <optional>

namespace Fleet::Map {

class TileSource;

// Which tile source to use, as settings store it: the embedded offline
// basemap, an XYZ URL template or an MBTiles file. A plain value; opening
// it is createTileSource()'s job.
struct TileSourceSpec
{
    enum class Kind { Offline, Xyz, MbTiles };

    Kind kind = Kind::Offline;
    QString name; // for menus; empty: the source's own name
    QString urlOrPath; // URL template (Xyz) or file path (MbTiles)

    static TileSourceSpec offline();
    static TileSourceSpec openStreetMap();
    static TileSourceSpec xyz(const QString &urlTemplate, const QString &name = {});
    static TileSourceSpec mbTiles(const QString &path, const QString &name = {});

    // Compact JSON, e.g. {"kind":"xyz","name":"OpenStreetMap","url":"https://…/{z}/{x}/{y}.png"}.
    QString toString() const;
    // Nothing (and *error says why) for text toString() did not write: not
    // JSON, an unknown kind, no URL or path. Whether the source can really
    // be opened is createTileSource()'s question.
    static std::optional<TileSourceSpec> fromString(const QString &text, QString *error = nullptr);

    friend bool operator==(const TileSourceSpec &, const TileSourceSpec &) = default;
};

// Opens the source a spec names: OfflineBasemapSource, XyzTileSource or
// MbTilesSource. Null, with *error set, if it cannot be used (a bad URL
// template, an MBTiles file that does not open, damaged basemap data).
std::unique_ptr<TileSource> createTileSource(const TileSourceSpec &spec, QString *error = nullptr);

} // namespace Fleet::Map
