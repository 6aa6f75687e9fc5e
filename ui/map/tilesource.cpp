#include "tilesource.h"

#include <QMetaObject>

namespace Fleet::Map {

QString tileFailureName(TileFailure failure)
{
    switch (failure) {
    case TileFailure::NotFound: return QStringLiteral("not found");
    case TileFailure::Retryable: return QStringLiteral("retryable");
    case TileFailure::Permanent: return QStringLiteral("permanent");
    }
    return QStringLiteral("unknown");
}

TileSource::~TileSource() = default;

void TileSource::failLater(TileId tile, TileFailure failure, const QString &reason)
{
    const quint64 token = ++m_nextDeferred;
    m_deferred.insert(tile, token);
    QMetaObject::invokeMethod(
        this,
        [this, tile, token, failure, reason] {
            if (m_deferred.value(tile) != token)
                return;
            m_deferred.remove(tile);
            Q_EMIT tileFailed(tile, failure, reason);
        },
        Qt::QueuedConnection);
}

} // namespace Fleet::Map
