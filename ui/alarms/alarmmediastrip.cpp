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

void AlarmMediaStrip::setMedia(qint64 alarmId, const QList<StoredMedia> &media)
{
    const bool same = alarmId == m_alarmId && media == m_media;
    m_alarmId = alarmId;
    m_ask->setVisible(m_canAsk && alarmId > 0);
    if (same)
        return;
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
    m_thumbShown.insert(row, true);
    Q_EMIT thumbnailShown(row);
    return true;
}

void AlarmMediaStrip::loadThumbnail(int row)
{
    const StoredMedia m = m_media.at(row);
    // A photo without a thumbnail of its own is its own thumbnail.
    const QString url = !m.thumbUrl.isEmpty() ? m.thumbUrl : (m.isVideo() ? QString() : m.fileUrl);
    if (url.isEmpty())
        return;
    const QString thumb = cachePath(m, true);
    if (QFileInfo::exists(thumb) && showThumbnail(row, thumb))
        return;
    const qint64 alarmId = m_alarmId;
    const qint64 limit = m.thumbUrl.isEmpty() ? kMaxFileBytes : kMaxThumbBytes;
    m_downloader->download(QUrl(url), thumb, limit, [this, row, alarmId, thumb](const QString &error) {
        // The strip may show another alarm by now.
        if (m_closing || alarmId != m_alarmId || !error.isEmpty())
            return;
        if (!showThumbnail(row, thumb))
            QFile::remove(thumb); // not a picture: never kept
    });
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
    const auto open = [this, path] {
        const QUrl local = QUrl::fromLocalFile(path);
        if (m_opener && m_opener(local)) {
            Q_EMIT fileOpened(local);
        } else {
            setStatus(tr("No program on this computer opens %1.").arg(QDir::toNativeSeparators(path)));
            Q_EMIT openFailed(statusText());
        }
    };
    if (QFileInfo(path).size() > 0) {
        open();
        return true;
    }
    setStatus(tr("Fetching %1…").arg(m.fileKey));
    m_downloader->download(QUrl(m.fileUrl), path, kMaxFileBytes, [this, open, key = m.fileKey](const QString &error) {
        if (m_closing)
            return;
        if (!error.isEmpty()) {
            setStatus(tr("%1 could not be fetched: %2").arg(key, error));
            Q_EMIT openFailed(statusText());
            return;
        }
        setStatus(QString());
        open();
    });
    return true;
}

} // namespace Fleet
