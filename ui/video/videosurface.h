#pragma once

#include <QImage>
#include <QVideoFrame>
#include <QVideoSink>
#include <QWidget>

class QPainter;

namespace Fleet {

// A video picture on screen: the newest frame of its sink, painted in
// proportion with black bars around it. The frame is converted from YUV
// (swscale, no GPU) only when painted or asked for, so pictures the screen
// never shows, and hidden surfaces, cost no conversion on the GUI thread;
// and grab() holds the picture, which a QVideoWidget's would not.
class VideoSurface : public QWidget
{
    Q_OBJECT
public:
    explicit VideoSurface(QWidget *parent = nullptr);

    QVideoSink *videoSink() { return &m_sink; }
    // The newest picture (null before the first).
    QImage picture() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    // Black, and the picture in proportion over it.
    void paintPicture(QPainter &painter) const;

private:
    QVideoSink m_sink;
    QVideoFrame m_frame;
    mutable QImage m_picture;
    mutable bool m_pictureStale = false;
};

} // namespace Fleet
