#pragma once

#include <QPixmap>
#include <QWidget>

namespace Fleet {

class PlaybackModel;

// The timeline under the map: one row per vehicle with its trips, stops
// (parking and idling), ignition and alarm ticks; below them a speed chart
// (km/h against time) on the same time axis; and the playhead across all.
// Press or drag anywhere to move the playhead; the wheel zooms around the
// pointer, from the whole range down to a minute; Shift+wheel, or dragging
// the time axis, pans. Keys as keyPressEvent says. Times are shown in local
// time.
class TimelineWidget : public QWidget
{
    Q_OBJECT

public:
    explicit TimelineWidget(PlaybackModel *model, QWidget *parent = nullptr);

    // The visible span (ms since the epoch, UTC).
    qint64 viewFromMs() const { return m_fromMs; }
    qint64 viewToMs() const { return m_toMs; }
    void setView(qint64 fromMs, qint64 toMs);
    void showAll();
    void zoomBy(double factor, qint64 aroundMs);
    static constexpr qint64 kMinSpanMs = 60 * 1000;

    // Geometry, for tests: the x of a time and the time at an x.
    double xOf(qint64 ms) const;
    qint64 msAt(double x) const;
    QRect rowRect(int vehicle) const;
    QRect speedRect() const;
    QRect axisRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void viewChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    // Space plays or pauses, arrows step (Ctrl: stops, Shift: alarms), + and − change speed.
    void keyPressEvent(QKeyEvent *event) override;
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Everything but the playhead, kept until the view, the data, the size
    // or the palette change: moving the playhead repaints a blit and a line.
    void paintStatic(QPainter &p);
    void invalidate();
    int labelWidth() const;
    void paintAxis(QPainter &p);
    void paintRow(QPainter &p, int vehicle);
    void paintSpeed(QPainter &p);
    QString tooltipAt(QPoint pos) const;

    PlaybackModel *m_model;
    QPixmap m_static;
    bool m_staticValid = false;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 1;
    enum class Drag { None, Playhead, Pan };
    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    qint64 m_pressFromMs = 0;
};

} // namespace Fleet
