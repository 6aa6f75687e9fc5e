#include "videosurface.h"

#include "videostream.h"

#include <QPainter>

namespace Fleet {

VideoSurface::VideoSurface(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(&m_sink, &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame &frame) {
        m_frame = frame;
        m_pictureStale = true;
        update();
    });
}

QImage VideoSurface::picture() const
{
    if (m_pictureStale) {
        const QImage converted = Player::VideoStream::toImage(m_frame);
        if (!converted.isNull())
            m_picture = converted;
        m_pictureStale = false;
    }
    return m_picture;
}

void VideoSurface::paintPicture(QPainter &p) const
{
    p.fillRect(rect(), Qt::black);
    if (const QImage shown = picture(); !shown.isNull()) {
        const QSize size = shown.size().scaled(this->size(), Qt::KeepAspectRatio);
        const QRect target(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(target, shown);
    }
}

void VideoSurface::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    paintPicture(p);
}

} // namespace Fleet
