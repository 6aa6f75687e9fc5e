#include "alarmmediastrip.h"

#include "sync/mediadownloader.h"

#include <QCryptographicHash>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QImageReader>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QStandardPaths>
#include <QStyle>
#include <QVBoxLayout>

namespace Fleet {

namespace {

constexpr QSize kThumb(128, 72);
constexpr int kRowRole = Qt::UserRole + 1;

// A thumbnail-sized picture with the file's kind on it, while (or when no)
// thumbnail can be shown.
QPixmap placeholder(const QWidget *w, bool video)
{
    QPixmap pm(kThumb);
    pm.fill(w->palette().color(QPalette::Mid));
    QPainter p(&pm);
    const QIcon icon = w->style()->standardIcon(video ? QStyle::SP_MediaPlay : QStyle::SP_FileIcon);
    icon.paint(&p, QRect(QPoint(0, 0), kThumb).adjusted(44, 16, -44, -16));
    return pm;
}

QString extensionOf(const StoredMedia &m)
{
    const QString suffix = QFileInfo(m.fileKey).suffix().toLower();
    static const QStringList known{QStringLiteral("jpg"),  QStringLiteral("jpeg"), QStringLiteral("png"),
                                   QStringLiteral("mp4"),  QStringLiteral("ts"),   QStringLiteral("avi"),
                                   QStringLiteral("h264"), QStringLiteral("flv"),  QStringLiteral("mov")};
    if (known.contains(suffix))
        return suffix;
    if (m.mimeType == QLatin1String("image/png"))
        return QStringLiteral("png");
    return m.isVideo() ? QStringLiteral("mp4") : QStringLiteral("jpg");
}

} // namespace

AlarmMediaStrip::AlarmMediaStrip(QWidget *parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
    , m_status(new QLabel(this))
    , m_ask(new QPushButton(tr("Look in the &cloud"), this))
    , m_downloader(new MediaDownloader(this))
    , m_cacheDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/media"))
    , m_opener([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    m_list->setObjectName(QStringLiteral("alarmMediaList"));
    m_list->setViewMode(QListView::IconMode);
    m_list->setFlow(QListView::LeftToRight);
    m_list->setWrapping(false);
    m_list->setMovement(QListView::Static);
    m_list->setIconSize(kThumb);
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setFixedHeight(kThumb.height() + 2 * fontMetrics().height() + 16);
    m_list->setToolTip(tr("Double-click (or Enter) to open the photo or clip"));
    connect(m_list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { openRow(item->data(kRowRole).toInt()); });
    m_status->setObjectName(QStringLiteral("alarmMediaStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_ask->setObjectName(QStringLiteral("alarmMediaAsk"));
    m_ask->setToolTip(tr("Ask the cloud for the photos and clips the device took for this alarm"));
    m_ask->setVisible(false);
    connect(m_ask, &QPushButton::clicked, this, [this] {
        if (m_alarmId > 0)
            Q_EMIT askRequested(m_alarmId);
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list);
    auto *line = new QHBoxLayout;
    line->addWidget(m_status, 1);
    line->addWidget(m_ask);
    layout->addLayout(line);
    m_list->setVisible(false);
}

AlarmMediaStrip::~AlarmMediaStrip()
{
    // The downloads still running end here, while the strip is whole; their
    // answers are not for it any more.
    m_closing = true;
    delete m_downloader;
}

void AlarmMediaStrip::setCacheDirectory(const QString &dir)
{
    m_cacheDir = dir;
}

void AlarmMediaStrip::setOpener(Opener opener)
{
    m_opener = std::move(opener);
}

void AlarmMediaStrip::setCanAsk(bool can)
{
    m_canAsk = can;
    m_ask->setVisible(can && m_alarmId > 0);
}

void AlarmMediaStrip::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString AlarmMediaStrip::statusText() const
{
    return m_status->text();
}

int AlarmMediaStrip::count() const
{
    return m_list->count();
}

int AlarmMediaStrip::thumbnailsShown() const
{
    return int(m_thumbShown.size());
}

QString AlarmMediaStrip::cachePath(const StoredMedia &m, bool thumb) const
{
    // The name is a hash of device and key: the cloud's key never becomes a path.
    const QByteArray id =
        QCryptographicHash::hash((m.imei + QLatin1Char('/') + m.fileKey).toUtf8(), QCryptographicHash::Sha1).toHex();
    return m_cacheDir + QLatin1Char('/') + QString::fromLatin1(id)
        + (thumb ? QStringLiteral("-thumb.jpg") : QLatin1Char('.') + extensionOf(m));
}

QString AlarmMediaStrip::cachedFilePath(const StoredMedia &media) const
{
    return cachePath(media, false);
}

bool AlarmMediaStrip::setMedia(qint64 alarmId, const QList<StoredMedia> &media)
{
    const bool same = alarmId == m_alarmId && media == m_media;
    m_alarmId = alarmId;
    m_ask->setVisible(m_canAsk && alarmId > 0);
    if (same)
        return false;
    // Downloads under way are for the rows as they were.
    ++m_generation;
    m_media = media;
    m_thumbShown.clear();
    m_list->clear();
    m_list->setVisible(!media.isEmpty());
    const QLocale locale;
    for (int row = 0; row < media.size(); ++row) {
        const StoredMedia &m = media.at(row);
        const QString kind = m.isVideo() ? tr("Clip") : tr("Photo");
        const QString camera = m.camera ? tr("camera %1").arg(*m.camera) : QString();
        const QDateTime when = m.alarmTime.isValid() ? m.alarmTime : m.created;
        auto *item = new QListWidgetItem(QIcon(placeholder(this, m.isVideo())),
                                         camera.isEmpty() ? kind : QStringLiteral("%1 · %2").arg(kind, camera));
        item->setData(kRowRole, row);
        QStringList tip{m.fileKey};
        if (when.isValid())
            tip << locale.toString(when.toLocalTime(), QLocale::ShortFormat);
        if (m.fileSize)
            tip << locale.formattedDataSize(*m.fileSize);
        if (m.fileUrl.isEmpty())
            tip << tr("The cloud has not said where this file is yet.");
        // Tooltips guess at rich text: the cloud's names are escaped, never markup.
        item->setToolTip(
            QStringLiteral("<p style='white-space:pre'>%1</p>").arg(tip.join(QLatin1Char('\n')).toHtmlEscaped()));
        m_list->addItem(item);
        loadThumbnail(row);
    }
    return true;
}

bool AlarmMediaStrip::showThumbnail(int row, const QString &path)
{
    QImageReader reader(path);
    reader.setAllocationLimit(64); // MB: a thumbnail, not a bomb
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid())
        reader.setScaledSize(size.scaled(kThumb, Qt::KeepAspectRatio));
    const QImage image = reader.read();
    if (image.isNull() || row >= m_list->count())
        return false;
    m_list->item(row)->setIcon(QIcon(QPixmap::fromImage(image)));
    m_thumbShown.insert(row);
    Q_EMIT thumbnailShown(row);
    return true;
}

void AlarmMediaStrip::loadThumbnail(int row)
{
    const StoredMedia m = m_media.at(row);
    // A photo without a thumbnail of its own is its own thumbnail, when it
    // is small enough to be one.
    const bool photo = m.mimeType.startsWith(QLatin1String("image/"))
        || QStringList{QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("png")}.contains(extensionOf(m));
    const QString url = !m.thumbUrl.isEmpty() ? m.thumbUrl : (photo && !m.isVideo() ? m.fileUrl : QString());
    if (url.isEmpty())
        return;
    const QString thumb = cachePath(m, true);
    if (QFileInfo::exists(thumb) && showThumbnail(row, thumb))
        return;
    if (m_thumbFailed.contains(thumb))
        return; // once per run: a broken thumbnail is not fetched on every look
    const int generation = m_generation;
    const qint64 limit = m.thumbUrl.isEmpty() ? kMaxPhotoAsThumbBytes : kMaxThumbBytes;
    m_downloader->download(QUrl(url), thumb, limit, [this, row, generation, thumb](const QString &error) {
        if (m_closing)
            return;
        bool shown = false;
        if (error.isEmpty()) {
            QImageReader probe(thumb);
            shown = probe.canRead();
            // The rows may have changed meanwhile: only their own picture.
            if (shown && generation == m_generation)
                shown = showThumbnail(row, thumb);
        }
        if (!shown) {
            m_thumbFailed.insert(thumb);
            QFile::remove(thumb); // not a picture: never kept
        }
    });
}

void AlarmMediaStrip::pruneCache()
{
    // The least recently used files go first, until the cache fits.
    QDir dir(m_cacheDir);
    const QFileInfoList files = dir.entryInfoList(QDir::Files, QDir::Time); // newest first
    qint64 total = 0;
    for (qsizetype i = 0; i < files.size(); ++i) {
        total += files.at(i).size();
        // The newest (the file about to open) stays, whatever its size.
        if (i > 0 && total > m_cacheLimit)
            QFile::remove(files.at(i).absoluteFilePath());
    }
}

bool AlarmMediaStrip::openRow(int row)
{
    if (row < 0 || row >= m_media.size())
        return false;
    const StoredMedia m = m_media.at(row);
    if (m.fileUrl.isEmpty()) {
        setStatus(tr("The cloud has not said where %1 is yet. Look in the cloud again later.").arg(m.fileKey));
        Q_EMIT openFailed(statusText());
        return false;
    }
    const QString path = cachePath(m, false);
    const qint64 alarmId = m_alarmId;
    // The status line speaks of the alarm shown: a file of another one
    // (selected meanwhile) opens without a word there.
    const auto say = [this, alarmId](const QString &text) {
        if (alarmId == m_alarmId)
            setStatus(text);
    };
    const auto open = [this, path, say] {
        const QUrl local = QUrl::fromLocalFile(path);
        if (m_opener && m_opener(local)) {
            Q_EMIT fileOpened(local);
        } else {
            const QString why = tr("No program on this computer opens %1.").arg(QDir::toNativeSeparators(path));
            say(why);
            Q_EMIT openFailed(why);
        }
    };
    if (QFileInfo(path).size() > 0) {
        // Used again: the newest in the cache.
        QFile file(path);
        if (file.open(QIODevice::ReadWrite))
            file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
        open();
        return true;
    }
    setStatus(tr("Fetching %1…").arg(m.fileKey));
    m_downloader->download(QUrl(m.fileUrl), path, kMaxFileBytes,
                           [this, open, say, key = m.fileKey](const QString &error) {
                               if (m_closing)
                                   return;
                               if (!error.isEmpty()) {
                                   const QString why = tr("%1 could not be fetched: %2").arg(key, error);
                                   say(why);
                                   Q_EMIT openFailed(why);
                                   return;
                               }
                               pruneCache();
                               say(QString());
                               open();
                           });
    return true;
}

} // namespace Fleet
