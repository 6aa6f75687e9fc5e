#pragma once

#include "domain/media.h"

#include <QHash>
#include <QSet>
#include <QList>
#include <QUrl>
#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace Fleet {

class MediaDownloader;

// The photos and clips of the alarm shown in the desk: a thumbnail per file,
// fetched once into a cache on disk; activating one fetches the whole file
// into the cache and opens it (the system's viewer or player, until the
// video issue brings ours). What it shows is the store's (StoreReader::
// alarmMedia); "Look in the cloud" asks the session for the list.
class AlarmMediaStrip : public QWidget
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxThumbBytes = 2'000'000;
    static constexpr qint64 kMaxFileBytes = 500'000'000;
    static constexpr qint64 kMaxPhotoAsThumbBytes = 10'000'000; // a photo without a thumbnail
    static constexpr qint64 kDefaultCacheLimit = 2'000'000'000;

    explicit AlarmMediaStrip(QWidget *parent = nullptr);
    ~AlarmMediaStrip() override;

    // <QStandardPaths::CacheLocation>/media by default.
    void setCacheDirectory(const QString &dir);
    QString cacheDirectory() const { return m_cacheDir; }
    // After each file fetched, the least recently used files beyond this
    // many bytes are removed (2 GB by default).
    void setCacheLimit(qint64 bytes) { m_cacheLimit = bytes; }
    // How a fetched file is opened; QDesktopServices::openUrl by default.
    using Opener = std::function<bool(const QUrl &localFile)>;
    void setOpener(Opener opener);

    // The media of one alarm (its fold's first id), replacing what was shown;
    // false when that is what was shown already.
    bool setMedia(qint64 alarmId, const QList<StoredMedia> &media);
    qint64 alarmId() const { return m_alarmId; }
    // The line under the thumbnails: what is being looked for, or why not.
    void setStatus(const QString &text);
    QString statusText() const;
    // Whether "Look in the cloud" is offered (a session to ask).
    void setCanAsk(bool can);

    QListWidget *list() const { return m_list; }
    int count() const;
    // Files whose thumbnail is shown (not the placeholder).
    int thumbnailsShown() const;
    // Fetches the row's file and opens it; false when there is nothing to fetch.
    bool openRow(int row);
    // Where the row's file is kept once fetched.
    QString cachedFilePath(const StoredMedia &media) const;

Q_SIGNALS:
    // "Look in the cloud" was pressed for alarmId.
    void askRequested(qint64 alarmId);
    void thumbnailShown(int row);
    void fileOpened(const QUrl &localFile);
    void openFailed(const QString &reason);

private:
    QString cachePath(const StoredMedia &media, bool thumb) const;
    void loadThumbnail(int row);
    bool showThumbnail(int row, const QString &path);
    void pruneCache();

    QListWidget *m_list;
    QLabel *m_status;
    QPushButton *m_ask;
    MediaDownloader *m_downloader;
    QString m_cacheDir;
    Opener m_opener;
    qint64 m_alarmId = 0;
    QList<StoredMedia> m_media;
    QSet<int> m_thumbShown; // rows
    bool m_canAsk = false;
    bool m_closing = false;
    int m_generation = 0; // of the rows: bumped whenever they are rebuilt
    qint64 m_cacheLimit = kDefaultCacheLimit;
    QSet<QString> m_thumbFailed; // thumbnails that were no picture
};

} // namespace Fleet
