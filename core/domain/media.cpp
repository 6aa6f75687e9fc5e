#include "media.h"

#include <QUrlQuery>

namespace Fleet {

RecordingAt recordingAt(const QList<VideoSegment> &segments, const QDateTime &moment)
{
    RecordingAt found;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const VideoSegment &s = segments.at(i);
        if (s.begin <= moment && moment < s.end)
            return {i, true};
        if (s.begin > moment && (found.index < 0 || s.begin < segments.at(found.index).begin))
            found.index = i;
    }
    return found;
}

bool StoredMedia::isVideo() const
{
    return mediaType == QLatin1String("video") || mimeType.startsWith(QLatin1String("video/"));
}

QString mediaFileKey(const MediaFile &file)
{
    if (file.fileUrl.isEmpty())
        return {};
    const QUrl url(file.fileUrl);
    const QString key = QUrlQuery(url).queryItemValue(QStringLiteral("fileKey"), QUrl::FullyDecoded);
    if (!key.isEmpty())
        return key;
    // Two folders may hold files of one name: the host and path are the key.
    const QString where = url.host() + url.path();
    return where.isEmpty() ? file.fileUrl : where;
}

QString mediaTypeName(const QString &text)
{
    const QString t = text.trimmed();
    if (t == QLatin1String("1") || t.compare(QLatin1String("photo"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("photo");
    if (t == QLatin1String("2") || t.compare(QLatin1String("video"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("video");
    return t;
}

bool isFetchableMediaUrl(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.isValid() && (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
        && !url.host().isEmpty();
}

} // namespace Fleet
