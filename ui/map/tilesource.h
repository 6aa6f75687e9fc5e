#pragma once

#include "geomath.h"

#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>

namespace Fleet::Map {

// Why a tile could not be had.
enum class TileFailure {
    NotFound, // the source has no such tile (404, missing row): show something else, do not ask again
    Retryable, // network trouble, a server error: worth asking again later
    Permanent, // the source answered with something unusable (corrupt image, 403, ...)
};

QString tileFailureName(TileFailure failure);

// Where map tiles come from. Requests are asynchronous: every requestTile()
// ends in exactly one tileReady() or tileFailed(), always emitted later from
// the event loop (never from within requestTile()), unless the request is
// cancelled first. Asking again for a tile that is under way does nothing.
// Images are Format_ARGB32_Premultiplied. Used from the GUI thread.
class TileSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~TileSource() override;

    virtual QString name() const = 0;
    // What the map must show for the tiles' terms of use; may be empty.
    virtual QString attribution() const = 0;
    virtual int minZoom() const = 0;
    virtual int maxZoom() const = 0;

    virtual void requestTile(TileId tile) = 0;
    // No answer comes for a cancelled request. Unknown tiles are ignored.
    virtual void cancelTile(TileId tile) = 0;
    virtual void cancelAll() = 0;
    // Requests under way (queued, loading or decoding).
    virtual int pendingCount() const = 0;

    // Sources that draw their own tiles may offer a variant for dark palettes.
    virtual bool supportsDarkStyle() const { return false; }
    virtual void setDarkStyle(bool dark) { Q_UNUSED(dark); }

Q_SIGNALS:
    void tileReady(Fleet::Map::TileId tile, const QImage &image);
    void tileFailed(Fleet::Map::TileId tile, Fleet::Map::TileFailure failure, const QString &reason);

protected:
    // Answers a request with a failure from the event loop, as the contract
    // above demands; cancelDeferred() takes it back.
    void failLater(TileId tile, TileFailure failure, const QString &reason);
    bool isDeferred(TileId tile) const { return m_deferred.contains(tile); }
    void cancelDeferred(TileId tile) { m_deferred.remove(tile); }
    void cancelAllDeferred() { m_deferred.clear(); }
    int deferredCount() const { return int(m_deferred.size()); }

private:
    QHash<TileId, quint64> m_deferred;
    quint64 m_nextDeferred = 0;
};

} // namespace Fleet::Map
